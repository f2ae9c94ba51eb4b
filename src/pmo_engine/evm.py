"""Earned value and earned schedule, time-phased and vectorised over projects and periods.

Inputs are numpy arrays over (projects x periods), cumulative at the *end* of each period: column
k is the status at the end of period k + 1, so the actual time there is ``AT = k + 1`` periods.

- ``planned_value`` (n x P): the baseline's cumulative planned value (PV, BCWS). It covers the
  whole baseline: it never decreases and its last column equals the budget at completion, so the
  planned duration ``PD`` of a project is the number of periods until its PV first reaches BAC.
  It may run past the reported periods (earned schedule looks ahead of the data date when a
  project is ahead of plan).
- ``earned_value`` and ``actual_cost`` (n x T, T <= P): cumulative EV (BCWP) and AC (ACWP) for
  the T periods reported so far.
- ``budget_at_completion`` (n): BAC.
- ``estimate_to_complete`` (n x T, optional): a bottom-up estimate to complete (ETC) per period.

Measures (money in the inputs' unit, time in periods), each an (n x T) float64 array:

- SV = EV - PV, CV = EV - AC, SPI = EV / PV, CPI = EV / AC;
- EAC, three ways: ``eac_cpi`` = BAC / CPI (the remaining work at the cost efficiency so far),
  ``eac_cpi_spi`` = AC + (BAC - EV) / (CPI x SPI) (also weighed down by schedule efficiency) and
  ``eac_bottom_up`` = AC + ETC; each with its ETC (= EAC - AC) and VAC (= BAC - EAC);
- TCPI, the cost efficiency the remaining work needs: ``tcpi_bac`` = (BAC - EV) / (BAC - AC) to
  finish within budget, ``tcpi_eac`` = (BAC - EV) / (EAC - AC) to finish within the bottom-up
  EAC where one is given, else within the CPI-based EAC (which gives back the CPI);
- earned schedule (Lipke, "Schedule is Different", The Measurable News, 2003):
  ES = C + (EV - PV_C) / (PV_{C+1} - PV_C), with C the number of whole periods whose cumulative
  PV is at most EV (PV_0 = 0), capped at PD (a finished project has earned its whole schedule);
  SV(t) = ES - AT, SPI(t) = ES / AT, IEAC(t) = PD / SPI(t). Where the PV is flat (periods with
  no planned work), an EV at that level has earned the whole flat stretch.

Undefined values are NaN, never an error and never infinity: SPI where PV = 0 (before any work
was planned), CPI where AC = 0 (nothing spent yet), every EAC that divides by a CPI or SPI that
is NaN or 0 (and its ETC and VAC), TCPI where its denominator is 0, IEAC(t) where ES = 0, and the
bottom-up measures when no ETC is given. A TCPI below 0 means the funds are already overspent
(AC above BAC or EAC): no efficiency can finish within them.

Cost: O(n x T x P) for earned schedule (each EV is compared with its project's whole PV curve),
O(n x T) for everything else; no Python loop runs over projects or periods.
"""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from pmo_engine.errors import InvalidInput

_RELATIVE_TOLERANCE = 1e-9  # money differences below this share of BAC are rounding noise


@dataclass(frozen=True, eq=False)
class EarnedValueResult:
    """Every earned value and earned schedule measure per project (axis 0) and period (axis 1).

    Arrays are float64 of shape (projects x reported periods), NaN where undefined (see the module
    docstring), except ``budget_at_completion`` and ``planned_duration`` (one value per project)
    and ``actual_time`` (one value per period: 1, 2, ..., T). Times are in periods.
    """

    budget_at_completion: np.ndarray
    planned_duration: np.ndarray
    actual_time: np.ndarray
    planned_value: np.ndarray
    earned_value: np.ndarray
    actual_cost: np.ndarray
    schedule_variance: np.ndarray
    cost_variance: np.ndarray
    spi: np.ndarray
    cpi: np.ndarray
    eac_cpi: np.ndarray
    eac_cpi_spi: np.ndarray
    eac_bottom_up: np.ndarray
    etc_cpi: np.ndarray
    etc_cpi_spi: np.ndarray
    etc_bottom_up: np.ndarray
    vac_cpi: np.ndarray
    vac_cpi_spi: np.ndarray
    vac_bottom_up: np.ndarray
    tcpi_bac: np.ndarray
    tcpi_eac: np.ndarray
    earned_schedule: np.ndarray
    schedule_variance_time: np.ndarray
    spi_time: np.ndarray
    ieac_time: np.ndarray


def analyse_earned_value(
    *,
    planned_value: Sequence[Sequence[float]] | np.ndarray,
    earned_value: Sequence[Sequence[float]] | np.ndarray,
    actual_cost: Sequence[Sequence[float]] | np.ndarray,
    budget_at_completion: Sequence[float] | np.ndarray,
    estimate_to_complete: Sequence[Sequence[float]] | np.ndarray | None = None,
) -> EarnedValueResult:
    """Compute every measure for every project and reported period (see the module docstring).

    Raises :class:`~pmo_engine.errors.InvalidInput`, naming the field, for arrays of the wrong
    shape, NaN or infinite values, negative values, a planned value that decreases or does not
    end at BAC, or an earned value above BAC.
    """
    bac = _array("budget_at_completion", budget_at_completion, 1)
    pv_curve = _array("planned_value", planned_value, 2)
    ev = _array("earned_value", earned_value, 2)
    ac = _array("actual_cost", actual_cost, 2)
    projects, horizon = pv_curve.shape
    if bac.shape != (projects,):
        raise InvalidInput(
            f"budget_at_completion must hold one value per project ({projects}), not shape {bac.shape}.",
            field="budget_at_completion",
        )
    for name, values in (("earned_value", ev), ("actual_cost", ac)):
        if values.shape[0] != projects or values.shape[1] > horizon:
            raise InvalidInput(
                f"{name} must have one row per project ({projects}) and at most as many periods as "
                f"planned_value ({horizon}), not shape {values.shape}.",
                field=name,
            )
    if ac.shape != ev.shape:
        raise InvalidInput(
            f"actual_cost must have the shape of earned_value {ev.shape}, not {ac.shape}.", field="actual_cost"
        )
    etc_input = None
    if estimate_to_complete is not None:
        etc_input = _array("estimate_to_complete", estimate_to_complete, 2)
        if etc_input.shape != ev.shape:
            raise InvalidInput(
                f"estimate_to_complete must have the shape of earned_value {ev.shape}, not {etc_input.shape}.",
                field="estimate_to_complete",
            )
    tolerance = _RELATIVE_TOLERANCE * np.maximum(bac, 1.0)
    if horizon == 0:
        raise InvalidInput("planned_value must cover at least one period.", field="planned_value")
    if np.any(np.diff(pv_curve, axis=1) < -tolerance[:, None]):
        row = int(np.nonzero(np.any(np.diff(pv_curve, axis=1) < -tolerance[:, None], axis=1))[0][0])
        raise InvalidInput(
            f"planned_value is cumulative and must never decrease; project {row} does.", field="planned_value"
        )
    off_budget = np.abs(pv_curve[:, -1] - bac) > tolerance
    if np.any(off_budget):
        row = int(np.nonzero(off_budget)[0][0])
        raise InvalidInput(
            f"planned_value must reach budget_at_completion by its last period; project {row} ends at "
            f"{pv_curve[row, -1]:g}, not {bac[row]:g}.",
            field="planned_value",
        )
    above_budget = ev > bac[:, None] + tolerance[:, None]
    if np.any(above_budget):
        row = int(np.nonzero(np.any(above_budget, axis=1))[0][0])
        raise InvalidInput(
            f"earned_value cannot exceed budget_at_completion ({bac[row]:g}) of project {row}.", field="earned_value"
        )
    ev = np.minimum(ev, bac[:, None])  # rounding noise above BAC would earn schedule past PD
    ev.setflags(write=False)

    reported = ev.shape[1]
    pv = pv_curve[:, :reported]
    # PD: periods until the PV first reaches BAC (within rounding); 0 for a project of no budget.
    planned_duration = np.sum(pv_curve < (bac - tolerance)[:, None], axis=1) + (bac > 0)
    planned_duration = planned_duration.astype(np.float64)
    actual_time = np.arange(1, reported + 1, dtype=np.float64)

    spi = _ratio(ev, pv)
    cpi = _ratio(ev, ac)
    remaining_work = bac[:, None] - ev
    eac_cpi = _ratio(np.broadcast_to(bac[:, None], ev.shape), cpi)
    with np.errstate(over="ignore"):  # an overflowing product is no efficiency: _ratio gives NaN
        eac_cpi_spi = ac + _ratio(remaining_work, cpi * spi)
    eac_bottom_up = ac + etc_input if etc_input is not None else np.full(ev.shape, np.nan)
    eac_for_tcpi = eac_bottom_up if etc_input is not None else eac_cpi

    earned_schedule = _earned_schedule(pv_curve, ev, planned_duration)
    spi_time = earned_schedule / actual_time
    return EarnedValueResult(
        budget_at_completion=bac,
        planned_duration=planned_duration,
        actual_time=actual_time,
        planned_value=pv,
        earned_value=ev,
        actual_cost=ac,
        schedule_variance=ev - pv,
        cost_variance=ev - ac,
        spi=spi,
        cpi=cpi,
        eac_cpi=eac_cpi,
        eac_cpi_spi=eac_cpi_spi,
        eac_bottom_up=eac_bottom_up,
        etc_cpi=eac_cpi - ac,
        etc_cpi_spi=eac_cpi_spi - ac,
        etc_bottom_up=eac_bottom_up - ac,
        vac_cpi=bac[:, None] - eac_cpi,
        vac_cpi_spi=bac[:, None] - eac_cpi_spi,
        vac_bottom_up=bac[:, None] - eac_bottom_up,
        tcpi_bac=_ratio(remaining_work, bac[:, None] - ac),
        tcpi_eac=_ratio(remaining_work, eac_for_tcpi - ac),
        earned_schedule=earned_schedule,
        schedule_variance_time=earned_schedule - actual_time,
        spi_time=spi_time,
        ieac_time=_ratio(np.broadcast_to(planned_duration[:, None], ev.shape), spi_time),
    )


def cumulative_planned_value(
    budgets: Sequence[float] | np.ndarray,
    first_periods: Sequence[int] | np.ndarray,
    last_periods: Sequence[int] | np.ndarray,
    periods: int,
) -> np.ndarray:
    """The baseline's cumulative PV per period end of one project, from its activities' budgets
    spread evenly over their periods (``first_periods`` to ``last_periods``, 0-based, inclusive).

    The caller maps baseline dates to periods (a period with no working day of an activity should
    not be in its range). Returns a float64 array of length ``periods`` ending at the total
    budget: a row of ``planned_value`` for :func:`analyse_earned_value`. Cost: O(activities +
    periods).
    """
    budget = _array("budgets", budgets, 1)
    first = np.asarray(first_periods)
    last = np.asarray(last_periods)
    for name, values in (("first_periods", first), ("last_periods", last)):
        if values.shape != budget.shape or not np.issubdtype(values.dtype, np.integer):
            raise InvalidInput(f"{name} must hold one whole period number per budget.", field=name)
        if np.any(values < 0) or np.any(values >= periods):
            raise InvalidInput(f"{name} must lie from 0 to {periods - 1}.", field=name)
    if np.any(last < first):
        raise InvalidInput("last_periods must not come before first_periods.", field="last_periods")
    per_period = budget / (last - first + 1)
    # A difference array: the rate starts at the first period and stops after the last.
    rate = np.zeros(periods + 1)
    np.add.at(rate, first, per_period)
    np.add.at(rate, last + 1, -per_period)
    return np.cumsum(np.cumsum(rate)[:periods])


def _earned_schedule(pv_curve: np.ndarray, ev: np.ndarray, planned_duration: np.ndarray) -> np.ndarray:
    """ES per project and period: C whole periods whose PV <= EV, plus the interpolated share of
    period C + 1, capped at PD. ``pv_curve`` is non-decreasing, so C is a count of comparisons."""
    projects, horizon = pv_curve.shape
    with_start = np.concatenate([np.zeros((projects, 1)), pv_curve], axis=1)  # PV_0 = 0
    whole = np.sum(pv_curve[:, None, :] <= ev[:, :, None], axis=2)  # C, from 0 to P
    pv_c = np.take_along_axis(with_start, whole, axis=1)
    pv_next = np.take_along_axis(with_start, np.minimum(whole + 1, horizon), axis=1)
    step = pv_next - pv_c
    # Where C = P (EV at the end of the curve) there is no next period: nothing to interpolate.
    fraction = np.divide(ev - pv_c, step, out=np.zeros_like(ev), where=step > 0)
    return np.minimum(whole + fraction, planned_duration[:, None])


def _ratio(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """numerator / denominator, NaN where the denominator is 0 or NaN or the quotient overflows
    (a denominator so small that the ratio means nothing)."""
    numerator, denominator = np.broadcast_arrays(numerator, denominator)
    defined = (denominator != 0) & ~np.isnan(denominator)
    with np.errstate(over="ignore"):
        quotient = np.divide(numerator, denominator, out=np.full(numerator.shape, np.nan), where=defined)
    quotient[~np.isfinite(quotient)] = np.nan
    return quotient


def _array(name: str, values: object, dimensions: int) -> np.ndarray:
    try:
        array = np.array(values, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise InvalidInput(f"{name} must be an array of numbers: {error}.", field=name) from error
    if array.ndim != dimensions:
        wanted = "one value per project" if dimensions == 1 else "projects x periods"
        raise InvalidInput(f"{name} must be {dimensions}-dimensional ({wanted}), not shape {array.shape}.", field=name)
    if not np.all(np.isfinite(array)):
        raise InvalidInput(f"{name} must hold finite numbers, with no NaN or infinity.", field=name)
    if np.any(array < 0):
        raise InvalidInput(f"{name} must not be negative.", field=name)
    array.setflags(write=False)
    return array
