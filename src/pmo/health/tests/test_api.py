"""The health API: latest checks (filterable), one project's health with findings and measures,
recompute now, snapshots, and the PMO's rule settings."""

from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from pmo.core.models import AuditEvent
from pmo.health import services
from pmo.health.models import HealthRuleSetting, ProjectSnapshot


def api(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def record(hw, *period_ends):
    for period_end in period_ends:
        services.record_snapshots(project_ids=[hw.world.project.pk, hw.world.other_project.pk], period_end=period_end)


def test_latest_checks_with_findings_and_filters(hw):
    record(hw, date(2026, 3, 15), date(2026, 3, 22))
    client = api(hw.world.admin)
    rows = client.get(reverse("api:health-check-list")).json()["results"]
    assert {row["project_code"] for row in rows} == {"HERE-1", "ELSE-1"}
    assert all(row["is_latest"] and row["period_end"] == "2026-03-22" for row in rows)
    here = next(row for row in rows if row["project_code"] == "HERE-1")
    assert here["overall"] == "red" and here["cost"] == "red"
    assert here["findings"][0]["status"] == "red" and here["findings"][0]["message"]
    history = client.get(reverse("api:health-check-list"), {"history": "true"}).json()
    assert history["count"] == 4
    red_cost = client.get(reverse("api:health-check-list"), {"status": "red", "dimension": "cost"}).json()
    assert [row["project_code"] for row in red_cost["results"]] == ["HERE-1"]
    bad = client.get(reverse("api:health-check-list"), {"status": "purple"})
    assert bad.status_code == 400 and "status" in bad.json()["errors"]


def test_one_projects_health_and_measures(hw):
    client = api(hw.manager)
    answer = client.get(reverse("api:project-health-detail", args=[hw.world.project.pk])).json()
    assert answer["is_live"] is True
    assert set(answer["dimensions"]) == {"schedule", "cost", "scope", "risk", "resources", "governance"}
    measures = {row["name"]: row["value"] for row in answer["measures"]}
    assert measures["bac"] == 3000 and "tcpi" in measures and "ieac_t" in measures
    assert any(finding["rule"] == "cpi" for finding in answer["findings"])
    assert client.get(reverse("api:project-health-detail", args=[hw.world.other_project.pk])).status_code == 404


def test_refresh_through_the_api(hw):
    url = reverse("api:project-health-refresh", args=[hw.world.project.pk])
    assert api(hw.analyst).post(url).status_code == 403
    assert not ProjectSnapshot.objects.exists()
    response = api(hw.manager).post(url, {"reason": "Progress updated"}, format="json")
    assert response.status_code == 200 and response.json()["is_live"] is False
    assert AuditEvent.objects.filter(action="health.refreshed", reason="Progress updated").exists()


def test_snapshots_list_and_filters(hw):
    record(hw, date(2026, 3, 15), date(2026, 3, 22))
    client = api(hw.world.admin)
    rows = client.get(reverse("api:project-snapshot-list"), {"project": hw.world.project.pk}).json()["results"]
    assert [row["period_end"] for row in rows] == ["2026-03-22", "2026-03-15"]
    assert rows[0]["ev"] == 1500 and rows[0]["figures"]["milestone_slip_days"] == 7
    latest = client.get(reverse("api:project-snapshot-list"), {"is_latest": "true"}).json()
    assert latest["count"] == 2


def test_pmo_tunes_rules_and_bad_thresholds_are_refused(hw):
    client = api(hw.world.org_head)
    created = client.post(reverse("api:health-rule-list"), {"rule": "spi", "amber": 0.9, "red": 0.8}, format="json")
    assert created.status_code == 201, created.content
    url = created.json()["url"]
    refused = client.patch(url, {"amber": 0.7}, format="json")
    assert refused.status_code == 400 and "amber" in refused.json()["errors"]
    assert HealthRuleSetting.objects.get(rule="spi").amber == 0.9
    unknown = client.post(reverse("api:health-rule-list"), {"rule": "nonsense", "amber": 1, "red": 2}, format="json")
    assert unknown.status_code == 400
    assert api(hw.manager).patch(url, {"amber": 0.95}, format="json").status_code == 403
    assert HealthRuleSetting.objects.get(rule="spi").amber == 0.9
    changed = client.patch(url, {"enabled": False}, format="json")
    assert changed.status_code == 200 and changed.json()["enabled"] is False


def test_list_endpoints_cost_the_same_for_more_rows(hw):
    client = api(hw.world.admin)
    services.record_snapshots(project_ids=[hw.world.project.pk], period_end=date(2026, 3, 15))
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("api:health-check-list"), {"history": "true"})
            client.get(reverse("api:project-snapshot-list"))
        counts.append(len(queries))
        record(hw, date(2026, 3, 22))
    assert counts[0] == counts[1]
