"""The audit trail: request ids, snapshots of objects, and the one function that writes events."""

import contextvars
import datetime
import decimal
import uuid

from django.contrib.contenttypes.models import ContentType
from django.db import models

from pmo.core.models import AuditEvent

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("pmo_request_id", default="")


def current_request_id() -> str:
    return _request_id.get()


def bind_request_id(value: str | None = None) -> contextvars.Token:
    """Tag every event written from here on with this id (a new one when none is given)."""
    return _request_id.set(value or uuid.uuid4().hex)


def reset_request_id(token: contextvars.Token) -> None:
    _request_id.reset(token)


def _plain(value):
    if isinstance(value, (datetime.date, datetime.datetime, datetime.time)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


def snapshot(instance: models.Model) -> dict:
    """The stored values of an object's concrete fields, as JSON-friendly data (ids for relations)."""
    data = {}
    for field in instance._meta.concrete_fields:
        if field.name in {"created_at", "updated_at"}:
            continue
        data[field.attname if field.is_relation else field.name] = _plain(field.value_from_object(instance))
    return data


def record_event(
    *, actor, action: str, obj: models.Model, before: dict | None = None, after: dict | None = None, reason: str = ""
) -> AuditEvent:
    """Write one audit event. Services call this inside the transaction that makes the change."""
    actor_user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        actor=actor_user,
        actor_name=actor_user.get_username() if actor_user else "system",
        action=action,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=True),
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        before=before,
        after=after,
        request_id=current_request_id(),
        reason=reason,
    )
