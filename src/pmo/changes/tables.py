"""Columns of the change control list pages."""

from pmo.core.tables import Column

CHANGE_COLUMNS = [
    Column("Project", "project.code", "project__code"),
    Column("Ref", "reference", "number"),
    Column("Title", "title", "title", link=True),
    Column("Status", "get_status_display", "status"),
    Column("Raised on", "raised_on", "raised_on"),
    Column("Delay (days)", "delay_days", "delay_days", css_class="num"),
    Column("Cost impact", "cost_impact", "cost_impact", css_class="num"),
    Column("Board", "get_required_board_display", "required_board"),
    Column("Risk", "get_risk_level_display", "risk_level"),
]
ITEM_COLUMNS = [
    Column("Project", "project.code", "project__code"),
    Column("Identifier", "identifier", "identifier", link=True),
    Column("Name", "name", "name"),
    Column("Kind", "get_kind_display", "kind"),
    Column("Version", "version", "version"),
    Column("Status", "get_status_display", "status"),
    Column("Owner", "owner", "owner__full_name"),
]
REVIEW_COLUMNS = [
    Column("Project", "project.code", "project__code"),
    Column("Title", "title", "title", link=True),
    Column("Subject", "subject"),
    Column("Planned on", "planned_on", "planned_on"),
    Column("Held on", "held_on", "held_on"),
    Column("Result", "get_result_display", "result"),
]
POLICY_COLUMNS = [
    Column("Applies to", "scope_label", link=True),
    Column("Cost limit", "cost_limit", "cost_limit", css_class="num"),
    Column("Delay limit (days)", "delay_days_limit", "delay_days_limit", css_class="num"),
]
