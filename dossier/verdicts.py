"""The editor's verdicts: the one rating scale, declared here and nowhere else.

The ordered part runs from `false` (1) to `accurate` (4); `unproven` and `disputed` say that the
evidence does not settle the question, so they have no place on it (and no `ratingValue` in
ClaimReview). The schemas' enums and the README's table list the same names: a test keeps them
in step with `RATINGS`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional


@dataclass(frozen=True)
class Rating:
    name: str  # as the editor writes it in `rating:`
    label: str  # as a reader sees it
    value: Optional[int]  # its place on the ordered scale (higher is truer); None: not on it
    meaning: str


RATINGS = (
    Rating("accurate", "Accurate", 4, "the evidence supports the claim as stated"),
    Rating("mostly-accurate", "Mostly accurate", 3, "right in substance; a detail, a figure's precision or its context is off"),
    Rating("misleading", "Misleading", 2, "its figures may be right, but it leaves a false impression"),
    Rating("false", "False", 1, "the evidence contradicts it"),
    Rating("unproven", "Unproven", None, "no evidence in the dossier settles it either way"),
    Rating("disputed", "Disputed", None, "credible sources contradict each other and none prevails"),
)
BY_NAME = {r.name: r for r in RATINGS}
BEST = max(r.value for r in RATINGS if r.value is not None)
WORST = min(r.value for r in RATINGS if r.value is not None)


def rating(name: str) -> Rating:
    """The rating called `name` (the schema has already refused any other)."""
    return BY_NAME[name]


def scale_hint() -> str:
    """The scale in one line, for messages."""
    return "the scale: " + ", ".join(f"{r.name} ({r.value})" if r.value else r.name for r in RATINGS)


def scale_text(found: Rating) -> str:
    """Where a rating stands, for readers: '2 on a scale from 1 (false) to 4 (accurate)'."""
    if found.value is None:
        return "not on the scale from false to accurate: the evidence does not settle it"
    return f"{found.value} on a scale from {WORST} (false) to {BEST} (accurate)"
