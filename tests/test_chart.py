"""Claim pages: the inline SVG chart (bars for one date, a line over several dates) with its text
equivalent, and the disagreement flags of the comparison table."""

from __future__ import annotations

import datetime
import re

import pytest

from tests import tiny
from tests.helpers import parse

OUTLETS = {"alpha": "Alpha News", "bravo": "Bravo Post", "charlie": "Charlie Times", "delta": "Delta Radio"}

# source -> [(fact id, claim, value, date)]
FACTS = {
    "alpha": [("rally-6700", "rally-size", 6700, "2020-08-16"),
              ("det-0812", "detained", 1000, "2020-08-12"),
              ("det-0814", "detained", 6700, "2020-08-14"),
              ("vote-80", "vote", 80, "2020-08-09"),
              ("lone-5", "lone", 5, "2020-08-09"),
              ("four-a", "four", 100, "2020-08-09"),
              ("three-a", "three", 100, "2020-08-09")],
    "bravo": [("rally-2500", "rally-size", 2500, "2020-08-16"),
              ("det-0810", "detained", 3000, "2020-08-10"),
              ("vote-8008", "vote", 80.08, "2020-08-09"),
              ("four-b", "four", 100, "2020-08-09"),
              ("three-b", "three", 100, "2020-08-09")],
    "charlie": [("det-2101", "detained", 30000, "2021-01"),
                ("det-0814c", "detained", 6000, "2020-08-14"),
                ("four-c", "four", 100, "2020-08-09"),
                ("three-c", "three", 500, "2020-08-09")],
    "delta": [("four-d", "four", 500, "2020-08-09")],
}
CLAIMS = {
    "rally-size": {"title": "Size of the rally", "unit": "people"},
    "detained": {"title": "People detained", "unit": "people"},
    "vote": {"title": "Share of the vote", "unit": "percent"},
    "lone": {"title": "A lone figure", "unit": "people"},
    "four": {"title": "Four sources, one odd", "unit": "people"},
    "three": {"title": "Three sources, one odd", "unit": "people"},
}


def _quote(fid: str, value) -> str:
    return f"Report {fid} gives the figure {value}"


def _project() -> dict:
    seeds, sources = {}, {}
    for i, (slug, facts) in enumerate(FACTS.items()):
        name = f"00{i}_{slug}.txt"
        seeds[name] = "\n\n".join(_quote(fid, value) + "." for fid, _, value, _ in facts) + "\n"
        sources[slug] = tiny.source_md(
            name, title=f"Report by {OUTLETS[slug]}", outlet=OUTLETS[slug],
            facts=[tiny.fact(fid, _quote(fid, value), claim=claim, value=value, unit=CLAIMS[claim]["unit"], date=date)
                   for fid, claim, value, date in facts])
    index = "Sources: " + ", ".join(f"[[{s}]]" for s in FACTS) + ".\n"
    return tiny.files(seeds, sources, claims=CLAIMS, index=index)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tiny.write(tmp_path_factory.mktemp("chart"), _project())
    code, _, err, out = tiny.build(root)
    assert code == 0, err
    return out


def claim_page(site, slug):
    return parse(site / "claims" / slug / "index.html")


def the_chart(page):
    charts = page.select("svg.chart")
    assert len(charts) == 1
    return charts[0]


def _figure(value) -> str:
    return f"{value:,}"


def _lists(text: str, figure: str) -> bool:
    return re.search(rf"(?<![\d.,]){re.escape(figure)}(?![\d]|[.,]\d)", text) is not None


def _assert_accessible(chart, claim_title: str, rows) -> None:
    assert chart["role"] == "img"
    title, desc = chart.find("title"), chart.find("desc")
    assert title is not None and desc is not None
    assert claim_title in title.get_text()
    labelled = chart["aria-labelledby"].split()
    assert title["id"] in labelled and desc["id"] in labelled
    text = desc.get_text()
    entries = [e for e in re.split(r";\s*", text) if e.strip()]
    assert len(entries) == len(rows), text
    for outlet, value in rows:  # each value, with the source that gives it, in one entry
        assert any(outlet in e and _lists(e, _figure(value)) for e in entries), (outlet, value, text)


def _rows(claim):
    return [(OUTLETS[slug], value, date) for slug, facts in FACTS.items()
            for _, c, value, date in facts if c == claim]


def test_bar_chart_for_values_at_one_date(site):
    chart = the_chart(claim_page(site, "rally-size"))
    rows = _rows("rally-size")
    _assert_accessible(chart, "Size of the rally", [(o, v) for o, v, _ in rows])
    assert chart.find("polyline") is None
    assert len(chart.select("rect.chart-bar")) == len(rows)
    assert sorted(t.get_text() for t in chart.select("text.chart-value")) == sorted(_figure(v) for _, v, _ in rows)


def _day(label: str) -> datetime.date:
    """A date label as drawn on the chart ('10 Aug 2020', 'Jan 2021', '2021')."""
    if re.fullmatch(r"(19|20)\d\d", label):
        return datetime.date(int(label), 1, 1)
    for fmt in ("%d %b %Y", "%d %B %Y", "%b %Y", "%B %Y"):
        try:
            return datetime.datetime.strptime(label, fmt).date()
        except ValueError:
            pass
    raise ValueError(label)


def _is_date(label: str) -> bool:
    try:
        _day(label)
    except ValueError:
        return False
    return True


def test_line_chart_for_values_at_several_dates(site):
    chart = the_chart(claim_page(site, "detained"))
    rows = _rows("detained")
    _assert_accessible(chart, "People detained", [(o, v) for o, v, _ in rows])
    lines = chart.find_all("polyline")
    assert len(lines) == 1
    points = [tuple(map(float, p.split(","))) for p in lines[0]["points"].split()]
    assert len(points) == len(rows)  # one mark per value, not per date
    xs = [x for x, _ in points]
    assert xs == sorted(xs)
    # the largest value is drawn highest (smallest y), the smallest lowest
    ordered = sorted(rows, key=lambda r: (_day(_label_of(r[2])), r[1]))
    ys = {value: y for (_, value, _), (_, y) in zip(ordered, points)}
    assert min(ys, key=ys.get) == max(v for _, v, _ in rows)
    assert max(ys, key=ys.get) == min(v for _, v, _ in rows)
    values = [t.get_text() for t in chart.select("text.chart-value")]
    assert set(values) <= {_figure(v) for _, v, _ in rows}  # (a value crowded out is in the table)
    # distance is proportional to time: a day's value stands at its day, a month's in its middle
    middles = [_middle(date) for _, _, date in ordered]
    scale = (xs[-1] - xs[0]) / (middles[-1] - middles[0])
    for x, middle in zip(xs, middles):
        assert x == pytest.approx(xs[0] + scale * (middle - middles[0]), abs=0.1)
    labels = [t for t in chart.find_all("text") if _is_date(t.get_text().strip())]
    days = [_day(t.get_text().strip()) for t in labels]
    expected = sorted({_day(_label_of(d)) for _, _, d in rows})
    assert days == sorted(days) and set(days) <= set(expected)
    assert days[0] == expected[0] and days[-1] == expected[-1]  # the first and last dates are named
    label_xs = [float(t["x"]) for t in labels]
    assert len(set(label_xs)) == len(label_xs) and set(label_xs) <= set(xs)  # each under its values


def _middle(date: str) -> float:
    """The middle of the days a date covers, as a day number: 2021-01 -> 16 January 2021."""
    parts = [int(p) for p in date.split("-")]
    if len(parts) == 3:
        return datetime.date(*parts).toordinal()
    first = datetime.date(parts[0], parts[1], 1)
    last = (first.replace(day=28) + datetime.timedelta(days=4)).replace(day=1) - datetime.timedelta(days=1)
    return (first.toordinal() + last.toordinal()) / 2


def _label_of(date: str) -> str:
    """An ISO date as a label _day() reads: 2020-08-10 -> '10 Aug 2020', 2021-01 -> 'Jan 2021'."""
    parts = [int(p) for p in date.split("-")]
    day = datetime.date(*(parts + [1, 1])[:3])
    return {3: f"{day.day} {day:%b %Y}", 2: f"{day:%b %Y}", 1: str(day.year)}[len(parts)]


def test_one_value_draws_no_chart(site):
    page = claim_page(site, "lone")
    assert page.find("svg") is None
    assert len(page.select("table.comparison tbody tr:not(.group-head)")) == 1


def _value_rows(page):
    return [tr for tr in page.select("table.comparison tbody tr") if "group-head" not in (tr.get("class") or [])]


def _outlet(tr) -> str:
    return tr.find("td").get_text(strip=True)


@pytest.mark.parametrize("claim, odd", [("four", "Delta Radio"), ("three", "Charlie Times")])
def test_outlier_rows_are_flagged_in_text(site, claim, odd):
    page = claim_page(site, claim)
    rows = _value_rows(page)
    assert len(rows) == len(_rows(claim))
    flagged = [_outlet(tr) for tr in rows if "outlier" in (tr.get("class") or [])]
    assert flagged == [odd]
    for tr in rows:
        says = "(differs from most sources)" in " ".join(tr.get_text(" ").split())
        assert says == (_outlet(tr) == odd), _outlet(tr)
    group = page.select_one("table.comparison tbody")
    assert "group-disputed" in group["class"]
    assert page.select_one("tr.group-head .flag-disputed") is not None


def test_agreeing_values_are_not_flagged(site):
    page = claim_page(site, "vote")
    rows = _value_rows(page)
    assert {r.select_one("td.num").get_text(" ", strip=True) for r in rows} == {"80\u202f%", "80.08\u202f%"}
    assert page.select(".flag-disputed") == []
    assert page.select("tr.outlier") == []
    assert all("group-disputed" not in tb["class"] for tb in page.select("table.comparison tbody"))
    assert page.select_one("tr.group-head .flag-agree") is not None
    assert "(differs from most sources)" not in page.get_text()


def test_disagreeing_dates_are_flagged_on_the_claim_page(site):
    """Control for the test above: two values for one date that do not agree are flagged."""
    page = claim_page(site, "detained")
    disputed = page.select("table.comparison tbody.group-disputed")
    assert len(disputed) == 1
    assert [t["datetime"] for t in disputed[0].select("time")] == ["2020-08-14", "2020-08-14"]
