"""Find verbatim quotes in seed text, forgiving only white space, quote marks, apostrophes and dashes."""

from __future__ import annotations

import re
from dataclasses import dataclass

_FOLD = {
    **dict.fromkeys("\"“”„‟«»″", '"'),
    **dict.fromkeys("'‘’‚‛′`", "'"),
    **dict.fromkeys("-‐‑‒–—―−", "-"),
}
_INVISIBLE = set("\u200b\u200c\u200d\u2060\ufeff\u00ad")
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
        chars, offsets = [], []
        in_space = False
        for i, ch in enumerate(text):
            if ch in _INVISIBLE:
                continue
            if ch.isspace():
                if not in_space:
                    chars.append(" ")
                    offsets.append(i)
                in_space = True
                continue
            in_space = False
            chars.append(_FOLD.get(ch, ch))
            offsets.append(i)
        self.folded = "".join(chars)
        self.offsets = offsets

    def find_all(self, quote: str) -> list[Span]:
        """Every place the quote occurs (overlapping occurrences included), in text order."""
        needle = fold(quote)
        if not needle:
            return []
        spans, at = [], self.folded.find(needle)
        while at != -1:
            end = at + len(needle) - 1
            spans.append(Span(self.offsets[at], self.offsets[end] + 1))
            at = self.folded.find(needle, at + 1)
        return spans

    def nearest(self, quote: str) -> tuple[int, str]:
        """The line number and text of the passage most like `quote` (for "not found" errors)."""
        from rapidfuzz import fuzz  # only a quote that is not found needs it

        needle = fold(quote)
        found = fuzz.partial_ratio_alignment(needle, self.folded)
        if found is None or not self.offsets:
            return 1, ""
        start = self.offsets[min(found.dest_start, len(self.offsets) - 1)]
        end = self.offsets[max(min(found.dest_end, len(self.offsets)) - 1, 0)] + 1
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
    """The matching form of `text`: white space runs as one space, quote marks, apostrophes and dashes unified."""
    out, in_space = [], False
    for ch in text.strip():
        if ch in _INVISIBLE:
            continue
        if ch.isspace():
            if not in_space:
                out.append(" ")
            in_space = True
            continue
        in_space = False
        out.append(_FOLD.get(ch, ch))
    return "".join(out)
