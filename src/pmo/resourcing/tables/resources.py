"""Columns of the resource and skill lists."""

from pmo.core.tables import Column

RESOURCE_COLUMNS = [
    Column("Name", "name", "name", link=True),
    Column("Kind", "get_kind_display", "kind"),
    Column("Unit", "unit", "unit__name"),
    Column("Employment", "get_employment_type_display", "employment_type"),
    Column("Hours a week", "weekly_hours", css_class="num"),
    Column("Contract end", "contract_end", "contract_end"),
]
SKILL_COLUMNS = [
    Column("Name", "name", "name", link=True),
    Column("Category", "category", "category"),
    Column("Holders", "holder_count", "holder_count", css_class="num"),
]
