"""Services of highlight reporting: the report's flow with its refusals (each names the problem
and leaves stored data as it was), reminders, the health figures and report packs."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from pmo.core.audit import snapshot
from pmo.core.errors import DomainError, InvalidData, NotFound, PermissionRefused
from pmo.core.models import AuditEvent
from pmo.governance.models import Notification
from pmo.health.models import ProjectSnapshot
from pmo.reporting import selectors, services
from pmo.reporting.choices import PackStatus, ReportStatus
from pmo.reporting.models import HighlightReport, ReportPack, ReportReminder
from pmo.reporting.periods import ended_periods, last_ended_period, next_period, period_containing, period_label
from pmo.reporting.testing import MARCH

NARRATIVE = {
    "summary": "Build is late; go-live moves a week.",
    "comment_schedule": "Build slipped by a week: two developers were ill.",
    "comment_cost": "Overtime to recover.",
    "comment_scope": "One change approved (+300).",
    "comment_resources": "Ada is overbooked in week 13.",
    "comment_governance": "January and February reports were late.",
}


def _state(row) -> tuple:
    row = type(row).objects.get(pk=row.pk)
    return snapshot(row), AuditEvent.objects.count(), Notification.objects.count()


def _draft(rw, **changes):
    report = services.create_report(actor=rw.manager, project=rw.project, period_day=MARCH)
    if changes:
        report = services.update_report(actor=rw.manager, report=report, changes=changes)
    return report


def _submitted(rw):
    return services.submit_report(actor=rw.manager, report=_draft(rw, **NARRATIVE))


# --- periods ---------------------------------------------------------------------------------------


def test_periods_are_calendar_months_or_monday_to_sunday_weeks():
    assert period_containing("monthly", date(2026, 2, 14)) == (date(2026, 2, 1), date(2026, 2, 28))
    assert period_containing("monthly", date(2026, 12, 31)) == (date(2026, 12, 1), date(2026, 12, 31))
    assert period_containing("weekly", date(2026, 3, 22)) == (date(2026, 3, 16), date(2026, 3, 22))
    assert next_period("monthly", date(2026, 12, 1)) == (date(2027, 1, 1), date(2027, 1, 31))
    assert last_ended_period("weekly", date(2026, 3, 16)) == (date(2026, 3, 9), date(2026, 3, 15))
    assert ended_periods("monthly", since=date(2026, 1, 1), today=date(2026, 4, 1), limit=12) == [
        (date(2026, 3, 1), date(2026, 3, 31)),
        (date(2026, 2, 1), date(2026, 2, 28)),
        (date(2026, 1, 1), date(2026, 1, 31)),
    ]
    assert period_label("monthly", date(2026, 3, 1), date(2026, 3, 31)) == "2026-03"
    assert period_label("weekly", date(2026, 3, 16), date(2026, 3, 22)) == "2026-03-16 to 2026-03-22"
    with pytest.raises(ValueError, match="Unknown reporting frequency"):
        period_containing("yearly", date(2026, 1, 1))


# --- drafting --------------------------------------------------------------------------------------


def test_a_draft_is_prefilled_from_the_project_data_and_its_health(rw):
    report = _draft(rw)
    assert (report.period_start, report.period_end, report.status) == (
        date(2026, 3, 1),
        date(2026, 3, 31),
        ReportStatus.DRAFT,
    )
    facts = report.facts
    assert facts["evm"]["pv"] == 2000 and facts["evm"]["ev"] == 1500 and facts["evm"]["ac"] == 1800
    assert facts["evm"]["spi"] == 0.75 and facts["evm"]["vac"] == -600
    assert facts["progress"]["percent_complete"] == 50.0
    assert facts["milestones"]["next"] == [
        {
            "name": "Go live",
            "wbs_code": "",
            "baseline": "2026-03-27",
            "forecast": "2026-04-03",
            "actual": None,
            "slip_days": 7,
        }
    ]
    assert facts["raid"]["open_risks"] == 3 and facts["raid"]["high_risks"] == 2
    assert [risk["title"] for risk in facts["raid"]["top_risks"]] == ["Supplier fails", "Data loss", "Minor delay"]
    assert facts["raid"]["overdue_issues"] == 1
    assert [c["reference"] for c in facts["changes"]["raised"]] == ["CR-1", "CR-2"]
    assert facts["changes"]["pending"] == 1
    assert facts["health"]["overall"] == "red"
    assert {finding["rule"] for finding in facts["health"]["fired"]} >= {"spi", "cpi", "reports_missing"}
    # The manager's RAG starts from the computed health.
    assert report.rag_overall == "red" and report.rag_schedule == "red" and report.rag_risk == "amber"
    event = AuditEvent.objects.for_object(report).get()
    assert event.action == "highlightreport.created" and event.actor == rw.manager


def test_one_report_per_project_and_period(rw):
    _draft(rw)
    before = HighlightReport.objects.count()
    with pytest.raises(InvalidData, match="HERE-1 already has a report for 2026-03"):
        services.create_report(actor=rw.manager, project=rw.project, period_day=date(2026, 3, 30))
    assert HighlightReport.objects.count() == before


@pytest.mark.parametrize(
    ("who", "project", "day", "error", "message"),
    [
        ("manager", "proposed", MARCH, NotFound, "is visible to you"),
        ("head", "proposed", MARCH, DomainError, "HERE-3 is in Proposed: the reporting policy asks reports only"),
        ("analyst", "project", MARCH, PermissionRefused, "may not change"),
        ("manager", "project", date(2099, 1, 1), InvalidData, "has not begun"),
    ],
)
def test_drafting_refusals_name_the_problem_and_create_nothing(rw, who, project, day, error, message):  # noqa: PLR0917
    before = (HighlightReport.objects.count(), AuditEvent.objects.count())
    with pytest.raises(error, match=message):
        services.create_report(actor=getattr(rw, who), project=getattr(rw, project), period_day=day)
    assert (HighlightReport.objects.count(), AuditEvent.objects.count()) == before


# --- writing and submitting ------------------------------------------------------------------------


def test_the_manager_writes_the_narrative_with_an_audit(rw):
    report = _draft(rw, summary="On track.", achievements="Design signed off.")
    assert report.summary == "On track."
    event = AuditEvent.objects.for_object(report).first()
    assert event.action == "highlightreport.changed" and event.after["summary"] == "On track."


def test_narrative_refusals_leave_the_report_as_it_was(rw):
    report = _draft(rw)
    before = _state(report)
    with pytest.raises(InvalidData, match="rag_cost"):
        services.update_report(actor=rw.manager, report=report, changes={"rag_cost": "purple"})
    with pytest.raises(InvalidData, match="status"):
        services.update_report(actor=rw.manager, report=report, changes={"status": "approved"})
    with pytest.raises(PermissionRefused):
        services.update_report(actor=rw.analyst, report=report, changes={"summary": "Mine."})
    assert _state(report) == before


def test_submitting_checks_the_summary_red_comments_and_the_justification(rw):
    report = _draft(rw)
    before = _state(report)
    with pytest.raises(InvalidData) as refused:
        services.submit_report(actor=rw.manager, report=report)
    errors = refused.value.errors
    assert errors["summary"] == ["Write the summary before submitting."]
    assert errors["comment_cost"] == ["Cost is red: say why and what is being done about it."]
    assert "comment_risk" not in errors  # amber needs no comment
    assert "rag_justification" not in errors  # the RAG is the computed one
    assert _state(report) == before

    report = services.update_report(actor=rw.manager, report=report, changes={**NARRATIVE, "rag_risk": "green"})
    with pytest.raises(InvalidData, match=r"differs from the health check on risk \(yours green, computed amber\)"):
        services.submit_report(actor=rw.manager, report=report)
    report = services.update_report(
        actor=rw.manager, report=report, changes={"rag_justification": "The supplier risk was closed yesterday."}
    )
    report = services.submit_report(actor=rw.manager, report=report)
    assert report.status == ReportStatus.SUBMITTED and report.submitted_by == rw.manager
    assert AuditEvent.objects.for_object(report).first().action == "highlightreport.submitted"
    told = set(Notification.objects.filter(url=report.get_absolute_url()).values_list("recipient__username", flat=True))
    assert {"hw.analyst", "org.head", "rw.programme", "here.manager"} <= told
    assert "hw.manager" not in told


def test_a_submitted_report_is_no_longer_written_or_refreshed(rw):
    report = _submitted(rw)
    before = _state(report)
    with pytest.raises(DomainError, match="only a draft or returned report can be edited"):
        services.update_report(actor=rw.manager, report=report, changes={"summary": "Changed."})
    with pytest.raises(DomainError, match="only a draft or returned report can be refreshed"):
        services.refresh_report(actor=rw.manager, report=report)
    with pytest.raises(DomainError, match="only a draft or returned report can be submitted"):
        services.submit_report(actor=rw.manager, report=report)
    assert _state(report) == before


def test_refreshing_takes_the_figures_again_and_keeps_the_narrative(rw):
    report = _draft(rw, summary="Kept.")
    HighlightReport.objects.filter(pk=report.pk).update(facts={})
    report = services.refresh_report(actor=rw.manager, report=HighlightReport.objects.get(pk=report.pk))
    assert report.facts["evm"]["pv"] == 2000 and report.summary == "Kept."
    assert AuditEvent.objects.for_object(report).first().action == "highlightreport.refreshed"


# --- review --------------------------------------------------------------------------------------------


def test_the_pmo_returns_with_a_comment_and_approves_the_resubmission(rw):
    report = _submitted(rw)
    before = _state(report)
    with pytest.raises(InvalidData, match="Say what the manager should change"):
        services.return_report(actor=rw.analyst, report=report, comment="  ")
    with pytest.raises(PermissionRefused, match="reviewed by the PMO"):
        services.approve_report(actor=rw.manager, report=report)
    assert _state(report) == before

    report = services.return_report(actor=rw.analyst, report=report, comment="Say when go-live happens.")
    assert report.status == ReportStatus.RETURNED and report.review_comment == "Say when go-live happens."
    assert Notification.objects.filter(recipient=rw.manager, message__contains="was returned by hw.analyst").exists()

    report = services.update_report(actor=rw.manager, report=report, changes={"next_steps": "Go live on 3 April."})
    report = services.submit_report(actor=rw.manager, report=report)
    report = services.approve_report(actor=rw.analyst, report=report, comment="Thanks.")
    assert report.status == ReportStatus.APPROVED and report.reviewed_by == rw.analyst
    assert Notification.objects.filter(recipient=rw.manager, message__contains="was approved by hw.analyst").exists()
    actions = list(AuditEvent.objects.for_object(report).values_list("action", flat=True))
    assert actions[:4] == [
        "highlightreport.approved",
        "highlightreport.submitted",
        "highlightreport.changed",
        "highlightreport.returned",
    ]
    with pytest.raises(DomainError, match="only a submitted report is reviewed"):
        services.approve_report(actor=rw.analyst, report=report)


def test_nobody_reviews_a_report_they_submitted(rw):
    report = services.create_report(actor=rw.world.permitted, project=rw.project, period_day=MARCH)
    report = services.update_report(actor=rw.world.permitted, report=report, changes=NARRATIVE)
    report = services.submit_report(actor=rw.world.permitted, report=report)
    with pytest.raises(PermissionRefused, match="You submitted this report"):
        services.approve_report(actor=rw.world.permitted, report=report)
    assert services.approve_report(actor=rw.programme_manager, report=report).status == ReportStatus.APPROVED


# --- missing reports, health figures and reminders -------------------------------------------------


def test_reports_missing_and_days_late_feed_the_health_rules(rw):
    figures = selectors.project_report_figures([rw.project.pk, rw.proposed.pk], as_of=date(2026, 4, 10))
    # January (due 5 February), February (due 5 March) and March (due 5 April) are missing.
    assert figures[rw.project.pk] == {"reports_missing": 3.0, "report_days_late": 64.0}
    assert figures[rw.proposed.pk] == {"reports_missing": 0.0, "report_days_late": 0.0}
    _submitted(rw)
    figures = selectors.project_report_figures([rw.project.pk], as_of=date(2026, 4, 10))
    assert figures[rw.project.pk]["reports_missing"] == 2.0
    # The health app asks the registered provider when it records figures.
    recorded = ProjectSnapshot.objects.get(project=rw.project).figures
    assert recorded["reports_missing"] == 2.0 and recorded["report_days_late"] == 45.0


def test_reminders_tell_managers_of_late_and_due_reports_once_a_day(rw):
    report = _submitted(rw)
    # On 4 April the March report is sent; January and February are late.
    sent = services.remind_reports(today=date(2026, 4, 4), email=False)
    assert sent == 1
    message = Notification.objects.filter(recipient=rw.manager).latest("pk").message
    assert message == (
        "The HERE-1 highlight report for 2026-01 was due on 2026-02-05 and is 58 day(s) late (2 reports missing)."
    )
    assert services.remind_reports(today=date(2026, 4, 4), email=False) == 0
    assert ReportReminder.objects.filter(project=rw.project, sent_on=date(2026, 4, 4), is_late=True).count() == 1
    # The next month: with the old ones sent, only the April report due on 5 May is reminded.
    for start in (date(2026, 1, 1), date(2026, 2, 1)):
        HighlightReport.objects.create(
            project=rw.project,
            period_start=start,
            period_end=start.replace(day=28),
            frequency="monthly",
            status=ReportStatus.APPROVED,
        )
    assert report.status == ReportStatus.SUBMITTED
    assert services.remind_reports(today=date(2026, 5, 2), email=False) == 0  # 3 days ahead: not yet
    assert services.remind_reports(today=date(2026, 5, 3), email=False) == 1
    message = Notification.objects.filter(recipient=rw.manager).latest("pk").message
    assert message == "The HERE-1 highlight report for 2026-04 is due on 2026-05-05."


# --- policy ------------------------------------------------------------------------------------------


def test_the_pmo_head_sets_the_policy_and_others_may_not(rw):
    before = _state(rw.policy)
    with pytest.raises(PermissionRefused, match="reporting policy"):
        services.update_policy(actor=rw.analyst, changes={"frequency": "weekly"})
    with pytest.raises(InvalidData, match="Unknown stage"):
        services.update_policy(actor=rw.head, changes={"stages": ["delivery", "dreaming"]})
    with pytest.raises(InvalidData, match="due_days"):
        services.update_policy(actor=rw.head, changes={"due_days": 400})
    assert _state(rw.policy) == before
    policy = services.update_policy(actor=rw.head, changes={"frequency": "weekly", "due_days": 2})
    assert (policy.frequency, policy.due_days, policy.updated_by) == ("weekly", 2, rw.head.person)
    assert AuditEvent.objects.for_object(policy).first().after == {"frequency": "weekly", "due_days": 2}


# --- packs --------------------------------------------------------------------------------------------


def test_a_programme_pack_gathers_approved_reports_and_lists_the_missing(rw):
    report = _submitted(rw)
    services.approve_report(actor=rw.analyst, report=report)
    pack = services.create_pack(actor=rw.analyst, programme=rw.world.programme, period_day=MARCH)
    assert pack.title == "HERE-P highlight reports 2026-03" and pack.status == PackStatus.DRAFT
    content = pack.content
    assert [row["project_code"] for row in content["summary"]] == ["HERE-1", "HERE-2"]
    first, second = content["summary"]
    assert first["status"] == "approved" and first["spi"] == 0.75 and first["rag_overall"] == "red"
    assert first["next_milestone"] == {"name": "Go live", "date": "2026-04-03"}
    assert second["status"] == "missing" and second["is_late"] is True
    assert [section["project_code"] for section in content["sections"]] == ["HERE-1"]
    assert [row["project_code"] for row in content["missing"]] == ["HERE-2"]
    with pytest.raises(InvalidData, match="HERE-P already has a pack for 2026-03"):
        services.create_pack(actor=rw.head, programme=rw.world.programme, period_day=MARCH)


def test_an_issued_pack_is_frozen(rw):
    pack = services.create_pack(actor=rw.programme_manager, programme=rw.world.programme, period_day=MARCH)
    assert pack.content["sections"] == []
    pack = services.issue_pack(actor=rw.analyst, pack=pack)
    assert pack.status == PackStatus.ISSUED and pack.issued_by == rw.analyst
    report = _submitted(rw)
    services.approve_report(actor=rw.analyst, report=report)
    before = _state(pack)
    with pytest.raises(DomainError, match=r"This pack is issued: its content is frozen\."):
        services.refresh_pack(actor=rw.analyst, pack=pack)
    assert _state(pack) == before
    assert ReportPack.objects.get(pk=pack.pk).content["sections"] == []


def test_pack_refusals(rw):
    before = (ReportPack.objects.count(), AuditEvent.objects.count())
    with pytest.raises(PermissionRefused, match="collated by the PMO"):
        services.create_pack(actor=rw.manager, programme=rw.world.programme, period_day=MARCH)
    with pytest.raises(InvalidData, match="one programme or one portfolio"):
        services.create_pack(actor=rw.analyst, period_day=MARCH)
    with pytest.raises(Exception, match="visible to you"):
        services.create_pack(actor=rw.world.elsewhere_user, programme=rw.world.programme, period_day=MARCH)
    assert (ReportPack.objects.count(), AuditEvent.objects.count()) == before
    pack = services.create_pack(actor=rw.head, portfolio=rw.world.portfolio, period_day=MARCH)
    assert pack.programme is None and pack.title == "HERE highlight reports 2026-03"


def test_the_reminder_command(rw):
    out = StringIO()
    call_command("remind_reports", "--date", "2026-04-04", stdout=out)
    assert out.getvalue().strip() == "Sent 1 highlight report reminder(s)."
    with pytest.raises(CommandError, match="--date must be a date as YYYY-MM-DD, not 'April'"):
        call_command("remind_reports", "--date", "April")
