"""A whole project plan as interchange files carry it: frozen, validated data classes.

A :class:`Plan` keeps what Microsoft Project, ProjectLibre, Primavera, GanttProject and Planner
files say about a project, close to the file (task UIDs, the WBS, the dates the file stores), so
that reading a file and writing it back loses nothing pmo uses. :meth:`Plan.schedule` and the
``engine_*`` methods turn it into the engine's :class:`~pmo_engine.model.Activity`,
:class:`~pmo_engine.model.Link` and :class:`~pmo_engine.model.Calendar` (see
:mod:`pmo_engine.formats.plan_engine` for the rules).

Units, everywhere in a plan:
- durations, work and lags are integer minutes: **working** minutes on the calendar that applies,
  except where a field says the amount is elapsed (wall-clock) minutes;
- moments are naive ``datetime`` values in the plan's local time;
- working periods are ``(start_minute, end_minute)`` pairs after midnight within 0..1440, sorted
  and disjoint; weekdays are indexed as ``date.weekday()`` (Monday is 0);
- percentages are 0 to 100; units of a resource or an assignment are fractions (1.0 is one
  person full time, 0.5 half time); money is ``Decimal`` in the plan's currency.

Every ``__post_init__`` raises :class:`~pmo_engine.errors.InvalidInput` naming the field at fault.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING

from pmo_engine.errors import InvalidInput
from pmo_engine.formats import plan_engine
from pmo_engine.formats.common import (
    STANDARD_WEEK,
    DurationUnit,
    Periods,
    ResourceType,
    WeekPeriods,
    check_periods,
)
from pmo_engine.model import Calendar, ConstraintType, LinkType

if TYPE_CHECKING:
    from pmo_engine.cpm import ScheduleResult
    from pmo_engine.model import Activity, Link

PROJECT_SUMMARY_UID = 0  # MS Project's project summary task, which the MSPDI reader does not make an activity
MAXIMUM_BASELINE_NUMBER = 10


def _fail(message: str, field_name: str) -> InvalidInput:
    return InvalidInput(message, field=field_name)


def _check_uid(value: object, field_name: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise _fail(f"{field_name} must be a whole number of 0 or more, not {value!r}.", field_name)


def _check_minutes(value: object, field_name: str, *, optional: bool = False) -> None:
    if optional and value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise _fail(f"{field_name} must be a whole number of minutes, 0 or more, not {value!r}.", field_name)


def _check_moment(value: object, field_name: str) -> None:
    if value is None:
        return
    if not isinstance(value, datetime) or value.tzinfo is not None:
        raise _fail(f"{field_name} must be a naive datetime (local time), not {value!r}.", field_name)


def _check_money(value: object, field_name: str) -> None:
    if value is not None and not isinstance(value, Decimal):
        raise _fail(f"{field_name} must be a Decimal amount, not {value!r}.", field_name)


def _check_fraction(value: object, field_name: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise _fail(f"{field_name} must be a number of 0 or more (1.0 is 100%), not {value!r}.", field_name)


def _check_enum(instance: object, field_name: str, enum: type[StrEnum]) -> None:
    value = getattr(instance, field_name)
    try:
        object.__setattr__(instance, field_name, enum(value))
    except ValueError:
        raise _fail(f"{field_name} must be one of {', '.join(enum)}, not {value!r}.", field_name) from None


def _check_week(value: object, field_name: str) -> WeekPeriods:
    try:
        days = tuple(value)  # type: ignore[arg-type]
    except TypeError:
        raise _fail(f"{field_name} must hold 7 entries, Monday first.", field_name) from None
    if len(days) != 7:
        raise _fail(f"{field_name} must hold 7 entries, Monday first, not {len(days)}.", field_name)
    return tuple(None if day is None else check_periods(day, field_name) for day in days)


def _check_date_range(first_date: object, last_date: object, field_name: str) -> None:
    for value in (first_date, last_date):
        if isinstance(value, datetime) or not isinstance(value, date):
            raise _fail(f"{field_name} must be dates (not datetimes), not {value!r}.", field_name)
    if last_date < first_date:  # type: ignore[operator]
        raise _fail(f"{field_name}: the last date {last_date} is before the first date {first_date}.", field_name)


@dataclass(frozen=True, slots=True)
class PlanCalendarException:
    """Dates ``first_date`` to ``last_date`` (inclusive) worked in ``working_periods``; not worked
    at all when ``working_periods`` is empty (a holiday)."""

    first_date: date
    last_date: date
    working_periods: Periods = ()
    name: str = ""

    def __post_init__(self) -> None:
        _check_date_range(self.first_date, self.last_date, "first_date/last_date")
        object.__setattr__(self, "working_periods", check_periods(self.working_periods, "working_periods"))


@dataclass(frozen=True, slots=True)
class PlanWorkWeek:
    """An alternative working week for ``first_date`` to ``last_date`` (inclusive). ``weekdays``
    holds 7 entries, Monday first: the periods of that weekday, or ``None`` for the calendar's own
    (an MSPDI file lists all seven days of a work week, so ``None`` is written as the day it stands for)."""

    first_date: date
    last_date: date
    weekdays: WeekPeriods
    name: str = ""

    def __post_init__(self) -> None:
        _check_date_range(self.first_date, self.last_date, "first_date/last_date")
        object.__setattr__(self, "weekdays", _check_week(self.weekdays, "weekdays"))


@dataclass(frozen=True, slots=True)
class PlanCalendar:
    """A working-time calendar as MS Project keeps it.

    - ``weekdays``: 7 entries, Monday first, each the working periods of that weekday (empty: not
      worked), or ``None`` to take the weekday from ``base_calendar_key`` (a derived calendar, such
      as a resource calendar). A calendar without a base has no ``None`` entries: they are filled
      with :data:`STANDARD_WEEK`.
    - ``exceptions`` (holidays, special days) and ``work_weeks`` override the weekdays on their
      dates; a base calendar's exceptions apply to the calendars derived from it.
    """

    key: str
    name: str = ""
    base_calendar_key: str | None = None
    weekdays: WeekPeriods = STANDARD_WEEK
    exceptions: tuple[PlanCalendarException, ...] = ()
    work_weeks: tuple[PlanWorkWeek, ...] = ()

    def __post_init__(self) -> None:
        if not isinstance(self.key, str) or not self.key:
            raise _fail(f"key must be a non-empty string, not {self.key!r}.", "key")
        if self.base_calendar_key == self.key:
            raise _fail(f"Calendar {self.key} cannot be its own base calendar.", "base_calendar_key")
        weekdays = _check_week(self.weekdays, "weekdays")
        if self.base_calendar_key is None:
            weekdays = tuple(STANDARD_WEEK[day] if periods is None else periods for day, periods in enumerate(weekdays))
        object.__setattr__(self, "weekdays", weekdays)
        for name, kind in (("exceptions", PlanCalendarException), ("work_weeks", PlanWorkWeek)):
            values = tuple(getattr(self, name))
            if any(not isinstance(value, kind) for value in values):
                raise _fail(f"{name} must hold {kind.__name__} values.", name)
            object.__setattr__(self, name, values)


@dataclass(frozen=True, slots=True)
class PlanActivity:
    """One task of the plan, as the file has it.

    - ``uid``: the file's unique id (MS Project's UID), stable across saves; ``wbs_code``: the WBS
      code as the file shows it; ``outline_level`` 1 for a top-level task, ``parent_uid`` the
      summary task above it (``None`` at the top).
    - ``duration_minutes``: working minutes, or wall-clock minutes when ``duration_is_elapsed``
      (MS Project's "3 edays"); ``duration_unit`` is how the file shows it.
    - ``is_summary``: it has children (its dates roll up); ``is_manually_scheduled``: MS Project's
      manual mode, the dates are the user's and the scheduler does not move them;
      ``is_active``: False for MS Project's inactive tasks, which the schedule leaves out.
    - ``calendar_key``: the task's own calendar, ``None`` for the project's (or its resources').
    - progress: ``actual_start``, ``actual_finish``, ``percent_complete`` (of duration),
      ``remaining_duration_minutes`` (working minutes, ``None`` when the file does not say).
    - ``start``/``finish``: the dates the file stores (computed by the tool that wrote it).
    - ``cost``: the planned cost of the task (work, materials and fixed cost).
    - ``levelling_delay_minutes``: MS Project's leveling delay, the time resource levelling holds
      the task back after its links and dates allow it to start: working minutes, or wall-clock
      minutes when ``levelling_delay_is_elapsed`` (MS Project's default unit is elapsed days).
    """

    uid: int
    name: str = ""
    wbs_code: str = ""
    outline_level: int = 1
    parent_uid: int | None = None
    duration_minutes: int = 0
    duration_is_elapsed: bool = False
    duration_unit: DurationUnit = DurationUnit.DAYS
    is_milestone: bool = False
    is_summary: bool = False
    is_manually_scheduled: bool = False
    is_active: bool = True
    calendar_key: str | None = None
    constraint_type: ConstraintType = ConstraintType.AS_SOON_AS_POSSIBLE
    constraint_date: datetime | None = None
    deadline: datetime | None = None
    actual_start: datetime | None = None
    actual_finish: datetime | None = None
    percent_complete: float = 0.0
    remaining_duration_minutes: int | None = None
    start: datetime | None = None
    finish: datetime | None = None
    cost: Decimal | None = None
    notes: str = ""
    levelling_delay_minutes: int = 0
    levelling_delay_is_elapsed: bool = False

    def __post_init__(self) -> None:
        _check_uid(self.uid, "uid")
        if self.parent_uid is not None:
            _check_uid(self.parent_uid, "parent_uid")
            if self.parent_uid == self.uid:
                raise _fail(f"Activity {self.uid} cannot be its own parent.", "parent_uid")
        if isinstance(self.outline_level, bool) or not isinstance(self.outline_level, int) or self.outline_level < 1:
            raise _fail(f"outline_level must be 1 or more, not {self.outline_level!r}.", "outline_level")
        _check_minutes(self.duration_minutes, "duration_minutes")
        _check_minutes(self.remaining_duration_minutes, "remaining_duration_minutes", optional=True)
        _check_minutes(self.levelling_delay_minutes, "levelling_delay_minutes")
        _check_enum(self, "duration_unit", DurationUnit)
        _check_enum(self, "constraint_type", ConstraintType)
        for name in ("constraint_date", "deadline", "actual_start", "actual_finish", "start", "finish"):
            _check_moment(getattr(self, name), name)
        if self.constraint_type.is_dated and self.constraint_date is None:
            raise _fail(f"Activity {self.uid}: a {self.constraint_type} constraint needs a date.", "constraint_date")
        if not self.constraint_type.is_dated and self.constraint_date is not None:
            raise _fail(f"Activity {self.uid}: a {self.constraint_type} constraint takes no date.", "constraint_date")
        percent = self.percent_complete
        if isinstance(percent, bool) or not isinstance(percent, int | float) or not 0 <= percent <= 100:
            raise _fail(f"percent_complete must be from 0 to 100, not {percent!r}.", "percent_complete")
        if self.actual_finish is not None:
            if self.actual_start is None:
                raise _fail(f"Activity {self.uid} has an actual finish but no actual start.", "actual_start")
            if self.actual_finish < self.actual_start:
                raise _fail(f"Activity {self.uid}: the actual finish is before the actual start.", "actual_finish")
        _check_money(self.cost, "cost")


@dataclass(frozen=True, slots=True)
class PlanLink:
    """``successor_uid`` depends on ``predecessor_uid``.

    The lag is one of: ``lag_minutes`` working minutes (on the successor's calendar); with
    ``lag_is_elapsed``, ``lag_minutes`` wall-clock minutes (MS Project's "2 edays"); or, when
    ``lag_percent`` is set, that percentage of the predecessor's duration (``lag_minutes`` is then
    0). Negative lags are leads. ``lag_unit`` is how the file shows the lag.
    """

    predecessor_uid: int
    successor_uid: int
    link_type: LinkType = LinkType.FINISH_TO_START
    lag_minutes: int = 0
    lag_is_elapsed: bool = False
    lag_percent: float | None = None
    lag_unit: DurationUnit = DurationUnit.DAYS

    def __post_init__(self) -> None:
        _check_uid(self.predecessor_uid, "predecessor_uid")
        _check_uid(self.successor_uid, "successor_uid")
        if self.predecessor_uid == self.successor_uid:
            raise _fail(f"A link cannot join activity {self.predecessor_uid} to itself.", "successor_uid")
        _check_enum(self, "link_type", LinkType)
        _check_enum(self, "lag_unit", DurationUnit)
        if isinstance(self.lag_minutes, bool) or not isinstance(self.lag_minutes, int):
            raise _fail(f"lag_minutes must be a whole number of minutes, not {self.lag_minutes!r}.", "lag_minutes")
        if self.lag_percent is not None:
            if isinstance(self.lag_percent, bool) or not isinstance(self.lag_percent, int | float):
                raise _fail(f"lag_percent must be a number, not {self.lag_percent!r}.", "lag_percent")
            if self.lag_minutes != 0:
                raise _fail("A percentage lag takes no lag_minutes.", "lag_minutes")


@dataclass(frozen=True, slots=True)
class PlanResource:
    """A resource: ``max_units`` as a fraction (1.0 = one full-time unit), ``standard_rate_per_hour``
    (for a material resource: the cost per unit), ``calendar_key`` its working time (``None``:
    the project's)."""

    uid: int
    name: str = ""
    resource_type: ResourceType = ResourceType.WORK
    max_units: float = 1.0
    standard_rate_per_hour: Decimal = Decimal(0)
    calendar_key: str | None = None

    def __post_init__(self) -> None:
        _check_uid(self.uid, "uid")
        _check_enum(self, "resource_type", ResourceType)
        _check_fraction(self.max_units, "max_units")
        _check_money(self.standard_rate_per_hour, "standard_rate_per_hour")


@dataclass(frozen=True, slots=True)
class PlanAssignment:
    """``resource_uid`` works on ``activity_uid`` at ``units`` (a fraction, 1.0 = full time) for
    ``work_minutes`` of work in all, costing ``cost``; ``uid`` is the file's assignment id if any."""

    activity_uid: int
    resource_uid: int
    units: float = 1.0
    work_minutes: int = 0
    cost: Decimal | None = None
    uid: int | None = None

    def __post_init__(self) -> None:
        _check_uid(self.activity_uid, "activity_uid")
        _check_uid(self.resource_uid, "resource_uid")
        if self.uid is not None:
            _check_uid(self.uid, "uid")
        _check_fraction(self.units, "units")
        _check_minutes(self.work_minutes, "work_minutes")
        _check_money(self.cost, "cost")


@dataclass(frozen=True, slots=True)
class PlanBaseline:
    """Baseline ``number`` (0 is MS Project's "Baseline", 1-10 "Baseline1".."Baseline10") of one
    activity: its dates, duration (working minutes) and cost when the baseline was saved."""

    activity_uid: int
    number: int = 0
    start: datetime | None = None
    finish: datetime | None = None
    duration_minutes: int | None = None
    cost: Decimal | None = None

    def __post_init__(self) -> None:
        _check_uid(self.activity_uid, "activity_uid")
        if isinstance(self.number, bool) or not isinstance(self.number, int):
            raise _fail(f"number must be a whole number, not {self.number!r}.", "number")
        if not 0 <= self.number <= MAXIMUM_BASELINE_NUMBER:
            raise _fail(f"number must be from 0 to {MAXIMUM_BASELINE_NUMBER}, not {self.number}.", "number")
        for name in ("start", "finish"):
            _check_moment(getattr(self, name), name)
        _check_minutes(self.duration_minutes, "duration_minutes", optional=True)
        _check_money(self.cost, "cost")


def _as_tuple(instance: object, field_name: str, kind: type) -> tuple:
    values = getattr(instance, field_name)
    try:
        values = tuple(values)
    except TypeError:
        raise _fail(f"{field_name} must be a collection of {kind.__name__}.", field_name) from None
    for value in values:
        if not isinstance(value, kind):
            raise _fail(f"{field_name} must hold {kind.__name__} values, found {value!r}.", field_name)
    object.__setattr__(instance, field_name, values)
    return values


def _unique(values: Iterable[object], what: str, field_name: str) -> None:
    seen: set[object] = set()
    for value in values:
        if value in seen:
            raise _fail(f"Two {what} have the same key {value!r}.", field_name)
        seen.add(value)


@dataclass(frozen=True, slots=True)
class Plan:
    """A whole project plan: see the module docstring for units.

    Invariants (checked): keys are unique; activities come parent first, every ``parent_uid``
    names an earlier activity one outline level up and ``is_summary`` is True exactly for the
    activities that are parents; links, assignments and baselines name existing activities and
    resources; calendar keys (default, task, resource, base) name existing calendars and base
    calendars form no cycle. ``notes`` are the project's own (MS Project keeps them on the project
    summary task). ``minutes_per_day``/``minutes_per_week``/``days_per_month`` are the
    plan's conversion factors for showing minutes as days, weeks and months.
    """

    name: str
    project_start: datetime
    status_date: datetime | None = None
    default_calendar_key: str | None = None
    calendars: tuple[PlanCalendar, ...] = ()
    activities: tuple[PlanActivity, ...] = ()
    links: tuple[PlanLink, ...] = ()
    resources: tuple[PlanResource, ...] = ()
    assignments: tuple[PlanAssignment, ...] = ()
    baselines: tuple[PlanBaseline, ...] = ()
    minutes_per_day: int = 480
    minutes_per_week: int = 2400
    days_per_month: int = 20
    currency_code: str = ""
    notes: str = ""
    _activity_index: dict[int, PlanActivity] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.project_start is None:
            raise _fail("project_start is required.", "project_start")
        _check_moment(self.project_start, "project_start")
        _check_moment(self.status_date, "status_date")
        for name in ("minutes_per_day", "minutes_per_week", "days_per_month"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
                raise _fail(f"{name} must be a whole number above 0, not {value!r}.", name)
        calendars = _as_tuple(self, "calendars", PlanCalendar)
        activities = _as_tuple(self, "activities", PlanActivity)
        _as_tuple(self, "links", PlanLink)
        resources = _as_tuple(self, "resources", PlanResource)
        _as_tuple(self, "assignments", PlanAssignment)
        _as_tuple(self, "baselines", PlanBaseline)
        _unique((calendar.key for calendar in calendars), "calendars", "calendars")
        _unique((activity.uid for activity in activities), "activities", "activities")
        _unique((resource.uid for resource in resources), "resources", "resources")
        _unique(
            (assignment.uid for assignment in self.assignments if assignment.uid is not None),
            "assignments",
            "assignments",
        )
        _unique(((b.activity_uid, b.number) for b in self.baselines), "baselines", "baselines")
        object.__setattr__(self, "_activity_index", {activity.uid: activity for activity in activities})
        self._check_outline()
        self._check_references()
        self._check_calendars()

    def _check_outline(self) -> None:
        levels: dict[int, int] = {}
        parents = {activity.parent_uid for activity in self.activities if activity.parent_uid is not None}
        for activity in self.activities:
            if activity.parent_uid is None:
                expected = 1
            elif activity.parent_uid not in levels:
                raise _fail(
                    f"Activity {activity.uid} has parent {activity.parent_uid}, which is not an earlier activity.",
                    "activities",
                )
            else:
                expected = levels[activity.parent_uid] + 1
            if activity.outline_level != expected:
                raise _fail(
                    f"Activity {activity.uid} is at outline level {activity.outline_level}, "
                    f"but its place in the WBS makes it level {expected}.",
                    "activities",
                )
            levels[activity.uid] = activity.outline_level
            if activity.is_summary != (activity.uid in parents):
                state = "is marked summary but has no children" if activity.is_summary else "has children"
                raise _fail(
                    f"Activity {activity.uid} {state}; is_summary must say whether it has children.", "activities"
                )

    def _check_references(self) -> None:
        activities = self._activity_index
        resources = {resource.uid for resource in self.resources}
        for link in self.links:
            for uid in (link.predecessor_uid, link.successor_uid):
                if uid not in activities:
                    raise _fail(
                        f"The link {link.predecessor_uid} → {link.successor_uid} names activity {uid}, "
                        "which is not in the plan.",
                        "links",
                    )
        for assignment in self.assignments:
            if assignment.activity_uid not in activities:
                raise _fail(f"An assignment names activity {assignment.activity_uid}, not in the plan.", "assignments")
            if assignment.resource_uid not in resources:
                raise _fail(f"An assignment names resource {assignment.resource_uid}, not in the plan.", "assignments")
        for baseline in self.baselines:
            if baseline.activity_uid not in activities:
                raise _fail(f"A baseline names activity {baseline.activity_uid}, not in the plan.", "baselines")

    def _check_calendars(self) -> None:
        calendars = {calendar.key: calendar for calendar in self.calendars}
        named = [("default_calendar_key", self.default_calendar_key)]
        named += [(f"activity {activity.uid}", activity.calendar_key) for activity in self.activities]
        named += [(f"resource {resource.uid}", resource.calendar_key) for resource in self.resources]
        named += [(f"calendar {calendar.key}", calendar.base_calendar_key) for calendar in self.calendars]
        for owner, key in named:
            if key is not None and key not in calendars:
                raise _fail(f"The {owner} names calendar {key!r}, which is not in the plan.", "calendars")
        for calendar in self.calendars:
            seen = {calendar.key}
            base = calendar.base_calendar_key
            while base is not None:
                if base in seen:
                    raise _fail(f"The base calendars of calendar {calendar.key!r} form a cycle.", "calendars")
                seen.add(base)
                base = calendars[base].base_calendar_key

    def activity(self, uid: int) -> PlanActivity:
        """The activity with this UID (KeyError when there is none)."""
        return self._activity_index[uid]

    def outline_numbers(self) -> dict[int, str]:
        """MS Project's outline number of each activity ("1", "1.1", "1.2", "2"), from the WBS order."""
        numbers: dict[int, str] = {}
        children: dict[int | None, int] = {}
        for activity in self.activities:
            position = children.get(activity.parent_uid, 0) + 1
            children[activity.parent_uid] = position
            prefix = "" if activity.parent_uid is None else numbers[activity.parent_uid] + "."
            numbers[activity.uid] = f"{prefix}{position}"
        return numbers

    def engine_calendars(self) -> tuple[Calendar, ...]:
        """The engine calendars the plan's activities use (keys are the plan's calendar keys).

        Raises :class:`~pmo_engine.formats.errors.UnsupportedFeatureError` for a calendar the
        engine cannot represent (see :mod:`pmo_engine.formats.plan_calendars`).
        """
        return plan_engine.engine_calendars(self)

    def engine_default_calendar(self) -> Calendar | None:
        """The project calendar as an engine calendar, ``None`` when the plan has none."""
        return plan_engine.engine_default_calendar(self)

    def engine_activities(self) -> tuple["Activity", ...]:
        """The engine activities (keys are UIDs as strings); see :mod:`pmo_engine.formats.plan_engine`."""
        return plan_engine.engine_activities(self)

    def engine_links(self) -> tuple["Link", ...]:
        """The engine links, lags in working minutes; see :mod:`pmo_engine.formats.plan_engine`."""
        return plan_engine.engine_links(self)

    def engine_status_date(self) -> datetime | None:
        """The status date to schedule with; see :func:`pmo_engine.formats.plan_engine.engine_status_date`."""
        return plan_engine.engine_status_date(self)

    def schedule(self, **options: object) -> "ScheduleResult":
        """:func:`pmo_engine.schedule` on this plan: from its project start, with its calendars and
        status date; ``options`` go to the scheduler (``critical_float_minutes``, ...)."""
        return plan_engine.schedule_plan(self, **options)

    def with_dates(self, result: "ScheduleResult") -> "Plan":
        """A copy whose activities' ``start``/``finish`` are the scheduled dates of ``result``
        (activities the result does not hold keep theirs), for writing a rescheduled plan."""
        activities = []
        for activity in self.activities:
            scheduled = result.activities.get(str(activity.uid))
            if scheduled is None:
                activities.append(activity)
            else:
                activities.append(replace(activity, start=scheduled.start, finish=scheduled.finish))
        return replace(self, activities=tuple(activities))
