"""Small inline SVG charts for claims, drawn at build time: bars per source, or values over time.

Over time, each series (one place and kind of count) is a line of its own with its own legend
entry, on an axis where distance is proportional to time; a value for a period is drawn as a span
from its first day to its last, a range as a whisker from its low bound to its high one.
Readable without colour (every mark carries its value as text; sources differ by shape, series by
the dashes of their line) and with a text equivalent (`<title>`, `<desc>`, and the comparison
table beside it)."""

from __future__ import annotations

import datetime
from html import escape
from typing import Optional

from .compare import number, numeric
from .evidence import STAGE_LABELS, period
from .views import ClaimView, FactView

WIDTH = 640
_SHAPES = ("circle", "square", "triangle", "diamond")
_ELEMENTS = {"circle": "circle", "square": "rect", "triangle": "polygon", "diamond": "polygon"}
_LEFT, _RIGHT, _TOP, _PLOT_H = 70, 70, 24, 180
_CHAR = 6.5  # the width of a label's character, about, at the chart's font size


def numeric_rows(view: ClaimView) -> list[FactView]:
    return [r for r in view.rows if numeric(r.fact)]


def claim_chart(view: ClaimView, figure) -> str:
    """An SVG chart for the claim's numeric values, or '' when fewer than two can be compared."""
    rows = numeric_rows(view)
    if len(rows) < 2:
        return ""
    if all(r.measure.dated for r in rows) and len({(r.measure.first, r.measure.last) for r in rows}) >= 2:
        return _timeline(view, rows, figure)
    return _bars(view, rows, figure)


def _value(row: FactView) -> float:
    """Where a value is drawn: the value, or a range's middle."""
    return float(number(row.fact))


def _stated(row: FactView, figure) -> str:
    """The value as its source states it: qualifier, value or range."""
    fact = row.fact
    shown = figure(fact.value) if fact.value is not None else f"{figure(fact.low)}–{figure(fact.high)}"
    return f"{fact.qualifier + ' ' if fact.qualifier else ''}{shown}"


def _label(row: FactView) -> str:
    return f"{row.outlet}, {_when(row.fact.date) if row.fact.date else 'undated'}"


def _svg(height: int, title: str, desc: str, body: str, ident: str) -> str:
    return (f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" width="100%" role="img" '
            f'aria-labelledby="{ident}-title {ident}-desc" xmlns="http://www.w3.org/2000/svg">'
            f'<title id="{ident}-title">{escape(title)}</title><desc id="{ident}-desc">{escape(desc)}</desc>'
            f"{body}</svg>")


def _describe(rows: list[FactView], figure, unit: str, labels: dict) -> str:
    """One entry per value: its source and date, its series when there are several, the value."""
    several = len(set(labels.values())) > 1
    return "; ".join(f"{_label(r)}{' (' + labels[r.measure.series] + ')' if several else ''}: "
                     f"{_stated(r, figure)}{(' ' + unit) if unit else ''}" for r in rows)


def _series_labels(view: ClaimView) -> dict:
    return {(s.scope, s.count): s.label for s in view.series}


def _bars(view: ClaimView, rows: list[FactView], figure) -> str:
    top = max(abs(_value(r)) for r in rows) or 1.0
    bar_h, step, left, track = 16, 44, 8, WIDTH - 8 - 150
    labels = _series_labels(view)
    several = len(set(labels.values())) > 1
    parts = []
    for i, row in enumerate(rows):
        y = 8 + i * step
        width = max(1.0, track * abs(_value(row)) / top)
        label = (_label(row) + (f" · {labels[row.measure.series]}" if several else "")
                 + (f" · {STAGE_LABELS[row.fact.stage]}" if row.fact.stage else ""))
        parts.append(
            f'<text x="{left}" y="{y + 11}" class="chart-label">{escape(label)}</text>'
            f'<rect x="{left}" y="{y + 17}" width="{width:.1f}" height="{bar_h}" class="chart-bar"/>'
            f'<text x="{left + width + 6:.1f}" y="{y + 29}" class="chart-value">{escape(_stated(row, figure))}</text>'
        )
    title = f"{view.claim.title}: the value each source gives"
    return _svg(len(rows) * step + 12, title, _describe(rows, figure, view.claim.unit, labels), "".join(parts),
                f"chart-{view.claim.slug}")


class _Plot:
    """The plot's scales: days to x, proportional to time; values to y, from zero (or below)."""

    def __init__(self, rows: list[FactView]):
        self.start = min(r.measure.first for r in rows)
        self.days = max(max(r.measure.last for r in rows) - self.start, 1)
        values = [v for r in rows for v in (_value(r), *_whisker(r))]
        self.low, self.high = min(0.0, min(values)), max(values) or 1.0

    def x(self, day: float) -> float:
        return _LEFT + (WIDTH - _LEFT - _RIGHT) * (day - self.start) / self.days

    def y(self, value: float) -> float:
        return _TOP + _PLOT_H * (1 - (value - self.low) / ((self.high - self.low) or 1))


def _whisker(row: FactView) -> tuple[float, ...]:
    """A range's low and high bound, or nothing."""
    return (float(row.fact.low), float(row.fact.high)) if row.fact.low is not None else ()


def _day(row: FactView) -> float:
    """Where a value stands in time: a day's value on its day; a period's at its end for a running
    total (the total as of then), else in its middle."""
    first, last = row.measure.first, row.measure.last
    return float(last) if row.measure.kind == "cumulative" else (first + last) / 2


def _timeline(view: ClaimView, rows: list[FactView], figure) -> str:
    """Values over time: one line per series, on an axis proportional to time."""
    plot = _Plot(rows)
    labels = _series_labels(view)
    outlets = list(dict.fromkeys(r.outlet for r in rows))
    base = plot.y(plot.low)
    parts = [f'<line x1="{_LEFT}" y1="{base:.1f}" x2="{WIDTH - _RIGHT}" y2="{base:.1f}" class="chart-axis"/>',
             f'<text x="{_LEFT - 10}" y="{plot.y(plot.high) + 4:.1f}" text-anchor="end" class="chart-label">{escape(figure(plot.high))}</text>',
             f'<text x="{_LEFT - 10}" y="{base + 4:.1f}" text-anchor="end" class="chart-label">{escape(figure(plot.low))}</text>']
    parts += _date_labels(rows, plot, base)
    ordered = sorted(rows, key=lambda r: (_day(r), _value(r)))
    keys = list(labels)
    for i, series in enumerate(keys):
        points = " ".join(f"{plot.x(_day(r)):.1f},{plot.y(_value(r)):.1f}" for r in ordered if r.measure.series == series)
        if points:
            parts.append(f'<polyline points="{points}" class="chart-line chart-series-{i % 4 + 1}"/>')
    placed: dict[int, list] = {}  # the boxes of the value texts drawn, by the strips of the x axis they cross
    for row in ordered:
        parts += _marks(row, plot, _SHAPES[outlets.index(row.outlet) % len(_SHAPES)], figure, placed)
    legend_top = base + 40
    parts += _legend(outlets, [labels[k] for k in keys], legend_top)
    height = int(legend_top + (len(outlets) + (len(keys) if len(keys) > 1 else 0)) * 18)
    title = f"{view.claim.title} over time"
    return _svg(height, title, _describe(rows, figure, view.claim.unit, labels), "".join(parts),
                f"chart-{view.claim.slug}")


def _marks(row: FactView, plot: _Plot, shape: str, figure, placed: dict) -> list[str]:
    """A value's span in time (for a period), its range (a whisker), its mark (titled with the
    value, its source and date) and its text, where the texts drawn so far leave room for it."""
    cx, cy = plot.x(_day(row)), plot.y(_value(row))
    text = _stated(row, figure)
    found = []
    if row.measure.first != row.measure.last:
        found.append(f'<line x1="{plot.x(row.measure.first):.1f}" y1="{cy:.1f}" x2="{plot.x(row.measure.last):.1f}" '
                     f'y2="{cy:.1f}" class="chart-span"/>')
    if row.fact.low is not None:
        low, high = _whisker(row)
        found.append(f'<line x1="{cx:.1f}" y1="{plot.y(low):.1f}" x2="{cx:.1f}" y2="{plot.y(high):.1f}" class="chart-range"/>')
    found.append(_mark(shape, cx, cy, f"{_label(row)}: {text}"))
    y = _room(cx, cy, text, placed)
    if y is not None:
        found.append(f'<text x="{cx:.1f}" y="{y:.1f}" text-anchor="middle" class="chart-value">{escape(text)}</text>')
    return found


_STRIP = 40.0  # px: placed boxes are found by the strips of the x axis they cross


def _room(cx: float, cy: float, text: str, placed: dict) -> Optional[float]:
    """The baseline for a value's text above or below its mark that overlaps no text placed yet
    (then placed), or None when values crowd so closely in time that there is none."""
    half = len(text) * _CHAR / 2
    strips = range(int((cx - half) // _STRIP), int((cx + half) // _STRIP) + 1)
    near = [b for n in strips for b in placed.get(n, ())]
    for y in (cy - 10, cy + 20, cy - 24, cy + 34, cy - 38):
        box = (cx - half, y - 11, cx + half, y + 2)
        if 0 <= box[1] and y <= _TOP + _PLOT_H and not any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in near):
            for n in strips:
                placed.setdefault(n, []).append(box)
            return y
    return None


def _date_labels(rows: list[FactView], plot: _Plot, base: float) -> list[str]:
    """The dates under the axis, where each value stands, left to right; a label that would run
    into the one before it is left out (the table gives every date), but the first and, room
    permitting, the last are always shown."""
    at = sorted({(_day(r), _axis_label(r)) for r in rows})
    kept: list[tuple[float, str]] = []
    for item in at:
        if kept and _crowded(plot, kept[-1], item):
            if item != at[-1]:
                continue
            while len(kept) > 1 and _crowded(plot, kept[-1], item):
                kept.pop()
            if _crowded(plot, kept[-1], item):
                continue
        kept.append(item)
    return [f'<text x="{plot.x(day):.1f}" y="{base + 18:.1f}" text-anchor="middle" class="chart-label">{escape(text)}</text>'
            for day, text in kept]


def _axis_label(row: FactView) -> str:
    """The date under a value: its date or period; for a running total over a period, the day
    it stands at (its last: 20 Jan 2021 for `2020-08-09/..` reported then)."""
    if row.measure.kind == "cumulative" and period(row.fact.date).end:
        day = datetime.date.fromordinal(row.measure.last)
        return f"{day.day} {day:%b %Y}"
    return _when(row.fact.date)


def _crowded(plot: _Plot, a: tuple[float, str], b: tuple[float, str]) -> bool:
    return plot.x(b[0]) - plot.x(a[0]) < (len(a[1]) + len(b[1])) * _CHAR / 2 + 8


def _legend(outlets: list[str], series: list[str], top: float) -> list[str]:
    """A legend entry per source (its shape) and, when there are several, per series (its line)."""
    parts = []
    for i, outlet in enumerate(outlets):
        ly = top + i * 18
        parts.append(_mark(_SHAPES[i % len(_SHAPES)], _LEFT + 6, ly - 4)
                     + f'<text x="{_LEFT + 18}" y="{ly}" class="chart-label">{escape(outlet)}</text>')
    if len(series) > 1:
        for i, label in enumerate(series):
            ly = top + (len(outlets) + i) * 18
            parts.append(f'<g class="chart-legend-series"><line x1="{_LEFT}" y1="{ly - 4}" x2="{_LEFT + 14}" '
                         f'y2="{ly - 4}" class="chart-line chart-series-{i % 4 + 1}"/>'
                         f'<text x="{_LEFT + 18}" y="{ly}" class="chart-label">{escape(label)}</text></g>')
    return parts


def _when(date: str) -> str:
    """A date or period, short: 10 Aug 2020, Jan 2021, 9 Aug 2020–12 Aug 2020, since 9 Aug 2020."""
    shown = period(date)
    if shown.is_open:
        return f"since {_short(shown.start)}"
    return f"{_short(shown.start)}–{_short(shown.end)}" if shown.end else _short(shown.start)


def _short(date: str) -> str:
    parts = [int(p) for p in date.split("-")]
    day = datetime.date(*(parts + [1, 1])[:3])
    return {3: f"{day.day} {day:%b %Y}", 2: f"{day:%b %Y}", 1: str(day.year)}[len(parts)]


def _mark(shape: str, cx: float, cy: float, title: str = "") -> str:
    """A source's mark; with `title`, what a pointer over it shows."""
    end = f"><title>{escape(title)}</title></{_ELEMENTS[shape]}>" if title else "/>"
    if shape == "circle":
        return f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="5" class="chart-dot"{end}'
    if shape == "square":
        return f'<rect x="{cx - 4.5:.1f}" y="{cy - 4.5:.1f}" width="9" height="9" class="chart-dot"{end}'
    if shape == "triangle":
        return f'<polygon points="{cx:.1f},{cy - 6:.1f} {cx - 6:.1f},{cy + 5:.1f} {cx + 6:.1f},{cy + 5:.1f}" class="chart-dot"{end}'
    return f'<polygon points="{cx:.1f},{cy - 6:.1f} {cx + 6:.1f},{cy:.1f} {cx:.1f},{cy + 6:.1f} {cx - 6:.1f},{cy:.1f}" class="chart-dot"{end}'
