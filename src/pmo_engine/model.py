"""The engine's input data: frozen, validated data classes.

Units, everywhere in the engine:
- durations and lags are integer **working minutes** on the calendar of the activity they belong to
  (a lag: on the successor's calendar); a standard day is 480 working minutes;
- moments are naive ``datetime`` values in the calendar's local time, read at minute resolution
  (seconds are ignored); a ``date`` given where a moment is expected means the start of that day
  for a start (project start, start constraints, actual start) and the end of that day for a
  finish or a status (finish constraints, deadlines, actual finish, status date);
- percentages are 0 to 100.

Every ``__post_init__`` raises :class:`~pmo_engine.errors.InvalidInput` naming the field at fault.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from pmo_engine.errors import InvalidInput

MINUTES_PER_DAY = 1440
STANDARD_WORKING_PERIODS = ((8 * 60, 12 * 60), (13 * 60, 17 * 60))


class LinkType(StrEnum):
    """How a link ties its predecessor to its successor (the point of each it joins)."""

    FINISH_TO_START = "FS"
    START_TO_START = "SS"
    FINISH_TO_FINISH = "FF"
    START_TO_FINISH = "SF"

    @property
    def from_predecessor_start(self) -> bool:
        """True when the link leaves from the predecessor's start (SS, SF), False from its finish."""
        return self in (LinkType.START_TO_START, LinkType.START_TO_FINISH)

    @property
    def to_successor_finish(self) -> bool:
        """True when the link arrives at the successor's finish (FF, SF), False at its start."""
        return self in (LinkType.FINISH_TO_FINISH, LinkType.START_TO_FINISH)


class ConstraintType(StrEnum):
    """Date constraints, with MS Project's names and meaning."""

    AS_SOON_AS_POSSIBLE = "ASAP"
    AS_LATE_AS_POSSIBLE = "ALAP"
    START_NO_EARLIER_THAN = "SNET"
    START_NO_LATER_THAN = "SNLT"
    FINISH_NO_EARLIER_THAN = "FNET"
    FINISH_NO_LATER_THAN = "FNLT"
    MUST_START_ON = "MSO"
    MUST_FINISH_ON = "MFO"

    @property
    def is_dated(self) -> bool:
        """True for the six constraints that need a ``constraint_date``."""
        return self not in (ConstraintType.AS_SOON_AS_POSSIBLE, ConstraintType.AS_LATE_AS_POSSIBLE)

    @property
    def is_on_start(self) -> bool:
        """True when the constraint date applies to the start (SNET, SNLT, MSO), False otherwise."""
        return self in (
            ConstraintType.START_NO_EARLIER_THAN,
            ConstraintType.START_NO_LATER_THAN,
            ConstraintType.MUST_START_ON,
        )

    @property
    def bounds_from_below(self) -> bool:
        """True when the constraint date is a lower bound (SNET, FNET, MSO, MFO)."""
        return self in (
            ConstraintType.START_NO_EARLIER_THAN,
            ConstraintType.FINISH_NO_EARLIER_THAN,
            ConstraintType.MUST_START_ON,
            ConstraintType.MUST_FINISH_ON,
        )

    @property
    def bounds_from_above(self) -> bool:
        """True when the constraint date is an upper bound (SNLT, FNLT, MSO, MFO)."""
        return self in (
            ConstraintType.START_NO_LATER_THAN,
            ConstraintType.FINISH_NO_LATER_THAN,
            ConstraintType.MUST_START_ON,
            ConstraintType.MUST_FINISH_ON,
        )


def moment_at_start(value: date) -> datetime:
    """A start moment: a ``datetime`` as given (seconds dropped), a ``date`` as midnight at its start."""
    if isinstance(value, datetime):
        return value.replace(second=0, microsecond=0)
    return datetime.combine(value, time())


def moment_at_finish(value: date) -> datetime:
    """A finish moment: a ``datetime`` as given (seconds dropped), a ``date`` as midnight at its end."""
    if isinstance(value, datetime):
        return value.replace(second=0, microsecond=0)
    return datetime.combine(value, time()) + timedelta(days=1)


def _check_key(value: object, field_name: str) -> None:
    if not isinstance(value, str) or not value:
        raise InvalidInput(f"{field_name} must be a non-empty string, not {value!r}.", field=field_name)


def _check_whole_number(value: object, field_name: str, *, minimum: int | None = None) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(f"{field_name} must be a whole number of minutes, not {value!r}.", field=field_name)
    if minimum is not None and value < minimum:
        raise InvalidInput(f"{field_name} must be at least {minimum}, not {value}.", field=field_name)


def _check_moment(value: object, field_name: str) -> None:
    if value is None:
        return
    if not isinstance(value, date):
        raise InvalidInput(f"{field_name} must be a date or a datetime, not {value!r}.", field=field_name)
    if isinstance(value, datetime) and value.tzinfo is not None:
        raise InvalidInput(
            f"{field_name} must be a naive datetime in the calendar's local time, not {value.isoformat()}.",
            field=field_name,
        )


def _plain_dates(values: object, field_name: str) -> frozenset[date]:
    try:
        dates = frozenset(values)  # type: ignore[arg-type]
    except TypeError:
        raise InvalidInput(f"{field_name} must be a collection of dates.", field=field_name) from None
    for value in dates:
        if isinstance(value, datetime) or not isinstance(value, date):
            raise InvalidInput(f"{field_name} must hold dates (not datetimes), found {value!r}.", field=field_name)
    return dates


@dataclass(frozen=True, slots=True)
class Calendar:
    """When work happens: a working week with the same working periods on every working day.

    - ``working_weekdays``: ``date.weekday()`` numbers (Monday is 0) that are working days;
    - ``working_periods``: ``(start_minute, end_minute)`` pairs after midnight, sorted and
      disjoint, within 0..1440; the default 08:00-12:00 and 13:00-17:00 gives 480 minutes a day;
    - ``holidays``: dates that are not worked although their weekday is;
    - ``extra_working_dates``: dates that are worked (with the same periods) although their weekday is not.

    Invariant: at least one working weekday, so that any amount of work ends at a finite date.
    """

    key: str = "standard"
    working_weekdays: frozenset[int] = frozenset(range(5))
    working_periods: tuple[tuple[int, int], ...] = STANDARD_WORKING_PERIODS
    holidays: frozenset[date] = field(default_factory=frozenset)
    extra_working_dates: frozenset[date] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        _check_key(self.key, "key")
        try:
            weekdays = frozenset(self.working_weekdays)
        except TypeError:
            raise InvalidInput(
                "working_weekdays must be a collection of weekday numbers.", field="working_weekdays"
            ) from None
        if not weekdays or any(isinstance(d, bool) or not isinstance(d, int) or not 0 <= d <= 6 for d in weekdays):
            raise InvalidInput(
                "working_weekdays must hold at least one weekday number from 0 (Monday) to 6, "
                f"not {sorted(weekdays, key=repr)!r}.",
                field="working_weekdays",
            )
        object.__setattr__(self, "working_weekdays", weekdays)
        try:
            periods = tuple((int(start), int(end)) for start, end in self.working_periods)
        except (TypeError, ValueError):
            raise InvalidInput(
                "working_periods must be (start_minute, end_minute) pairs.", field="working_periods"
            ) from None
        if not periods:
            raise InvalidInput("working_periods must hold at least one period.", field="working_periods")
        previous_end = 0
        for start, end in periods:
            if not previous_end <= start < end <= MINUTES_PER_DAY:
                raise InvalidInput(
                    f"working_periods must be sorted, disjoint and within 0..1440 minutes, found {periods!r}.",
                    field="working_periods",
                )
            previous_end = end
        object.__setattr__(self, "working_periods", periods)
        holidays = _plain_dates(self.holidays, "holidays")
        extra = _plain_dates(self.extra_working_dates, "extra_working_dates")
        both = holidays & extra
        if both:
            raise InvalidInput(
                f"A date cannot be both a holiday and an extra working date: {min(both).isoformat()}.",
                field="extra_working_dates",
            )
        object.__setattr__(self, "holidays", holidays)
        object.__setattr__(self, "extra_working_dates", extra)

    @property
    def minutes_per_day(self) -> int:
        """Working minutes in one working day."""
        return sum(end - start for start, end in self.working_periods)


@dataclass(frozen=True, slots=True)
class Activity:
    """One activity of a project's WBS.

    - ``duration_minutes``: planned working minutes on the activity's calendar (0 for a milestone);
      ignored for a summary activity, whose dates are rolled up from its children;
    - ``project_key``: the project it belongs to; one network may hold several projects;
    - ``calendar_key``: a key of the calendars given to the scheduler, or ``None`` for its default;
    - ``parent_key``: the summary activity above it in the WBS, or ``None``;
    - ``constraint_type``/``constraint_date``: the date constraint (the date is required for
      the dated types and refused for ASAP and ALAP);
    - ``deadline``: a target finish that does not constrain the early dates but limits the late
      dates and is reported when missed;
    - progress: ``actual_start``, ``actual_finish``, ``percent_complete`` (0..100) and
      ``remaining_duration_minutes`` (by default ``duration * (100 - percent) / 100``, rounded);
    - ``levelling_delay_minutes``: working minutes (on the activity's calendar) by which resource
      levelling holds the activity back, as MS Project's leveling delay: its early start is the
      start its links and dates allow, plus this much working time, and its successors follow
      through the links. It records an accepted levelled schedule without touching the
      constraints, durations or links the user entered; 0 clears it. Ignored once the activity
      has started; a summary activity takes none (the scheduler refuses a non-zero one).
    """

    key: str
    duration_minutes: int = 0
    project_key: str = ""
    name: str = ""
    calendar_key: str | None = None
    parent_key: str | None = None
    constraint_type: ConstraintType = ConstraintType.AS_SOON_AS_POSSIBLE
    constraint_date: date | None = None
    deadline: date | None = None
    is_milestone: bool = False
    actual_start: date | None = None
    actual_finish: date | None = None
    percent_complete: float = 0.0
    remaining_duration_minutes: int | None = None
    levelling_delay_minutes: int = 0

    def __post_init__(self) -> None:
        _check_key(self.key, "key")
        _check_whole_number(self.duration_minutes, "duration_minutes", minimum=0)
        _check_whole_number(self.levelling_delay_minutes, "levelling_delay_minutes", minimum=0)
        if not isinstance(self.project_key, str):
            raise InvalidInput(f"project_key must be a string, not {self.project_key!r}.", field="project_key")
        if self.calendar_key is not None:
            _check_key(self.calendar_key, "calendar_key")
        if self.parent_key is not None:
            _check_key(self.parent_key, "parent_key")
            if self.parent_key == self.key:
                raise InvalidInput(f"Activity {self.key} cannot be its own parent.", field="parent_key")
        try:
            object.__setattr__(self, "constraint_type", ConstraintType(self.constraint_type))
        except ValueError:
            raise InvalidInput(
                f"constraint_type must be one of {', '.join(ConstraintType)}, not {self.constraint_type!r}.",
                field="constraint_type",
            ) from None
        for name in ("constraint_date", "deadline", "actual_start", "actual_finish"):
            _check_moment(getattr(self, name), name)
        if self.constraint_type.is_dated and self.constraint_date is None:
            raise InvalidInput(
                f"Activity {self.key}: a {self.constraint_type} constraint needs a constraint_date.",
                field="constraint_date",
            )
        if not self.constraint_type.is_dated and self.constraint_date is not None:
            raise InvalidInput(
                f"Activity {self.key}: a {self.constraint_type} constraint takes no constraint_date.",
                field="constraint_date",
            )
        if self.is_milestone and self.duration_minutes != 0:
            raise InvalidInput(
                f"Activity {self.key} is a milestone, so its duration must be 0, not {self.duration_minutes}.",
                field="duration_minutes",
            )
        self._check_progress()

    def _check_progress(self) -> None:
        percent = self.percent_complete
        if isinstance(percent, bool) or not isinstance(percent, int | float) or not 0 <= percent <= 100:
            raise InvalidInput(
                f"Activity {self.key}: percent_complete must be a number from 0 to 100, not {percent!r}.",
                field="percent_complete",
            )
        if self.remaining_duration_minutes is not None:
            _check_whole_number(self.remaining_duration_minutes, "remaining_duration_minutes", minimum=0)
        if self.actual_start is None:
            if self.actual_finish is not None:
                raise InvalidInput(
                    f"Activity {self.key}: an actual_finish needs an actual_start.", field="actual_start"
                )
            if percent > 0:
                raise InvalidInput(
                    f"Activity {self.key}: percent_complete {percent} needs an actual_start.", field="actual_start"
                )
            if self.remaining_duration_minutes not in (None, self.duration_minutes):
                raise InvalidInput(
                    f"Activity {self.key}: remaining_duration_minutes differs from duration_minutes "
                    "but the activity has not started (no actual_start).",
                    field="remaining_duration_minutes",
                )
            return
        if self.actual_finish is not None:
            finish_day = self.actual_finish.date() if isinstance(self.actual_finish, datetime) else self.actual_finish
            start_day = self.actual_start.date() if isinstance(self.actual_start, datetime) else self.actual_start
            if finish_day < start_day or moment_at_finish(self.actual_finish) < moment_at_start(self.actual_start):
                raise InvalidInput(f"Activity {self.key}: actual_finish is before actual_start.", field="actual_finish")
            if self.remaining_duration_minutes not in (None, 0):
                raise InvalidInput(
                    f"Activity {self.key} has finished, so remaining_duration_minutes must be 0 or unset.",
                    field="remaining_duration_minutes",
                )
        elif percent == 100 and self.duration_minutes > 0:
            raise InvalidInput(
                f"Activity {self.key}: percent_complete is 100 but there is no actual_finish.", field="actual_finish"
            )

    @property
    def is_started(self) -> bool:
        return self.actual_start is not None

    @property
    def is_finished(self) -> bool:
        """Finished: an actual finish, or a zero-duration activity with an actual start."""
        return self.actual_finish is not None or (self.actual_start is not None and self.duration_minutes == 0)

    @property
    def remaining_minutes(self) -> int:
        """Working minutes still to do: 0 when finished, the duration when not started."""
        if self.is_finished:
            return 0
        if not self.is_started:
            return self.duration_minutes
        if self.remaining_duration_minutes is not None:
            return self.remaining_duration_minutes
        return round(self.duration_minutes * (100 - self.percent_complete) / 100)


@dataclass(frozen=True, slots=True)
class Link:
    """A dependency: ``successor_key`` waits on ``predecessor_key``.

    ``lag_minutes`` is in working minutes of the successor's calendar and may be negative (a lead).
    """

    predecessor_key: str
    successor_key: str
    link_type: LinkType = LinkType.FINISH_TO_START
    lag_minutes: int = 0

    def __post_init__(self) -> None:
        _check_key(self.predecessor_key, "predecessor_key")
        _check_key(self.successor_key, "successor_key")
        if self.predecessor_key == self.successor_key:
            raise InvalidInput(f"A link cannot join activity {self.predecessor_key} to itself.", field="successor_key")
        try:
            object.__setattr__(self, "link_type", LinkType(self.link_type))
        except ValueError:
            raise InvalidInput(
                f"link_type must be one of {', '.join(LinkType)}, not {self.link_type!r}.", field="link_type"
            ) from None
        _check_whole_number(self.lag_minutes, "lag_minutes")
