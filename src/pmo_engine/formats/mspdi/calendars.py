"""MSPDI calendars, both ways: ``<WeekDays>``, exceptions (MS Project 2007+ ``<Exceptions>``,
with their recurrences, and the older ``<WeekDay>`` with ``<DayType>0</DayType>`` and a
``<TimePeriod>``), and ``<WorkWeeks>``.

Recurring exceptions (yearly holidays, every other Friday) are expanded to their dates when read:
a plan keeps dated exceptions only, and writes them back as one exception per date range.
"""

from calendar import monthrange
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from xml.etree.ElementTree import Element

from pmo_engine.errors import InvalidInput
from pmo_engine.formats.common import STANDARD_WEEK, Periods, WeekPeriods, check_periods
from pmo_engine.formats.errors import FileFormatError
from pmo_engine.formats.mspdi.codes import (
    NO_CALENDAR,
    add_element,
    format_datetime,
    format_time,
    parse_time_minutes,
)
from pmo_engine.formats.mspdi.document import Document
from pmo_engine.formats.plan import PlanCalendar, PlanCalendarException, PlanWorkWeek
from pmo_engine.formats.plan_calendars import default_week

_MSPDI_DAY_TYPES = range(1, 8)  # 1 is Sunday ... 7 is Saturday
_DAILY, _YEARLY, _YEARLY_RELATIVE, _MONTHLY, _MONTHLY_RELATIVE, _WEEKLY, _DAILY_COUNT = range(1, 8)
_LAST_POSITION = 4  # MonthPosition: 0 first ... 3 fourth, 4 last
_MAXIMUM_OCCURRENCES = 100_000


def _weekday_of_day_type(day_type: int) -> int:
    """``date.weekday()`` (Monday 0) of an MSPDI DayType (Sunday 1)."""
    return (day_type - 2) % 7


def _read_periods(document: Document, element: Element) -> Periods:
    periods = []
    for working_time in document.path(element, "WorkingTimes", "WorkingTime"):
        start = document.value(working_time, "FromTime", lambda text: parse_time_minutes(text, is_end=False))
        end = document.value(working_time, "ToTime", lambda text: parse_time_minutes(text, is_end=True))
        if start is None and end is None:
            continue
        if start is None or end is None:
            raise document.error("A <WorkingTime> needs both <FromTime> and <ToTime>.", working_time)
        periods.append((start, end))
    try:
        return check_periods(sorted(periods), "WorkingTimes")
    except InvalidInput:
        raise document.error(
            "The working times overlap or end before they start: "
            + ", ".join(f"{format_time(start)}-{format_time(end)}" for start, end in sorted(periods))
            + ".",
            element,
        ) from None


def _read_day_periods(document: Document, element: Element) -> Periods:
    """A day's periods: none when ``DayWorking`` is 0; MS Project's standard day when it is 1 and
    no working times are given."""
    has_times = bool(document.path(element, "WorkingTimes", "WorkingTime"))
    if not document.boolean(element, "DayWorking", default=has_times):
        return ()
    return _read_periods(document, element) if has_times else STANDARD_WEEK[0]


def _read_week(document: Document, weekdays: list[Element]) -> list[Periods | None]:
    week: list[Periods | None] = [None] * 7
    for weekday in weekdays:
        day_type = document.required_integer(weekday, "DayType")
        if day_type in _MSPDI_DAY_TYPES:
            week[_weekday_of_day_type(day_type)] = _read_day_periods(document, weekday)
        elif day_type != 0:
            raise document.error(f"DayType {day_type} is not a day (0 to 7).", weekday, "DayType")
    return week


def _time_period(document: Document, element: Element) -> tuple[date, date] | None:
    period = document.child(element, "TimePeriod")
    if period is None:
        return None
    first = document.moment(period, "FromDate")
    last = document.moment(period, "ToDate")
    if first is None or last is None:
        known = first or last
        if known is None:
            return None
        first = last = known
    first_day, last_day = first.date(), last.date()
    if last_day < first_day:
        raise document.error(f"The period ends ({last_day}) before it starts ({first_day}).", period)
    return first_day, last_day


def _months(first: date, step: int) -> Iterator[tuple[int, int]]:
    year, month = first.year, first.month
    while year <= date.max.year:
        yield year, month
        month += step
        year += (month - 1) // 12
        month = (month - 1) % 12 + 1


def _day_of_month(year: int, month: int, day: int) -> date:
    """Day ``day`` of the month, or its last day when the month is shorter (MS Project's rule)."""
    return date(year, month, min(day, monthrange(year, month)[1]))


def _relative_day(year: int, month: int, item: int, position: int) -> date | None:
    """The ``position``-th (0 first ... 4 last) day of kind ``item`` (0 any day, 1 weekday, 2 weekend
    day, 3 Sunday ... 9 Saturday) in the month."""
    day = date(year, month, 1)
    candidates = []
    while day.month == month:
        weekday = day.weekday()
        if (
            item == 0
            or (item == 1 and weekday < 5)
            or (item == 2 and weekday >= 5)
            or (item >= 3 and weekday == _weekday_of_day_type(item - 2))
        ):
            candidates.append(day)
        if day == date.max:
            break
        day += timedelta(days=1)
    if not candidates:
        return None
    if position >= _LAST_POSITION:
        return candidates[-1]
    return candidates[position] if position < len(candidates) else None


def _every(first: date, last: date, step_days: int) -> Iterator[date]:
    """``first``, ``first + step_days``, ... up to ``last`` (ordinals, so nothing overflows at year 9999)."""
    for ordinal in range(first.toordinal(), last.toordinal() + 1, step_days):
        yield date.fromordinal(ordinal)


def _bounded(document: Document, element: Element, name: str, low: int, high: int, *, default: int) -> int:
    value = document.integer(element, name)
    if value is None:
        return default
    if not low <= value <= high:
        raise document.error(f"{name} {value} is not from {low} to {high}.", element, name)
    return value


def _recurrence_dates(document: Document, element: Element, kind: int, first: date, last: date) -> Iterator[date]:
    period = max(document.integer(element, "Period") or 1, 1)
    if kind in (_DAILY, _DAILY_COUNT):
        yield from _every(first, last, period)
    elif kind == _WEEKLY:
        mask = _bounded(document, element, "DaysOfWeek", 0, 127, default=0)
        sunday = first - timedelta(days=(first.weekday() + 1) % 7) if first > date(1, 1, 7) else first
        for week_start in _every(sunday, last, 7 * period):
            for offset in range(7):
                if mask & (1 << offset) and first.toordinal() <= week_start.toordinal() + offset <= last.toordinal():
                    yield date.fromordinal(week_start.toordinal() + offset)  # bit 0 is Sunday
    else:
        month_day = _bounded(document, element, "MonthDay", 1, 31, default=1)
        item = _bounded(document, element, "MonthItem", 0, 9, default=0)
        position = _bounded(document, element, "MonthPosition", 0, _LAST_POSITION, default=0)
        yearly = kind in (_YEARLY, _YEARLY_RELATIVE)
        month_of_year = _bounded(document, element, "Month", 0, 11, default=0) + 1
        start = date(first.year, month_of_year, 1) if yearly else first.replace(day=1)
        relative = kind in (_YEARLY_RELATIVE, _MONTHLY_RELATIVE)
        for year, month in _months(start, 12 if yearly else period):
            if date(year, month, 1) > last:
                return
            day = _relative_day(year, month, item, position) if relative else _day_of_month(year, month, month_day)
            if day is not None and first <= day <= last:
                yield day


def _read_exception(document: Document, element: Element) -> list[PlanCalendarException]:
    span = _time_period(document, element)
    if span is None:
        return []  # an exception without dates means nothing (some tools write such); MS Project ignores it
    first, last = span
    name = document.words(element, "Name")
    periods = _read_day_periods(document, element)
    kind = document.integer(element, "Type") or 0
    period = document.integer(element, "Period") or 1
    if kind not in range(_DAILY, _DAILY_COUNT + 1) or (kind in (_DAILY, _DAILY_COUNT) and period <= 1):
        return [PlanCalendarException(first, last, periods, name)]
    count = (
        document.integer(element, "Occurrences")
        if document.boolean(element, "EnteredByOccurrences", default=False)
        else None
    )
    limit = _MAXIMUM_OCCURRENCES if count is None or count <= 0 else min(count, _MAXIMUM_OCCURRENCES)
    exceptions = []
    for day in _recurrence_dates(document, element, kind, first, last):
        if len(exceptions) == limit:
            break
        exceptions.append(PlanCalendarException(day, day, periods, name))
    return exceptions


def _read_exceptions(document: Document, calendar: Element) -> tuple[PlanCalendarException, ...]:
    new_style = document.path(calendar, "Exceptions", "Exception")
    exceptions: list[PlanCalendarException] = []
    if new_style:
        for element in new_style:
            exceptions.extend(_read_exception(document, element))
    else:  # MS Project 2003 and earlier: <WeekDay> with DayType 0 and a TimePeriod
        for weekday in document.path(calendar, "WeekDays", "WeekDay"):
            if document.integer(weekday, "DayType") == 0:
                span = _time_period(document, weekday)
                if span is not None:
                    exceptions.append(PlanCalendarException(*span, _read_day_periods(document, weekday)))
    return tuple(exceptions)


def _read_work_weeks(document: Document, calendar: Element) -> tuple[PlanWorkWeek, ...]:
    weeks = []
    for element in document.path(calendar, "WorkWeeks", "WorkWeek"):
        span = _time_period(document, element)
        if span is None:
            raise document.error("A <WorkWeek> needs a <TimePeriod> with <FromDate> and <ToDate>.", element)
        weekdays = _read_week(document, document.path(element, "WeekDays", "WeekDay"))
        weeks.append(PlanWorkWeek(*span, tuple(weekdays), document.words(element, "Name")))
    return tuple(weeks)


def read_calendars(document: Document) -> tuple[PlanCalendar, ...]:
    """Every ``<Calendar>``; keys are the calendar UIDs as strings. A ``BaseCalendarUID`` naming no
    calendar (MS Project writes 0 or -1 for "none") leaves the calendar without a base."""
    elements = document.path(document.root, "Calendars", "Calendar")
    uids: dict[int, Element] = {}
    for element in elements:
        uid = document.required_integer(element, "UID")
        if uid in uids:
            raise document.error(f"Two calendars have UID {uid}.", element, "UID")
        uids[uid] = element
    calendars = []
    for uid, element in uids.items():
        base = document.integer(element, "BaseCalendarUID")
        base_key = str(base) if base is not None and base != uid and base in uids else None
        weekdays: WeekPeriods = tuple(_read_week(document, document.path(element, "WeekDays", "WeekDay")))
        try:
            calendars.append(
                PlanCalendar(
                    key=str(uid),
                    name=document.words(element, "Name"),
                    base_calendar_key=base_key,
                    weekdays=weekdays,
                    exceptions=_read_exceptions(document, element),
                    work_weeks=_read_work_weeks(document, element),
                )
            )
        except InvalidInput as error:
            raise FileFormatError(
                f"Calendar UID {uid}: {error.message}", element="Calendar", line=document.line(element)
            ) from None
    return tuple(calendars)


def _write_week_day(parent: Element, day_type: int, periods: Periods, span: tuple[date, date] | None = None) -> None:
    weekday = add_element(parent, "WeekDay")
    add_element(weekday, "DayType", str(day_type))
    add_element(weekday, "DayWorking", "1" if periods else "0")
    if span is not None:
        _write_time_period(weekday, *span)
    _write_working_times(weekday, periods)


def _write_working_times(parent: Element, periods: Periods) -> None:
    if not periods:
        return
    times = add_element(parent, "WorkingTimes")
    for start, end in periods:
        working_time = add_element(times, "WorkingTime")
        add_element(working_time, "FromTime", format_time(start))
        add_element(working_time, "ToTime", format_time(end))


def _write_time_period(parent: Element, first: date, last: date) -> None:
    period = add_element(parent, "TimePeriod")
    add_element(period, "FromDate", format_datetime(datetime.combine(first, datetime.min.time())))
    add_element(
        period, "ToDate", format_datetime(datetime.combine(last, datetime.min.time()).replace(hour=23, minute=59))
    )


def _write_week(parent: Element, weekdays: WeekPeriods, exceptions: tuple[PlanCalendarException, ...] = ()) -> None:
    entries = [(day_type, weekdays[_weekday_of_day_type(day_type)]) for day_type in _MSPDI_DAY_TYPES]
    if all(periods is None for _, periods in entries) and not exceptions:
        return
    week = add_element(parent, "WeekDays")
    for day_type, periods in entries:
        if periods is not None:
            _write_week_day(week, day_type, periods)
    for exception in exceptions:  # the MS Project 2003 form, for older readers
        _write_week_day(week, 0, exception.working_periods, (exception.first_date, exception.last_date))


def write_calendars(project: Element, calendars: tuple[PlanCalendar, ...], uids: dict[str, int]) -> None:
    """Append ``<Calendars>`` to ``project``; ``uids`` gives each calendar key its UID. A work week
    lists all seven days, its unset ones as the calendar's own (MPXJ reads a day a work week leaves
    out as not worked)."""
    if not calendars:
        return
    by_key = {calendar.key: calendar for calendar in calendars}
    parent = add_element(project, "Calendars")
    for calendar in calendars:
        element = add_element(parent, "Calendar")
        add_element(element, "UID", str(uids[calendar.key]))
        add_element(element, "Name", calendar.name or f"Calendar {calendar.key}")
        add_element(element, "IsBaseCalendar", "1" if calendar.base_calendar_key is None else "0")
        add_element(element, "IsBaselineCalendar", "0")
        base = NO_CALENDAR if calendar.base_calendar_key is None else uids[calendar.base_calendar_key]
        add_element(element, "BaseCalendarUID", str(base))
        _write_week(element, calendar.weekdays, calendar.exceptions)
        if calendar.exceptions:
            exceptions = add_element(element, "Exceptions")
            for exception in calendar.exceptions:
                entry = add_element(exceptions, "Exception")
                add_element(entry, "EnteredByOccurrences", "0")
                _write_time_period(entry, exception.first_date, exception.last_date)
                add_element(entry, "Occurrences", str((exception.last_date - exception.first_date).days + 1))
                if exception.name:
                    add_element(entry, "Name", exception.name)
                add_element(entry, "Type", str(_DAILY))
                add_element(entry, "Period", "1")
                add_element(entry, "DayWorking", "1" if exception.working_periods else "0")
                _write_working_times(entry, exception.working_periods)
        if calendar.work_weeks:
            weeks = add_element(element, "WorkWeeks")
            for work_week in calendar.work_weeks:
                entry = add_element(weeks, "WorkWeek")
                _write_time_period(entry, work_week.first_date, work_week.last_date)
                if work_week.name:
                    add_element(entry, "Name", work_week.name)
                own = default_week(by_key, calendar)
                _write_week(entry, tuple(own[day] if p is None else p for day, p in enumerate(work_week.weekdays)))
