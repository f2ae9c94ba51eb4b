"""The input of capacity analysis: frozen, validated data classes.

Units: hours (floats) and dates (``datetime.date``, never a ``datetime``); a date range is
inclusive at both ends (``start`` .. ``end``). Proficiency levels are whole numbers from 1 (novice)
to 5 (expert). Every ``__post_init__`` raises :class:`~pmo_engine.errors.InvalidInput` naming the
field at fault.
"""

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum

from pmo_engine.errors import InvalidInput

HIGHEST_PROFICIENCY = 5
STANDARD_WEEKDAY_COUNT = 5  # Monday to Friday: the week of unassigned demand and of hours_per_day


class EmploymentType(StrEnum):
    """How a person is engaged: on the payroll (permanent) or for a while (contractor, agency, fixed term)."""

    PERMANENT = "permanent"
    CONTINGENT = "contingent"


class PeriodKind(StrEnum):
    WEEK = "week"  # seven days from the grid's start (a Monday start gives ISO weeks)
    MONTH = "month"  # calendar months; the grid starts on the first day of a month


def _check_key(value: object, field_name: str, owner: str) -> None:
    if not isinstance(value, str) or not value:
        raise InvalidInput(f"{owner}: {field_name} must be a non-empty string, not {value!r}.", field=field_name)


def _check_day(value: object, field_name: str, owner: str) -> None:
    if isinstance(value, datetime) or not isinstance(value, date):
        raise InvalidInput(f"{owner}: {field_name} must be a date (not a datetime), not {value!r}.", field=field_name)


def _check_hours(
    value: object, field_name: str, owner: str, *, maximum: float = math.inf, unit: str = "hours"
) -> float:
    """A finite number from 0 to ``maximum`` as a float; ``unit`` names it in messages ("" for a ratio)."""
    of_unit, in_unit = (f" of {unit}", f" {unit}") if unit else ("", "")
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InvalidInput(f"{owner}: {field_name} must be a finite number{of_unit}, not {value!r}.", field=field_name)
    if not 0 <= value <= maximum:
        wanted = "0 or more" if maximum == math.inf else f"from 0 to {maximum:g}"
        raise InvalidInput(f"{owner}: {field_name} must be {wanted}{in_unit}, not {value!r}.", field=field_name)
    return float(value)


def _check_level(value: object, field_name: str, owner: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= HIGHEST_PROFICIENCY:
        raise InvalidInput(
            f"{owner}: {field_name} must be a whole number from 1 to {HIGHEST_PROFICIENCY}, not {value!r}.",
            field=field_name,
        )


def _pairs(value: object, field_name: str, owner: str) -> tuple[tuple[object, object], ...]:
    """A mapping or a collection of pairs as a tuple of pairs (keys checked for duplicates)."""
    try:
        pairs = tuple(value.items()) if isinstance(value, Mapping) else tuple(tuple(pair) for pair in value)  # type: ignore[attr-defined, union-attr]
    except TypeError:
        raise InvalidInput(
            f"{owner}: {field_name} must be a mapping or (key, value) pairs.", field=field_name
        ) from None
    if any(len(pair) != 2 for pair in pairs):
        raise InvalidInput(f"{owner}: {field_name} must hold (key, value) pairs.", field=field_name)
    keys = [key for key, _ in pairs]
    if len(set(keys)) != len(keys):
        raise InvalidInput(f"{owner}: {field_name} names the same key twice.", field=field_name)
    return pairs


@dataclass(frozen=True, slots=True)
class PeriodGrid:
    """The buckets results are reported in: ``periods`` weeks or calendar months from ``start``.

    A weekly grid's periods are seven days each from ``start`` (start on a Monday for ISO weeks); a
    monthly grid must start on the first day of a month. The horizon is ``start`` up to, not
    including, :attr:`end`; demand outside it is not counted.
    """

    start: date
    periods: int
    kind: PeriodKind = PeriodKind.WEEK

    def __post_init__(self) -> None:
        _check_day(self.start, "start", "PeriodGrid")
        if isinstance(self.periods, bool) or not isinstance(self.periods, int) or self.periods < 1:
            raise InvalidInput(
                f"PeriodGrid: periods must be a whole number of 1 or more, not {self.periods!r}.", field="periods"
            )
        try:
            object.__setattr__(self, "kind", PeriodKind(self.kind))
        except ValueError:
            raise InvalidInput(
                f"PeriodGrid: kind must be one of {', '.join(PeriodKind)}, not {self.kind!r}.", field="kind"
            ) from None
        if self.kind is PeriodKind.MONTH and self.start.day != 1:
            raise InvalidInput(
                f"PeriodGrid: a monthly grid starts on the first day of a month, not {self.start.isoformat()}.",
                field="start",
            )
        try:
            self.end  # noqa: B018 - the horizon must end on a date Python can represent
        except (OverflowError, ValueError):
            raise InvalidInput(
                f"PeriodGrid: {self.periods} periods from {self.start.isoformat()} end after year 9999.",
                field="periods",
            ) from None

    @property
    def period_starts(self) -> tuple[date, ...]:
        """The first day of each period (``periods`` dates). O(P)."""
        if self.kind is PeriodKind.WEEK:
            return tuple(self.start + timedelta(days=7 * index) for index in range(self.periods))
        return tuple(self._month_start(index) for index in range(self.periods))

    @property
    def end(self) -> date:
        """The day after the horizon's last day (exclusive). O(1)."""
        if self.kind is PeriodKind.WEEK:
            return self.start + timedelta(days=7 * self.periods)
        return self._month_start(self.periods)

    def _month_start(self, index: int) -> date:
        months = self.start.month - 1 + index
        return date(self.start.year + months // 12, months % 12 + 1, 1)

    @property
    def day_count(self) -> int:
        """Days in the horizon."""
        return (self.end - self.start).days

    def period_index(self, day: date) -> int | None:
        """Index of the period holding ``day``, or None outside the horizon. O(1)."""
        if not self.start <= day < self.end:
            return None
        if self.kind is PeriodKind.WEEK:
            return (day - self.start).days // 7
        return (day.year - self.start.year) * 12 + day.month - self.start.month


@dataclass(frozen=True, slots=True)
class CapacityResource:
    """A person whose hours are planned (a generic role is planned as unassigned demand, see :class:`DemandItem`).

    - ``weekday_hours``: working hours on each weekday, Monday first (7 values from 0 to 24): the
      part-time pattern; by default ``hours_per_day`` from Monday to Friday and none at weekends;
    - ``hours_per_day``: the organisation's full-time day (0 to 24 hours), the yardstick of
      :attr:`full_time_equivalent`;
    - ``non_working_dates``: leave, public holidays and other absences: no capacity on these days;
    - ``contract_end``: the last day worked (inclusive), or None for an open-ended contract;
    - ``skills``: skill key to proficiency level (1..5), as a mapping or pairs; stored as pairs
      sorted by skill key.
    """

    key: str
    organisation_unit_key: str
    employment_type: EmploymentType = EmploymentType.PERMANENT
    contract_end: date | None = None
    hours_per_day: float = 8.0
    weekday_hours: tuple[float, ...] | None = None
    non_working_dates: frozenset[date] = field(default_factory=frozenset)
    skills: tuple[tuple[str, int], ...] = ()

    def __post_init__(self) -> None:
        _check_key(self.key, "key", "CapacityResource")
        owner = f"Resource {self.key}"
        _check_key(self.organisation_unit_key, "organisation_unit_key", owner)
        try:
            object.__setattr__(self, "employment_type", EmploymentType(self.employment_type))
        except ValueError:
            raise InvalidInput(
                f"{owner}: employment_type must be one of {', '.join(EmploymentType)}, not {self.employment_type!r}.",
                field="employment_type",
            ) from None
        if self.contract_end is not None:
            _check_day(self.contract_end, "contract_end", owner)
        hours_per_day = _check_hours(self.hours_per_day, "hours_per_day", owner, maximum=24)
        if hours_per_day == 0:
            raise InvalidInput(f"{owner}: hours_per_day must be more than 0.", field="hours_per_day")
        object.__setattr__(self, "hours_per_day", hours_per_day)
        if self.weekday_hours is None:
            pattern = (hours_per_day,) * STANDARD_WEEKDAY_COUNT + (0.0,) * (7 - STANDARD_WEEKDAY_COUNT)
        else:
            try:
                pattern = tuple(self.weekday_hours)
            except TypeError:
                raise InvalidInput(
                    f"{owner}: weekday_hours must be 7 numbers, Monday first.", field="weekday_hours"
                ) from None
            if len(pattern) != 7:
                raise InvalidInput(
                    f"{owner}: weekday_hours must be 7 numbers, Monday first, not {len(pattern)}.",
                    field="weekday_hours",
                )
            pattern = tuple(_check_hours(hours, "weekday_hours", owner, maximum=24) for hours in pattern)
        object.__setattr__(self, "weekday_hours", pattern)
        try:
            dates = frozenset(self.non_working_dates)
        except TypeError:
            raise InvalidInput(
                f"{owner}: non_working_dates must be a collection of dates.", field="non_working_dates"
            ) from None
        for day in dates:
            _check_day(day, "non_working_dates", owner)
        object.__setattr__(self, "non_working_dates", dates)
        skills = _pairs(self.skills, "skills", owner)
        for skill, level in skills:
            _check_key(skill, "skills", owner)
            _check_level(level, "skills", owner)
        object.__setattr__(self, "skills", tuple(sorted(skills)))  # type: ignore[arg-type]

    def proficiency(self, skill_key: str) -> int:
        """The level held in ``skill_key``, 0 when the skill is not held."""
        return next((level for skill, level in self.skills if skill == skill_key), 0)

    @property
    def weekly_hours(self) -> float:
        """Hours in a week without absences."""
        return sum(self.weekday_hours)  # type: ignore[arg-type]

    @property
    def full_time_equivalent(self) -> float:
        """Weekly hours against a full-time week of ``hours_per_day`` from Monday to Friday."""
        return self.weekly_hours / (STANDARD_WEEKDAY_COUNT * self.hours_per_day)


@dataclass(frozen=True, slots=True)
class DemandItem:
    """Hours of work planned on a project between ``start`` and ``end`` (inclusive).

    Who: ``resource_key`` for assigned demand; for unassigned demand (a generic role, a vacancy) no
    resource key but a ``required_skill``, which is then mandatory. Assigned demand may name a
    required skill too; only demand that names one counts in the skill figures, with
    ``minimum_proficiency`` (1..5) as the lowest level that can do it.

    How much, exactly one of:
    - ``hours``: in total, spread evenly over the working days from ``start`` to ``end``: the
      resource's working days (its weekday pattern minus its non-working dates, up to its contract
      end); if it has none there, every calendar day of the range (so that no hour is lost and the
      overload shows). Unassigned demand is spread over Monday to Friday (every day if none).
    - ``hours_by_period``: (date, hours) pairs, as a mapping or pairs; the hours count in the grid
      period holding the date (give the period start dates of the grid analysed). Dates lie within
      ``start``..``end``.
    """

    key: str
    project_key: str
    start: date
    end: date
    hours: float | None = None
    hours_by_period: tuple[tuple[date, float], ...] | None = None
    resource_key: str | None = None
    required_skill: str | None = None
    minimum_proficiency: int = 1
    is_billable: bool = False

    def __post_init__(self) -> None:
        _check_key(self.key, "key", "DemandItem")
        owner = f"Demand item {self.key}"
        _check_key(self.project_key, "project_key", owner)
        _check_day(self.start, "start", owner)
        _check_day(self.end, "end", owner)
        if self.end < self.start:
            raise InvalidInput(
                f"{owner}: end {self.end.isoformat()} is before start {self.start.isoformat()}.", field="end"
            )
        if (self.hours is None) == (self.hours_by_period is None):
            raise InvalidInput(f"{owner}: give either hours or hours_by_period, not both or neither.", field="hours")
        if self.hours is not None:
            object.__setattr__(self, "hours", _check_hours(self.hours, "hours", owner))
        else:
            pairs = _pairs(self.hours_by_period, "hours_by_period", owner)
            checked = []
            for day, hours in pairs:
                _check_day(day, "hours_by_period", owner)
                if not self.start <= day <= self.end:  # type: ignore[operator]
                    raise InvalidInput(
                        f"{owner}: hours_by_period has {day.isoformat()}, outside {self.start.isoformat()} "  # type: ignore[union-attr]
                        f"to {self.end.isoformat()}.",
                        field="hours_by_period",
                    )
                checked.append((day, _check_hours(hours, "hours_by_period", owner)))
            object.__setattr__(self, "hours_by_period", tuple(sorted(checked)))
        if self.resource_key is not None:
            _check_key(self.resource_key, "resource_key", owner)
        if self.required_skill is not None:
            _check_key(self.required_skill, "required_skill", owner)
        elif self.resource_key is None:
            raise InvalidInput(
                f"{owner}: unassigned demand (no resource_key) must name a required_skill.", field="required_skill"
            )
        _check_level(self.minimum_proficiency, "minimum_proficiency", owner)
        if not isinstance(self.is_billable, bool):
            raise InvalidInput(
                f"{owner}: is_billable must be True or False, not {self.is_billable!r}.", field="is_billable"
            )

    @property
    def total_hours(self) -> float:
        """All the hours of the item, inside the analysed horizon or not."""
        if self.hours is not None:
            return self.hours
        return sum(hours for _, hours in self.hours_by_period)  # type: ignore[union-attr]


@dataclass(frozen=True, slots=True)
class GapRules:
    """The thresholds of the skill gap recommendations (see :mod:`pmo_engine.capacity.skills`).

    - ``reschedule_max_periods``: a gap run of at most this many periods is a spike that moving
      work may absorb;
    - ``reschedule_window_periods``: periods looked at on each side of such a run for spare hours;
    - ``permanent_min_weeks``: a gap at least this long (in weeks) may justify a permanent hire...
    - ``permanent_max_variation``: ...when its coefficient of variation (standard deviation over
      mean of the weekly gap hours) is at most this;
    - ``full_time_hours_per_week``: converts gap hours to full-time equivalents in the explanation.
    """

    reschedule_max_periods: int = 2
    reschedule_window_periods: int = 4
    permanent_min_weeks: float = 26.0
    permanent_max_variation: float = 0.25
    full_time_hours_per_week: float = 40.0

    def __post_init__(self) -> None:
        for name in ("reschedule_max_periods", "reschedule_window_periods"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise InvalidInput(f"GapRules: {name} must be a whole number of 0 or more, not {value!r}.", field=name)
        object.__setattr__(
            self,
            "permanent_min_weeks",
            _check_hours(self.permanent_min_weeks, "permanent_min_weeks", "GapRules", unit="weeks"),
        )
        object.__setattr__(
            self,
            "permanent_max_variation",
            _check_hours(self.permanent_max_variation, "permanent_max_variation", "GapRules", unit=""),
        )
        full_time = _check_hours(self.full_time_hours_per_week, "full_time_hours_per_week", "GapRules", maximum=168)
        if full_time == 0:
            raise InvalidInput(
                "GapRules: full_time_hours_per_week must be more than 0.", field="full_time_hours_per_week"
            )
        object.__setattr__(self, "full_time_hours_per_week", full_time)
