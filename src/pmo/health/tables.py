"""Columns of the health list."""

from pmo.core.tables import Column

HEALTH_COLUMNS = [
    Column("Project", "project.code", "project__code", link=True),
    Column("Name", "project.name", "project__name"),
    Column("Portfolio", "project.portfolio.code", "project__portfolio__code"),
    Column("Week ending", "period_end", "period_end"),
    Column("Overall", "overall", "overall", css_class="status"),
    Column("Schedule", "schedule", "schedule", css_class="status"),
    Column("Cost", "cost", "cost", css_class="status"),
    Column("Scope", "scope", "scope", css_class="status"),
    Column("Risk", "risk", "risk", css_class="status"),
    Column("Resources", "resources", "resources", css_class="status"),
    Column("Governance", "governance", "governance", css_class="status"),
]
