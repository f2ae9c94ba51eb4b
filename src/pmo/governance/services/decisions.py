"""The decision log: decisions recorded by people or by other services (gate decisions, change
board decisions), corrected later if need be; every change audited."""

from collections.abc import Mapping
from datetime import date

from django.db import transaction
from django.utils import timezone

from pmo.core.errors import InvalidData
from pmo.core.models import Person
from pmo.core.services import change_audited, create_audited
from pmo.governance.models import Decision
from pmo.governance.services.registers import checked_locked, register_of, require_change, source_fields

DECISION_FIELDS = ("title", "description", "decided_on", "decided_by", "body")


def _check_decider(person) -> None:
    if person is not None and not isinstance(person, Person):
        raise InvalidData({"decided_by": [f"Decisions are made by a person, not {type(person).__name__}."]})


@transaction.atomic
def record_decision(
    *,
    actor,
    title: str,
    description: str = "",
    decided_on: date | None = None,
    decided_by: Person | None = None,
    body: str = "",
    project=None,
    programme=None,
    portfolio=None,
    source=None,
    reason: str = "",
) -> Decision:
    """Write a decision into a project's, programme's or portfolio's log (decided today unless
    said otherwise). ``actor`` None means the system, inside another audited service."""
    where = register_of(project=project, programme=programme, portfolio=portfolio)
    target = where["project"] or where["programme"] or where["portfolio"]
    require_change(actor, target, "the decision log")
    _check_decider(decided_by)
    decided_on = decided_on or timezone.localdate()
    if isinstance(decided_on, date) and decided_on > timezone.localdate():
        raise InvalidData({"decided_on": [f"A decision cannot be recorded as made on {decided_on}, in the future."]})
    decision = Decision(
        title=(title or "").strip(),
        description=description or "",
        decided_on=decided_on,
        decided_by=decided_by,
        body=(body or "").strip(),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        **where,
        **source_fields(source),
    )
    return create_audited(decision, actor=actor, reason=reason)


@transaction.atomic
def update_decision(*, actor, decision: Decision, changes: Mapping, reason: str = "") -> Decision:
    """Correct a logged decision (what, when, who, which body); the audit trail keeps the original."""
    row = checked_locked(actor, Decision, decision, "the decision log")
    _check_decider(changes.get("decided_by"))
    decided_on = changes.get("decided_on")
    if isinstance(decided_on, date) and decided_on > timezone.localdate():
        raise InvalidData({"decided_on": [f"A decision cannot be recorded as made on {decided_on}, in the future."]})
    return change_audited(row, changes, actor=actor, allowed=DECISION_FIELDS, reason=reason)
