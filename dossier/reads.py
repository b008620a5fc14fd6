"""What a source's derivation reads of the rest of the dossier, declared: the context every
source shares, and this source's own answers from the link index — with the key that covers them.
(See derive: `derive(file, seed, context, answers)` reads nothing else.)"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from .evidence import NATIONAL
from .links import LinkIndex
from .markdown import Link
from .memo import digest_of, key
from .mentions import MentionFinder
from .model import Known, Source
from .rated import entities
from .urls import Urls, claim_key, source_key, topic_key
from .validate import CheckedFile

_CANDIDATE = re.compile(r"\[\[([^\[\n]*?)\]\]")
TARGETS_HINT = "targets: a source, topic or claim slug, or source#fact-id"


@dataclass(frozen=True)
class Context:
    """What every source's derivation reads of the rest of the dossier. `digest` covers it all
    (the finder is the names, compiled once per process)."""

    urls: Urls
    known: Known
    broken: frozenset[str]
    names: tuple[tuple[str, str], ...]  # (entity name or alias, topic slug), sorted
    claim_topics: tuple[tuple[str, tuple[str, ...]], ...]  # the claims' topics, by claim slug
    finder: MentionFinder
    digest: str
    entities: tuple[tuple[str, tuple[str, str]], ...] = ()  # (entity name, (kind, slug)), sorted: who claims
    claim_measures: tuple[tuple[str, ClaimMeasure], ...] = ()  # the claims' default measures, by slug


@dataclass(frozen=True)
class ClaimMeasure:
    """What a claim's facts count unless they say otherwise: scope (and its topic's link), count."""

    scope: str = ""
    count: str = ""
    link: Optional[Link] = None


def context(known: Known, broken: frozenset[str], topics, claims, urls: Urls) -> Context:
    finder = MentionFinder((name, t.slug) for t in topics if t.is_entity for name in (t.title, *t.aliases))
    names = tuple(sorted(finder.owner.items()))
    claim_topics = tuple((c.slug, c.topics) for c in claims)
    kinds = tuple(sorted(entities(topics).items()))
    titles = {t.slug: t.title for t in topics}
    measures = tuple((c.slug, ClaimMeasure(c.scope, c.count, Link(urls.topic(c.scope), titles[c.scope], "topic",
                                                                     topic_key(c.scope)) if c.scope in titles else None))
                     for c in claims if c.scope or c.count)
    digest = key("context", urls.base_url, tuple(sorted(known.sources)), tuple(sorted(known.topics)),
                 tuple(sorted(known.claims)), tuple(sorted(broken)), names, claim_topics, kinds, digest_of(measures))
    return Context(urls, known, broken, names, claim_topics, finder, digest, kinds, measures)


@dataclass(frozen=True)
class Lookup:
    """The answer to one cross-reference as the source wrote it."""

    link: Optional[Link]
    why: str  # why there is no link ("" if there is one)
    broken: bool  # the target's file exists but failed to validate: no second error


def asks(file: CheckedFile) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """What the source's derivation asks the link index: every cross-reference its Markdown may
    name (a few more than it does: a `[[…]]` in code is asked too), and the keys of its claims
    and topics. A pure function of the file (memoized with it)."""
    texts = [t.markdown for t in _texts(file.model) if t]
    return tuple(named(texts)), tuple(_keys(file.model))


def lookups(file: CheckedFile, asked: tuple, index: LinkIndex, known: dict) -> tuple[tuple[str, Lookup], ...]:
    """The answers to what the source asks (`asks(file)`): the part of the link index its
    derivation reads. `known` holds this build's answers to targets that read the same on every
    page (all but `#anchor`s of the page itself), so that each is looked up once."""
    here = source_key(file.slug)
    targets, wanted = asked
    answers = []
    for target in targets:
        if target.startswith("#"):
            answers.append((target, answer(index, target, here)))
        else:
            found = known.get(target)
            if found is None:
                found = known[target] = answer(index, target, None)
            answers.append((target, found))
    answers += [(k, Lookup(index.targets.get(k), "", False)) for k in wanted]
    return tuple(answers)


def answer(index: LinkIndex, target: str, here: Optional[str]) -> Lookup:
    """The answer of the link index to `target`, as written on page `here`."""
    link, why = index.lookup(target, here)
    return Lookup(link, why, link is None and index.is_broken(target))


def named(markdown_texts) -> list[str]:
    """Every `[[target]]` these Markdown texts may name (a few more than they do: one in code too)."""
    return list(dict.fromkeys(m.group(1).partition("|")[0].strip() for text in markdown_texts
                              for m in _CANDIDATE.finditer(text)))


def _texts(source: Source) -> list:
    return [source.body, source.published_note, source.translation_note, *(f.note for f in source.facts),
            *(f.verdict.reasoning for f in source.facts if f.verdict), *(n.text for n in source.notes)]


def _keys(source: Source) -> list[str]:
    return list(dict.fromkeys([*(claim_key(f.claim) for f in source.facts if f.claim),
                               *(topic_key(t) for f in source.facts for t in f.topics),
                               *(topic_key(t) for t in source.topics),
                               *(topic_key(f.scope) for f in source.facts if f.scope and f.scope != NATIONAL)]))


def derive_key(file: CheckedFile, file_digest: str, seed_digest: str, ctx: Context, answers: tuple) -> str:
    """What a source's derivation reads: its file (where it is: the slug is its name; what it
    holds), its seed, the shared context, and the answers to its cross-references."""
    plain = tuple((target, a.why, a.broken, a.link and (a.link.url, a.link.title, a.link.kind, a.link.key))
                  for target, a in answers)  # (plain tuples: their repr is quick, a dataclass's is not)
    return key("derived", file.path, file_digest, seed_digest, ctx.digest, plain)
