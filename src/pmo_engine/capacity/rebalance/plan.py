"""The entry point of rebalancing, :func:`propose_rebalancing`, and the explanation of each move."""

import itertools
import math
from collections.abc import Iterable, Sequence

import numpy as np

from pmo_engine.capacity.analysis import _check_threshold
from pmo_engine.capacity.arrays import HOURS_TOLERANCE, utilisation_of
from pmo_engine.capacity.rebalance.candidates import (
    Candidates,
    Loads,
    candidate_moves,
    load_arrays,
    overload_of,
)
from pmo_engine.capacity.rebalance.inputs import RebalanceItem, RebalanceResource
from pmo_engine.capacity.rebalance.results import RebalanceMove, RebalancePlan, RebalanceStatus, ResourceOverload
from pmo_engine.capacity.rebalance.solver import solve
from pmo_engine.errors import InvalidInput

_LARGEST_SEED = 2**31 - 1  # CP-SAT's random_seed is a 32-bit integer


def propose_rebalancing(
    resources: Iterable[RebalanceResource],
    items: Iterable[RebalanceItem],
    *,
    overload_threshold: float = 1.0,
    max_candidates: int = 20,
    max_time_seconds: float = 10.0,
    num_workers: int = 2,
    random_seed: int = 0,
    period_labels: Sequence[str] | None = None,
) -> RebalancePlan:
    """Moves of whole items that minimise total overload, then the number of moves, then hours moved.

    - ``overload_threshold`` (a fraction, 1.0 = 100 %): load above this times capacity is overload;
    - ``max_candidates``: the most people considered for each item (those with the most spare hours);
    - ``max_time_seconds``: CP-SAT's time over both stages; ``num_workers``: its threads (1 for a
      plan that does not change from run to run); ``random_seed``: its seed;
    - ``period_labels``: names of the periods in explanations ("period 1", ... by default).

    The package docstring gives the moves considered and what each guarantees. Raises
    :class:`~pmo_engine.errors.InvalidInput` for a bad setting, a resource or item of the wrong
    type, a duplicate key, periods that do not match, or an item naming an unknown resource.
    """
    threshold = _check_threshold(overload_threshold)
    for name, value, lowest in (("max_candidates", max_candidates, 1), ("num_workers", num_workers, 1)):
        if isinstance(value, bool) or not isinstance(value, int) or value < lowest:
            raise InvalidInput(f"{name} must be a whole number of {lowest} or more, not {value!r}.", field=name)
    if isinstance(random_seed, bool) or not isinstance(random_seed, int) or not 0 <= random_seed <= _LARGEST_SEED:
        raise InvalidInput(
            f"random_seed must be a whole number from 0 to {_LARGEST_SEED}, not {random_seed!r}.", field="random_seed"
        )
    if (
        isinstance(max_time_seconds, bool)
        or not isinstance(max_time_seconds, int | float)
        or not 0 < max_time_seconds < math.inf
    ):
        raise InvalidInput(
            f"max_time_seconds must be a number of seconds above 0, not {max_time_seconds!r}.", field="max_time_seconds"
        )
    loads = load_arrays(resources, items, threshold)
    periods = loads.capacity.shape[1]
    labels = tuple(period_labels) if period_labels is not None else None
    if labels is not None and (len(labels) != periods or not all(isinstance(label, str) for label in labels)):
        raise InvalidInput(f"period_labels must be {periods} strings, one per period.", field="period_labels")

    before = overload_of(loads.excess)
    if not before.any():
        return _plan(
            loads, {}, Candidates([], [], []), before, RebalanceStatus.NO_OVERLOAD, is_optimal=True, labels=labels
        )
    candidates = candidate_moves(loads, max_candidates)
    if not candidates.items:
        return _plan(loads, {}, candidates, before, RebalanceStatus.NO_IMPROVEMENT, is_optimal=True, labels=labels)
    solution = solve(
        loads, candidates, max_time_seconds=float(max_time_seconds), num_workers=num_workers, random_seed=random_seed
    )
    target = _without_idle_moves(loads, solution.target, candidates)
    after = overload_of(loads.with_moves(target) - loads.limit)
    if after.sum() > before.sum() - HOURS_TOLERANCE:  # rounding to 0.01 h gained nothing in exact hours
        target, after = {}, before
    status = RebalanceStatus.NO_IMPROVEMENT
    if target:
        status = RebalanceStatus.OPTIMAL if solution.is_optimal else RebalanceStatus.FEASIBLE
    untouched = before.sum() - before[solution.cell_rows, solution.cell_periods].sum()
    bound = min(float(after.sum()), untouched + solution.bound_hours)
    return _plan(
        loads,
        target,
        candidates,
        before,
        status,
        is_optimal=solution.is_optimal,
        labels=labels,
        after=after,
        bound=bound,
        seconds=solution.seconds,
    )


def _without_idle_moves(loads: Loads, target: dict[int, int], candidates: Candidates) -> dict[int, int]:
    """Withdraw, smallest lone effect first (then by item key), each move whose withdrawal does not
    raise total overload. O(moves * P)."""
    removed = candidates.removed_hours_for(target)
    kept = dict(target)
    load = loads.with_moves(kept)
    for index in sorted(kept, key=lambda index: (removed[index], loads.items[index].key)):
        rows = [int(loads.owner[index]), kept[index]]
        now = overload_of(load[rows] - loads.limit[rows]).sum()
        load[rows] += np.array([loads.hours[index], -loads.hours[index]])
        if overload_of(load[rows] - loads.limit[rows]).sum() <= now + HOURS_TOLERANCE:
            del kept[index]
        else:
            load[rows] -= np.array([loads.hours[index], -loads.hours[index]])
    return kept


def _plan(
    loads: Loads,
    target: dict[int, int],
    candidates: Candidates,
    before: np.ndarray,
    status: RebalanceStatus,
    *,
    is_optimal: bool,
    labels: tuple[str, ...] | None,
    after: np.ndarray | None = None,
    bound: float | None = None,
    seconds: float = 0.0,
) -> RebalancePlan:
    after = before if after is None else after
    removed = candidates.removed_hours_for(target)
    moves = tuple(
        _move(loads, index, target[index], removed[index], labels)
        for index in sorted(target, key=lambda index: loads.items[index].key)
    )
    before_by_row, after_by_row = before.sum(axis=1), after.sum(axis=1)
    overloads = tuple(
        ResourceOverload(person.key, float(before_by_row[row]), float(after_by_row[row]))
        for row, person in enumerate(loads.people)
        if before_by_row[row] > 0 or after_by_row[row] > 0
    )
    return RebalancePlan(
        moves=moves,
        status=status,
        is_optimal=is_optimal,
        overload_before_hours=float(before.sum()),
        overload_after_hours=float(after.sum()),
        overload_bound_hours=float(after.sum()) if bound is None else bound,
        moved_hours=float(sum(move.hours for move in moves)),
        resource_overloads=overloads,
        movable_item_count=len(candidates.items),
        candidate_count=candidates.pair_count,
        seconds=seconds,
    )


def _move(loads: Loads, index: int, row: int, removed_hours: float, labels: tuple[str, ...] | None) -> RebalanceMove:
    item, source, person = loads.items[index], int(loads.owner[index]), loads.people[row]
    periods = np.flatnonzero(loads.hours[index] > 0)
    hot = periods[overload_of(loads.excess[source, periods]) > 0]
    capacity, load = loads.capacity[row, periods].sum(), loads.load[row, periods].sum()
    hours = loads.hours[index, periods].sum()
    label = item.label or item.key
    skill = item.required_skill or ""
    reason = (
        f"Moves {item.total_hours:.1f} h of '{label}' from {item.resource_key} "
        f"({_overloaded_text(loads.load[source, hot], loads.capacity[source, hot], hot, labels)}) "
        f"to {person.key} (holds {skill} at level "
        f"{person.proficiency(skill)}; {_percent(utilisation_of(load, capacity))} over the item's periods, "
        f"{_percent(utilisation_of(load + hours, capacity))} with it); on its own this removes "
        f"{removed_hours:.1f} h of overload."
    )
    return RebalanceMove(
        item_key=item.key,
        item_label=label,
        project_key=item.project_key,
        from_resource_key=item.resource_key,
        to_resource_key=person.key,
        hours=item.total_hours,
        overload_removed_hours=removed_hours,
        reason=reason,
    )


def _percent(utilisation: float | np.ndarray) -> str:
    return f"{100 * float(utilisation):.0f} % loaded"


def _overloaded_text(
    load: np.ndarray, capacity: np.ndarray, periods: np.ndarray, labels: tuple[str, ...] | None
) -> str:
    """How loaded a resource is in its overloaded ``periods``: "up to 150 % loaded in periods 1-2",
    "booked with no capacity in period 4", or both."""
    has_capacity = capacity > HOURS_TOLERANCE
    texts = []
    if has_capacity.any():
        peak = utilisation_of(load[has_capacity], capacity[has_capacity]).max()
        up_to = "up to " if has_capacity.sum() > 1 else ""
        texts.append(f"{up_to}{_percent(peak)} in {_periods_text(periods[has_capacity], labels)}")
    if not has_capacity.all():
        texts.append(f"booked with no capacity in {_periods_text(periods[~has_capacity], labels)}")
    return ", ".join(texts)


def _periods_text(periods: np.ndarray, labels: tuple[str, ...] | None) -> str:
    """Periods as runs: "periods 3-5 and 8" (numbered from 1), or "W10 to W12 and W15" with labels."""
    runs = []
    for _, group in itertools.groupby(enumerate(periods.tolist()), key=lambda pair: pair[1] - pair[0]):
        run = [period for _, period in group]
        runs.append((run[0], run[-1]))
    if labels is None:
        texts = [f"{first + 1}" if first == last else f"{first + 1}-{last + 1}" for first, last in runs]
        prefix = "period " if len(runs) == 1 and runs[0][0] == runs[0][1] else "periods "
    else:
        texts = [labels[first] if first == last else f"{labels[first]} to {labels[last]}" for first, last in runs]
        prefix = ""
    return prefix + (texts[0] if len(texts) == 1 else f"{', '.join(texts[:-1])} and {texts[-1]}")
