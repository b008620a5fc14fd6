"""How firm the evidence is: attribution strength, verdicts and a source's provenance, read from
checked YAML and checked for consistency (each problem located, with a hint)."""

from __future__ import annotations

from typing import Optional

from .diagnostics import Diagnostic, error
from .model import Claim, Config, Fact, Source, Text, Verdict
from .yamlload import YamlDocument


def verdict(doc: YamlDocument, item: dict, path: tuple) -> Optional[Verdict]:
    """The verdict under `item` (a fact or a claim, at `path` in `doc`), if it has one."""
    data = item.get("verdict")
    if not data:
        return None
    where = path + ("verdict",)
    locations = {key: doc.where(where + (key,)) for key in data} | {"": doc.where(where)}
    return Verdict(data["rating"], Text(data["reasoning"], doc.where(where + ("reasoning",))), data["reviewed"],
                   data.get("statement", ""), data.get("claimant", ""), locations)


def check_fact(fact: Fact) -> list[Diagnostic]:
    """An inferred attribution has a reason and names someone; a reason belongs to an inferred
    one; a verdict is on a fact that stands alone (a claim's facts are rated on the claim)."""
    where, problems = fact.locations, []
    if fact.inferred and not fact.attribution_reason:
        problems.append(error(where["attribution"], f"fact '{fact.id}': an inferred attribution needs a reason",
                              f"add 'attribution_reason:': one line on why you attribute it to {fact.by}"))
    if fact.inferred and "by" not in where:
        problems.append(error(where["attribution"], f"fact '{fact.id}': an inferred attribution names no one",
                              "add 'by:': whom you attribute the fact to (without 'by', it is the outlet's own)"))
    if fact.attribution_reason and not fact.inferred:
        problems.append(error(where["attribution_reason"], f"fact '{fact.id}': 'attribution_reason' given, but the "
                                                           "attribution is not inferred",
                              "add 'attribution: inferred', or remove the reason (a stated attribution needs none)"))
    if fact.verdict and fact.claim:
        problems.append(error(fact.verdict.locations[""], f"fact '{fact.id}' answers claim '{fact.claim}': "
                                                          "its verdict belongs to the claim",
                              f"move the verdict to '{fact.claim}' in content/claims.yaml"))
    return problems


def check_provenance(source: Source) -> list[Diagnostic]:
    """The text cannot have been taken before the report was published."""
    if source.retrieved and source.published and _before(source.retrieved, source.published):
        return [error(source.locations["retrieved"],
                      f"retrieved {source.retrieved}, before the report was published ({source.published})",
                      "'retrieved' is the day the text was taken from the original; check both dates")]
    return []


def _before(first: str, second: str) -> bool:
    """Whether every day `first` (YYYY, YYYY-MM or YYYY-MM-DD) can stand for precedes every day of `second`."""
    shared = min(len(first), len(second))
    return first[:shared] < second[:shared]


def check_editor(config: Optional[Config], sources, claims: tuple[Claim, ...]) -> list[Diagnostic]:
    """A verdict is published under the dossier's editor (ClaimReview's author): one must be named."""
    if config is None or config.editor:
        return []
    rated = [c.verdict for c in claims if c.verdict] + [f.verdict for s in sources for f in s.facts if f.verdict]
    return [error(v.locations["rating"], "a verdict needs the dossier's editor: config.yaml names none",
                  "add 'editor:' to config.yaml: verdicts are published under that name") for v in rated]
