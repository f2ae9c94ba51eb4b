"""Importing a whole plan (read from MS Project XML, .mpp, Primavera, Planner, GanttProject or
Excel into a ``pmo_engine.formats.Plan``) into a project, in one transaction.

The plan's calendars, activities (WBS), links, baselines, progress and its resources and
assignments are stored; the project is then scheduled by pmo's engine and the dates it computes
are compared with those the file stores, so that the person importing sees any difference.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.db import transaction

from pmo.core.audit import record_event
from pmo.core.choices import Action
from pmo.core.errors import DomainError, InvalidData
from pmo.core.services import locked_for
from pmo.planning import adapters, services
from pmo.planning.models import Activity, Baseline, BaselineActivity, Calendar, CalendarException, Link, ProjectPlan
from pmo.portfolio.models import Project
from pmo_engine import EngineError
from pmo_engine.formats import Plan, read_plan_data


@dataclass(frozen=True)
class DateDifference:
    """An activity whose computed dates differ from the dates the file stores."""

    name: str
    file_start: datetime | None
    file_finish: datetime | None
    start: datetime | None
    finish: datetime | None


@dataclass(frozen=True)
class ImportResult:
    project: Project
    activities: int
    links: int
    calendars: int
    baselines: int
    resources: int
    assignments: int
    skipped_inactive: int
    conflicts: list[dict] = field(default_factory=list)
    differences: list[DateDifference] = field(default_factory=list)


def read_upload(upload, project: Project) -> Plan:
    """The plan in an uploaded file for ``project`` (whose start serves a workbook that gives none);
    a file that cannot be read whole is refused naming every problem (a workbook's row-by-row
    problems, one message each)."""
    existing = ProjectPlan.objects.filter(project=project).first()
    planned = project.planned_start
    start = (
        adapters.to_local(existing.start)
        if existing
        else datetime(planned.year, planned.month, planned.day, 8)
        if planned
        else None
    )
    try:
        return read_plan_data(upload.read(), upload.name, project_start=start)
    except EngineError as error:
        problems = [str(problem) for problem in getattr(error, "problems", ())]
        raise InvalidData({"file": problems or [f"{upload.name}: {error.message}"]}) from None


def _lock(actor, project: Project) -> Project:
    if actor is None:
        return Project.objects.select_for_update().get(pk=project.pk)
    return locked_for(actor, Project, project.pk, Action.CHANGE)


@transaction.atomic
def import_plan(
    *, actor, project: Project, plan: Plan, source: str = "", replace: bool = False, reason: str = ""
) -> ImportResult:
    """Store ``plan`` as the plan of ``project`` and schedule it.

    A project that has a plan already is refused unless ``replace`` is given, in which case its
    activities, links, project calendars and baselines are replaced. ``actor`` None means the
    server's owner (command line). Nothing is kept if any part fails.
    """
    project = _lock(actor, project)
    if project.activities.exists():
        if not replace:
            raise DomainError(f"{project} has a plan already; import with replace to overwrite it.", field="replace")
        _clear_plan(project)
    try:
        engine_calendars = {calendar.key: calendar for calendar in plan.engine_calendars()}
        default_calendar = plan.engine_default_calendar()
        engine_activities = {activity.key: activity for activity in plan.engine_activities()}
        engine_links = plan.engine_links()
        status = plan.engine_status_date()
    except EngineError as error:
        raise DomainError(f"{source or 'The file'}: {error.message}", field="file") from None
    if default_calendar is not None:
        engine_calendars.setdefault(default_calendar.key, default_calendar)
    calendars = _store_calendars(project, plan, engine_calendars)

    activities = _store_activities(project, plan, engine_activities, calendars)
    links = [
        Link(
            predecessor=activities[link.predecessor_key],
            successor=activities[link.successor_key],
            link_type=str(link.link_type),
            lag_minutes=link.lag_minutes,
        )
        for link in engine_links
        if link.predecessor_key in activities and link.successor_key in activities
    ]
    Link.objects.bulk_create(links, batch_size=500)

    project_plan = services.plan_for(project)
    project_plan.start = adapters.from_local(plan.project_start)
    project_plan.status_date = status.date() if status else None
    project_plan.calendar = calendars.get(default_calendar.key) if default_calendar else None
    project_plan.imported_resources = [_resource_row(resource) for resource in plan.resources]
    project_plan.imported_assignments = [
        _assignment_row(assignment, activities)
        for assignment in plan.assignments
        if str(assignment.activity_uid) in activities
    ]
    project_plan.save()
    baselines = _store_baselines(project, plan, activities, actor)

    record_event(
        actor=actor,
        action="project.plan_imported",
        obj=project,
        after={
            "source": source,
            "activities": len(activities),
            "links": len(links),
            "calendars": len(calendars),
            "baselines": baselines,
            "resources": len(plan.resources),
        },
        reason=reason,
    )
    if actor is None:
        summary = services.reschedule_as_system(projects=[project], reason=f"Imported from {source}")
    else:
        summary = services.reschedule(actor=actor, projects=[project], reason=f"Imported from {source}")
    return ImportResult(
        project=project,
        activities=len(activities),
        links=len(links),
        calendars=len(calendars),
        baselines=baselines,
        resources=len(plan.resources),
        assignments=len(project_plan.imported_assignments),
        skipped_inactive=len(plan.activities) - len(activities),
        conflicts=summary["projects"][project.pk]["conflicts"],
        differences=_differences(plan, activities),
    )


def _clear_plan(project: Project) -> None:
    project.baselines.all().delete()
    Link.objects.filter(successor__project=project).delete()
    Link.objects.filter(predecessor__project=project).delete()
    # Children first: the WBS tree protects nothing, but deleting from the leaves keeps it simple.
    project.activities.all().delete()
    ProjectPlan.objects.filter(project=project).update(calendar=None)
    project.calendars.all().delete()


def _store_calendars(project: Project, plan: Plan, engine_calendars: dict) -> dict[str, Calendar]:
    names = {calendar.key: calendar.name for calendar in plan.calendars}
    stored = {}
    for key, engine_calendar in engine_calendars.items():
        calendar = Calendar.objects.create(
            project=project,
            name=names.get(key) or f"Calendar {key}",
            external_uid=key,
            working_weekdays=sorted(engine_calendar.working_weekdays),
            working_periods=[list(period) for period in engine_calendar.working_periods],
        )
        CalendarException.objects.bulk_create(
            [
                CalendarException(calendar=calendar, date=day, is_working=False)
                for day in sorted(engine_calendar.holidays)
            ]
            + [
                CalendarException(calendar=calendar, date=day, is_working=True)
                for day in sorted(engine_calendar.extra_working_dates)
            ]
        )
        stored[key] = calendar
    return stored


def _store_activities(project: Project, plan: Plan, engine_activities: dict, calendars: dict) -> dict[str, Activity]:
    """Activities level by level down the WBS (a child needs its parent's id)."""
    numbers = plan.outline_numbers()
    by_parent: dict[str | None, list] = defaultdict(list)
    for position, source in enumerate(plan.activities, start=1):
        key = str(source.uid)
        if key in engine_activities:
            by_parent[engine_activities[key].parent_key].append((position, source, engine_activities[key]))
    stored: dict[str, Activity] = {}
    level = [None]
    while level:
        rows = []
        for parent_key in level:
            for position, source, engine in by_parent.get(parent_key, []):
                rows.append(
                    Activity(
                        project=project,
                        parent=stored.get(parent_key) if parent_key else None,
                        position=position,
                        wbs_code=source.wbs_code or numbers.get(source.uid, ""),
                        name=source.name or f"Task {source.uid}",
                        is_milestone=engine.is_milestone,
                        duration_minutes=engine.duration_minutes,
                        calendar=calendars.get(engine.calendar_key) if engine.calendar_key else None,
                        constraint_type=str(engine.constraint_type),
                        constraint_date=adapters.from_local(engine.constraint_date),
                        deadline=adapters.from_local(engine.deadline),
                        actual_start=adapters.from_local(engine.actual_start),
                        actual_finish=adapters.from_local(engine.actual_finish),
                        percent_complete=Decimal(str(round(engine.percent_complete, 2))),
                        remaining_duration_minutes=engine.remaining_duration_minutes,
                        levelling_delay_minutes=engine.levelling_delay_minutes,
                        cost=source.cost or Decimal(0),
                        notes=source.notes,
                        external_uid=str(source.uid),
                    )
                )
        created = Activity.objects.bulk_create(rows, batch_size=500)
        for activity in created:
            stored[activity.external_uid] = activity
        level = [activity.external_uid for activity in created]
    return stored


def _store_baselines(project: Project, plan: Plan, activities: dict[str, Activity], actor) -> int:
    by_number: dict[int, list] = defaultdict(list)
    for entry in plan.baselines:
        if str(entry.activity_uid) in activities:
            by_number[entry.number].append(entry)
    for number, entries in sorted(by_number.items()):
        baseline = Baseline.objects.create(
            project=project,
            number=number,
            name="Baseline" if number == 0 else f"Baseline {number}",
            taken_by=actor if getattr(actor, "is_authenticated", False) else None,
            is_primary=number == min(by_number),
        )
        BaselineActivity.objects.bulk_create(
            BaselineActivity(
                baseline=baseline,
                activity=activities[str(entry.activity_uid)],
                wbs_code=activities[str(entry.activity_uid)].wbs_code,
                name=activities[str(entry.activity_uid)].name,
                start=adapters.from_local(entry.start),
                finish=adapters.from_local(entry.finish),
                duration_minutes=entry.duration_minutes or 0,
                cost=entry.cost or Decimal(0),
            )
            for entry in entries
        )
    return len(by_number)


def _resource_row(resource) -> dict:
    return {
        "uid": resource.uid,
        "name": resource.name,
        "resource_type": str(resource.resource_type),
        "max_units": resource.max_units,
        "standard_rate_per_hour": str(resource.standard_rate_per_hour),
        "calendar_key": resource.calendar_key,
    }


def _assignment_row(assignment, activities: dict[str, Activity]) -> dict:
    return {
        "activity": activities[str(assignment.activity_uid)].pk,
        "resource_uid": assignment.resource_uid,
        "units": assignment.units,
        "work_minutes": assignment.work_minutes,
        "cost": str(assignment.cost) if assignment.cost is not None else None,
        "uid": assignment.uid,
    }


def _differences(plan: Plan, activities: dict[str, Activity]) -> list[DateDifference]:
    """Tasks whose dates as pmo scheduled them differ from the dates stored in the file."""
    fresh = {a.pk: a for a in Activity.objects.filter(pk__in=[a.pk for a in activities.values()])}
    found = []
    for source in plan.activities:
        stored = activities.get(str(source.uid))
        if stored is None or source.is_summary or source.start is None:
            continue
        activity = fresh[stored.pk]
        start, finish = adapters.to_local(activity.start), adapters.to_local(activity.finish)
        if (start, finish) != (source.start, source.finish):
            found.append(DateDifference(source.name, source.start, source.finish, start, finish))
    return found
