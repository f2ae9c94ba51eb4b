"""State changes of governance, one module per area. Every function is atomic, checks permission
inside its transaction and writes audit events; other apps call the names exported here."""

from pmo.governance.services.actions import (
    cancel_action,
    complete_action,
    create_action,
    reopen_action,
    update_action,
)
from pmo.governance.services.decisions import record_decision, update_decision
from pmo.governance.services.notifications import mark_read, notify, users_with_role
from pmo.governance.services.raid import (
    add_response_action,
    create_assumption,
    create_dependency,
    create_entry,
    create_issue,
    create_risk,
    deescalate_entry,
    escalate_entry,
    record_every_exposure,
    record_exposure,
    update_assumption,
    update_dependency,
    update_entry,
    update_escalation_rule,
    update_issue,
    update_risk,
    update_risk_scale,
)
from pmo.governance.services.reminders import remind_due_actions

__all__ = [
    "add_response_action",
    "cancel_action",
    "complete_action",
    "create_action",
    "create_assumption",
    "create_dependency",
    "create_entry",
    "create_issue",
    "create_risk",
    "deescalate_entry",
    "escalate_entry",
    "mark_read",
    "notify",
    "record_decision",
    "record_every_exposure",
    "record_exposure",
    "remind_due_actions",
    "reopen_action",
    "update_action",
    "update_assumption",
    "update_decision",
    "update_dependency",
    "update_entry",
    "update_escalation_rule",
    "update_issue",
    "update_risk",
    "update_risk_scale",
    "users_with_role",
]
