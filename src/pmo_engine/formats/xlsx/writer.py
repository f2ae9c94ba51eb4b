"""Writing a :class:`~pmo_engine.formats.plan.Plan` as a workbook a project manager reads and edits
in Excel or LibreOffice, and :func:`~pmo_engine.formats.xlsx.read_plan_xlsx` reads back.

Sheets: Activities (one row per activity, in outline order, parents before their children),
Project (name, dates, conversion factors, the project calendar's working week), Calendar exceptions
(the project calendar's holidays and special days) and one Baseline sheet per baseline number in
the plan. Choices:
- a duration is written as the exact number of working days (shown with 2 decimals, so that no
  minute is lost when it reads back), an elapsed duration as text (``3ed``);
- dates are Excel date-times (``yyyy-mm-dd hh:mm``); text cells are text even when they start
  with ``=`` (never a formula: no spreadsheet injection); characters a workbook cannot hold
  (control characters) are left out and text past Excel's 32,767 characters per cell is cut;
- the project calendar is written resolved: the weekdays it inherits from its base calendars, and
  every day an exception or a work week changes, as dated exceptions;
- the file carries no creation or modification time (openpyxl stamps the clock), so the same plan
  always gives the same bytes.
"""

import re
import zipfile
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from io import BytesIO

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from pmo_engine.formats.common import STANDARD_WEEK, Periods
from pmo_engine.formats.plan import Plan, PlanActivity, PlanBaseline, PlanCalendar, PlanLink
from pmo_engine.formats.plan_calendars import default_week, periods_on
from pmo_engine.formats.xlsx.template import (
    ACTIVITIES_SHEET,
    BASELINE_COLUMNS,
    BASELINE_SHEET,
    EXCEPTIONS_SHEET,
    MAXIMUM_CELL_CHARACTERS,
    NO,
    PROJECT_HEADERS,
    PROJECT_SHEET,
    WEEKDAY_FIELDS,
    YES,
    ActivityColumn,
    Conversion,
    ExceptionColumn,
    ProjectField,
    format_predecessor,
    format_time_amount,
    format_working_hours,
)
from pmo_engine.model import ConstraintType

DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
DATE_FORMAT = "yyyy-mm-dd"
DAYS_FORMAT = "0.00"
MONEY_FORMAT = "#,##0.00"
MAXIMUM_INDENT = 15  # Excel's largest indent
_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
_SUMMARY_FONT = Font(bold=True)
_LAST_ROW = 1_048_576  # Excel's last row, for the data validations of whole columns
_COLUMN_WIDTHS = {
    ActivityColumn.ID: 7,
    ActivityColumn.WBS: 10,
    ActivityColumn.NAME: 44,
    ActivityColumn.SUMMARY: 10,
    ActivityColumn.MILESTONE: 10,
    ActivityColumn.DURATION: 15,
    ActivityColumn.PREDECESSORS: 24,
    ActivityColumn.CONSTRAINT: 11,
    ActivityColumn.PERCENT_COMPLETE: 11,
    ActivityColumn.REMAINING: 16,
    ActivityColumn.COST: 14,
    ActivityColumn.NOTES: 40,
    ActivityColumn.OUTLINE_LEVEL: 13,
    ActivityColumn.MANUAL: 9,
    ActivityColumn.ACTIVE: 9,
}
_DATE_WIDTH = 17
_TIMESTAMPS = re.compile(rb"<dcterms:(created|modified)\b[^>]*>[^<]*</dcterms:\1>")


def _put(sheet: Worksheet, row: int, column: int, value: object, number_format: str | None = None) -> None:
    """Write ``value`` (nothing for ``None`` or empty text, so that blank cells stay blank)."""
    if value is None or value == "":
        return
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, str):
        cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)[:MAXIMUM_CELL_CHARACTERS]
        cell.data_type = "s"  # "=..." stays text, never a formula
    else:
        cell.value = value
    if number_format is not None:
        cell.number_format = number_format


def _write_headers(sheet: Worksheet, headers: tuple[str, ...], widths: dict[str, float]) -> None:
    for column, header in enumerate(headers, start=1):
        _put(sheet, 1, column, header)
        sheet.cell(row=1, column=column).font = _HEADER_FONT
        sheet.cell(row=1, column=column).fill = _HEADER_FILL
        sheet.column_dimensions[get_column_letter(column)].width = widths.get(header, _DATE_WIDTH)
    sheet.freeze_panes = "A2"


def _yes_no(flag: bool) -> str:
    return YES if flag else NO


def _days(minutes: int, conversion: Conversion) -> float | int:
    """Working days, exact (an integer when whole)."""
    days = minutes / conversion.minutes_per_day
    return int(days) if days.is_integer() else days


def outline_order(plan: Plan) -> list[PlanActivity]:
    """The activities depth first, each parent followed by its subtree, siblings in plan order."""
    children: dict[int | None, list[PlanActivity]] = {}
    for activity in plan.activities:
        children.setdefault(activity.parent_uid, []).append(activity)
    ordered: list[PlanActivity] = []
    stack = list(reversed(children.get(None, [])))
    while stack:
        activity = stack.pop()
        ordered.append(activity)
        stack.extend(reversed(children.get(activity.uid, [])))
    return ordered


def _predecessors(links: list[PlanLink], conversion: Conversion) -> str:
    return ", ".join(
        format_predecessor(
            link.predecessor_uid,
            link.link_type,
            lag_minutes=link.lag_minutes,
            lag_is_elapsed=link.lag_is_elapsed,
            lag_percent=link.lag_percent,
            lag_unit=link.lag_unit,
            conversion=conversion,
        )
        for link in links
    )


def _activity_values(activity: PlanActivity, links: list[PlanLink], conversion: Conversion) -> dict:
    """The cells of one activity row: value, or (value, number format)."""
    if activity.duration_is_elapsed:
        duration = format_time_amount(activity.duration_minutes, activity.duration_unit, conversion, is_elapsed=True)
    else:
        duration = (_days(activity.duration_minutes, conversion), DAYS_FORMAT)
    remaining = activity.remaining_duration_minutes
    percent = activity.percent_complete
    return {
        ActivityColumn.ID: activity.uid,
        ActivityColumn.WBS: activity.wbs_code,
        ActivityColumn.NAME: activity.name,
        ActivityColumn.SUMMARY: _yes_no(activity.is_summary),
        ActivityColumn.MILESTONE: _yes_no(activity.is_milestone),
        ActivityColumn.DURATION: duration,
        ActivityColumn.START: (activity.start, DATETIME_FORMAT),
        ActivityColumn.FINISH: (activity.finish, DATETIME_FORMAT),
        ActivityColumn.PREDECESSORS: _predecessors(links, conversion),
        ActivityColumn.CONSTRAINT: activity.constraint_type.value,
        ActivityColumn.CONSTRAINT_DATE: (activity.constraint_date, DATETIME_FORMAT),
        ActivityColumn.DEADLINE: (activity.deadline, DATETIME_FORMAT),
        ActivityColumn.PERCENT_COMPLETE: int(percent) if float(percent).is_integer() else percent,
        ActivityColumn.ACTUAL_START: (activity.actual_start, DATETIME_FORMAT),
        ActivityColumn.ACTUAL_FINISH: (activity.actual_finish, DATETIME_FORMAT),
        ActivityColumn.REMAINING: (None if remaining is None else _days(remaining, conversion), DAYS_FORMAT),
        ActivityColumn.COST: (None if activity.cost is None else float(activity.cost), MONEY_FORMAT),
        ActivityColumn.NOTES: activity.notes,
        ActivityColumn.OUTLINE_LEVEL: activity.outline_level,
        ActivityColumn.MANUAL: _yes_no(activity.is_manually_scheduled),
        ActivityColumn.ACTIVE: _yes_no(activity.is_active),
    }


def _add_choices(sheet: Worksheet, columns: tuple[str, ...], column: str, choices: tuple[str, ...]) -> None:
    """A drop-down list on a whole column (Excel still accepts other text: the reader checks it)."""
    letter = get_column_letter(columns.index(column) + 1)
    validation = DataValidation(type="list", formula1=f'"{",".join(choices)}"', allow_blank=True)
    validation.add(f"{letter}2:{letter}{_LAST_ROW}")
    sheet.add_data_validation(validation)


def _write_activities(sheet: Worksheet, plan: Plan, conversion: Conversion) -> None:
    columns = tuple(ActivityColumn)
    _write_headers(sheet, columns, _COLUMN_WIDTHS)
    links: dict[int, list[PlanLink]] = {}
    for link in plan.links:
        links.setdefault(link.successor_uid, []).append(link)
    name_column = columns.index(ActivityColumn.NAME) + 1
    for row, activity in enumerate(outline_order(plan), start=2):
        values = _activity_values(activity, links.get(activity.uid, []), conversion)
        for column, header in enumerate(columns, start=1):
            value, number_format = values[header] if isinstance(values[header], tuple) else (values[header], None)
            _put(sheet, row, column, value, number_format)
        name = sheet.cell(row=row, column=name_column)
        name.alignment = Alignment(indent=min(activity.outline_level - 1, MAXIMUM_INDENT))
        if activity.is_summary:
            name.font = _SUMMARY_FONT
    for column in (ActivityColumn.SUMMARY, ActivityColumn.MILESTONE, ActivityColumn.MANUAL, ActivityColumn.ACTIVE):
        _add_choices(sheet, columns, column, (YES, NO))
    _add_choices(sheet, columns, ActivityColumn.CONSTRAINT, tuple(constraint.value for constraint in ConstraintType))
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(sheet.max_row, 2)}"


def _covered_days(first_date: date, last_date: date) -> Iterator[date]:
    day = first_date
    while day <= last_date:
        yield day
        day += timedelta(days=1)


def calendar_exceptions(
    calendars: dict[str, PlanCalendar], calendar: PlanCalendar, week: tuple[Periods, ...]
) -> list[tuple[date, date, str, Periods]]:
    """``(first date, last date, name, working periods)`` of every run of days that ``calendar``'s
    exceptions (its own first, then its base calendars') and work weeks make differ from ``week``:
    what the engine sees of the calendar beyond its weekdays. Runs are consecutive days with the
    same name and periods. O(days covered)."""
    days: dict[date, tuple[str, Periods]] = {}
    current: PlanCalendar | None = calendar
    while current is not None:
        for exception in current.exceptions:
            for day in _covered_days(exception.first_date, exception.last_date):
                days.setdefault(day, (exception.name, periods_on(calendars, calendar, day)))
        for work_week in current.work_weeks:
            for day in _covered_days(work_week.first_date, work_week.last_date):
                periods = periods_on(calendars, calendar, day)
                if day not in days and periods != week[day.weekday()]:
                    days[day] = (work_week.name, periods)
        current = None if current.base_calendar_key is None else calendars[current.base_calendar_key]
    runs: list[tuple[date, date, str, Periods]] = []
    for day in sorted(days):
        name, periods = days[day]
        if runs and runs[-1][1] + timedelta(days=1) == day and runs[-1][2:] == (name, periods):
            runs[-1] = (runs[-1][0], day, name, periods)
        else:
            runs.append((day, day, name, periods))
    return runs


def _project_calendar(plan: Plan) -> tuple[str, tuple[Periods, ...], list[tuple[date, date, str, Periods]]]:
    """The name, weekdays and exceptions of the plan's default calendar (MS Project's standard
    week when the plan names none)."""
    calendars = {calendar.key: calendar for calendar in plan.calendars}
    calendar = calendars.get(plan.default_calendar_key) if plan.default_calendar_key is not None else None
    if calendar is None:
        return "Standard", STANDARD_WEEK, []
    week = default_week(calendars, calendar)
    return calendar.name, week, calendar_exceptions(calendars, calendar, week)


def _write_project(sheet: Worksheet, plan: Plan, calendar_name: str, week: tuple[Periods, ...]) -> None:
    _write_headers(sheet, PROJECT_HEADERS, {"Field": 20, "Value": 44})
    rows: list[tuple[str, object, str | None]] = [
        (ProjectField.NAME, plan.name, None),
        (ProjectField.PROJECT_START, plan.project_start, DATETIME_FORMAT),
        (ProjectField.STATUS_DATE, plan.status_date, DATETIME_FORMAT),
        (ProjectField.MINUTES_PER_DAY, plan.minutes_per_day, None),
        (ProjectField.MINUTES_PER_WEEK, plan.minutes_per_week, None),
        (ProjectField.DAYS_PER_MONTH, plan.days_per_month, None),
        (ProjectField.CURRENCY, plan.currency_code, None),
        (ProjectField.NOTES, plan.notes, None),
        (ProjectField.CALENDAR, calendar_name, None),
    ]
    rows += [(field, format_working_hours(periods), None) for field, periods in zip(WEEKDAY_FIELDS, week, strict=True)]
    for row, (field, value, number_format) in enumerate(rows, start=2):
        _put(sheet, row, 1, field.value)
        _put(sheet, row, 2, value, number_format)


def _write_exceptions(sheet: Worksheet, exceptions: list[tuple[date, date, str, Periods]]) -> None:
    widths = {ExceptionColumn.FROM: 12, ExceptionColumn.TO: 12, ExceptionColumn.NAME: 30}
    _write_headers(sheet, tuple(ExceptionColumn), {**widths, ExceptionColumn.WORKING_HOURS: 28})
    for row, (first_date, last_date, name, periods) in enumerate(exceptions, start=2):
        _put(sheet, row, 1, datetime.combine(first_date, datetime.min.time()), DATE_FORMAT)
        _put(sheet, row, 2, datetime.combine(last_date, datetime.min.time()), DATE_FORMAT)
        _put(sheet, row, 3, name)
        _put(sheet, row, 4, format_working_hours(periods))


def baseline_sheet_name(number: int) -> str:
    """``Baseline`` for baseline 0 (MS Project's "Baseline"), ``Baseline 1``..``Baseline 10``."""
    return BASELINE_SHEET if number == 0 else f"{BASELINE_SHEET} {number}"


def _write_baseline(
    sheet: Worksheet, baselines: list[PlanBaseline], activities: list[PlanActivity], conversion: Conversion
) -> None:
    _write_headers(sheet, BASELINE_COLUMNS, _COLUMN_WIDTHS)
    by_activity = {baseline.activity_uid: baseline for baseline in baselines}
    row = 2
    for activity in activities:
        baseline = by_activity.get(activity.uid)
        if baseline is None:
            continue
        duration = None if baseline.duration_minutes is None else _days(baseline.duration_minutes, conversion)
        values = (
            (activity.uid, None),
            (activity.name, None),
            (baseline.start, DATETIME_FORMAT),
            (baseline.finish, DATETIME_FORMAT),
            (duration, DAYS_FORMAT),
            (None if baseline.cost is None else float(baseline.cost), MONEY_FORMAT),
        )
        for column, (value, number_format) in enumerate(values, start=1):
            _put(sheet, row, column, value, number_format)
        row += 1


def _without_timestamps(workbook_bytes: bytes) -> bytes:
    """The same workbook with no creation or modification time and fixed zip entry dates."""
    output = BytesIO()
    with (
        zipfile.ZipFile(BytesIO(workbook_bytes)) as source,
        zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for entry in source.infolist():
            content = source.read(entry.filename)
            if entry.filename == "docProps/core.xml":
                content = _TIMESTAMPS.sub(b"", content)
            target.writestr(zipfile.ZipInfo(entry.filename), content, compress_type=zipfile.ZIP_DEFLATED)
    return output.getvalue()


def write_plan_xlsx(plan: Plan) -> bytes:
    """The plan as an .xlsx workbook (see the module docstring); O(size of the plan)."""
    conversion = Conversion(plan.minutes_per_day, plan.minutes_per_week)
    workbook = Workbook()
    activities_sheet = workbook.active
    activities_sheet.title = ACTIVITIES_SHEET
    _write_activities(activities_sheet, plan, conversion)
    calendar_name, week, exceptions = _project_calendar(plan)
    _write_project(workbook.create_sheet(PROJECT_SHEET), plan, calendar_name, week)
    _write_exceptions(workbook.create_sheet(EXCEPTIONS_SHEET), exceptions)
    ordered = outline_order(plan)
    by_number: dict[int, list[PlanBaseline]] = {}
    for baseline in plan.baselines:
        by_number.setdefault(baseline.number, []).append(baseline)
    for number in sorted(by_number):
        _write_baseline(workbook.create_sheet(baseline_sheet_name(number)), by_number[number], ordered, conversion)
    workbook.properties.creator = "pmo"
    buffer = BytesIO()
    workbook.save(buffer)
    return _without_timestamps(buffer.getvalue())
