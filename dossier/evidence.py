"""What a figure measures: the day or period it refers to, the place it counts, the kind of count
and the stage of an official count. Only facts that measure the same thing are compared.

A fact's `date` is a day, month or year (`2020-08-09`, `2020-08`, `2020`) or a period of them
written as an ISO 8601 interval: `2020-08-09/2020-08-12`, or `2020-08-09/..` for "since then, up
to the day it was reported". Each becomes the first and last day it covers, so that `2020-08` and
`2020-08-01/2020-08-31` are the same month."""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Optional

from .diagnostics import Diagnostic, did_you_mean, error

COUNTS = ("point", "daily", "cumulative")  # a level at one time; per day or night; a running total
STAGES = ("partial", "preliminary", "final")  # of an official count, earliest first
NATIONAL = "national"  # the scope of a figure for the whole country (not a topic)
OPEN = ".."  # the open end of a period: up to the day the figure was reported

COUNT_LABELS = {"point": "at one time", "daily": "per day or night", "cumulative": "running total"}
STAGE_LABELS = {"partial": "partial count", "preliminary": "preliminary result", "final": "final result"}
_DATE = re.compile(r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$")


@dataclass(frozen=True)
class Period:
    """A date as written (`end` empty) or a period from `start` to `end` (a date, or OPEN)."""

    start: str
    end: str = ""

    @property
    def is_open(self) -> bool:
        return self.end == OPEN


def period(text: str) -> Period:
    """`2020-08-09` -> Period('2020-08-09'); `2020-08-09/..` -> Period('2020-08-09', '..')."""
    start, _, end = text.partition("/")
    return Period(start, end)


def problem(text: str) -> str:
    """Why `text` is not a date or period ("" when it is one)."""
    shown = period(text)
    for part in (shown.start, *([shown.end] if shown.end and not shown.is_open else [])):
        if not _DATE.match(part):
            return f"'{part}' is not a date"
        try:
            first_day(part)
        except ValueError:
            return "no such day" if part == text else f"no such day: {part}"
    if shown.end and not shown.is_open and last_day(shown.end) < first_day(shown.start):
        return f"the period ends ({shown.end}) before it starts ({shown.start})"
    return ""


def first_day(date: str) -> int:
    """The first day a date, month or year covers, as a day number (`datetime.date.toordinal`)."""
    parts = [int(p) for p in date.split("-")]
    return datetime.date(parts[0], *(parts[1:] + [1, 1])[:2]).toordinal()


def last_day(date: str) -> int:
    """The last day a date, month or year covers, as a day number."""
    parts = [int(p) for p in date.split("-")]
    if len(parts) == 3:
        return datetime.date(*parts).toordinal()
    month = parts[1] if len(parts) == 2 else 12
    return datetime.date(parts[0], month, calendar.monthrange(parts[0], month)[1]).toordinal()


def days(text: str, until: str) -> tuple[int, int]:
    """The first and last day a date or period covers; an open period runs to the last day of
    `until` (the day it was reported). (0, 0) for no date."""
    if not text:
        return 0, 0
    shown = period(text)
    end = until if shown.is_open else (shown.end or shown.start)
    return first_day(shown.start), last_day(end) if end else 0


def closed(text: str, last: int) -> str:
    """A date or period as compared: an open period ends on its `last` day (a day number)."""
    shown = period(text)
    return f"{shown.start}/{datetime.date.fromordinal(last).isoformat()}" if shown.is_open and last else text


@dataclass(frozen=True)
class Measure:
    """What a fact counts, as the comparison reads it: where (`scope`: a topic slug, NATIONAL, or
    "" when not stated), what kind of count (`count`: one of COUNTS, "" when not stated: a point
    value), the days the figure refers to (`first`, `last`: 0 when undated) and the stage of an
    official count ("" when not stated)."""

    scope: str = ""
    count: str = ""
    first: int = 0
    last: int = 0
    stage: str = ""

    @property
    def kind(self) -> str:
        return self.count or "point"

    @property
    def series(self) -> tuple[str, str]:
        """Values of one series may form a line over time: same place, same kind of count."""
        return self.scope, self.kind

    @property
    def dated(self) -> bool:
        return bool(self.first)


def measure(fact, claim_scope: str, claim_count: str, published: str) -> Measure:
    """The fact's measure: its own scope and kind of count, else its claim's; an open period ends
    on the day the figure was reported, else on the day its source was published."""
    if not fact.date or problem(fact.date):  # (a bad date is the checks' error; the fact is undated here)
        first, last = 0, 0
    else:
        ends = [d for d in (fact.reported, published) if d and not problem(d)]
        first, last = days(fact.date, ends[0] if ends else period(fact.date).start)
    return Measure(fact.scope or claim_scope, fact.count or claim_count, first, last, fact.stage)


def stage_rank(stage: str) -> int:
    """The order of stages: partial, preliminary, final, then a figure that states none (it is
    compared with the latest stage given)."""
    return STAGES.index(stage) if stage else len(STAGES)


def scope_label(scope: str, title: Optional[str]) -> str:
    """How a scope reads: the topic's title, 'the whole country', or '' when not stated."""
    if scope == NATIONAL:
        return "the whole country"
    return title or scope


# -- checks: a fact whose measure cannot be right --------------------------------------------------

DATE_HINT = "write the date as YYYY-MM-DD, YYYY-MM or YYYY"
PERIOD_HINT = ("write a period as start/end (2020-08-09/2020-08-12), or start/.. for 'since then, up to "
               "the day it was reported'")
SCOPE_HINT = (f"a scope is a topic slug (content/topics/<slug>.md), such as a place, or '{NATIONAL}' "
              "for the whole country")


def check_measure(fact, topics) -> list[Diagnostic]:
    """A fact's date or period, reported date, scope and bounds, each checked where it is written."""
    where = fact.locations
    problems = _check_when(fact.date, where)
    if fact.reported:
        problems += _check_reported(fact.reported, fact.date, where)
    return problems + check_scope(fact.scope, topics, where) + _check_bounds(fact, where)


def _check_reported(reported: str, date: str, where) -> list[Diagnostic]:
    """A figure cannot be reported before the day or period it refers to starts."""
    why = problem(reported)
    if why:
        return [error(where["reported"], f"bad date '{reported}': {why}", DATE_HINT)]
    start = period(date).start if date else ""
    if not start or problem(start) or last_day(reported) >= first_day(start):
        return []
    what = "period the figure refers to starts" if period(date).end else "day the figure refers to"
    return [error(where["reported"], f"reported on {reported}, before the {what} ({start})",
                  "'date' is the day or period the figure refers to, 'reported' the day it was announced or "
                  "published: check both")]


def _check_when(text: str, where) -> list[Diagnostic]:
    why = problem(text) if text else ""
    if not why:
        return []
    return [error(where["date"], f"bad date '{text}': {why}", PERIOD_HINT if "/" in text else DATE_HINT)]


def check_scope(scope: str, topics, where) -> list[Diagnostic]:
    if not scope or scope == NATIONAL or scope in topics:
        return []
    return [error(where["scope"], f"unknown scope '{scope}'{did_you_mean(scope, [*topics, NATIONAL])}",
                  SCOPE_HINT)]


def _check_bounds(fact, where) -> list[Diagnostic]:
    """A range is two bounds, the lower first, around the value if there is one, with no qualifier."""
    if (fact.low is None) != (fact.high is None):
        given, missing = ("low", "high") if fact.high is None else ("high", "low")
        return [error(where[given], f"a range needs both 'low' and 'high': '{missing}' is missing",
                      "for a bound on one side only, give 'value' with a qualifier (at least, more than, up to…)")]
    if fact.low is None:
        return []
    low, high = Decimal(fact.low_text or str(fact.low)), Decimal(fact.high_text or str(fact.high))
    if low > high:
        return [error(where["low"], f"lower bound {fact.low_text or fact.low} is above the upper bound "
                      f"{fact.high_text or fact.high}", "swap 'low' and 'high'")]
    problems = []
    if fact.qualifier:
        problems.append(error(where["qualifier"], f"qualifier '{fact.qualifier}' with a range",
                              "a range states its own bounds: leave 'qualifier' out"))
    if isinstance(fact.value, (int, float)) and not isinstance(fact.value, bool) \
            and not low <= Decimal(str(fact.value)) <= high:
        problems.append(error(where["value"], f"value {fact.value} lies outside its range {low}–{high}",
                              "the value is the source's central figure: it must lie within 'low' and 'high'"))
    return problems
