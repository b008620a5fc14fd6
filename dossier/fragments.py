"""Links to a passage in the original page: URL text fragments (`#:~:text=…`).

A text directive is `text=[prefix-,]textStart[,textEnd][,-suffix]` (WICG, "URL Fragment Text
Directives"): the browser finds `textStart` (after `prefix`, allowing white space between them),
up to the first `textEnd` after it (followed by `suffix`), as whole words, case aside, in the
page's rendered text, where runs of white space count as one space. Each term is UTF-8
percent-encoded except the characters the spec lets stand (`TextDirectiveExplicitChar`): so `-`,
`,` and `&`, which the syntax uses, are always encoded.

`text_directive(text, start, end)` makes the shortest directive that finds exactly the passage
`text[start:end]` of the seed's text and nothing else: the passage itself when short, its first
and last words when long, with as many words of context before and after as it takes to tell it
from the same words elsewhere. The seed's text stands in for the page's: a seed is the page's
text as the editor took it. `parse` and `find` read a directive back the way a browser does; the
tests use them to check that every link finds its passage."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import Optional
from urllib.parse import unquote

_EXPLICIT = "!$'()*+./:;=?@_~"  # with ASCII letters and digits: what a term may hold unencoded
_WORD = re.compile(r"\S+")
_SPACE = re.compile(r"\s+")
_RUN = re.compile(r"\s\s+")
LONG = 8  # a passage of more words than this is given by its first and last words
CONTEXT = 6  # at most this many words of context on each side


@dataclass(frozen=True)
class Directive:
    """The terms of a text directive, decoded; "" where a term is absent."""

    start: str
    end: str = ""
    prefix: str = ""
    suffix: str = ""

    def encoded(self) -> str:
        """`text=…` as it goes after `#:~:` in a URL."""
        terms = ([encode(self.prefix) + "-"] if self.prefix else []) + [encode(self.start)]
        terms += [encode(self.end)] if self.end else []
        terms += ["-" + encode(self.suffix)] if self.suffix else []
        return "text=" + ",".join(terms)


def encode(term: str) -> str:
    """A term percent-encoded as the spec requires: UTF-8, every byte but ASCII letters, digits
    and the explicit characters as `%XX` (so `-`, `,`, `&`, `%`, `#` and spaces too)."""
    return "".join(ch if ch in _EXPLICIT or (ch.isascii() and ch.isalnum()) else
                   "".join(f"%{byte:02X}" for byte in ch.encode("utf-8")) for ch in term)


def link(url: str, directive: Optional[Directive]) -> str:
    """`url` with the directive in its fragment (after the fragment it has, if any); `url` alone
    when there is no directive."""
    if not url or directive is None:
        return url
    return url + (":~:" if "#" in url else "#:~:") + directive.encoded()


def parse(fragment: str) -> Optional[Directive]:
    """The first text directive of a URL's fragment (`…#:~:text=…`), decoded as the spec's
    "parse a text directive" does; None if there is none or it does not parse."""
    _, found, directives = fragment.partition(":~:")
    text = next((d[5:] for d in directives.split("&") if d.startswith("text=")), None) if found else None
    tokens = text.split(",") if text else []
    if not tokens or len(tokens) > 4 or "" in tokens:
        return None
    prefix = unquote(tokens.pop(0)[:-1]) if tokens[0].endswith("-") else ""
    suffix = unquote(tokens.pop()[1:]) if tokens and tokens[-1].startswith("-") else ""
    if len(tokens) not in (1, 2):
        return None
    return Directive(unquote(tokens[0]), unquote(tokens[1]) if len(tokens) == 2 else "", prefix, suffix)


# -- finding a directive in a text ------------------------------------------------------------

class Flat:
    """A text with its white space runs made single spaces and its letters lower-cased, and the
    way back to the original's offsets: what a browser searches a page's text in. The way back
    is kept as the places where the two part (after each run of white space), not per letter."""

    def __init__(self, text: str):
        lowered = text.lower()
        if len(lowered) != len(text) or "\u03a3" in text:  # (a letter lowered into two, or a final sigma)
            lowered = "".join(map(_fold, text))
        self.text = _SPACE.sub(" ", lowered)
        self.flat_starts, self.starts = [0], [0]  # flat offset -> original offset, where they part:
        for run in _RUN.finditer(lowered):  # after each run of two or more white space characters
            self.flat_starts.append(self.flat_starts[-1] + run.start() - self.starts[-1] + 1)
            self.starts.append(run.end())

    def back(self, position: int) -> int:
        """The offset in the original text of the flat text's `position`."""
        i = bisect_right(self.flat_starts, position) - 1
        return self.starts[i] + position - self.flat_starts[i]


def _fold(ch: str) -> str:
    lower = ch.lower()
    return lower if len(lower) == 1 else ch


def _flat_term(term: str) -> str:
    return " ".join("".join(_fold(c) for c in term).split())


def _bounded(flat: str, start: int, end: int) -> bool:
    """Whether flat[start:end] begins and ends on word boundaries."""
    inner = lambda i: 0 < i < len(flat) and flat[i - 1].isalnum() and flat[i].isalnum()  # noqa: E731
    return not inner(start) and not inner(end)


def _occurrences(flat: str, term: str, since: int = 0) -> list[int]:
    found, at = [], flat.find(term, since)
    while at != -1:
        if _bounded(flat, at, at + len(term)):
            found.append(at)
        at = flat.find(term, at + 1)
    return found


def _skip_space(flat: str, at: int) -> int:
    return at + 1 if at < len(flat) and flat[at] == " " else at


def find_all(text: str, directive: Directive, flat: Optional[Flat] = None) -> list[tuple[int, int]]:
    """Every (start, end) span of `text` the directive can stand for: its start after its prefix,
    up to the first end after it, followed by its suffix."""
    flat = flat or Flat(text)
    start, end = _flat_term(directive.start), _flat_term(directive.end)
    prefix, suffix = _flat_term(directive.prefix), _flat_term(directive.suffix)
    spans = []
    for at in _occurrences(flat.text, start):
        if prefix and not _preceded(flat.text, at, prefix):
            continue
        stop = at + len(start)
        if end:
            ends = _occurrences(flat.text, end, stop)
            if not ends:
                continue
            stop = ends[0] + len(end)
        if suffix and not _followed(flat.text, stop, suffix):
            continue
        spans.append((flat.back(at), flat.back(stop - 1) + 1))
    return spans


def _preceded(flat: str, at: int, prefix: str) -> bool:
    before = at - 1 if at > 0 and flat[at - 1] == " " else at
    return flat.endswith(prefix, 0, before) and _bounded(flat, before - len(prefix), before)


def _followed(flat: str, stop: int, suffix: str) -> bool:
    after = _skip_space(flat, stop)
    return flat.startswith(suffix, after) and _bounded(flat, after, after + len(suffix))


def find(text: str, directive: Directive) -> Optional[tuple[int, int]]:
    """The span a browser would show: the first one the directive can stand for."""
    spans = find_all(text, directive)
    return spans[0] if spans else None


# -- making a directive -----------------------------------------------------------------------

class Passages:
    """A seed's text, read once, to make the directives of all its passages."""

    def __init__(self, text: str):
        self.text, self.flat = text, Flat(text)

    def directive(self, start: int, end: int) -> Optional[Directive]:
        """The shortest directive that finds text[start:end] (widened to whole words) and
        nothing else; when the passage and its surroundings repeat word for word, the one that
        finds it first. None for a passage with no word in it."""
        a, b = self._widened(start, end)
        inner = [(m.start(), m.end()) for m in _WORD.finditer(self.text, a, b)]
        if not inner:
            return None
        target, best = (inner[0][0], inner[-1][1]), None
        before, after = self._before(target[0]), self._after(target[1])
        for directive in _candidates(self.text, inner, before, after):
            spans = find_all(self.text, directive, self.flat)
            if spans == [target]:
                return directive
            if best is None and spans[:1] == [target]:
                best = directive
        return best or Directive(_joined(self.text, inner))

    def _before(self, at: int) -> list[tuple[int, int]]:
        """The last CONTEXT words that end at or before `at` (read from a window before it)."""
        window = 16 * CONTEXT
        while True:
            start = self._word_start(max(0, at - window))
            found = []
            for m in _WORD.finditer(self.text, start):
                if m.start() >= at:
                    break
                if m.end() <= at:
                    found.append((m.start(), m.end()))
            if len(found) >= CONTEXT or start == 0:
                return found[-CONTEXT:]
            window *= 4

    def _after(self, at: int) -> list[tuple[int, int]]:
        """The words that start at or after `at`, among the first CONTEXT that end after it."""
        found = []
        for m in _WORD.finditer(self.text, self._word_start(at)):
            if m.end() > at:
                found.append((m.start(), m.end()))
                if len(found) == CONTEXT:
                    break
        return [w for w in found if w[0] >= at]

    def _word_start(self, at: int) -> int:
        """`at`, moved back to the start of the word it falls in."""
        while at > 0 and not self.text[at - 1].isspace():
            at -= 1
        return at

    def _widened(self, start: int, end: int) -> tuple[int, int]:
        """The span moved out to word boundaries (a browser matches whole words only)."""
        text = self.text
        while 0 < start < len(text) and text[start - 1].isalnum() and text[start].isalnum():
            start -= 1
        while 0 < end < len(text) and text[end - 1].isalnum() and text[end].isalnum():
            end += 1
        return start, end


def text_directive(text: str, start: int, end: int) -> Optional[Directive]:
    """The directive for one passage of `text` (see Passages.directive)."""
    return Passages(text).directive(start, end)


def _candidates(text: str, inner: list, before: list, after: list):
    """Directives for the passage made of the words `inner`, from the shortest: the passage (or
    its first and last words), then with words of context before, after, and on both sides,
    then with longer ends."""
    count = len(inner)
    for size in ([count] if count <= LONG else range(3, count // 2 + 1)):
        core = (_joined(text, inner), "") if size >= count else (_joined(text, inner[:size]), _joined(text, inner[-size:]))
        yield Directive(*core)
        for n in range(1, CONTEXT + 1):
            prefix, suffix = _joined(text, before[-n:]) if before else "", _joined(text, after[:n])
            yield from dict.fromkeys(d for d in (Directive(*core, prefix=prefix), Directive(*core, suffix=suffix),
                                                 Directive(*core, prefix=prefix, suffix=suffix))
                                     if d.prefix or d.suffix)


def _joined(text: str, words: list) -> str:
    """The words, joined by single spaces."""
    return " ".join(text[a:b] for a, b in words)
