"""Columns of the portfolio list pages."""

from pmo.core.tables import Column

OBJECTIVE_COLUMNS = [
    Column("Code", "code", "code", link=True),
    Column("Objective", "name", "name", link=True),
    Column("Weight", "weight", "weight", css_class="num"),
    Column("Owner", "owner", "owner__full_name"),
    Column("Active from", "active_from", "active_from"),
    Column("Active to", "active_to", "active_to"),
]
PORTFOLIO_COLUMNS = [
    Column("Code", "code", "code", link=True),
    Column("Portfolio", "name", "name", link=True),
    Column("Manager", "manager", "manager__full_name"),
    Column("Projects", "project_count", "project_count", css_class="num"),
]
PROGRAMME_COLUMNS = [
    Column("Code", "code", "code", link=True),
    Column("Programme", "name", "name", link=True),
    Column("Portfolio", "portfolio", "portfolio__name"),
    Column("Manager", "manager", "manager__full_name"),
    Column("SRO", "sro", "sro__full_name"),
]
PROJECT_COLUMNS = [
    Column("Code", "code", "code", link=True),
    Column("Project", "name", "name", link=True),
    Column("Programme", "programme", "programme__name"),
    Column("Stage", "get_stage_display", "stage"),
    Column("RAG", "rag", "rag", css_class="rag"),
    Column("Manager", "manager", "manager__full_name"),
    Column("Planned finish", "planned_finish", "planned_finish"),
    Column("Budget", "budget", "budget", css_class="num"),
]
DEPENDENCY_COLUMNS = [
    Column("Needs", "dependent.code", "dependent__code"),
    Column("Output", "output", "output", link=True),
    Column("From", "provider.code", "provider__code"),
    Column("Needed by", "needed_by", "needed_by"),
    Column("Status", "get_status_display", "status"),
]
