"""Helpers the lifecycle services share: locking a row the actor may act on, and who holds the
PMO's authority."""

from django.db import models

from pmo.core.choices import Action, Role
from pmo.core.errors import NotFound, PermissionRefused
from pmo.core.permissions import grants_for


def locked(actor, model: type[models.Model], pk, action: str) -> models.Model:
    """Lock the row (its own row only: PostgreSQL refuses FOR UPDATE across the outer joins of the
    visibility filters) and check, on the locked row, that ``actor`` may perform ``action``."""
    try:
        row = model.objects.select_for_update(of=("self",)).get(pk=pk)
    except model.DoesNotExist:
        raise NotFound(f"No {model._meta.verbose_name} with id {pk}.") from None
    if not model.objects.visible_to(actor, action).filter(pk=pk).exists():
        if model.objects.visible_to(actor, Action.VIEW).filter(pk=pk).exists():
            raise PermissionRefused(f"You may not {action} this {model._meta.verbose_name}.")
        raise NotFound(f"No {model._meta.verbose_name} with id {pk} is visible to you.")
    return row


def is_pmo_head(actor) -> bool:
    """The PMO head (across the organisation) or an administrator."""
    grants = grants_for(actor)
    return grants.is_administrator or (Role.PMO_HEAD in grants.roles and grants.allows_everywhere(Action.CHANGE))
