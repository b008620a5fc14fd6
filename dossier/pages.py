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
    """Every page, in a fixed order."""
    pages = [
        Page("", "index.html", dossier.intro_title or dossier.config.title),
        Page("sources/", "sources.html", "Sources"),
        Page("topics/", "topics.html", "Topics and entities"),
        Page("claims/", "claims.html", "Claims"),
        Page("timeline/", "timeline.html", "Timeline"),
        Page("404.html", "404.html", "Page not found"),
        Page("feed.xml", "feed.xml", "Sources feed"),
        Page("sitemap.xml", "sitemap.xml", "Sitemap"),
        Page("robots.txt", "robots.txt", "Robots"),
    ]
    pages += [Page(f"sources/{s.source.slug}/", "source.html", s.source.title, {"view": s}) for s in dossier.sources]
    pages += [Page(f"topics/{t.topic.slug}/", "topic.html", t.topic.title, {"view": t}) for t in dossier.topics]
    pages += [Page(f"claims/{c.claim.slug}/", "claim.html", c.claim.title, {"view": c}) for c in dossier.claims]
    return pages
