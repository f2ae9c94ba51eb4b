"""Columns of the highlight reporting list pages."""

from pmo.core.tables import Column

REPORT_COLUMNS = [
    Column("Project", "project.code", "project__code"),
    Column("Period", "period_label", "period_start", link=True),
    Column("Status", "get_status_display", "status"),
    Column("Overall RAG", "get_rag_overall_display", "rag_overall"),
    Column("Submitted", "submitted_at", "submitted_at"),
    Column("Reviewed", "reviewed_at", "reviewed_at"),
]
PACK_COLUMNS = [
    Column("Title", "title", "title", link=True),
    Column("Portfolio", "portfolio.code", "portfolio__code"),
    Column("Programme", "programme.code", "programme__code"),
    Column("Period", "period_label", "period_start"),
    Column("Status", "get_status_display", "status"),
]
