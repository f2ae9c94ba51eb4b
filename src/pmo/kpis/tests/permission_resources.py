"""The KPI app's resources in the permission matrix (web/tests/test_permission_matrix.py)."""

from datetime import date, timedelta

from pmo.core.testing.harness import Resource, form_data
from pmo.health.models import ProjectSnapshot
from pmo.kpis import services
from pmo.kpis.forms import KPIForm
from pmo.kpis.models import KPI, Measurement, Recommendation
from pmo_engine.metrics import derive

FIRST_SUNDAY = date(2026, 1, 4)


def _kpi(world) -> KPI:
    """A KPI for the "here" project only: the PMO changes it, people elsewhere cannot see it."""
    existing = KPI.objects.filter(code="HERE-CPI").first()
    return existing or services.create_kpi(
        actor=world.admin,
        code="HERE-CPI",
        name="Cost performance of the CRM replacement",
        level="project",
        project=world.project,
        formula="ev / ac",
        target=1.0,
        amber=0.95,
        red=0.9,
    )


def _measurement(world) -> Measurement:
    existing = Measurement.objects.filter(kpi__code="HERE-CPI").first()
    return existing or services.record_measurement(
        actor=world.admin, kpi=_kpi(world), project=world.project, period_end=FIRST_SUNDAY, value=0.97
    )


def _recommendation(world) -> Recommendation:
    existing = Recommendation.objects.filter(kpi__code="HERE-CPI").first()
    if existing:
        return existing
    kpi = _kpi(world)
    rows = []
    for week, cpi in enumerate([1.0, 0.97, 0.94, 0.91]):
        base = {"bac": 1000.0, "pv": 100.0 * (week + 1), "ev": 100.0 * (week + 1)}
        base["ac"] = base["ev"] / cpi
        rows.append(
            ProjectSnapshot(
                project=world.project,
                period_end=FIRST_SUNDAY + timedelta(weeks=week + 1),
                figures={**base, **derive(base)},
            )
        )
    ProjectSnapshot.objects.bulk_create(rows)
    for row in rows:
        services.measure_kpis(period_end=row.period_end, kpi_ids=[kpi.pk])
    return Recommendation.objects.filter(kpi=kpi).first()


KPIS_RESOURCES = [
    Resource(
        name="kpi",
        obj=_kpi,
        permitted=lambda w: w.org_head,
        scoped=True,
        ui_list="kpis:kpi_list",
        ui_detail="kpis:kpi_detail",
        ui_edit="kpis:kpi_edit",
        edit_form=lambda kpi: form_data(KPIForm, kpi, name="Cost performance (CRM)"),
        api_basename="kpi",
        api_change={"name": "Cost performance (CRM)"},
    ),
    Resource(
        name="kpi measurement",
        obj=_measurement,
        permitted=lambda w: w.permitted,
        scoped=True,
        api_basename="kpi-measurement",
        read_only=True,
    ),
    Resource(
        name="kpi recommendation",
        obj=_recommendation,
        permitted=lambda w: w.permitted,
        scoped=True,
        api_basename="kpi-recommendation",
        read_only=True,
    ),
]
