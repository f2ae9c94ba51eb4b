"""A change request's plan changes <-> the engine: the project's network as the planning app
schedules it, the same network with the change applied in memory, and a fingerprint of what the
schedule depends on. Nothing here writes.

The network and the engine call follow ``pmo.planning.services.reschedule`` (the project's
activities, those of projects feeding it through links, each project's plan start and calendar,
the status date of the project's plan), so that the analysed finish is the finish a reschedule
gives once the change is applied; the tests hold the two together.
"""

import copy
import hashlib
import json
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal

from django.db.models import Q, Sum
from django.utils import timezone

from pmo.changes.models import ActivityChange
from pmo.core.errors import DomainError
from pmo.planning import adapters as planning_adapters
from pmo.planning.choices import LinkType
from pmo.planning.models import Activity, Calendar, Link, ProjectPlan
from pmo.portfolio.models import Project
from pmo.resourcing.models import Assignment
from pmo_engine import Calendar as EngineCalendar
from pmo_engine import CycleError, EngineError, ScheduleResult, schedule, working_minutes_between


@dataclass
class Network:
    """The activities and links that schedule one project, with the plans and calendars they use."""

    project: Project
    plan: ProjectPlan
    activities: list[Activity]
    links: list[Link]
    plans: dict[int, ProjectPlan]
    calendars: dict[int, EngineCalendar] = field(default_factory=dict)
    stored_calendars: list[Calendar] = field(default_factory=list)

    @property
    def project_calendar(self) -> EngineCalendar:
        """The calendar the finish delay is counted on: the plan's, else the engine's standard week."""
        if self.plan.calendar_id and self.plan.calendar_id in self.calendars:
            return self.calendars[self.plan.calendar_id]
        return EngineCalendar()


def load_network(project: Project) -> Network:
    """The project's network as stored. Refuses a project without a plan of activities."""
    plan = ProjectPlan.objects.filter(project=project).first()
    if plan is None or not Activity.objects.filter(project=project).exists():
        raise DomainError(
            f"{project.code} has no plan yet: add its activities and schedule it before analysing a change."
        )
    ids = {project.pk}
    links = list(Link.objects.filter(Q(successor__project_id=project.pk) | Q(predecessor__project_id=project.pk)))
    activity_ids = {link.predecessor_id for link in links} | {link.successor_id for link in links}
    others = set(
        Activity.objects.filter(pk__in=activity_ids).exclude(project_id__in=ids).values_list("project_id", flat=True)
    )
    every_project = ids | others
    activities = list(Activity.objects.filter(project_id__in=every_project).order_by("project_id", "position", "id"))
    links = list(
        Link.objects.filter(successor__project_id__in=every_project, predecessor__project_id__in=every_project)
    )
    plans = {p.project_id: p for p in ProjectPlan.objects.filter(project_id__in=every_project)}
    for other in Project.objects.filter(pk__in=every_project - set(plans)):
        # As planning's ``plan_for`` would make it, without saving it.
        start = other.planned_start or timezone.localdate()
        plans[other.pk] = ProjectPlan(
            project=other, start=planning_adapters.from_local(datetime(start.year, start.month, start.day, 8))
        )
    calendar_ids = {a.calendar_id for a in activities if a.calendar_id}
    calendar_ids |= {p.calendar_id for p in plans.values() if p.calendar_id}
    stored = list(Calendar.objects.filter(pk__in=calendar_ids).prefetch_related("exceptions").order_by("pk"))
    return Network(
        project=project,
        plan=plan,
        activities=activities,
        links=links,
        plans=plans,
        calendars={c.pk: planning_adapters.engine_calendar(c) for c in stored},
        stored_calendars=stored,
    )


def changed_network(network: Network, changes: list[ActivityChange]) -> tuple[list[Activity], list[Link]]:
    """Copies of the network's activities and links with ``changes`` applied (the rows stay as stored)."""
    by_id = {change.activity_id: change for change in changes}
    activities = []
    for stored in network.activities:
        change = by_id.get(stored.pk)
        activity = stored if change is None else copy.copy(stored)
        if change is not None:
            if change.new_duration_minutes is not None:
                activity.duration_minutes = change.new_duration_minutes
            if change.constraint_type:
                activity.constraint_type = change.constraint_type
                activity.constraint_date = change.constraint_date
        activities.append(activity)
    links = list(network.links)
    for change in changes:
        if not change.predecessor_id:
            continue
        lag = change.lag_minutes or 0
        existing = next(
            (
                i
                for i, link in enumerate(links)
                if link.predecessor_id == change.predecessor_id and link.successor_id == change.activity_id
            ),
            None,
        )
        if existing is None:
            links.append(
                Link(
                    predecessor_id=change.predecessor_id,
                    successor_id=change.activity_id,
                    link_type=LinkType.FINISH_TO_START,
                    lag_minutes=lag,
                )
            )
        else:
            changed = copy.copy(links[existing])
            changed.lag_minutes = lag
            links[existing] = changed
    return activities, links


def run(network: Network, activities: list[Activity], links: list[Link]) -> ScheduleResult:
    """The engine's schedule of a (possibly changed) network, as planning's reschedule computes it."""
    plans = network.plans
    engine_activities, engine_links = planning_adapters.engine_network(activities, links)
    engine_activities = [
        activity
        if activity.calendar_key or not plans[int(activity.project_key)].calendar_id
        else replace(
            activity, calendar_key=planning_adapters.calendar_key(plans[int(activity.project_key)].calendar_id)
        )
        for activity in engine_activities
    ]
    try:
        return schedule(
            engine_activities,
            engine_links,
            project_start=planning_adapters.to_local(network.plan.start),
            project_starts={
                planning_adapters.project_key(pid): planning_adapters.to_local(plan.start)
                for pid, plan in plans.items()
            },
            calendars=network.calendars.values(),
            # As planning's reschedule: the network's status date is the latest of its projects'.
            status_date=max((plan.status_date for plan in plans.values() if plan.status_date), default=None),
        )
    except CycleError as error:
        names = {str(a.pk): a.name for a in activities}
        loop = " → ".join(names.get(key, key) for key in (*error.activity_keys, error.activity_keys[0]))
        raise DomainError(f"With this change the links would form a loop: {loop}.") from None
    except EngineError as error:
        raise DomainError(f"The plan cannot be scheduled with this change: {error.message}") from None


def working_days(network: Network, start: datetime, end: datetime) -> Decimal:
    """Working days from ``start`` to ``end`` on the project's calendar (negative when earlier)."""
    calendar = network.project_calendar
    minutes = working_minutes_between(calendar, start, end)
    return (Decimal(minutes) / Decimal(calendar.minutes_per_day)).quantize(Decimal("0.01"))


def labour_cost_delta(network: Network, changes: list[ActivityChange]) -> Decimal:
    """The planned cost of the assignments on activities whose duration changes, scaled by the
    new duration (work is taken to grow with the duration); activities without a duration before
    add nothing."""
    durations = {a.pk: a.duration_minutes for a in network.activities}
    scaled = [c for c in changes if c.new_duration_minutes is not None and durations.get(c.activity_id)]
    if not scaled:
        return Decimal("0.00")
    costs = dict(
        Assignment.objects.filter(activity_id__in=[c.activity_id for c in scaled])
        .values("activity_id")
        .annotate(total=Sum("planned_cost"))
        .values_list("activity_id", "total")
    )
    delta = Decimal("0")
    for change in scaled:
        old = durations[change.activity_id]
        delta += (costs.get(change.activity_id) or Decimal("0")) * Decimal(change.new_duration_minutes - old) / old
    return delta.quantize(Decimal("0.01"))


def fingerprint(network: Network, changes: list[ActivityChange]) -> str:
    """A digest of everything the analysis depends on: the plan's activities, links, starts,
    status date and calendars, and the change's own activity changes. Equal digests, equal analysis."""

    def moment(value) -> str | None:
        return value.isoformat() if value else None

    data = {
        "activities": [
            [
                a.pk,
                a.project_id,
                a.parent_id,
                a.duration_minutes,
                a.is_milestone,
                a.calendar_id,
                a.constraint_type,
                moment(a.constraint_date),
                moment(a.deadline),
                moment(a.actual_start),
                moment(a.actual_finish),
                str(a.percent_complete),
                a.remaining_duration_minutes,
                a.levelling_delay_minutes,
            ]
            for a in sorted(network.activities, key=lambda a: a.pk)
        ],
        "links": sorted([k.predecessor_id, k.successor_id, k.link_type, k.lag_minutes] for k in network.links),
        "plans": sorted(
            [pid, moment(p.start), moment(p.status_date), p.calendar_id] for pid, p in network.plans.items()
        ),
        "calendars": [
            [
                c.pk,
                c.working_weekdays,
                c.working_periods,
                sorted([moment(e.date), e.is_working] for e in c.exceptions.all()),
            ]
            for c in network.stored_calendars
        ],
        "changes": sorted(
            [
                c.activity_id,
                c.new_duration_minutes,
                c.predecessor_id,
                c.lag_minutes,
                c.constraint_type,
                moment(c.constraint_date),
            ]
            for c in changes
        ),
    }
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()
