"""Reading the sheets around the activities: Project (settings and working week), Calendar
exceptions and the Baseline sheets. Problems are recorded, never raised (see :mod:`.cells`)."""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from pmo_engine.formats.common import STANDARD_WEEK, Periods
from pmo_engine.formats.plan import MAXIMUM_BASELINE_NUMBER, PlanBaseline, PlanCalendar, PlanCalendarException
from pmo_engine.formats.xlsx.cells import RowCells, show
from pmo_engine.formats.xlsx.template import (
    BASELINE_SHEET_PATTERN,
    PROJECT_HEADERS,
    WEEKDAY_FIELDS,
    ActivityColumn,
    Conversion,
    ExceptionColumn,
    ProjectField,
    WorkbookProblem,
    format_working_hours,
    header_key,
    parse_working_hours,
)
from pmo_engine.formats.xlsx.workbook import Sheet, SheetRow
from pmo_engine.model import MINUTES_PER_DAY

PROJECT_CALENDAR_KEY = "1"
_FIELD, _VALUE = PROJECT_HEADERS
_FIELDS = {header_key(project_field.value): project_field for project_field in ProjectField}


def column_indexes(sheet: Sheet, problems: list[WorkbookProblem]) -> dict[str, int]:
    """Each header of ``sheet`` (by :func:`header_key`) and its column index; a header that appears
    twice is a problem. Blank headers are left out; unknown ones are kept (and ignored by readers)."""
    columns: dict[str, int] = {}
    for index, header in enumerate(sheet.headers):
        if not header:
            continue
        key = header_key(header)
        if key in columns:
            message = f"the column appears twice (columns {columns[key] + 1} and {index + 1})"
            problems.append(WorkbookProblem(None, header, message, sheet.name))
        else:
            columns[key] = index
    return columns


def row_cells(sheet: Sheet, row: SheetRow, columns: dict[str, int], problems: list[WorkbookProblem]) -> RowCells:
    """The cells of ``row`` of ``sheet`` (``columns`` from :func:`column_indexes`)."""
    return RowCells(sheet.name, row, columns, problems)


@dataclass
class ProjectSettings:
    """What the Project sheet says (the defaults when it is absent): see :class:`ProjectField`."""

    name: str = ""
    project_start: datetime | None = None
    status_date: datetime | None = None
    minutes_per_day: int = 480
    minutes_per_week: int = 2400
    days_per_month: int = 20
    currency_code: str = ""
    notes: str = ""
    calendar_name: str = "Standard"
    week: list[Periods] = field(default_factory=lambda: list(STANDARD_WEEK))

    @property
    def conversion(self) -> Conversion:
        return Conversion(self.minutes_per_day, self.minutes_per_week)


def _project_rows(sheet: Sheet) -> list[SheetRow]:
    """The field rows; the first row is one too unless it is the Field/Value header."""
    rows = list(sheet.rows)
    if sheet.headers and header_key(sheet.headers[0]) != header_key(_FIELD):
        rows.insert(0, SheetRow(1, sheet.headers, ("General",) * len(sheet.headers)))
    return rows


def read_project(sheet: Sheet | None, problems: list[WorkbookProblem]) -> ProjectSettings:
    """The settings of the Project sheet: field names in column A, values in column B."""
    settings = ProjectSettings()
    if sheet is None:
        return settings
    columns = {header_key(_FIELD): 0, header_key(_VALUE): 1}
    seen: dict[ProjectField, int] = {}
    for row in _project_rows(sheet):
        cells = row_cells(sheet, row, columns, problems)
        name = cells.text(_FIELD)
        project_field = _FIELDS.get(header_key(name))
        if project_field is None:
            known = ", ".join(project_field.value for project_field in ProjectField)
            cells.fail(_FIELD, f"{show(name or '')} is not a field of this sheet (the fields are {known})")
            continue
        if project_field in seen:
            cells.fail(_FIELD, f"{project_field.value} is also given on row {seen[project_field]}")
            continue
        seen[project_field] = row.number
        _read_project_field(settings, project_field, cells)
    return settings


def _read_project_field(settings: ProjectSettings, project_field: ProjectField, cells: RowCells) -> None:
    if project_field in WEEKDAY_FIELDS:
        periods = parse_working_hours(cells.text(_VALUE))
        if periods is None:
            cells.fail(
                _VALUE,
                f"{show(cells.value(_VALUE))} is not working hours like {format_working_hours(STANDARD_WEEK[0])} "
                "(or 'not worked')",
            )
        else:
            settings.week[WEEKDAY_FIELDS.index(project_field)] = periods
    elif project_field in (ProjectField.PROJECT_START, ProjectField.STATUS_DATE):
        moment = cells.moment(_VALUE)
        if project_field is ProjectField.PROJECT_START:
            settings.project_start = moment
        else:
            settings.status_date = moment
    elif project_field in (ProjectField.MINUTES_PER_DAY, ProjectField.MINUTES_PER_WEEK, ProjectField.DAYS_PER_MONTH):
        maximum = {ProjectField.MINUTES_PER_DAY: MINUTES_PER_DAY, ProjectField.MINUTES_PER_WEEK: 7 * MINUTES_PER_DAY}
        number = cells.whole_number(_VALUE, minimum=1, maximum=maximum.get(project_field, 31))
        if number is not None:
            attribute = {
                ProjectField.MINUTES_PER_DAY: "minutes_per_day",
                ProjectField.MINUTES_PER_WEEK: "minutes_per_week",
                ProjectField.DAYS_PER_MONTH: "days_per_month",
            }[project_field]
            setattr(settings, attribute, number)
    elif project_field is ProjectField.NOTES:
        settings.notes = cells.text(_VALUE, strip=False)
    else:
        attribute = {
            ProjectField.NAME: "name",
            ProjectField.CURRENCY: "currency_code",
            ProjectField.CALENDAR: "calendar_name",
        }[project_field]
        setattr(settings, attribute, cells.text(_VALUE))


def read_calendar(sheet: Sheet | None, settings: ProjectSettings, problems: list[WorkbookProblem]) -> PlanCalendar:
    """The project calendar: the week of the Project sheet and the Calendar exceptions sheet's rows."""
    exceptions: list[tuple[int, PlanCalendarException]] = []
    if sheet is not None:
        exceptions = _read_exceptions(sheet, problems)
    return PlanCalendar(
        PROJECT_CALENDAR_KEY,
        settings.calendar_name,
        weekdays=tuple(settings.week),
        exceptions=tuple(exception for _, exception in exceptions),
    )


def _read_exceptions(sheet: Sheet, problems: list[WorkbookProblem]) -> list[tuple[int, PlanCalendarException]]:
    """The exceptions of the sheet with their row numbers; overlapping exceptions are a problem."""
    columns = column_indexes(sheet, problems)
    if header_key(ExceptionColumn.FROM) not in columns:
        if sheet.rows:
            message = f"no '{ExceptionColumn.FROM}' column (the first day of each exception)"
            problems.append(WorkbookProblem(None, "", message, sheet.name))
        return []
    exceptions = []
    for row in sheet.rows:
        exception = _read_exception(row_cells(sheet, row, columns, problems))
        if exception is not None:
            exceptions.append((row.number, exception))
    by_date = sorted(exceptions, key=lambda numbered: (numbered[1].first_date, numbered[0]))
    covering: tuple[int, PlanCalendarException] | None = None  # the exception reaching furthest so far
    for row_number, exception in by_date:
        if covering is not None and exception.first_date <= covering[1].last_date:
            message = (
                f"{exception.first_date} falls within the exception on row {covering[0]} "
                f"({covering[1].first_date} to {covering[1].last_date}); exceptions cannot overlap"
            )
            problems.append(WorkbookProblem(row_number, ExceptionColumn.FROM.value, message, sheet.name))
        if covering is None or exception.last_date > covering[1].last_date:
            covering = (row_number, exception)
    return exceptions


def _day(cells: RowCells, column: str) -> date | None:
    moment = cells.moment(column)
    return None if moment is None else moment.date()


def _read_exception(cells: RowCells) -> PlanCalendarException | None:
    first_date = _day(cells, ExceptionColumn.FROM)
    if first_date is None and cells.is_blank(ExceptionColumn.FROM):
        cells.fail(ExceptionColumn.FROM, "empty; give the first day of the exception")
    last_date = _day(cells, ExceptionColumn.TO) if not cells.is_blank(ExceptionColumn.TO) else first_date
    periods = parse_working_hours(cells.text(ExceptionColumn.WORKING_HOURS))
    if periods is None:
        cells.fail(
            ExceptionColumn.WORKING_HOURS,
            f"{show(cells.value(ExceptionColumn.WORKING_HOURS))} is not working hours like "
            f"{format_working_hours(STANDARD_WEEK[0])} (or 'not worked')",
        )
    if first_date is None or last_date is None or periods is None:
        return None
    if last_date < first_date:
        cells.fail(ExceptionColumn.TO, f"{last_date} is before {first_date} in From")
        return None
    return PlanCalendarException(first_date, last_date, periods, cells.text(ExceptionColumn.NAME))


def baseline_number(sheet_name: str) -> int | None:
    """0 for a sheet named ``Baseline``, 1-99 for ``Baseline 1``..., ``None`` for other names."""
    match = BASELINE_SHEET_PATTERN.match(sheet_name.strip())
    if match is None:
        return None
    return int(match["number"]) if match["number"] else 0


def read_baselines(
    sheet: Sheet, uids: set[int], conversion: Conversion, problems: list[WorkbookProblem]
) -> list[PlanBaseline]:
    """The baselines of one Baseline sheet; ``uids`` are the activities' IDs."""
    number = baseline_number(sheet.name)
    if number is None or number > MAXIMUM_BASELINE_NUMBER:
        message = f"baselines are numbered 0 (sheet 'Baseline') to {MAXIMUM_BASELINE_NUMBER}"
        problems.append(WorkbookProblem(None, "", message, sheet.name))
        return []
    columns = column_indexes(sheet, problems)
    if header_key(ActivityColumn.ID) not in columns:
        if sheet.rows:
            problems.append(WorkbookProblem(None, "", "no 'ID' column (the activity of each row)", sheet.name))
        return []
    baselines: list[PlanBaseline] = []
    rows_of: dict[int, int] = {}
    for row in sheet.rows:
        cells = row_cells(sheet, row, columns, problems)
        uid = cells.whole_number(ActivityColumn.ID, minimum=0)
        if uid is None and cells.is_blank(ActivityColumn.ID):
            cells.fail(ActivityColumn.ID, "empty; give the ID of the activity")
        elif uid is not None and uid not in uids:
            cells.fail(ActivityColumn.ID, f"{uid} is not the ID of any activity")
            uid = None
        elif uid is not None and uid in rows_of:
            cells.fail(ActivityColumn.ID, f"{uid} is also on row {rows_of[uid]}")
            uid = None
        duration = cells.duration(ActivityColumn.DURATION, conversion, allow_elapsed=False)
        start, finish = cells.moment(ActivityColumn.START), cells.moment(ActivityColumn.FINISH)
        cost: Decimal | None = cells.money(ActivityColumn.COST)
        if uid is not None:
            rows_of[uid] = row.number
            minutes = None if duration is None else duration.minutes
            baselines.append(PlanBaseline(uid, number, start, finish, minutes, cost))
    return baselines
