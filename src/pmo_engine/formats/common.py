"""The shared vocabulary of plans and their conversions: working periods, weeks, units, types.

Working periods are ``(start_minute, end_minute)`` pairs after midnight within 0..1440, sorted and
disjoint; a week is 7 entries indexed by ``date.weekday()`` (Monday is 0).
"""

from enum import StrEnum

from pmo_engine.errors import InvalidInput
from pmo_engine.model import MINUTES_PER_DAY, STANDARD_WORKING_PERIODS

Periods = tuple[tuple[int, int], ...]
WeekPeriods = tuple[Periods | None, ...]

#: MS Project's standard week: Monday to Friday 08:00-12:00 and 13:00-17:00, weekend off.
STANDARD_WEEK: tuple[Periods, ...] = (*(STANDARD_WORKING_PERIODS,) * 5, (), ())


class DurationUnit(StrEnum):
    """The unit a file shows a duration or lag in; the amount itself is always kept in minutes."""

    MINUTES = "minutes"
    HOURS = "hours"
    DAYS = "days"
    WEEKS = "weeks"
    MONTHS = "months"


class ResourceType(StrEnum):
    WORK = "work"  # people and equipment, costed by the hour
    MATERIAL = "material"  # consumables, costed by the unit
    COST = "cost"  # a fixed amount per assignment (travel, fees)


def check_periods(value: object, field_name: str) -> Periods:
    """Working periods as a tuple of ``(start, end)`` minute pairs; raises
    :class:`~pmo_engine.errors.InvalidInput` unless sorted, disjoint and within 0..1440."""
    try:
        periods = tuple((int(start), int(end)) for start, end in value)  # type: ignore[union-attr]
    except (TypeError, ValueError):
        raise InvalidInput(
            f"{field_name} must be (start_minute, end_minute) pairs, not {value!r}.", field=field_name
        ) from None
    previous_end = 0
    for start, end in periods:
        if not previous_end <= start < end <= MINUTES_PER_DAY:
            raise InvalidInput(
                f"{field_name} must be sorted, disjoint periods within 0..1440 minutes, found {periods!r}.",
                field=field_name,
            )
        previous_end = end
    return periods


def format_periods(periods: Periods) -> str:
    """``((480, 720), (780, 1020))`` as "08:00-12:00, 13:00-17:00" ("not worked" when empty)."""
    if not periods:
        return "not worked"
    return ", ".join(f"{start // 60:02d}:{start % 60:02d}-{end // 60:02d}:{end % 60:02d}" for start, end in periods)
