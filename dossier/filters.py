"""What templates call: display filters, the seed text with its marks, embedded boxes."""

from __future__ import annotations

import datetime
import hashlib
import re
from functools import lru_cache
from html import unescape

from markupsafe import Markup

from .evidence import COUNT_LABELS, STAGE_LABELS, period
from .quotes import Span
from .seedhtml import Mark, Ref, seed_html
from .views import SourceView

_UNITS = {"percent": "%", "per cent": "%"}


_PLACEHOLDER = re.compile(r'<div class="embed" data-embed="([^"]+)">.*?</div>', re.S)


def with_embeds(html: str, embeds, fact_box, note_box) -> Markup:
    """`html` with each `![[…]]` placeholder replaced by the full box, drawn by the page's macros."""
    boxes = dict(embeds)
    count = iter(range(1, 1_000_000))
    # ids inside embedded boxes must differ from those of any other fragment on the same page
    stem = "e" + hashlib.sha1(str(html).encode("utf-8")).hexdigest()[:6] + "-"

    def box(match: re.Match) -> str:
        view = boxes.get(unescape(match.group(1)))
        if view is None:
            return match.group(0)
        draw = fact_box if hasattr(view, "fact") else note_box
        return f'<div class="embed">{draw(view, home=False, prefix=stem + str(next(count)))}</div>'

    return Markup(_PLACEHOLDER.sub(box, str(html)))


def seed_text(view: SourceView, topic_urls: dict[str, str]) -> Markup:
    """The seed of `view` with its facts, notes and entity mentions laid over it."""
    marks = [Mark(f.span, f.anchor, str(f.number), "fact", f.fact.statement) for f in view.facts]
    marks += [Mark(n.span, n.anchor, n.label, "note", f"{n.note.kind} note") for n in view.notes]
    refs = [Ref(_span(m), topic_urls[m.topic]) for m in view.mentions if m.topic in topic_urls]
    return Markup(seed_html(view.seed.text, marks, refs, view.source.language))


def _span(mention) -> Span:
    return Span(mention.start, mention.end)


def longdate(value: str) -> str:
    """2020-08-09 -> 9 August 2020; 2020-08 -> August 2020; 2020 -> 2020; a period
    2020-08-09/2020-08-12 -> 9 August 2020 – 12 August 2020, 2020-08-09/.. -> since 9 August 2020."""
    if not value:
        return ""
    shown = period(value)
    if shown.end:
        return f"since {longdate(shown.start)}" if shown.is_open else f"{longdate(shown.start)} – {longdate(shown.end)}"
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 3:
        day = datetime.date(*parts)
        return f"{day.day} {day:%B %Y}"
    if len(parts) == 2:
        return f"{datetime.date(parts[0], parts[1], 1):%B %Y}"
    return str(parts[0])


@lru_cache(maxsize=4096)
def when(value: str) -> Markup:
    """A date or period as `<time>` elements (a machine-readable date each), as longdate reads
    (a dossier has few distinct dates: each is written out once)."""
    shown = period(value)
    start = _time(shown.start)
    if shown.is_open:
        return Markup("since ") + start
    return start + Markup(" – ") + _time(shown.end) if shown.end else start


def _time(date: str) -> Markup:
    return Markup('<time datetime="{}">{}</time>').format(date, longdate(date))


def counted(count: str) -> str:
    """point -> at one time; daily -> per day or night; cumulative -> running total."""
    return COUNT_LABELS[count]


def stage_text(stage: str) -> str:
    """partial -> partial count; preliminary -> preliminary result; final -> final result."""
    return STAGE_LABELS[stage]


def isotime(value: str) -> str:
    """A date (YYYY, YYYY-MM or YYYY-MM-DD) as an RFC 3339 timestamp at midnight UTC."""
    parts = (value.split("-") + ["01", "01"])[:3]
    return f"{parts[0]}-{parts[1]}-{parts[2]}T00:00:00Z"


def figure(number) -> str:
    """6700 -> 6,700; 80.08 -> 80.08."""
    if isinstance(number, bool) or not isinstance(number, (int, float)):
        return str(number)
    if isinstance(number, float) and number.is_integer():
        number = int(number)
    return f"{number:,}"


def value_text(fact) -> str:
    """The fact's value as a reader says it: 'about 3,000 people', '80.08 %'."""
    if fact.value is None and fact.low is None:
        return ""
    unit = _UNITS.get(fact.unit, fact.unit)
    span = f"{figure(fact.low)}–{figure(fact.high)}" if fact.low is not None else ""
    number = figure(fact.value) if fact.value is not None else span
    text = f"{number}\u202f{unit}" if unit == "%" else f"{number} {unit}".strip()
    if span and fact.value is not None:
        text += f" (range {span})"
    return f"{fact.qualifier} {text}".strip()


def plural(count: int, one: str, many: str = "") -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"
