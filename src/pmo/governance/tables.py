"""Columns of the register lists."""

from pmo.core.tables import Column

REGISTER = Column("Register", "register")

RISK_COLUMNS = [
    Column("Ref.", "reference", "id", link=True),
    Column("Risk", "title", "title", link=True),
    REGISTER,
    Column("Kind", "get_nature_display", "nature"),
    Column("P", "probability", "probability", css_class="num"),
    Column("I", "impact", "impact", css_class="num"),
    Column("Score", "score", "score", css_class="num"),
    Column("Residual", "residual_score", "residual_score", css_class="num"),
    Column("Response", "get_response_display", "response"),
    Column("Owner", "owner", "owner__full_name"),
    Column("Proximity", "proximity_label"),
    Column("Status", "get_status_display", "status"),
]
ASSUMPTION_COLUMNS = [
    Column("Ref.", "reference", "id", link=True),
    Column("Assumption", "title", "title", link=True),
    REGISTER,
    Column("Owner", "owner", "owner__full_name"),
    Column("Validate by", "validate_by", "validate_by"),
    Column("Status", "get_status_display", "status"),
]
ISSUE_COLUMNS = [
    Column("Ref.", "reference", "id", link=True),
    Column("Issue", "title", "title", link=True),
    REGISTER,
    Column("Priority", "get_priority_display", "priority"),
    Column("Severity", "get_severity_display", "severity"),
    Column("Owner", "owner", "owner__full_name"),
    Column("Due", "due_on", "due_on"),
    Column("Status", "get_status_display", "status"),
]
DEPENDENCY_COLUMNS = [
    Column("Ref.", "reference", "id", link=True),
    Column("Dependency", "title", "title", link=True),
    REGISTER,
    Column("Kind", "get_nature_display", "nature"),
    Column("On", "counterpart"),
    Column("Needed by", "needed_by", "needed_by"),
    Column("Owner", "owner", "owner__full_name"),
    Column("Status", "get_status_display", "status"),
]
DECISION_COLUMNS = [
    Column("Decided on", "decided_on", "decided_on"),
    Column("Decision", "title", "title", link=True),
    REGISTER,
    Column("Body", "body", "body"),
    Column("Decided by", "decided_by", "decided_by__full_name"),
]
ACTION_COLUMNS = [
    Column("Action", "title", "title", link=True),
    REGISTER,
    Column("Owner", "owner", "owner__full_name"),
    Column("Due", "due_on", "due_on"),
    Column("Status", "get_status_display", "status"),
    Column("From", "source_label"),
]
COLUMNS = {
    "risk": RISK_COLUMNS,
    "assumption": ASSUMPTION_COLUMNS,
    "issue": ISSUE_COLUMNS,
    "dependency": DEPENDENCY_COLUMNS,
    "decision": DECISION_COLUMNS,
    "action": ACTION_COLUMNS,
}
