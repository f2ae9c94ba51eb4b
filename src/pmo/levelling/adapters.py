"""The plans and assignments of some projects <-> the engine's levelling problem.

Time is counted in working hours on one calendar (the first project's plan calendar, else the
standard week) from ``origin``, the start of the first working hour at or after the moment the run
is built. What is levelled: every unfinished leaf activity of the projects. What never moves:

- started activities (they keep their place and hold their people until their current finish);
- activities that must start or finish on a date;
- work of other projects on the same people (it holds them at its current dates).

A job's release is its early start when levelling delays are left out (links, date constraints and
the project start as the plan has them), so the solver can only move work later than the
unlevelled plan allows, never earlier. Demands are the assignments' units in percent of one
person, on named people (generic roles stand for work nobody is named for yet and are not
levelled); each person's capacity is 100 % or, where one assignment or the fixed work alone asks
more, that much (the rest of the levelling still keeps within it).
"""

import hashlib
import itertools
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import numpy as np

from pmo.planning import adapters as planning_adapters
from pmo.planning.models import Activity, Calendar, Link, ProjectPlan
from pmo.planning.services import unlevelled_early_starts
from pmo.portfolio.models import Project
from pmo.resourcing.models import Assignment
from pmo_engine import Calendar as EngineCalendar
from pmo_engine import add_working_minutes, working_minutes_between
from pmo_engine.levelling import Job, LinkKind, Objective, Problem, compile_problem
from pmo_engine.levelling import Link as LevelLink
from pmo_engine.levelling import Project as LevelProject

PERIOD_MINUTES = 60
# The goals of a run. Both are weighted project delays for the engine, so that work that cannot
# move (other projects', started, the fillers below) never counts towards what is minimised.
EARLIEST = "makespan"
LEAST_DELAY = "weighted_delay"
FULL_TIME = 100
FIXED_CONSTRAINTS = frozenset({"MSO", "MFO"})
LINK_KINDS = {
    "FS": LinkKind.FINISH_TO_START,
    "SS": LinkKind.START_TO_START,
    "FF": LinkKind.FINISH_TO_FINISH,
    "SF": LinkKind.START_TO_FINISH,
}


def resource_key(resource_id: int) -> str:
    return f"r{resource_id}"


def job_key(activity_id: int) -> str:
    return f"a{activity_id}"


def background_key(activity_id: int) -> str:
    return f"b{activity_id}"


def activity_id_of(key: str) -> int:
    return int(key[1:])


@dataclass(frozen=True)
class Clock:
    """Working hours on one calendar from ``origin`` (a naive local moment)."""

    calendar: EngineCalendar
    origin: datetime

    def period_of(self, moment: datetime, *, finish: bool = False) -> int:
        """The period a start falls in (rounded down) or a finish ends at (rounded up)."""
        minutes = working_minutes_between(self.calendar, self.origin, moment)
        return math.ceil(minutes / PERIOD_MINUTES) if finish else minutes // PERIOD_MINUTES

    def start_of(self, period: int) -> datetime:
        """The moment a job starting in ``period`` starts (a start: Monday 08:00, not Friday 17:00)."""
        later = add_working_minutes(self.calendar, self.origin, (period + 1) * PERIOD_MINUTES)
        return add_working_minutes(self.calendar, later, -PERIOD_MINUTES)

    def finish_of(self, period: int) -> datetime:
        """The moment a job ending with period ``period - 1`` finishes."""
        return add_working_minutes(self.calendar, self.origin, period * PERIOD_MINUTES)

    def day_of(self, period: int) -> date:
        return self.start_of(period).date()


@dataclass(frozen=True)
class Levelled:
    """A resource levelled: a person (``resource_id``) at 100 %, or a resource of an imported plan
    (no id) at its maximum units; ``capacity`` is what counts as full, in percent of one."""

    name: str
    capacity: int = FULL_TIME
    resource_id: int | None = None


@dataclass
class LevellingInput:
    """The problem, with what is needed to read its answer back."""

    problem: Problem
    clock: Clock
    activities: dict[str, Activity]  # job key -> in-scope activity
    resources: dict[str, Levelled]
    current: dict[str, int]  # job key -> start period in the current plan (in-scope and background)
    duration: dict[str, int]
    demands: dict[str, dict[str, int]]  # job key -> resource key -> units
    release: dict[str, int]
    fixed: frozenset[str] = frozenset()  # in-scope job keys that never move
    raised: dict[str, int] = field(default_factory=dict)  # resource key -> capacity above 100 %
    fingerprint: str = ""

    @property
    def horizon(self) -> int:
        ends = [self.current[key] + self.duration[key] for key in self.current]
        return max(ends, default=0)


def plan_calendar(projects: list[Project]) -> EngineCalendar:
    plan = ProjectPlan.objects.filter(project__in=projects, calendar__isnull=False).order_by("project_id").first()
    if plan is None:
        return EngineCalendar()
    calendar = Calendar.objects.prefetch_related("exceptions").get(pk=plan.calendar_id)
    return planning_adapters.engine_calendar(calendar)


def origin_for(calendar: EngineCalendar, moment: datetime) -> datetime:
    """The start of the first working hour at or after ``moment``."""
    ahead = add_working_minutes(calendar, moment.replace(minute=0, second=0, microsecond=0), PERIOD_MINUTES)
    return add_working_minutes(calendar, ahead, -PERIOD_MINUTES)


def _leaf_activities(project_ids: Iterable[int]) -> list[Activity]:
    parents = set(
        Activity.objects.filter(project_id__in=project_ids, parent__isnull=False).values_list("parent_id", flat=True)
    )
    return [
        activity
        for activity in Activity.objects.filter(project_id__in=project_ids, actual_finish__isnull=True)
        .select_related("project")
        .order_by("project_id", "position", "id")
        if activity.pk not in parents and not activity.is_summary
    ]


def _duration_periods(minutes: int) -> int:
    return math.ceil(minutes / PERIOD_MINUTES)


def _add_demand(demands: dict[str, dict[str, int]], key: str, assignment: Assignment) -> None:
    units = round(float(assignment.units_percent))
    if units > 0:
        resource = resource_key(assignment.resource_id)
        demands[key][resource] = demands[key].get(resource, 0) + units


@dataclass
class _Placed:
    """Where each job is now and how long it runs, in periods."""

    current: dict[str, int] = field(default_factory=dict)
    duration: dict[str, int] = field(default_factory=dict)
    release: dict[str, int] = field(default_factory=dict)
    fixed: dict[str, int] = field(default_factory=dict)

    def hold(self, key: str, clock: Clock, start: datetime, finish: datetime) -> None:
        """A job that never moves: from its current start (or now) to its current finish."""
        first = max(0, clock.period_of(start))
        self.current[key] = self.fixed[key] = self.release[key] = first
        self.duration[key] = max(0, clock.period_of(finish, finish=True) - first)


def _place_scoped(activities: list[Activity], clock: Clock, early: Mapping[int, datetime], placed: _Placed) -> None:
    for activity in activities:
        key = job_key(activity.pk)
        start = planning_adapters.to_local(activity.start) or clock.origin
        finish = planning_adapters.to_local(activity.finish) or start
        if activity.actual_start is not None or activity.constraint_type in FIXED_CONSTRAINTS:
            placed.hold(key, clock, start, finish)
            continue
        placed.current[key] = max(0, clock.period_of(start))
        placed.duration[key] = _duration_periods(activity.duration_minutes)
        unlevelled = early.get(activity.pk)
        release = max(0, clock.period_of(unlevelled)) if unlevelled else 0
        # Where the stored dates are older than the schedule (a later status date), the schedule wins.
        placed.release[key] = release


def _place_background(
    resources: Mapping[str, Levelled], project_ids: list[int], clock: Clock, placed: _Placed, demands
) -> list[str]:
    """Other projects' unfinished work on the same people holds them at its current dates."""
    background = (
        Assignment.objects.filter(
            resource_id__in=[resource.resource_id for resource in resources.values() if resource.resource_id],
            activity__actual_finish__isnull=True,
            activity__start__isnull=False,
        )
        .exclude(project_id__in=project_ids)
        .select_related("activity")
    )
    keys = []
    for assignment in background:
        finish = planning_adapters.to_local(assignment.activity.finish)
        if finish is None or finish <= clock.origin or assignment.units_percent <= 0:
            continue
        key = background_key(assignment.activity_id)
        if key not in placed.current:
            placed.hold(key, clock, planning_adapters.to_local(assignment.activity.start), finish)
            keys.append(key)
        _add_demand(demands, key, assignment)
    return keys


def imported_key(project_id: int, uid: int) -> str:
    return f"i{project_id}-{uid}"


def _add_imported(projects: list[Project], by_id: Mapping[int, Activity], resources, demands) -> None:
    """The work resources and assignments of plans imported from a file (kept as the file had
    them: a resource's maximum units is its capacity, an assignment's units its demand)."""
    for plan in ProjectPlan.objects.filter(project__in=projects).exclude(imported_assignments=[]):
        named = {
            row["uid"]: row
            for row in plan.imported_resources
            if row.get("resource_type", "work") == "work" and row.get("max_units", 0) > 0
        }
        for row in plan.imported_assignments:
            resource = named.get(row["resource_uid"])
            units = round(float(row.get("units", 0)) * FULL_TIME)
            if resource is None or row["activity"] not in by_id or units <= 0:
                continue
            key = imported_key(plan.project_id, resource["uid"])
            if key not in resources:
                capacity = round(float(resource["max_units"]) * FULL_TIME)
                resources[key] = Levelled(name=resource["name"] or f"Resource {resource['uid']}", capacity=capacity)
            job = job_key(row["activity"])
            demands[job][key] = demands[job].get(key, 0) + units


def _projects(
    projects: list[Project], clock: Clock, weights: Mapping[int, int], *, goal: str
) -> tuple[LevelProject, ...]:
    """Each project with its weight and the period it is due by: for the earliest finish, period 0
    (so the solver minimises the weighted sum of the projects' finishes); for the least delay, the
    end of its planned finish day (a project without one is due when its own links allow)."""

    return tuple(
        LevelProject(
            key=str(project.pk),
            weight=int(weights.get(project.pk, 1)),
            due=0 if goal == EARLIEST else due_period(clock, project.planned_finish),
            name=project.name,
        )
        for project in projects
    )


def due_period(clock: Clock, planned_finish: date | None) -> int | None:
    """The period a project planned to finish on ``planned_finish`` is due by: the end of that day."""
    if planned_finish is None:
        return None
    return max(0, clock.period_of(datetime.combine(planned_finish + timedelta(days=1), time()), finish=True))


def build_input(
    projects: list[Project],
    *,
    now: datetime,
    weights: Mapping[int, int] | None = None,
    goal: str = "makespan",
    keep_plan: bool = True,
    with_release: bool = True,
) -> LevellingInput:
    """The levelling problem of ``projects`` as their plans stand, from the working hour at ``now``.
    ``with_release=False`` skips the unlevelled schedule, for when only the current load is wanted."""
    project_ids = [project.pk for project in projects]
    calendar = plan_calendar(projects)
    clock = Clock(calendar, origin_for(calendar, now))
    activities = _leaf_activities(project_ids)
    by_id = {activity.pk: activity for activity in activities}
    in_scope = {job_key(activity.pk): activity for activity in activities}
    placed = _Placed()
    _place_scoped(activities, clock, unlevelled_early_starts(projects) if with_release else {}, placed)

    assignments = list(
        Assignment.objects.filter(activity_id__in=by_id, resource__kind="person").select_related("resource")
    )
    resources = {
        resource_key(a.resource_id): Levelled(name=a.resource.name, resource_id=a.resource_id) for a in assignments
    }
    demands: dict[str, dict[str, int]] = defaultdict(dict)
    for assignment in assignments:
        _add_demand(demands, job_key(assignment.activity_id), assignment)
    _add_imported(projects, by_id, resources, demands)
    background = _place_background(resources, project_ids, clock, placed, demands)

    capacities, raised = _capacities(resources, demands, placed)
    fillers = _fillers(resources, demands, placed, capacities)
    links = [
        LevelLink(
            job_key(link.predecessor_id),
            job_key(link.successor_id),
            LINK_KINDS[link.link_type],
            _lag_periods(link.lag_minutes),
        )
        for link in Link.objects.filter(predecessor_id__in=by_id, successor_id__in=by_id)
    ]
    jobs = (
        [
            Job(
                key=key,
                duration=placed.duration[key],
                demands=demands.get(key, {}),
                project=str(activity.project_id),
                release=placed.release[key],
                fixed_start=placed.fixed.get(key),
                planned_start=placed.current[key],
                name=activity.name,
            )
            for key, activity in in_scope.items()
        ]
        + [
            Job(key=key, duration=placed.duration[key], demands=demands[key], release=start, fixed_start=start)
            for key in background
            for start in [placed.current[key]]
        ]
        + fillers
    )
    problem = Problem(
        jobs=tuple(jobs),
        capacities=capacities,
        links=tuple(links),
        projects=_projects(projects, clock, weights or {}, goal=goal),
        objective=Objective.WEIGHTED_DELAY,
        keep_plan=keep_plan,
    )
    return LevellingInput(
        problem=problem,
        clock=clock,
        activities=in_scope,
        resources=resources,
        current=placed.current,
        duration=placed.duration,
        demands={key: dict(value) for key, value in demands.items()},
        release=placed.release,
        fixed=frozenset(key for key in placed.fixed if key in in_scope),
        raised=raised,
        fingerprint=fingerprint(activities, assignments),
    )


def _lag_periods(minutes: int) -> int:
    return math.ceil(minutes / PERIOD_MINUTES) if minutes >= 0 else -math.ceil(-minutes / PERIOD_MINUTES)


def _capacities(resources, demands, placed: _Placed) -> tuple[dict[str, int], dict[str, int]]:
    """Each resource's capacity, or the most one job or the fixed work alone asks of it."""
    capacities = {key: resource.capacity for key, resource in resources.items()}
    horizon = max((placed.current[key] + placed.duration[key] for key in placed.fixed), default=0)
    fixed_load = {key: np.zeros(horizon + 1, dtype=np.int64) for key in resources}
    for key, needs in demands.items():
        for resource, units in needs.items():
            capacities[resource] = max(capacities[resource], units)
            if key in placed.fixed and placed.duration[key]:
                start = placed.current[key]
                fixed_load[resource][start : start + placed.duration[key]] += units
    for resource, load in fixed_load.items():
        capacities[resource] = max(capacities[resource], int(load.max(initial=0)))
    raised = {key: units for key, units in capacities.items() if units > resources[key].capacity}
    return capacities, raised


def _fillers(resources, demands, placed: _Placed, capacities: Mapping[str, int]) -> list[Job]:
    """Where work that cannot move asks more of a resource than it has, its capacity is raised to
    that much; fillers take the raise back everywhere else. Each is a fixed job holding, over a
    run of periods, the raised capacity less the larger of the resource's own capacity and the
    fixed work's load, so movable work never adds load above the resource's own capacity."""
    movable = sum(placed.duration[key] for key in placed.current if key not in placed.fixed)
    until = max((placed.current[key] + placed.duration[key] for key in placed.current), default=0) + movable + 1
    jobs = []
    for resource, capacity in capacities.items():
        own = resources[resource].capacity
        if capacity <= own:
            continue
        fixed = np.zeros(until, dtype=np.int64)
        for key, needs in demands.items():
            if key in placed.fixed and resource in needs:
                start = placed.current[key]
                fixed[start : start + placed.duration[key]] += needs[resource]
        spare = capacity - np.maximum(fixed, own)
        bounds = [0, *(np.flatnonzero(np.diff(spare)) + 1).tolist(), until]
        jobs += [
            Job(
                key=f"f{resource}-{i}",
                duration=stop - start,
                demands={resource: int(spare[start])},
                release=start,
                fixed_start=start,
            )
            for i, (start, stop) in enumerate(itertools.pairwise(bounds))
            if spare[start] > 0
        ]
    return jobs


def fingerprint(activities: list[Activity], assignments: list[Assignment]) -> str:
    """What the scenario was computed from: each activity's dates, duration and constraint, each
    assignment's units. Accepting refuses a scenario whose plan has changed since."""
    digest = hashlib.sha256()
    for activity in sorted(activities, key=lambda a: a.pk):
        digest.update(
            f"{activity.pk}|{activity.start}|{activity.duration_minutes}|{activity.actual_start}|"
            f"{activity.constraint_type}|{activity.constraint_date};".encode()
        )
    for assignment in sorted(assignments, key=lambda a: a.pk):
        digest.update(
            f"{assignment.pk}|{assignment.activity_id}|{assignment.resource_id}|{assignment.units_percent};".encode()
        )
    return digest.hexdigest()


def current_fingerprint(projects: list[Project]) -> str:
    """The fingerprint of the plans as they stand now (as :func:`build_input` computed it)."""
    activities = _leaf_activities([project.pk for project in projects])
    assignments = list(Assignment.objects.filter(activity_id__in=[a.pk for a in activities], resource__kind="person"))
    return fingerprint(activities, assignments)


def levelling_delays(data: LevellingInput, starts: Mapping[str, int]) -> dict[str, int]:
    """Per movable job, the levelling delay in working minutes that puts it at ``starts``: how far
    it starts after the earliest its release and its predecessors' new starts allow."""
    instance = compile_problem(data.problem)
    earliest = {key: data.release[key] for key in data.activities}
    for before, after, offset in instance.arcs.tolist():
        key = instance.keys[after]
        if key in earliest:
            earliest[key] = max(earliest[key], starts[instance.keys[before]] + offset)
    return {
        key: max(0, starts[key] - earliest[key]) * PERIOD_MINUTES for key in data.activities if key not in data.fixed
    }


def load_profile(data: LevellingInput, starts: Mapping[str, int], horizon: int) -> dict[str, np.ndarray]:
    """Units in use per resource per period, for the given starts of every job."""
    loads = {key: np.zeros(horizon, dtype=np.int64) for key in data.resources}
    for key, needs in data.demands.items():
        start, length = starts[key], data.duration[key]
        for resource, units in needs.items():
            loads[resource][start : min(horizon, start + length)] += units
    return loads


def daily_peaks(clock: Clock, loads: Mapping[str, np.ndarray], horizon: int) -> tuple[list[date], dict[str, list[int]]]:
    """The highest hourly load of each working day, per resource, with the days in order."""
    days = [clock.day_of(period) for period in range(horizon)]
    distinct = list(dict.fromkeys(days))
    index = {day: i for i, day in enumerate(distinct)}
    day_of_period = np.array([index[day] for day in days], dtype=np.int64)
    peaks = {}
    for key, load in loads.items():
        peak = np.zeros(len(distinct), dtype=np.int64)
        np.maximum.at(peak, day_of_period, load[:horizon])
        peaks[key] = peak.tolist()
    return distinct, peaks


def overload_hours(loads: Mapping[str, np.ndarray], resources: Mapping[str, Levelled]) -> float:
    """Hours of work above each resource's capacity (100 % over for one hour is one hour)."""
    total = 0
    for key, load in loads.items():
        total += int(np.clip(load - resources[key].capacity, 0, None).sum())
    return total * PERIOD_MINUTES / 60 / FULL_TIME
