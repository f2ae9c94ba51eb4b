"""Working time of a plan's calendars, and their conversion to the engine's :class:`~pmo_engine.model.Calendar`.

Which periods are worked on a day, in this order (MS Project's rules):
1. an exception of the calendar covering the day, else one of its base calendar (and so on up:
   a company holiday on the base calendar also stops the people whose calendars derive from it);
2. a work week of the calendar covering the day, for a weekday it defines;
3. the calendar's own weekday, unless it takes it from its base (``None``);
4. the base calendar's week (steps 2-4 on the base), and MS Project's standard week at the top.

The engine's calendar has one set of working periods for every working day, so a calendar converts
when every worked day has the same periods: the weekdays give ``working_weekdays`` and
``working_periods``; the dates exceptions and work weeks change become ``holidays`` (not worked)
and ``extra_working_dates`` (worked on a weekday that normally is not). Anything else (a short
Friday, a half-day exception) raises :class:`~pmo_engine.formats.errors.UnsupportedFeatureError`
naming the calendar and the day.
"""

from collections.abc import Iterator, Mapping
from datetime import date, timedelta
from typing import TYPE_CHECKING

from pmo_engine.formats.common import STANDARD_WEEK, Periods, format_periods
from pmo_engine.formats.errors import UnsupportedFeatureError
from pmo_engine.model import Calendar

if TYPE_CHECKING:
    from pmo_engine.formats.plan import PlanCalendar

_WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _exception_periods(calendars: Mapping[str, "PlanCalendar"], calendar: "PlanCalendar", day: date) -> Periods | None:
    current: PlanCalendar | None = calendar
    while current is not None:
        for exception in current.exceptions:
            if exception.first_date <= day <= exception.last_date:
                return exception.working_periods
        current = None if current.base_calendar_key is None else calendars[current.base_calendar_key]
    return None


def _week_periods(calendars: Mapping[str, "PlanCalendar"], calendar: "PlanCalendar", day: date) -> Periods:
    weekday = day.weekday()
    current: PlanCalendar | None = calendar
    while current is not None:
        for week in current.work_weeks:
            if week.first_date <= day <= week.last_date and week.weekdays[weekday] is not None:
                return week.weekdays[weekday]  # type: ignore[return-value]
        if current.weekdays[weekday] is not None:
            return current.weekdays[weekday]  # type: ignore[return-value]
        current = None if current.base_calendar_key is None else calendars[current.base_calendar_key]
    return STANDARD_WEEK[weekday]


def periods_on(calendars: Mapping[str, "PlanCalendar"], calendar: "PlanCalendar", day: date) -> Periods:
    """The working periods of ``calendar`` on ``day`` (empty when the day is not worked)."""
    exception = _exception_periods(calendars, calendar, day)
    return exception if exception is not None else _week_periods(calendars, calendar, day)


def default_week(calendars: Mapping[str, "PlanCalendar"], calendar: "PlanCalendar") -> tuple[Periods, ...]:
    """The periods of each weekday (Monday first) outside exceptions and work weeks."""
    week = []
    for weekday in range(7):
        current: PlanCalendar | None = calendar
        periods = STANDARD_WEEK[weekday]
        while current is not None:
            if current.weekdays[weekday] is not None:
                periods = current.weekdays[weekday]  # type: ignore[assignment]
                break
            current = None if current.base_calendar_key is None else calendars[current.base_calendar_key]
        week.append(periods)
    return tuple(week)


def _special_days(calendars: Mapping[str, "PlanCalendar"], calendar: "PlanCalendar") -> Iterator[date]:
    """Every day an exception or a work week of the calendar or its bases covers (with repeats)."""
    current: PlanCalendar | None = calendar
    while current is not None:
        for span in (*current.exceptions, *current.work_weeks):
            day = span.first_date
            while day <= span.last_date:
                yield day
                day += timedelta(days=1)
        current = None if current.base_calendar_key is None else calendars[current.base_calendar_key]


def _describe(calendar: "PlanCalendar") -> str:
    return f"Calendar {calendar.name!r} (key {calendar.key})" if calendar.name else f"Calendar {calendar.key}"


def to_engine_calendar(calendars: Mapping[str, "PlanCalendar"], calendar: "PlanCalendar") -> Calendar:
    """The engine calendar of ``calendar`` (same key); O(days covered by exceptions and work weeks).

    Raises :class:`~pmo_engine.formats.errors.UnsupportedFeatureError` when worked days differ in
    their periods or no weekday is worked.
    """
    week = default_week(calendars, calendar)
    worked = [periods for periods in week if periods]
    if not worked:
        raise UnsupportedFeatureError(
            f"{_describe(calendar)} has no working weekday; pmo's scheduler needs at least one. "
            "Give the calendar a working week."
        )
    common = worked[0]
    for weekday, periods in enumerate(week):
        if periods and periods != common:
            raise UnsupportedFeatureError(
                f"{_describe(calendar)} works {format_periods(periods)} on {_WEEKDAY_NAMES[weekday]} but "
                f"{format_periods(common)} on {_WEEKDAY_NAMES[week.index(common)]}; pmo's scheduler needs the same "
                "working hours on every working day. Make the working days alike in the calendar."
            )
    holidays: set[date] = set()
    extra: set[date] = set()
    for day in set(_special_days(calendars, calendar)):
        periods = periods_on(calendars, calendar, day)
        usual = week[day.weekday()]
        if periods == usual:
            continue
        if not periods:
            holidays.add(day)
        elif periods == common:
            extra.add(day)
        else:
            raise UnsupportedFeatureError(
                f"{_describe(calendar)} works {format_periods(periods)} on {day.isoformat()} but "
                f"{format_periods(common)} on its working days; pmo's scheduler needs the same working hours on "
                "every working day. Make that day a full working day or a holiday."
            )
    return Calendar(
        key=calendar.key,
        working_weekdays=frozenset(weekday for weekday, periods in enumerate(week) if periods),
        working_periods=common,
        holidays=frozenset(holidays),
        extra_working_dates=frozenset(extra),
    )


def same_working_time(first: Calendar, second: Calendar) -> bool:
    """True when two engine calendars work the same time (their keys aside)."""
    return (
        first.working_weekdays == second.working_weekdays
        and first.working_periods == second.working_periods
        and first.holidays == second.holidays
        and first.extra_working_dates == second.extra_working_dates
    )
