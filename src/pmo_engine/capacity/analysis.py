"""The one entry point of capacity analysis: :func:`analyse_capacity`."""

import itertools
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date
from operator import attrgetter

import numpy as np

from pmo_engine.capacity.arrays import (
    HOURS_TOLERANCE,
    DayAxis,
    ResourceArrays,
    at_least_levels,
    demand_layout,
    demand_totals,
    reduce_runs,
    resource_arrays,
    runs_of,
    sum_by_group,
    utilisation_of,
)
from pmo_engine.capacity.inputs import (
    HIGHEST_PROFICIENCY,
    CapacityResource,
    DemandItem,
    EmploymentType,
    GapRules,
    PeriodGrid,
)
from pmo_engine.capacity.results import BurnoutRisk, CapacityResult, GroupLoad, SkillLoad
from pmo_engine.capacity.skills import gap_hours_of, skill_gaps
from pmo_engine.errors import InvalidInput


def analyse_capacity(
    resources: Iterable[CapacityResource],
    demand: Iterable[DemandItem],
    grid: PeriodGrid,
    *,
    overload_threshold: float = 1.0,
    burnout_min_periods: int = 3,
    gap_rules: GapRules | None = None,
) -> CapacityResult:
    """Capacity, demand, utilisation, overloads, burnout risks, aggregates and skill gaps on ``grid``.

    - capacity: each resource's weekday hours on each day of the horizon, 0 on its non-working
      dates and after its contract end, summed per period;
    - demand: each item's hours spread as :class:`~pmo_engine.capacity.DemandItem` says; only
      hours inside the horizon count; unassigned demand feeds the skill figures and
      ``unassigned_demand_hours``, not the heatmap;
    - ``overload_threshold`` (a fraction, 1.0 = 100 %): a cell is overloaded when demand exceeds
      this times its capacity (any demand on no capacity is an overload);
    - ``burnout_min_periods``: a resource overloaded in at least this many consecutive periods is
      a burnout risk (one entry per such run);
    - ``gap_rules``: the thresholds of the skill gap recommendations (default :class:`GapRules`).

    Results do not depend on the order of the inputs (up to floating-point rounding of sums).
    Raises :class:`~pmo_engine.errors.InvalidInput` for a bad setting, a duplicate resource or
    item key, or an item naming an unknown resource.
    Cost: O(R * D + N log A + pairs + (S + G) * P) numpy work for R resources, D days, N items,
    A absences, S skills, G groups and P periods (pairs: item-period overlaps, at most N * P),
    plus one Python pass over the resources and one over the items to read them.
    """
    overload_threshold = _check_threshold(overload_threshold)
    if isinstance(burnout_min_periods, bool) or not isinstance(burnout_min_periods, int) or burnout_min_periods < 1:
        raise InvalidInput(
            f"burnout_min_periods must be a whole number of 1 or more, not {burnout_min_periods!r}.",
            field="burnout_min_periods",
        )
    if gap_rules is None:
        gap_rules = GapRules()
    if not isinstance(grid, PeriodGrid):
        raise InvalidInput(f"grid must be a PeriodGrid, not {grid!r}.", field="grid")
    people = _sorted_resources(resources)
    items = tuple(demand)
    _check_items(items)
    required = set(map(attrgetter("required_skill"), items)) - {None}
    skill_keys = tuple(sorted({skill for person in people for skill, _ in person.skills} | required))
    axis = DayAxis.of(grid)
    arrays = resource_arrays(people, axis, skill_keys)
    layout = demand_layout(items, arrays, axis, skill_keys)
    totals = demand_totals(layout, arrays, axis, len(skill_keys))
    capacity = np.add.reduceat(arrays.daily_capacity_hours, axis.period_offsets[:-1], axis=1)
    assigned = totals.hours[:-1]
    billable = totals.billable_hours[:-1]
    is_overloaded = assigned > overload_threshold * capacity + HOURS_TOLERANCE
    period_starts = grid.period_starts

    by_skill = _skill_load(arrays, capacity, totals.skill_hours, skill_keys)
    return CapacityResult(
        grid=grid,
        period_starts=period_starts,
        period_day_offsets=axis.period_offsets,
        resource_keys=arrays.keys,
        capacity_hours=capacity,
        demand_hours=assigned,
        billable_hours=billable,
        utilisation=utilisation_of(assigned, capacity),
        billable_utilisation=utilisation_of(billable, capacity),
        overallocated_hours=np.clip(assigned - capacity, 0, None),
        idle_hours=np.clip(capacity - assigned, 0, None),
        is_overloaded=is_overloaded,
        unassigned_demand_hours=totals.hours[-1],
        daily_capacity_hours=arrays.daily_capacity_hours,
        overload_threshold=overload_threshold,
        by_skill=by_skill,
        by_organisation_unit=_group_load(
            arrays.organisation_unit_keys, sorted(set(arrays.organisation_unit_keys)), capacity, assigned, billable
        ),
        by_employment_type=_group_load(
            arrays.employment_types, [kind.value for kind in EmploymentType], capacity, assigned, billable
        ),
        burnout_risks=_burnout_risks(
            arrays.keys,
            capacity=capacity,
            demand=assigned,
            is_overloaded=is_overloaded,
            min_periods=burnout_min_periods,
            period_starts=period_starts,
        ),
        skill_gaps=skill_gaps(
            skill_keys,
            capacity_at_least=by_skill.capacity_hours,
            demand_at_least=by_skill.demand_hours,
            gap_hours=by_skill.gap_hours,
            axis=axis,
            period_starts=period_starts,
            rules=gap_rules,
        ),
        demand_layout=layout,
    )


def _check_threshold(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value < float("inf"):
        raise InvalidInput(
            f"overload_threshold must be a fraction of capacity above 0 (1.0 is 100 %), not {value!r}.",
            field="overload_threshold",
        )
    return float(value)


def _sorted_resources(resources: Iterable[CapacityResource]) -> list[CapacityResource]:
    people = list(resources)
    for person in people:
        if not isinstance(person, CapacityResource):
            raise InvalidInput(f"resources must be CapacityResource objects, not {person!r}.", field="resources")
    people.sort(key=lambda person: person.key)
    for before, after in itertools.pairwise(people):
        if before.key == after.key:
            raise InvalidInput(f"Two resources have the key {after.key!r}.", field="key")
    return people


def _check_items(items: Sequence[DemandItem]) -> None:
    wrong = [kind for kind in set(map(type, items)) if not issubclass(kind, DemandItem)]
    if wrong:
        raise InvalidInput(f"demand must be DemandItem objects, not {wrong[0].__name__}.", field="demand")
    keys = list(map(attrgetter("key"), items))
    if len(set(keys)) != len(keys):
        duplicate = next(key for key, count in Counter(keys).items() if count > 1)
        raise InvalidInput(f"Two demand items have the key {duplicate!r}.", field="key")


def _group_load(
    group_of_row: Sequence[str],
    keys: Sequence[str],
    capacity: np.ndarray,
    demand: np.ndarray,
    billable: np.ndarray,
) -> GroupLoad:
    index = {key: position for position, key in enumerate(keys)}
    groups = np.fromiter((index[key] for key in group_of_row), dtype=np.int64, count=len(group_of_row))
    return GroupLoad(
        keys=tuple(keys),
        resource_counts=np.bincount(groups, minlength=len(keys)),
        capacity_hours=sum_by_group(capacity, groups, len(keys)),
        demand_hours=sum_by_group(demand, groups, len(keys)),
        billable_hours=sum_by_group(billable, groups, len(keys)),
    )


def _skill_load(
    arrays: ResourceArrays, capacity: np.ndarray, demand_by_exact_level: np.ndarray, skill_keys: Sequence[str]
) -> SkillLoad:
    """Capacity of holders and demand per skill at each level or more, and the gap."""
    skill_count, levels, periods = len(skill_keys), HIGHEST_PROFICIENCY, capacity.shape[1]
    exact = arrays.skill_index * levels + arrays.skill_level - 1
    capacity_exact = sum_by_group(capacity[arrays.skill_row], exact, skill_count * levels)
    holders_exact = np.bincount(exact, minlength=skill_count * levels).reshape(skill_count, levels)
    capacity_at_least = at_least_levels(capacity_exact.reshape(skill_count, levels, periods))
    demand_at_least = at_least_levels(demand_by_exact_level)
    return SkillLoad(
        skill_keys=tuple(skill_keys),
        holder_counts=np.flip(np.cumsum(np.flip(holders_exact, axis=1), axis=1), axis=1),
        capacity_hours=capacity_at_least,
        demand_hours=demand_at_least,
        gap_hours=gap_hours_of(capacity_at_least, demand_at_least),
    )


def _burnout_risks(
    keys: Sequence[str],
    *,
    capacity: np.ndarray,
    demand: np.ndarray,
    is_overloaded: np.ndarray,
    min_periods: int,
    period_starts: Sequence[date],
) -> tuple[BurnoutRisk, ...]:
    """Runs of at least ``min_periods`` overloaded periods per resource; O(R * P) plus O(runs)."""
    rows, firsts, lengths = runs_of(is_overloaded)
    long_enough = lengths >= min_periods
    rows, firsts, lengths = rows[long_enough], firsts[long_enough], lengths[long_enough]
    demand_run = reduce_runs(demand, rows, firsts, lengths)
    capacity_run = reduce_runs(capacity, rows, firsts, lengths)
    over_run = reduce_runs(np.clip(demand - capacity, 0, None), rows, firsts, lengths)
    peak_run = reduce_runs(utilisation_of(demand, capacity), rows, firsts, lengths, np.maximum)
    risks = [
        BurnoutRisk(
            resource_key=keys[row],
            first_period=first,
            first_period_start=period_starts[first],
            periods=length,
            demand_hours=demand_hours,
            capacity_hours=capacity_hours,
            overallocated_hours=over_hours,
            peak_utilisation=peak,
        )
        for row, first, length, demand_hours, capacity_hours, over_hours, peak in zip(
            rows.tolist(),
            firsts.tolist(),
            lengths.tolist(),
            demand_run.tolist(),
            capacity_run.tolist(),
            over_run.tolist(),
            peak_run.tolist(),
            strict=True,
        )
    ]
    return tuple(risks)
