"""A seed's text as HTML: paragraphs verbatim and escaped, quoted passages marked, entity mentions linked."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from html import escape
from typing import Sequence

from .quotes import Span

_BREAK = re.compile(r"\n[^\S\n]*\n\s*")
_URL = re.compile(r"^https?://\S+$")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[A-Za-z]")
_SLAVIC = ("ru", "be", "uk", "bg", "sr", "mk")


@dataclass(frozen=True)
class Mark:
    """An annotated passage: highlighted, anchored as `q-<anchor>`, with a marker linking to its box."""

    span: Span
    anchor: str  # fact-x / note-y
    label: str  # 1, 2 … for facts; a, b … for notes
    kind: str  # fact or note
    title: str  # the fact's statement or the note's kind, for the marker's accessible name


@dataclass(frozen=True)
class Ref:
    """A linked entity mention."""

    span: Span
    url: str


def paragraphs(text: str) -> list[Span]:
    """Spans of the non-blank paragraphs of `text`, trimmed of surrounding white space."""
    spans, start = [], 0
    for gap in [*_BREAK.finditer(text), None]:
        end = gap.start() if gap else len(text)
        chunk = text[start:end]
        stripped = chunk.strip()
        if stripped:
            lead = len(chunk) - len(chunk.lstrip())
            spans.append(Span(start + lead, start + lead + len(stripped)))
        start = gap.end() if gap else end
    return spans


def seed_html(text: str, marks: Sequence[Mark], refs: Sequence[Ref], language: str = "en") -> str:
    """The whole seed as a sequence of <p> elements."""
    paras = paragraphs(text)
    return "\n".join(_paragraph(text, p, m, r, language)
                     for p, m, r in zip(paras, _within(marks, paras), _within(refs, paras)))


def _within(items: Sequence, paras: list[Span]) -> list[list]:
    """Each paragraph's items (those wholly inside it), in their given order: found by where they
    start, not by asking every item for every paragraph (10,000 facts in one seed of 10,000
    paragraphs were 10⁸ comparisons)."""
    order = sorted(range(len(items)), key=lambda i: items[i].span.start)
    starts = [items[i].span.start for i in order]
    found = []
    for para in paras:
        inside = order[bisect_left(starts, para.start):bisect_right(starts, para.end)]
        found.append([items[i] for i in sorted(inside) if items[i].span.end <= para.end])
    return found


def _paragraph(text: str, para: Span, marks: list[Mark], refs: list[Ref], language: str) -> str:
    body = text[para.start:para.end]
    if _URL.match(body) and not marks:
        return f'<p class="seed-url"><a href="{escape(body)}" rel="nofollow noopener noreferrer">{escape(body)}</a></p>'
    lang = ' lang="ru"' if language not in _SLAVIC and len(_CYRILLIC.findall(body)) > len(_LATIN.findall(body)) else ""
    points = sorted({para.start, para.end, *(p for m in marks for p in (m.span.start, m.span.end)),
                     *(p for r in refs for p in (r.span.start, r.span.end))})
    out = []
    for a, b in zip(points, points[1:]):
        out += [f'<span class="anchor" id="q-{m.anchor}"></span>' for m in marks if m.span.start == a]
        out.append(_segment(text, a, b, marks, refs))
        out += [_marker(m) for m in marks if m.span.end == b]
    return f'<p{lang}>' + "".join(out) + "</p>"


def _segment(text: str, a: int, b: int, marks: list[Mark], refs: list[Ref]) -> str:
    html = escape(text[a:b]).replace("\n", "<br>\n")
    ref = next((r for r in refs if r.span.start <= a and b <= r.span.end), None)
    if ref is not None:
        html = f'<a class="mention" href="{escape(ref.url)}">{html}</a>'
    covering = [m for m in marks if m.span.start <= a and b <= m.span.end]
    if covering:
        kinds = " ".join(sorted({f"quote-{m.kind}" for m in covering}))
        html = f'<mark class="quote {kinds}" data-for="{" ".join(m.anchor for m in covering)}">{html}</mark>'
    return html


def _marker(mark: Mark) -> str:
    name = escape(f"{'Fact' if mark.kind == 'fact' else 'Note'} {mark.label}: {mark.title}")
    return (f'<sup class="marker marker-{mark.kind}" data-pagefind-ignore><a href="#{mark.anchor}" aria-label="{name}">'
            f'{escape(mark.label)}</a></sup>')
