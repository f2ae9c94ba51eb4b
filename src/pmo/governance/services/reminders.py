"""Reminders: tell each owner about their open actions due within a few days, or overdue."""

from datetime import date, timedelta

from django.utils import timezone

from pmo.governance.choices import NotificationKind
from pmo.governance.models import ActionItem
from pmo.governance.services.notifications import notify

DEFAULT_WITHIN_DAYS = 3


def remind_due_actions(*, within_days: int = DEFAULT_WITHIN_DAYS, today: date | None = None, email: bool = True) -> int:
    """Notify the owner (with a login) of every open action due by ``today + within_days``, one
    notification per action; returns how many were sent. Run daily by the worker or the CLI."""
    if not 0 <= within_days <= 365:
        raise ValueError(f"Remind from 0 to 365 days ahead, not {within_days}.")
    today = today or timezone.localdate()
    due = (
        ActionItem.objects.open()
        .filter(due_on__lte=today + timedelta(days=within_days), owner__user__isnull=False, owner__user__is_active=True)
        .select_related("owner__user", "project", "programme", "portfolio")
        .order_by("due_on", "id")
    )
    sent = 0
    for action in due:
        when = (
            f"overdue since {action.due_on:%d %b %Y}"
            if action.due_on < today
            else ("due today" if action.due_on == today else f"due on {action.due_on:%d %b %Y}")
        )
        sent += len(
            notify(
                recipients=[action.owner.user],
                kind=NotificationKind.ACTION_DUE,
                message=f"Your action “{action.title}” ({action.register}) is {when}.",
                url=action.get_absolute_url(),
                email=email,
            )
        )
    return sent
