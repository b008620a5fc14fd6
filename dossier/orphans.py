"""Warnings for what nothing uses: uncited sources, topics without facts, lone claims, unmentioned entities."""

from __future__ import annotations

from .diagnostics import Diagnostic, Location, warning
from .views import Dossier


def orphans(dossier: Dossier) -> list[Diagnostic]:
    problems = []
    for view in dossier.sources:
        if not view.backlinks:
            problems.append(warning(Location(view.source.path, 1, 1), f"no page cites source '{view.source.slug}'",
                                    f"link to it from a topic or the front page with [[{view.source.slug}]]"))
    for view in dossier.topics:
        topic = view.topic
        if not view.fact_count:
            problems.append(warning(topic.locations.get("title", Location(topic.path, 1, 1)),
                                    f"topic '{topic.slug}' has no facts",
                                    "name it in a fact's or a source's 'topics', or in a claim's 'topics'"))
        if topic.is_entity and not view.mentions:
            problems.append(warning(topic.locations.get("aliases", topic.locations.get("title", Location(topic.path, 1, 1))),
                                    f"entity '{topic.slug}' is not mentioned in any seed",
                                    "add the spelling the seeds use to its 'aliases'"))
    for view in dossier.claims:
        if len(view.sources) < 2:
            problems.append(warning(view.claim.locations.get("", Location("content/claims.yaml", 1, 1)),
                                    f"claim '{view.claim.slug}' is answered by {len(view.sources)} source"
                                    f"{'s' if len(view.sources) != 1 else ''} only",
                                    "a claim compares the answers of several sources"))
    return problems
