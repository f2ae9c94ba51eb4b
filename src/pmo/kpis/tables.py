"""Columns of the KPI list pages."""

from pmo.core.tables import Column

KPI_COLUMNS = [
    Column("Code", "code", "code", link=True),
    Column("Name", "name", "name"),
    Column("Level", "get_level_display", "level"),
    Column("For", "scope_label"),
    Column("Formula", "formula"),
    Column("Target", "target", "target", css_class="num"),
    Column("Direction", "get_direction_display", "direction"),
    Column("Frequency", "get_frequency_display", "frequency"),
    Column("Active", "is_active", "is_active"),
]
