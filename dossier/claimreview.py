"""schema.org ClaimReview JSON-LD for the editor's verdicts, with every field Google's fact-check
markup asks for: `claimReviewed`, `reviewRating` (`alternateName`, and on the ordered part of
the scale `ratingValue`, `bestRating`, `worstRating`), `itemReviewed` (a `Claim` with its
`author`, `datePublished`, `appearance` and `firstAppearance`), `datePublished`, `url` and
`author` (the dossier's editor, from config.yaml).

A claim's author is the verdict's `claimant`, else whom its facts are attributed to (`by`); a
fact's is its `by`. Each report the claim appears in is a `CreativeWork` whose `url` is the
original's address when known (our source page then in `sameAs`), else our source page, with
its archived copy in `archivedAt`. URLs are absolute when the site's host is known (`base_url`
or `site_url`), else site paths."""

from __future__ import annotations

from typing import Any

from .export import script_json
from .model import Config
from .urls import Urls
from .verdicts import BEST, WORST
from .views import Appearance, ClaimView, FactView, Party, VerdictView


def claim_review(view: ClaimView, urls: Urls, config: Config) -> str:
    """The ClaimReview of a rated claim's page, safe inside a <script> element."""
    return script_json(review(view.verdict, view.url, urls, config))


def fact_review(view: FactView, urls: Urls, config: Config) -> str:
    """The ClaimReview of a rated fact (on its source's page, at the fact's permalink)."""
    return script_json(review(view.verdict, view.url, urls, config))


def review(verdict: VerdictView, page: str, urls: Urls, config: Config) -> dict[str, Any]:
    absolute = _absolute(urls, config)
    first = verdict.appearances[0] if verdict.appearances else None
    claim: dict[str, Any] = {"@type": "Claim", "author": _one_or_list([_party(p) for p in verdict.claimants])}
    if first:
        claim.update(datePublished=first.published, firstAppearance=_work(first, absolute),
                     appearance=[_work(a, absolute) for a in verdict.appearances])
    return {"@context": "https://schema.org", "@type": "ClaimReview", "url": absolute(page),
            "claimReviewed": verdict.statement, "datePublished": verdict.verdict.reviewed,
            "author": {"@type": "Organization", "name": config.editor, "url": absolute(urls.home())},
            "reviewRating": _rating(verdict), "itemReviewed": claim}


def _absolute(urls: Urls, config: Config):
    origin = urls.origin or config.origin
    return lambda href: origin + href


def _rating(verdict: VerdictView) -> dict[str, Any]:
    rating = verdict.rating
    data: dict[str, Any] = {"@type": "Rating", "alternateName": rating.label, "name": rating.label}
    if rating.value is not None:
        data.update(ratingValue=rating.value, bestRating=BEST, worstRating=WORST)
    return data


def _party(party: Party) -> dict[str, str]:
    return {"@type": "Person" if party.kind == "person" else "Organization", "name": party.name}


def _work(found: Appearance, absolute) -> dict[str, Any]:
    work: dict[str, Any] = {"@type": "CreativeWork", "url": found.url or absolute(found.page), "name": found.title,
                            "datePublished": found.published,
                            "publisher": {"@type": "Organization", "name": found.outlet}}
    if found.url:
        work["sameAs"] = absolute(found.page)
    if found.archive_url:
        work["archivedAt"] = found.archive_url
    return work


def _one_or_list(items: list) -> Any:
    return items[0] if len(items) == 1 else items
