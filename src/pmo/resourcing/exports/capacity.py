"""Capacity as Excel workbooks: the heatmap, the utilisation report, the skill gaps and one
person's demand period by period.

Every workbook opens with an "About" sheet naming the horizon, the scope and the threshold.
Text is always written as text, so a name starting with ``=``, ``+``, ``-`` or ``@`` never becomes
a formula (no spreadsheet injection). Hours are numbers with two decimals; utilisation is a
percentage number (150 means 150 %); a period with demand but no capacity says "no capacity".
Workbooks are written in openpyxl's write-only mode so that 5,000 people x 104 weeks stays quick.
"""

from collections.abc import Iterable, Sequence
from datetime import date
from io import BytesIO

import numpy as np
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from pmo.resourcing.selectors.capacity import (
    RECOMMENDATIONS,
    CapacityView,
    CellBreakdown,
    CourseSuggestion,
    HeatmapRow,
    TotalsRow,
)
from pmo_engine.capacity import HOURS_TOLERANCE, SkillGap

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NO_CAPACITY = "no capacity"
DATE_FORMAT = "yyyy-mm-dd"
MAXIMUM_CELL_CHARACTERS = 32_767
_BOLD = Font(bold=True)


def _text(sheet: WriteOnlyWorksheet, value: str, *, bold: bool = False) -> WriteOnlyCell:
    """A text cell that stays text: never a formula, whatever it starts with."""
    cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", str(value))[:MAXIMUM_CELL_CHARACTERS])
    cell.data_type = "s"
    if bold:
        cell.font = _BOLD
    return cell


def _date(sheet: WriteOnlyWorksheet, day: date, *, bold: bool = False) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=day)
    cell.number_format = DATE_FORMAT
    if bold:
        cell.font = _BOLD
    return cell


def _value(sheet: WriteOnlyWorksheet, value):
    if isinstance(value, str):
        return _text(sheet, value)
    if isinstance(value, date):
        return _date(sheet, value)
    if isinstance(value, float):
        return round(value, 2)
    return value


def _row(sheet: WriteOnlyWorksheet, values: Iterable) -> None:
    sheet.append([_value(sheet, value) for value in values])


def _header(sheet: WriteOnlyWorksheet, values: Iterable[str]) -> None:
    sheet.append([_text(sheet, value, bold=True) for value in values])


def _percent(utilisation: float | None, demand_hours: float):
    if utilisation is None:
        return NO_CAPACITY if demand_hours > HOURS_TOLERANCE else None
    return round(100 * utilisation, 1)


def _about(book: Workbook, view: CapacityView, title: str, extra: Sequence[tuple[str, object]] = ()) -> None:
    sheet = book.create_sheet("About")
    sheet.column_dimensions["A"].width = 24
    sheet.column_dimensions["B"].width = 40
    grid = view.grid
    _row(sheet, [title])
    for label, value in (
        ("First day", grid.start),
        ("Last day", date.fromordinal(grid.end.toordinal() - 1)),
        ("Periods", f"{grid.periods} {grid.kind.value}(s)"),
        ("Unit", view.scope_unit_name),
        ("Skill", view.skill_name(view.scope_skill_key) if view.scope_skill_key else "Any skill"),
        ("Overloaded above (%)", round(100 * view.threshold)),
        *extra,
    ):
        _row(sheet, [label, value])


def _save(book: Workbook) -> bytes:
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _heatmap_matrices(view: CapacityView, order: np.ndarray, rows_are: str, level: int):
    """Names, second column, utilisation (% or "no capacity"), demand and capacity hours of the
    rows in ``order``, straight from the engine's arrays."""
    result = view.result
    if rows_are == "people":
        capacity, demand = result.capacity_hours[order], result.demand_hours[order]
        names = [view.names[row] for row in order.tolist()]
        seconds = [view.unit_name(view.info(row).unit_key) for row in order.tolist()]
    else:
        load = result.by_skill
        capacity, demand = load.capacity_hours[order, level - 1], load.demand_hours[order, level - 1]
        names = [view.skill_name(load.skill_keys[row]) for row in order.tolist()]
        seconds = load.holder_counts[order, level - 1].tolist()
    has_capacity = capacity > HOURS_TOLERANCE
    with np.errstate(divide="ignore", invalid="ignore"):
        percent = np.round(100 * demand / np.where(has_capacity, capacity, 1), 1).astype(object)
    percent[~has_capacity] = None
    percent[~has_capacity & (demand > HOURS_TOLERANCE)] = NO_CAPACITY
    return names, seconds, percent, np.round(demand, 2), np.round(capacity, 2)


def heatmap_workbook(view: CapacityView, order: np.ndarray, *, rows_are: str = "people", level: int = 1) -> bytes:
    """Sheets Utilisation (%), Demand hours and Capacity hours, one row per person (or skill, at
    ``level``) in the order of ``order`` (row indices of the result) and one column per period;
    the demand sheet of people ends with the unassigned demand of the scope."""
    book = Workbook(write_only=True)
    _about(book, view, "Capacity heatmap", [("Rows", rows_are)])
    label = ["Person", "Unit"] if rows_are == "people" else ["Skill", "Holders"]
    names, seconds, percent, demand, capacity = _heatmap_matrices(
        view, np.asarray(order, dtype=np.int64), rows_are, level
    )
    for title, values in (("Utilisation (%)", percent), ("Demand hours", demand), ("Capacity hours", capacity)):
        sheet = book.create_sheet(title)
        sheet.freeze_panes = "C2"
        sheet.column_dimensions["A"].width = 28
        sheet.column_dimensions["B"].width = 22
        headers = [_text(sheet, name, bold=True) for name in label]
        sheet.append([*headers, *(_date(sheet, day, bold=True) for day in view.period_starts)])
        for name, second, numbers in zip(names, seconds, values.tolist(), strict=True):
            sheet.append([_text(sheet, name), _value(sheet, second), *numbers])
        if title == "Demand hours" and rows_are == "people":
            unassigned = np.round(view.result.unassigned_demand_hours, 2).tolist()
            sheet.append([_text(sheet, "Unassigned demand (generic roles)"), None, *unassigned])
    return _save(book)


def utilisation_workbook(view: CapacityView, people: Sequence[TotalsRow], units: Sequence[TotalsRow]) -> bytes:
    """Sheets People and Units: capacity, demand and billable hours over the horizon, utilisation
    and billable utilisation (%), and the periods overloaded."""
    book = Workbook(write_only=True)
    _about(book, view, "Utilisation report")
    for title, rows, first in (("People", people, ["Person", "Unit"]), ("Units", units, ["Unit", "People"])):
        sheet = book.create_sheet(title)
        sheet.column_dimensions["A"].width = 28
        sheet.column_dimensions["B"].width = 22
        _header(
            sheet,
            [
                *first,
                "Capacity hours",
                "Demand hours",
                "Billable hours",
                "Utilisation (%)",
                "Billable utilisation (%)",
                "Periods overloaded",
            ],
        )
        for row in rows:
            second = row.unit_name if title == "People" else row.people
            _row(
                sheet,
                [
                    row.name,
                    second,
                    row.capacity_hours,
                    row.demand_hours,
                    row.billable_hours,
                    _percent(row.utilisation, row.demand_hours),
                    _percent(row.billable_utilisation, row.billable_hours),
                    row.overloaded_periods,
                ],
            )
    return _save(book)


def skill_gaps_workbook(
    view: CapacityView,
    gaps: Sequence[SkillGap],
    courses: dict[int, list[CourseSuggestion]],
    skill_rows: Sequence[HeatmapRow],
) -> bytes:
    """Sheets Skill gaps (one row per gap run: when, how big, the recommendation and its reason,
    the courses that teach the skill at the level) and Demand and capacity (per skill and period)."""
    book = Workbook(write_only=True)
    _about(book, view, "Skill gaps")
    sheet = book.create_sheet("Skill gaps")
    sheet.column_dimensions["A"].width = 24
    sheet.column_dimensions["L"].width = 80
    _header(
        sheet,
        [
            "Skill",
            "First day",
            "Periods",
            "Weeks",
            "Open-ended",
            "Level needed",
            "Gap hours",
            "Peak gap hours",
            "Gap hours a week",
            "Full-time equivalents",
            "Recommendation",
            "Why",
            "Suggested courses",
        ],
    )
    for gap in gaps:
        suggested = courses.get(int(gap.skill_key), [])
        _row(
            sheet,
            [
                view.skill_name(gap.skill_key),
                gap.first_period_start,
                gap.periods,
                round(gap.weeks, 1),
                "Yes" if gap.is_open_ended else "No",
                gap.required_level,
                gap.total_gap_hours,
                gap.peak_gap_hours,
                gap.mean_gap_hours_per_week,
                round(gap.full_time_equivalents, 2),
                RECOMMENDATIONS.get(gap.recommendation.value, gap.recommendation.value),
                view.gap_reason(gap),
                "; ".join(f"{course.name} ({course.provider}, level {course.level})" for course in suggested),
            ],
        )
    detail = book.create_sheet("Demand and capacity")
    detail.column_dimensions["A"].width = 24
    detail.append(
        [
            *(_text(detail, name, bold=True) for name in ("Skill", "Hours")),
            *(_date(detail, day, bold=True) for day in view.period_starts),
        ]
    )
    for row in skill_rows:
        _row(detail, [row.name, "Demand", *(cell.demand_hours for cell in row.cells)])
        _row(detail, [row.name, "Capacity of holders", *(cell.capacity_hours for cell in row.cells)])
    return _save(book)


def person_demand_workbook(view_name: str, breakdowns: Sequence[CellBreakdown], about: Sequence[tuple]) -> bytes:
    """One person's (or the unassigned) periods: a Periods sheet (capacity, demand, utilisation)
    and a Demand sheet with every assignment and allocation in each period."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("About")
    _row(sheet, [f"Demand of {view_name}"])
    for label, value in about:
        _row(sheet, [label, value])
    periods = book.create_sheet("Periods")
    _header(periods, ["First day", "Last day", "Capacity hours", "Demand hours", "Utilisation (%)", "Overloaded"])
    for cell in breakdowns:
        _row(
            periods,
            [
                cell.period_start,
                cell.period_end,
                cell.capacity_hours,
                cell.demand_hours,
                _percent(cell.utilisation, cell.demand_hours) if cell.resource_id is not None else None,
                "Yes" if cell.is_overloaded else "No",
            ],
        )
    lines = book.create_sheet("Demand")
    lines.column_dimensions["C"].width = 36
    lines.column_dimensions["D"].width = 44
    _header(lines, ["First day", "Last day", "Project", "Work", "From", "Hours", "Billable"])
    for cell in breakdowns:
        for line in cell.lines:
            _row(
                lines,
                [
                    cell.period_start,
                    cell.period_end,
                    line.project,
                    line.label,
                    line.source.title(),
                    line.hours,
                    "Yes" if line.is_billable else "No",
                ],
            )
    return _save(book)
