"""Background tasks of the KPI app (run by ``pmo worker``): the weekly measurement."""

from datetime import date

from django.tasks import task

from pmo.kpis import services


@task()
def measure_kpis(period_end: str | None = None) -> int:
    """Measure the active KPIs at ``period_end`` (ISO date of a Sunday; default the latest period
    with project snapshots): values, patterns and recommendations."""
    return services.measure_kpis(period_end=date.fromisoformat(period_end) if period_end else None)
