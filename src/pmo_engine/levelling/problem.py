"""Resource-constrained scheduling problems, their compiled array form, and their results.

Time is counted in whole periods (the product uses working days) from period 0. A job holds its
demands for every period from its start ``s`` to ``s + duration - 1``; it finishes at
``s + duration``. Resources are renewable: at every period the demands of the jobs in progress on a
resource may not exceed its capacity.

Links are temporal constraints between starts, so that every link type of a plan reduces to one
inequality ``start[after] >= start[before] + offset``:

- finish-to-start: ``offset = duration[before] + lag``;
- start-to-start: ``offset = lag``;
- finish-to-finish: ``offset = duration[before] + lag - duration[after]``;
- start-to-finish: ``offset = lag - duration[after]``.

Every ``__post_init__`` raises :class:`~pmo_engine.errors.InvalidInput` naming the field at fault;
:func:`compile_problem` raises :class:`~pmo_engine.errors.ScheduleError` for unknown keys and
duplicates and :class:`~pmo_engine.errors.CycleError` for a cycle of links.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np

from pmo_engine.errors import CycleError, InvalidInput, ScheduleError


class LinkKind(StrEnum):
    FINISH_TO_START = "FS"
    START_TO_START = "SS"
    FINISH_TO_FINISH = "FF"
    START_TO_FINISH = "SF"


class Objective(StrEnum):
    """What the solver minimises first; fewer and smaller moves of the current plan come second."""

    MAKESPAN = "makespan"
    WEIGHTED_DELAY = "weighted_delay"


class Status(StrEnum):
    OPTIMAL = "optimal"  # proven: the objective equals the lower bound
    FEASIBLE = "feasible"  # a schedule that keeps every rule, not proven optimal
    INFEASIBLE = "infeasible"  # proven: no schedule keeps every rule (deadlines, fixed starts)
    UNKNOWN = "unknown"  # no schedule found in the time given


def _check_whole(value: object, name: str, *, minimum: int | None = 0) -> None:
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise InvalidInput(f"{name} must be a whole number, not {value!r}.", field=name)
    if minimum is not None and value < minimum:
        raise InvalidInput(f"{name} must be at least {minimum}, not {value}.", field=name)


def _check_key(value: object, name: str) -> None:
    if not isinstance(value, str) or not value:
        raise InvalidInput(f"{name} must be a non-empty string, not {value!r}.", field=name)


@dataclass(frozen=True, slots=True)
class Job:
    """One activity to place.

    - ``demands``: units of each resource held in every period the job runs (resource key -> units);
    - ``project``: the key of the :class:`Project` it belongs to ("" when there is one project);
    - ``release``: the earliest period it may start;
    - ``deadline``: the latest period it may finish by (a hard limit), or ``None``;
    - ``fixed_start``: the period it must start at (started or locked work never moves), or ``None``;
    - ``planned_start``: its start in the current plan, from which moves are counted, or ``None``.
    """

    key: str
    duration: int
    demands: Mapping[str, int] = field(default_factory=dict)
    project: str = ""
    release: int = 0
    deadline: int | None = None
    fixed_start: int | None = None
    planned_start: int | None = None
    name: str = ""

    def __post_init__(self) -> None:
        _check_key(self.key, "key")
        _check_whole(self.duration, f"Job {self.key}: duration")
        for resource, units in self.demands.items():
            _check_key(resource, f"Job {self.key}: resource key")
            _check_whole(units, f"Job {self.key}: demand for {resource}")
        object.__setattr__(self, "demands", {r: int(u) for r, u in self.demands.items() if u})
        if not isinstance(self.project, str):
            raise InvalidInput(f"Job {self.key}: project must be a string, not {self.project!r}.", field="project")
        _check_whole(self.release, f"Job {self.key}: release")
        for name in ("deadline", "fixed_start", "planned_start"):
            value = getattr(self, name)
            if value is not None:
                _check_whole(value, f"Job {self.key}: {name}")
        if self.deadline is not None and self.deadline < self.release + self.duration:
            raise InvalidInput(
                f"Job {self.key}: its deadline {self.deadline} comes before release {self.release} "
                f"plus duration {self.duration}.",
                field="deadline",
            )


@dataclass(frozen=True, slots=True)
class Link:
    """``after`` may not start (or finish) until ``lag`` periods after ``before`` finishes (or starts)."""

    before: str
    after: str
    kind: LinkKind = LinkKind.FINISH_TO_START
    lag: int = 0

    def __post_init__(self) -> None:
        _check_key(self.before, "before")
        _check_key(self.after, "after")
        if self.before == self.after:
            raise InvalidInput(f"Job {self.before} cannot be linked to itself.", field="after")
        try:
            object.__setattr__(self, "kind", LinkKind(self.kind))
        except ValueError:
            raise InvalidInput(f"kind must be one of {', '.join(LinkKind)}, not {self.kind!r}.", field="kind") from None
        _check_whole(self.lag, f"Link {self.before} → {self.after}: lag", minimum=None)


@dataclass(frozen=True, slots=True)
class Project:
    """A project of a portfolio problem: its weight (priority) and the period it is due to finish by."""

    key: str
    weight: int = 1
    due: int | None = None
    name: str = ""

    def __post_init__(self) -> None:
        _check_key(self.key, "key")
        _check_whole(self.weight, f"Project {self.key}: weight", minimum=1)
        if self.due is not None:
            _check_whole(self.due, f"Project {self.key}: due")


@dataclass(frozen=True, slots=True)
class Problem:
    """Jobs, links, resource capacities (units per period) and, for a portfolio, projects.

    ``objective``: :attr:`Objective.MAKESPAN` minimises the finish of the last job;
    :attr:`Objective.WEIGHTED_DELAY` minimises ``sum(weight * max(0, finish - due))`` over the
    projects (a project without a due date counts from the finish of its own critical path).
    ``keep_plan``: second, minimise the moves from each job's ``planned_start`` (how many move,
    then by how much).
    """

    jobs: tuple[Job, ...]
    capacities: Mapping[str, int]
    links: tuple[Link, ...] = ()
    projects: tuple[Project, ...] = ()
    objective: Objective = Objective.MAKESPAN
    keep_plan: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "jobs", tuple(self.jobs))
        object.__setattr__(self, "links", tuple(self.links))
        object.__setattr__(self, "projects", tuple(self.projects))
        for resource, units in self.capacities.items():
            _check_key(resource, "resource key")
            _check_whole(units, f"capacity of {resource}")
        object.__setattr__(self, "capacities", dict(self.capacities))
        try:
            object.__setattr__(self, "objective", Objective(self.objective))
        except ValueError:
            raise InvalidInput(
                f"objective must be one of {', '.join(Objective)}, not {self.objective!r}.", field="objective"
            ) from None


@dataclass(frozen=True, slots=True)
class Instance:
    """A :class:`Problem` as arrays, jobs numbered 0..n-1 in a topological order of the links.

    ``order`` maps array index to the problem's job index (``problem.jobs[order[i]]``);
    ``arcs`` rows are ``(before, after, offset)`` on array indices, meaning
    ``start[after] >= start[before] + offset``; ``deadline``, ``fixed`` and ``planned`` hold -1
    where unset; ``project`` holds the index into ``project_keys`` of each job.
    """

    problem: Problem
    keys: tuple[str, ...]
    order: np.ndarray
    duration: np.ndarray  # (n,) int64
    demand: np.ndarray  # (n, r) int64
    capacity: np.ndarray  # (r,) int64
    resource_keys: tuple[str, ...]
    arcs: np.ndarray  # (m, 3) int64
    release: np.ndarray  # (n,) int64
    deadline: np.ndarray  # (n,) int64, -1 when none
    fixed: np.ndarray  # (n,) int64, -1 when free
    planned: np.ndarray  # (n,) int64, -1 when none
    project: np.ndarray  # (n,) int64
    project_keys: tuple[str, ...]
    project_weight: np.ndarray  # (p,) int64
    project_due: np.ndarray  # (p,) int64, -1 when none

    @property
    def size(self) -> int:
        return len(self.keys)

    def successors(self) -> list[list[tuple[int, int]]]:
        """For each job, its ``(successor, offset)`` pairs."""
        result: list[list[tuple[int, int]]] = [[] for _ in range(self.size)]
        for before, after, offset in self.arcs.tolist():
            result[before].append((after, offset))
        return result

    def predecessors(self) -> list[list[tuple[int, int]]]:
        """For each job, its ``(predecessor, offset)`` pairs."""
        result: list[list[tuple[int, int]]] = [[] for _ in range(self.size)]
        for before, after, offset in self.arcs.tolist():
            result[after].append((before, offset))
        return result

    def earliest_starts(self) -> np.ndarray:
        """Earliest starts from releases, fixed starts and links alone, ignoring resources."""
        start = np.where(self.fixed >= 0, self.fixed, self.release).astype(np.int64)
        for before, after, offset in self.arcs.tolist():  # arcs are sorted by `before`, a topological order
            if self.fixed[after] < 0:
                start[after] = max(start[after], start[before] + offset)
        return start

    def critical_path_bound(self) -> int:
        """The finish of the last job when resources are ignored: a lower bound on the makespan."""
        if not self.size:
            return 0
        return int((self.earliest_starts() + self.duration).max())

    def starts_of(self, starts: np.ndarray) -> dict[str, int]:
        """Array starts back to ``{job key: start}``."""
        return {key: int(start) for key, start in zip(self.keys, starts.tolist(), strict=True)}


def _offset(kind: LinkKind, lag: int, before_duration: int, after_duration: int) -> int:
    match kind:
        case LinkKind.FINISH_TO_START:
            return before_duration + lag
        case LinkKind.START_TO_START:
            return lag
        case LinkKind.FINISH_TO_FINISH:
            return before_duration + lag - after_duration
        case LinkKind.START_TO_FINISH:
            return lag - after_duration


def compile_problem(problem: Problem) -> Instance:
    """The arrays the solvers work on; refuses unknown keys, duplicates, demand above any capacity, cycles."""
    index: dict[str, int] = {}
    for position, job in enumerate(problem.jobs):
        if job.key in index:
            raise ScheduleError(f"Two jobs have the key {job.key}.")
        index[job.key] = position
    project_keys = tuple(dict.fromkeys([p.key for p in problem.projects] + [j.project for j in problem.jobs]))
    declared = {p.key: p for p in problem.projects}
    if len(declared) != len(problem.projects):
        raise ScheduleError("Two projects have the same key.")
    resource_keys = tuple(problem.capacities)
    resource_index = {key: r for r, key in enumerate(resource_keys)}
    for job in problem.jobs:
        for resource, units in job.demands.items():
            if resource not in resource_index:
                raise ScheduleError(f"Job {job.key} needs resource {resource}, which has no capacity given.")
            if units > problem.capacities[resource]:
                raise ScheduleError(
                    f"Job {job.key} needs {units} of {resource}, more than its capacity of "
                    f"{problem.capacities[resource]}, so it can never run."
                )
    edges: list[tuple[int, int, int]] = []
    for link in problem.links:
        for key in (link.before, link.after):
            if key not in index:
                raise ScheduleError(f"The link {link.before} → {link.after} names an unknown job {key}.")
        before, after = problem.jobs[index[link.before]], problem.jobs[index[link.after]]
        edges.append(
            (index[link.before], index[link.after], _offset(link.kind, link.lag, before.duration, after.duration))
        )

    order = _topological_order(len(problem.jobs), edges, [job.key for job in problem.jobs])
    position_of = np.empty(len(order), dtype=np.int64)
    position_of[order] = np.arange(len(order))
    jobs = [problem.jobs[i] for i in order]
    n, r = len(jobs), len(resource_keys)
    demand = np.zeros((n, r), dtype=np.int64)
    for i, job in enumerate(jobs):
        for resource, units in job.demands.items():
            demand[i, resource_index[resource]] = units
    arcs = np.array(
        sorted((int(position_of[a]), int(position_of[b]), offset) for a, b, offset in edges), dtype=np.int64
    ).reshape(-1, 3)
    project_index = {key: p for p, key in enumerate(project_keys)}
    return Instance(
        problem=problem,
        keys=tuple(job.key for job in jobs),
        order=np.asarray(order, dtype=np.int64),
        duration=np.array([job.duration for job in jobs], dtype=np.int64),
        demand=demand,
        capacity=np.array([problem.capacities[key] for key in resource_keys], dtype=np.int64),
        resource_keys=resource_keys,
        arcs=arcs,
        release=np.array([job.release for job in jobs], dtype=np.int64),
        deadline=np.array([-1 if job.deadline is None else job.deadline for job in jobs], dtype=np.int64),
        fixed=np.array([-1 if job.fixed_start is None else job.fixed_start for job in jobs], dtype=np.int64),
        planned=np.array([-1 if job.planned_start is None else job.planned_start for job in jobs], dtype=np.int64),
        project=np.array([project_index[job.project] for job in jobs], dtype=np.int64),
        project_keys=project_keys,
        project_weight=np.array([declared[k].weight if k in declared else 1 for k in project_keys], dtype=np.int64),
        project_due=np.array(
            [-1 if k not in declared or declared[k].due is None else declared[k].due for k in project_keys],
            dtype=np.int64,
        ),
    )


def _topological_order(count: int, edges: list[tuple[int, int, int]], keys: list[str]) -> list[int]:
    """Kahn's algorithm, smallest index first among the ready, so the order is stable."""
    import heapq

    successors: list[list[int]] = [[] for _ in range(count)]
    indegree = [0] * count
    for before, after, _ in edges:
        successors[before].append(after)
        indegree[after] += 1
    ready = [i for i in range(count) if indegree[i] == 0]
    heapq.heapify(ready)
    order: list[int] = []
    while ready:
        node = heapq.heappop(ready)
        order.append(node)
        for successor in successors[node]:
            indegree[successor] -= 1
            if indegree[successor] == 0:
                heapq.heappush(ready, successor)
    if len(order) < count:
        remaining = {i for i in range(count) if indegree[i] > 0}
        cycle = _find_cycle(remaining, successors)
        raise CycleError(tuple(keys[i] for i in cycle))
    return order


def _find_cycle(remaining: set[int], successors: list[list[int]]) -> list[int]:
    """Walk forward inside the jobs left over by Kahn's algorithm until a job repeats."""
    node = min(remaining)
    seen: dict[int, int] = {}
    path: list[int] = []
    while node not in seen:
        seen[node] = len(path)
        path.append(node)
        node = next(s for s in successors[node] if s in remaining)
    return path[seen[node] :]


@dataclass(frozen=True, slots=True)
class Violation:
    """A rule a schedule breaks: ``kind`` is capacity, link, release, deadline or fixed."""

    kind: str
    message: str


@dataclass(frozen=True, slots=True)
class ProjectOutcome:
    key: str
    finish: int
    due: int | None
    delay: int  # max(0, finish - due); 0 without a due date


@dataclass(frozen=True, slots=True)
class Result:
    """A schedule and how good it is.

    ``objective`` is the primary objective's value (makespan or weighted delay), ``lower_bound`` a
    proven bound on it, ``gap`` ``(objective - lower_bound) / objective`` (0 when proven optimal);
    ``moved``/``moved_periods``: jobs whose start differs from ``planned_start`` and the sum of
    the differences; ``method``: "exact" or "heuristic"; ``schedules``: schedules the heuristic
    generated; ``violations``: what :func:`check` found (empty for any schedule the solvers return).
    """

    status: Status
    starts: Mapping[str, int]
    makespan: int
    objective: int
    lower_bound: int
    gap: float
    projects: tuple[ProjectOutcome, ...]
    moved: int
    moved_periods: int
    method: str
    seconds: float
    schedules: int = 0
    violations: tuple[Violation, ...] = ()
    message: str = ""
