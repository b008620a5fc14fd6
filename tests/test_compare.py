"""dossier.compare: figures agree within the precision each one states, or the bound its qualifier sets."""

import math

import pytest

from dossier.compare import Interval, agree, interval, spread


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
