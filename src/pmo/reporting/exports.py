"""Exports of highlight reporting: a report or a pack as a PDF (WeasyPrint, A4, page numbers in
the footer, never a remote resource) and a pack as an Excel workbook (openpyxl)."""

from io import BytesIO

from django.template.loader import render_to_string
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from pmo.reporting.facts import report_section
from pmo.reporting.models import HighlightReport, ReportPack

PDF_CONTENT_TYPE = "application/pdf"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
RAG_FILLS = {"red": "F4C7C3", "amber": "FCE8B2", "green": "B7E1CD"}


class LocalOnlyFetcher(URLFetcher):
    """Refuses every resource that is not inside the document itself (``data:`` URLs): a report
    never reaches out to the network or reads the server's files. The refused URLs are kept."""

    def __init__(self, **kwargs):
        super().__init__(allowed_protocols={"data"}, **kwargs)
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        if not url.startswith("data:"):
            self.refused.append(url)
            raise ValueError(f"Refused to fetch {url!r}: reports use no resources from outside the document.")
        return super().fetch(url, headers)


def render_pdf(html: str, fetcher: LocalOnlyFetcher | None = None) -> bytes:
    return HTML(string=html, base_url=None, url_fetcher=fetcher or LocalOnlyFetcher()).write_pdf()


def report_pdf(report: HighlightReport) -> bytes:
    """One report: a cover page, then the report."""
    section = report_section(report)
    html = render_to_string("reporting/pdf/report.html", {"section": section})
    return render_pdf(html)


def pack_pdf(pack: ReportPack) -> bytes:
    """A pack: a cover page, the summary table, then one section per approved report."""
    html = render_to_string("reporting/pdf/pack.html", {"pack": pack, "content": pack.content or {}})
    return render_pdf(html)


def _fmt(value, digits: int = 2):
    return None if value is None else round(float(value), digits)


def pack_workbook(pack: ReportPack) -> bytes:
    """The pack as a workbook: a summary sheet (one row per project) and a sheet of the
    narrative of each approved report."""
    content = pack.content or {}
    dimensions = content.get("dimensions") or []
    book = Workbook()
    sheet = book.active
    sheet.title = "Summary"
    sheet.append([content.get("title", pack.title)])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([f"Period {content.get('period', pack.period_label)}; reports due {content.get('due_on', '')}"])
    headers = [
        "Project",
        "Name",
        "Manager",
        "Report status",
        "Late",
        "Overall RAG",
        *[d["label"] for d in dimensions],
        "SPI",
        "CPI",
        "Percent complete",
        "Next milestone",
        "Milestone date",
    ]
    sheet.append(headers)
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    for row in content.get("summary") or []:
        rags = row.get("rags") or {}
        values = [
            row["project_code"],
            row["project_name"],
            row["manager"],
            row["status_label"],
            "yes" if row.get("is_late") else "no",
            row.get("rag_overall") or "",
            *[rags.get(d["value"], "") for d in dimensions],
            _fmt(row.get("spi")),
            _fmt(row.get("cpi")),
            _fmt(row.get("percent_complete"), 1),
            (row.get("next_milestone") or {}).get("name", ""),
            (row.get("next_milestone") or {}).get("date", ""),
        ]
        sheet.append(values)
        for column in range(6, 7 + len(dimensions)):
            cell = sheet.cell(row=sheet.max_row, column=column)
            if cell.value in RAG_FILLS:
                cell.fill = PatternFill("solid", fgColor=RAG_FILLS[cell.value])
    for index, width in enumerate([14, 34, 22, 14, 6, 12, *[12] * len(dimensions), 8, 8, 10, 30, 14], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A4"

    narrative = book.create_sheet("Narrative")
    narrative.append(
        [
            "Project",
            "Period",
            "Overall RAG",
            "Summary",
            "Achievements this period",
            "Planned next period",
            "Issues and risks",
            "Decisions needed",
            "RAG justification",
        ]
    )
    for cell in narrative[1]:
        cell.font = Font(bold=True)
    for section in content.get("sections") or []:
        narrative.append(
            [
                section["project_code"],
                section["period"],
                section["rag_overall"],
                section["summary"],
                section["achievements"],
                section["next_steps"],
                section["risks_commentary"],
                section["decisions_needed"],
                section["rag_justification"],
            ]
        )
    for index, width in enumerate([14, 12, 12, 50, 50, 50, 50, 40, 40], start=1):
        narrative.column_dimensions[get_column_letter(index)].width = width
    for row in narrative.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
