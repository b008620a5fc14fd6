"""Find verbatim quotes in seed text, forgiving only white space, quote marks, apostrophes and dashes."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

_FOLD = {
    **dict.fromkeys("\"“”„‟«»″", '"'),
    **dict.fromkeys("'‘’‚‛′`", "'"),
    **dict.fromkeys("-‐‑‒–—―−", "-"),
}
# Python's white space, each mapped to a plain space (one character for one: offsets do not move)
_SPACES = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005" \
          "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
_TABLE = str.maketrans({**_FOLD, **dict.fromkeys(_SPACES, " ")})
# what changes the length: a run of two or more spaces (invisible characters such as a zero-width
# space are not white space: they must match like letters do)
_ODD_GAP = re.compile(" {2,}")
_PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n")


@dataclass(frozen=True)
class Span:
    """A half-open range [start, end) of character offsets in the seed text."""

    start: int
    end: int


class SeedIndex:
    """A seed's text folded for matching, with a map from folded back to original offsets."""

    def __init__(self, text: str):
        self.text = text
        self.folded, self._starts, self._shifts = _fold_with_shifts(text)

    def original(self, index: int) -> int:
        """The offset in the seed of the folded character at `index`."""
        return index + self._shifts[bisect_right(self._starts, index) - 1]

    def find_all(self, quote: str) -> list[Span]:
        """Every place the quote occurs (overlapping occurrences included), in text order."""
        needle = fold(quote)
        if not needle:
            return []
        spans, at = [], self.folded.find(needle)
        while at != -1:
            spans.append(Span(self.original(at), self.original(at + len(needle) - 1) + 1))
            at = self.folded.find(needle, at + 1)
        return spans

    def nearest(self, quote: str) -> tuple[int, str]:
        """The line number and text of the passage most like `quote` (for "not found" errors)."""
        from rapidfuzz import fuzz  # only a quote that is not found needs it

        needle = fold(quote)
        found = fuzz.partial_ratio_alignment(needle, self.folded)
        if found is None or not self.folded:
            return 1, ""
        start = self.original(min(found.dest_start, len(self.folded) - 1))
        end = self.original(max(min(found.dest_end, len(self.folded)) - 1, 0)) + 1
        start, end = self._widen(start, end)
        return self.line_of(start), self.text[start:end].strip()

    def _widen(self, start: int, end: int, reach: int = 40) -> tuple[int, int]:
        """Move the ends of a passage out to whole words (within `reach` characters)."""
        floor, ceiling = max(0, start - reach), min(len(self.text), end + reach)
        while start > floor and not self.text[start - 1].isspace():
            start -= 1
        while end < ceiling and not self.text[end].isspace():
            end += 1
        while start < end and self.text[start].isspace():
            start += 1
        return start, end

    def line_of(self, offset: int) -> int:
        return self.text.count("\n", 0, offset) + 1

    def crosses_paragraph(self, span: Span) -> bool:
        return bool(_PARAGRAPH_BREAK.search(self.text, span.start, span.end))


def fold(text: str) -> str:
    """The matching form of `text`: white space runs as one space, quote marks, apostrophes and
    dashes unified; nothing else changes."""
    return _fold_with_shifts(text)[0].strip(" ")


def _fold_with_shifts(text: str) -> tuple[str, list[int], list[int]]:
    """`text` folded, with the map back: from folded index `_starts[k]` on, the original offset is
    the folded one plus `_shifts[k]`. A run of white space becomes one space (at its first character)."""
    spaced = text.translate(_TABLE)
    pieces, starts, shifts, at, length = [], [0], [0], 0, 0
    for gap in _ODD_GAP.finditer(spaced):
        pieces.append(spaced[at:gap.start()] + " ")
        length += gap.start() - at + 1
        at = gap.end()
        starts.append(length)
        shifts.append(at - length)
    pieces.append(spaced[at:])
    return "".join(pieces), starts, shifts
