"""The levelling heuristic: a genetic search over activity lists with justified schedules.

:func:`heuristic_starts` minimises the instance's objective (makespan or weighted project delay)
with a budget of generated schedules and, optionally, a time limit. Every schedule it returns keeps
the capacities, the links, the releases and the fixed starts; deadlines are kept when the search
finds a way (``feasible`` says whether it did). When the plan is to be kept, schedules of equal
objective are told apart by how many jobs leave their planned start, then by how far, and the best
schedule is finally moved back toward the plan wherever that costs nothing.

The loops are compiled with numba in :mod:`pmo_engine.levelling.kernels` (see its notes for the
method); that module is imported on the first call, so importing this one stays cheap. The search
runs in slices between which a timer thread's alarm is looked at: the engine reads no clock.
"""

import threading
from dataclasses import dataclass

import numpy as np

from pmo_engine.errors import InvalidInput
from pmo_engine.levelling.problem import Instance, Objective

# Settings of the genetic search, tuned on PSPLIB j60 with 5,000 schedules (see kernels.Params).
POPULATION = 60
CHILDREN = 60
MUTATION = 0.05
TOURNAMENT = 2
PEAK = 0.5
PEAK_LOW = 0.1
PEAK_HIGH = 0.5
_WORK_PER_CALL = 20_000  # job placements per compiled call between two looks at the time limit


@dataclass(frozen=True, slots=True)
class HeuristicOutcome:
    """The best schedule found: ``starts`` in array order (int64), its ``objective`` (makespan or
    weighted delay), the ``schedules`` generated (every pass of schedule generation or
    justification counts, and so does the final move toward the plan) and whether it keeps every
    deadline and every link into a fixed job, and the fixed jobs alone fit the capacities
    (``feasible``)."""

    starts: np.ndarray
    objective: int
    schedules: int
    feasible: bool


class _Alarm:
    """Rings once ``seconds`` have passed (never when ``seconds`` is None), from a timer thread."""

    def __init__(self, seconds: float | None):
        self._rung = threading.Event()
        self._timer = None if seconds is None else threading.Timer(seconds, self._rung.set)
        if self._timer is not None:
            self._timer.daemon = True
            self._timer.start()

    @property
    def rung(self) -> bool:
        return self._rung.is_set()

    def cancel(self) -> None:
        if self._timer is not None:
            self._timer.cancel()


def heuristic_starts(
    instance: Instance,
    *,
    schedules: int = 5000,
    seed: int = 0,
    time_limit: float | None = None,
    stop_at: int | None = None,
    patience: int | None = None,
) -> HeuristicOutcome:
    """The best schedule of a genetic search that generates at most ``schedules`` schedules.

    The same ``seed`` (and budget) gives the same schedule; ``time_limit`` (seconds) stops the
    search early with the best schedule so far (at least one schedule is always generated), and so
    does a schedule that keeps every rule with an objective of at most ``stop_at`` (a lower bound:
    nothing better exists), and ``patience`` schedules in a row that found nothing better.
    """
    _check_settings(schedules, seed, time_limit)
    if instance.size == 0:
        return HeuristicOutcome(starts=np.zeros(0, dtype=np.int64), objective=0, schedules=0, feasible=True)
    alarm = _Alarm(time_limit)
    try:
        return _search(instance, schedules, seed, alarm, stop_at=stop_at, patience=patience)
    finally:
        alarm.cancel()


def _search(
    instance: Instance, schedules: int, seed: int, alarm: _Alarm, *, stop_at: int | None, patience: int | None
) -> HeuristicOutcome:
    """Run the compiled search in slices of about ``_WORK_PER_CALL`` job placements, looking between
    slices at the alarm, at the best schedule against ``stop_at`` and at when it last improved; with
    a plan to keep, the last schedule of the budget moves the best one back toward the plan."""
    from pmo_engine.levelling import kernels

    net = _network(instance, kernels)
    params = _params(kernels)
    pool = _pool(net, params, seed, kernels)
    search_budget = schedules - 1 if net.keep_plan and schedules > 1 else schedules
    individuals_per_call = max(1, _WORK_PER_CALL // (3 * instance.size))
    kernels.advance(net, params, pool, search_budget, individuals_per_call)  # at least one schedule
    best, improved_at = pool.best_key.copy(), int(pool.state[kernels.USED])
    while pool.state[kernels.USED] < search_budget and not alarm.rung and not _reached(pool, stop_at, kernels):
        if patience is not None and pool.state[kernels.USED] - improved_at >= patience:
            break
        kernels.advance(net, params, pool, search_budget, individuals_per_call)
        if not np.array_equal(pool.best_key, best):
            best, improved_at = pool.best_key.copy(), int(pool.state[kernels.USED])
    used = int(pool.state[kernels.USED])
    starts = pool.best_starts.copy()
    key = pool.best_key
    if net.keep_plan and used < schedules:
        kernels.restore_plan(net, starts, pool.free)
        kernels.evaluate(net, starts, key)
        used += 1
    overloaded = bool((net.free0 < 0).any())  # fixed jobs alone use more than a capacity
    return HeuristicOutcome(
        starts=starts,
        objective=int(key[kernels.OBJECTIVE]),
        schedules=used,
        feasible=int(key[kernels.PENALTY]) == 0 and not overloaded,
    )


def _reached(pool, stop_at: int | None, kernels) -> bool:
    """Whether the best schedule keeps every rule and its objective is at most ``stop_at``."""
    key = pool.best_key
    return stop_at is not None and key[kernels.PENALTY] == 0 and key[kernels.OBJECTIVE] <= stop_at


def _params(kernels):
    """The search settings as the kernels take them."""
    return kernels.Params(
        population=POPULATION,
        children=CHILDREN,
        mutation=MUTATION,
        tournament=TOURNAMENT,
        peak=PEAK,
        peak_low=PEAK_LOW,
        peak_high=PEAK_HIGH,
    )


def _check_settings(schedules: int, seed: int, time_limit: float | None) -> None:
    if isinstance(schedules, bool) or not isinstance(schedules, int | np.integer) or schedules < 1:
        raise InvalidInput(f"schedules must be a whole number of at least 1, not {schedules!r}.", field="schedules")
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise InvalidInput(f"seed must be a whole number of at least 0, not {seed!r}.", field="seed")
    if time_limit is not None and (
        isinstance(time_limit, bool) or not isinstance(time_limit, int | float) or not time_limit > 0
    ):
        raise InvalidInput(f"time_limit must be a positive number of seconds, not {time_limit!r}.", field="time_limit")


def _rows(size: int, keys: np.ndarray, values: list[np.ndarray]) -> tuple[np.ndarray, ...]:
    """Compressed rows: ``ptr`` (size + 1) and ``values`` sorted by ``keys`` (stable)."""
    order = np.argsort(keys, kind="stable")
    ptr = np.zeros(size + 1, dtype=np.int64)
    np.cumsum(np.bincount(keys, minlength=size), out=ptr[1:])
    return (ptr, *(np.ascontiguousarray(v[order], dtype=np.int64) for v in values))


def _horizon(instance: Instance) -> int:
    """A period no schedule of the serial scheme reaches: the latest release or fixed finish, plus
    every duration, plus every lag a link adds beyond its predecessor's finish."""
    fixed = instance.fixed >= 0
    start = max(
        int(instance.release.max()),
        int((instance.fixed + instance.duration)[fixed].max()) if fixed.any() else 0,
    )
    before, after, offset = instance.arcs[:, 0], instance.arcs[:, 1], instance.arcs[:, 2]
    extra = np.zeros(instance.size, dtype=np.int64)
    np.maximum.at(extra, after, offset - instance.duration[before])
    return start + int(instance.duration.sum()) + int(extra.sum()) + 1


def _project_dues(instance: Instance) -> np.ndarray:
    """Each project's due period, or the finish of its critical path when it has none."""
    finish = np.zeros(len(instance.project_keys), dtype=np.int64)
    np.maximum.at(finish, instance.project, instance.earliest_starts() + instance.duration)
    return np.where(instance.project_due >= 0, instance.project_due, finish)


def _latest_starts(instance: Instance, ends: np.ndarray) -> np.ndarray:
    """Latest starts by links alone, each job finishing by ``ends[job]`` (array order is topological)."""
    latest = (ends - instance.duration).tolist()
    for before, after, offset in instance.arcs[::-1].tolist():  # arcs are sorted by `before`
        latest[before] = min(latest[before], latest[after] - offset)
    return np.array(latest, dtype=np.int64)


def _salts(count: int) -> np.ndarray:
    """Odd 63-bit multipliers for the fingerprints of schedules: SplitMix64 of 1 .. count."""
    with np.errstate(over="ignore"):
        z = np.arange(1, count + 1, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    z ^= z >> np.uint64(31)
    return ((z >> np.uint64(1)) | np.uint64(1)).astype(np.int64)


def _free_capacity(instance: Instance, horizon: int) -> np.ndarray:
    """Capacity per period and resource left once the fixed jobs hold their demands."""
    used = np.zeros((horizon + 1, instance.capacity.shape[0]), dtype=np.int64)
    for job in np.flatnonzero(instance.fixed >= 0):
        start, duration = int(instance.fixed[job]), int(instance.duration[job])
        used[start] += instance.demand[job]
        used[start + duration] -= instance.demand[job]
    return np.ascontiguousarray(instance.capacity - np.cumsum(used, axis=0)[:horizon])


def _network(instance: Instance, kernels):
    """The instance as :class:`~pmo_engine.levelling.kernels.Network` arrays."""
    n = instance.size
    jobs, resources = np.nonzero(instance.demand)
    res_ptr, res_idx, res_qty = _rows(n, jobs, [resources, instance.demand[jobs, resources]])
    before, after, offset = instance.arcs[:, 0], instance.arcs[:, 1], instance.arcs[:, 2]
    succ_ptr, succ_idx, succ_off = _rows(n, before, [after, offset])
    pred_ptr, pred_idx, pred_off = _rows(n, after, [before, offset])
    dues = _project_dues(instance)
    ends = dues[instance.project]
    if instance.problem.objective == Objective.MAKESPAN:
        ends = np.full(n, instance.critical_path_bound(), dtype=np.int64)
    ends = np.where(instance.deadline >= 0, np.minimum(ends, instance.deadline), ends)
    priority = _latest_starts(instance, ends).astype(np.float64)
    if instance.problem.objective == Objective.WEIGHTED_DELAY:  # the heavier the project, the sooner
        priority = (priority - priority.min() + 1) / instance.project_weight[instance.project]
    return kernels.Network(
        duration=instance.duration,
        res_ptr=res_ptr,
        res_idx=res_idx,
        res_qty=res_qty,
        succ_ptr=succ_ptr,
        succ_idx=succ_idx,
        succ_off=succ_off,
        pred_ptr=pred_ptr,
        pred_idx=pred_idx,
        pred_off=pred_off,
        release=instance.release,
        deadline=instance.deadline,
        fixed=instance.fixed,
        planned=instance.planned,
        project=instance.project,
        weight=instance.project_weight,
        due=dues,
        priority=priority,
        load=(instance.demand / np.maximum(instance.capacity, 1)).sum(axis=1),
        fixed_jobs=np.flatnonzero(instance.fixed >= 0).astype(np.int64),
        salt=_salts(n),
        free0=_free_capacity(instance, _horizon(instance)),
        objective=kernels.MAKESPAN if instance.problem.objective == Objective.MAKESPAN else kernels.WEIGHTED_DELAY,
        keep_plan=bool(instance.problem.keep_plan),
        reorder=bool((offset < 0).any()),
    )


def _pool(net, params, seed: int, kernels):
    """Empty search memory for ``params``, its random stream seeded from ``seed``."""
    n, rows = net.duration.shape[0], params.population + params.children
    return kernels.Pool(
        order=np.zeros((rows, n), dtype=np.int64),
        starts=np.zeros((rows, n), dtype=np.int64),
        key=np.zeros((rows, kernels.KEY_SIZE), dtype=np.int64),
        hash=np.zeros(rows, dtype=np.int64),
        best_starts=np.zeros(n, dtype=np.int64),
        best_key=np.zeros(kernels.KEY_SIZE, dtype=np.int64),
        rng=np.array([seed % 2**64], dtype=np.uint64),
        state=np.zeros(kernels.STATE_SIZE, dtype=np.int64),
        free=net.free0.copy(),
    )
