"""Reading a plan workbook (see docs/plan-template.md) into a :class:`~pmo_engine.formats.plan.Plan`.

Rules:
- only the Activities sheet with its ``Name`` and ``Duration (days)`` columns is required; the
  other columns and sheets (Project, Calendar exceptions, Baseline...) are optional, headers are
  matched whatever their case, and columns the template does not know are ignored (a near miss,
  such as ``Predecessor``, is reported);
- ``ID`` absent: the activities are numbered 1..n in row order; a blank ID gets the next number
  after the largest; Predecessors and the Baseline sheets refer to these IDs;
- the outline comes from ``Outline level`` when the column has values (a blank level is the
  level of the row above), else from ``WBS`` codes (``1.2`` sits under ``1``), else every
  activity is at the top level; a row with rows under it is a summary (the ``Summary`` column is
  only written, for reading); a blank WBS becomes the outline number (``1.2``);
- a blank ``Milestone`` means yes for an activity of duration 0 (as in MS Project);
- the project start is the Project sheet's, else the ``project_start`` argument, else the
  earliest start or actual start of an activity;
- the calendar is the project calendar of the Project and Calendar exceptions sheets (MS
  Project's standard week when they say nothing); activities have no calendar of their own.
Every problem is collected (row, column, value, what is wrong) and, if there is any, one
:class:`PlanWorkbookError` lists them all: nothing is half-read.
"""

import difflib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from pmo_engine.errors import InvalidInput
from pmo_engine.formats.plan import Plan, PlanActivity, PlanBaseline, PlanLink
from pmo_engine.formats.xlsx.cells import RowCells, show
from pmo_engine.formats.xlsx.sheets import (
    PROJECT_CALENDAR_KEY,
    ProjectSettings,
    baseline_number,
    column_indexes,
    read_baselines,
    read_calendar,
    read_project,
    row_cells,
)
from pmo_engine.formats.xlsx.template import (
    ACTIVITIES_SHEET,
    EXCEPTIONS_SHEET,
    MAXIMUM_FILE_BYTES,
    MAXIMUM_ROWS,
    MAXIMUM_UNCOMPRESSED_BYTES,
    PROJECT_SHEET,
    REQUIRED_ACTIVITY_COLUMNS,
    ActivityColumn,
    Conversion,
    PlanWorkbookError,
    PredecessorText,
    TimeAmount,
    WorkbookProblem,
    header_key,
    parse_predecessor,
    split_predecessors,
)
from pmo_engine.formats.xlsx.workbook import Limits, Sheet, read_sheets
from pmo_engine.model import ConstraintType

Column = ActivityColumn
_CONSTRAINTS = {
    **{constraint.value.casefold(): constraint for constraint in ConstraintType},
    **{constraint.name.replace("_", " ").casefold(): constraint for constraint in ConstraintType},
}
_DATED = [constraint.value for constraint in ConstraintType if constraint.is_dated]
_DATED_CONSTRAINTS = f"{', '.join(_DATED[:-1])} or {_DATED[-1]}"
_KNOWN_HEADERS = {header_key(column): column.value for column in ActivityColumn}
_NEAR_MISS_RATIO = 0.8


@dataclass(eq=False)
class _ActivityRow:
    """One activity row as read, before the rows are tied together (IDs, outline, links)."""

    cells: RowCells
    uid: int | None
    name: str
    wbs_code: str
    given_level: int | None
    duration: TimeAmount | None
    is_milestone: bool | None
    predecessors: list[tuple[str, PredecessorText]]
    values: dict[str, object]  # the other PlanActivity fields
    level: int = 1
    parent: "_ActivityRow | None" = None
    is_summary: bool = False


def _is_plan_sheet(name: str) -> bool:
    key = header_key(name)
    fixed = {header_key(ACTIVITIES_SHEET), header_key(PROJECT_SHEET), header_key(EXCEPTIONS_SHEET)}
    return key in fixed or baseline_number(name) is not None


def _activity_columns(sheet: Sheet) -> dict[str, int]:
    """The columns of the Activities sheet; raises when the required ones are missing or doubled."""
    if not sheet.headers:
        raise PlanWorkbookError(
            f"The {ACTIVITIES_SHEET} sheet is empty: its first row must hold the column headers (at least "
            f"{' and '.join(REQUIRED_ACTIVITY_COLUMNS)}), with one activity per row below."
        )
    problems: list[WorkbookProblem] = []
    columns = column_indexes(sheet, problems)
    found = ", ".join(header for header in sheet.headers if header)
    for column in REQUIRED_ACTIVITY_COLUMNS:
        if header_key(column) not in columns:
            message = (
                f"no '{column}' column; the first row must hold the column headers, and "
                f"{' and '.join(REQUIRED_ACTIVITY_COLUMNS)} are required (the headers found: {found})"
            )
            problems.append(WorkbookProblem(None, "", message))
    if problems:
        raise PlanWorkbookError.from_problems(problems)
    return columns


def _near_misses(sheet: Sheet, columns: dict[str, int], problems: list[WorkbookProblem]) -> None:
    """A header close to a template column the sheet lacks is most likely a typo that would drop data."""
    missing = [key for key in _KNOWN_HEADERS if key not in columns]
    for header in sheet.headers:
        if header and header_key(header) not in _KNOWN_HEADERS:
            close = difflib.get_close_matches(header_key(header), missing, n=1, cutoff=_NEAR_MISS_RATIO)
            if close:
                known = _KNOWN_HEADERS[close[0]]
                message = f"this column is not in the template and is ignored; did you mean '{known}'?"
                problems.append(WorkbookProblem(None, header, message))


def _constraint(cells: RowCells) -> tuple[ConstraintType, datetime | None]:
    constraint = ConstraintType.AS_SOON_AS_POSSIBLE
    if not cells.is_blank(Column.CONSTRAINT):
        found = _CONSTRAINTS.get(header_key(cells.text(Column.CONSTRAINT)))
        if found is None:
            known = ", ".join(constraint.value for constraint in ConstraintType)
            cells.fail(Column.CONSTRAINT, f"{show(cells.value(Column.CONSTRAINT))} is not one of {known}")
            return constraint, None
        constraint = found
    moment = cells.moment(Column.CONSTRAINT_DATE)
    if constraint.is_dated and cells.is_blank(Column.CONSTRAINT_DATE):
        cells.fail(Column.CONSTRAINT_DATE, f"empty, but {constraint} needs a date")
    elif not constraint.is_dated and moment is not None:
        cells.fail(
            Column.CONSTRAINT_DATE,
            f"{constraint} takes no date; choose {_DATED_CONSTRAINTS} in {Column.CONSTRAINT}, or clear the date",
        )
        moment = None
    return constraint, moment


def _progress(cells: RowCells, conversion: Conversion) -> dict[str, object]:
    actual_start, actual_finish = cells.moment(Column.ACTUAL_START), cells.moment(Column.ACTUAL_FINISH)
    if actual_finish is not None and cells.is_blank(Column.ACTUAL_START):
        cells.fail(Column.ACTUAL_FINISH, "an actual finish needs an actual start")
    elif actual_finish is not None and actual_start is not None and actual_finish < actual_start:
        cells.fail(Column.ACTUAL_FINISH, f"{show(actual_finish)} is before the actual start {show(actual_start)}")
    percent = cells.percent(Column.PERCENT_COMPLETE)
    remaining = cells.duration(Column.REMAINING, conversion, allow_elapsed=False)
    return {
        "actual_start": actual_start,
        "actual_finish": actual_finish,
        "percent_complete": 0.0 if percent is None else percent,
        "remaining_duration_minutes": None if remaining is None else remaining.minutes,
    }


def _predecessors(cells: RowCells, conversion: Conversion) -> list[tuple[str, PredecessorText]]:
    found = []
    for piece in split_predecessors(cells.text(Column.PREDECESSORS)):
        parsed = parse_predecessor(piece, conversion)
        if parsed is None:
            cells.fail(Column.PREDECESSORS, f"'{piece}' is not a predecessor like 12, 12SS or 12FS+2d")
        else:
            found.append((piece, parsed))
    return found


def _read_row(cells: RowCells, conversion: Conversion) -> _ActivityRow:
    if cells.is_blank(Column.NAME):
        cells.fail(Column.NAME, "empty; every activity needs a name")
    constraint_type, constraint_date = _constraint(cells)
    active = cells.flag(Column.ACTIVE)
    values: dict[str, object] = {
        "constraint_type": constraint_type,
        "constraint_date": constraint_date,
        "deadline": cells.moment(Column.DEADLINE),
        "start": cells.moment(Column.START),
        "finish": cells.moment(Column.FINISH),
        "cost": cells.money(Column.COST),
        "notes": cells.text(Column.NOTES, strip=False),
        "is_manually_scheduled": cells.flag(Column.MANUAL) or False,
        "is_active": active is not False,
        **_progress(cells, conversion),
    }
    return _ActivityRow(
        cells=cells,
        uid=cells.whole_number(Column.ID, minimum=0),
        name=cells.text(Column.NAME, strip=False),
        wbs_code=cells.text(Column.WBS),
        given_level=cells.whole_number(Column.OUTLINE_LEVEL, minimum=1),
        duration=cells.duration(Column.DURATION, conversion),
        is_milestone=cells.flag(Column.MILESTONE),
        predecessors=_predecessors(cells, conversion),
        values=values,
    )


def _assign_uids(rows: list[_ActivityRow], has_id_column: bool) -> None:
    if not has_id_column:
        for position, row in enumerate(rows, start=1):
            row.uid = position
        return
    first_row: dict[int, int] = {}
    for row in rows:
        if row.uid is None:
            continue
        if row.uid in first_row:
            row.cells.fail(Column.ID, f"{row.uid} is also the ID of row {first_row[row.uid]}")
            row.uid = None
        else:
            first_row[row.uid] = row.cells.number
    following = max(first_row, default=0) + 1
    for row in rows:
        if row.uid is None and row.cells.is_blank(Column.ID):
            row.uid, following = following, following + 1


def _outline_from_levels(rows: list[_ActivityRow]) -> None:
    stack: list[_ActivityRow] = []  # the open rows, one per level
    for row in rows:
        level = row.given_level
        if level is None:  # blank (or bad, and reported): a sibling of the row above
            level = max(len(stack), 1)
        elif level > len(stack) + 1:
            if stack:
                message = f"{level} is more than one level below the row above (level {len(stack)})"
            else:
                message = f"{level}: the first row must be at level 1"
            row.cells.fail(Column.OUTLINE_LEVEL, message)
            level = len(stack) + 1
        del stack[level - 1 :]
        row.level, row.parent = level, stack[-1] if stack else None
        stack.append(row)


def _outline_from_wbs(rows: list[_ActivityRow]) -> None:
    by_code: dict[str, _ActivityRow] = {}
    for row in rows:
        code = row.wbs_code
        if not code:
            row.cells.fail(Column.WBS, "empty, but other rows have WBS codes (the outline comes from them)")
            continue
        if code in by_code:
            row.cells.fail(Column.WBS, f"'{code}' is also the WBS of row {by_code[code].cells.number}")
            continue
        by_code[code] = row
        parent_code = code.rpartition(".")[0]
        if not parent_code:
            continue
        parent = by_code.get(parent_code)
        if parent is None:
            row.cells.fail(Column.WBS, f"'{code}' sits under '{parent_code}', but no row above has WBS {parent_code}")
        else:
            row.level, row.parent = parent.level + 1, parent


def _outline(rows: list[_ActivityRow], columns: dict[str, int]) -> None:
    """Levels and parents from Outline level, else WBS codes, else all at the top; then the summaries
    and the WBS codes of rows without one (their outline numbers)."""
    if any(not row.cells.is_blank(Column.OUTLINE_LEVEL) for row in rows):
        _outline_from_levels(rows)
    elif header_key(Column.WBS) in columns and any(row.wbs_code for row in rows):
        _outline_from_wbs(rows)
    children: dict[_ActivityRow | None, int] = {}  # rows so far under each parent (None: the top level)
    numbers: dict[_ActivityRow, str] = {}
    for row in rows:
        children[row.parent] = children.get(row.parent, 0) + 1
        prefix = ""
        if row.parent is not None:
            row.parent.is_summary = True
            prefix = f"{numbers[row.parent]}."
        numbers[row] = f"{prefix}{children[row.parent]}"
        if not row.wbs_code:
            row.wbs_code = numbers[row]


def _check_durations(rows: list[_ActivityRow]) -> None:
    for row in rows:
        cells = row.cells
        if row.duration is None and cells.is_blank(Column.DURATION):
            if row.is_summary or row.is_milestone:
                row.duration = TimeAmount(0)
            else:
                cells.fail(Column.DURATION, "empty; give the duration in working days (0 for a milestone)")
        if row.duration is None:
            continue
        if row.is_milestone is None:
            row.is_milestone = row.duration.minutes == 0 and not row.is_summary
        elif row.is_milestone and row.duration.minutes > 0:
            cells.fail(
                Column.MILESTONE,
                f"yes, but {Column.DURATION} is {show(cells.value(Column.DURATION))}; a milestone takes no time "
                "(make the duration 0, or set Milestone to no)",
            )


def _links(rows: list[_ActivityRow]) -> list[PlanLink]:
    uids = {row.uid for row in rows if row.uid is not None}
    links = []
    for row in rows:
        listed: set[int] = set()
        for piece, predecessor in row.predecessors:
            if predecessor.uid not in uids:
                row.cells.fail(Column.PREDECESSORS, f"{predecessor.uid} is not the ID of any row")
            elif predecessor.uid == row.uid:
                message = f"'{piece}' names the row itself; a row cannot be its own predecessor"
                row.cells.fail(Column.PREDECESSORS, message)
            elif predecessor.uid in listed:
                row.cells.fail(Column.PREDECESSORS, f"{predecessor.uid} is listed more than once")
            elif row.uid is not None:
                listed.add(predecessor.uid)
                lag = predecessor.lag
                links.append(
                    PlanLink(
                        predecessor.uid,
                        row.uid,
                        predecessor.link_type,
                        lag_minutes=lag.minutes,
                        lag_is_elapsed=lag.is_elapsed,
                        lag_percent=lag.percent,
                        lag_unit=lag.unit,
                    )
                )
    return links


def _activity(row: _ActivityRow) -> PlanActivity:
    duration = row.duration or TimeAmount(0)
    return PlanActivity(
        uid=row.uid,  # type: ignore[arg-type]
        name=row.name,
        wbs_code=row.wbs_code,
        outline_level=row.level,
        parent_uid=None if row.parent is None else row.parent.uid,
        duration_minutes=duration.minutes,
        duration_is_elapsed=duration.is_elapsed,
        duration_unit=duration.unit,
        is_milestone=bool(row.is_milestone),
        is_summary=row.is_summary,
        **row.values,  # type: ignore[arg-type]
    )


def _sort_key(names: list[str]) -> Callable[[WorkbookProblem], tuple[int, int, int]]:
    """Problems in workbook order: by sheet, row, then column in the template's order."""
    columns = [header_key(column) for column in ActivityColumn]
    sheets = [header_key(name) for name in names]

    def key(problem: WorkbookProblem) -> tuple[int, int, int]:
        sheet = sheets.index(header_key(problem.sheet)) if header_key(problem.sheet) in sheets else len(sheets)
        column = header_key(problem.column)
        return sheet, problem.row or 0, columns.index(column) if column in columns else len(columns)

    return key


def _project_start(
    settings: ProjectSettings, project_start: datetime | None, rows: list[_ActivityRow]
) -> datetime | None:
    if settings.project_start is not None:
        return settings.project_start
    if project_start is not None:
        return project_start
    moments = [row.values[name] for row in rows for name in ("start", "actual_start")]
    return min((moment for moment in moments if isinstance(moment, datetime)), default=None)


def read_plan_xlsx(
    data: bytes,
    *,
    project_start: datetime | None = None,
    maximum_rows: int = MAXIMUM_ROWS,
    maximum_file_bytes: int = MAXIMUM_FILE_BYTES,
    maximum_uncompressed_bytes: int = MAXIMUM_UNCOMPRESSED_BYTES,
) -> Plan:
    """The plan in the .xlsx workbook ``data`` (the template of :func:`write_plan_xlsx`, or one made
    by hand with at least Name and Duration (days)); see the module docstring for the rules.

    ``project_start`` is used when the workbook gives none; the limits bound the rows per sheet and
    the file's size, packed and unpacked (bytes). Raises :class:`PlanWorkbookError` (a
    :class:`~pmo_engine.formats.errors.FileFormatError`) listing every problem, in ``problems``
    too. O(cells).
    """
    limits = Limits(maximum_rows, maximum_file_bytes, maximum_uncompressed_bytes)
    names, sheets = read_sheets(data, limits, _is_plan_sheet)
    by_name = {header_key(sheet.name): sheet for sheet in sheets}
    activities_sheet = by_name.get(header_key(ACTIVITIES_SHEET))
    if activities_sheet is None:
        raise PlanWorkbookError(
            f"The workbook has no sheet named '{ACTIVITIES_SHEET}' (its sheets: {', '.join(names) or 'none'}); "
            f"put the activities on a sheet of that name, one per row, below a header row."
        )
    columns = _activity_columns(activities_sheet)
    problems: list[WorkbookProblem] = []
    _near_misses(activities_sheet, columns, problems)
    settings = read_project(by_name.get(header_key(PROJECT_SHEET)), problems)
    calendar = read_calendar(by_name.get(header_key(EXCEPTIONS_SHEET)), settings, problems)
    conversion = settings.conversion
    rows = [_read_row(row_cells(activities_sheet, row, columns, problems), conversion) for row in activities_sheet.rows]
    if not rows:
        problems.append(WorkbookProblem(None, "", "no activity rows below the headers"))
    _assign_uids(rows, header_key(Column.ID) in columns)
    _outline(rows, columns)
    _check_durations(rows)
    links = _links(rows)
    uids = {row.uid for row in rows if row.uid is not None}
    baselines: list[PlanBaseline] = []
    for sheet in sheets:
        if baseline_number(sheet.name) is not None:
            baselines += read_baselines(sheet, uids, conversion, problems)
    start = _project_start(settings, project_start, rows)
    if start is None:
        message = "no project start: add a 'Project start' row (or give the activities Start dates)"
        problems.append(WorkbookProblem(None, "", message, PROJECT_SHEET))
    if problems:
        raise PlanWorkbookError.from_problems(sorted(problems, key=_sort_key(names)))
    position = {row.uid: index for index, row in enumerate(rows)}
    try:
        return Plan(
            name=settings.name,
            project_start=start,  # type: ignore[arg-type]
            status_date=settings.status_date,
            default_calendar_key=PROJECT_CALENDAR_KEY,
            calendars=(calendar,),
            activities=tuple(_activity(row) for row in rows),
            links=tuple(links),
            baselines=tuple(sorted(baselines, key=lambda line: (position[line.activity_uid], line.number))),
            minutes_per_day=settings.minutes_per_day,
            minutes_per_week=settings.minutes_per_week,
            days_per_month=settings.days_per_month,
            currency_code=settings.currency_code,
            notes=settings.notes,
        )
    except InvalidInput as error:
        raise PlanWorkbookError(f"The plan in the workbook is not consistent: {error.message}") from None
