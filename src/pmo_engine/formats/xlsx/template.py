"""The plan workbook template: sheet names, column headers, the problems a reading can report, and
the text forms of durations, lags, predecessors and working hours, both ways.

Amounts of time in cells:
- a plain number is working days (``plan.minutes_per_day`` working minutes each);
- text is a number and a unit as MS Project writes them: ``d`` (working days), ``h`` (hours),
  ``m`` (minutes), ``w`` (weeks of ``plan.minutes_per_week``), each with a leading ``e`` for
  elapsed (wall-clock) time (``ed`` is 24 hours), and ``%`` (``e%`` elapsed: a lag as a share of
  the predecessor's duration); a number without a unit is working days.
Predecessors are ``ID[type][+/-lag]``, comma- (or semicolon-) separated: ``3, 5SS+2d, 7FF-1d``.
"""

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import NamedTuple

from pmo_engine.formats.common import DurationUnit, Periods
from pmo_engine.formats.errors import FileFormatError
from pmo_engine.model import MINUTES_PER_DAY, LinkType

ACTIVITIES_SHEET = "Activities"
PROJECT_SHEET = "Project"
EXCEPTIONS_SHEET = "Calendar exceptions"
BASELINE_SHEET = "Baseline"  # baseline 0; baselines 1-10 are "Baseline 1".."Baseline 10"
BASELINE_SHEET_PATTERN = re.compile(r"^baseline(?: (?P<number>\d{1,2}))?$", re.IGNORECASE)

#: At most this many activity rows (and rows on any other sheet) are read.
MAXIMUM_ROWS = 50_000
#: At most this size of workbook file, in bytes.
MAXIMUM_FILE_BYTES = 50 * 1024 * 1024
#: At most this much data once unzipped, in bytes (the sizes the file declares, which bound what
#: Python's zipfile inflates: a zip bomb is refused before anything is inflated).
MAXIMUM_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
#: The header row is searched for column names this far to the right.
MAXIMUM_COLUMNS = 200
#: Excel keeps at most this many characters in a cell.
MAXIMUM_CELL_CHARACTERS = 32_767
MAXIMUM_LISTED_PROBLEMS = 50  # in the error message; ``problems`` keeps them all


class ActivityColumn(StrEnum):
    """The headers of the Activities sheet, in the order they are written."""

    ID = "ID"
    WBS = "WBS"
    NAME = "Name"
    SUMMARY = "Summary"
    MILESTONE = "Milestone"
    DURATION = "Duration (days)"
    START = "Start"
    FINISH = "Finish"
    PREDECESSORS = "Predecessors"
    CONSTRAINT = "Constraint"
    CONSTRAINT_DATE = "Constraint date"
    DEADLINE = "Deadline"
    PERCENT_COMPLETE = "% complete"
    ACTUAL_START = "Actual start"
    ACTUAL_FINISH = "Actual finish"
    REMAINING = "Remaining (days)"
    COST = "Cost"
    NOTES = "Notes"
    OUTLINE_LEVEL = "Outline level"
    MANUAL = "Manual"
    ACTIVE = "Active"


REQUIRED_ACTIVITY_COLUMNS = (ActivityColumn.NAME, ActivityColumn.DURATION)
BASELINE_COLUMNS = (
    ActivityColumn.ID,
    ActivityColumn.NAME,
    ActivityColumn.START,
    ActivityColumn.FINISH,
    ActivityColumn.DURATION,
    ActivityColumn.COST,
)


class ProjectField(StrEnum):
    """The rows of the Project sheet (field in column A, value in column B)."""

    NAME = "Name"
    PROJECT_START = "Project start"
    STATUS_DATE = "Status date"
    MINUTES_PER_DAY = "Minutes per day"
    MINUTES_PER_WEEK = "Minutes per week"
    DAYS_PER_MONTH = "Days per month"
    CURRENCY = "Currency"
    NOTES = "Notes"
    CALENDAR = "Calendar"
    MONDAY = "Monday"
    TUESDAY = "Tuesday"
    WEDNESDAY = "Wednesday"
    THURSDAY = "Thursday"
    FRIDAY = "Friday"
    SATURDAY = "Saturday"
    SUNDAY = "Sunday"


WEEKDAY_FIELDS = (
    ProjectField.MONDAY,
    ProjectField.TUESDAY,
    ProjectField.WEDNESDAY,
    ProjectField.THURSDAY,
    ProjectField.FRIDAY,
    ProjectField.SATURDAY,
    ProjectField.SUNDAY,
)
PROJECT_HEADERS = ("Field", "Value")


class ExceptionColumn(StrEnum):
    """The headers of the Calendar exceptions sheet."""

    FROM = "From"
    TO = "To"
    NAME = "Name"
    WORKING_HOURS = "Working hours"


YES, NO = "yes", "no"
YES_WORDS = frozenset({"yes", "y", "true", "1", "x"})
NO_WORDS = frozenset({"no", "n", "false", "0"})
NOT_WORKED = "not worked"


def header_key(text: str) -> str:
    """How headers and field names are compared: case and repeated spaces do not matter."""
    return " ".join(text.split()).casefold()


class WorkbookProblem(NamedTuple):
    """One problem found while reading a workbook: the ``row`` as Excel numbers it (``None`` for a
    problem of the whole sheet), the ``column`` header, what is wrong, and the ``sheet``."""

    row: int | None
    column: str
    message: str
    sheet: str = ACTIVITIES_SHEET

    def __str__(self) -> str:
        places = []
        if self.sheet != ACTIVITIES_SHEET or self.row is None:
            places.append(f"{self.sheet} sheet")
        if self.row is not None:
            places.append(f"row {self.row}" if places else f"Row {self.row}")
        if self.column:
            places.append(self.column)
        return f"{', '.join(places)}: {self.message}"


class PlanWorkbookError(FileFormatError):
    """A workbook that cannot be read as a plan. ``problems`` lists every problem found (empty when
    the file itself cannot be opened); the message lists them too, one a line."""

    def __init__(self, message: str, problems: tuple[WorkbookProblem, ...] = ()):
        super().__init__(message)
        self.problems = problems

    @classmethod
    def from_problems(cls, problems: list[WorkbookProblem]) -> "PlanWorkbookError":
        count = len(problems)
        lines = [f"The workbook has {count} problem{'s' if count != 1 else ''}; nothing was read:"]
        lines += [f"- {problem}" for problem in problems[:MAXIMUM_LISTED_PROBLEMS]]
        if count > MAXIMUM_LISTED_PROBLEMS:
            lines.append(f"... and {count - MAXIMUM_LISTED_PROBLEMS} more.")
        return cls("\n".join(lines), tuple(problems))


@dataclass(frozen=True)
class TimeAmount:
    """An amount of time read from a cell: ``minutes`` (working, or wall-clock when
    ``is_elapsed``) in ``unit``; or, for a lag, ``percent`` of the predecessor's duration."""

    minutes: int
    is_elapsed: bool = False
    unit: DurationUnit = DurationUnit.DAYS
    percent: float | None = None


_NUMBER = r"(?:\d+(?:\.\d*)?|\.\d+)"
_AMOUNT = re.compile(rf"^(?P<number>{_NUMBER})\s*(?P<unit>[a-z]*|%)$")
_PREDECESSOR = re.compile(
    rf"^(?P<uid>\d+)\s*(?P<type>fs|ss|ff|sf)?\s*(?:(?P<sign>[+-])\s*(?P<number>{_NUMBER})\s*(?P<unit>e?%|[a-z]*))?$"
)
_UNIT_WORDS = {
    DurationUnit.MINUTES: ("m", "min", "mins", "minute", "minutes"),
    DurationUnit.HOURS: ("h", "hr", "hrs", "hour", "hours"),
    DurationUnit.DAYS: ("d", "dy", "day", "days"),
    DurationUnit.WEEKS: ("w", "wk", "wks", "week", "weeks"),
}
_UNITS = {word: unit for unit, words in _UNIT_WORDS.items() for word in words}
_ELAPSED_MINUTES = {
    DurationUnit.MINUTES: 1,
    DurationUnit.HOURS: 60,
    DurationUnit.DAYS: MINUTES_PER_DAY,
    DurationUnit.WEEKS: 7 * MINUTES_PER_DAY,
}
_SYMBOLS = {DurationUnit.MINUTES: "m", DurationUnit.HOURS: "h", DurationUnit.DAYS: "d", DurationUnit.WEEKS: "w"}
# The units tried, in order, to show an amount exactly with at most 2 decimals; minutes always do.
_UNIT_PREFERENCE = {
    DurationUnit.MINUTES: (DurationUnit.MINUTES,),
    DurationUnit.HOURS: (DurationUnit.HOURS, DurationUnit.MINUTES),
    DurationUnit.DAYS: (DurationUnit.DAYS, DurationUnit.HOURS, DurationUnit.MINUTES),
    DurationUnit.WEEKS: (DurationUnit.WEEKS, DurationUnit.DAYS, DurationUnit.HOURS, DurationUnit.MINUTES),
    DurationUnit.MONTHS: (DurationUnit.DAYS, DurationUnit.HOURS, DurationUnit.MINUTES),
}
LINK_TYPE_CODES = {link_type.value.casefold(): link_type for link_type in LinkType}


@dataclass(frozen=True)
class Conversion:
    """The plan's factors for showing minutes: ``minutes_per_day`` and ``minutes_per_week``."""

    minutes_per_day: int = 480
    minutes_per_week: int = 2400

    def unit_minutes(self, unit: DurationUnit, *, is_elapsed: bool) -> int:
        """Minutes in one ``unit`` (working, or wall-clock when ``is_elapsed``)."""
        if is_elapsed:
            return _ELAPSED_MINUTES[unit]
        working = {DurationUnit.DAYS: self.minutes_per_day, DurationUnit.WEEKS: self.minutes_per_week}
        return working.get(unit, _ELAPSED_MINUTES[unit])


def number_text(value: float) -> str:
    """A number as a person writes it: ``3``, ``0.5``, ``-2.25`` (no trailing ``.0``)."""
    if float(value).is_integer():
        return str(int(value))
    return repr(float(value))


def _amount_from_words(number: str, unit_text: str, conversion: Conversion) -> TimeAmount | None:
    if unit_text.endswith("%"):
        return TimeAmount(0, is_elapsed=unit_text == "e%", percent=float(number))
    is_elapsed = unit_text.startswith("e") and unit_text[1:] in _UNITS
    unit = _UNITS.get(unit_text[1:] if is_elapsed else unit_text or "d")
    if unit is None:
        return None
    minutes = round(float(number) * conversion.unit_minutes(unit, is_elapsed=is_elapsed))
    return TimeAmount(minutes, is_elapsed, unit)


def parse_time_amount(text: str, conversion: Conversion) -> TimeAmount | None:
    """A duration written as text (``3``, ``2.5d``, ``4h``, ``2ed``): ``None`` when it is not one.
    Percentages are not durations."""
    match = _AMOUNT.match(text.strip().casefold())
    if match is None or match["unit"] == "%":
        return None
    return _amount_from_words(match["number"], match["unit"], conversion)


def format_time_amount(minutes: int, unit: DurationUnit, conversion: Conversion, *, is_elapsed: bool) -> str:
    """``minutes`` (0 or more) as ``2d``, ``4.5h``, ``3ed``...: in ``unit`` when that shows them
    exactly with at most 2 decimals, else in the next smaller unit (minutes always do)."""
    for candidate in _UNIT_PREFERENCE[unit]:
        size = conversion.unit_minutes(candidate, is_elapsed=is_elapsed)
        if minutes * 100 % size == 0:
            value = minutes / size
            return f"{number_text(round(value, 2))}{'e' if is_elapsed else ''}{_SYMBOLS[candidate]}"
    return f"{minutes}{'e' if is_elapsed else ''}m"


@dataclass(frozen=True)
class PredecessorText:
    """One predecessor read from the Predecessors cell."""

    uid: int
    link_type: LinkType
    lag: TimeAmount


def parse_predecessor(text: str, conversion: Conversion) -> PredecessorText | None:
    """``12``, ``12SS``, ``12FS+2d``, ``12FF-4h``, ``12SS+50%``... (case and spaces do not
    matter; a lag without a unit is in working days): ``None`` when ``text`` is none of these."""
    match = _PREDECESSOR.match(text.strip().casefold())
    if match is None:
        return None
    link_type = LINK_TYPE_CODES[match["type"]] if match["type"] else LinkType.FINISH_TO_START
    if match["sign"] is None:
        return PredecessorText(int(match["uid"]), link_type, TimeAmount(0))
    lag = _amount_from_words(match["number"], match["unit"], conversion)
    if lag is None:
        return None
    if match["sign"] == "-":
        percent = None if lag.percent is None else -lag.percent
        lag = TimeAmount(-lag.minutes, lag.is_elapsed, lag.unit, percent)
    return PredecessorText(int(match["uid"]), link_type, lag)


def split_predecessors(text: str) -> list[str]:
    """The pieces of a Predecessors cell (comma- or semicolon-separated), blanks left out."""
    return [piece.strip() for piece in re.split(r"[,;]", text) if piece.strip()]


def format_predecessor(
    uid: int,
    link_type: LinkType,
    *,
    lag_minutes: int,
    lag_is_elapsed: bool,
    lag_percent: float | None,
    lag_unit: DurationUnit,
    conversion: Conversion,
) -> str:
    """MS Project's form: ``3`` (FS, no lag), ``5SS``, ``5SS+2d``, ``7FF-1d``, ``3FS+4h``, ``3FS+50%``."""
    if lag_percent is not None:
        sign = "-" if lag_percent < 0 else "+"
        return f"{uid}{link_type.value}{sign}{number_text(abs(lag_percent))}{'e' if lag_is_elapsed else ''}%"
    if lag_minutes == 0:
        return str(uid) if link_type is LinkType.FINISH_TO_START else f"{uid}{link_type.value}"
    sign = "-" if lag_minutes < 0 else "+"
    amount = format_time_amount(abs(lag_minutes), lag_unit, conversion, is_elapsed=lag_is_elapsed)
    return f"{uid}{link_type.value}{sign}{amount}"


_PERIOD = re.compile(r"^(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})$")


def format_working_hours(periods: Periods) -> str:
    """``08:00-12:00, 13:00-17:00``; ``not worked`` for no periods."""
    if not periods:
        return NOT_WORKED
    return ", ".join(f"{start // 60:02d}:{start % 60:02d}-{end // 60:02d}:{end % 60:02d}" for start, end in periods)


def parse_working_hours(text: str) -> Periods | None:
    """The periods of ``08:00-12:00, 13:00-17:00`` (``24:00`` ends the day; ``not worked`` or
    blank: none); ``None`` when the text is not that, or the periods overlap or are out of order."""
    words = text.strip()
    if not words or header_key(words) == NOT_WORKED:
        return ()
    periods = []
    previous_end = 0
    for piece in words.split(","):
        match = _PERIOD.match(piece.strip())
        if match is None:
            return None
        start_hour, start_minute, end_hour, end_minute = (int(part) for part in match.groups())
        if start_minute >= 60 or end_minute >= 60:
            return None
        start, end = start_hour * 60 + start_minute, end_hour * 60 + end_minute
        if not previous_end <= start < end <= MINUTES_PER_DAY:
            return None
        periods.append((start, end))
        previous_end = end
    return tuple(periods)
