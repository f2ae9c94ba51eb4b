"""Capacity and demand as numpy arrays: the kernel of capacity analysis.

The day axis is the grid's horizon: day offset d is ``grid.start + d days``, 0 <= d < D. Rows
0..R-1 are the resources sorted by key; row R is the *unassigned row*, a Monday-to-Friday week
without absences over which unassigned demand is spread.

Cost: O(R * D) for the daily capacity and its running count of working days, O(N log A) for N
demand items and A absences, and O(pairs) for the hours of each item in each period it overlaps (pairs <= N * P; items
are processed in chunks of about 260,000 pairs so that memory stays bounded). Python loops run
once per resource and once per item to read the data classes, never in the numerical work.
"""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import chain
from operator import attrgetter

import numpy as np

from pmo_engine.capacity.inputs import (
    HIGHEST_PROFICIENCY,
    STANDARD_WEEKDAY_COUNT,
    CapacityResource,
    DemandItem,
    PeriodGrid,
)
from pmo_engine.errors import InvalidInput

_ROW_STRIDE = 1 << 32  # row * stride + date ordinal: one sorted key per (row, day); ordinals stay below 2**22
_NO_CONTRACT_END = date.max.toordinal() + 1
_PAIRS_PER_CHUNK = 1 << 18  # about 30 MB of temporary arrays per chunk
HOURS_TOLERANCE = 1e-6  # hours below this are rounding noise: no overload, no gap


@dataclass(frozen=True, eq=False)
class DayAxis:
    """The horizon of a grid as day offsets: ``period_offsets[p]`` is the first day of period p and
    ``period_offsets[P]`` the day count D; ``period_of_day[d]`` the period of day d."""

    first_ordinal: int
    day_count: int
    period_offsets: np.ndarray
    period_of_day: np.ndarray

    @classmethod
    def of(cls, grid: PeriodGrid) -> "DayAxis":
        offsets = np.array([(start - grid.start).days for start in (*grid.period_starts, grid.end)], dtype=np.int64)
        period_of_day = np.repeat(np.arange(grid.periods, dtype=np.int64), np.diff(offsets))
        return cls(grid.start.toordinal(), grid.day_count, offsets, period_of_day)

    @property
    def period_count(self) -> int:
        return len(self.period_offsets) - 1

    def weekdays(self) -> np.ndarray:
        """``date.weekday()`` of each day of the horizon (Monday is 0); ordinal 1 was a Monday."""
        return (self.first_ordinal - 1 + np.arange(self.day_count, dtype=np.int64)) % 7


@dataclass(frozen=True, eq=False)
class ResourceArrays:
    """The resources (rows 0..R-1, sorted by key) and the unassigned row R, as arrays.

    - ``daily_capacity_hours`` (R, D): hours each person can work each day of the horizon, from the
      weekday pattern, 0 on non-working dates and after the contract end; never negative;
    - ``working_day_count`` (R + 1, D + 1) int32: working days of row r on days [0, d) (a working
      day is a day with capacity; for the unassigned row, Monday to Friday);
    - ``pattern_day_count`` (R + 1, 8): working weekdays among the first k days of a week (Monday
      first), ``absence_keys``: sorted ``row * 2**32 + ordinal`` of non-working dates that fall on
      a working weekday before the contract ends, ``contract_stop``: ordinal of the first day
      after the contract. Together they count working days over any range, inside the horizon or not;
    - ``skill_row``, ``skill_index``, ``skill_level``: one entry per (resource, skill held).
    """

    keys: tuple[str, ...]
    organisation_unit_keys: tuple[str, ...]
    employment_types: tuple[str, ...]
    daily_capacity_hours: np.ndarray
    working_day_count: np.ndarray
    pattern_day_count: np.ndarray
    absence_keys: np.ndarray
    contract_stop: np.ndarray
    skill_row: np.ndarray
    skill_index: np.ndarray
    skill_level: np.ndarray

    @property
    def unassigned_row(self) -> int:
        return len(self.keys)

    def working_days(self, rows: np.ndarray, first: np.ndarray, stop: np.ndarray) -> np.ndarray:
        """Working days of each row in ordinals [first, stop), in closed form: O(log A) each for A absences."""
        stop = np.minimum(stop, self.contract_stop[rows])
        weekly = self.pattern_day_count[rows, 7]

        def pattern_days_before(ordinal: np.ndarray) -> np.ndarray:
            weeks, rest = np.divmod(ordinal - 1, 7)
            return weeks * weekly + self.pattern_day_count[rows, rest]

        base = rows * _ROW_STRIDE
        absent = np.searchsorted(self.absence_keys, base + stop) - np.searchsorted(self.absence_keys, base + first)
        counts = pattern_days_before(stop) - pattern_days_before(first) - absent
        return np.where(stop > first, counts, 0)


def resource_arrays(resources: Sequence[CapacityResource], axis: DayAxis, skill_keys: Sequence[str]) -> ResourceArrays:
    """Arrays of ``resources`` (already sorted by key) on ``axis``; ``skill_keys`` sorted. O(R * D)."""
    count = len(resources)
    pattern = np.array([resource.weekday_hours for resource in resources], dtype=np.float64).reshape(count, 7)
    daily = pattern[:, axis.weekdays()]
    contract_stop = np.array(
        [_NO_CONTRACT_END if r.contract_end is None else r.contract_end.toordinal() + 1 for r in resources]
        + [_NO_CONTRACT_END],
        dtype=np.int64,
    )
    daily[np.arange(axis.day_count) >= (contract_stop[:count, None] - axis.first_ordinal)] = 0.0
    absence_rows = np.repeat(np.arange(count, dtype=np.int64), [len(r.non_working_dates) for r in resources])
    absence_ordinals = np.fromiter(
        map(date.toordinal, chain.from_iterable(map(attrgetter("non_working_dates"), resources))),
        dtype=np.int64,
        count=len(absence_rows),
    )
    absence_days = absence_ordinals - axis.first_ordinal
    inside = (absence_days >= 0) & (absence_days < axis.day_count)
    daily[absence_rows[inside], absence_days[inside]] = 0.0

    working_weekdays = np.vstack([pattern > 0, np.arange(7) < STANDARD_WEEKDAY_COUNT])
    pattern_day_count = np.zeros((count + 1, 8), dtype=np.int64)
    np.cumsum(working_weekdays, axis=1, out=pattern_day_count[:, 1:])
    counted = working_weekdays[absence_rows, (absence_ordinals - 1) % 7] & (
        absence_ordinals < contract_stop[absence_rows]
    )
    absence_keys = np.sort(absence_rows[counted] * _ROW_STRIDE + absence_ordinals[counted])  # each set has no repeat

    working = np.vstack([daily > 0, (axis.weekdays() < STANDARD_WEEKDAY_COUNT)[None, :]])
    working_day_count = np.zeros((count + 1, axis.day_count + 1), dtype=np.int32)
    np.cumsum(working, axis=1, out=working_day_count[:, 1:])

    skill_of = {skill: index for index, skill in enumerate(skill_keys)}
    held = np.array(
        [(row, skill_of[skill], level) for row, r in enumerate(resources) for skill, level in r.skills], dtype=np.int64
    ).reshape(-1, 3)
    return ResourceArrays(
        keys=tuple(r.key for r in resources),
        organisation_unit_keys=tuple(r.organisation_unit_key for r in resources),
        employment_types=tuple(r.employment_type.value for r in resources),
        daily_capacity_hours=daily,
        working_day_count=working_day_count,
        pattern_day_count=pattern_day_count,
        absence_keys=absence_keys,
        contract_stop=contract_stop,
        skill_row=held[:, 0],
        skill_index=held[:, 1],
        skill_level=held[:, 2],
    )


@dataclass(frozen=True, eq=False)
class DemandLayout:
    """The demand items as arrays; entry i is ``items[i]`` (input order).

    - ``row``: the resource row, or R for unassigned demand;
    - ``first_day``, ``stop_day``: the item's days inside the horizon, offsets [first, stop) (equal
      when it has none there or when its hours are given per period);
    - ``hours_per_day``: hours on each working day of its row in that range, or on each calendar
      day when ``is_calendar_spread`` (no working day in the item's whole range); 0 when explicit;
    - ``skill`` (index into the sorted skill keys, -1 for none), ``minimum_level``, ``is_billable``;
    - ``explicit_item``, ``explicit_period``, ``explicit_hours``: the ``hours_by_period`` amounts
      that fall inside the horizon, one entry each.
    """

    items: tuple[DemandItem, ...]
    row: np.ndarray
    first_day: np.ndarray
    stop_day: np.ndarray
    hours_per_day: np.ndarray
    is_calendar_spread: np.ndarray
    skill: np.ndarray
    minimum_level: np.ndarray
    is_billable: np.ndarray
    explicit_item: np.ndarray
    explicit_period: np.ndarray
    explicit_hours: np.ndarray


def demand_layout(
    items: Sequence[DemandItem], resources: ResourceArrays, axis: DayAxis, skill_keys: Sequence[str]
) -> DemandLayout:
    """Place each item on the day axis: its row, its clipped day range and its hours per day. O(N log A)."""
    count = len(items)
    # map() with attrgetter and C methods reads 200,000 items in a few milliseconds per field;
    # None (no resource, no hours) and unknown keys become NaN in a float array.
    row_of: dict[str | None, int] = {key: row for row, key in enumerate(resources.keys)}
    row_of[None] = resources.unassigned_row
    resource_keys = list(map(attrgetter("resource_key"), items))
    found_row = np.array(list(map(row_of.get, resource_keys)), dtype=np.float64).reshape(count)
    if np.isnan(found_row).any():
        index = int(np.argmax(np.isnan(found_row)))
        raise InvalidInput(
            f"Demand item {items[index].key} names resource {resource_keys[index]!r}, "
            "which is not among the resources.",
            field="resource_key",
        )
    row = found_row.astype(np.int64)
    first = np.fromiter(map(date.toordinal, map(attrgetter("start"), items)), dtype=np.int64, count=count)
    stop = np.fromiter(map(date.toordinal, map(attrgetter("end"), items)), dtype=np.int64, count=count) + 1
    total = np.array(list(map(attrgetter("hours"), items)), dtype=np.float64).reshape(count)
    is_explicit = np.isnan(total)
    skill_of: dict[str | None, int] = {skill: index for index, skill in enumerate(skill_keys)}
    skill_of[None] = -1
    skill = np.fromiter(
        map(skill_of.__getitem__, map(attrgetter("required_skill"), items)), dtype=np.int64, count=count
    )
    minimum_level = np.fromiter(map(attrgetter("minimum_proficiency"), items), dtype=np.int64, count=count)
    is_billable = np.fromiter(map(attrgetter("is_billable"), items), dtype=bool, count=count)

    working_days = resources.working_days(row, first, stop)
    is_calendar_spread = (working_days == 0) & ~is_explicit
    days = np.where(is_calendar_spread, stop - first, working_days)
    with np.errstate(invalid="ignore", divide="ignore"):
        hours_per_day = np.where(is_explicit, 0.0, total / np.maximum(days, 1))
    first_day = np.clip(first - axis.first_ordinal, 0, axis.day_count)
    stop_day = np.where(is_explicit, first_day, np.clip(stop - axis.first_ordinal, 0, axis.day_count))

    explicit = np.flatnonzero(is_explicit).tolist()
    given = [items[index].hours_by_period for index in explicit]
    explicit_item = np.repeat(np.array(explicit, dtype=np.int64), [len(pairs) for pairs in given])  # type: ignore[arg-type]
    amounts = list(chain.from_iterable(given))  # type: ignore[arg-type]
    explicit_day = np.fromiter((day.toordinal() for day, _ in amounts), dtype=np.int64, count=len(amounts))
    explicit_day -= axis.first_ordinal
    explicit_hours = np.fromiter((hours for _, hours in amounts), dtype=np.float64, count=len(amounts))
    inside = (explicit_day >= 0) & (explicit_day < axis.day_count)
    return DemandLayout(
        items=tuple(items),
        row=row,
        first_day=first_day,
        stop_day=stop_day,
        hours_per_day=hours_per_day,
        is_calendar_spread=is_calendar_spread,
        skill=skill,
        minimum_level=minimum_level,
        is_billable=is_billable,
        explicit_item=explicit_item[inside],
        explicit_period=axis.period_of_day[explicit_day[inside]],
        explicit_hours=explicit_hours[inside],
    )


def period_pairs(
    layout: DemandLayout, resources: ResourceArrays, axis: DayAxis
) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """The hours of each item in each period it touches, as chunks of (item, period, hours) arrays.

    A spread item's hours in period p are its hours per day times its row's working days (calendar
    days when calendar-spread) in [first, stop) within p: exact and never negative. Explicit
    amounts come last, as given.
    """
    spread = np.flatnonzero(layout.stop_day > layout.first_day)
    first_period = axis.period_of_day[layout.first_day[spread]]
    last_period = axis.period_of_day[layout.stop_day[spread] - 1]
    counts = last_period - first_period + 1
    ends = np.cumsum(counts)
    bounds = np.searchsorted(ends, np.arange(_PAIRS_PER_CHUNK, int(ends[-1]) if len(ends) else 0, _PAIRS_PER_CHUNK))
    flat_count = resources.working_day_count.ravel()
    row_length = axis.day_count + 1
    for chunk in np.split(np.arange(len(spread)), np.unique(bounds)):
        if not len(chunk):
            continue
        chunk_counts = counts[chunk]
        item = np.repeat(spread[chunk], chunk_counts)
        within = np.arange(len(item)) - np.repeat(np.cumsum(chunk_counts) - chunk_counts, chunk_counts)
        period = np.repeat(first_period[chunk], chunk_counts) + within
        low = np.maximum(layout.first_day[item], axis.period_offsets[period])
        high = np.minimum(layout.stop_day[item], axis.period_offsets[period + 1])
        base = layout.row[item] * row_length
        working = flat_count[base + high].astype(np.int64) - flat_count[base + low]
        days = np.where(layout.is_calendar_spread[item], high - low, working)
        yield item, period, layout.hours_per_day[item] * days
    if len(layout.explicit_item):
        yield layout.explicit_item, layout.explicit_period, layout.explicit_hours


@dataclass(frozen=True, eq=False)
class DemandTotals:
    """Demand summed per cell: ``hours`` and ``billable_hours`` (R + 1, P), the last row unassigned;
    ``skill_hours`` (S, 5, P): demand naming skill s with minimum level exactly l + 1."""

    hours: np.ndarray
    billable_hours: np.ndarray
    skill_hours: np.ndarray


def demand_totals(layout: DemandLayout, resources: ResourceArrays, axis: DayAxis, skill_count: int) -> DemandTotals:
    """Sum :func:`period_pairs` into cells with ``np.bincount``. O(pairs + R * P + S * P)."""
    periods = axis.period_count
    cells = (resources.unassigned_row + 1) * periods
    hours = np.zeros(cells)
    billable = np.zeros(cells)
    skill_cells = skill_count * HIGHEST_PROFICIENCY * periods
    skill_hours = np.zeros(skill_cells)
    for item, period, amount in period_pairs(layout, resources, axis):
        cell = layout.row[item] * periods + period
        hours += np.bincount(cell, weights=amount, minlength=cells)
        billable += np.bincount(cell, weights=amount * layout.is_billable[item], minlength=cells)
        skill = layout.skill[item]
        named = skill >= 0
        level_offset = layout.minimum_level[item[named]] - 1
        skill_cell = (skill[named] * HIGHEST_PROFICIENCY + level_offset) * periods + period[named]
        skill_hours += np.bincount(skill_cell, weights=amount[named], minlength=skill_cells)
    return DemandTotals(
        hours=hours.reshape(-1, periods),
        billable_hours=billable.reshape(-1, periods),
        skill_hours=skill_hours.reshape(skill_count, HIGHEST_PROFICIENCY, periods),
    )


def sum_by_group(values: np.ndarray, groups: np.ndarray, group_count: int) -> np.ndarray:
    """Rows of ``values`` (n, P) summed per group id (n,) in 0..group_count-1, in a stable order.

    Sorting once and ``np.add.reduceat`` keep this O(n log n + n * P) with no Python loop per row.
    """
    result = np.zeros((group_count, values.shape[1]))
    if len(groups) == 0:
        return result
    order = np.argsort(groups, kind="stable")
    sorted_groups = groups[order]
    starts = np.flatnonzero(np.r_[True, sorted_groups[1:] != sorted_groups[:-1]])
    result[sorted_groups[starts]] = np.add.reduceat(values[order], starts, axis=0)
    return result


def at_least_levels(by_exact_level: np.ndarray) -> np.ndarray:
    """From (..., 5, P) hours per exact level to hours at level >= l + 1: a reversed running sum."""
    return np.flip(np.cumsum(np.flip(by_exact_level, axis=-2), axis=-2), axis=-2)


def utilisation_of(demand: np.ndarray, capacity: np.ndarray) -> np.ndarray:
    """Demand over capacity, element by element; where capacity is 0, +inf when there is demand
    (more than ``HOURS_TOLERANCE``: an overload, not a division error) and 0 when there is none."""
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = demand / capacity
    return np.where(capacity > 0, ratio, np.where(demand > HOURS_TOLERANCE, np.inf, 0.0))


def runs_of(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Maximal runs of True along the last axis of a 2-D mask: (row, first column, length), row-major order."""
    rows = mask.shape[0]
    padded = np.zeros((rows, mask.shape[1] + 2), dtype=np.int8)
    padded[:, 1:-1] = mask
    change = np.diff(padded, axis=1)
    start_row, start_column = np.nonzero(change == 1)
    _, stop_column = np.nonzero(change == -1)
    return start_row, start_column, stop_column - start_column


def reduce_runs(
    values: np.ndarray, rows: np.ndarray, firsts: np.ndarray, lengths: np.ndarray, operation: np.ufunc = np.add
) -> np.ndarray:
    """``operation`` (a numpy ufunc such as ``np.add`` or ``np.maximum``) over each run of a 2-D array.

    The runs, as :func:`runs_of` gives them (row-major order, non-empty, not overlapping), become
    pairs of indices into the flattened array, so one ``reduceat`` call reduces them all exactly.
    """
    if len(rows) == 0:
        return np.zeros(0, dtype=values.dtype)
    width = values.shape[1]
    flat = np.append(values.ravel(), values.dtype.type(0))  # a stop at the very end stays a valid index
    starts = rows * width + firsts
    return operation.reduceat(flat, np.column_stack([starts, starts + lengths]).ravel())[::2]
