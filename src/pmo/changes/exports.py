"""The change register as an Excel workbook: one row per change request the user may see.

Text a spreadsheet would take for a formula is written with Excel's quote prefix, so that
opening the file never runs it."""

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADERS = (
    "project",
    "reference",
    "title",
    "status",
    "raised_on",
    "requested_by",
    "cost_impact",
    "computed_cost_delta",
    "time_impact_days",
    "delay_days",
    "finish_before",
    "finish_after",
    "required_board",
    "risk_level",
    "decided_on",
    "decision_reason",
)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _row(change) -> list:
    def local(moment):
        return moment.replace(tzinfo=None) if moment else None

    return [
        change.project.code,
        change.reference,
        change.title,
        change.get_status_display(),
        change.raised_on,
        str(change.requested_by) if change.requested_by_id else "",
        change.cost_impact,
        change.computed_cost_delta,
        change.time_impact_days,
        change.delay_days,
        local(change.finish_before),
        local(change.finish_after),
        change.get_required_board_display(),
        change.get_risk_level_display(),
        change.decided_at.date() if change.decided_at else None,
        change.decision_reason,
    ]


def change_register_workbook(changes) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Change register"
    sheet.append(HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for change in changes:
        sheet.append(_row(change))
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
                cell.data_type = "s"
                cell.quotePrefix = True
    for column, width in zip(
        "ABCDEFGHIJKLMNOP", (10, 8, 40, 12, 12, 22, 14, 14, 10, 10, 18, 18, 16, 8, 12, 40), strict=True
    ):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    output = BytesIO()
    book.save(output)
    return output.getvalue()
