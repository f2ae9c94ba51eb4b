"""From a :class:`~pmo_engine.formats.plan.Plan` to the engine's activities, links and calendars.

Rules, each where the engine models less than the tools that write the files:
- keys are the activities' UIDs as strings; summary activities are the parents of their
  children, their own duration, constraints other than SNET/FNLT and progress are left to the
  roll-up (MS Project allows no others on a summary);
- inactive activities (and everything below an inactive summary) are left out, with their links;
- a manually scheduled activity that has not started is held on its stored start with a
  must-start-on constraint (MS Project does not move manual tasks; a link it breaks shows as a
  conflict);
- an activity's calendar is its own; else, when its work resources all work the same time, their
  calendar (MS Project schedules a task on its resources' calendars); else the project's;
- progress without dates (GanttProject, Planner): a percent complete above 0 with no actual start
  takes the stored start as the actual start, and 100% with no actual finish the stored finish;
- elapsed durations, lags and levelling delays (wall-clock minutes) become working minutes at
  one working day (``Calendar.minutes_per_day``) per elapsed day: exact when the elapsed stretch
  covers no non-working day, approximate across weekends and holidays (the engine has no elapsed
  time);
- a summary activity's levelling delay is left out (the engine delays only the activities that
  do the work, and MS Project levels those);
- a percentage lag is that share of the predecessor's duration, in working minutes;
- a milestone with a duration is scheduled as a task of that duration (the engine's milestones
  have none).
"""

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from pmo_engine.cpm import ScheduleResult, schedule
from pmo_engine.formats.common import ResourceType
from pmo_engine.formats.errors import UnsupportedFeatureError
from pmo_engine.formats.plan_calendars import same_working_time, to_engine_calendar
from pmo_engine.model import MINUTES_PER_DAY, Activity, Calendar, ConstraintType, Link

if TYPE_CHECKING:
    from pmo_engine.formats.plan import Plan, PlanActivity

_SUMMARY_CONSTRAINTS = (ConstraintType.START_NO_EARLIER_THAN, ConstraintType.FINISH_NO_LATER_THAN)


@dataclass(frozen=True)
class _Conversion:
    """Everything the engine needs from a plan, computed once per call."""

    calendars: dict[str, Calendar]  # every plan calendar the activities use, by key
    default: Calendar | None
    activity_calendar: dict[int, str | None]  # per included activity: its calendar key
    included: frozenset[int]  # UIDs of the active activities


def _included(plan: "Plan") -> frozenset[int]:
    inactive: set[int] = set()
    for activity in plan.activities:  # parents come first, so an inactive parent is already known
        if not activity.is_active or activity.parent_uid in inactive:
            inactive.add(activity.uid)
    return frozenset(activity.uid for activity in plan.activities if activity.uid not in inactive)


def _convert(plan: "Plan") -> _Conversion:
    by_key = {calendar.key: calendar for calendar in plan.calendars}
    converted: dict[str, Calendar] = {}

    def engine(key: str) -> Calendar:
        if key not in converted:
            converted[key] = to_engine_calendar(by_key, by_key[key])
        return converted[key]

    default_key = plan.default_calendar_key
    default = engine(default_key) if default_key is not None else None
    resources = {resource.uid: resource for resource in plan.resources}
    resource_calendars: dict[int, list[str | None]] = {}
    for assignment in plan.assignments:
        resource = resources[assignment.resource_uid]
        if resource.resource_type is ResourceType.WORK and assignment.units > 0:
            resource_calendars.setdefault(assignment.activity_uid, []).append(resource.calendar_key or default_key)
    included = _included(plan)
    activity_calendar: dict[int, str | None] = {}
    for activity in plan.activities:
        if activity.uid not in included:
            continue
        key = activity.calendar_key
        if key is None and not activity.is_summary and activity.uid in resource_calendars:
            keys = [candidate for candidate in resource_calendars[activity.uid] if candidate is not None]
            if keys and len(keys) == len(resource_calendars[activity.uid]):
                first = engine(keys[0])
                alike = all(same_working_time(first, engine(other)) for other in keys[1:])
                if alike and not (default is not None and same_working_time(first, default)):
                    key = keys[0]
        activity_calendar[activity.uid] = key if key is not None else default_key
    for key in activity_calendar.values():
        if key is not None:
            engine(key)
    return _Conversion(calendars=converted, default=default, activity_calendar=activity_calendar, included=included)


def engine_calendars(plan: "Plan") -> tuple[Calendar, ...]:
    """The engine calendars the plan's included activities use, the default one included."""
    return tuple(_convert(plan).calendars.values())


def engine_default_calendar(plan: "Plan") -> Calendar | None:
    """The project calendar as an engine calendar, ``None`` when the plan names none."""
    return _convert(plan).default


def _elapsed_to_working(minutes: int, calendar: Calendar | None) -> int:
    per_day = calendar.minutes_per_day if calendar is not None else 480
    return round(minutes * per_day / MINUTES_PER_DAY)


def _progress(activity: "PlanActivity") -> tuple[datetime | None, datetime | None]:
    actual_start, actual_finish = activity.actual_start, activity.actual_finish
    if actual_start is None and activity.percent_complete > 0:
        if activity.start is None:
            raise UnsupportedFeatureError(
                f"Activity {activity.uid} is {activity.percent_complete:g}% complete but has neither an actual "
                "start nor a start date; give it an actual start."
            )
        actual_start = activity.start
    if actual_finish is None and activity.percent_complete == 100 and actual_start is not None:
        if activity.finish is None:
            raise UnsupportedFeatureError(
                f"Activity {activity.uid} is 100% complete but has neither an actual finish nor a finish date; "
                "give it an actual finish."
            )
        actual_finish = max(activity.finish, actual_start)
    return actual_start, actual_finish


def _engine_activity(activity: "PlanActivity", conversion: _Conversion) -> Activity:
    calendar_key = conversion.activity_calendar[activity.uid]
    parent = str(activity.parent_uid) if activity.parent_uid is not None else None
    constraint_type, constraint_date = activity.constraint_type, activity.constraint_date
    if activity.is_summary:
        if constraint_type not in _SUMMARY_CONSTRAINTS:
            constraint_type, constraint_date = ConstraintType.AS_SOON_AS_POSSIBLE, None
        return Activity(
            key=str(activity.uid),
            name=activity.name,
            calendar_key=calendar_key,
            parent_key=parent,
            constraint_type=constraint_type,
            constraint_date=constraint_date,
            deadline=activity.deadline,
        )
    calendar = conversion.calendars[calendar_key] if calendar_key is not None else None
    duration = activity.duration_minutes
    if activity.duration_is_elapsed:
        duration = _elapsed_to_working(duration, calendar)
    actual_start, actual_finish = _progress(activity)
    if activity.is_manually_scheduled and actual_start is None and activity.start is not None:
        constraint_type, constraint_date = ConstraintType.MUST_START_ON, activity.start
    in_progress = actual_start is not None and actual_finish is None and duration > 0
    levelling_delay = activity.levelling_delay_minutes
    if activity.levelling_delay_is_elapsed:
        levelling_delay = _elapsed_to_working(levelling_delay, calendar)
    return Activity(
        key=str(activity.uid),
        duration_minutes=duration,
        name=activity.name,
        calendar_key=calendar_key,
        parent_key=parent,
        constraint_type=constraint_type,
        constraint_date=constraint_date,
        deadline=activity.deadline,
        is_milestone=activity.is_milestone and duration == 0,
        actual_start=actual_start,
        actual_finish=actual_finish,
        percent_complete=float(activity.percent_complete) if actual_start is not None else 0.0,
        remaining_duration_minutes=activity.remaining_duration_minutes if in_progress else None,
        levelling_delay_minutes=levelling_delay,
    )


def _activities(plan: "Plan", conversion: _Conversion) -> tuple[Activity, ...]:
    return tuple(
        _engine_activity(activity, conversion) for activity in plan.activities if activity.uid in conversion.included
    )


def engine_activities(plan: "Plan") -> tuple[Activity, ...]:
    """The engine activities of the plan's included activities, in WBS order (see the module rules)."""
    return _activities(plan, _convert(plan))


def engine_links(plan: "Plan") -> tuple[Link, ...]:
    """The engine links between included activities, lags in working minutes of the successor's calendar."""
    return _links(plan, _convert(plan))


def _links(plan: "Plan", conversion: _Conversion) -> tuple[Link, ...]:
    links = []
    for link in plan.links:
        if link.predecessor_uid not in conversion.included or link.successor_uid not in conversion.included:
            continue
        successor_key = conversion.activity_calendar[link.successor_uid]
        calendar = conversion.calendars[successor_key] if successor_key is not None else None
        if link.lag_percent is not None:
            predecessor = plan.activity(link.predecessor_uid)
            duration = predecessor.duration_minutes
            if predecessor.duration_is_elapsed:
                duration = _elapsed_to_working(duration, calendar)
            lag = round(duration * link.lag_percent / 100)
        elif link.lag_is_elapsed:
            lag = _elapsed_to_working(link.lag_minutes, calendar)
        else:
            lag = link.lag_minutes
        links.append(Link(str(link.predecessor_uid), str(link.successor_uid), link.link_type, lag))
    return tuple(links)


def engine_status_date(plan: "Plan") -> datetime | None:
    """The plan's status date; when it has none but carries progress, the latest actual date
    (the earliest status date the actuals allow: tools such as GanttProject, Planner and MS
    Project without a status date record progress without one). ``None`` without progress."""
    return _status_date(plan, _included(plan))


def _status_date(plan: "Plan", included: frozenset[int]) -> datetime | None:
    if plan.status_date is not None:
        return plan.status_date
    moments = []
    for activity in plan.activities:
        if activity.uid in included and not activity.is_summary:
            moments.extend(moment for moment in _progress(activity) if moment is not None)
    return max(moments, default=None)


def schedule_plan(plan: "Plan", **options: object) -> ScheduleResult:
    """:func:`pmo_engine.schedule` on the plan from its project start, calendars and status date."""
    conversion = _convert(plan)
    return schedule(
        _activities(plan, conversion),
        _links(plan, conversion),
        project_start=plan.project_start,
        calendars=tuple(conversion.calendars.values()),
        default_calendar=conversion.default,
        status_date=_status_date(plan, conversion.included),
        **options,  # type: ignore[arg-type]
    )
