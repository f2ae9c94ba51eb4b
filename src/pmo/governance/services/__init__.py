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

__all__ = [
    "cancel_action",
    "complete_action",
    "create_action",
    "mark_read",
    "notify",
    "record_decision",
    "reopen_action",
    "update_action",
    "update_decision",
    "users_with_role",
]
