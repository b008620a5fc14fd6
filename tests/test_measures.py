"""What a figure measures, on the built site of a tiny dossier: claim pages compare only like with
like (one series per place and kind of count, stages of one count not a disagreement, a claim with
nothing comparable says so), the chart draws each series as its own line on a time axis
proportional to time, fact boxes and the timeline show the new fields, the exports carry them."""

from __future__ import annotations

import csv
import datetime
import io
import json
import re

import pytest
from jsonschema import Draft202012Validator

from tests import tiny
from tests.helpers import parse

OUTLETS = {"rt": "RT", "cec": "Rambler", "cnn": "CNN", "rferl": "RFE/RL"}
PUBLISHED = {"rt": "2020-08-09", "cec": "2020-08-11", "cnn": "2020-08-14", "rferl": "2021-01-20"}

# source -> [(fact id, fields)]
FACTS = {
    "rt": [
        ("vote-rt", dict(claim="vote", value=81.35, unit="percent", date="2020-08-09", reported="2020-08-09",
                         stage="partial")),
        ("det-night-1", dict(claim="detained", value=3000, qualifier="about", unit="people", date="2020-08-09")),
        ("ctl-rt", dict(claim="vote-control", value=81.35, unit="percent", date="2020-08-09")),
        ("far-minsk", dict(claim="apart", value=100, unit="people", date="2020-08-09", scope="minsk")),
        ("fair-rt", dict(claim="fair", date="2020-08-09")),
    ],
    "cec": [
        ("vote-cec", dict(claim="vote", value=80.08, unit="percent", date="2020-08-09", reported="2020-08-10",
                          stage="preliminary")),
        ("det-night-2", dict(claim="detained", value=2000, qualifier="about", unit="people", date="2020-08-10")),
        ("det-night-3", dict(claim="detained", value=1000, qualifier="more than", unit="people", date="2020-08-11")),
        ("ctl-cec", dict(claim="vote-control", value=80.08, unit="percent", date="2020-08-09")),
    ],
    "cnn": [
        ("vote-cnn", dict(claim="vote", value=80.1, unit="percent", date="2020-08-09", reported="2020-08-14")),
        ("det-total", dict(claim="detained", value=6700, unit="people", date="2020-08-09/..", reported="2020-08-14",
                           count="cumulative")),
        ("crowd-minsk", dict(claim="crowd", value=150000, unit="people", date="2020-08-16")),
        ("far-national", dict(claim="apart", value=5000, unit="people", date="2020-08-09", scope="national")),
        ("marches", dict(value=30, unit="marches", date="2020-08-09/2020-08-12")),
        ("fair-cnn", dict(claim="fair", date="2020-08-09")),
    ],
    "rferl": [
        ("det-total-2", dict(claim="detained", value=30000, qualifier="more than", unit="people",
                             date="2020-08-09/..", count="cumulative")),  # up to the day RFE/RL published it
        ("crowd-up-to", dict(claim="crowd", value=200000, qualifier="up to", unit="people", date="2020-08-16")),
        ("crowd-national", dict(claim="crowd", low=100000, high=300000, unit="people", date="2020-08-16",
                                scope="national")),
    ],
}
CLAIMS = {
    "vote": {"title": "Share of the vote", "unit": "percent"},
    "vote-control": {"title": "Share of the vote, stages not stated", "unit": "percent"},
    "detained": {"title": "People detained", "unit": "people", "count": "daily"},
    "crowd": {"title": "Size of the protest", "unit": "people", "scope": "minsk"},
    "apart": {"title": "Two places", "unit": "people"},
    "fair": {"title": "Was the vote free and fair?"},
}
TOPICS = {"minsk": tiny.topic_md("Minsk", "The capital.", kind="place")}


def _quote(fid: str) -> str:
    return f"The report {fid} gives its figure"


def _project() -> dict:
    seeds, sources = {}, {}
    for i, (slug, facts) in enumerate(FACTS.items()):
        name = f"00{i}_{slug}.txt"
        seeds[name] = "\n\n".join(_quote(fid) + "." for fid, _ in facts) + "\n"
        sources[slug] = tiny.source_md(name, title=f"Report by {OUTLETS[slug]}", outlet=OUTLETS[slug],
                                       published=PUBLISHED[slug],
                                       facts=[tiny.fact(fid, _quote(fid), **fields) for fid, fields in facts])
    return tiny.files(seeds, sources, topics=TOPICS, claims=CLAIMS,
                      index="Sources: " + ", ".join(f"[[{s}]]" for s in FACTS) + ".\n")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tiny.write(tmp_path_factory.mktemp("measures"), _project())
    code, _, err, out = tiny.build(root, "--no-search")
    assert code == 0, err
    return out


def claim_page(site, slug):
    return parse(site / "claims" / slug / "index.html")


def words(node) -> str:
    return " ".join(node.get_text().split())


def value_rows(node):
    return [tr for tr in node.select("table.comparison tbody tr") if "group-head" not in (tr.get("class") or [])]


def outlet(tr) -> str:
    return tr.find("td").get_text(strip=True)


# -- stages of one count ---------------------------------------------------------------------------

def test_stages_of_one_count_are_not_a_disagreement(site):
    page = claim_page(site, "vote")
    assert page.select(".flag-disputed") == []
    verdict = page.select_one("p.verdict")
    assert verdict.select_one(".flag-stages").get_text() == "Stages of one count"
    [group] = page.select("table.comparison tbody")
    assert "group-disputed" not in group["class"]
    assert "stages of one count: partial count → preliminary result" in words(group.select_one("tr.group-head"))
    rows = value_rows(page)
    assert [outlet(tr) for tr in rows] == ["RT", "Rambler", "CNN"]  # the earliest stage first
    superseded = [outlet(tr) for tr in rows if "superseded" in (tr.get("class") or [])]
    assert superseded == ["RT"]
    assert words(rows[0].select_one("td.num .stage")) == "(partial count, superseded)"
    assert words(rows[1].select_one("td.num .stage")) == "(preliminary result)"
    assert rows[2].select_one("td.num .stage") is None
    reported = [tr.select_one("span.reported time")["datetime"] for tr in rows]
    assert reported == ["2020-08-09", "2020-08-10", "2020-08-14"]
    bars = [words(t) for t in page.select("svg.chart text.chart-label")]  # one date: bars, each stage named
    assert bars == ["RT, 9 Aug 2020 · partial count", "Rambler, 9 Aug 2020 · preliminary result", "CNN, 9 Aug 2020"]


def test_the_same_values_with_no_stage_disagree(site):
    """Control for the test above."""
    page = claim_page(site, "vote-control")
    assert page.select_one("p.verdict .flag-disputed").get_text() == "Sources disagree"
    assert page.select(".flag-stages") == []


# -- kinds of count: one series each ---------------------------------------------------------------

def test_per_night_counts_and_running_totals_are_two_series(site):
    page = claim_page(site, "detained")
    assert page.select(".flag-disputed") == []
    sections = page.select("section.series")
    assert [words(s.find("h2")) for s in sections] == ["Per day or night", "Running total"]
    assert [[outlet(tr) for tr in value_rows(s)] for s in sections] == [["RT", "Rambler", "Rambler"], ["CNN", "RFE/RL"]]
    for section in sections:
        assert len(section.select("table.comparison")) == 1
        assert words(section.find("caption")).startswith(words(section.find("h2")) + ":")
    assert "2 different things" in words(page.select_one("p.series-note"))
    assert page.select_one("p.verdict .flag-series") is not None


def test_a_claim_answered_in_words_says_so_rather_than_that_sources_agree(site):
    page = claim_page(site, "fair")
    verdict = words(page.select_one("p.verdict"))
    assert verdict.startswith("Answers in words") and "agree" not in verdict
    assert [outlet(tr) for tr in value_rows(page)] == ["CNN", "RT"]  # (one day: by source)


def _day(iso: str) -> int:
    return datetime.date.fromisoformat(iso).toordinal()


def test_each_series_is_a_line_of_its_own_on_an_axis_proportional_to_time(site):
    chart = claim_page(site, "detained").select_one("svg.chart")
    lines = chart.select("polyline.chart-line")
    assert len(lines) == 2
    points = [[tuple(map(float, p.split(","))) for p in line["points"].split()] for line in lines]
    assert [len(p) for p in points] == [3, 2]
    # the nights at their day; a running total at the end of its period (the day it was reported)
    days = [[_day("2020-08-09"), _day("2020-08-10"), _day("2020-08-11")], [_day("2020-08-14"), _day("2021-01-20")]]
    xs = [x for series in points for x, _ in series]
    ds = [d for series in days for d in series]
    scale = (xs[-1] - xs[0]) / (ds[-1] - ds[0])
    for x, d in zip(xs, ds):
        assert x == pytest.approx(xs[0] + scale * (d - ds[0]), abs=0.1)
    legend = chart.select("g.chart-legend-series")
    assert [words(g) for g in legend] == ["Per day or night", "Running total"]
    assert [g.find("line")["class"][-1] for g in legend] == [line["class"][-1] for line in lines]
    assert len(set(line["class"][-1] for line in lines)) == 2  # drawn differently
    assert len(chart.select("line.chart-span")) == 2  # the two running totals, as spans from 9 August


def test_running_totals_since_one_day_are_compared_up_to_the_day_each_was_reported(site):
    """Two totals "since the election" reported months apart count different periods: two groups,
    each headed by the period it covers, and the chart names the day each total stands at."""
    page = claim_page(site, "detained")
    totals = page.select("section.series")[1]
    heads = [words(tr) for tr in totals.select("tr.group-head")]
    assert heads == ["9 August 2020 – 14 August 2020", "9 August 2020 – 20 January 2021"]
    labels = [words(t) for t in page.select("svg.chart text.chart-label")]
    assert "20 Jan 2021" in labels and "since 9 Aug 2020" not in labels


def test_a_series_line_never_joins_two_kinds_of_count(site):
    """The values of one line are all of one kind: the nightly figures never meet the totals."""
    chart = claim_page(site, "detained").select_one("svg.chart")
    values = {words(t) for t in chart.select("text.chart-value")}
    assert "6,700" in values or "more than 30,000" in values
    top = [max(float(p.split(",")[1]) for p in line["points"].split()) for line in chart.select("polyline")]
    bottom = [min(float(p.split(",")[1]) for p in line["points"].split()) for line in chart.select("polyline")]
    assert bottom[1] < top[0]  # (y grows downwards) every total is drawn above every night


# -- scopes ------------------------------------------------------------------------------------------

def test_a_crowd_in_one_city_is_not_compared_with_the_country(site):
    page = claim_page(site, "crowd")
    assert page.select(".flag-disputed") == []
    sections = page.select("section.series")
    assert [words(s.find("h2")) for s in sections] == ["Minsk", "The whole country"]
    minsk = sections[0]
    assert sorted(outlet(tr) for tr in value_rows(minsk)) == ["CNN", "RFE/RL"]
    assert minsk.select_one("tr.group-head .flag-agree") is not None  # "up to 200,000" fits 150,000
    assert [words(tr.select_one("td.num")) for tr in value_rows(sections[1])] == ["100,000–300,000 people"]


def test_a_claim_with_nothing_comparable_says_so(site):
    page = claim_page(site, "apart")
    verdict = page.select_one("p.verdict")
    assert verdict.select_one(".flag-apart").get_text() == "Nothing to compare"
    assert "no two values count the same place and kind of count" in words(verdict)
    assert page.select(".flag-agree, .flag-disputed") == []


# -- fact boxes, timeline ----------------------------------------------------------------------------

def fact_data(site, source: str, fid: str) -> dict:
    box = parse(site / "sources" / source / "index.html").find(id=f"fact-{fid}")
    return {words(div.find("dt")): div.find("dd") for div in box.select("dl.fact-data > div")}


def test_a_fact_box_shows_what_the_figure_measures(site):
    data = fact_data(site, "cnn", "det-total")
    assert words(data["Refers to"]) == "since 9 August 2020"
    assert [t["datetime"] for t in data["Refers to"].find_all("time")] == ["2020-08-09"]
    assert words(data["Reported"]) == "14 August 2020"
    assert words(data["Kind of count"]) == "running total"
    assert "Counts in" not in data and "Stage" not in data
    crowd = fact_data(site, "cnn", "crowd-minsk")  # the claim's scope
    assert crowd["Counts in"].find("a")["href"] == "/topics/minsk/"
    assert words(crowd["Counts in"]) == "Minsk"
    night = fact_data(site, "rt", "det-night-1")  # the claim's kind of count
    assert words(night["Kind of count"]) == "per day or night"
    assert words(fact_data(site, "rt", "vote-rt")["Stage"]) == "partial count"
    national = fact_data(site, "rferl", "crowd-national")
    assert words(national["Counts in"]) == "the whole country"
    assert words(national["Value"]) == "100,000–300,000 people"
    period = fact_data(site, "cnn", "marches")["Refers to"]
    assert [t["datetime"] for t in period.find_all("time")] == ["2020-08-09", "2020-08-12"]
    assert words(period) == "9 August 2020 – 12 August 2020"


def test_the_timeline_places_a_period_on_its_first_day_and_shows_where_it_ends(site):
    page = parse(site / "timeline" / "index.html")
    days = {s.find("h2").find("time")["datetime"]: s for s in page.select("section.day")}
    entry = next(li for li in days["2020-08-09"].select("li") if "marches" in li.find("a")["href"])
    assert [t["datetime"] for t in entry.select("span.fact-period time")] == ["2020-08-09", "2020-08-12"]
    assert "2020-08-12" not in days
    assert all("fact-marches" not in a["href"] for s in days.values() if s is not days["2020-08-09"] for a in s.select("a"))


# -- exports -----------------------------------------------------------------------------------------

def test_the_exports_carry_what_each_figure_measures(site):
    data = json.loads((site / "dossier.json").read_text(encoding="utf-8"))
    schema = json.loads((site / "dossier.schema.json").read_text(encoding="utf-8"))
    assert not list(Draft202012Validator(schema).iter_errors(data))
    assert schema["$id"].endswith("/schemas/2/dossier.schema.json")
    facts = {f["id"].split("#fact-")[1]: f for f in data["facts"]}
    total = facts["det-total"]
    assert (total["date"], total["period"], total["reported"]) == (
        "2020-08-09/..", {"start": "2020-08-09", "end": "2020-08-14"}, "2020-08-14")
    assert (total["count"], total["scope"], total["stage"]) == ("cumulative", "", "")
    assert total["bounds"] == {"low": 6699.5, "high": 6700.5}
    assert facts["det-total-2"]["period"]["end"] == "2021-01-20"  # the day its source was published
    assert facts["det-total-2"]["bounds"] == {"low": 30000, "high": None}
    assert (facts["crowd-minsk"]["scope"], facts["crowd-national"]["scope"]) == ("topics/minsk", "national")
    national = facts["crowd-national"]
    assert (national["value"], national["low"], national["high"]) == (None, 100000, 300000)
    assert national["bounds"] == {"low": 99999.5, "high": 300000.5}
    assert facts["vote-rt"]["stage"] == "partial" and facts["det-night-1"]["count"] == "daily"
    claims = {c["id"]: c for c in data["claims"]}
    [vote] = claims["claims/vote"]["comparisons"]
    assert (vote["agree"], vote["stages"], vote["superseded"]) == (True, ["partial", "preliminary"],
                                                                    ["sources/rt#fact-vote-rt"])
    assert [(c["scope"], c["count"]) for c in claims["claims/crowd"]["comparisons"]] == [
        ("topics/minsk", "point"), ("national", "point")]
    assert (claims["claims/crowd"]["scope"], claims["claims/detained"]["count"]) == ("topics/minsk", "daily")


def test_the_csv_has_a_column_for_each_measure(site):
    rows = {r["id"].split("#fact-")[1]: r for r in csv.DictReader(io.StringIO((site / "facts.csv").read_text("utf-8")))}
    assert {k: rows["det-total"][k] for k in ("reported", "period_start", "period_end", "scope", "count", "stage")} == {
        "reported": "2020-08-14", "period_start": "2020-08-09", "period_end": "2020-08-14", "scope": "",
        "count": "cumulative", "stage": ""}
    national = rows["crowd-national"]
    assert (national["value"], national["low"], national["high"], national["scope"]) == ("", "100000", "300000", "national")
    assert (national["bound_low"], national["bound_high"]) == ("99999.5", "300000.5")
    assert (rows["det-total-2"]["bound_low"], rows["det-total-2"]["bound_high"]) == ("30000", "")
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", rows["marches"]["period_end"])
