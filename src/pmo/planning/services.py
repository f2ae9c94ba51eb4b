"""State changes of plans: activities, links, calendars, progress, baselines, and rescheduling
through the engine. Every function is atomic, checks permission on the project inside its
transaction, and writes audit events."""

import re
import time
from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import date, datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from pmo.core.audit import record_event, snapshot
from pmo.core.bulk import update_rows
from pmo.core.choices import Action
from pmo.core.errors import DomainError, InvalidData
from pmo.core.services import change_audited, create_audited, locked_for, require_global
from pmo.planning import adapters
from pmo.planning.models import (
    Activity,
    Baseline,
    BaselineActivity,
    Calendar,
    CalendarException,
    Link,
    ProjectPlan,
)
from pmo.portfolio.models import Programme, Project
from pmo_engine import Calendar as EngineCalendar
from pmo_engine import CycleError, EngineError, ScheduleResult, schedule, working_minutes_between

ACTIVITY_FIELDS = (
    "name",
    "parent",
    "position",
    "wbs_code",
    "is_milestone",
    "duration_minutes",
    "calendar",
    "constraint_type",
    "constraint_date",
    "deadline",
    "cost",
    "notes",
)
PROGRESS_FIELDS = ("actual_start", "actual_finish", "percent_complete", "remaining_duration_minutes")
LINK_FIELDS = ("link_type", "lag_minutes")
CALENDAR_FIELDS = ("name", "working_weekdays", "working_periods")
COMPUTED_FIELDS = (
    "is_summary",
    "early_start",
    "early_finish",
    "late_start",
    "late_finish",
    "start",
    "finish",
    "total_float_minutes",
    "free_float_minutes",
    "is_critical",
)


def _unknown(fields: Mapping, allowed) -> None:
    unknown = sorted(set(fields) - set(allowed))
    if unknown:
        raise InvalidData({name: ["Not a field that can be set here."] for name in unknown})


def _project_for_change(actor, project: Project) -> Project:
    return locked_for(actor, Project, project.pk, Action.CHANGE)


# --- the plan of a project ------------------------------------------------------------------


def plan_for(project: Project) -> ProjectPlan:
    """The project's plan settings, made on first use from its planned start."""
    plan = ProjectPlan.objects.filter(project=project).first()
    if plan is not None:
        return plan
    start = project.planned_start or timezone.localdate()
    return ProjectPlan.objects.create(
        project=project, start=adapters.from_local(datetime(start.year, start.month, start.day, 8))
    )


@transaction.atomic
def update_plan(*, actor, project: Project, changes: Mapping, reason: str = "") -> ProjectPlan:
    project = _project_for_change(actor, project)
    plan = plan_for(project)
    if "calendar" in changes and changes["calendar"] is not None:
        _check_calendar_usable(actor, changes["calendar"], project)
    return change_audited(plan, changes, actor=actor, allowed=("start", "status_date", "calendar"), reason=reason)


# --- calendars ------------------------------------------------------------------------------


def _check_calendar_usable(actor, calendar: Calendar, project: Project) -> None:
    if calendar.project_id not in (None, project.pk):
        raise InvalidData({"calendar": ["That calendar belongs to another project."]})


@transaction.atomic
def create_calendar(
    *,
    actor,
    name: str,
    project: Project | None = None,
    working_weekdays=None,
    working_periods=None,
    exceptions: Iterable[tuple[date, bool, str]] = (),
    reason: str = "",
) -> Calendar:
    """A calendar for one project, or (``project`` None, needs an organisation-wide role) for all."""
    if project is None:
        require_global(actor, Action.CREATE, "organisation calendars")
    else:
        _project_for_change(actor, project)
    calendar = Calendar(project=project, name=name)
    if working_weekdays is not None:
        calendar.working_weekdays = list(working_weekdays)
    if working_periods is not None:
        calendar.working_periods = [list(period) for period in working_periods]
    create_audited(calendar, actor=actor, reason=reason)
    _replace_exceptions(calendar, exceptions)
    return calendar


def _replace_exceptions(calendar: Calendar, exceptions: Iterable[tuple[date, bool, str]]) -> None:
    rows = [
        CalendarException(calendar=calendar, date=day, is_working=is_working, name=name)
        for day, is_working, name in exceptions
    ]
    days = [row.date for row in rows]
    if len(days) != len(set(days)):
        raise InvalidData({"exceptions": ["A date is listed twice."]})
    calendar.exceptions.all().delete()
    CalendarException.objects.bulk_create(rows)


def _lock_calendar(actor, calendar: Calendar) -> Calendar:
    if calendar.project_id is None:
        require_global(actor, Action.CHANGE, "organisation calendars")
    return locked_for(actor, Calendar, calendar.pk, Action.CHANGE)


@transaction.atomic
def update_calendar(
    *,
    actor,
    calendar: Calendar,
    changes: Mapping,
    exceptions: Iterable[tuple[date, bool, str]] | None = None,
    reason: str = "",
) -> Calendar:
    calendar = _lock_calendar(actor, calendar)
    before_exceptions = [str(e) for e in calendar.exceptions.all()]
    calendar = change_audited(calendar, changes, actor=actor, allowed=CALENDAR_FIELDS, reason=reason)
    if exceptions is not None:
        _replace_exceptions(calendar, exceptions)
        after_exceptions = [str(e) for e in calendar.exceptions.all()]
        if after_exceptions != before_exceptions:
            record_event(
                actor=actor,
                action="calendar.exceptions_changed",
                obj=calendar,
                before={"exceptions": before_exceptions},
                after={"exceptions": after_exceptions},
                reason=reason,
            )
    return calendar


# --- activities -----------------------------------------------------------------------------


def _check_parent(parent: Activity | None, project: Project, activity: Activity | None = None) -> None:
    if parent is None:
        return
    if parent.project_id != project.pk:
        raise InvalidData({"parent": ["The parent activity belongs to another project."]})
    ancestor = parent
    while ancestor is not None:
        if activity is not None and ancestor.pk == activity.pk:
            raise InvalidData({"parent": ["An activity cannot sit under itself or one of its own sub-activities."]})
        ancestor = ancestor.parent


@transaction.atomic
def create_activity(*, actor, project: Project, reason: str = "", **fields) -> Activity:
    _unknown(fields, ACTIVITY_FIELDS)
    project = _project_for_change(actor, project)
    _check_parent(fields.get("parent"), project)
    if fields.get("calendar") is not None:
        _check_calendar_usable(actor, fields["calendar"], project)
    if "position" not in fields:
        last = project.activities.order_by("-position").values_list("position", flat=True).first()
        fields["position"] = (last or 0) + 1
    return create_audited(Activity(project=project, **fields), actor=actor, reason=reason)


@transaction.atomic
def update_activity(*, actor, activity: Activity, changes: Mapping, reason: str = "") -> Activity:
    activity = locked_for(actor, Activity, activity.pk, Action.CHANGE)
    if "parent" in changes:
        _check_parent(changes["parent"], activity.project, activity)
    if changes.get("calendar") is not None:
        _check_calendar_usable(actor, changes["calendar"], activity.project)
    return change_audited(activity, changes, actor=actor, allowed=ACTIVITY_FIELDS, reason=reason)


@transaction.atomic
def record_progress(*, actor, activity: Activity, changes: Mapping, reason: str = "") -> Activity:
    """Actual start and finish, % complete and remaining duration of one activity."""
    activity = locked_for(actor, Activity, activity.pk, Action.CHANGE)
    if activity.children.exists():
        raise DomainError("Progress is recorded on tasks; a summary's progress is rolled up from them.")
    return change_audited(
        activity, changes, actor=actor, allowed=PROGRESS_FIELDS, reason=reason, action="activity.progress_recorded"
    )


@transaction.atomic
def delete_activity(*, actor, activity: Activity, reason: str = "") -> None:
    activity = locked_for(actor, Activity, activity.pk, Action.CHANGE)
    removed = [activity, *_descendants(activity)]
    for each in removed:
        record_event(actor=actor, action="activity.deleted", obj=each, before=snapshot(each), reason=reason)
    activity.delete()


def _descendants(activity: Activity) -> list[Activity]:
    found, frontier = [], [activity.pk]
    while frontier:
        children = list(Activity.objects.filter(parent_id__in=frontier))
        found.extend(children)
        frontier = [child.pk for child in children]
    return found


# --- links ----------------------------------------------------------------------------------


@transaction.atomic
def create_link(*, actor, predecessor: Activity, successor: Activity, reason: str = "", **fields) -> Link:
    """Link two activities; the successor's project must be changeable by the actor and the
    predecessor visible to them (it may belong to another project)."""
    _unknown(fields, LINK_FIELDS)
    successor = locked_for(actor, Activity, successor.pk, Action.CHANGE)
    if not Activity.objects.visible_to(actor, Action.VIEW).filter(pk=predecessor.pk).exists():
        raise InvalidData({"predecessor": ["No such activity is visible to you."]})
    if Link.objects.filter(predecessor=predecessor, successor=successor).exists():
        raise InvalidData({"predecessor": [f"{successor} already depends on {predecessor}."]})
    link = create_audited(Link(predecessor=predecessor, successor=successor, **fields), actor=actor, reason=reason)
    _refuse_cycle(successor)
    return link


def _refuse_cycle(activity: Activity) -> None:
    """Refuse a link that closes a loop, naming the activities on it (the transaction rolls back)."""
    seen, stack = set(), [activity.pk]
    edges: dict[int, list[int]] = {}
    for predecessor_id, successor_id in Link.objects.values_list("predecessor_id", "successor_id"):
        edges.setdefault(predecessor_id, []).append(successor_id)
    parent_of = {activity.pk: None}
    while stack:
        current = stack.pop()
        for following in edges.get(current, ()):
            if following == activity.pk:
                chain, node = [following], current
                while node is not None and node != activity.pk:
                    chain.append(node)
                    node = parent_of[node]
                names = dict(Activity.objects.filter(pk__in=chain).values_list("pk", "name"))
                loop = " → ".join(names[pk] for pk in [activity.pk, *reversed(chain[1:]), activity.pk])
                raise InvalidData({"predecessor": [f"This link would make a loop: {loop}."]})
            if following not in seen:
                seen.add(following)
                parent_of[following] = current
                stack.append(following)


@transaction.atomic
def update_link(*, actor, link: Link, changes: Mapping, reason: str = "") -> Link:
    link = locked_for(actor, Link, link.pk, Action.CHANGE)
    return change_audited(link, changes, actor=actor, allowed=LINK_FIELDS, reason=reason)


@transaction.atomic
def delete_link(*, actor, link: Link, reason: str = "") -> None:
    link = locked_for(actor, Link, link.pk, Action.CHANGE)
    record_event(actor=actor, action="link.deleted", obj=link, before=snapshot(link), reason=reason)
    link.delete()


# --- rescheduling ---------------------------------------------------------------------------


def _network_for(projects: list[Project]):
    """The activities and links to schedule ``projects``: theirs, plus the activities of other
    projects that feed them through links (scheduled alongside, but not written back)."""
    ids = {project.pk for project in projects}
    links = list(Link.objects.filter(Q(successor__project_id__in=ids) | Q(predecessor__project_id__in=ids)))
    activity_ids = {link.predecessor_id for link in links} | {link.successor_id for link in links}
    other_projects = set(
        Activity.objects.filter(pk__in=activity_ids).exclude(project_id__in=ids).values_list("project_id", flat=True)
    )
    every_project = ids | other_projects
    activities = list(
        Activity.objects.filter(project_id__in=every_project)
        .select_related("project")
        .order_by("project_id", "position", "id")
    )
    links = list(
        Link.objects.filter(successor__project_id__in=every_project, predecessor__project_id__in=every_project)
    )
    return activities, links, every_project


def _run_engine(
    projects: list[Project],
    activities: list[Activity],
    links: list[Link],
    every_project: set[int],
    status_date: date | None,
    *,
    with_levelling: bool = True,
) -> ScheduleResult:
    """The engine's schedule of the network; ``with_levelling=False`` leaves every levelling delay out."""
    plans = {plan.project_id: plan for plan in ProjectPlan.objects.filter(project_id__in=every_project)}
    for project in Project.objects.filter(pk__in=every_project - set(plans)):
        plans[project.pk] = plan_for(project)
    calendar_ids = {activity.calendar_id for activity in activities if activity.calendar_id}
    calendar_ids |= {plan.calendar_id for plan in plans.values() if plan.calendar_id}
    calendars = {
        c.pk: adapters.engine_calendar(c)
        for c in Calendar.objects.filter(pk__in=calendar_ids).prefetch_related("exceptions")
    }
    main_plan = plans[projects[0].pk]
    engine_activities, engine_links = adapters.engine_network(activities, links)
    # An activity without its own calendar works on its project's calendar.
    engine_activities = [
        activity
        if activity.calendar_key or not plans[int(activity.project_key)].calendar_id
        else _with_calendar(activity, adapters.calendar_key(plans[int(activity.project_key)].calendar_id))
        for activity in engine_activities
    ]
    if not with_levelling:
        engine_activities = [replace(activity, levelling_delay_minutes=0) for activity in engine_activities]
    try:
        return schedule(
            engine_activities,
            engine_links,
            project_start=adapters.to_local(main_plan.start),
            project_starts={adapters.project_key(pid): adapters.to_local(plan.start) for pid, plan in plans.items()},
            calendars=calendars.values(),
            status_date=status_date,
        )
    except CycleError as error:
        names = dict(
            Activity.objects.filter(pk__in=[int(key) for key in error.activity_keys]).values_list("pk", "name")
        )
        loop = " → ".join(names.get(int(key), key) for key in (*error.activity_keys, error.activity_keys[0]))
        raise DomainError(f"The links form a loop: {loop}. Remove or reverse one of these links.") from None
    except EngineError as error:
        raise DomainError(_named(error.message, activities), field=error.field) from None


def _named(message: str, activities: list[Activity]) -> str:
    """The engine names activities by key (their id here); name them as people know them."""
    names = {str(activity.pk): activity.name for activity in activities}
    return re.sub(r"\b[Aa]ctivity (\d+)\b", lambda match: f"Activity '{names.get(match[1], match[1])}'", message)


def _with_calendar(activity, key: str):
    return replace(activity, calendar_key=key)


def _write_results(result: ScheduleResult, activities: list[Activity], project_ids: set[int]) -> list[Activity]:
    changed = []
    for activity in activities:
        if activity.project_id not in project_ids:
            continue
        computed = result[adapters.activity_key(activity.pk)]
        activity.is_summary = computed.is_summary
        activity.early_start = adapters.from_local(computed.early_start)
        activity.early_finish = adapters.from_local(computed.early_finish)
        activity.late_start = adapters.from_local(computed.late_start)
        activity.late_finish = adapters.from_local(computed.late_finish)
        activity.start = adapters.from_local(computed.start)
        activity.finish = adapters.from_local(computed.finish)
        activity.total_float_minutes = computed.total_float_minutes
        activity.free_float_minutes = computed.free_float_minutes
        activity.is_critical = computed.is_critical
        changed.append(activity)
    update_rows(changed, COMPUTED_FIELDS)
    return changed


@transaction.atomic
def reschedule(*, actor, projects: Iterable[Project], status_date: date | None = None, reason: str = "") -> dict:
    """Schedule the projects together (with the projects that feed them through links), write
    the computed dates, and audit each project's finish. ``status_date`` (when given) becomes the
    projects' status date. Returns a summary per project."""
    locked = [_project_for_change(actor, project) for project in projects]
    return _reschedule_locked(actor, locked, status_date, reason)


@transaction.atomic
def reschedule_as_system(*, projects: Iterable[Project], status_date: date | None = None, reason: str = "") -> dict:
    """Reschedule on behalf of the system (demo loads, command-line imports run by the server's
    owner); audited with no actor."""
    locked = list(Project.objects.select_for_update().filter(pk__in=[project.pk for project in projects]))
    return _reschedule_locked(None, locked, status_date, reason)


def _reschedule_locked(actor, locked: list[Project], status_date: date | None, reason: str) -> dict:
    if not locked:
        raise DomainError("Nothing to reschedule.")
    started = time.perf_counter()
    plans = {project.pk: plan_for(project) for project in locked}
    if status_date is not None:
        for plan in plans.values():
            plan.status_date = status_date
    effective_status = status_date or max((p.status_date for p in plans.values() if p.status_date), default=None)
    activities, links, every_project = _network_for(locked)
    result = _run_engine(locked, activities, links, every_project, effective_status)
    ids = set(plans)
    _write_results(result, activities, ids)
    project_of = {activity.pk: activity.project_id for activity in activities}
    names = {activity.pk: activity.name for activity in activities}
    paths_of: dict[int, list[list[int]]] = {}
    for path in result.critical_paths:
        ids_on_path = [int(key) for key in path]
        for project_id in {project_of.get(activity_id) for activity_id in ids_on_path}:
            paths_of.setdefault(project_id, []).append(ids_on_path)
    conflicts_of: dict[int, list[dict]] = {}
    for conflict in result.conflicts:
        activity_id = int(conflict.activity_key)
        conflicts_of.setdefault(project_of.get(activity_id), []).append(
            {
                "activity": activity_id,
                "name": names.get(activity_id, ""),
                "kind": str(conflict.kind),
                "message": conflict.message,
            }
        )
    summaries = {}
    for project in locked:
        plan = plans[project.pk]
        before = {"early_finish": _iso(plan.early_finish), "status_date": _iso(plan.status_date)}
        finish = result.project_finish.get(adapters.project_key(project.pk))
        plan.early_finish = adapters.from_local(finish) if finish else None
        plan.critical_paths = paths_of.get(project.pk, [])[:20]
        plan.conflicts = conflicts_of.get(project.pk, [])
        plan.scheduled_at = timezone.now()
        plan.save()
        after = {
            "early_finish": _iso(plan.early_finish),
            "status_date": _iso(plan.status_date),
            "conflicts": len(plan.conflicts),
        }
        record_event(actor=actor, action="project.rescheduled", obj=project, before=before, after=after, reason=reason)
        summaries[project.pk] = {
            "finish": plan.early_finish,
            "conflicts": plan.conflicts,
            "critical_paths": plan.critical_paths,
        }
    return {"projects": summaries, "activities": len(activities), "seconds": round(time.perf_counter() - started, 4)}


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def reschedule_programme(*, actor, programme: Programme, status_date: date | None = None, reason: str = "") -> dict:
    projects = list(programme.projects.visible_to(actor, Action.CHANGE).filter(is_archived=False))
    return reschedule(actor=actor, projects=projects, status_date=status_date, reason=reason)


# --- levelling delays -----------------------------------------------------------------------
#
# Accepting a levelled schedule records, per activity, the working minutes levelling holds it
# back after its links and dates allow it to start (MS Project's leveling delay): the user's
# constraints, durations and links stay as they were, and every later reschedule keeps the
# levelled dates until the delays are changed or cleared.


def _listed(ids: Iterable[object]) -> str:
    shown = [str(value) for value in ids]
    more = f" and {len(shown) - 10} more" if len(shown) > 10 else ""
    return ", ".join(shown[:10]) + more


def _whole_minutes(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def unlevelled_early_starts(projects: Iterable[Project]) -> dict[int, datetime]:
    """``{activity id: early start}`` of the projects' activities with every levelling delay left
    out: where links, date constraints, progress (at the plans' status date) and the project start
    alone let each start, as naive local datetimes. Writes no dates: the levelling starts here."""
    projects = list(projects)
    if not projects:
        return {}
    plans = [plan_for(project) for project in projects]
    status_date = max((plan.status_date for plan in plans if plan.status_date), default=None)
    activities, links, every_project = _network_for(projects)
    result = _run_engine(projects, activities, links, every_project, status_date, with_levelling=False)
    ids = {project.pk for project in projects}
    return {
        activity.pk: result[adapters.activity_key(activity.pk)].early_start
        for activity in activities
        if activity.project_id in ids
    }


def fit_levelling_delays(
    projects: Iterable[Project],
    targets: Mapping[int, datetime],
    *,
    first_guess: Mapping[int, int] | None = None,
    rounds: int = 100,
) -> dict[int, int]:
    """The levelling delay (working minutes) that makes the schedule of ``projects`` start each
    activity of ``targets`` at its target (a naive local moment), found on the engine's own
    schedule so that links, calendars and constraints count exactly as when the plans are
    rescheduled. Each round moves every activity by how far it starts before or after its target
    (never below no delay); an activity is right once its predecessors are, so the rounds end
    within the depth of the network. Writes nothing."""
    projects = list(projects)
    plans = {project.pk: plan_for(project) for project in projects}
    status_date = max((plan.status_date for plan in plans.values() if plan.status_date), default=None)
    activities, links, every_project = _network_for(projects)
    by_id = {activity.pk: activity for activity in activities}
    unknown = sorted(set(targets) - set(by_id))
    if unknown:
        raise DomainError(f"Activities {_listed(unknown)} are not activities of these projects.", field="targets")
    calendar_of = _engine_calendars_of(activities, every_project)
    delays = {pk: int((first_guess or {}).get(pk, 0)) for pk in targets}
    for _ in range(rounds):
        for pk, minutes in delays.items():
            by_id[pk].levelling_delay_minutes = minutes
        result = _run_engine(projects, activities, links, every_project, status_date)
        moved = False
        for pk, target in targets.items():
            start = result[adapters.activity_key(pk)].early_start
            wanted = max(0, delays[pk] + working_minutes_between(calendar_of[pk], start, target))
            if wanted != delays[pk]:
                delays[pk], moved = wanted, True
        if not moved:
            break
    return delays


def _engine_calendars_of(activities: list[Activity], project_ids: set[int]) -> dict[int, EngineCalendar]:
    """Each activity's working calendar: its own, else its project's, else the standard week."""
    plan_calendars = dict(
        ProjectPlan.objects.filter(project_id__in=project_ids, calendar__isnull=False).values_list(
            "project_id", "calendar_id"
        )
    )
    wanted = {a.calendar_id or plan_calendars.get(a.project_id) for a in activities} - {None}
    calendars = {
        c.pk: adapters.engine_calendar(c) for c in Calendar.objects.filter(pk__in=wanted).prefetch_related("exceptions")
    }
    standard = EngineCalendar()
    return {a.pk: calendars.get(a.calendar_id or plan_calendars.get(a.project_id), standard) for a in activities}


@transaction.atomic
def apply_levelling(
    *, actor, project: Project, delays: Mapping[int, int], reason: str, reschedule_now: bool = True
) -> None:
    """Set the levelling delay (working minutes, ``{activity id: minutes}``) of the activities
    given; the project's other activities keep theirs. Refuses ids that are not activities of
    the project, values that are not whole numbers of 0 or more, and a delay on a summary
    activity. Reschedules the project once (unless ``reschedule_now`` is false: the caller then
    reschedules several projects together) and audits one event with the count and the reason."""
    project = _project_for_change(actor, project)
    wanted = dict(delays)
    not_minutes = sorted((key for key, minutes in wanted.items() if not _whole_minutes(minutes)), key=str)
    if not_minutes:
        raise DomainError(
            f"A levelling delay is a whole number of working minutes, 0 or more; not so for activities "
            f"{_listed(not_minutes)}.",
            field="delays",
        )
    ids = [key for key in wanted if isinstance(key, int) and not isinstance(key, bool)]
    rows = {row.pk: row for row in Activity.objects.select_for_update().filter(project=project, pk__in=ids)}
    unknown = sorted((key for key in wanted if key not in rows), key=str)
    if unknown:
        raise DomainError(f"Activities {_listed(unknown)} are not activities of {project}.", field="delays")
    summaries = set(Activity.objects.filter(parent_id__in=list(rows)).values_list("parent_id", flat=True))
    refused = sorted(pk for pk in summaries if wanted[pk] > 0)
    if refused:
        names = _listed(f"'{rows[pk].name}'" for pk in refused)
        raise DomainError(
            f"Summary activities take no levelling delay (their dates come from their children): {names}.",
            field="delays",
        )
    changed = [row for row in rows.values() if row.levelling_delay_minutes != wanted[row.pk]]
    before = {str(row.pk): row.levelling_delay_minutes for row in changed}
    now = timezone.now()
    for row in changed:
        row.levelling_delay_minutes = wanted[row.pk]
        row.updated_at = now
    update_rows(changed, ["levelling_delay_minutes", "updated_at"])
    record_event(
        actor=actor,
        action="project.levelling_applied",
        obj=project,
        before={"levelling_delay_minutes": before},
        after={
            "activities": len(changed),
            "levelling_delay_minutes": {str(row.pk): row.levelling_delay_minutes for row in changed},
        },
        reason=reason,
    )
    if reschedule_now:
        _reschedule_locked(actor, [project], None, reason)


@transaction.atomic
def clear_levelling(*, actor, project: Project, reason: str = "") -> int:
    """Set every levelling delay of the project to 0, audit it, and reschedule the project: the
    plan goes back to the dates its links and constraints alone give. Returns how many
    activities had a delay."""
    project = _project_for_change(actor, project)
    delayed = Activity.objects.select_for_update().filter(project=project, levelling_delay_minutes__gt=0)
    before = dict(delayed.values_list("pk", "levelling_delay_minutes"))
    Activity.objects.filter(pk__in=list(before)).update(levelling_delay_minutes=0, updated_at=timezone.now())
    record_event(
        actor=actor,
        action="project.levelling_cleared",
        obj=project,
        before={"levelling_delay_minutes": {str(pk): minutes for pk, minutes in before.items()}},
        after={"activities": len(before)},
        reason=reason,
    )
    _reschedule_locked(actor, [project], None, reason)
    return len(before)


# --- baselines ------------------------------------------------------------------------------


@transaction.atomic
def set_baseline(*, actor, project: Project, number: int = 0, name: str = "", reason: str = "") -> Baseline:
    """Freeze the project's current dates, durations and costs as baseline ``number`` (replacing it)."""
    project = _project_for_change(actor, project)
    return _take_baseline(actor, project, number, name, reason)


@transaction.atomic
def set_baseline_as_system(*, project: Project, number: int = 0, name: str = "", reason: str = "") -> Baseline:
    """Take a baseline on behalf of the system (demo loads, imports of a file's baselines)."""
    return _take_baseline(None, Project.objects.select_for_update().get(pk=project.pk), number, name, reason)


def _take_baseline(actor, project: Project, number: int, name: str, reason: str) -> Baseline:
    if not 0 <= number <= 10:
        raise InvalidData({"number": ["A baseline number is from 0 to 10."]})
    activities = list(project.activities.all())
    if not activities:
        raise DomainError("The project has no activities to baseline.")
    if any(activity.start is None for activity in activities):
        raise DomainError("Reschedule the project first: some activities have no dates yet.")
    existing = Baseline.objects.filter(project=project, number=number).first()
    before = None
    if existing is not None:
        before = {"name": existing.name, "entries": existing.entries.count()}
        existing.delete()
    baseline = Baseline.objects.create(
        project=project,
        number=number,
        name=name or f"Baseline {number}",
        taken_by=actor if getattr(actor, "is_authenticated", False) else None,
        is_primary=not project.baselines.filter(is_primary=True).exists(),
    )
    BaselineActivity.objects.bulk_create(
        BaselineActivity(
            baseline=baseline,
            activity=a,
            wbs_code=a.wbs_code,
            name=a.name,
            start=a.start,
            finish=a.finish,
            duration_minutes=a.duration_minutes,
            cost=a.cost,
        )
        for a in activities
    )
    record_event(
        actor=actor,
        action="project.baseline_set",
        obj=project,
        before=before,
        after={"number": number, "name": baseline.name, "entries": len(activities)},
        reason=reason,
    )
    return baseline


@transaction.atomic
def clear_baseline(*, actor, baseline: Baseline, reason: str = "") -> None:
    baseline = locked_for(actor, Baseline, baseline.pk, Action.CHANGE)
    project = baseline.project
    record_event(
        actor=actor,
        action="project.baseline_cleared",
        obj=project,
        before={"number": baseline.number, "name": baseline.name},
        reason=reason,
    )
    was_primary = baseline.is_primary
    baseline.delete()
    if was_primary:
        replacement = project.baselines.order_by("number").first()
        if replacement is not None:
            replacement.is_primary = True
            replacement.save(update_fields=["is_primary", "updated_at"])
