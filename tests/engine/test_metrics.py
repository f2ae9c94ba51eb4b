"""The named project figures and how they add up over a programme or portfolio."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pmo_engine.metrics import DERIVED, METRICS, aggregate, derive


def test_every_figure_has_a_known_unit_and_aggregation():
    units = {"money", "ratio", "percent", "days", "weeks", "count", "hours"}
    for name, metric in METRICS.items():
        assert metric.name == name
        assert metric.unit in units, name
        assert metric.aggregation in {"sum", "max", "min", "weighted", DERIVED}, name
        assert metric.label and metric.description.endswith("."), name


def test_indices_of_a_group_come_from_its_sums_not_from_the_mean_of_its_indices():
    small = {"bac": 100.0, "pv": 50.0, "ev": 40.0, "ac": 80.0}  # SPI 0.8, CPI 0.5
    large = {"bac": 900.0, "pv": 450.0, "ev": 450.0, "ac": 450.0}  # SPI 1.0, CPI 1.0
    group = aggregate([small, large])
    assert group["pv"] == 500.0 and group["ev"] == 490.0 and group["ac"] == 530.0
    assert group["spi"] == pytest.approx(490 / 500)
    assert group["cpi"] == pytest.approx(490 / 530)  # not (0.5 + 1.0) / 2
    assert group["eac"] == pytest.approx(1000 / (490 / 530))
    assert group["vac"] == pytest.approx(1000 - 1000 / (490 / 530))
    assert group["percent_complete"] == pytest.approx(49.0)


def test_slips_take_the_worst_project_floats_the_tightest_and_shares_weigh_by_budget():
    group = aggregate(
        [
            {"bac": 100.0, "milestone_slip_days": 3.0, "critical_float_days": 5.0, "scope_change_pct": 10.0},
            {"bac": 300.0, "milestone_slip_days": 12.0, "critical_float_days": -2.0, "scope_change_pct": 2.0},
        ]
    )
    assert group["milestone_slip_days"] == 12.0
    assert group["critical_float_days"] == -2.0
    assert group["scope_change_pct"] == pytest.approx((10 * 100 + 2 * 300) / 400)


def test_a_figure_no_project_knows_stays_unknown_and_unknowns_are_left_out():
    group = aggregate([{"open_risks": 4.0, "bac": None}, {"open_risks": None}, {}])
    assert group["open_risks"] == 4.0
    assert group["bac"] is None and group["spi"] is None and group["cpi"] is None
    assert all(value is None for value in aggregate([]).values())


def test_undefined_indices_are_none_never_an_error():
    figures = derive({"bac": 100.0, "pv": 0.0, "ev": 0.0, "ac": 0.0})
    assert figures["spi"] is None and figures["cpi"] is None and figures["eac"] is None
    assert figures["sv"] == 0.0 and figures["cv"] == 0.0
    assert figures["tcpi"] == 1.0  # (100 - 0) / (100 - 0)


money = st.floats(min_value=0, max_value=1e9, allow_nan=False)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.lists(st.fixed_dictionaries({"bac": money, "pv": money, "ev": money, "ac": money}), min_size=1, max_size=8))
def test_sums_are_sums_and_indices_match_their_definitions(rows):
    group = aggregate(rows)
    for name in ("bac", "pv", "ev", "ac"):
        assert group[name] == pytest.approx(sum(row[name] for row in rows))
    spi = group["ev"] / group["pv"] if group["pv"] else math.inf
    if math.isfinite(spi):
        assert group["spi"] == pytest.approx(spi)
    else:  # no PV, or so little that the index overflows
        assert group["spi"] is None
    for value in group.values():
        assert value is None or math.isfinite(value)
