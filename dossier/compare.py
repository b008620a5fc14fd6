"""Compare the values that sources give for one claim: agreement, disagreement, series."""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from typing import Sequence

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
