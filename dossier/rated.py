"""Verdicts resolved into views: the rating on the scale, what is rated, who claimed it (a party
named as an entity is a person or an organisation as its topic says; any other party is taken
for an organisation) and the reports it appears in, earliest first."""

from __future__ import annotations

from typing import Iterable, Mapping

from .model import Source, Verdict
from .urls import Urls
from .verdicts import rating
from .views import Appearance, Party, VerdictView

Entities = Mapping[str, tuple[str, str]]  # entity name or alias -> (kind, topic slug)


def entities(topics) -> dict[str, tuple[str, str]]:
    """Every name (title or alias) of a person, organisation or place, with its kind and slug."""
    return {name: (t.kind, t.slug) for t in topics if t.is_entity for name in (t.title, *t.aliases)}


def party(name: str, known: Entities, urls: Urls) -> Party:
    kind, slug = known.get(name, ("organisation", ""))
    return Party(name, "person" if kind == "person" else "organisation", urls.topic(slug) if slug else "")


def appearance(source: Source, urls: Urls) -> Appearance:
    return Appearance(urls.source(source.slug), source.title, source.outlet, source.published, source.url,
                      source.archive_url)


def verdict_view(verdict: Verdict, html: str, statement: str, claimants: Iterable[str],
                 sources: Iterable[Source], context: tuple[Entities, Urls]) -> VerdictView:
    """The verdict with its reasoning's `html`; `claimants` are the names that made the claim
    (the verdict's own `claimant` comes first and alone), `sources` the reports it appears in."""
    known, urls = context
    names = [verdict.claimant] if verdict.claimant else list(dict.fromkeys(claimants))
    found = sorted({s.slug: s for s in sources}.values(), key=lambda s: (s.published, s.title, s.slug))
    return VerdictView(verdict=verdict, rating=rating(verdict.rating), reasoning_html=html,
                       statement=verdict.statement or statement,
                       claimants=tuple(party(n, known, urls) for n in names),
                       appearances=tuple(appearance(s, urls) for s in found))
