"""Background tasks of highlight reporting (run by ``pmo worker``): the daily reminders."""

from django.tasks import task

from pmo.reporting import services


@task()
def remind_reports() -> int:
    """Remind managers of highlight reports due soon or late."""
    return services.remind_reports()
