"""A project's plan as a ``pmo_engine.formats.Plan``, to write as MS Project XML or Excel.

Activities keep the UID of the file they came from when it is a number unique in the plan; the
others get fresh numbers after the highest. Links to other projects' activities cannot be told in
a single-project file and are left out (``left_out_links`` counts them).
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from pmo.planning import adapters
from pmo.planning.models import Activity, Baseline, BaselineActivity, Calendar, Link, ProjectPlan
from pmo.planning.services import plan_for
from pmo.portfolio.models import Project
from pmo_engine import ConstraintType, LinkType
from pmo_engine.formats import (
    Plan,
    PlanActivity,
    PlanAssignment,
    PlanBaseline,
    PlanCalendar,
    PlanCalendarException,
    PlanLink,
    PlanResource,
    ResourceType,
    write_mspdi,
    write_plan_xlsx,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# ?format= value: (file suffix, content type, writer)
EXPORT_WRITERS = {
    "xml": (".xml", "application/vnd.ms-project+xml", write_mspdi),
    "xlsx": (".xlsx", XLSX, write_plan_xlsx),
}


@dataclass(frozen=True)
class Export:
    plan: Plan
    left_out_links: int


def _uids(activities: list[Activity]) -> dict[int, int]:
    wanted = {}
    for activity in activities:
        if activity.external_uid.isdigit() and int(activity.external_uid) > 0:
            wanted.setdefault(int(activity.external_uid), activity.pk)
    chosen = {pk: uid for uid, pk in wanted.items()}
    following = max(wanted, default=0)
    for activity in activities:
        if activity.pk not in chosen:
            following += 1
            chosen[activity.pk] = following
    return chosen


def _plan_calendar(calendar: Calendar) -> PlanCalendar:
    periods = tuple(tuple(period) for period in calendar.working_periods)
    return PlanCalendar(
        key=adapters.calendar_key(calendar.pk),
        name=calendar.name,
        weekdays=tuple(periods if day in calendar.working_weekdays else () for day in range(7)),
        exceptions=tuple(
            PlanCalendarException(
                first_date=exception.date,
                last_date=exception.date,
                working_periods=periods if exception.is_working else (),
                name=exception.name,
            )
            for exception in calendar.exceptions.all()
        ),
    )


def _local(moment) -> datetime | None:
    return adapters.to_local(moment)


def export_plan(project: Project) -> Export:
    """The project's plan with its computed dates, calendars, baselines, resources and assignments."""
    project_plan = plan_for(project)
    activities = list(Activity.objects.filter(project=project).order_by("position", "id"))
    uids = _uids(activities)
    calendar_ids = {a.calendar_id for a in activities if a.calendar_id} | ({project_plan.calendar_id} - {None})
    calendars = [_plan_calendar(c) for c in Calendar.objects.filter(pk__in=calendar_ids).prefetch_related("exceptions")]
    levels: dict[int, int] = {}
    plan_activities = []
    parents = {a.parent_id for a in activities if a.parent_id}
    for activity in activities:
        level = levels.get(activity.parent_id, 0) + 1
        levels[activity.pk] = level
        plan_activities.append(
            PlanActivity(
                uid=uids[activity.pk],
                name=activity.name,
                wbs_code=activity.wbs_code,
                outline_level=level,
                parent_uid=uids[activity.parent_id] if activity.parent_id else None,
                duration_minutes=0 if activity.pk in parents else activity.duration_minutes,
                is_milestone=activity.is_milestone,
                is_summary=activity.pk in parents,
                calendar_key=adapters.calendar_key(activity.calendar_id) if activity.calendar_id else None,
                constraint_type=ConstraintType(activity.constraint_type),
                constraint_date=_local(activity.constraint_date),
                deadline=_local(activity.deadline),
                actual_start=_local(activity.actual_start),
                actual_finish=_local(activity.actual_finish),
                percent_complete=float(activity.percent_complete),
                remaining_duration_minutes=activity.remaining_duration_minutes,
                start=_local(activity.start),
                finish=_local(activity.finish),
                cost=activity.cost,
                notes=activity.notes,
                levelling_delay_minutes=0 if activity.pk in parents else activity.levelling_delay_minutes,
            )
        )
    ids = set(uids)
    project_links = Link.objects.filter(successor__project=project)
    links, left_out = [], 0
    for link in project_links:
        if link.predecessor_id in ids:
            links.append(
                PlanLink(
                    predecessor_uid=uids[link.predecessor_id],
                    successor_uid=uids[link.successor_id],
                    link_type=LinkType(link.link_type),
                    lag_minutes=link.lag_minutes,
                )
            )
        else:
            left_out += 1
    left_out += Link.objects.filter(predecessor__project=project).exclude(successor__project=project).count()
    baselines = [
        PlanBaseline(
            activity_uid=uids[entry.activity_id],
            number=entry.baseline.number,
            start=_local(entry.start),
            finish=_local(entry.finish),
            duration_minutes=entry.duration_minutes,
            cost=entry.cost,
        )
        for entry in BaselineActivity.objects.filter(
            baseline__in=Baseline.objects.filter(project=project), activity__isnull=False
        ).select_related("baseline")
        if entry.activity_id in ids
    ]
    resources = tuple(
        PlanResource(
            uid=row["uid"],
            name=row["name"],
            resource_type=ResourceType(row["resource_type"]),
            max_units=row["max_units"],
            standard_rate_per_hour=Decimal(row["standard_rate_per_hour"]),
            calendar_key=None,
        )
        for row in project_plan.imported_resources
    )
    assignments = tuple(
        PlanAssignment(
            activity_uid=uids[row["activity"]],
            resource_uid=row["resource_uid"],
            units=row["units"],
            work_minutes=row["work_minutes"],
            cost=Decimal(row["cost"]) if row["cost"] is not None else None,
            uid=row["uid"],
        )
        for row in project_plan.imported_assignments
        if row["activity"] in ids
    )
    status = project_plan.status_date
    plan = Plan(
        name=project.name,
        project_start=_local(project_plan.start),
        status_date=datetime(status.year, status.month, status.day, 17) if status else None,
        default_calendar_key=adapters.calendar_key(project_plan.calendar_id) if project_plan.calendar_id else None,
        calendars=tuple(calendars),
        activities=tuple(plan_activities),
        links=tuple(links),
        resources=resources,
        assignments=assignments,
        baselines=tuple(baselines),
    )
    return Export(plan=plan, left_out_links=left_out)


def plan_exists(project: Project) -> bool:
    return ProjectPlan.objects.filter(project=project).exists() or project.activities.exists()
