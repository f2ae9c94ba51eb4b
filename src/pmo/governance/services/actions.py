"""Actions: created by people or by other services (gate conditions, quality reviews, risk
responses), changed, completed or cancelled; every change audited."""

from collections.abc import Mapping
from datetime import date

from django.db import transaction
from django.utils import timezone

from pmo.core.audit import record_event, snapshot
from pmo.core.choices import Action
from pmo.core.errors import DomainError, InvalidData, NotFound, PermissionRefused
from pmo.core.models import Person
from pmo.core.services import change_audited, create_audited, validated
from pmo.governance.choices import ActionStatus
from pmo.governance.models import ActionItem
from pmo.governance.services.registers import (
    checked_locked,
    locked,
    may_act_on,
    register_of,
    require_change,
    source_fields,
)

ACTION_FIELDS = ("title", "description", "owner", "due_on")


def _check_owner(owner, *, actor=True) -> None:
    """People chosen by a user must be current; the system may hand an action to whoever owns the
    thing it came from."""
    if owner is None:
        return
    if not isinstance(owner, Person):
        raise InvalidData({"owner": [f"The owner must be a person, not {type(owner).__name__}."]})
    if actor is not None and owner.is_archived:
        raise InvalidData({"owner": [f"{owner} is archived and cannot own actions."]})


@transaction.atomic
def create_action(
    *,
    actor,
    title: str,
    owner: Person | None = None,
    due_on: date | None = None,
    project=None,
    programme=None,
    portfolio=None,
    source=None,
    description: str = "",
    reason: str = "",
) -> ActionItem:
    """Put an action on a project's, programme's or portfolio's register. ``actor`` None means the
    system, acting inside another audited service; otherwise the actor must be allowed to change
    the register."""
    where = register_of(project=project, programme=programme, portfolio=portfolio)
    target = where["project"] or where["programme"] or where["portfolio"]
    require_change(actor, target, "the actions")
    _check_owner(owner, actor=actor)
    action = ActionItem(
        title=(title or "").strip(),
        description=description or "",
        owner=owner,
        due_on=due_on,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        **where,
        **source_fields(source),
    )
    return create_audited(action, actor=actor, reason=reason)


@transaction.atomic
def update_action(*, actor, action: ActionItem, changes: Mapping, reason: str = "") -> ActionItem:
    """Change an open action's title, description, owner or due date."""
    row = checked_locked(actor, ActionItem, action, "the actions")
    if not row.is_open:
        raise DomainError(f"The action “{row}” is {row.get_status_display().lower()}; reopen it to change it.")
    if "title" in changes:
        changes = {**changes, "title": (changes["title"] or "").strip()}
    _check_owner(changes.get("owner"), actor=actor)
    return change_audited(row, changes, actor=actor, allowed=ACTION_FIELDS, reason=reason)


def _may_complete(actor, row: ActionItem) -> bool:
    if actor is None:
        return True
    if row.owner_id is not None and row.owner.user_id is not None and row.owner.user_id == actor.pk:
        return True
    return may_act_on(actor, row.register, Action.CHANGE)


def _set_status(actor, action: ActionItem, status: str, reason: str, *, owner_may: bool) -> ActionItem:
    if actor is not None and not ActionItem.objects.visible_to(actor).filter(pk=action.pk).exists():
        raise NotFound(f"No action with id {action.pk} is visible to you.")
    row = locked(ActionItem, action.pk)
    if owner_may:
        if not _may_complete(actor, row):
            raise PermissionRefused(f"Only the owner of “{row}” or whoever may change {row.register} may do this.")
    else:
        require_change(actor, row.register, "the actions", is_seen=True)
    if status != ActionStatus.OPEN and not row.is_open:
        raise DomainError(f"The action “{row}” is already {row.get_status_display().lower()}.")
    if status == ActionStatus.OPEN and row.is_open:
        raise DomainError(f"The action “{row}” is already open.")
    before = snapshot(row)
    row.status = status
    row.completed_on = timezone.localdate() if status == ActionStatus.DONE else None
    validated(row)
    row.save(update_fields=["status", "completed_on", "updated_at"])
    after = snapshot(row)
    record_event(
        actor=actor,
        action={
            ActionStatus.DONE: "actionitem.completed",
            ActionStatus.CANCELLED: "actionitem.cancelled",
            ActionStatus.OPEN: "actionitem.reopened",
        }[status],
        obj=row,
        before={key: value for key, value in before.items() if after[key] != value},
        after={key: value for key, value in after.items() if before[key] != value},
        reason=reason,
    )
    return row


@transaction.atomic
def complete_action(*, actor, action: ActionItem, reason: str = "") -> ActionItem:
    """Mark an open action done (today). Its owner may, as may whoever may change its register."""
    return _set_status(actor, action, ActionStatus.DONE, reason, owner_may=True)


@transaction.atomic
def cancel_action(*, actor, action: ActionItem, reason: str = "") -> ActionItem:
    """Cancel an open action: only whoever may change its register."""
    return _set_status(actor, action, ActionStatus.CANCELLED, reason, owner_may=False)


@transaction.atomic
def reopen_action(*, actor, action: ActionItem, reason: str = "") -> ActionItem:
    """Open a done or cancelled action again."""
    return _set_status(actor, action, ActionStatus.OPEN, reason, owner_may=True)
