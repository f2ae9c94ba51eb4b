"""Background tasks of governance (run by ``pmo worker``): the daily reminders and exposure record."""

from django.tasks import task

from pmo.governance import services
from pmo.governance.services.reminders import DEFAULT_WITHIN_DAYS


@task()
def remind_due_actions(within_days: int = DEFAULT_WITHIN_DAYS) -> int:
    """Notify owners of actions due within ``within_days`` days, or overdue."""
    return services.remind_due_actions(within_days=within_days)


@task()
def record_exposure() -> int:
    """Record today's open-risk exposure of every register, for the trend."""
    return services.record_every_exposure()
