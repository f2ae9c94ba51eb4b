"""Highlight reporting as people and programs meet it: the PMO's board, a project's reports, a
report's pages (draft, write, submit, review, PDF), packs (collate, issue, PDF, Excel), the policy
page, and the API; list pages and endpoints in a constant number of queries."""

import io
from datetime import date

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from pmo.core.models import AuditEvent
from pmo.portfolio.choices import LifecycleStage
from pmo.portfolio.models import Project
from pmo.reporting import services
from pmo.reporting.choices import ReportStatus
from pmo.reporting.models import HighlightReport, ReportPack
from pmo.reporting.testing import MARCH
from pmo.reporting.tests.test_services import NARRATIVE


def client(user, api=False):
    made = APIClient() if api else Client()
    made.force_login(user)
    return made


def _draft(rw):
    return services.create_report(actor=rw.manager, project=rw.project, period_day=MARCH)


def test_the_board_lists_every_reporting_project_with_late_ones_highlighted(rw):
    report = _draft(rw)
    response = client(rw.analyst).get(reverse("reporting:report_list"), {"period": "2026-03-10"})
    assert response.status_code == 200
    rows = {row["project"].code: row for row in response.context["rows"]}
    assert set(rows) == {"HERE-1", "HERE-2"}  # HERE-3 is proposed: it does not report
    assert rows["HERE-1"]["report"] == report and rows["HERE-1"]["is_late"]  # a draft past its due date
    assert rows["HERE-2"]["status_label"] == "Not started"
    html = response.content.decode()
    assert 'class="late" data-project="HERE-2"' in html and "2026-03" in html
    late_only = client(rw.analyst).get(reverse("reporting:report_list"), {"period": "2026-03-10", "status": "missing"})
    assert [row["project"].code for row in late_only.context["rows"]] == ["HERE-2"]
    bad = client(rw.analyst).get(reverse("reporting:report_list"), {"programme": "x"})
    assert bad.status_code == 200 and bad.context["rows"] == [] and "programme" in bad.context["filterset"].errors


def test_the_board_costs_the_same_queries_for_few_and_many_projects(rw):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client(rw.analyst).get(reverse("reporting:report_list")).status_code == 200
        return len(queries)

    few = count()
    Project.objects.bulk_create(
        [
            Project(portfolio=rw.world.portfolio, code=f"MANY-{n}", name=f"Many {n}", stage=LifecycleStage.DELIVERY)
            for n in range(30)
        ]
    )
    assert count() == few


def test_the_manager_drafts_writes_and_submits_through_the_pages(rw):
    browser = client(rw.manager)
    page = browser.get(reverse("reporting:project_reports", args=[rw.project.pk]))
    assert page.status_code == 200 and "Draft a report" in page.content.decode()
    response = browser.post(reverse("reporting:report_create", args=[rw.project.pk]), {"period_day": "2026-03-15"})
    report = HighlightReport.objects.get(project=rw.project, period_start=date(2026, 3, 1))
    assert response.status_code == 302 and response["Location"] == report.get_absolute_url()
    detail = browser.get(report.get_absolute_url()).content.decode()
    assert 'id="fact-indices">0.75 / 0.83' in detail and "Go live" in detail and "Write the summary" in detail

    refused = browser.post(reverse("reporting:report_submit", args=[report.pk]), {"reason": ""})
    assert refused.status_code == 200 and "Write the summary before submitting." in refused.content.decode()
    assert HighlightReport.objects.get(pk=report.pk).status == ReportStatus.DRAFT

    form = browser.get(reverse("reporting:report_edit", args=[report.pk])).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(NARRATIVE)
    assert browser.post(reverse("reporting:report_edit", args=[report.pk]), data).status_code == 302
    assert browser.post(reverse("reporting:report_refresh", args=[report.pk])).status_code == 302
    assert browser.post(reverse("reporting:report_submit", args=[report.pk]), {"reason": ""}).status_code == 302
    assert HighlightReport.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED


def test_the_pmo_reviews_through_the_page(rw):
    report = services.update_report(actor=rw.manager, report=_draft(rw), changes=NARRATIVE)
    report = services.submit_report(actor=rw.manager, report=report)
    detail = client(rw.analyst).get(report.get_absolute_url()).content.decode()
    assert 'id="report-review"' in detail
    assert 'id="report-review"' not in client(rw.manager).get(report.get_absolute_url()).content.decode()
    url = reverse("reporting:report_review", args=[report.pk])
    refused = client(rw.analyst).post(url, {"decision": "returned", "comment": ""})
    assert refused.status_code == 200 and "Say what the manager should change" in refused.content.decode()
    assert client(rw.manager).post(url, {"decision": "approved"}).status_code == 403
    assert client(rw.analyst).post(url, {"decision": "returned", "comment": "Dates, please."}).status_code == 302
    assert HighlightReport.objects.get(pk=report.pk).status == ReportStatus.RETURNED


def test_report_pdf_and_the_pages_of_others(rw):
    report = _draft(rw)
    response = client(rw.manager).get(reverse("reporting:report_pdf", args=[report.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and "HERE-1" in response["Content-Disposition"]
    outsider = client(rw.world.elsewhere_user)
    assert outsider.get(reverse("reporting:report_pdf", args=[report.pk])).status_code == 404
    assert outsider.get(reverse("reporting:project_reports", args=[rw.project.pk])).status_code == 404
    assert outsider.post(reverse("reporting:report_create", args=[rw.project.pk]), {}).status_code == 404
    assert client(rw.analyst).post(reverse("reporting:report_create", args=[rw.project.pk]), {}).status_code == 403


def test_packs_are_collated_issued_and_downloaded_through_the_pages(rw):
    analyst = client(rw.analyst)
    assert "Collate a pack" in analyst.get(reverse("reporting:report_list")).content.decode()
    assert "Collate a pack" not in client(rw.manager).get(reverse("reporting:report_list")).content.decode()
    response = analyst.post(
        reverse("reporting:pack_create"), {"programme": rw.world.programme.pk, "period_day": "2026-03-20"}
    )
    pack = ReportPack.objects.get(programme=rw.world.programme)
    assert response.status_code == 302 and response["Location"] == pack.get_absolute_url()
    detail = analyst.get(pack.get_absolute_url())
    assert detail.status_code == 200 and "HERE-2" in detail.content.decode()
    assert analyst.get(reverse("reporting:pack_list")).context["paginator"].count == 1
    assert client(rw.manager).get(pack.get_absolute_url()).status_code == 404  # a project manager sees no pack
    assert analyst.post(reverse("reporting:pack_step", args=[pack.pk, "issue"])).status_code == 302
    assert ReportPack.objects.get(pk=pack.pk).is_issued
    pdf = analyst.get(reverse("reporting:pack_pdf", args=[pack.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    xlsx = analyst.get(reverse("reporting:pack_xlsx", args=[pack.pk]))
    assert load_workbook(io.BytesIO(xlsx.content))["Summary"]["A4"].value == "HERE-1"
    again = analyst.post(
        reverse("reporting:pack_create"), {"programme": rw.world.programme.pk, "period_day": "2026-03-20"}
    )
    assert again.status_code == 200 and "already has a pack" in again.content.decode()


def test_the_policy_page(rw):
    assert client(rw.analyst).get(reverse("reporting:settings")).context["can_change"] is False
    refused = client(rw.analyst).post(reverse("reporting:settings"), {"frequency": "weekly"})
    assert refused.status_code in (200, 403)
    response = client(rw.head).post(
        reverse("reporting:settings"),
        {"frequency": "weekly", "due_days": 3, "reminder_days": 1, "stages": ["delivery"], "starts_on": "2026-02-01"},
    )
    assert response.status_code == 302
    policy = type(rw.policy).objects.get(pk=rw.policy.pk)
    assert (policy.frequency, policy.stages) == ("weekly", ["delivery"])


# --- the API ----------------------------------------------------------------------------------------


def test_the_api_runs_the_whole_flow(rw):
    manager, analyst = client(rw.manager, api=True), client(rw.analyst, api=True)
    created = manager.post(
        reverse("api:highlight-report-list"), {"project": rw.project.pk, "period_day": "2026-03-15"}, format="json"
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["facts"]["evm"]["spi"] == 0.75 and body["status"] == "draft" and body["period_label"] == "2026-03"
    url = body["url"]
    refused = manager.post(f"{url}submit/", {}, format="json")
    assert refused.status_code == 400 and "summary" in refused.json()["errors"]
    assert manager.patch(url, {"status": "approved"}, format="json").json()["status"] == "draft"  # read only
    bad = manager.patch(url, {"rag_cost": "purple"}, format="json")
    assert bad.status_code == 400 and "rag_cost" in bad.json()["errors"]
    assert manager.patch(url, NARRATIVE, format="json").status_code == 200
    assert manager.post(f"{url}submit/", {}, format="json").json()["status"] == "submitted"
    assert manager.post(f"{url}approve/", {}, format="json").status_code == 403
    assert analyst.post(f"{url}return/", {}, format="json").status_code == 400
    assert analyst.post(f"{url}return/", {"comment": "More on risks."}, format="json").json()["status"] == "returned"
    assert manager.post(f"{url}submit/", {}, format="json").status_code == 200
    approved = analyst.post(f"{url}approve/", {"comment": "Good."}, format="json")
    assert approved.json()["status"] == "approved" and approved.json()["reviewed_by"] == rw.analyst.pk
    listed = analyst.get(
        reverse("api:highlight-report-list"), {"status": "approved", "programme": rw.world.programme.pk}
    )
    assert [row["id"] for row in listed.json()["results"]] == [body["id"]]
    pdf = analyst.get(f"{url}pdf/")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    duplicate = manager.post(
        reverse("api:highlight-report-list"), {"project": rw.project.pk, "period_day": "2026-03-01"}, format="json"
    )
    assert duplicate.status_code == 400 and "already has a report" in str(duplicate.json())


def test_the_api_collates_packs(rw):
    analyst = client(rw.analyst, api=True)
    events = AuditEvent.objects.count()
    refused = client(rw.manager, api=True).post(
        reverse("api:report-pack-list"), {"programme": rw.world.programme.pk}, format="json"
    )
    assert refused.status_code in (400, 403) and AuditEvent.objects.count() == events
    created = analyst.post(
        reverse("api:report-pack-list"), {"programme": rw.world.programme.pk, "period_day": "2026-03-02"}, format="json"
    )
    assert created.status_code == 201, created.content
    url = created.json()["url"]
    assert created.json()["content"]["counts"] == {"projects": 2, "approved": 0, "missing_or_late": 2}
    assert analyst.post(f"{url}issue/", {}, format="json").json()["status"] == "issued"
    assert analyst.post(f"{url}refresh/", {}, format="json").status_code == 400
    assert analyst.patch(url, {"title": "New"}, format="json").status_code == 405
    xlsx = analyst.get(f"{url}xlsx/")
    assert xlsx.status_code == 200 and load_workbook(io.BytesIO(xlsx.content)).sheetnames == ["Summary", "Narrative"]


def test_list_endpoints_cost_the_same_queries_for_few_and_many_rows(rw):
    analyst = client(rw.analyst, api=True)

    def count(name: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert analyst.get(reverse(name)).status_code == 200
        return len(queries)

    _draft(rw)
    services.create_pack(actor=rw.analyst, programme=rw.world.programme, period_day=MARCH)
    few = count("api:highlight-report-list"), count("api:report-pack-list")
    for month in range(4, 10):
        services.create_report(actor=rw.manager, project=rw.project, period_day=date(2026, month, 2))
        services.create_pack(actor=rw.analyst, programme=rw.world.programme, period_day=date(2026, month, 2))
    assert (count("api:highlight-report-list"), count("api:report-pack-list")) == few
