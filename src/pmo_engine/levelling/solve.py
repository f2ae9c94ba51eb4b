"""The entry point of levelling: :func:`level` a problem, and :func:`resource_loads` of a schedule.

Methods. ``"heuristic"`` runs the genetic search alone with the whole ``schedules`` budget and
time limit. ``"exact"`` runs it first, with the same budget but at most
:data:`WARM_START_SHARE` of the time limit, then CP-SAT from its schedule with the rest of the
time: that schedule bounds CP-SAT's horizon, so CP-SAT only looks for better ones and returns at
least as good a schedule. (On PSPLIB's j60 the genetic search improves a schedule faster than
CP-SAT's neighbourhood search; 5,000 schedules take well under a second there.) ``"auto"`` is
``"exact"`` up to :data:`EXACT_JOB_LIMIT` jobs and ``"heuristic"`` beyond, where CP-SAT's model
would take much of the time to build and the solver seldom improves on the heuristic within
seconds.

Every schedule returned is checked with :func:`~pmo_engine.levelling.check.check`. When no
schedule keeping every rule is found, the result carries the heuristic's best attempt with what it
breaks (``violations``), status INFEASIBLE when that is proven (by CP-SAT, or because some job's
time window is empty) and UNKNOWN otherwise, and a message saying which rule.
"""

from collections.abc import Mapping

import numpy as np

from pmo_engine.errors import InvalidInput, ScheduleError
from pmo_engine.levelling.check import (
    check,
    gap_of,
    lower_bound,
    objective_value,
    project_finishes,
    resource_profile,
)
from pmo_engine.levelling.exact import Progress, exact_solve, horizon, time_windows
from pmo_engine.levelling.problem import Instance, Problem, ProjectOutcome, Result, Status, compile_problem
from pmo_engine.stopwatch import Stopwatch

METHODS = ("auto", "exact", "heuristic")
EXACT_JOB_LIMIT = 5000  # "auto" uses CP-SAT up to this many jobs
WARM_START_SHARE = 0.25  # of the time limit, at most, for the heuristic before CP-SAT
WARM_START_PATIENCE = 20000  # schedules without a better one after which the heuristic hands over to CP-SAT


def level(
    problem: Problem,
    *,
    method: str = "auto",
    time_limit: float = 10.0,
    workers: int = 2,
    schedules: int = 5000,
    seed: int = 0,
    progress: Progress | None = None,
) -> Result:
    """A schedule of ``problem`` that keeps every rule and minimises its objective, then (with
    ``keep_plan``) the moves from the planned starts; see the module docstring for the methods.

    ``time_limit`` bounds the search in seconds (compiling and checking come on top); ``workers``
    is CP-SAT's number of threads; ``schedules`` and ``seed`` drive the heuristic (the same seed
    gives the same heuristic schedule); ``progress(objective, bound, seconds)`` is called with
    the heuristic's schedule and each better one CP-SAT finds.
    """
    began = Stopwatch()
    _check_settings(method, time_limit, workers, schedules)
    instance = compile_problem(problem)
    use_exact = method == "exact" or (method == "auto" and instance.size <= EXACT_JOB_LIMIT)
    name = "exact" if use_exact else "heuristic"
    if not instance.size:
        return _result(
            instance, np.zeros(0, dtype=np.int64), status=Status.OPTIMAL, bound=0, method=name, began=began, schedules=0
        )

    from pmo_engine.levelling.heuristic import heuristic_starts

    bound = lower_bound(instance)
    if use_exact:
        share = WARM_START_SHARE * time_limit
        found = heuristic_starts(
            instance, schedules=schedules, seed=seed, time_limit=share, stop_at=bound, patience=WARM_START_PATIENCE
        )
    else:
        found = heuristic_starts(instance, schedules=schedules, seed=seed, time_limit=time_limit)
    keeps_rules = not check(instance, found.starts)
    if keeps_rules and progress is not None:
        value = objective_value(instance, found.starts)
        progress(value, min(bound, value), began.seconds)
    if not use_exact:
        status = Status.FEASIBLE if keeps_rules else _proven_infeasible(instance)
        return _result(
            instance, found.starts, status=status, bound=bound, method=name, began=began, schedules=found.schedules
        )

    # The heuristic counts for at most its share: compiling its loops on the first call is not search.
    remaining = time_limit - min(began.seconds, WARM_START_SHARE * time_limit)
    outcome = exact_solve(instance, time_limit=remaining, workers=workers, hint=found.starts, progress=progress)
    bound = max(bound, outcome.lower_bound)
    if outcome.starts is not None:
        return _result(
            instance,
            outcome.starts,
            status=Status.FEASIBLE,
            bound=bound,
            method=name,
            began=began,
            schedules=found.schedules,
        )
    if keeps_rules:  # CP-SAT stopped before it even read the first schedule
        return _result(
            instance,
            found.starts,
            status=Status.FEASIBLE,
            bound=bound,
            method="heuristic",
            began=began,
            schedules=found.schedules,
        )
    status = Status.INFEASIBLE if outcome.status is Status.INFEASIBLE else _proven_infeasible(instance)
    return _result(
        instance, found.starts, status=status, bound=bound, method="heuristic", began=began, schedules=found.schedules
    )


def _check_settings(method: str, time_limit: float, workers: int, schedules: int) -> None:
    if method not in METHODS:
        raise InvalidInput(f"method must be one of {', '.join(METHODS)}, not {method!r}.", field="method")
    if isinstance(time_limit, bool) or not isinstance(time_limit, int | float) or not time_limit > 0:
        raise InvalidInput(f"time_limit must be a positive number of seconds, not {time_limit!r}.", field="time_limit")
    for value, field in ((workers, "workers"), (schedules, "schedules")):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise InvalidInput(f"{field} must be a whole number of at least 1, not {value!r}.", field=field)


def _proven_infeasible(instance: Instance) -> Status:
    """INFEASIBLE when some job's time window (releases, fixed starts, deadlines, links) is empty, else UNKNOWN."""
    latest_finish = np.where(instance.deadline >= 0, instance.deadline, horizon(instance))
    earliest, latest = time_windows(instance, latest_finish)
    return Status.INFEASIBLE if (earliest > latest).any() else Status.UNKNOWN


def _result(
    instance: Instance, starts: np.ndarray, *, status: Status, bound: int, method: str, began: Stopwatch, schedules: int
) -> Result:
    """The result of ``starts``: OPTIMAL when it keeps every rule and meets ``bound``; otherwise ``status``
    (FEASIBLE for a schedule that keeps every rule), with a message naming the rules broken."""
    violations = check(instance, starts)
    value = objective_value(instance, starts)
    message = ""
    if violations:
        kinds = ", ".join(dict.fromkeys(violation.kind for violation in violations))
        proof = "no schedule can keep them all" if status is Status.INFEASIBLE else "no schedule keeping them was found"
        message = f"The best schedule found breaks these rules: {kinds}; {proof}. First: {violations[0].message}"
    elif value <= bound:
        status = Status.OPTIMAL
    bound = min(bound, value)
    finish = project_finishes(instance, starts)
    projects = tuple(
        ProjectOutcome(key, int(end), None if due < 0 else int(due), 0 if due < 0 else max(0, int(end) - int(due)))
        for key, end, due in zip(instance.project_keys, finish.tolist(), instance.project_due.tolist(), strict=True)
    )
    planned = instance.planned >= 0
    moves = np.abs(starts - instance.planned)[planned]
    by_key = instance.starts_of(starts)
    return Result(
        status=status,
        starts={job.key: by_key[job.key] for job in instance.problem.jobs},
        makespan=int((starts + instance.duration).max()) if instance.size else 0,
        objective=value,
        lower_bound=bound,
        gap=gap_of(value, bound),
        projects=projects,
        moved=int((moves > 0).sum()),
        moved_periods=int(moves.sum()),
        method=method,
        seconds=began.seconds,
        schedules=schedules,
        violations=violations,
        message=message,
    )


def resource_loads(problem: Problem, starts: Mapping[str, int]) -> dict[str, np.ndarray]:
    """The load of each resource in each period from 0 to the last finish, for the schedule ``starts``
    (job key -> start period), every job of ``problem`` included."""
    instance = compile_problem(problem)
    missing = [key for key in instance.keys if key not in starts]
    if missing:
        raise ScheduleError(f"The schedule gives no start for job {missing[0]}.")
    unknown = set(starts) - set(instance.keys)
    if unknown:
        raise ScheduleError(f"The schedule names an unknown job {sorted(unknown)[0]}.")
    array = np.array([starts[key] for key in instance.keys], dtype=np.int64)
    loads = resource_profile(instance, array)
    return {key: loads[r] for r, key in enumerate(instance.resource_keys)}
