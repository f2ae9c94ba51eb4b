"""Rows of the planning app <-> the engine's data classes.

The engine works on naive datetimes in calendar-local time; the database holds aware ones. The
server's time zone (``PMO_TIME_ZONE``) is the plans' local time.
"""

from collections.abc import Iterable
from datetime import date, datetime

from django.utils import timezone

from pmo.planning.models import Activity, Calendar, Link
from pmo_engine import Activity as EngineActivity
from pmo_engine import Calendar as EngineCalendar
from pmo_engine import ConstraintType as EngineConstraintType
from pmo_engine import Link as EngineLink
from pmo_engine import LinkType as EngineLinkType


def to_local(moment: datetime | None) -> datetime | None:
    """An aware moment as the naive local datetime the engine expects."""
    if moment is None:
        return None
    return timezone.localtime(moment).replace(tzinfo=None, second=0, microsecond=0)


def from_local(moment: datetime | date | None) -> datetime | None:
    """A naive local datetime from the engine as an aware moment to store."""
    if moment is None:
        return None
    if not isinstance(moment, datetime):
        moment = datetime(moment.year, moment.month, moment.day)
    return timezone.make_aware(moment)


def calendar_key(calendar_id: int) -> str:
    return f"calendar-{calendar_id}"


def activity_key(activity_id: int) -> str:
    return str(activity_id)


def project_key(project_id: int) -> str:
    return str(project_id)


def engine_calendar(calendar: Calendar) -> EngineCalendar:
    """The engine's calendar for a stored one (its exceptions must be prefetched)."""
    exceptions = list(calendar.exceptions.all())
    return EngineCalendar(
        key=calendar_key(calendar.pk),
        working_weekdays=frozenset(calendar.working_weekdays),
        working_periods=tuple((start, end) for start, end in calendar.working_periods),
        holidays=frozenset(exception.date for exception in exceptions if not exception.is_working),
        extra_working_dates=frozenset(exception.date for exception in exceptions if exception.is_working),
    )


def engine_activity(activity: Activity, *, has_children: bool) -> EngineActivity:
    """The engine's activity for a stored one. Summaries carry no duration or levelling delay of
    their own (an activity that has become a summary keeps its stored delay unused)."""
    percent = float(activity.percent_complete)
    return EngineActivity(
        key=activity_key(activity.pk),
        duration_minutes=0 if has_children else activity.duration_minutes,
        project_key=project_key(activity.project_id),
        name=activity.name,
        calendar_key=calendar_key(activity.calendar_id) if activity.calendar_id else None,
        parent_key=activity_key(activity.parent_id) if activity.parent_id else None,
        constraint_type=EngineConstraintType(activity.constraint_type),
        constraint_date=to_local(activity.constraint_date),
        deadline=to_local(activity.deadline),
        is_milestone=activity.is_milestone and not has_children,
        actual_start=to_local(activity.actual_start),
        actual_finish=to_local(activity.actual_finish),
        percent_complete=percent,
        remaining_duration_minutes=activity.remaining_duration_minutes if activity.actual_start else None,
        levelling_delay_minutes=0 if has_children else activity.levelling_delay_minutes,
    )


def engine_link(link: Link) -> EngineLink:
    return EngineLink(
        predecessor_key=activity_key(link.predecessor_id),
        successor_key=activity_key(link.successor_id),
        link_type=EngineLinkType(link.link_type),
        lag_minutes=link.lag_minutes,
    )


def engine_network(
    activities: Iterable[Activity], links: Iterable[Link]
) -> tuple[list[EngineActivity], list[EngineLink]]:
    activities = list(activities)
    parents = {activity.parent_id for activity in activities if activity.parent_id}
    return (
        [engine_activity(activity, has_children=activity.pk in parents) for activity in activities],
        [engine_link(link) for link in links],
    )
