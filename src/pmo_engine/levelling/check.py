"""Every rule a schedule must keep, resource loads, objective values and lower bounds.

A schedule is an array of starts in the instance's array order (``starts[i]`` for
``instance.keys[i]``). :func:`check` lists what it breaks: capacity (one violation per resource and
maximal run of overloaded periods), links (in the link's own terms: kind and lag), releases,
deadlines and fixed starts. The solvers return only schedules for which it finds nothing.

The weighted delay of a project counts from its due period; a project without one counts from the
finish of its own critical path (:func:`effective_dues`), so that only the delay the resources
cause is counted.
"""

import numpy as np

from pmo_engine.errors import InvalidInput
from pmo_engine.levelling.problem import Instance, LinkKind, Objective, Violation

_KIND_WORDS = {
    LinkKind.FINISH_TO_START: "finish-to-start",
    LinkKind.START_TO_START: "start-to-start",
    LinkKind.FINISH_TO_FINISH: "finish-to-finish",
    LinkKind.START_TO_FINISH: "start-to-finish",
}


def _periods(count: int) -> str:
    return f"{count} period" if abs(count) == 1 else f"{count} periods"


def _as_starts(instance: Instance, starts: np.ndarray) -> np.ndarray:
    """``starts`` as an int64 array of one start per job, or :class:`InvalidInput`."""
    array = np.asarray(starts)
    if array.shape != (instance.size,):
        raise InvalidInput(f"starts must hold one start per job ({instance.size}), not shape {array.shape}.")
    if array.size and not np.issubdtype(array.dtype, np.integer):
        raise InvalidInput(f"starts must be whole numbers, not {array.dtype}.")
    return array.astype(np.int64, copy=False)


def _loads_from(instance: Instance, starts: np.ndarray, origin: int) -> np.ndarray:
    """Load per resource and period from period ``origin`` (<= every start) to the last finish."""
    finish = starts + instance.duration
    periods = int(finish.max()) - origin if instance.size else 0
    change = np.zeros((periods + 1, len(instance.resource_keys)), dtype=np.int64)
    running = instance.duration > 0
    np.add.at(change, starts[running] - origin, instance.demand[running])
    np.subtract.at(change, finish[running] - origin, instance.demand[running])
    return np.cumsum(change, axis=0)[:periods].T


def resource_profile(instance: Instance, starts: np.ndarray) -> np.ndarray:
    """Load of each resource (rows, in ``instance.resource_keys`` order) in each period from 0 to the last finish.

    A difference array: each job adds its demands at its start and takes them off at its finish;
    one cumulative sum gives the loads, O(n * r + horizon * r).
    """
    starts = _as_starts(instance, starts)
    if instance.size and starts.min() < 0:
        first = int(np.argmin(starts))
        raise InvalidInput(f"Job {instance.keys[first]} starts at period {int(starts[first])}, before period 0.")
    return _loads_from(instance, starts, 0)


def check(instance: Instance, starts: np.ndarray) -> tuple[Violation, ...]:
    """Every rule ``starts`` breaks: capacity, links, releases, deadlines, fixed starts (in that order)."""
    starts = _as_starts(instance, starts)
    if not instance.size:
        return ()
    return (
        *_capacity_violations(instance, starts),
        *_link_violations(instance, starts),
        *_job_violations(instance, starts),
    )


def _capacity_violations(instance: Instance, starts: np.ndarray) -> list[Violation]:
    origin = min(0, int(starts.min()))
    loads = _loads_from(instance, starts, origin)
    over = loads > instance.capacity[:, None]
    edges = np.diff(over.astype(np.int8), axis=1, prepend=0, append=0)
    violations = []
    for resource, first in zip(*np.nonzero(edges == 1), strict=True):
        last = int(np.flatnonzero(edges[resource, first + 1 :] == -1)[0]) + first  # the run's last period
        run = loads[resource, first : last + 1]
        peak, varies = int(run.max()), bool((run != run[0]).any())
        key, capacity = instance.resource_keys[resource], int(instance.capacity[resource])
        periods = f"period {first + origin}" if first == last else f"periods {first + origin} to {last + origin}"
        violations.append(
            Violation(
                "capacity",
                f"Resource {key} is loaded with {'up to ' if varies else ''}{peak} units in {periods}, "
                f"above its capacity of {capacity}.",
            )
        )
    return violations


def _link_violations(instance: Instance, starts: np.ndarray) -> list[Violation]:
    links = instance.problem.links
    if not links:
        return []
    index = {key: i for i, key in enumerate(instance.keys)}
    before = np.array([index[link.before] for link in links], dtype=np.int64)
    after = np.array([index[link.after] for link in links], dtype=np.int64)
    lag = np.array([link.lag for link in links], dtype=np.int64)
    from_finish = np.array([link.kind in (LinkKind.FINISH_TO_START, LinkKind.FINISH_TO_FINISH) for link in links])
    to_finish = np.array([link.kind in (LinkKind.FINISH_TO_FINISH, LinkKind.START_TO_FINISH) for link in links])
    gap = (starts[after] + to_finish * instance.duration[after]) - (
        starts[before] + from_finish * instance.duration[before]
    )
    violations = []
    for k in np.flatnonzero(gap < lag).tolist():
        link = links[k]
        event, events = ("finish", "finishes") if to_finish[k] else ("start", "starts")
        event_before = "finishes" if from_finish[k] else "starts"
        needed, actual = int(link.lag), int(gap[k])
        violations.append(
            Violation(
                "link",
                f"Link {link.before} → {link.after} ({_KIND_WORDS[link.kind]}, lag {needed}): {link.after} must "
                f"{event} {_needed_words(needed)} {link.before} {event_before}, but {events} {_actual_words(actual)}.",
            )
        )
    return violations


def _needed_words(lag: int) -> str:
    if lag > 0:
        return f"at least {_periods(lag)} after"
    return "no earlier than" if lag == 0 else f"no earlier than {_periods(-lag)} before"


def _actual_words(gap: int) -> str:
    if gap == 0:
        return "in the same period"
    return f"{_periods(gap)} after" if gap > 0 else f"{_periods(-gap)} before"


def _job_violations(instance: Instance, starts: np.ndarray) -> list[Violation]:
    finish = starts + instance.duration
    violations = []
    for i in np.flatnonzero(starts < instance.release).tolist():
        violations.append(
            Violation(
                "release",
                f"Job {instance.keys[i]} starts in period {int(starts[i])}, before its release in period "
                f"{int(instance.release[i])}.",
            )
        )
    for i in np.flatnonzero((instance.deadline >= 0) & (finish > instance.deadline)).tolist():
        violations.append(
            Violation(
                "deadline",
                f"Job {instance.keys[i]} finishes at period {int(finish[i])}, after its deadline of period "
                f"{int(instance.deadline[i])}.",
            )
        )
    for i in np.flatnonzero((instance.fixed >= 0) & (starts != instance.fixed)).tolist():
        violations.append(
            Violation(
                "fixed",
                f"Job {instance.keys[i]} starts in period {int(starts[i])}, but its start is fixed at period "
                f"{int(instance.fixed[i])}.",
            )
        )
    return violations


def project_finishes(instance: Instance, starts: np.ndarray) -> np.ndarray:
    """The finish of each project (``instance.project_keys`` order): its last job's finish, 0 without jobs."""
    starts = _as_starts(instance, starts)
    finish = np.zeros(len(instance.project_keys), dtype=np.int64)
    np.maximum.at(finish, instance.project, starts + instance.duration)
    return finish


def effective_dues(instance: Instance) -> np.ndarray:
    """Each project's due period; for a project without one, the finish of its critical path."""
    return np.where(
        instance.project_due >= 0, instance.project_due, project_finishes(instance, instance.earliest_starts())
    )


def objective_value(instance: Instance, starts: np.ndarray) -> int:
    """The primary objective of ``starts``: makespan, or ``sum(weight * max(0, finish - due))`` over projects."""
    starts = _as_starts(instance, starts)
    if instance.problem.objective is Objective.MAKESPAN:
        return int((starts + instance.duration).max()) if instance.size else 0
    delay = np.maximum(project_finishes(instance, starts) - effective_dues(instance), 0)
    return int((instance.project_weight * delay).sum())


def energy_bound(instance: Instance, earliest: np.ndarray) -> int:
    """A makespan bound from resource energy: for each resource and each earliest start ``t``, the jobs
    that cannot start before ``t`` need ``sum(duration * demand)`` unit-periods of it after ``t``, at
    most its capacity per period, so the makespan is at least ``t + ceil(energy / capacity)``."""
    bound = 0
    order = np.argsort(earliest, kind="stable")[::-1]
    times = earliest[order]
    for r in range(len(instance.resource_keys)):
        capacity = int(instance.capacity[r])
        energy = np.cumsum(instance.duration[order] * instance.demand[order, r])  # jobs with earliest >= times[k]
        if capacity <= 0 or not energy.size or energy[-1] == 0:
            continue
        bound = max(bound, int((times + -(-energy // capacity)).max()))
    return bound


def lower_bound(instance: Instance) -> int:
    """A proven lower bound on the primary objective, from links, releases, fixed starts and resource energy.

    Makespan: the larger of the critical path's finish and :func:`energy_bound`. Weighted delay:
    ``sum(weight * max(0, critical-path finish - due))`` over the projects.
    """
    if not instance.size:
        return 0
    earliest = instance.earliest_starts()
    if instance.problem.objective is Objective.MAKESPAN:
        return max(int((earliest + instance.duration).max()), energy_bound(instance, earliest))
    delay = np.maximum(project_finishes(instance, earliest) - effective_dues(instance), 0)
    return int((instance.project_weight * delay).sum())


def gap_of(objective: int, bound: int) -> float:
    """``(objective - bound) / objective``, 0 when the bound meets the objective (so also when both are 0)."""
    return 0.0 if objective <= bound else (objective - bound) / objective
