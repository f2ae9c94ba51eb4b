"""Earned value and earned schedule: worked examples from the literature with the figures they
print (each cited where it is used), the edge cases that make a measure undefined, refused input,
and properties checked against a per-project loop written the slow way.
"""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pmo_engine.errors import InvalidInput
from pmo_engine.evm import EarnedValueResult, analyse_earned_value, cumulative_planned_value


def single(pv: list[float], ev: list[float], ac: list[float], etc: list[float] | None = None) -> EarnedValueResult:
    """One project; its BAC is where its planned value ends."""
    return analyse_earned_value(
        planned_value=[pv],
        earned_value=[ev],
        actual_cost=[ac],
        budget_at_completion=[pv[-1]],
        estimate_to_complete=None if etc is None else [etc],
    )


def truncated(value: float, decimals: int) -> float:
    """The value cut (not rounded) to ``decimals`` places, as some sources print it."""
    return math.floor(value * 10**decimals) / 10**decimals


# Worked examples from the literature


def test_fence_exercise_end_of_day_three():
    """ "Earned Value Exercise", studylib.net/doc/5898152, credited there to "PMP Exam Prep, P-210".

    A fence of four sides, one a day at $1,000 each. At the end of day 3: sides 1 and 2 complete
    (spent $1,000 and $1,200), side 3 half done (spent $600), side 4 not started. The source gives
    only the status at the end of day 3; days 1 and 2 here are read from the same table.
    Printed: PV 3,000; EV 2,500; AC 2,800; BAC 4,000; CV -300; CPI .893; SV -500; SPI .833;
    EAC 4,479 (= 4,000 / .893); ETC 1,679; VAC -479.
    """
    result = single([1000, 2000, 3000, 4000], [1000, 2000, 2500], [1000, 2200, 2800])
    day3 = (0, 2)
    assert result.planned_value[day3] == 3000
    assert result.earned_value[day3] == 2500
    assert result.actual_cost[day3] == 2800
    assert result.budget_at_completion[0] == 4000
    assert result.cost_variance[day3] == -300
    assert round(result.cpi[day3], 3) == 0.893
    assert result.schedule_variance[day3] == -500
    assert round(result.spi[day3], 3) == 0.833
    # The source divides by the CPI rounded to .893; unrounded, BAC / CPI is exactly 4,480.
    assert result.eac_cpi[day3] == pytest.approx(4480)
    assert round(4000 / round(result.cpi[day3], 3)) == 4479
    assert result.etc_cpi[day3] == pytest.approx(1680)
    assert result.vac_cpi[day3] == pytest.approx(-480)
    assert round(4000 / round(result.cpi[day3], 3)) - 2800 == 1679
    assert 4000 - round(4000 / round(result.cpi[day3], 3)) == -479
    # Earned schedule of the same status (not in the source): two whole days plus half of day 3.
    assert result.earned_schedule[day3] == pytest.approx(2.5)
    assert result.schedule_variance_time[day3] == pytest.approx(-0.5)
    assert result.spi_time[day3] == pytest.approx(2.5 / 3)
    assert result.ieac_time[day3] == pytest.approx(4 / (2.5 / 3))


def test_one_task_example_with_a_bottom_up_estimate():
    """Tutorialspoint, "Earned Value Management - EVM Example"
    (tutorialspoint.com/earn_value_management/evm_example.htm).

    One task baselined at 8 hours of $100 (BAC = PV = $800), 11 hours spent (AC = $1,100), one
    hour to go (ETC = $100), EV printed as $734. Printed: EAC $1,200; VAC -$400; SV -$66;
    SPI 0.91; CV -$366; CPI 0.66 (the indices are cut, not rounded, to two decimals:
    734 / 800 = 0.9175 and 734 / 1100 = 0.667).
    """
    result = single([800], [734], [1100], etc=[100])
    assert result.eac_bottom_up[0, 0] == 1200
    assert result.etc_bottom_up[0, 0] == 100
    assert result.vac_bottom_up[0, 0] == -400
    assert result.schedule_variance[0, 0] == -66
    assert truncated(result.spi[0, 0], 2) == 0.91
    assert result.cost_variance[0, 0] == -366
    assert truncated(result.cpi[0, 0], 2) == 0.66


def test_tcpi_against_an_approved_eac():
    """iZenBridge forum, "EVM Hangout: Question 2" (forum.izenbridge.com/viewtopic.php?f=3&t=46).

    BAC $135,000, EV $45,000, AC $70,000, EAC $130,000 (here: AC + a bottom-up ETC of $60,000).
    Printed: work remaining 90,000, funds remaining 60,000, TCPI = 1.5.
    """
    result = single([135_000], [45_000], [70_000], etc=[60_000])
    assert result.eac_bottom_up[0, 0] == 130_000
    assert result.tcpi_eac[0, 0] == 1.5
    assert result.tcpi_bac[0, 0] == pytest.approx(90_000 / 65_000)


def test_late_project_has_spi_one_at_completion_but_earned_schedule_shows_two_months():
    """ "Earned Schedule Management (ESM)", MPUG (mpug.com/earned-schedule-management-esm/),
    republished on managementyogi.com, 11 November 2021.

    10 modules of $100,000 planned over 10 months (BAC $1M); the project took 12 months and cost
    $1.3M. Printed: SV = $0.0M, SPI = 1.0, "two months behind schedule", cost overrun $0.3M.
    The source gives no monthly figures; here EV and AC grow evenly over the 12 months.
    """
    planned = [100_000.0 * min(month, 10) for month in range(1, 13)]
    earned = [1_000_000 * month / 12 for month in range(1, 13)]
    spent = [1_300_000 * month / 12 for month in range(1, 13)]
    result = single(planned, earned, spent)
    end = (0, 11)
    assert result.schedule_variance[end] == pytest.approx(0.0)
    assert result.spi[end] == pytest.approx(1.0)
    assert result.cost_variance[end] == pytest.approx(-300_000)
    assert result.planned_duration[0] == 10
    assert result.earned_schedule[end] == pytest.approx(10)
    assert result.schedule_variance_time[end] == pytest.approx(-2)
    assert result.spi_time[end] == pytest.approx(10 / 12)
    assert result.ieac_time[end] == pytest.approx(12)


def test_earned_schedule_counts_whole_months_then_interpolates_the_next():
    """Lipke, "Earned Schedule Concept" (scribd.com/doc/47929652), the figure and box:
    "ES = 5 + (EV - PV(May)) / (PV(June) - PV(May))", AT = 7: all PV through May is earned and a
    share of June. The figure prints no amounts; these are ours: 100 a month, EV of 530 at the
    end of July.
    """
    planned = [100.0 * month for month in range(1, 12)]  # January to November
    earned = [70, 150, 220, 300, 380, 460, 530]
    result = single(planned, earned, [0.0] * 7)
    july = (0, 6)
    assert result.actual_time[6] == 7
    assert result.earned_schedule[july] == pytest.approx(5 + (530 - 500) / (600 - 500))
    assert result.schedule_variance_time[july] == pytest.approx(5.3 - 7)
    assert result.spi_time[july] == pytest.approx(5.3 / 7)
    assert result.ieac_time[july] == pytest.approx(11 / (5.3 / 7))


def test_lipke_why_spi_ends_at_one_regardless_of_lateness():
    """Lipke, "Earned Schedule ... an emerging enhancement to EVM", International Metrics Congress
    2007 (studylib.net/doc/18876724), slide 6: when actual completion comes after planned
    completion, "SV = BAC - BAC = $000" and "SPI = BAC / BAC = 1.00 regardless of lateness".
    """
    result = single([250, 500, 750, 1000, 1000, 1000], [200, 400, 600, 800, 900, 1000], [200] * 6)
    assert result.schedule_variance[0, -1] == 0
    assert result.spi[0, -1] == 1.0
    assert result.spi_time[0, -1] == pytest.approx(4 / 6)


# Forecasts and edge cases


def test_eac_weighed_by_cpi_and_spi():
    result = single([100, 200, 300, 400], [50, 150], [100, 200])
    cpi, spi = 150 / 200, 150 / 200
    assert result.eac_cpi[0, 1] == pytest.approx(400 / cpi)
    assert result.eac_cpi_spi[0, 1] == pytest.approx(200 + 250 / (cpi * spi))
    assert result.etc_cpi_spi[0, 1] == pytest.approx(250 / (cpi * spi))
    assert result.vac_cpi_spi[0, 1] == pytest.approx(400 - 200 - 250 / (cpi * spi))
    # Against the CPI-based EAC (no bottom-up estimate given) the TCPI is the CPI itself.
    assert result.tcpi_eac[0, 1] == pytest.approx(cpi)
    assert np.isnan(result.eac_bottom_up).all()
    assert np.isnan(result.vac_bottom_up).all()


def test_undefined_measures_are_nan():
    # Period 1: nothing planned, nothing earned, nothing spent; period 2: spent but nothing earned.
    result = single([0, 0, 100, 200], [0, 0, 50], [0, 30, 60])
    assert np.isnan(result.spi[0, 0]) and np.isnan(result.spi[0, 1])
    assert np.isnan(result.cpi[0, 0])
    assert result.cpi[0, 1] == 0.0
    assert np.isnan(result.eac_cpi[0, 0]) and np.isnan(result.eac_cpi[0, 1])
    assert np.isnan(result.etc_cpi[0, 1]) and np.isnan(result.vac_cpi[0, 1])
    assert np.isnan(result.eac_cpi_spi[0, :2]).all()
    # Nothing planned in the first two periods: with EV = 0 both are earned (Lipke's rule: PV <= EV).
    assert result.earned_schedule[0, :2].tolist() == [2.0, 2.0]
    assert result.earned_schedule[0, 2] == pytest.approx(2.5)
    assert result.eac_cpi[0, 2] == pytest.approx(200 / (50 / 60))


def test_ieac_time_is_nan_when_no_schedule_is_earned_and_tcpi_when_the_budget_is_spent():
    result = single([100, 200], [0, 50], [10, 200])
    assert result.earned_schedule[0, 0] == 0
    assert np.isnan(result.ieac_time[0, 0])
    assert np.isnan(result.tcpi_bac[0, 1])  # BAC - AC = 0
    overspent = single([100, 200], [50, 60], [150, 250])
    assert overspent.tcpi_bac[0, 1] == pytest.approx((200 - 60) / (200 - 250))
    assert overspent.tcpi_bac[0, 1] < 0


def test_project_ahead_of_plan_earns_schedule_beyond_the_reported_periods():
    result = single([100, 200, 300, 400], [250], [200])
    assert result.earned_schedule[0, 0] == pytest.approx(2.5)
    assert result.schedule_variance_time[0, 0] == pytest.approx(1.5)
    assert result.spi_time[0, 0] == pytest.approx(2.5)


def test_finished_project_has_earned_its_whole_planned_duration():
    result = single([100, 200, 300, 300, 300], [100, 200, 250, 300, 300], [100] * 5)
    assert result.planned_duration[0] == 3
    assert result.earned_schedule[0].tolist() == pytest.approx([1, 2, 2.5, 3, 3])
    assert result.ieac_time[0, -1] == pytest.approx(5)


def test_projects_of_different_lengths_share_one_grid():
    result = analyse_earned_value(
        planned_value=[[50, 100, 100], [10, 20, 30]],
        earned_value=[[40, 90], [10, 25]],
        actual_cost=[[40, 90], [10, 25]],
        budget_at_completion=[100, 30],
    )
    assert result.planned_duration.tolist() == [2, 3]
    np.testing.assert_allclose(result.earned_schedule, [[0.8, 1.8], [1, 2.5]])
    assert result.actual_time.tolist() == [1, 2]


# Cumulative planned value from a baseline


def test_cumulative_planned_value_spreads_each_budget_evenly_over_its_periods():
    pv = cumulative_planned_value([300, 100, 50], [0, 1, 3], [2, 1, 3], periods=5)
    assert pv.tolist() == pytest.approx([100, 300, 400, 450, 450])


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        (([100], [0], [5], 5), "last_periods"),
        (([100], [2], [1], 5), "last_periods"),
        (([100], [-1], [1], 5), "first_periods"),
        (([100], [0.5], [1], 5), "first_periods"),
        (([-1], [0], [1], 5), "budgets"),
    ],
)
def test_cumulative_planned_value_refuses_bad_periods(arguments, field):
    with pytest.raises(InvalidInput) as caught:
        cumulative_planned_value(*arguments)
    assert caught.value.field == field


# Refused input

GOOD = {
    "planned_value": [[100.0, 200.0]],
    "earned_value": [[50.0]],
    "actual_cost": [[60.0]],
    "budget_at_completion": [200.0],
}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"planned_value": [100.0, 200.0]}, "planned_value"),
        ({"planned_value": [[100.0, np.nan]]}, "planned_value"),
        ({"planned_value": [[150.0, 100.0]], "budget_at_completion": [100.0]}, "planned_value"),
        ({"planned_value": [[100.0, 180.0]]}, "planned_value"),
        ({"planned_value": [[]], "earned_value": [[]], "actual_cost": [[]]}, "planned_value"),
        ({"earned_value": [[-1.0]]}, "earned_value"),
        ({"earned_value": [[250.0]]}, "earned_value"),
        ({"earned_value": [[1.0, 2.0, 3.0]], "actual_cost": [[1.0, 2.0, 3.0]]}, "earned_value"),
        ({"earned_value": [[np.inf]]}, "earned_value"),
        ({"actual_cost": [[60.0, 70.0]]}, "actual_cost"),
        ({"actual_cost": [["a lot"]]}, "actual_cost"),
        ({"budget_at_completion": [200.0, 100.0]}, "budget_at_completion"),
        ({"budget_at_completion": 200.0}, "budget_at_completion"),
        ({"estimate_to_complete": [[1.0, 2.0]]}, "estimate_to_complete"),
        ({"estimate_to_complete": [[-5.0]]}, "estimate_to_complete"),
    ],
)
def test_invalid_input_names_the_field(changes, field):
    with pytest.raises(InvalidInput) as caught:
        analyse_earned_value(**{**GOOD, **changes})
    assert caught.value.field == field


def test_result_arrays_are_read_only_copies():
    pv = np.array([[100.0, 200.0]])
    result = analyse_earned_value(**{**GOOD, "planned_value": pv})
    pv[0, 0] = 0
    assert result.planned_value[0, 0] == 100
    with pytest.raises(ValueError, match="read-only"):
        result.budget_at_completion[0] = 1


# Properties


@st.composite
def portfolios(draw, on_plan: bool = False):
    """Projects on one grid: PV rises by a positive amount each period up to a planned duration,
    then stays at BAC; EV rises to at most BAC over the reported periods; AC anything."""
    projects = draw(st.integers(1, 5))
    horizon = draw(st.integers(1, 8))
    reported = draw(st.integers(1, horizon))
    cents = st.integers(0, 100_000).map(lambda amount: amount / 100)
    amounts = st.integers(100, 100_000).map(lambda amount: amount / 100)
    pv = np.zeros((projects, horizon))
    ev = np.zeros((projects, reported))
    ac = np.zeros((projects, reported))
    for row in range(projects):
        duration = draw(st.integers(1, horizon))
        steps = [draw(amounts) for _ in range(duration)]
        pv[row] = np.concatenate([np.cumsum(steps), np.full(horizon - duration, sum(steps))])
        if on_plan:
            ev[row] = pv[row, :reported]
            ac[row] = ev[row]
        else:
            shares = sorted(draw(st.integers(0, 1000)) / 1000 for _ in range(reported))
            ev[row] = np.array(shares) * pv[row, -1]
            ac[row] = np.cumsum([draw(cents) for _ in range(reported)])
    etc = np.array([[draw(cents) for _ in range(reported)] for _ in range(projects)])
    return pv, ev, ac, pv[:, -1].copy(), etc


def analyse(pv, ev, ac, bac, etc=None):
    return analyse_earned_value(
        planned_value=pv, earned_value=ev, actual_cost=ac, budget_at_completion=bac, estimate_to_complete=etc
    )


def slow_earned_schedule(pv_row, ev_value):
    """Lipke's ES the long way: walk the periods while PV <= EV, then interpolate, capped at PD."""
    bac = pv_row[-1]
    # PV reaches BAC within rounding: sums of the same amounts in another order differ in the last bit.
    duration = next(k + 1 for k, value in enumerate(pv_row) if value >= bac - 1e-9 * max(1.0, bac))
    whole = 0
    while whole < len(pv_row) and pv_row[whole] <= ev_value:
        whole += 1
    previous = 0.0 if whole == 0 else pv_row[whole - 1]
    fraction = 0.0 if whole == len(pv_row) else (ev_value - previous) / (pv_row[whole] - previous)
    return min(whole + fraction, duration)


FIELDS = [name for name in EarnedValueResult.__dataclass_fields__ if name != "actual_time"]


@settings(max_examples=150, deadline=None, derandomize=True)
@given(portfolios())
def test_spi_is_ev_over_pv_and_cpi_ev_over_ac(data):
    pv, ev, ac, bac, _ = data
    result = analyse(pv, ev, ac, bac)
    planned = pv[:, : ev.shape[1]]
    with np.errstate(divide="ignore", invalid="ignore"):
        np.testing.assert_allclose(result.spi, np.where(planned > 0, ev / planned, np.nan))
        np.testing.assert_allclose(result.cpi, np.where(ac > 0, ev / ac, np.nan))


@settings(max_examples=150, deadline=None, derandomize=True)
@given(portfolios(on_plan=True))
def test_project_on_plan_has_every_index_at_one_and_es_equal_to_at(data):
    pv, ev, ac, bac, _ = data
    result = analyse(pv, ev, ac, bac)
    at = np.broadcast_to(result.actual_time, ev.shape)
    on_baseline = at <= result.planned_duration[:, None]  # after PD a finished project stays at ES = PD
    np.testing.assert_allclose(result.spi, 1.0)
    np.testing.assert_allclose(result.cpi, 1.0)
    np.testing.assert_allclose(result.spi_time[on_baseline], 1.0)
    np.testing.assert_allclose(result.earned_schedule[on_baseline], at[on_baseline])
    np.testing.assert_allclose(result.eac_cpi, bac[:, None] * np.ones_like(ev))
    planned_duration = np.broadcast_to(result.planned_duration[:, None], ev.shape)
    np.testing.assert_allclose(result.ieac_time[on_baseline], planned_duration[on_baseline])


@settings(max_examples=150, deadline=None, derandomize=True)
@given(portfolios())
def test_vectorised_result_equals_a_loop_over_projects_and_a_slow_earned_schedule(data):
    pv, ev, ac, bac, etc = data
    together = analyse(pv, ev, ac, bac, etc)
    for row in range(pv.shape[0]):
        alone = analyse(pv[row : row + 1], ev[row : row + 1], ac[row : row + 1], bac[row : row + 1], etc[row : row + 1])
        for name in FIELDS:
            np.testing.assert_allclose(getattr(together, name)[row], getattr(alone, name)[0], err_msg=name)
        slow = [slow_earned_schedule(pv[row], value) for value in ev[row]]
        np.testing.assert_allclose(together.earned_schedule[row], slow, rtol=1e-9, atol=1e-9)


@settings(max_examples=100, deadline=None, derandomize=True)
@given(portfolios(), st.randoms(use_true_random=False))
def test_order_of_projects_does_not_matter(data, random):
    pv, ev, ac, bac, etc = data
    order = list(range(pv.shape[0]))
    random.shuffle(order)
    straight = analyse(pv, ev, ac, bac, etc)
    shuffled = analyse(pv[order], ev[order], ac[order], bac[order], etc[order])
    for name in FIELDS:
        np.testing.assert_allclose(getattr(shuffled, name), getattr(straight, name)[order], err_msg=name)
