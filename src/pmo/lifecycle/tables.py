"""Columns of the lifecycle list pages."""

from pmo.core.tables import Column

CHARTER_COLUMNS = [
    Column("Version", "version", "version", link=True),
    Column("Status", "get_status_display", "status"),
    Column("PMO model", "get_pmo_model_display", "pmo_model"),
    Column("Published", "published_at", "published_at"),
]
TERMS_COLUMNS = [
    Column("Project", "project", "project__code", link=True),
    Column("Version", "version", "version", link=True),
    Column("Status", "get_status_display", "status"),
    Column("Published", "published_at", "published_at"),
]
STANDARD_COLUMNS = [
    Column("Standard", "title", "title", link=True),
    Column("Version", "version", "version"),
    Column("Status", "get_status_display", "status"),
    Column("Applies to", "applies_to", "applies_to"),
]
CRITERION_COLUMNS = [
    Column("Gate into", "get_stage_display", "stage", link=True),
    Column("Criterion", "text", "text", link=True),
    Column("Evidence", "get_evidence_kind_display", "evidence_kind"),
    Column("Required", "evidence_required", "evidence_required"),
    Column("Order", "order", "order", css_class="num"),
]
REVIEW_COLUMNS = [
    Column("Project", "project", "project__code", link=True),
    Column("Gate", "label", "to_stage", link=True),
    Column("Status", "get_status_display", "status"),
    Column("PMO model", "get_pmo_model_display", "pmo_model"),
    Column("Opened", "created_at", "created_at"),
    Column("Decided", "decided_at", "decided_at"),
]
