"""Figures in a seed that no fact, note or `unannotated` entry covers: numerals and spelled numbers."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .diagnostics import Diagnostic, Location, warning
from .quotes import Span
from .model import Seed, Source
from .views import SourceView

_UNITS = ("one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
          "sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety").split()
_SCALES = "hundred thousand million billion dozen".split()
_ORDINALS = ("third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth fourteenth "
             "fifteenth twentieth hundredth thousandth").split()
_WORDS = sorted({*_UNITS, *_SCALES, *(s + "s" for s in _SCALES), *_ORDINALS, "tens", "twice", "thrice",
                 "half", "dozens", "several"}, key=len, reverse=True)
# A spelled figure is a run of number words joined by spaces, hyphens or "of"/"and" ("tens of
# thousands", "twenty-six", "one hundred and five"); a numeral is digits with separators and an
# optional attached word ("26-year", "80,08", "6,700", "02:46").
_WORD = "(?:" + "|".join(_WORDS) + ")"
FIGURE = re.compile(
    r"(?<![\w.,])\d+(?:[.,:\u00a0]\d+)*(?:-[A-Za-z]+)?"
    rf"|(?<![\w-])(?i:{_WORD}(?:(?:[\s-]+|\s+(?:of|and)\s+){_WORD})*)(?![\w-])"
)

_URL = re.compile(r"https?://\S+")

# The day and year of a date are not figures: "16 August 2020", "9 August", "August 9, 2020",
# "Aug. 9", "August 2020", "2020-08-09", "09.08.2020", "16 августа 2020".
_MONTH = ("(?:January|February|March|April|May|June|July|August|September|October|November|December"
          "|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\\.?"
          "|(?:января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря)")
_DAY = r"(?<![\w.,])\d{1,2}(?:st|nd|rd|th)?"
_YEAR = r"\d{4}(?![\w-])"
DATE = re.compile(
    rf"{_DAY}\s+(?:of\s+)?(?:{_MONTH})(?:,?\s+{_YEAR})?(?!\w)"
    rf"|(?<!\w)(?:{_MONTH})\s+(?:\d{{1,2}}(?:st|nd|rd|th)?(?![\w.,]\d)(?:,?\s+{_YEAR})?|{_YEAR})"
    r"|(?<![\w.,-])\d{4}-\d{2}-\d{2}(?![\w-])"
    r"|(?<![\w.,/])\d{1,2}([./])\d{1,2}\1\d{4}(?![\w.,/]\d)"
)


@dataclass(frozen=True)
class Figure:
    span: Span
    text: str
    covered_by: str  # "fact", "note", "unannotated" or "" (not covered)


def figures(text: str, covers: list[tuple[str, Span]]) -> list[Figure]:
    """Every figure of a seed's `text`, with what covers it (a (kind, span) of `covers`)."""
    urls = [m.span() for m in _URL.finditer(text)]
    urls += [m.span() for m in DATE.finditer(text)]  # (nor are the day and year of a date)
    found = []
    for match in FIGURE.finditer(text):
        span = Span(match.start(), match.end())
        if any(start <= span.start < end for start, end in urls):
            continue  # digits inside a web address or a date are not figures
        kind = next((k for k, c in covers if c.start <= span.start and span.end <= c.end), "")
        found.append(Figure(span, match.group(), kind))
    return found


def _covers(facts, notes, covered) -> list[tuple[str, Span]]:
    return [("fact", f.span) for f in facts] + [("note", n.span) for n in notes] + [("unannotated", s) for s in covered]


def uncovered(seed: Seed, source: Source, facts, notes, covered) -> list[Diagnostic]:
    """A warning, located in the seed, for each figure that no fact, note or unannotated entry covers."""
    text = seed.text
    problems = []
    for figure in figures(text, _covers(facts, notes, covered)):
        if figure.covered_by:
            continue
        line = text.count("\n", 0, figure.span.start) + 1
        col = figure.span.start - (text.rfind("\n", 0, figure.span.start) + 1) + 1
        problems.append(warning(Location(seed.path, line, col),
                                f"figure '{figure.text}' is not covered by any fact or note of {source.slug}",
                                f"add a fact quoting it to {source.path}, or list it under 'unannotated' with a reason"))
    return problems


def summary(view: SourceView) -> str:
    """One line per source: how its figures are covered."""
    found = figures(view.seed.text, _covers(view.facts, view.notes, view.covered))
    count = {kind: sum(1 for f in found if f.covered_by == kind) for kind in ("fact", "note", "unannotated", "")}
    return (f"{view.source.slug}: {len(found)} figures — {count['fact']} in facts, {count['note']} in notes, "
            f"{count['unannotated']} marked unannotated, {count['']} uncovered")
