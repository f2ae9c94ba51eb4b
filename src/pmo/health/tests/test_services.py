"""Recording snapshots and health checks (upsert, latest, which projects), the command and
the task, and the PMO's rule settings."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from pmo.core.errors import InvalidData, PermissionRefused
from pmo.core.models import AuditEvent
from pmo.health import selectors, services, tasks
from pmo.health.models import HealthCheck, HealthRuleSetting, ProjectSnapshot
from pmo.portfolio.choices import LifecycleStage
from pmo.portfolio.models import Project


def test_record_upserts_and_keeps_one_latest_per_project(hw):
    here = hw.world.project
    assert services.record_snapshots(project_ids=[here.pk], period_end=date(2026, 3, 22)) == 1
    services.record_snapshots(project_ids=[here.pk], period_end=date(2026, 3, 15))
    services.record_snapshots(project_ids=[here.pk], period_end=date(2026, 3, 22))
    assert ProjectSnapshot.objects.filter(project=here).count() == 2
    latest = ProjectSnapshot.objects.get(project=here, is_latest=True)
    assert latest.period_end == date(2026, 3, 22)
    assert (latest.bac, latest.pv, latest.ev, latest.ac) == (3000, 2000, 1500, 1800)
    assert latest.figures["spi_t"] == pytest.approx(2.5 / 3)
    check = HealthCheck.objects.get(project=here, is_latest=True)
    assert check.period_end == date(2026, 3, 22)
    assert (check.overall, check.schedule, check.cost, check.risk) == ("red", "red", "red", "amber")
    assert check.fired[0]["status"] == "red"
    # An earlier week recorded again does not take the latest mark away.
    services.record_snapshots(project_ids=[here.pk], period_end=date(2026, 3, 15))
    assert HealthCheck.objects.get(project=here, is_latest=True).period_end == date(2026, 3, 22)


def test_pmo_thresholds_are_used(hw):
    services.update_rule_setting(actor=hw.world.org_head, rule="cpi", amber=0.8, red=0.7)
    services.update_rule_setting(actor=hw.world.org_head, rule="tcpi", enabled=False)
    services.record_snapshots(project_ids=[hw.world.project.pk], period_end=date(2026, 3, 22))
    check = HealthCheck.objects.get(project=hw.world.project, is_latest=True)
    assert check.cost == "green"
    cpi = next(finding for finding in check.findings if finding["rule"] == "cpi")
    assert (cpi["amber"], cpi["red"], cpi["status"]) == (0.8, 0.7, "green")


def test_by_default_projects_past_initiation_and_not_archived(hw):
    # HERE-1 is in delivery; ELSE-1 was proposed.
    count = services.record_snapshots()
    assert count == 1
    assert set(HealthCheck.objects.values_list("project__code", flat=True)) == {"HERE-1"}
    assert HealthCheck.objects.get().period_end == services.default_period_end()
    Project.objects.filter(pk=hw.world.other_project.pk).update(stage=LifecycleStage.PLANNING)
    Project.objects.filter(pk=hw.world.project.pk).update(is_archived=True)
    services.record_snapshots()
    assert HealthCheck.objects.filter(is_latest=True).count() == 2
    assert set(HealthCheck.objects.values_list("project__code", flat=True)) == {"HERE-1", "ELSE-1"}


@pytest.mark.parametrize(
    ("period_end", "message"),
    [(date(2026, 3, 18), "is a Wednesday"), (date(2099, 1, 4), "after the current week")],
)
def test_bad_period_end_is_refused_and_nothing_stored(hw, period_end, message):
    with pytest.raises(InvalidData, match=message):
        services.record_snapshots(project_ids=[hw.world.project.pk], period_end=period_end)
    assert not ProjectSnapshot.objects.exists()


def test_unknown_project_and_refused_actor(hw):
    with pytest.raises(InvalidData, match="No project with id 999999"):
        services.record_snapshots(project_ids=[999999])
    with pytest.raises(PermissionRefused):
        services.record_snapshots(actor=hw.manager, project_ids=[hw.world.other_project.pk])
    with pytest.raises(PermissionRefused):
        services.refresh_project(actor=hw.analyst, project=hw.world.project)
    assert not ProjectSnapshot.objects.exists()
    assert not AuditEvent.objects.filter(action="health.refreshed").exists()


def test_rule_settings_need_the_pmo_and_sound_thresholds(hw):
    with pytest.raises(PermissionRefused):
        services.update_rule_setting(actor=hw.manager, rule="cpi", amber=0.9, red=0.8)
    with pytest.raises(InvalidData, match="must be above its red threshold"):
        services.update_rule_setting(actor=hw.world.org_head, rule="cpi", amber=0.8, red=0.9)
    with pytest.raises(InvalidData, match="no health rule"):
        services.update_rule_setting(actor=hw.world.org_head, rule="nope", amber=1, red=2)
    with pytest.raises(InvalidData, match="not a number"):
        services.update_rule_setting(actor=hw.world.org_head, rule="cpi", amber="high")
    assert not HealthRuleSetting.objects.exists()
    setting = services.update_rule_setting(actor=hw.world.org_head, rule="cpi", red=0.8, reason="Stricter")
    assert (setting.amber, setting.red) == (0.95, 0.8)
    services.update_rule_setting(actor=hw.world.org_head, rule="cpi", amber=0.97)
    event = AuditEvent.objects.filter(action="healthrulesetting.changed").get()
    assert event.before == {"amber": 0.95} and event.after == {"amber": 0.97}
    with pytest.raises(InvalidData, match="no health rule"):
        services.reset_rule_setting(actor=hw.world.org_head, rule="nope")
    services.reset_rule_setting(actor=hw.world.org_head, rule="cpi")
    assert not HealthRuleSetting.objects.exists()


def test_command_and_task(hw):
    out = StringIO()
    call_command("record_health", "--project", "HERE-1", "--period-end", "2026-03-22", stdout=out)
    assert "Recorded the health of 1 project(s) for the week ending 2026-03-22" in out.getvalue()
    with pytest.raises(CommandError, match="No project with code NOPE"):
        call_command("record_health", "--project", "NOPE")
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("record_health", "--period-end", "yesterday")
    with pytest.raises(CommandError, match="is a Monday"):
        call_command("record_health", "--period-end", "2026-03-23")
    assert tasks.record_health.call() == 1


def test_evm_series_and_portfolio_series(hw, django_assert_num_queries):
    here = hw.world.project
    services.record_snapshots(project_ids=[here.pk], period_end=date(2026, 3, 15))
    services.record_snapshots(project_ids=[here.pk, hw.world.other_project.pk], period_end=date(2026, 3, 22))
    series = selectors.evm_series(here, as_of=date(2026, 3, 22))
    assert series["has_baseline"]
    assert series["period_ends"][0] == date(2026, 3, 8) and series["pv"] == [500, 1000, 2000, 3000]
    assert [row["period_end"] for row in series["history"]] == [date(2026, 3, 15), date(2026, 3, 22)]
    assert series["history"][-1]["ev"] == 1500
    figure = selectors.s_curve_figure(series)
    assert [trace["name"][:2] for trace in figure["data"]] == ["PV", "EV", "AC"]
    assert figure["data"][0]["x"][0] == "2026-03-08"
    assert not selectors.evm_series(hw.world.other_project, as_of=date(2026, 3, 22))["has_baseline"]
    with django_assert_num_queries(1):
        summed = selectors.portfolio_series(Project.objects.all())
    assert summed["period_ends"] == [date(2026, 3, 15), date(2026, 3, 22)]
    assert summed["ev"][-1] == 1500 and summed["ac"][-1] == 1800
