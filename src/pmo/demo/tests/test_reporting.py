"""The demo's highlight reports: a monthly policy, reports in every state for the reporting
projects, a few late, one issued programme pack; the pages show them."""

from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from pmo.demo.tests.conftest import TODAY
from pmo.health.models import ProjectSnapshot
from pmo.reporting import selectors
from pmo.reporting.facts import reporting_policy, reporting_projects
from pmo.reporting.models import HighlightReport, ReportPack
from pmo.reporting.services import submission_problems

pytestmark = pytest.mark.django_db


def test_reports_in_every_state_and_a_few_late(small_demo):
    policy = reporting_policy()
    assert policy.pk and policy.frequency == "monthly"
    statuses = Counter(HighlightReport.objects.values_list("status", flat=True))
    assert set(statuses) == {"draft", "submitted", "returned", "approved"}
    assert statuses["approved"] > statuses["submitted"] + statuses["returned"] + statuses["draft"] // 2
    projects = list(reporting_projects(policy=policy))
    assert HighlightReport.objects.filter(project__in=projects).values("project").distinct().count() > 0
    late = selectors.project_report_figures([p.pk for p in projects], as_of=TODAY)
    assert 0 < sum(1 for figures in late.values() if figures["reports_missing"]) < len(projects) / 2
    # Sent reports keep the submission rules: a summary, and a comment on every red dimension.
    for report in HighlightReport.objects.filter(status__in=("submitted", "approved")):
        problems = submission_problems(report)
        assert "summary" not in problems and not any(name.startswith("comment_") for name in problems)
    # The health figures were recorded after the reports: they count what is missing at the week's end.
    latest = ProjectSnapshot.objects.filter(is_latest=True, project__in=projects)
    week_end = latest.first().period_end
    at_week_end = selectors.project_report_figures([p.pk for p in projects], as_of=week_end)
    assert all(
        figures["reports_missing"] == at_week_end[pk]["reports_missing"]
        for pk, figures in latest.values_list("project_id", "figures")
    )


def test_one_issued_pack_and_the_pages_show_the_reports(small_demo):
    pack = ReportPack.objects.get()
    assert pack.is_issued and pack.content["summary"] and pack.content["counts"]["approved"] >= 1
    client = Client()
    client.force_login(get_user_model().objects.get(username="pmo.analyst"))
    assert client.get(reverse("reporting:report_list")).status_code == 200
    assert client.get(pack.get_absolute_url()).status_code == 200
    returned = HighlightReport.objects.get(status="returned")
    client.force_login(returned.project.manager.user)
    page = client.get(returned.get_absolute_url()).content.decode()
    assert "Say when the slipped milestones will be recovered" in page
