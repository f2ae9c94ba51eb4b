"""Background task of health (run by ``pmo worker``): the daily record of figures and health."""

from django.tasks import task

from pmo.health import services


@task()
def record_health() -> int:
    """Record the current week's figures and health check of every non-archived project past
    initiation (rewritten each day until the week ends). Returns how many projects."""
    return services.record_snapshots()
