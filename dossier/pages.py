"""The plan: every page of the site, the template that renders it and what it shows."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from .views import Dossier


@dataclass(frozen=True)
class Page:
    path: str  # site path: "" (index), "sources/x/", "404.html"
    template: str
    title: str
    context: Mapping[str, Any] = field(default_factory=dict)


def plan(dossier: Dossier) -> list[Page]:
    """Every page, in a fixed order, with exactly the data its template reads.

    A page whose data (and templates) did not change renders the same bytes, which is what lets
    `serve` re-render only the pages an edit affects."""
    whole = {"dossier": dossier}
    entity_urls = {t.topic.slug: t.url for t in dossier.topics if t.topic.is_entity}
    updated = max((s.source.published for s in dossier.sources), default="2020")
    pages = [
        Page("", "index.html", dossier.intro_title or dossier.config.title, whole),
        Page("sources/", "sources.html", "Sources", whole),
        Page("topics/", "topics.html", "Topics and entities", whole),
        Page("claims/", "claims.html", "Claims", whole),
        Page("timeline/", "timeline.html", "Timeline", whole),
        Page("404.html", "404.html", "Page not found"),
        Page("search/", "search.html", "Search"),
        Page("feed.xml", "feed.xml", "Sources feed", {**whole, "feed_updated": updated}),
        Page("robots.txt", "robots.txt", "Robots"),
    ]
    pages += [Page(f"sources/{s.source.slug}/", "source.html", s.source.title,
                   {"view": s, "topic_urls": entity_urls}) for s in dossier.sources]
    pages += [Page(f"topics/{t.topic.slug}/", "topic.html", t.topic.title, {"view": t}) for t in dossier.topics]
    pages += [Page(f"claims/{c.claim.slug}/", "claim.html", c.claim.title, {"view": c}) for c in dossier.claims]
    listed = tuple(p.path for p in pages if p.path == "" or p.path.endswith("/"))
    pages.append(Page("sitemap.xml", "sitemap.xml", "Sitemap", {"paths": listed}))
    return pages
