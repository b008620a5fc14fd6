"""Small inline SVG charts for claims, drawn at build time: bars per source, or values over time.

Readable without colour (every mark carries its value as text; sources differ by shape) and with
a text equivalent (`<title>`, `<desc>`, and the comparison table beside it)."""

from __future__ import annotations

import datetime
from html import escape

from .views import ClaimView, FactView

WIDTH = 640
_SHAPES = ("circle", "square", "triangle", "diamond")


def numeric_rows(view: ClaimView) -> list[FactView]:
    return [r for r in view.rows if isinstance(r.fact.value, (int, float)) and not isinstance(r.fact.value, bool)]


def claim_chart(view: ClaimView, figure) -> str:
    """An SVG chart for the claim's numeric values, or '' when fewer than two can be compared."""
    rows = numeric_rows(view)
    if len(rows) < 2:
        return ""
    if all(r.fact.date for r in rows) and len({r.fact.date for r in rows}) >= 2:
        return _timeline(view, rows, figure)
    return _bars(view, rows, figure)


def _label(row: FactView) -> str:
    return f"{row.outlet}, {_short(row.fact.date) if row.fact.date else 'undated'}"


def _svg(height: int, title: str, desc: str, body: str, ident: str) -> str:
    return (f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" width="100%" role="img" '
            f'aria-labelledby="{ident}-title {ident}-desc" xmlns="http://www.w3.org/2000/svg">'
            f'<title id="{ident}-title">{escape(title)}</title><desc id="{ident}-desc">{escape(desc)}</desc>'
            f"{body}</svg>")


def _describe(rows: list[FactView], figure, unit: str) -> str:
    return "; ".join(f"{_label(r)}: {(r.fact.qualifier + ' ') if r.fact.qualifier else ''}{figure(r.fact.value)}"
                     f"{(' ' + unit) if unit else ''}" for r in rows)


def _bars(view: ClaimView, rows: list[FactView], figure) -> str:
    top = max(abs(float(r.fact.value)) for r in rows) or 1.0
    bar_h, step, left, track = 16, 44, 8, WIDTH - 8 - 150
    parts = []
    for i, row in enumerate(rows):
        y = 8 + i * step
        width = max(1.0, track * abs(float(row.fact.value)) / top)
        text = f"{row.fact.qualifier + ' ' if row.fact.qualifier else ''}{figure(row.fact.value)}"
        parts.append(
            f'<text x="{left}" y="{y + 11}" class="chart-label">{escape(_label(row))}</text>'
            f'<rect x="{left}" y="{y + 17}" width="{width:.1f}" height="{bar_h}" class="chart-bar"/>'
            f'<text x="{left + width + 6:.1f}" y="{y + 29}" class="chart-value">{escape(text)}</text>'
        )
    title = f"{view.claim.title}: the value each source gives"
    return _svg(len(rows) * step + 12, title, _describe(rows, figure, view.claim.unit), "".join(parts),
                f"chart-{view.claim.slug}")


def _timeline(view: ClaimView, rows: list[FactView], figure) -> str:
    """Values over time: one column per date, evenly spaced (the table gives the exact dates)."""
    dates = sorted({r.fact.date for r in rows}, key=_day)
    values = [float(r.fact.value) for r in rows]
    low, high = min(0.0, min(values)), max(values) or 1.0
    outlets = list(dict.fromkeys(r.outlet for r in rows))
    left, right, top, plot_h = 70, 70, 24, 180
    step = (WIDTH - left - right) / max(len(dates) - 1, 1)

    def x(date: str) -> float:
        return left + step * dates.index(date)

    def y(value: float) -> float:
        return top + plot_h * (1 - (value - low) / ((high - low) or 1))

    base = y(low)
    parts = [f'<line x1="{left}" y1="{base:.1f}" x2="{WIDTH - right}" y2="{base:.1f}" class="chart-axis"/>',
             f'<text x="{left - 10}" y="{y(high) + 4:.1f}" text-anchor="end" class="chart-label">{escape(figure(high))}</text>',
             f'<text x="{left - 10}" y="{base + 4:.1f}" text-anchor="end" class="chart-label">{escape(figure(low))}</text>']
    parts += [f'<text x="{x(d):.1f}" y="{base + 18:.1f}" text-anchor="middle" class="chart-label">{_short(d)}</text>'
              for d in dates]
    ordered = sorted(rows, key=lambda r: (_day(r.fact.date), float(r.fact.value)))
    parts.append('<polyline points="' + " ".join(f"{x(r.fact.date):.1f},{y(float(r.fact.value)):.1f}" for r in ordered)
                 + '" class="chart-line"/>')
    for row in ordered:
        cx, cy = x(row.fact.date), y(float(row.fact.value))
        parts.append(_mark(_SHAPES[outlets.index(row.outlet) % len(_SHAPES)], cx, cy))
        text = f"{row.fact.qualifier + ' ' if row.fact.qualifier else ''}{figure(row.fact.value)}"
        parts.append(f'<text x="{cx:.1f}" y="{cy - 10:.1f}" text-anchor="middle" class="chart-value">{escape(text)}</text>')
    legend_top = base + 40
    for i, outlet in enumerate(outlets):
        ly = legend_top + i * 18
        parts.append(_mark(_SHAPES[i % len(_SHAPES)], left + 6, ly - 4)
                     + f'<text x="{left + 18}" y="{ly}" class="chart-label">{escape(outlet)}</text>')
    height = int(legend_top + len(outlets) * 18)
    title = f"{view.claim.title} over time"
    return _svg(height, title, _describe(rows, figure, view.claim.unit), "".join(parts), f"chart-{view.claim.slug}")


def _day(date: str) -> int:
    """A date, month or year as a day number (a month or year at its first day)."""
    parts = [int(p) for p in date.split("-")] + [1, 1]
    return datetime.date(parts[0], parts[1], parts[2]).toordinal()


def _short(date: str) -> str:
    parts = [int(p) for p in date.split("-")]
    day = datetime.date(*(parts + [1, 1])[:3])
    return {3: f"{day.day} {day:%b %Y}", 2: f"{day:%b %Y}", 1: str(day.year)}[len(parts)]


def _mark(shape: str, cx: float, cy: float) -> str:
    if shape == "circle":
        return f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="5" class="chart-dot"/>'
    if shape == "square":
        return f'<rect x="{cx - 4.5:.1f}" y="{cy - 4.5:.1f}" width="9" height="9" class="chart-dot"/>'
    if shape == "triangle":
        return f'<polygon points="{cx:.1f},{cy - 6:.1f} {cx - 6:.1f},{cy + 5:.1f} {cx + 6:.1f},{cy + 5:.1f}" class="chart-dot"/>'
    return f'<polygon points="{cx:.1f},{cy - 6:.1f} {cx + 6:.1f},{cy:.1f} {cx:.1f},{cy + 6:.1f} {cx - 6:.1f},{cy:.1f}" class="chart-dot"/>'
