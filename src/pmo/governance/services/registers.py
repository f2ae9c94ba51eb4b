"""Helpers shared by the services of every register: where a record sits and who may write it."""

from django.contrib.contenttypes.models import ContentType
from django.db import models

from pmo.core.choices import Action
from pmo.core.errors import InvalidData, NotFound, PermissionRefused
from pmo.portfolio.models import Portfolio, Programme, Project


def register_of(*, project=None, programme=None, portfolio=None) -> dict:
    """The one register (project, programme or portfolio) named; wider ones may be named too
    when they contain the narrower one, and are dropped. Returns the three fields to store."""
    for name, value, model in (
        ("project", project, Project),
        ("programme", programme, Programme),
        ("portfolio", portfolio, Portfolio),
    ):
        if value is not None and not isinstance(value, model):
            raise InvalidData({name: [f"Expected a {model._meta.verbose_name}, not {type(value).__name__}."]})
    if project is None and programme is None and portfolio is None:
        raise InvalidData({"register": ["Say which project, programme or portfolio this belongs to."]})
    if project is not None:
        if programme is not None and project.programme_id != programme.pk:
            raise InvalidData({"programme": [f"{project} is not part of {programme}."]})
        if portfolio is not None and project.portfolio_id != portfolio.pk:
            raise InvalidData({"portfolio": [f"{project} is not part of {portfolio}."]})
        return {"project": project, "programme": None, "portfolio": None}
    if programme is not None:
        if portfolio is not None and programme.portfolio_id != portfolio.pk:
            raise InvalidData({"portfolio": [f"{programme} is not part of {portfolio}."]})
        return {"project": None, "programme": programme, "portfolio": None}
    return {"project": None, "programme": None, "portfolio": portfolio}


def may_act_on(actor, target, action: str = Action.CHANGE) -> bool:
    """Whether ``actor`` holds ``action`` on a project, programme or portfolio."""
    return type(target).objects.visible_to(actor, action).filter(pk=target.pk).exists()


def require_change(actor, target, what: str, *, is_seen: bool = False) -> None:
    """Refuse unless ``actor`` may change ``target`` (a project, programme or portfolio).
    ``actor`` None is the system acting inside another service that checked already. A refusal
    says "not found" to whoever cannot see the target, unless ``is_seen`` (the record in hand is
    visible to them, as an action is to its owner)."""
    if actor is None or may_act_on(actor, target, Action.CHANGE):
        return
    if is_seen or may_act_on(actor, target, Action.VIEW):
        raise PermissionRefused(f"You may not change {what} of {target}: that needs the right to change it.")
    raise NotFound(f"No {target._meta.verbose_name} {target.pk} is visible to you.")


def source_fields(source) -> dict:
    """The generic relation's two columns for ``source`` (any saved object, or None)."""
    if source is None:
        return {"source_type": None, "source_id": None}
    if not isinstance(source, models.Model) or source.pk is None:
        raise InvalidData({"source": ["The source must be a saved object."]})
    return {"source_type": ContentType.objects.get_for_model(source), "source_id": source.pk}


def locked(model, pk):
    """Lock a row by id, its own row only (visibility filters outer-join; PostgreSQL refuses those)."""
    try:
        return model.objects.select_for_update(of=("self",)).get(pk=pk)
    except model.DoesNotExist:
        raise NotFound(f"No {model._meta.verbose_name} with id {pk}.") from None


def checked_locked(actor, model, instance, what: str):
    """Lock ``instance`` and check that ``actor`` may change its register (inside the transaction)."""
    if actor is not None and not model.objects.visible_to(actor, Action.VIEW).filter(pk=instance.pk).exists():
        raise NotFound(f"No {model._meta.verbose_name} with id {instance.pk} is visible to you.")
    row = locked(model, instance.pk)
    require_change(actor, row.register, what, is_seen=True)
    return row
