"""Pages: the panel on every project page (with the reason when nothing can be judged), the full
health page, recompute now, the PMO's rule settings and the health list."""

import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pmo.core.models import AuditEvent
from pmo.health import services
from pmo.health.models import HealthCheck, HealthRuleSetting, ProjectSnapshot


def client_for(client, user):
    client.force_login(user)
    return client


def test_project_page_loads_the_health_panel(client, hw):
    page = client_for(client, hw.world.admin).get(hw.world.project.get_absolute_url())
    assert page.status_code == 200
    assert f'hx-get="{reverse("health:project_panel", args=[hw.world.project.pk])}"' in page.content.decode()


def test_panel_of_a_project_without_baseline_says_not_assessed_and_why(client, hw):
    page = client_for(client, hw.world.admin).get(reverse("health:project_panel", args=[hw.world.other_project.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Not assessed" in text
    assert "SPI is not assessed: no primary baseline, nothing planned by now, or progress not measured yet" in text
    assert "Judged now" in text


def test_panel_shows_the_fired_rules_with_their_numbers(client, hw):
    services.record_snapshots(project_ids=[hw.world.project.pk], period_end=date(2026, 3, 22))
    page = client_for(client, hw.manager).get(reverse("health:project_panel", args=[hw.world.project.pk]))
    text = page.content.decode()
    assert "Week ending 2026-03-22" in text
    assert "Why" in text
    assert "SPI 0.75 is below the red threshold 0.85" in text
    assert "Open high risks 2 is above the amber threshold 1" in text
    assert reverse("health:settings") in text


def test_panel_is_not_shown_outside_the_users_scope(client, hw):
    page = client_for(client, hw.world.elsewhere_user).get(reverse("health:project_panel", args=[hw.world.project.pk]))
    assert page.status_code == 404


def test_project_health_page_with_evm_section(client, hw):
    services.record_snapshots(project_ids=[hw.world.project.pk], period_end=date(2026, 3, 15))
    services.record_snapshots(project_ids=[hw.world.project.pk], period_end=date(2026, 3, 22))
    page = client_for(client, hw.manager).get(reverse("health:project_health", args=[hw.world.project.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert 'id="evm-s-curve"' in text and 'id="evm-indices"' in text
    for label in ("Planned value", "Earned value", "Actual cost", "TCPI", "Earned schedule", "SPI (time)"):
        assert label in text
    assert "2026-03-15" in text and "2026-03-22" in text
    assert 'id="refresh-health"' in text


def test_health_page_without_baseline_explains(client, hw):
    page = client_for(client, hw.world.admin).get(reverse("health:project_health", args=[hw.world.other_project.pk]))
    assert "no primary baseline yet" in page.content.decode()


def test_refresh_by_the_manager_records_and_audits(client, hw):
    url = reverse("health:project_refresh", args=[hw.world.project.pk])
    response = client_for(client, hw.manager).post(url)
    assert response.status_code == 302
    assert HealthCheck.objects.filter(project=hw.world.project, is_latest=True).count() == 1
    assert AuditEvent.objects.filter(action="health.refreshed").count() == 1


def test_refresh_refused_to_a_reader_changes_nothing(client, hw):
    url = reverse("health:project_refresh", args=[hw.world.project.pk])
    response = client_for(client, hw.analyst).post(url)
    assert response.status_code == 403
    assert not ProjectSnapshot.objects.exists()
    assert not AuditEvent.objects.filter(action="health.refreshed").exists()
    assert client.get(url).status_code == 405


def test_pmo_tunes_a_rule(client, hw):
    response = client_for(client, hw.world.org_head).post(
        reverse("health:settings"), {"rule": "cpi", "amber": "0.9", "red": "0.8", "enabled": "on", "reason": "Tighter"}
    )
    assert response.status_code == 302
    setting = HealthRuleSetting.objects.get(rule="cpi")
    assert (setting.amber, setting.red, setting.enabled) == (0.9, 0.8, True)
    assert AuditEvent.objects.filter(action="healthrulesetting.created", reason="Tighter").exists()
    assert "Back to the defaults" in client.get(reverse("health:settings")).content.decode()
    assert client.post(reverse("health:settings"), {"reset": "cpi"}).status_code == 302
    assert not HealthRuleSetting.objects.exists()
    assert AuditEvent.objects.filter(action="healthrulesetting.reset").exists()


def test_bad_thresholds_are_refused_with_the_reason(client, hw):
    response = client_for(client, hw.world.org_head).post(
        reverse("health:settings"), {"rule": "cpi", "amber": "0.7", "red": "0.8", "enabled": "on"}
    )
    assert response.status_code == 400
    assert "must be above its red threshold" in response.content.decode()
    assert not HealthRuleSetting.objects.exists()
    response = client.post(reverse("health:settings"), {"rule": "cpi", "amber": "lots", "red": "0.8"})
    assert response.status_code == 400 and not HealthRuleSetting.objects.exists()


def test_settings_are_read_only_outside_the_pmo(client, hw):
    page = client_for(client, hw.manager).get(reverse("health:settings"))
    assert page.status_code == 200 and "Only the PMO may change" in page.content.decode()
    response = client.post(reverse("health:settings"), {"rule": "cpi", "amber": "0.9", "red": "0.8"})
    assert response.status_code == 403
    assert not HealthRuleSetting.objects.exists()
    services.update_rule_setting(actor=hw.world.org_head, rule="cpi", amber=0.9, red=0.8)
    assert client.post(reverse("health:settings"), {"reset": "cpi"}).status_code == 403
    assert HealthRuleSetting.objects.filter(rule="cpi").exists()


def listed(response) -> set[str]:
    return set(re.findall(r'<tr data-project="([^"]+)"', response.content.decode()))


def test_health_list_filters_by_status_and_dimension(client, hw):
    here, other = hw.world.project.code, hw.world.other_project.code
    both = [hw.world.project.pk, hw.world.other_project.pk]
    services.record_snapshots(project_ids=both, period_end=date(2026, 3, 22))
    user = client_for(client, hw.world.admin)
    url = reverse("health:health_list")
    assert listed(user.get(url)) == {here, other}
    assert listed(user.get(url, {"status": "red", "dimension": "cost"})) == {here}
    assert listed(user.get(url, {"status": "not_assessed", "dimension": "cost"})) == {other}
    assert listed(user.get(url, {"status": "red"})) == {here}
    assert listed(user.get(url, {"portfolio": hw.world.other_portfolio.pk})) == {other}
    response = user.get(url, {"portfolio": "x"})
    assert response.status_code == 200 and "Enter a whole number" in response.content.decode()
    assert listed(response) == set()
    # Someone elsewhere sees only their projects.
    assert listed(client_for(client, hw.world.elsewhere_user).get(url)) == {other}


@pytest.mark.parametrize("name", ["health:health_list"])
def test_list_query_count_does_not_grow_with_rows(client, hw, name):
    user = client_for(client, hw.world.admin)
    services.record_snapshots(project_ids=[hw.world.project.pk], period_end=date(2026, 3, 22))
    with CaptureQueriesContext(connection) as few:
        user.get(reverse(name))
    services.record_snapshots(project_ids=[hw.world.other_project.pk], period_end=date(2026, 3, 22))
    with CaptureQueriesContext(connection) as many:
        user.get(reverse(name))
    assert len(few) == len(many)
