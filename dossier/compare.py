"""Compare the values that sources give for one claim: agreement, disagreement, series."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Optional, Sequence

from .evidence import stage_rank
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
    return _meet([interval(v, q) for v, q in values])


def spread(values: Sequence[float]) -> tuple[float, float]:
    """(max - min, the same relative to the largest magnitude, in percent)."""
    if not values:
        return 0.0, 0.0
    values = [float(v) for v in values]
    width = max(values) - min(values)
    top = max(abs(v) for v in values)
    return width, (100.0 * width / top if top else 0.0)


def _odd(spans: Sequence[Interval]) -> list[int]:
    """Indexes of the values that disagree with more than half of the others."""
    found = []
    for i, a in enumerate(spans):
        conflicts = sum(1 for j, b in enumerate(spans) if j != i and not a.meets(b))
        if conflicts and conflicts * 2 > len(spans) - 1:
            found.append(i)
    return found


def _meet(spans: Sequence[Interval]) -> bool:
    return all(a.meets(b) for i, a in enumerate(spans) for b in spans[i + 1:])


# -- a fact's figure: its bounds and precision --------------------------------------------------

def numeric(fact) -> bool:
    """The fact states a number: a value, or a range."""
    return _is_number(fact.value) or fact.low is not None


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def number(fact) -> Decimal:
    """The value with the precision it was written with: Decimal("80.0") is not Decimal("80").
    A range with no value: its middle."""
    if not _is_number(fact.value):
        return (_written(fact.low_text, fact.low) + _written(fact.high_text, fact.high)) / 2
    return _written(fact.value_text, fact.value)


def _written(text: str, value) -> Decimal:
    return Decimal(text) if text else Decimal(str(value))


def bounds(fact) -> Optional[Interval]:
    """The values a fact's figure admits, or None when it states no number: a range from its low
    bound to its high one, each widened by the precision it is written with; else the value's
    rounding, or the bound its qualifier sets."""
    if fact.low is not None and fact.high is not None:
        return Interval(interval(_written(fact.low_text, fact.low)).low,
                        interval(_written(fact.high_text, fact.high)).high)
    return interval(number(fact), fact.qualifier) if _is_number(fact.value) else None


# -- a claim's comparisons, and what they say of the sources ------------------------------------

def stage_sets(rows: Sequence) -> tuple[tuple[int, ...], ...]:
    """The indexes of `rows` compared together: one set per stage of an official count, earliest
    first; the rows that state no stage go with the latest one."""
    stages = sorted({r.measure.stage for r in rows if r.measure.stage}, key=stage_rank)
    latest = stages[-1] if stages else ""
    return tuple(tuple(i for i, r in enumerate(rows) if (r.measure.stage or latest) == stage)
                 for stage in (stages or [""]))


def comparison(date: str, rows: tuple) -> Comparison:
    """The values that `rows` (fact views of one claim, one place and kind of count, one date or
    period) give, compared stage by stage: a later stage supersedes an earlier one."""
    sets = stage_sets(rows)
    stages = tuple(sorted({r.measure.stage for r in rows if r.measure.stage}, key=stage_rank))
    superseded = tuple(rows[i].anchor for part in sets[:-1] for i in part)
    spans = [bounds(r.fact) for r in rows]
    if rows and None not in spans:
        failed = [part for part in sets if not _meet([spans[i] for i in part])]
        agreed = not failed or not date
        shown = [i for part in failed for i in part] if failed else list(sets[-1])
        width, relative = spread([number(rows[i].fact) for i in shown])
        odd = () if agreed else tuple(rows[part[i]].anchor for part in failed for i in _odd([spans[j] for j in part]))
        return Comparison(date, rows, True, agreed, width, relative, odd, stages, superseded, sets)
    agreed = not date or all(_same_text([rows[i] for i in part]) for part in sets)
    return Comparison(date, rows, False, agreed, 0.0, 0.0, (), stages, superseded, sets)


def _same_text(rows) -> bool:
    return len({str(r.fact.value).strip().lower() for r in rows if r.fact.value is not None}) <= 1


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
    Only values compared with each other count (one date, place, kind of count and stage)."""
    found: dict[str, tuple[list, list]] = {}
    for group in claim.groups:
        if not group.date:
            continue
        for part in group.sets:
            rows = [group.rows[i] for i in part]
            if len({r.source.key for r in rows}) > 1:
                _relate(rows, group.numeric, found)
    return found


def _relate(rows: list, numeric_values: bool, found: dict) -> None:
    """A source fits another when all its values, with the other's, admit a common value (each
    value's interval is made once); text values fit when they are all the same."""
    spans = [bounds(r.fact) for r in rows] if numeric_values else []
    same = numeric_values or _same_text(rows)
    by_source: dict[str, list[int]] = defaultdict(list)
    for i, row in enumerate(rows):
        by_source[row.source.key].append(i)
    for page, mine in by_source.items():
        agreeing, contradicting = found.setdefault(page, ([], []))
        own = [spans[i] for i in mine] if numeric_values else []
        whole = _meet(own)
        for j, other in enumerate(rows):
            if other.source.key == page:
                continue
            fits = whole and all(a.meets(spans[j]) for a in own) if numeric_values else same
            (agreeing if fits else contradicting).append(other.source)
