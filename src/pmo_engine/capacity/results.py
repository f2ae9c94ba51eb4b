"""What :func:`~pmo_engine.capacity.analyse_capacity` returns: heatmap arrays with their keys,
aggregates, burnout risks and skill gaps, and a drill-down into any cell.

Arrays are numpy float64 in hours unless said otherwise; axis 0 follows the keys next to it
(resources, skills, groups), the last axis the grid's periods. Utilisation is demand over capacity
as a fraction (1.0 is 100 %), ``inf`` where capacity is 0 and there is demand (see
:func:`~pmo_engine.capacity.arrays.utilisation_of`).
"""

import bisect
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

import numpy as np

from pmo_engine.capacity.arrays import DemandLayout, utilisation_of
from pmo_engine.capacity.inputs import PeriodGrid
from pmo_engine.errors import InvalidInput


class GapRecommendation(StrEnum):
    """How to close a skill gap, cheapest first (the order the rules are tried in)."""

    RESCHEDULE = "reschedule"
    TRAINING = "training"
    PERMANENT_HIRE = "permanent_hire"
    CONTINGENT_HIRE = "contingent_hire"


@dataclass(frozen=True, slots=True)
class BurnoutRisk:
    """A resource overloaded (above the threshold) in ``periods`` consecutive periods from ``first_period``.

    Totals are over the run: ``overallocated_hours`` is demand above capacity (not above the
    threshold); ``peak_utilisation`` is the highest period's (``inf`` when it had no capacity).
    """

    resource_key: str
    first_period: int
    first_period_start: date
    periods: int
    demand_hours: float
    capacity_hours: float
    overallocated_hours: float
    peak_utilisation: float


@dataclass(frozen=True, slots=True)
class SkillGap:
    """A run of consecutive periods in which demand for a skill exceeds the capacity of its holders,
    with a recommendation and every number that led to it (see :mod:`pmo_engine.capacity.skills`).

    - ``gap_hours``: the gap in each period of the run; ``required_level``: the highest proficiency
      level at which demand exceeds capacity in the run (hiring or training at it closes the gap);
    - ``weeks``: the run's length in weeks (days / 7); ``is_open_ended``: the run reaches the end of
      the horizon, so it may go on;
    - ``mean_gap_hours_per_week`` and ``least_gap_hours_per_week`` (the weekly gap rate, gap hours
      per 7 days of a period, on average and in the lowest period), ``variation`` (its coefficient of
      variation, 0 for a steady gap), ``full_time_equivalents`` (mean weekly gap / full-time hours a week);
    - ``nearby_slack_hours``: spare hours at levels up to the required level in the periods just
      around the run (counted only for runs short enough to reschedule, else 0);
    - ``lower_level_spare_hours``: in each period of the run, spare hours of the people holding the
      skill below the required level; ``reason``: the rule that fired, in words and numbers.
    """

    skill_key: str
    first_period: int
    first_period_start: date
    periods: int
    weeks: float
    is_open_ended: bool
    required_level: int
    gap_hours: tuple[float, ...]
    total_gap_hours: float
    peak_gap_hours: float
    mean_gap_hours_per_week: float
    least_gap_hours_per_week: float
    variation: float
    full_time_equivalents: float
    nearby_slack_hours: float
    lower_level_spare_hours: tuple[float, ...]
    recommendation: GapRecommendation
    reason: str


@dataclass(frozen=True, slots=True)
class CellDemand:
    """One demand item's hours in one heatmap cell."""

    item_key: str
    project_key: str
    hours: float
    is_billable: bool


@dataclass(frozen=True, eq=False)
class GroupLoad:
    """Capacity and assigned demand summed over the resources of each group (organisation unit or
    employment type): arrays (groups, periods) in hours, ``resource_counts`` (groups,)."""

    keys: tuple[str, ...]
    resource_counts: np.ndarray
    capacity_hours: np.ndarray
    demand_hours: np.ndarray
    billable_hours: np.ndarray

    @property
    def utilisation(self) -> np.ndarray:
        return utilisation_of(self.demand_hours, self.capacity_hours)

    @property
    def billable_utilisation(self) -> np.ndarray:
        return utilisation_of(self.billable_hours, self.capacity_hours)

    @property
    def capacity_share(self) -> np.ndarray:
        """Each group's share of the period's capacity (columns sum to 1, or 0 when there is none):
        for employment types, the permanent and contingent mix."""
        total = self.capacity_hours.sum(axis=0)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(total > 0, self.capacity_hours / total, 0.0)

    def row(self, key: str) -> int:
        try:
            return self.keys.index(key)
        except ValueError:
            raise InvalidInput(f"No group {key!r} in this result.", field="key") from None


@dataclass(frozen=True, eq=False)
class SkillLoad:
    """Capacity and demand per skill and proficiency level.

    - ``capacity_hours[s, l, p]``: capacity of the people holding skill s at level l + 1 or higher
      (each person counts whole toward every skill held, so skills do not add up);
    - ``demand_hours[s, l, p]``: demand (assigned or not) naming skill s with a minimum level of
      l + 1 or higher; ``[s, 0]`` is all demand for the skill;
    - ``holder_counts[s, l]``: people holding skill s at level l + 1 or higher;
    - ``gap_hours[s, p]``: the largest excess of demand over capacity over the levels, 0 when none.
    """

    skill_keys: tuple[str, ...]
    holder_counts: np.ndarray
    capacity_hours: np.ndarray
    demand_hours: np.ndarray
    gap_hours: np.ndarray

    def row(self, skill_key: str) -> int:
        try:
            return self.skill_keys.index(skill_key)
        except ValueError:
            raise InvalidInput(f"No skill {skill_key!r} in this result.", field="skill_key") from None


@dataclass(frozen=True, eq=False)
class CapacityResult:
    """Capacity against demand for every resource and period of a grid.

    Heatmaps, (resources, periods) in hours, rows in ``resource_keys`` order (sorted):
    ``capacity_hours`` (>= 0), ``demand_hours`` and ``billable_hours`` (assigned demand),
    ``utilisation`` and ``billable_utilisation`` (fractions), ``overallocated_hours`` (demand above
    capacity), ``idle_hours`` (capacity not asked for), ``is_overloaded`` (bool: demand above
    ``overload_threshold`` times capacity, or any demand on no capacity).
    ``unassigned_demand_hours`` (periods,): demand without a resource. ``daily_capacity_hours``
    (resources, days of the horizon) and ``period_day_offsets`` (periods + 1: first day of each
    period, then the day count) are the daily detail. Lists are sorted by key, then first period.
    """

    grid: PeriodGrid
    period_starts: tuple[date, ...]
    period_day_offsets: np.ndarray
    resource_keys: tuple[str, ...]
    capacity_hours: np.ndarray
    demand_hours: np.ndarray
    billable_hours: np.ndarray
    utilisation: np.ndarray
    billable_utilisation: np.ndarray
    overallocated_hours: np.ndarray
    idle_hours: np.ndarray
    is_overloaded: np.ndarray
    unassigned_demand_hours: np.ndarray
    daily_capacity_hours: np.ndarray
    overload_threshold: float
    by_skill: SkillLoad
    by_organisation_unit: GroupLoad
    by_employment_type: GroupLoad
    burnout_risks: tuple[BurnoutRisk, ...]
    skill_gaps: tuple[SkillGap, ...]
    demand_layout: DemandLayout = field(repr=False)

    def resource_index(self, resource_key: str) -> int:
        """Row of ``resource_key`` in the heatmaps; O(log R)."""
        index = bisect.bisect_left(self.resource_keys, resource_key)
        if index == len(self.resource_keys) or self.resource_keys[index] != resource_key:
            raise InvalidInput(f"No resource {resource_key!r} in this result.", field="resource_key")
        return index

    def period_index(self, period: int | date) -> int:
        """A period given by index or by any date inside it, as an index."""
        if isinstance(period, date):
            index = self.grid.period_index(period)
            if index is None:
                raise InvalidInput(f"{period.isoformat()} is outside the grid's horizon.", field="period")
            return index
        if isinstance(period, bool) or not isinstance(period, int) or not 0 <= period < self.grid.periods:
            raise InvalidInput(f"period must be 0 to {self.grid.periods - 1}, not {period!r}.", field="period")
        return period

    def cell_demand(self, resource_key: str | None, period: int | date) -> tuple[CellDemand, ...]:
        """The demand items that fill a heatmap cell, with their hours there, largest first (then by key).

        ``resource_key`` None drills into unassigned demand. Items with no hours in the cell are
        left out; the hours add up to the cell's demand. O(N) for N demand items.
        """
        layout = self.demand_layout
        period = self.period_index(period)
        if resource_key is None:
            row = len(self.resource_keys)
            working = (self.grid.start.weekday() + np.arange(self.grid.day_count)) % 7 < 5
        else:
            row = self.resource_index(resource_key)
            working = self.daily_capacity_hours[row] > 0
        working_before = np.concatenate(([0], np.cumsum(working)))
        first, stop = int(self.period_day_offsets[period]), int(self.period_day_offsets[period + 1])
        mine = np.flatnonzero(layout.row == row)
        low = np.maximum(layout.first_day[mine], first)
        high = np.maximum(np.minimum(layout.stop_day[mine], stop), low)
        days = np.where(layout.is_calendar_spread[mine], high - low, working_before[high] - working_before[low])
        hours: dict[int, float] = {}
        for item, amount in zip(mine.tolist(), (layout.hours_per_day[mine] * days).tolist(), strict=True):
            if amount > 0:
                hours[item] = amount
        explicit = (layout.row[layout.explicit_item] == row) & (layout.explicit_period == period)
        for item, amount in zip(
            layout.explicit_item[explicit].tolist(), layout.explicit_hours[explicit].tolist(), strict=True
        ):
            if amount > 0:
                hours[item] = hours.get(item, 0.0) + amount
        cells = [
            CellDemand(layout.items[item].key, layout.items[item].project_key, amount, layout.items[item].is_billable)
            for item, amount in hours.items()
        ]
        return tuple(sorted(cells, key=lambda cell: (-cell.hours, cell.item_key)))

    @property
    def employment_mix(self) -> np.ndarray:
        """Share of capacity held by permanent (row 0) and contingent (row 1) staff in each period."""
        return self.by_employment_type.capacity_share
