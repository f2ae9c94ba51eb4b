"""The exact levelling solver: CP-SAT with interval variables and cumulative constraints.

The model. One start variable per job, its domain the job's time window: from the earliest start
that releases, fixed starts and links allow, to the latest start that the horizon, deadlines and
links allow (a fixed job's window is its fixed start). Each job with a duration is a fixed-size
interval; each resource a cumulative constraint over the jobs that need it; each link an inequality
``start[after] >= start[before] + offset``. Redundant constraints make CP-SAT's reasoning stronger:
jobs of which no two can run side by side (together they need more of some resource than it holds,
or the links put one after the other) form no-overlap constraints (maximal groups, found greedily);
and with the makespan objective, an interval from the makespan to the horizon takes every resource
in full, so that the cumulative and no-overlap reasoning bounds the makespan directly. (On PSPLIB's
j30, groups with jobs ordered by links made some of the hardest instances provable in a fraction
of a second: their optimum is the length of such a group.)

The horizon. With an upper bound on the objective (from a schedule found by the heuristic, or
given), the makespan stays within it, and for the weighted delay each project finishes within
``due + bound // weight``. Without one, :func:`horizon` bounds the finish of some optimal schedule.

The objective. Makespan: a variable at least every job's finish. Weighted delay: per project a
delay variable at least ``finish - due`` of its jobs, weighted. With ``keep_plan``, a second solve
keeps the primary objective at its best value and minimises, from the first solve's schedule, the
number of jobs moved from their planned starts times a weight larger than any sum of moves, plus
the periods moved; the first solve has four fifths of the time, the second what is left.
"""

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from pmo_engine.errors import InvalidInput, ScheduleError
from pmo_engine.levelling.check import check, effective_dues, lower_bound, objective_value
from pmo_engine.levelling.problem import Instance, Objective, Status
from pmo_engine.stopwatch import Stopwatch

Progress = Callable[[int, int, float], None]
"""Called as ``progress(objective, bound, seconds)`` on each better schedule the solver finds."""

_SECOND_STAGE_SHARE = 0.2  # of the time limit kept for the keep-plan stage
GROUP_JOB_LIMIT = 1500  # jobs; beyond, no disjunctive groups


@dataclass(frozen=True, eq=False)
class ExactOutcome:
    """What the exact solver found: its best schedule (array order) and objective, or ``None`` when it
    found none; a proven lower bound on the objective; the wall time of building and solving."""

    status: Status
    starts: np.ndarray | None
    objective: int | None
    lower_bound: int
    seconds: float


def horizon(instance: Instance) -> int:
    """A period by which some optimal schedule finishes every job, if any schedule keeps every rule.

    ``base`` is the latest release, fixed start or planned start. Take an optimal schedule and a
    period ``t >= base`` in which no job runs and that no job's link reaches over, i.e. no job ``j``
    with ``start[j] <= t < start[j] + max(duration[j], largest offset from j)``. Moving every job
    that starts after ``t`` one period earlier keeps every rule (no fixed start or release lies after
    ``base``) and makes no finish later and no move from a planned start larger. Repeating that,
    the periods from ``base`` to the last finish are all covered by those windows, whose lengths
    add up to at most the sum below.
    """
    if not instance.size:
        return 0
    reach = instance.duration.copy()
    if len(instance.arcs):
        np.maximum.at(reach, instance.arcs[:, 0], instance.arcs[:, 2])
    base = max(int(instance.release.max()), int(instance.fixed.max()), int(instance.planned.max()), 0)
    return base + int(reach.sum())


def time_windows(instance: Instance, latest_finish: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Earliest and latest start of each job from releases, fixed starts, ``latest_finish`` (deadlines
    and horizon) and the links; a job whose earliest start comes after its latest cannot be placed."""
    fixed = instance.fixed >= 0
    earliest = np.maximum(instance.release, np.where(fixed, instance.fixed, 0))
    latest = latest_finish - instance.duration
    latest = np.where(fixed, np.minimum(latest, instance.fixed), latest)
    arcs = instance.arcs.tolist()
    for before, after, offset in arcs:  # sorted by `before`, a topological order
        earliest[after] = max(earliest[after], earliest[before] + offset)
    for before, after, offset in reversed(arcs):
        latest[before] = min(latest[before], latest[after] - offset)
    return earliest, latest


def _latest_finish(instance: Instance, upper_bound: int | None) -> np.ndarray:
    """The finish each job must keep: horizon, deadline, and the finish an upper bound on the objective allows."""
    limit = np.full(instance.size, horizon(instance), dtype=np.int64)
    limit = np.where(instance.deadline >= 0, np.minimum(limit, instance.deadline), limit)
    if upper_bound is None:
        return limit
    if instance.problem.objective is Objective.MAKESPAN:
        return np.minimum(limit, upper_bound)
    project_limit = effective_dues(instance) + upper_bound // instance.project_weight
    return np.minimum(limit, project_limit[instance.project])


def _finishing_jobs(instance: Instance, same_project: bool) -> np.ndarray:
    """Jobs whose finish no link already holds below a successor's finish (of the same project if asked):
    only these need a term in the objective's ``>= finish`` constraints."""
    covered = np.zeros(instance.size, dtype=bool)
    if len(instance.arcs):
        before, after, offset = instance.arcs.T
        dominated = offset + instance.duration[after] >= instance.duration[before]
        if same_project:
            dominated &= instance.project[before] == instance.project[after]
        covered[before[dominated]] = True
    return np.flatnonzero(~covered)


def sequenced_pairs(instance: Instance) -> np.ndarray:
    """``(n, n)`` booleans: ``[i, j]`` when the links alone make job ``j`` start no earlier than job ``i``
    finishes, from the longest chain of offsets from ``i`` to ``j`` (one column update per link)."""
    unreachable = np.iinfo(np.int64).min // 4
    longest = np.full((instance.size, instance.size), unreachable, dtype=np.int64)
    np.fill_diagonal(longest, 0)
    for before, after, offset in instance.arcs.tolist():  # sorted by `before`, a topological order
        np.maximum(longest[:, after], longest[:, before] + offset, out=longest[:, after])
    sequenced = longest >= np.maximum(instance.duration, 1)[:, None]
    sequenced &= longest > unreachable // 2
    np.fill_diagonal(sequenced, False)
    return sequenced


def disjunctive_groups(instance: Instance) -> list[list[int]]:
    """Groups of three or more jobs of which no two can run in the same period: together they need more
    of some resource than it holds, or the links put one after the other. Found greedily from each job,
    longest first, adding the longest job that fits (then the one with most such partners); each group
    is maximal. Up to :data:`GROUP_JOB_LIMIT` jobs (the pairs take quadratic memory)."""
    running = np.flatnonzero(instance.duration > 0)
    if len(running) < 3 or instance.size > GROUP_JOB_LIMIT:
        return []
    demand = instance.demand[running]
    apart = ((demand[:, None, :] + demand[None, :, :]) > instance.capacity).any(axis=2)
    sequenced = sequenced_pairs(instance)[np.ix_(running, running)]
    apart |= sequenced | sequenced.T
    np.fill_diagonal(apart, False)
    duration = instance.duration[running]
    priority = duration * (len(running) + 1) + apart.sum(axis=1)
    groups: list[list[int]] = []
    seen: set[tuple[int, ...]] = set()
    for seed in np.argsort(-priority, kind="stable").tolist():
        group = [seed]
        candidates = apart[seed].copy()
        while candidates.any():
            options = np.flatnonzero(candidates)
            pick = int(options[np.argmax(priority[options])])
            group.append(pick)
            candidates &= apart[pick]
        key = tuple(sorted(group))
        if len(key) >= 3 and key not in seen:
            seen.add(key)
            groups.append(running[list(key)].tolist())
    return groups


def exact_solve(
    instance: Instance,
    *,
    time_limit: float,
    workers: int = 2,
    hint: np.ndarray | None = None,
    upper_bound: int | None = None,
    progress: Progress | None = None,
) -> ExactOutcome:
    """Minimise the instance's objective (then moves, with ``keep_plan``) with CP-SAT within ``time_limit`` seconds.

    ``hint``: a schedule (array order) to start from; when it keeps every rule, its objective is an
    upper bound that narrows the horizon. ``upper_bound``: search only schedules at most this good;
    when none exists the outcome is UNKNOWN with a lower bound of ``upper_bound + 1``. Loading
    OR-Tools (once per process) comes before the clock starts.
    """
    from ortools.sat.python import cp_model  # loads in seconds the first time: before the clock starts

    began = Stopwatch()
    if not time_limit > 0:
        raise InvalidInput(f"time_limit must be positive, not {time_limit}.", field="time_limit")
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise InvalidInput(f"workers must be a whole number of at least 1, not {workers!r}.", field="workers")
    bound = lower_bound(instance)
    if not instance.size:
        return ExactOutcome(Status.OPTIMAL, np.zeros(0, dtype=np.int64), 0, 0, began.seconds)
    if hint is not None:
        hint = np.asarray(hint, dtype=np.int64)
        if hint.shape != (instance.size,):
            raise InvalidInput(f"hint must hold one start per job ({instance.size}), not shape {hint.shape}.")
        if not check(instance, hint):
            hinted = objective_value(instance, hint)
            upper_bound = hinted if upper_bound is None else min(upper_bound, hinted)
    earliest, latest = time_windows(instance, _latest_finish(instance, upper_bound))
    if (earliest > latest).any() or (upper_bound is not None and upper_bound < bound):
        return _no_schedule(upper_bound, bound, began)

    built = _Model(instance, earliest, latest, bound, upper_bound)
    if hint is not None:
        built.hint(np.clip(hint, earliest, latest))
    solver = cp_model.CpSolver()
    _configure(solver.parameters, workers)
    share = 1.0 - _SECOND_STAGE_SHARE if built.has_second_stage() else 1.0
    solver.parameters.max_time_in_seconds = max(began.left(share * time_limit), 0.01)
    callback = _progress_callback(cp_model, bound, began, progress) if progress is not None else None
    status = solver.solve(built.model, callback)
    if status == cp_model.MODEL_INVALID:
        raise ScheduleError(f"The levelling model is invalid: {built.model.validate()}")
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        if status == cp_model.INFEASIBLE:
            return _no_schedule(upper_bound, bound, began)
        return ExactOutcome(Status.UNKNOWN, None, None, bound, began.seconds)
    starts = built.starts_of(solver)
    best = objective_value(instance, starts)
    proven = best if status == cp_model.OPTIMAL else math.ceil(solver.best_objective_bound - 1e-6)
    bound = max(bound, proven)
    if built.has_second_stage():
        remaining = max(began.left(time_limit), 0.01)
        starts = built.keep_plan(cp_model, starts, best, seconds=remaining, workers=workers)
        best = objective_value(instance, starts)
    return ExactOutcome(
        Status.OPTIMAL if best <= bound else Status.FEASIBLE, starts, best, min(bound, best), began.seconds
    )


def _configure(parameters, workers: int) -> None:
    """With one or two workers, the full-problem worker is CP-SAT's search without linear relaxation
    (the second worker runs large-neighbourhood search): on PSPLIB it proves optimality and improves
    schedules faster than the default worker, whose relaxation of cumulative constraints is weak.
    More workers get CP-SAT's own portfolio."""
    parameters.num_workers = workers
    if workers <= 2:
        parameters.subsolvers.append("no_lp")


def _no_schedule(upper_bound: int | None, bound: int, began: Stopwatch) -> ExactOutcome:
    """No schedule within the rules: proven infeasible, unless only the upper bound made it so."""
    if upper_bound is None:
        return ExactOutcome(Status.INFEASIBLE, None, None, bound, began.seconds)
    return ExactOutcome(Status.UNKNOWN, None, None, max(bound, upper_bound + 1), began.seconds)


def _progress_callback(cp_model, bound: int, began: Stopwatch, progress: Progress):
    """A solution callback that reports each better objective with the solver's bound and the time so far."""

    class _Callback(cp_model.CpSolverSolutionCallback):
        def on_solution_callback(self) -> None:
            objective = round(self.objective_value)
            progress(
                objective,
                min(objective, max(bound, math.ceil(self.best_objective_bound - 1e-6))),
                began.seconds,
            )

    return _Callback()


class _Model:
    """The CP-SAT model of an instance within its time windows, and the keep-plan stage on top of it."""

    def __init__(self, instance: Instance, earliest: np.ndarray, latest: np.ndarray, bound: int, upper: int | None):
        """``bound``: a lower bound on the objective; ``upper``: an upper bound on it, or ``None``."""
        from ortools.sat.python import cp_model

        self.instance = instance
        self.earliest, self.latest = earliest, latest
        model = self.model = cp_model.CpModel()
        duration = instance.duration.tolist()
        self.starts = [model.new_int_var(lo, hi, "") for lo, hi in zip(earliest.tolist(), latest.tolist(), strict=True)]
        intervals = [
            model.new_fixed_size_interval_var(start, length, "") if length > 0 else None
            for start, length in zip(self.starts, duration, strict=True)
        ]
        finish_top = int((latest + instance.duration).max())
        tail = None
        if instance.problem.objective is Objective.MAKESPAN:
            top = max(bound, finish_top)
            self.makespan = model.new_int_var(bound, top, "")
            for i in _finishing_jobs(instance, same_project=False).tolist():
                model.add(self.makespan >= self.starts[i] + duration[i])
            self.primary = self.makespan
            # Every resource is taken in full from the makespan on, so that the reasoning of the
            # cumulative and no-overlap constraints reaches the makespan itself.
            tail = model.new_interval_var(self.makespan, model.new_int_var(1, top + 1 - bound, ""), top + 1, "")
        else:
            self.primary = self._weighted_delay(bound, upper, finish_top)
        for r, capacity in enumerate(instance.capacity.tolist()):
            jobs = np.flatnonzero((instance.demand[:, r] > 0) & (instance.duration > 0))
            if instance.demand[jobs, r].sum() > capacity:
                cumulative = [intervals[i] for i in jobs.tolist()]
                demands = instance.demand[jobs, r].tolist()
                if tail is not None:
                    cumulative.append(tail)
                    demands.append(capacity)
                model.add_cumulative(cumulative, demands, capacity)
        for group in disjunctive_groups(instance):
            model.add_no_overlap([intervals[i] for i in group] + ([tail] if tail is not None else []))
        for before, after, offset in instance.arcs.tolist():
            model.add(self.starts[after] >= self.starts[before] + offset)
        model.minimize(self.primary)

    def _weighted_delay(self, bound: int, upper: int | None, finish_top: int):
        """One delay variable per project with jobs, at least ``finish - due``; their weighted sum."""
        from ortools.sat.python import cp_model

        instance, model = self.instance, self.model
        due = effective_dues(instance).tolist()
        weight = instance.project_weight.tolist()
        self.delays: dict[int, object] = {}
        finishing = _finishing_jobs(instance, same_project=True)
        for p in np.unique(instance.project).tolist():
            top = max(0, finish_top - due[p]) if upper is None else upper // weight[p]
            delay = self.delays[p] = model.new_int_var(0, top, "")
            for i in finishing[instance.project[finishing] == p].tolist():
                model.add(delay >= self.starts[i] + int(instance.duration[i]) - due[p])
        keys = list(self.delays)
        total = cp_model.LinearExpr.weighted_sum([self.delays[p] for p in keys], [weight[p] for p in keys])
        model.add(total >= bound)
        return total

    def hint(self, starts: np.ndarray) -> None:
        """Start from ``starts`` (within the windows), with the objective variables it implies."""
        model, instance = self.model, self.instance
        model.clear_hints()
        for variable, value in zip(self.starts, starts.tolist(), strict=True):
            model.add_hint(variable, value)
        finish = starts + instance.duration
        if instance.problem.objective is Objective.MAKESPAN:
            model.add_hint(self.makespan, int(finish.max()))
        else:
            due = effective_dues(instance)
            for p, delay in self.delays.items():
                model.add_hint(delay, max(0, int(finish[instance.project == p].max()) - int(due[p])))

    def starts_of(self, solver) -> np.ndarray:
        return np.array([solver.value(start) for start in self.starts], dtype=np.int64)

    def has_second_stage(self) -> bool:
        instance = self.instance
        return instance.problem.keep_plan and bool(((instance.planned >= 0) & (instance.fixed < 0)).any())

    def keep_plan(self, cp_model, starts: np.ndarray, best: int, *, seconds: float, workers: int) -> np.ndarray:
        """Fewest moves from the planned starts, then fewest periods moved, with the primary objective at
        most ``best``; ``starts`` (which reaches ``best``) when the solve finds nothing better in time."""
        instance, model = self.instance, self.model
        model.add(self.primary <= best)
        planned = np.flatnonzero((instance.planned >= 0) & (instance.fixed < 0)).tolist()
        spans, moved, terms = [], [], []
        for i in planned:
            target = int(instance.planned[i])
            span = max(abs(int(self.earliest[i]) - target), abs(int(self.latest[i]) - target))
            distance = model.new_int_var(0, span, "")
            model.add_abs_equality(distance, self.starts[i] - target)
            is_moved = model.new_bool_var("")
            model.add(self.starts[i] == target).only_enforce_if(is_moved.Not())
            spans.append(span)
            moved.append(is_moved)
            terms.append(distance)
        per_move = sum(spans) + 1
        model.minimize(cp_model.LinearExpr.sum(terms) + per_move * cp_model.LinearExpr.sum(moved))
        self.hint(starts)
        for i, distance, is_moved in zip(planned, terms, moved, strict=True):
            gap = abs(int(starts[i]) - int(instance.planned[i]))
            model.add_hint(distance, gap)
            model.add_hint(is_moved, gap > 0)
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = workers
        solver.parameters.max_time_in_seconds = seconds
        status = solver.solve(model)
        return self.starts_of(solver) if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) else starts
