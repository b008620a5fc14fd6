"""dossier.compare: figures agree within the precision each one states, or the bound its qualifier sets
or its range; only figures of one stage of a count are compared. dossier.evidence: dates and periods."""

import datetime
import math
from types import SimpleNamespace

import pytest

from dossier.compare import Interval, agree, bounds, comparison, interval, spread, stage_sets
from dossier.diagnostics import Location
from dossier.evidence import Measure, days, first_day, last_day, problem
from dossier.model import Fact, Quote


@pytest.mark.parametrize("values", [
    [(80, ""), (80.08, "")],  # 80 stands for 79.5 … 80.5
    [(80.1, ""), (80.08, "")],  # 80.1 stands for 80.05 … 80.15
    [(80, ""), (80.1, ""), (80.08, "")],
    [(6700, ""), (6700, "")],
    [(6000, "more than"), (6700, "")],
    [(6000, "at least"), (6000, "")],
    [(7000, "about"), (6700, "")],  # about: within 10 %
    [(7000, "up to"), (6700, "")],
    [(7000, "fewer than"), (6700, "")],
    [(5000, "more than"), (8000, "up to")],
])
def test_agree(values):
    assert agree(values)


@pytest.mark.parametrize("values", [
    [(81.35, ""), (80.08, "")],
    [(80, ""), (81.35, "")],
    [(80.1, ""), (80.2, "")],
    [(10.09, ""), (8, "")],
    [(4.6, ""), (4, "")],
    [(7000, "more than"), (6700, "")],
    [(8000, "about"), (6700, "")],
    [(6000, "up to"), (6700, "")],
    [(80, ""), (80.08, ""), (81.35, "")],  # one disagreeing pair is enough
    [(5000, "up to"), (8000, "more than")],
])
def test_disagree(values):
    assert not agree(values)


def test_intervals():
    assert interval(80.08) == Interval(pytest.approx(80.075), pytest.approx(80.085))
    assert interval(80) == Interval(79.5, 80.5)
    assert interval(6700, "more than") == Interval(6700, math.inf)
    assert interval(6700, "up to") == Interval(-math.inf, 6700)
    assert interval(1000, "about") == Interval(900, 1100)


def test_single_value_agrees_with_itself():
    assert agree([(3, "")])
    assert agree([])


def test_spread():
    width, relative = spread([80.08, 81.35, 80])
    assert width == pytest.approx(1.35)
    assert relative == pytest.approx(100 * 1.35 / 81.35)
    assert spread([]) == (0.0, 0.0)
    assert spread([0, 0]) == (0.0, 0.0)


# -- what a figure measures: bounds, precision, stages, periods --------------------------------


def _fact(value=None, qualifier="", low=None, high=None, date="2020-08-09", stage="", id="f", written=""):
    """A fact as validate makes it: numbers keep the text they were written with (`written`)."""
    text = lambda v: str(v) if v is not None and not isinstance(v, str) else ""  # noqa: E731
    return Fact(id=id, source="s", statement="A figure.", quote=Quote("q", None, Location("x")), by="someone",
                value=value, value_text=written or text(value), qualifier=qualifier, low=low, high=high, low_text=text(low),
                high_text=text(high), date=date, stage=stage)


def _row(fact, source="s", scope="", count=""):
    first, last = days(fact.date, "2020-08-14")
    return SimpleNamespace(fact=fact, anchor=f"fact-{fact.id}", source=SimpleNamespace(key=f"sources/{source}"),
                           measure=Measure(scope, count, first, last, fact.stage))


def _meets(a, b) -> bool:
    return bounds(a).meets(bounds(b))


@pytest.mark.parametrize("a, b, fits", [
    (_fact(30000, "more than"), _fact(35000), True),
    (_fact(30000, "more than"), _fact(25000), False),
    (_fact(3000, "about"), _fact(3100), True),
    (_fact(3000, "about"), _fact(3400), False),
    (_fact(200000, "up to"), _fact(150000), True),  # "up to" does not contradict a lower figure
    (_fact(200000, "up to"), _fact(250000), False),
    (_fact(low=100000, high=200000), _fact(150000), True),
    (_fact(low=100000, high=200000), _fact(250000), False),
    (_fact(low=100000, high=200000), _fact(200000, "more than"), True),  # the bound itself fits
    (_fact(low=100000, high=200000), _fact(90000, "up to"), False),
    (_fact(175000, low=150000, high=200000), _fact(190000), True),  # a range's central value: the range counts
    (_fact(80.0, written="80.0"), _fact(80.04), True),  # "80.0" stands for 79.95 … 80.05
    (_fact(80.0, written="80.0"), _fact(80.06), False),
    (_fact(80), _fact(80.4), True),  # "80" stands for 79.5 … 80.5
])
def test_bounds_with_precision_and_qualifiers(a, b, fits):
    assert _meets(a, b) is fits
    assert _meets(b, a) is fits


def test_a_range_widens_each_bound_by_its_own_precision():
    found = bounds(_fact(low=1.5, high=2))
    assert (found.low, found.high) == (pytest.approx(1.45), pytest.approx(2.5))
    assert bounds(_fact("several")) is None
    assert bounds(_fact()) is None


def test_a_later_stage_supersedes_an_earlier_one():
    rows = (_row(_fact(81.35, stage="partial", id="rt"), "rt"),
            _row(_fact(80.08, stage="preliminary", id="cec"), "cec"),
            _row(_fact(80.1, id="cnn"), "cnn"))  # no stage: compared with the latest one
    found = comparison("2020-08-09", rows)
    assert found.agree and found.staged
    assert found.stages == ("partial", "preliminary")
    assert found.superseded == ("fact-rt",)
    assert found.outliers == ()
    assert stage_sets(rows) == ((0,), (1, 2))


def test_values_of_one_stage_still_disagree():
    rows = (_row(_fact(81.35, stage="partial", id="rt"), "rt"),
            _row(_fact(80.08, stage="preliminary", id="cec"), "cec"),
            _row(_fact(79, id="tabloid"), "tabloid"))
    found = comparison("2020-08-09", rows)
    assert not found.agree
    assert found.spread == pytest.approx(1.08)  # between the values that disagree: 80.08 and 79
    assert found.superseded == ("fact-rt",)


def test_without_stages_the_same_values_disagree():
    """Control for the two tests above."""
    rows = (_row(_fact(81.35, id="rt"), "rt"), _row(_fact(80.08, id="cec"), "cec"), _row(_fact(80.1, id="cnn"), "cnn"))
    found = comparison("2020-08-09", rows)
    assert not found.agree and not found.staged
    assert found.outliers == ("fact-rt",)


def test_text_values_compare_stage_by_stage():
    rows = (_row(_fact("a landslide", stage="partial", id="a"), "a"), _row(_fact("a clear win", stage="final", id="b"), "b"))
    assert comparison("2020-08-09", rows).agree
    rows = (_row(_fact("a landslide", id="a"), "a"), _row(_fact("a clear win", id="b"), "b"))
    assert not comparison("2020-08-09", rows).agree


@pytest.mark.parametrize("date, until, first, last", [
    ("2020-08-09", "", "2020-08-09", "2020-08-09"),
    ("2020-08", "", "2020-08-01", "2020-08-31"),
    ("2020", "", "2020-01-01", "2020-12-31"),
    ("2020-02", "", "2020-02-01", "2020-02-29"),
    ("2020-08-09/2020-08-12", "", "2020-08-09", "2020-08-12"),
    ("2020-08-01/2020-08-31", "", "2020-08-01", "2020-08-31"),  # the same days as 2020-08
    ("2020-08-09/..", "2020-08-14", "2020-08-09", "2020-08-14"),  # open: up to the day it was reported
    ("2020-08-09/..", "2021-01", "2020-08-09", "2021-01-31"),
])
def test_the_days_a_date_or_period_covers(date, until, first, last):
    assert days(date, until) == (datetime.date.fromisoformat(first).toordinal(),
                                 datetime.date.fromisoformat(last).toordinal())


@pytest.mark.parametrize("text, why", [
    ("2020-08-09", ""), ("2020-08-09/2020-08-12", ""), ("2020-08-09/..", ""), ("2020-08/2020-09", ""),
    ("2020-08-12/2020-08-12", ""),
    ("2020-02-30", "no such day"),
    ("2020-08-09/2020-02-30", "no such day: 2020-02-30"),
    ("2020-08-12/2020-08-09", "the period ends (2020-08-09) before it starts (2020-08-12)"),
    ("2020-08/2020-07-31", "the period ends (2020-07-31) before it starts (2020-08)"),
])
def test_problems_of_dates_and_periods(text, why):
    assert problem(text) == why


def test_first_and_last_days_of_months_and_years():
    assert last_day("2021-02") - first_day("2021-02") == 27
    assert last_day("2020") - first_day("2020") == 365
