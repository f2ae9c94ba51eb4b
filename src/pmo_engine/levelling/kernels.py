"""The compiled loops of the levelling heuristic: schedule generation, justification, genetic search.

Importing this module imports numba, and each kernel compiles on its first call (or loads from
numba's cache), so only :mod:`pmo_engine.levelling.heuristic` imports it, inside the function
that needs it.

Data. :class:`Network` holds an :class:`~pmo_engine.levelling.problem.Instance` as flat arrays:
demands, successors and predecessors in compressed rows (``*_ptr`` gives each job's slice), and
``free0`` the capacity left in every period once the fixed jobs hold theirs. Time runs from 0 to
``free0.shape[0] - 1``; the caller sizes it so that no schedule built here can reach its end.

Schedules. A schedule is an array of starts. An *activity list* is an order of the jobs that
puts every job after the jobs it is linked from (the array order is one). The serial schedule
generation scheme (:func:`forward_pass`) takes the jobs in list order and starts each at the
first period, not before its release and its links, where its demands fit for its whole
duration. The parallel scheme (:func:`parallel_pass`) walks the periods instead and starts, in
priority order, the ready jobs that fit. Justification (Valls, Ballestín & Quintanilla, 2005)
then takes the jobs by decreasing finish and moves each as late as the others allow without
worsening the objective (:func:`right_pass`), then by increasing start and moves each as early as
it can (:func:`left_pass`). Each job is lifted out of the running profile and put back, so its old
place is always open: neither pass breaks a rule or worsens the objective. Each pass, generation
or justification, counts as one schedule generated.

Quality. A schedule's key is four numbers compared in order (lower is better): the penalty (the
periods by which deadlines and links into fixed jobs are missed; 0 when every rule is kept), the
objective (makespan or weighted project delay), and, when the plan is to be kept, the number of
jobs away from their planned start and the periods they are away by.

Search. A genetic algorithm on activity lists (Hartmann, 1998). The first population comes from
latest-start priorities (over the project's weight for weighted delay), sampled with regret-based
bias, half through the serial scheme and half through the parallel one. Each child comes from two
parents picked by tournament, through the peak crossover (Valls, Ballestín & Quintanilla, 2008)
or the two-point one, then a few swaps of neighbours that are not linked, then the serial scheme
and justification; the list it passes on is the order of its justified starts. The best distinct
schedules of parents and children make the next population. Random numbers come from a
SplitMix64 stream whose state the caller seeds and keeps, so a seed gives one schedule.
"""

from typing import NamedTuple

import numba
import numpy as np

PENALTY, OBJECTIVE, MOVED, MOVED_PERIODS = range(4)
KEY_SIZE = 4
MAKESPAN, WEIGHTED_DELAY = 0, 1
COPY_RETRIES = 3  # extra swaps tried on a child whose list is a copy of a parent's

# Layout of the search's integer state (one int64 array kept between calls): schedules used,
# children made in the current generation, population rows filled, and the periods of the
# workspace the last schedule wrote to.
USED, CHILDREN, FILLED, REACH = range(4)
STATE_SIZE = 4

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MIX_1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX_2 = np.uint64(0x94D049BB133111EB)
_UNIT = 1.0 / 9007199254740992.0  # 2**-53: 53 random bits to a float in [0, 1)


class Network(NamedTuple):
    """An instance as the kernels read it (see the module notes)."""

    duration: np.ndarray
    res_ptr: np.ndarray
    res_idx: np.ndarray
    res_qty: np.ndarray
    succ_ptr: np.ndarray
    succ_idx: np.ndarray
    succ_off: np.ndarray
    pred_ptr: np.ndarray
    pred_idx: np.ndarray
    pred_off: np.ndarray
    release: np.ndarray
    deadline: np.ndarray
    fixed: np.ndarray
    planned: np.ndarray
    project: np.ndarray
    weight: np.ndarray
    due: np.ndarray  # (p,) the due period of each project, its critical-path finish when none is given
    priority: np.ndarray  # (n,) float64, the less the more urgent: latest starts (over the weight)
    load: np.ndarray  # (n,) float64, the sum of the job's demands as shares of the capacities
    fixed_jobs: np.ndarray  # indices of the fixed jobs
    salt: np.ndarray  # (n,) int64 multipliers for a schedule's fingerprint
    free0: np.ndarray  # (horizon, r) capacity left by the fixed jobs
    objective: int
    keep_plan: bool
    reorder: bool  # some link has a negative offset: the start order may break a link


class Params(NamedTuple):
    """Settings of the genetic search."""

    population: int
    children: int  # per generation
    mutation: float  # chance of a swap of neighbours at each position
    tournament: int
    peak: float  # chance that a child comes from the peak crossover rather than the two-point one
    peak_low: float  # the peak window's length, as a share of the mother's makespan: lowest
    peak_high: float  # and highest


class Pool(NamedTuple):
    """The search's memory, kept between calls: rows ``0 .. population - 1`` hold the population
    (best first once it is complete), the next ``children`` rows the children of a generation."""

    order: np.ndarray  # (rows, n) activity lists
    starts: np.ndarray  # (rows, n) their schedules
    key: np.ndarray  # (rows, KEY_SIZE)
    hash: np.ndarray  # (rows,) int64 fingerprints
    best_starts: np.ndarray  # (n,) the best schedule generated so far
    best_key: np.ndarray  # (KEY_SIZE,)
    rng: np.ndarray  # (1,) uint64 state of the random stream
    state: np.ndarray  # (STATE_SIZE,) int64, laid out as USED .. REACH
    free: np.ndarray  # (horizon, r) workspace: capacity left in each period


# ---------------------------------------------------------------- random numbers


@numba.njit(cache=True)
def next_random(rng: np.ndarray) -> np.uint64:
    """The next 64 random bits of the SplitMix64 stream whose state is ``rng[0]``."""
    rng[0] += _GOLDEN
    z = rng[0]
    z = (z ^ (z >> np.uint64(30))) * _MIX_1
    z = (z ^ (z >> np.uint64(27))) * _MIX_2
    return z ^ (z >> np.uint64(31))


@numba.njit(cache=True)
def random_below(rng: np.ndarray, bound: int) -> int:
    """A whole number in ``0 .. bound - 1``."""
    return np.int64(next_random(rng) % np.uint64(bound))


@numba.njit(cache=True)
def random_unit(rng: np.ndarray) -> float:
    """A float in [0, 1)."""
    return np.float64(next_random(rng) >> np.uint64(11)) * _UNIT


# ---------------------------------------------------------------- resource profile


@numba.njit(cache=True)
def hold(net: Network, free: np.ndarray, job: int, start: int, units: int) -> None:
    """Take (``units`` = 1) or give back (``units`` = -1) the job's demands from ``start`` on."""
    for period in range(start, start + net.duration[job]):
        for k in range(net.res_ptr[job], net.res_ptr[job + 1]):
            free[period, net.res_idx[k]] -= units * net.res_qty[k]


@numba.njit(cache=True)
def last_clash(net: Network, free: np.ndarray, job: int, start: int) -> int:
    """The last period of ``[start, start + duration)`` where the job does not fit, or -1."""
    for period in range(start + net.duration[job] - 1, start - 1, -1):
        for k in range(net.res_ptr[job], net.res_ptr[job + 1]):
            if free[period, net.res_idx[k]] < net.res_qty[k]:
                return period
    return -1


@numba.njit(cache=True)
def first_clash(net: Network, free: np.ndarray, job: int, start: int) -> int:
    """The first period of ``[start, start + duration)`` where the job does not fit, or -1."""
    for period in range(start, start + net.duration[job]):
        for k in range(net.res_ptr[job], net.res_ptr[job + 1]):
            if free[period, net.res_idx[k]] < net.res_qty[k]:
                return period
    return -1


@numba.njit(cache=True)
def earliest_fit(net: Network, free: np.ndarray, job: int, lower: int) -> int:
    """The first start from ``lower`` on where the job fits for its whole duration."""
    start = lower
    clash = last_clash(net, free, job, start)
    while clash >= 0:
        start = clash + 1
        clash = last_clash(net, free, job, start)
    return start


@numba.njit(cache=True)
def latest_fit(net: Network, free: np.ndarray, job: int, upper: int, lower: int) -> int:
    """The last start in ``[lower, upper]`` where the job fits; ``lower`` is known to fit."""
    start = upper
    while start > lower:
        clash = first_clash(net, free, job, start)
        if clash < 0:
            return start
        start = clash - net.duration[job]
    return lower


# ---------------------------------------------------------------- quality of a schedule


@numba.njit(cache=True)
def project_finishes(net: Network, starts: np.ndarray) -> np.ndarray:
    """The finish of each project's last job (0 for a project without jobs)."""
    finish = np.zeros(net.weight.shape[0], dtype=np.int64)
    for job in range(starts.shape[0]):
        finish[net.project[job]] = max(finish[net.project[job]], starts[job] + net.duration[job])
    return finish


@numba.njit(cache=True)
def evaluate(net: Network, starts: np.ndarray, key: np.ndarray) -> None:
    """Write the schedule's key (penalty, objective, moves, periods moved) into ``key``."""
    n = starts.shape[0]
    penalty = 0
    for job in range(n):
        if net.deadline[job] >= 0:
            penalty += max(0, starts[job] + net.duration[job] - net.deadline[job])
    for job in net.fixed_jobs:
        for k in range(net.pred_ptr[job], net.pred_ptr[job + 1]):
            penalty += max(0, starts[net.pred_idx[k]] + net.pred_off[k] - starts[job])
    finish = project_finishes(net, starts)
    objective = 0
    if net.objective == MAKESPAN:
        objective = finish.max() if finish.shape[0] else 0
    else:
        for p in range(finish.shape[0]):
            objective += net.weight[p] * max(0, finish[p] - net.due[p])
    moved = 0
    moved_periods = 0
    if net.keep_plan:
        for job in range(n):
            if net.planned[job] >= 0 and starts[job] != net.planned[job]:
                moved += 1
                moved_periods += abs(starts[job] - net.planned[job])
    key[PENALTY] = penalty
    key[OBJECTIVE] = objective
    key[MOVED] = moved
    key[MOVED_PERIODS] = moved_periods


@numba.njit(cache=True)
def better(a: np.ndarray, b: np.ndarray) -> bool:
    """Whether key ``a`` is strictly better (lower, in order) than key ``b``."""
    for i in range(KEY_SIZE):
        if a[i] != b[i]:
            return a[i] < b[i]
    return False


@numba.njit(cache=True)
def fingerprint(net: Network, starts: np.ndarray) -> int:
    """A hash of the starts, to tell schedules apart in a population (wraps around)."""
    value = 0
    for job in range(starts.shape[0]):
        value += (starts[job] + 1) * net.salt[job]
    return value


@numba.njit(cache=True)
def end_limits(net: Network, starts: np.ndarray, horizon: int) -> np.ndarray:
    """Per job, the finish it may move up to without worsening the objective, missing a deadline
    or leaving the ``horizon``."""
    finish = project_finishes(net, starts)
    n = starts.shape[0]
    limit = np.empty(n, dtype=np.int64)
    makespan = finish.max() if finish.shape[0] else 0
    for job in range(n):
        if net.objective == MAKESPAN:
            limit[job] = makespan
        else:
            limit[job] = max(finish[net.project[job]], net.due[net.project[job]])
        if net.deadline[job] >= 0:
            limit[job] = min(limit[job], net.deadline[job])
        limit[job] = min(limit[job], horizon)
    return limit


# ---------------------------------------------------------------- schedule generation and justification


@numba.njit(cache=True)
def sort_by_time(times: np.ndarray, order: np.ndarray) -> None:
    """Write the jobs into ``order`` by ``times`` (whole numbers >= 0), then by index: a counting sort."""
    count = np.zeros(times.max() + 2, dtype=np.int64)
    for job in range(times.shape[0]):
        count[times[job] + 1] += 1
    for period in range(1, count.shape[0]):
        count[period] += count[period - 1]
    for job in range(times.shape[0]):
        order[count[times[job]]] = job
        count[times[job]] += 1


@numba.njit(cache=True)
def earliest_by_links(net: Network, starts: np.ndarray, job: int) -> int:
    """The first start the job's release and its links from placed jobs allow."""
    lower = net.release[job]
    for k in range(net.pred_ptr[job], net.pred_ptr[job + 1]):
        lower = max(lower, starts[net.pred_idx[k]] + net.pred_off[k])
    return lower


@numba.njit(cache=True)
def forward_pass(net: Network, order: np.ndarray, starts: np.ndarray, free: np.ndarray, reach: int) -> None:
    """Serial schedule generation: each job of ``order`` at its first feasible start; fills ``free``
    (which differs from ``net.free0`` only before period ``reach``)."""
    free[:reach] = net.free0[:reach]
    for job in net.fixed_jobs:
        starts[job] = net.fixed[job]
    for job in order:
        if net.fixed[job] >= 0:
            continue
        start = earliest_fit(net, free, job, earliest_by_links(net, starts, job))
        starts[job] = start
        hold(net, free, job, start, 1)


@numba.njit(cache=True)
def right_pass(net: Network, starts: np.ndarray, free: np.ndarray) -> None:
    """Move each job, latest finish first, as late as links, deadlines and the objective allow."""
    n = starts.shape[0]
    limit = end_limits(net, starts, free.shape[0])
    sequence = np.empty(n, dtype=np.int64)
    sort_by_time(starts + net.duration, sequence)
    for position in range(n - 1, -1, -1):
        job = sequence[position]
        if net.fixed[job] >= 0:
            continue
        start = starts[job]
        upper = limit[job] - net.duration[job]
        for k in range(net.succ_ptr[job], net.succ_ptr[job + 1]):
            upper = min(upper, starts[net.succ_idx[k]] - net.succ_off[k])
        if upper <= start:
            continue
        hold(net, free, job, start, -1)
        start = latest_fit(net, free, job, upper, start)
        hold(net, free, job, start, 1)
        starts[job] = start


@numba.njit(cache=True)
def left_pass(net: Network, starts: np.ndarray, free: np.ndarray) -> None:
    """Move each job, earliest start first, as early as its release, links and resources allow."""
    sequence = np.empty(starts.shape[0], dtype=np.int64)
    sort_by_time(starts, sequence)
    for job in sequence:
        if net.fixed[job] >= 0:
            continue
        start = starts[job]
        lower = earliest_by_links(net, starts, job)
        if lower >= start:
            continue
        hold(net, free, job, start, -1)
        start = earliest_fit(net, free, job, lower)  # no later than the old start, which fits
        hold(net, free, job, start, 1)
        starts[job] = start


# ---------------------------------------------------------------- activity lists


@numba.njit(cache=True)
def predecessor_counts(net: Network) -> np.ndarray:
    """How many links lead into each job."""
    n = net.duration.shape[0]
    count = np.empty(n, dtype=np.int64)
    for job in range(n):
        count[job] = net.pred_ptr[job + 1] - net.pred_ptr[job]
    return count


@numba.njit(cache=True)
def _sift_down(heap: np.ndarray, size: int, priority: np.ndarray, at: int) -> None:
    while True:
        child = 2 * at + 1
        if child >= size:
            return
        if child + 1 < size and priority[heap[child + 1]] < priority[heap[child]]:
            child += 1
        if priority[heap[at]] <= priority[heap[child]]:
            return
        heap[at], heap[child] = heap[child], heap[at]
        at = child


@numba.njit(cache=True)
def _sift_up(heap: np.ndarray, priority: np.ndarray, at: int) -> None:
    while at > 0:
        parent = (at - 1) // 2
        if priority[heap[parent]] <= priority[heap[at]]:
            return
        heap[at], heap[parent] = heap[parent], heap[at]
        at = parent


@numba.njit(cache=True)
def positions(order: np.ndarray) -> np.ndarray:
    """Each job's position in ``order``."""
    position = np.empty(order.shape[0], dtype=np.int64)
    for i in range(order.shape[0]):
        position[order[i]] = i
    return position


@numba.njit(cache=True)
def list_by_priority(net: Network, priority: np.ndarray, order: np.ndarray) -> None:
    """The activity list that always takes the ready job of least ``priority`` (distinct values)."""
    waiting = predecessor_counts(net)
    heap = np.empty(waiting.shape[0], dtype=np.int64)
    size = 0
    for job in range(waiting.shape[0]):
        if waiting[job] == 0:
            heap[size] = job
            size += 1
            _sift_up(heap, priority, size - 1)
    for position in range(waiting.shape[0]):
        job = heap[0]
        size -= 1
        heap[0] = heap[size]
        _sift_down(heap, size, priority, 0)
        order[position] = job
        for k in range(net.succ_ptr[job], net.succ_ptr[job + 1]):
            successor = net.succ_idx[k]
            waiting[successor] -= 1
            if waiting[successor] == 0:
                heap[size] = successor
                size += 1
                _sift_up(heap, priority, size - 1)


@numba.njit(cache=True)
def list_of_schedule(net: Network, starts: np.ndarray, order: np.ndarray) -> None:
    """The jobs by start, then array index: the activity list a schedule passes on."""
    sort_by_time(starts, order)
    if net.reorder:  # a negative offset lets a job start before a job it is linked from
        list_by_priority(net, positions(order), order)


@numba.njit(cache=True)
def choose(net: Network, rng: np.ndarray, biased: bool, jobs: np.ndarray, count: int) -> int:
    """The index in ``jobs[:count]`` of the job to take next: the least priority (then least
    index), or drawn with regret-based bias: job j with a chance proportional to
    ``max(priority) - priority[j] + 1`` (Kolisch & Drexl's biased random sampling, exponent 1)."""
    pick = 0
    if not biased:
        for i in range(1, count):
            if net.priority[jobs[i]] < net.priority[jobs[pick]] or (
                net.priority[jobs[i]] == net.priority[jobs[pick]] and jobs[i] < jobs[pick]
            ):
                pick = i
        return pick
    most = net.priority[jobs[0]]
    for i in range(1, count):
        most = max(most, net.priority[jobs[i]])
    total = 0.0
    for i in range(count):
        total += most - net.priority[jobs[i]] + 1.0
    draw = random_unit(rng) * total
    for i in range(count):
        draw -= most - net.priority[jobs[i]] + 1.0
        if draw < 0.0:
            return i
    return count - 1


@numba.njit(cache=True)
def sample_list(net: Network, rng: np.ndarray, biased: bool, order: np.ndarray) -> None:
    """An activity list that always takes a ready job by :func:`choose`."""
    waiting = predecessor_counts(net)
    n = waiting.shape[0]
    ready = np.empty(n, dtype=np.int64)
    size = 0
    for job in range(n):
        if waiting[job] == 0:
            ready[size] = job
            size += 1
    for position in range(n):
        pick = choose(net, rng, biased, ready, size)
        job = ready[pick]
        size -= 1
        ready[pick] = ready[size]
        order[position] = job
        for k in range(net.succ_ptr[job], net.succ_ptr[job + 1]):
            successor = net.succ_idx[k]
            waiting[successor] -= 1
            if waiting[successor] == 0:
                ready[size] = successor
                size += 1


@numba.njit(cache=True)
def parallel_pass(net: Network, pool: Pool, row: int, biased: bool) -> None:
    """Parallel schedule generation into ``row``: period by period, start ready jobs by
    :func:`choose` while any fits; a job is ready once every job it is linked from has started,
    and may start from the first period its links and release allow."""
    starts = pool.starts[row]
    free = pool.free
    rng = pool.rng
    n = starts.shape[0]
    free[: pool.state[REACH]] = net.free0[: pool.state[REACH]]
    waiting = predecessor_counts(net)
    earliest = net.release.copy()
    for job in net.fixed_jobs:
        starts[job] = net.fixed[job]
    for job in net.fixed_jobs:
        for k in range(net.succ_ptr[job], net.succ_ptr[job + 1]):
            waiting[net.succ_idx[k]] -= 1
            earliest[net.succ_idx[k]] = max(earliest[net.succ_idx[k]], starts[job] + net.succ_off[k])
    ready = np.empty(n, dtype=np.int64)
    size = 0
    for job in range(n):
        if waiting[job] == 0 and net.fixed[job] < 0:
            ready[size] = job
            size += 1
    fitting = np.empty(n, dtype=np.int64)
    period = 0
    while size > 0:
        count = 0
        due = False
        soonest = free.shape[0]
        for i in range(size):
            job = ready[i]
            if earliest[job] > period:
                soonest = min(soonest, earliest[job])
                continue
            due = True
            if last_clash(net, free, job, period) < 0:
                fitting[count] = job
                count += 1
        if count == 0:  # wait for resources to come free, or for the first job to be due
            period = period + 1 if due else soonest
            continue
        job = fitting[choose(net, rng, biased, fitting, count)]
        for i in range(size):
            if ready[i] == job:
                size -= 1
                ready[i] = ready[size]
                break
        starts[job] = period
        hold(net, free, job, period, 1)
        for k in range(net.succ_ptr[job], net.succ_ptr[job + 1]):
            successor = net.succ_idx[k]
            earliest[successor] = max(earliest[successor], period + net.succ_off[k])
            waiting[successor] -= 1
            if waiting[successor] == 0 and net.fixed[successor] < 0:
                ready[size] = successor
                size += 1


@numba.njit(cache=True)
def crossover(mother: np.ndarray, father: np.ndarray, rng: np.ndarray, child: np.ndarray) -> None:
    """Two-point crossover: the mother's list up to one cut, then the father's order of the
    jobs left up to a second cut, then the mother's order of the rest (keeps links)."""
    n = mother.shape[0]
    first = random_below(rng, n + 1)
    second = random_below(rng, n + 1)
    if first > second:
        first, second = second, first
    taken = np.zeros(n, dtype=np.bool_)
    size = 0
    for i in range(first):
        child[size] = mother[i]
        taken[mother[i]] = True
        size += 1
    for job in father:
        if size >= second:
            break
        if not taken[job]:
            child[size] = job
            taken[job] = True
            size += 1
    for job in mother:
        if not taken[job]:
            child[size] = job
            taken[job] = True
            size += 1


@numba.njit(cache=True)
def busiest_window(net: Network, starts: np.ndarray, length: int) -> int:
    """The first period of the ``length``-period window where the schedule uses the largest share
    of the capacities (the sum over periods and resources of load / capacity)."""
    n = starts.shape[0]
    end = (starts + net.duration).max()
    change = np.zeros(end + 1)  # of the load, from each period to the next
    for job in range(n):
        change[starts[job]] += net.load[job]
        change[starts[job] + net.duration[job]] -= net.load[job]
    best_first, best_total, total, load = 0, -1.0, 0.0, 0.0
    loads = np.empty(end + 1)
    for period in range(end + 1):
        load += change[period]
        loads[period] = load
        total += load
        if period >= length:
            total -= loads[period - length]
        if period >= length - 1 and total > best_total:
            best_total = total
            best_first = period - length + 1
    return best_first


@numba.njit(cache=True)
def peak_crossover(
    mother: np.ndarray, mother_starts: np.ndarray, father: np.ndarray, window: tuple[int, int], child: np.ndarray
) -> None:
    """Peak crossover (Valls, Ballestín & Quintanilla, 2008): the jobs the mother starts in the
    periods ``window`` (first, end), her busiest, keep her order; the jobs she starts before come
    first and the jobs she starts after come last, both in the father's order. Keeps links of
    non-negative offset, as each part does and the parts follow the mother's starts."""
    first, end = window
    group = np.empty(mother.shape[0], dtype=np.int64)
    for job in range(mother.shape[0]):
        start = mother_starts[job]
        group[job] = 0 if start < first else (1 if start < end else 2)
    size = 0
    for part in range(3):
        source = mother if part == 1 else father
        for job in source:
            if group[job] == part:
                child[size] = job
                size += 1


@numba.njit(cache=True)
def linked(net: Network, before: int, after: int) -> bool:
    """Whether a link leads from ``before`` to ``after``."""
    return np.any(net.succ_idx[net.succ_ptr[before] : net.succ_ptr[before + 1]] == after)


@numba.njit(cache=True)
def mutate(net: Network, order: np.ndarray, rng: np.ndarray, chance: float) -> None:
    """Swap neighbours of the list that are not linked, each position with the given chance."""
    for i in range(order.shape[0] - 1):
        if random_unit(rng) < chance and not linked(net, order[i], order[i + 1]):
            order[i], order[i + 1] = order[i + 1], order[i]


# ---------------------------------------------------------------- genetic search


@numba.njit(cache=True)
def _count(net: Network, pool: Pool, row: int) -> None:
    """Book one generated schedule: its key, and the best schedule if it beats it."""
    pool.state[USED] += 1
    evaluate(net, pool.starts[row], pool.key[row])
    if pool.state[USED] == 1 or better(pool.key[row], pool.best_key):
        pool.best_key[:] = pool.key[row]
        pool.best_starts[:] = pool.starts[row]


@numba.njit(cache=True)
def develop(net: Network, pool: Pool, row: int, budget: int) -> None:
    """Turn the list in ``row`` into a justified schedule (three passes, fewer if the budget ends);
    the row's list becomes the order of the schedule's starts."""
    forward_pass(net, pool.order[row], pool.starts[row], pool.free, pool.state[REACH])
    justify(net, pool, row, budget)


@numba.njit(cache=True)
def justify(net: Network, pool: Pool, row: int, budget: int) -> None:
    """Count the schedule just generated in ``row``, then justify it right and left (unless the
    budget ends); the row's list becomes the order of the schedule's starts."""
    starts = pool.starts[row]
    _count(net, pool, row)
    if pool.state[USED] < budget:
        right_pass(net, starts, pool.free)
        _count(net, pool, row)
    if pool.state[USED] < budget:
        left_pass(net, starts, pool.free)
        _count(net, pool, row)
    list_of_schedule(net, starts, pool.order[row])
    pool.hash[row] = fingerprint(net, starts)
    pool.state[REACH] = (starts + net.duration).max()


@numba.njit(cache=True)
def _ranked(pool: Pool, rows: int) -> np.ndarray:
    """Rows ``0 .. rows - 1`` from best to worst: by key, then fingerprint (stable sorts, last field first)."""
    ranking = np.argsort(pool.hash[:rows], kind="mergesort")
    column = np.empty(rows, dtype=np.int64)
    for field in range(KEY_SIZE - 1, -1, -1):
        for i in range(rows):
            column[i] = pool.key[ranking[i], field]
        step = np.argsort(column, kind="mergesort")
        for i in range(rows):
            column[i] = ranking[step[i]]
        ranking[:] = column
    return ranking


@numba.njit(cache=True)
def _take_rows(table: np.ndarray, rows: np.ndarray) -> None:
    """Put ``table[rows[i]]`` into row ``i`` for each ``i``."""
    taken = np.empty((rows.shape[0], table.shape[1]), dtype=table.dtype)
    for i in range(rows.shape[0]):
        taken[i] = table[rows[i]]
    table[: rows.shape[0]] = taken


@numba.njit(cache=True)
def select_survivors(pool: Pool, population: int, rows: int) -> None:
    """Keep in rows ``0 .. population - 1`` the best distinct schedules of the first ``rows`` rows,
    best first (repeats only when there are too few distinct ones)."""
    ranking = _ranked(pool, rows)
    chosen = np.empty(rows, dtype=np.int64)
    size = 0
    repeats = np.empty(rows, dtype=np.int64)
    repeat_count = 0
    for i in range(rows):
        if (
            i > 0
            and pool.hash[ranking[i]] == pool.hash[ranking[i - 1]]
            and not better(pool.key[ranking[i - 1]], pool.key[ranking[i]])
        ):  # ranked, so an equal fingerprint and a key no better than the previous row's: a repeat
            repeats[repeat_count] = ranking[i]
            repeat_count += 1
        else:
            chosen[size] = ranking[i]
            size += 1
    chosen[size:] = repeats[:repeat_count]
    keep = chosen[:population]
    _take_rows(pool.order, keep)
    _take_rows(pool.starts, keep)
    _take_rows(pool.key, keep)
    hashes = pool.hash[:rows].copy()
    for i in range(population):
        pool.hash[i] = hashes[keep[i]]


@numba.njit(cache=True)
def _tournament(pool: Pool, population: int, size: int) -> int:
    """The best of ``size`` rows drawn at random (rows are ranked, so the least index)."""
    pick = random_below(pool.rng, population)
    for _ in range(size - 1):
        pick = min(pick, random_below(pool.rng, population))
    return pick


@numba.njit(cache=True)
def _breed(net: Network, params: Params, pool: Pool, row: int) -> None:
    """Write a child's list into ``row``: a crossover of two parents (peak or two-point), then
    mutation."""
    mother = _tournament(pool, params.population, params.tournament)
    father = _tournament(pool, params.population, params.tournament)
    if random_unit(pool.rng) < params.peak:
        share = params.peak_low + (params.peak_high - params.peak_low) * random_unit(pool.rng)
        length = max(1, int(share * (pool.starts[mother] + net.duration).max()))
        first = busiest_window(net, pool.starts[mother], length)
        window = (first, first + length)
        peak_crossover(pool.order[mother], pool.starts[mother], pool.order[father], window, pool.order[row])
        if net.reorder:  # a negative offset lets a job start before a job it is linked from
            list_by_priority(net, positions(pool.order[row]), pool.order[row])
    else:
        crossover(pool.order[mother], pool.order[father], pool.rng, pool.order[row])
    mutate(net, pool.order[row], pool.rng, params.mutation)
    for _ in range(COPY_RETRIES):  # a copy of a parent would spend schedules on a known list
        child = pool.order[row]
        if not (np.array_equal(child, pool.order[mother]) or np.array_equal(child, pool.order[father])):
            break
        swap_once(net, pool.order[row], pool.rng)


@numba.njit(cache=True)
def swap_once(net: Network, order: np.ndarray, rng: np.ndarray) -> None:
    """Swap one random pair of neighbours of the list that are not linked, if a try finds one."""
    if order.shape[0] < 2:
        return
    for _ in range(8):
        i = random_below(rng, order.shape[0] - 1)
        if not linked(net, order[i], order[i + 1]):
            order[i], order[i + 1] = order[i + 1], order[i]
            return


@numba.njit(cache=True)
def advance(net: Network, params: Params, pool: Pool, budget: int, individuals: int) -> None:
    """Make up to ``individuals`` more schedules of the search, stopping when ``budget`` are used.

    The first ``params.population`` make the first population; after that each is a child, and
    every ``params.children`` children a generation ends with the survivors chosen.
    """
    for _ in range(individuals):
        if pool.state[USED] >= budget:
            return
        if pool.state[FILLED] < params.population:
            _add_first(net, params, pool, budget)
        else:
            _add_child(net, params, pool, budget)


@numba.njit(cache=True)
def _add_first(net: Network, params: Params, pool: Pool, budget: int) -> None:
    """Add a member of the first population: lists by priority (rows 0 and 1 without bias) from
    the serial scheme in even rows, schedules from the parallel scheme in odd rows."""
    row = pool.state[FILLED]
    if row % 2 == 1:
        parallel_pass(net, pool, row, row > 1)
        justify(net, pool, row, budget)
    else:
        sample_list(net, pool.rng, row > 0, pool.order[row])
        develop(net, pool, row, budget)
    pool.state[FILLED] += 1
    if pool.state[FILLED] == params.population:
        select_survivors(pool, params.population, params.population)


@numba.njit(cache=True)
def _add_child(net: Network, params: Params, pool: Pool, budget: int) -> None:
    """Add a child to the generation; the last child of a generation chooses the survivors."""
    row = params.population + pool.state[CHILDREN]
    _breed(net, params, pool, row)
    develop(net, pool, row, budget)
    pool.state[CHILDREN] += 1
    if pool.state[CHILDREN] == params.children:
        select_survivors(pool, params.population, params.population + params.children)
        pool.state[CHILDREN] = 0


@numba.njit(cache=True)
def restore_plan(net: Network, starts: np.ndarray, free: np.ndarray) -> None:
    """Move jobs back toward their planned starts where links, deadlines, resources and the
    objective allow: to the planned start itself if it fits, else to the nearest fitting start
    between it and the current one. Repeats until a sweep moves nothing."""
    n = starts.shape[0]
    free[:, :] = net.free0
    for job in range(n):
        if net.fixed[job] < 0:
            hold(net, free, job, starts[job], 1)
    moved = True
    while moved:
        moved = False
        limit = end_limits(net, starts, free.shape[0])
        for job in range(n):
            start = starts[job]
            if net.fixed[job] >= 0 or net.planned[job] < 0 or start == net.planned[job]:
                continue
            lower = earliest_by_links(net, starts, job)
            upper = limit[job] - net.duration[job]
            for k in range(net.succ_ptr[job], net.succ_ptr[job + 1]):
                upper = min(upper, starts[net.succ_idx[k]] - net.succ_off[k])
            if lower > upper:  # the job misses a deadline or a link into a fixed job: leave it
                continue
            target = min(max(net.planned[job], lower), upper)
            if target == start or (target < start) != (net.planned[job] < start):
                continue
            hold(net, free, job, start, -1)
            if target < start:
                new_start = earliest_fit(net, free, job, target)
            else:
                new_start = latest_fit(net, free, job, target, start)
            hold(net, free, job, new_start, 1)
            if new_start != start:
                starts[job] = new_start
                moved = True
