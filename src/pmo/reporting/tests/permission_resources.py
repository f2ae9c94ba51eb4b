"""Highlight reporting's resources in the permission matrix (web/tests/test_permission_matrix.py).

A report follows its project's permission: ``world.permitted`` (the portfolio's manager) drafts
and writes it. A pack is read only through the API and the pages (it is collated, refreshed and
issued by actions, never edited), and seen only by roles over its whole programme or portfolio.
"""

from datetime import date

from pmo.core.testing.harness import Resource, form_data
from pmo.portfolio.choices import LifecycleStage
from pmo.portfolio.models import Project
from pmo.reporting import services
from pmo.reporting.forms import HighlightReportForm
from pmo.reporting.models import HighlightReport, ReportPack

MARCH = date(2026, 3, 15)


def _report(world) -> HighlightReport:
    existing = HighlightReport.objects.filter(project=world.project).first()
    if existing is not None:
        return existing
    Project.objects.filter(pk=world.project.pk).update(stage=LifecycleStage.DELIVERY)
    return services.create_report(actor=world.admin, project=world.project, period_day=MARCH)


def _pack(world) -> ReportPack:
    existing = ReportPack.objects.filter(programme=world.programme).first()
    return existing or services.create_pack(actor=world.admin, programme=world.programme, period_day=MARCH)


REPORTING_RESOURCES = [
    Resource(
        name="highlight report",
        obj=_report,
        permitted=lambda w: w.permitted,
        scoped=True,
        ui_detail="reporting:report_detail",
        ui_edit="reporting:report_edit",
        edit_form=lambda report: form_data(HighlightReportForm, report, summary="Design signed off; build started."),
        api_basename="highlight-report",
        api_change={"summary": "Design signed off; build started."},
    ),
    Resource(
        name="report pack",
        obj=_pack,
        permitted=lambda w: w.permitted,
        scoped=True,
        ui_list="reporting:pack_list",
        ui_detail="reporting:pack_detail",
        api_basename="report-pack",
        api_change={"title": "Renamed"},
        read_only=True,
    ),
]
