"""KPI pages and API: the library, a KPI's targets and charts, the panel on a target's page, manual
entry, the recommendations to decide on; refusals and query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from pmo.core.choices import Role, ScopeType
from pmo.core.models import AuditEvent
from pmo.core.testing.logins import make_login
from pmo.governance.models import ActionItem
from pmo.kpis import services
from pmo.kpis.models import KPI, Measurement, Recommendation
from pmo.kpis.tests.conftest import add_snapshots, period
from pmo.portfolio import services as portfolio_services

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def measured(world, cpi_kpi, portfolio_cpi):
    add_snapshots(world.project, [1.0, 0.97, 0.94, 0.91])
    for index in range(4):
        services.measure_kpis(period_end=period(index))
    return cpi_kpi


# --- the library ----------------------------------------------------------------------------


def test_library_filters_by_level_and_costs_the_same_queries(client, world, cpi_kpi, portfolio_cpi):
    login(client, world.permitted)
    response = client.get(reverse("kpis:kpi_list"), {"level": "portfolio"})
    assert [kpi.code for kpi in response.context["object_list"]] == ["PF-CPI"]
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("kpis:kpi_list"))
    for number in range(12):
        services.create_kpi(
            actor=world.admin,
            code=f"K{number}",
            name=f"KPI {number}",
            level="programme",
            formula="spi",
            target=1,
            amber=0.9,
            red=0.8,
            project=None,
        )
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("kpis:kpi_list"))
    assert response.context["paginator"].count == 14
    assert len(many.captured_queries) == len(few.captured_queries)
    # Only the PMO sees the New button.
    assert response.context["create_url_name"] == ""
    login(client, world.org_head)
    assert client.get(reverse("kpis:kpi_list")).context["create_url_name"] == "kpis:kpi_create"


def test_defining_a_kpi_on_the_page(client, world):
    login(client, world.permitted)
    assert client.get(reverse("kpis:kpi_create")).status_code == 403
    login(client, world.org_head)
    page = client.get(reverse("kpis:kpi_create"))
    assert page.status_code == 200
    assert b"percent_spent" in page.content and b"Percent spent" in page.content  # the formula help
    data = {
        "code": "SPENT",
        "name": "Spent against done",
        "level": "project",
        "formula": "percent_spent - percent_compleet",
        "unit": "%",
        "target": "0",
        "amber": "5",
        "red": "10",
        "direction": "lower",
        "frequency": "weekly",
        "is_active": "on",
    }
    response = client.post(reverse("kpis:kpi_create"), data)
    assert response.status_code == 200
    assert response.context["form"].errors["formula"] == [
        "Unknown figure 'percent_compleet' at column 17 (did you mean 'percent_complete'?)"
    ]
    assert not KPI.objects.exists()
    response = client.post(reverse("kpis:kpi_create"), {**data, "formula": "percent_spent - percent_complete"})
    kpi = KPI.objects.get(code="SPENT")
    assert response.status_code == 302 and response["Location"] == kpi.get_absolute_url()
    edit = client.post(reverse("kpis:kpi_edit", args=[kpi.pk]), {**data, "formula": "(percent_spent"})
    assert "Missing ')' at column 15" in edit.context["form"].errors["formula"][0]


def test_the_formula_is_checked_as_it_is_typed(client, world):
    login(client, world.permitted)
    url = reverse("kpis:formula_check")
    wrong = client.get(url, {"formula": "ev / spj"}, HTTP_HX_REQUEST="true")
    assert b"Unknown figure &#x27;spj&#x27; at column 6 (did you mean &#x27;spi&#x27;?)" in wrong.content
    right = client.get(url, {"formula": "ev / ac"})
    assert b'data-formula-status="ok"' in right.content and b"Earned value" in right.content


def test_a_kpi_page_shows_its_targets_and_trend_charts(client, world, measured):
    login(client, world.permitted)
    response = client.get(reverse("kpis:kpi_detail", args=[measured.pk]))
    assert response.status_code == 200
    targets = response.context["targets"]
    assert [t.target for t in targets] == [world.project]
    assert targets[0].latest.status == "amber"  # 0.91 is worse than 0.95, not than 0.9
    chart = response.context["charts"][0]
    names = [trace["name"] for trace in chart["figure"]["data"]]
    assert names == ["CPI", "Target", "Centre line", "Upper limit", "Lower limit", "Flagged"]
    assert b'data-chart="kpi-trend-project-' in response.content
    # Another user's view of the same KPI: the targets they cannot see are not there.
    login(client, world.elsewhere_user)
    assert client.get(reverse("kpis:kpi_detail", args=[measured.pk])).context["targets"] == []


def test_the_panel_on_a_project_page(client, world, measured):
    login(client, world.permitted)
    response = client.get(reverse("kpis:target_panel", args=["project", world.project.pk]))
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [row.kpi.code for row in rows] == ["CPI"]
    assert rows[0].trend == "down" and rows[0].trend_is_good is False
    assert "Fell 3 periods in a row" in response.content.decode()
    assert reverse("kpis:measurement_create", args=["project", world.project.pk]).encode() in response.content
    portfolio = client.get(reverse("kpis:target_panel", args=["portfolio", world.portfolio.pk]))
    assert [row.kpi.code for row in portfolio.context["rows"]] == ["PF-CPI"]
    login(client, world.elsewhere_user)
    assert client.get(reverse("kpis:target_panel", args=["project", world.project.pk])).status_code == 404
    assert client.get(reverse("kpis:target_panel", args=["team", world.project.pk])).status_code == 404


def test_entering_a_value_by_hand(client, world, cpi_kpi):
    url = reverse("kpis:measurement_create", args=["project", world.project.pk])
    viewer = make_login("team.viewer", Role.TEAM_MEMBER, ScopeType.PROJECT, world.project.pk)
    login(client, viewer)
    assert client.get(url).status_code == 403
    login(client, world.elsewhere_user)
    assert client.get(url).status_code == 404
    login(client, world.permitted)
    data = {"kpi": cpi_kpi.pk, "period_end": "2026-01-06", "value": "0.93", "note": "From the finance close"}
    response = client.post(url, data)
    assert "is a Tuesday; periods end on a Sunday" in response.context["form"].errors["period_end"][0]
    response = client.post(url, {**data, "period_end": period(0).isoformat()})
    assert response.status_code == 302
    row = Measurement.objects.get(kpi=cpi_kpi)
    assert (row.value, row.status, row.source, row.recorded_by) == (0.93, "amber", "manual", world.permitted)


def test_recommendations_are_accepted_into_actions_or_dismissed(client, world, measured):
    login(client, world.permitted)
    response = client.get(reverse("kpis:recommendation_list"))
    proposals = list(response.context["object_list"])
    assert {r.rule for r in proposals} >= {"cost-worsening"}
    worsening = next(r for r in proposals if r.rule == "cost-worsening")
    response = client.post(reverse("kpis:recommendation_accept", args=[worsening.pk]), {"due_on": "2026-03-01"})
    assert response.status_code == 302
    worsening.refresh_from_db()
    assert worsening.status == "accepted"
    assert ActionItem.objects.get(pk=worsening.action_id).due_on.isoformat() == "2026-03-01"
    others = [r for r in proposals if r.pk != worsening.pk]
    for other in others:
        client.post(reverse("kpis:recommendation_dismiss", args=[other.pk]), {"reason": ""})
        other.refresh_from_db()
        assert other.status == "proposed"
        client.post(reverse("kpis:recommendation_dismiss", args=[other.pk]), {"reason": "One-off invoice"})
        other.refresh_from_db()
        assert other.status == "dismissed" and other.decision_reason == "One-off invoice"
    assert client.get(reverse("kpis:recommendation_list")).context["paginator"].count == 0
    decided = client.get(reverse("kpis:recommendation_list"), {"status": "accepted"})
    assert [r.pk for r in decided.context["object_list"]] == [worsening.pk]
    login(client, world.elsewhere_user)
    assert client.post(reverse("kpis:recommendation_accept", args=[worsening.pk])).status_code == 404


# --- the API --------------------------------------------------------------------------------


def test_api_kpis_are_written_by_the_pmo_with_the_formula_checked(world):
    body = {
        "code": "MS",
        "name": "Milestones late",
        "level": "project",
        "formula": "percent(milestones_late, milestones_due",
        "target": 0,
        "amber": 10,
        "red": 25,
        "direction": "lower",
    }
    assert api(world.permitted).post(reverse("api:kpi-list"), body, format="json").status_code == 403
    response = api(world.org_head).post(reverse("api:kpi-list"), body, format="json")
    assert response.status_code == 400
    assert "Missing ')' at column 40" in response.json()["errors"]["formula"][0]
    response = api(world.org_head).post(
        reverse("api:kpi-list"), {**body, "formula": "percent(milestones_late, milestones_due)"}, format="json"
    )
    assert response.status_code == 201, response.content
    kpi = KPI.objects.get(code="MS")
    duplicate = api(world.org_head).post(reverse("api:kpi-list"), {**body, "formula": "milestones_late"}, format="json")
    assert duplicate.status_code == 400 and "code" in duplicate.json()["errors"]
    assert api(world.permitted).get(reverse("api:kpi-detail", args=[kpi.pk])).json()["formula"].startswith("percent(")
    assert api(world.org_head).delete(reverse("api:kpi-detail", args=[kpi.pk])).status_code == 204
    assert not KPI.objects.filter(pk=kpi.pk).exists()


def test_api_measurements_and_recommendations(world, measured):
    client = api(world.permitted)
    listed = client.get(reverse("api:kpi-measurement-list"), {"kpi": measured.pk, "project": world.project.pk})
    assert listed.json()["count"] == 4
    assert any(row["flags"] for row in listed.json()["results"])
    body = {"kpi": measured.pk, "project": world.project.pk, "period_end": period(3).isoformat(), "value": 0.99}
    response = client.post(reverse("api:kpi-measurement-list"), body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["source"] == "manual" and response.json()["status"] == "green"
    assert AuditEvent.objects.filter(action="measurement.corrected").count() == 1
    wrong = client.post(reverse("api:kpi-measurement-list"), {**body, "period_end": "2026-01-07"}, format="json")
    assert wrong.status_code == 400 and "period_end" in wrong.json()["errors"]
    elsewhere = api(world.elsewhere_user).post(reverse("api:kpi-measurement-list"), body, format="json")
    assert elsewhere.status_code in (400, 404)
    assert Measurement.objects.get(kpi=measured, period_end=period(3)).value == 0.99

    proposals = client.get(reverse("api:kpi-recommendation-list"), {"status": "proposed"}).json()["results"]
    assert proposals
    first, *rest = proposals
    accepted = client.post(reverse("api:kpi-recommendation-accept", args=[first["id"]]), {}, format="json")
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted" and accepted.json()["action"]
    again = client.post(reverse("api:kpi-recommendation-accept", args=[first["id"]]), {}, format="json")
    assert again.status_code == 400
    if rest:
        missing = client.post(reverse("api:kpi-recommendation-dismiss", args=[rest[0]["id"]]), {}, format="json")
        assert missing.status_code == 400 and "reason" in missing.json()["errors"]
    assert api(world.elsewhere_user).get(reverse("api:kpi-recommendation-list")).json()["count"] == 0


def test_api_lists_cost_the_same_queries(world, measured):
    client = api(world.permitted)
    client.get(reverse("api:kpi-measurement-list"))  # the user's grants are read once, then kept
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("api:kpi-measurement-list"))
    add_snapshots(world.project, [0.9, 0.89, 0.88], start=4)
    for index in range(4, 7):
        services.measure_kpis(period_end=period(index))
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("api:kpi-measurement-list"))
    assert response.json()["count"] > 8
    assert len(many.captured_queries) == len(few.captured_queries)
    with CaptureQueriesContext(connection) as recommendations:
        client.get(reverse("api:kpi-recommendation-list"))
    assert len(recommendations.captured_queries) <= len(few.captured_queries) + 1
    assert Recommendation.objects.exists()


def test_kpi_page_and_panel_cost_the_same_queries_for_more_targets(client, world, measured):
    login(client, world.permitted)
    detail = reverse("kpis:kpi_detail", args=[measured.pk])
    panel = reverse("kpis:target_panel", args=["portfolio", world.portfolio.pk])
    client.get(detail)
    with CaptureQueriesContext(connection) as few_detail:
        client.get(detail)
    with CaptureQueriesContext(connection) as few_panel:
        client.get(panel)
    for number in range(2, 7):
        project = portfolio_services.create_project(
            actor=world.admin, portfolio=world.portfolio, code=f"HERE-{number}", name=f"Project {number}"
        )
        add_snapshots(project, [1.0, 0.97, 0.94, 0.91])
    services.measure_periods(periods=[period(index) for index in range(4)])
    with CaptureQueriesContext(connection) as many_detail:
        response = client.get(detail)
    assert len(response.context["targets"]) == 6
    with CaptureQueriesContext(connection) as many_panel:
        client.get(panel)
    assert len(many_detail.captured_queries) == len(few_detail.captured_queries)
    assert len(many_panel.captured_queries) == len(few_panel.captured_queries)


def test_a_kpi_page_lists_its_targets_a_page_at_a_time_the_worst_first(client, world, measured, monkeypatch):
    from pmo.kpis import views

    monkeypatch.setattr(views, "TARGETS_PER_PAGE", 2)
    login(client, world.permitted)
    for number, values in ((2, [1.0, 1.0, 1.0, 1.0]), (3, [0.8, 0.8, 0.8, 0.8])):
        project = portfolio_services.create_project(
            actor=world.admin, portfolio=world.portfolio, code=f"PAGE-{number}", name=f"Project {number}"
        )
        add_snapshots(project, values)
    services.measure_periods(periods=[period(index) for index in range(4)])
    detail = reverse("kpis:kpi_detail", args=[measured.pk])
    first = client.get(detail)
    assert [t.target.code for t in first.context["targets"]] == ["PAGE-3", world.project.code]
    assert b"Page 1 of 2 (3 targets, the worst first)" in first.content
    second = client.get(detail, {"page": 2})
    assert [t.target.code for t in second.context["targets"]] == ["PAGE-2"]
    assert client.get(detail, {"page": "x"}).context["page_obj"].number == 1
