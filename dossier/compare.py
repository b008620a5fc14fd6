"""Compare the values that sources give for one claim: agreement, disagreement, series."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Sequence

from .memo import key
from .views import Comparison

_OPEN = math.inf


@dataclass(frozen=True)
class Interval:
    low: float
    high: float

    def meets(self, other: "Interval") -> bool:
        return self.low <= other.high and other.low <= self.high


def interval(value, qualifier: str = "") -> Interval:
    """The values a stated figure admits: its rounding, or the bound its qualifier sets.
    `value` may be a Decimal, whose written precision ("80.0") counts."""
    half = _half_unit(value)
    value = float(value)
    if qualifier in ("at least", "more than"):
        return Interval(value, _OPEN)
    if qualifier in ("up to", "fewer than"):
        return Interval(-_OPEN, value)
    if qualifier == "about":
        slack = max(abs(value) * 0.1, half)
        return Interval(value - slack, value + slack)
    return Interval(value - half, value + half)


def _half_unit(value) -> float:
    """Half the last stated digit: 80.08 -> 0.005, 80 -> 0.5, 6700 -> 0.5, Decimal("80.0") -> 0.05."""
    number = value if isinstance(value, Decimal) else Decimal(str(value)).normalize()
    exponent = number.as_tuple().exponent
    decimals = max(-int(exponent), 0) if isinstance(exponent, int) else 0
    return 0.5 * 10 ** -decimals


def agree(values: Sequence[tuple[float, str]]) -> bool:
    """True when every pair of (value, qualifier) admits a common value."""
    spans = [interval(v, q) for v, q in values]
    return all(a.meets(b) for i, a in enumerate(spans) for b in spans[i + 1:])


def spread(values: Sequence[float]) -> tuple[float, float]:
    """(max - min, the same relative to the largest magnitude, in percent)."""
    if not values:
        return 0.0, 0.0
    values = [float(v) for v in values]
    width = max(values) - min(values)
    top = max(abs(v) for v in values)
    return width, (100.0 * width / top if top else 0.0)


def outliers(values: Sequence[tuple[float, str]]) -> list[int]:
    """Indexes of the values that disagree with more than half of the others."""
    spans = [interval(v, q) for v, q in values]
    found = []
    for i, a in enumerate(spans):
        conflicts = sum(1 for j, b in enumerate(spans) if j != i and not a.meets(b))
        if conflicts and conflicts * 2 > len(spans) - 1:
            found.append(i)
    return found


# -- a claim's comparisons, and what they say of the sources ------------------------------------

def numeric(fact) -> bool:
    return isinstance(fact.value, (int, float)) and not isinstance(fact.value, bool)


def number(fact) -> Decimal:
    """The value with the precision it was written with: Decimal("80.0") is not Decimal("80")."""
    return Decimal(fact.value_text) if fact.value_text else Decimal(str(fact.value))


def comparison(date: str, rows: tuple) -> Comparison:
    """The values that `rows` (fact views of one claim) give for one date, compared."""
    numbers = [(number(r.fact), r.fact.qualifier) for r in rows if numeric(r.fact)]
    if len(numbers) == len(rows) and rows:
        width, relative = spread([v for v, _ in numbers])
        agreed = agree(numbers) or not date
        odd = () if agreed else tuple(rows[i].anchor for i in outliers(numbers))
        return Comparison(date, rows, True, agreed, width, relative, odd)
    texts = {str(r.fact.value).strip().lower() for r in rows if r.fact.value is not None}
    return Comparison(date, rows, False, len(texts) <= 1 or not date, 0.0, 0.0)


class Relations:
    """For each source (by page key), the sources that agree with it and those that contradict
    it: values for the same claim and date that are (or are not) compatible with all of its own.
    A source that both agrees and disagrees with another (on different claims) contradicts it.

    Each claim's part is memoized by the digests of its rows; a source's share is the union of
    the parts of the claims it answers, memoized by their keys: an edit redoes one claim's part
    and the shares of the sources that answer it."""

    def __init__(self, claims, memo) -> None:
        self.memo = memo
        self.parts: dict[str, tuple[str, dict]] = {}  # claim slug -> (its key, its part)
        self.answering: dict[str, list[str]] = defaultdict(list)  # page key -> slugs of the claims it answers
        for claim in claims:
            digest = key(tuple(r.digest for r in claim.rows))
            part = memo.get("relations", digest, lambda: _claim_relations(claim))
            self.parts[claim.claim.slug] = (digest, part)
            for page in part:
                self.answering[page].append(claim.claim.slug)

    def of(self, page: str) -> tuple[tuple, tuple, str]:
        """The sources that agree with `page`, those that contradict it, and the digest of both."""
        slugs = self.answering.get(page, ())
        return self.memo.get("relation", key(page, tuple(self.parts[s][0] for s in slugs)),
                             lambda: self._union(page, slugs))

    def _union(self, page: str, slugs) -> tuple[tuple, tuple, str]:
        agrees, contradicts = {}, {}
        for slug in slugs:
            agreeing, contradicting = self.parts[slug][1][page]
            for link in agreeing:
                agrees.setdefault(link.key, link)
            for link in contradicting:
                contradicts.setdefault(link.key, link)
        agreeing = _ordered({k: v for k, v in agrees.items() if k not in contradicts})
        contradicting = _ordered(contradicts)
        return agreeing, contradicting, key(tuple((link.key, link.title) for link in agreeing),
                                            tuple((link.key, link.title) for link in contradicting))


def _ordered(links: dict) -> tuple:
    return tuple(sorted(links.values(), key=lambda link: (link.title, link.key)))


def _claim_relations(claim) -> dict[str, tuple[list, list]]:
    """One claim's part of `relations`: per source, the sources it agrees with and contradicts.
    A source fits another when all its values for the date, with the other's, admit a common
    value (each value's interval is made once)."""
    found: dict[str, tuple[list, list]] = {}
    for group in claim.groups:
        if not group.date or len({r.source.key for r in group.rows}) < 2:
            continue
        spans = [interval(number(r.fact), r.fact.qualifier) if numeric(r.fact) else None for r in group.rows]
        by_source: dict[str, list[int]] = defaultdict(list)
        for i, row in enumerate(group.rows):
            by_source[row.source.key].append(i)
        for page, mine in by_source.items():
            agreeing, contradicting = found.setdefault(page, ([], []))
            own = [spans[i] for i in mine]
            whole = None not in own and all(a.meets(b) for n, a in enumerate(own) for b in own[n + 1:])
            for j, other in enumerate(group.rows):
                if other.source.key == page:
                    continue
                fits = (whole and spans[j] is not None and all(a.meets(spans[j]) for a in own)
                        if group.numeric else group.agree)
                (agreeing if fits else contradicting).append(other.source)
    return found
