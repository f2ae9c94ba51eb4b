"""A register (a project's, programme's or portfolio's) as an Excel workbook: one sheet per kind
of entry, with what the user may see, including the projects' risks and issues escalated to it.

Text a spreadsheet would take for a formula is written with Excel's quote prefix so that opening
the file never runs it.
"""

from datetime import date, datetime
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from pmo.governance import selectors

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="E8ECF4")


def _escalated(entry) -> str:
    return "yes" if getattr(entry, "active_escalations", 0) else ""


SHEETS = {
    "risk": (
        "Risks",
        [
            ("Reference", lambda r: r.reference),
            ("Register", lambda r: str(r.register)),
            ("Title", lambda r: r.title),
            ("Kind", lambda r: r.get_nature_display()),
            ("Category", lambda r: r.category),
            ("Cause", lambda r: r.cause),
            ("Event", lambda r: r.event),
            ("Effect", lambda r: r.effect),
            ("Probability", lambda r: r.probability),
            ("Impact", lambda r: r.impact),
            ("Score", lambda r: r.score),
            ("Proximity", lambda r: r.proximity_on or r.get_proximity_display()),
            ("Owner", lambda r: str(r.owner or "")),
            ("Response", lambda r: r.get_response_display()),
            ("Response plan", lambda r: r.response_plan),
            ("Residual probability", lambda r: r.residual_probability),
            ("Residual impact", lambda r: r.residual_impact),
            ("Residual score", lambda r: r.residual_score),
            ("Status", lambda r: r.get_status_display()),
            ("Escalated", _escalated),
            ("Raised on", lambda r: r.raised_on),
            ("Closed on", lambda r: r.closed_on),
        ],
    ),
    "assumption": (
        "Assumptions",
        [
            ("Reference", lambda a: a.reference),
            ("Register", lambda a: str(a.register)),
            ("Title", lambda a: a.title),
            ("Description", lambda a: a.description),
            ("Owner", lambda a: str(a.owner or "")),
            ("Validate by", lambda a: a.validate_by),
            ("Status", lambda a: a.get_status_display()),
            ("Validated on", lambda a: a.validated_on),
            ("Notes", lambda a: a.notes),
        ],
    ),
    "issue": (
        "Issues",
        [
            ("Reference", lambda i: i.reference),
            ("Register", lambda i: str(i.register)),
            ("Title", lambda i: i.title),
            ("Description", lambda i: i.description),
            ("Priority", lambda i: i.get_priority_display()),
            ("Severity", lambda i: i.get_severity_display()),
            ("Owner", lambda i: str(i.owner or "")),
            ("Due", lambda i: i.due_on),
            ("Status", lambda i: i.get_status_display()),
            ("Resolution", lambda i: i.resolution),
            ("Resolved on", lambda i: i.resolved_on),
            ("Escalated", _escalated),
        ],
    ),
    "dependency": (
        "Dependencies",
        [
            ("Reference", lambda d: d.reference),
            ("Register", lambda d: str(d.register)),
            ("Title", lambda d: d.title),
            ("Kind", lambda d: d.get_nature_display()),
            ("On", lambda d: d.counterpart),
            ("Needed by", lambda d: d.needed_by),
            ("Owner", lambda d: str(d.owner or "")),
            ("Status", lambda d: d.get_status_display()),
        ],
    ),
    "decision": (
        "Decisions",
        [
            ("Decided on", lambda d: d.decided_on),
            ("Register", lambda d: str(d.register)),
            ("Title", lambda d: d.title),
            ("Description", lambda d: d.description),
            ("Body", lambda d: d.body),
            ("Decided by", lambda d: str(d.decided_by or "")),
        ],
    ),
}


def _cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    return value


def register_workbook(user, target, *, filtered: dict | None = None) -> bytes:
    """``target``'s register as ``user`` sees it, one sheet per kind; ``filtered`` maps a kind to
    the rows its sheet holds instead of the whole register (a filtered view of it)."""
    filtered = filtered or {}
    workbook = Workbook()
    workbook.remove(workbook.active)
    for kind, (title, columns) in SHEETS.items():
        sheet = workbook.create_sheet(title)
        sheet.append([header for header, _ in columns])
        for cell in sheet[1]:
            cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
        rows = filtered[kind] if kind in filtered else selectors.register_entries(user, target, kind)
        for entry in rows.order_by("pk"):
            sheet.append([_cell(read(entry)) for _, read in columns])
        for index, (header, _) in enumerate(columns, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = max(12, min(40, len(header) + 6))
            if any(word in header for word in ("on", "by", "Due")):
                for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                    if isinstance(cell.value, date):
                        cell.number_format = "yyyy-mm-dd"
        sheet.freeze_panes = "A2"
    stream = BytesIO()
    workbook.save(stream)
    return stream.getvalue()
