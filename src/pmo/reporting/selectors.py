"""Reads of highlight reporting for pages, the API and the health rules: the PMO's board of
reports for a period, and the figures the health rules read (reports missing, days late)."""

from datetime import date

from django.utils import timezone

from pmo.core.choices import Action
from pmo.portfolio.models import Project
from pmo.reporting.choices import SENT_STATUSES
from pmo.reporting.facts import missing_reports, reporting_policy, reporting_projects
from pmo.reporting.models import HighlightReport


def project_report_figures(project_ids, *, as_of: date | None = None) -> dict[int, dict[str, float]]:
    """The figures health rules read about reporting, per project: ``reports_missing`` (ended
    periods past due without a submitted report) and ``report_days_late`` (days the oldest of them
    is past due; 0 when none). Projects outside the reporting stages owe nothing. Three queries."""
    as_of = as_of or timezone.localdate()
    policy = reporting_policy()
    ids = list(project_ids)
    reporting = list(reporting_projects(Project.objects.filter(pk__in=ids), policy))
    missing = missing_reports(reporting, today=as_of, policy=policy)
    figures = {pk: {"reports_missing": 0.0, "report_days_late": 0.0} for pk in ids}
    for pk, rows in missing.items():
        figures[pk] = {
            "reports_missing": float(len(rows)),
            "report_days_late": float(max((row["days_late"] for row in rows), default=0)),
        }
    return figures


def report_board(user, *, period_start: date, period_end: date, projects=None, today: date | None = None) -> list[dict]:
    """The PMO's board for one period: every reporting project the user may see, with its report
    (if any), the report's status, the due date and whether it is late. ``projects`` narrows the
    projects (a filtered queryset). Three queries."""
    today = today or timezone.localdate()
    policy = reporting_policy()
    visible = Project.objects.visible_to(user, Action.VIEW) if projects is None else projects
    rows = list(
        reporting_projects(visible, policy).select_related("manager", "programme", "portfolio").order_by("code")
    )
    reports = {
        report.project_id: report
        for report in HighlightReport.objects.filter(project__in=[p.pk for p in rows], period_start=period_start)
    }
    due = policy.due_on(period_end)
    board = []
    for project in rows:
        report = reports.get(project.pk)
        status = report.status if report else ""
        is_sent = status in SENT_STATUSES
        board.append(
            {
                "project": project,
                "report": report,
                "status": status,
                "status_label": report.get_status_display() if report else "Not started",
                "due_on": due,
                "is_late": not is_sent and today > due,
                "days_late": (today - due).days if not is_sent and today > due else 0,
            }
        )
    return board


def report_figures_provider(project_ids, as_of: date) -> dict[int, dict[str, float]]:
    """The health figures' provider (``pmo.health.services.register_figure_provider``)."""
    return project_report_figures(project_ids, as_of=as_of)
