"""Notifications in the application and by email, and who should receive them."""

import logging
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from pmo.core.choices import Role, ScopeType
from pmo.core.errors import InvalidData, NotFound
from pmo.core.models import RoleAssignment
from pmo.governance.choices import NotificationKind
from pmo.governance.models import Notification
from pmo.portfolio.models import Portfolio, Programme, Project

EMAIL_SUBJECT_LENGTH = 120
logger = logging.getLogger(__name__)


def _scope_ids(*, project: Project | None, programme: Programme | None, portfolio: Portfolio | None) -> dict:
    """The ids of the scope and every wider scope containing it."""
    given = [value for value in (project, programme, portfolio) if value is not None]
    if len(given) > 1:
        raise InvalidData({"scope": ["Name one project, programme or portfolio, not several."]})
    ids: dict[str, int] = {}
    if project is not None:
        ids[ScopeType.PROJECT] = project.pk
        programme = project.programme
        ids[ScopeType.PORTFOLIO] = project.portfolio_id
    if programme is not None:
        ids[ScopeType.PROGRAMME] = programme.pk
        ids[ScopeType.PORTFOLIO] = programme.portfolio_id
    if portfolio is not None:
        ids[ScopeType.PORTFOLIO] = portfolio.pk
    return ids


def users_with_role(
    role: str,
    *,
    project: Project | None = None,
    programme: Programme | None = None,
    portfolio: Portfolio | None = None,
) -> list:
    """The active users holding ``role`` on the scope given or any wider scope containing it (the
    whole organisation included), in username order. With no scope, only organisation-wide holders."""
    if role not in Role.values:
        raise InvalidData({"role": [f"Unknown role {role!r}; choose one of {', '.join(Role.values)}."]})
    condition = Q(scope_type=ScopeType.ORGANISATION)
    for scope_type, scope_id in _scope_ids(project=project, programme=programme, portfolio=portfolio).items():
        condition |= Q(scope_type=scope_type, scope_id=scope_id)
    user_ids = RoleAssignment.objects.filter(condition, role=role, person__user__isnull=False).values("person__user_id")
    return list(get_user_model().objects.filter(pk__in=user_ids, is_active=True).order_by("username"))


def _email_subject(kind: str, message: str) -> str:
    subject = f"[PMO] {NotificationKind(kind).label}: {message}"
    subject = " ".join(subject.split())
    return subject if len(subject) <= EMAIL_SUBJECT_LENGTH else subject[: EMAIL_SUBJECT_LENGTH - 1] + "…"


def _email_body(message: str, url: str) -> str:
    base = getattr(settings, "PMO_SITE_URL", "").rstrip("/")
    lines = [message]
    if url:
        lines += ["", f"{base}{url}" if url.startswith("/") else url]
    return "\n".join(lines)


def notify(*, recipients: Iterable, kind: str, message: str, url: str = "", email: bool = True) -> list[Notification]:
    """Tell each recipient (users; None and inactive logins are skipped, each user once) about
    something in the application, and by email (sent after commit) to those with an address."""
    if kind not in NotificationKind.values:
        raise InvalidData({"kind": [f"Unknown notification kind {kind!r}."]})
    message = (message or "").strip()
    if not message:
        raise InvalidData({"message": ["A notification needs a message."]})
    if len(message) > Notification._meta.get_field("message").max_length:
        message = message[:499] + "…"
    if len(url) > Notification._meta.get_field("url").max_length:
        raise InvalidData({"url": ["The link is too long."]})
    seen: set[int] = set()
    users = []
    for user in recipients:
        if user is None or not user.is_active or user.pk in seen:
            continue
        seen.add(user.pk)
        users.append(user)
    notifications = Notification.objects.bulk_create(
        [Notification(recipient=user, kind=kind, message=message, url=url) for user in users]
    )
    addresses = [user.email for user in users if user.email]
    if email and addresses:
        subject, body = _email_subject(kind, message), _email_body(message, url)

        def send() -> None:
            # The change is committed: a mail server that refuses must not turn it into an error.
            for address in addresses:
                try:
                    send_mail(subject, body, None, [address])
                except OSError:
                    logger.warning("Could not send a %s notification to %s.", kind, address, exc_info=True)

        transaction.on_commit(send)
    return notifications


@transaction.atomic
def mark_read(*, actor, notification: Notification | None = None, every: bool = False) -> int:
    """Mark one of the actor's notifications (or every unread one) as read; returns how many.

    Reading is the recipient's own business and changes nothing anyone else sees, so it is not
    written to the audit trail."""
    mine = Notification.objects.visible_to(actor).unread()
    if every:
        return mine.update(read_at=timezone.now())
    if notification is None:
        raise InvalidData({"notification": ["Say which notification to mark as read."]})
    if not Notification.objects.visible_to(actor).filter(pk=notification.pk).exists():
        raise NotFound(f"No notification with id {notification.pk} is yours.")
    updated = mine.filter(pk=notification.pk).update(read_at=timezone.now())
    return updated
