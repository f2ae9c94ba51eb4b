"""The dashboards as a board member and the PMO use them: every figure comes from the filtered
selection of projects the user may see, in a number of queries that does not grow with the
projects; bad filters answer 400 naming the parameter; the API answers the same figures."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pmo.dashboards import selectors
from pmo.dashboards.testing import PERIODS, TODAY, add_projects, figures_of
from pmo.governance.models import Risk
from pmo.health.models import HealthCheck, ProjectSnapshot
from pmo.portfolio.choices import LifecycleStage
from pmo.portfolio.models import Project
from pmo_engine.metrics import aggregate

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr(selectors.timezone, "localdate", lambda *args, **kwargs: TODAY)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    return len(captured)


def _urls(world) -> dict[str, str]:
    return {
        "portfolio": reverse("dashboards:portfolio"),
        "portfolio_filtered": reverse("dashboards:portfolio") + f"?portfolio={world.portfolio.pk}&stage=delivery",
        "programme": reverse("dashboards:programme", args=[world.programme.pk]),
        "api_portfolio": reverse("api:dashboard-portfolio"),
        "api_programme": reverse("api:dashboard-programme", args=[world.programme.pk]),
        "projects": reverse("dashboards:projects") + "?dimension=schedule&health=red",
    }


@pytest.mark.parametrize("who", ["admin", "permitted"])
def test_group_dashboards_use_the_same_number_of_queries_for_few_and_many_projects(world, who):
    add_projects(world, 2)
    client = _client(getattr(world, who))
    urls = _urls(world)
    for url in urls.values():  # the first request also creates the default risk scale
        client.get(url)
    few = {name: _count(client, url) for name, url in urls.items()}
    add_projects(world, 25, start=2)
    add_projects(world, 5, start=100, programme=world.other_programme, portfolio=world.other_portfolio, prefix="OUT")
    many = {name: _count(client, url) for name, url in urls.items()}
    assert many == few


@pytest.mark.parametrize("who", ["admin", "permitted"])
def test_project_dashboard_uses_the_same_number_of_queries_whatever_the_project_holds(world, who):
    small, large = add_projects(world, 2)
    for week in range(3, 40):
        ProjectSnapshot.objects.create(project=large, period_end=TODAY - timedelta(weeks=week), figures={"pv": 1.0})
    Risk.objects.bulk_create(
        [Risk(project=large, title=f"R{n}", raised_on=TODAY, probability=2, impact=2, score=4) for n in range(30)]
    )
    client = _client(getattr(world, who))
    client.get(reverse("dashboards:project", args=[small.pk]))  # creates the default risk scale
    for prefix in ("", "/api/v1"):
        counts = {
            project.code: _count(client, f"{prefix}{reverse('dashboards:project', args=[project.pk])}")
            if not prefix
            else _count(client, reverse("api:dashboard-project", args=[project.pk]))
            for project in (small, large)
        }
        assert counts[small.code] == counts[large.code]


def test_figures_add_up_over_the_selection(world):
    projects = add_projects(world, 6)
    response = _client(world.admin).get(reverse("dashboards:portfolio"), {"portfolio": world.portfolio.pk})
    data = response.context["dashboard"]
    # world.project (proposed, nothing recorded) and six projects in delivery.
    assert data["projects"] == 7
    assert data["health"] == {"red": 2, "amber": 2, "green": 1, "not_assessed": 2}
    assert data["manager_rag"] == {"red": 2, "amber": 2, "green": 3}
    schedule = next(row for row in data["dimensions"] if row["dimension"] == "schedule")
    assert sum(schedule[s] for s in ("red", "amber", "green", "not_assessed")) == 7
    expected = aggregate([figures_of(number, 2) for number in range(6)])
    assert data["evm"]["bac"] == pytest.approx(expected["bac"])
    assert data["evm"]["spi"] == pytest.approx(expected["spi"], abs=1e-4)
    assert data["evm"]["cpi"] == pytest.approx(expected["cpi"], abs=1e-4)
    assert data["evm"]["vac"] == pytest.approx(expected["vac"], abs=1e-3)
    assert data["evm"]["projects_recorded"] == 6 and data["evm"]["period_end"] == TODAY
    assert {point["code"] for point in data["performance"]} == {project.code for project in projects}
    assert [row["period_end"] for row in data["s_curve"]] == list(PERIODS)
    assert data["s_curve"][0]["pv"] == pytest.approx(sum(figures_of(n, 0)["pv"] for n in range(6)))
    assert data["milestones"]["count"] == 6 and data["milestones"]["late"] == 6
    first = data["milestones"]["items"][0]
    assert first["forecast"] == TODAY + timedelta(days=10) and first["slip_days"] == 3
    assert data["risks"]["open"] == 6
    assert [risk["residual_score"] for risk in data["risks"]["items"]][:3] == [15, 12, 9]
    assert len(data["value_risk_cost"]) == 6 and data["value_risk_cost"][0]["value"] == 1.0
    capacity = data["capacity"]
    assert capacity["overloaded_people"] == sum(n % 3 for n in range(6))
    assert capacity["worst_overload_pct"] == 130.0
    assert sum(band["projects"] for band in capacity["bands"]) == 6
    assert capacity["projects_not_recorded"] == 1


def test_a_project_outside_the_users_scope_never_counts(world):
    add_projects(world, 3)
    add_projects(world, 4, start=50, programme=world.other_programme, portfolio=world.other_portfolio, prefix="OUT")
    outside = Risk.objects.filter(project__code__startswith="OUT").first()
    Risk.objects.filter(pk=outside.pk).update(residual_score=25, residual_probability=5, residual_impact=5)
    mine = _client(world.permitted).get(reverse("dashboards:portfolio")).context["dashboard"]
    everyone = _client(world.admin).get(reverse("dashboards:portfolio")).context["dashboard"]
    assert mine["projects"] == 4 and everyone["projects"] == 9
    assert sum(mine["health"].values()) == 4
    assert mine["evm"]["bac"] == pytest.approx(sum(figures_of(n, 2)["bac"] for n in range(3)))
    assert all(not point["code"].startswith("OUT") for point in mine["performance"] + mine["value_risk_cost"])
    assert mine["s_curve"][-1]["pv"] == pytest.approx(sum(figures_of(n, 2)["pv"] for n in range(3)))
    assert mine["milestones"]["count"] == 3 and mine["risks"]["open"] == 3
    assert all(risk["project_id"] != outside.project_id for risk in mine["risks"]["items"])
    assert everyone["risks"]["items"][0]["id"] == outside.pk
    assert mine["capacity"]["overloaded_people"] == sum(n % 3 for n in range(3))
    # Asking for the other portfolio by id is refused as an unknown choice, not answered.
    response = _client(world.permitted).get(reverse("dashboards:portfolio"), {"portfolio": world.other_portfolio.pk})
    assert response.status_code == 400 and "portfolio" in response.context["filterset"].errors
    api = _client(world.permitted).get(reverse("api:dashboard-portfolio"), {"portfolio": world.other_portfolio.pk})
    assert api.status_code == 400 and "portfolio" in api.json()["errors"]


def test_scoped_dashboards_are_not_found_outside_the_scope(world):
    add_projects(world, 1)
    elsewhere = _client(world.elsewhere_user)
    assert elsewhere.get(reverse("dashboards:programme", args=[world.programme.pk])).status_code == 404
    assert elsewhere.get(reverse("dashboards:project", args=[world.project.pk])).status_code == 404
    assert elsewhere.get(reverse("api:dashboard-programme", args=[world.programme.pk])).status_code == 404
    assert elsewhere.get(reverse("api:dashboard-project", args=[world.project.pk])).status_code == 404
    nobody = _client(world.nobody).get(reverse("dashboards:portfolio"))
    assert nobody.status_code == 200 and nobody.context["dashboard"]["projects"] == 0
    anonymous = Client().get(reverse("dashboards:portfolio"))
    assert anonymous.status_code == 302 and "/sign-in/" in anonymous["Location"]
    assert Client().get(reverse("api:dashboard-portfolio")).status_code in (401, 403)


def test_filters_narrow_every_widget(world):
    add_projects(world, 4)
    Project.objects.filter(code="DASH-0").update(stage=LifecycleStage.CLOSED)
    client = _client(world.admin)
    under_way = client.get(reverse("dashboards:portfolio")).context["dashboard"]
    # HERE-1, ELSE-1 and three in delivery: the closed one is left out.
    assert under_way["projects"] == 5
    closed = client.get(reverse("dashboards:portfolio"), {"stage": "closed"}).context["dashboard"]
    assert closed["projects"] == 1 and closed["milestones"]["count"] == 1 and closed["risks"]["open"] == 1
    assert closed["performance"][0]["code"] == "DASH-0"
    Project.objects.filter(code="DASH-1").update(manager=world.person)
    managed = client.get(reverse("dashboards:portfolio"), {"manager": world.person.pk}).context["dashboard"]
    assert managed["projects"] == 1 and managed["risks"]["open"] == 1  # programme registers left out
    assert managed["performance"][0]["code"] == "DASH-1"
    by_objective = client.get(reverse("dashboards:portfolio"), {"objective": world.objective.pk}).context["dashboard"]
    assert by_objective["projects"] == 3
    programme = client.get(reverse("dashboards:programme", args=[world.programme.pk]), {"stage": "delivery"})
    assert programme.context["dashboard"]["projects"] == 3


def test_bad_filters_answer_400_naming_them(world):
    client = _client(world.admin)
    response = client.get(reverse("dashboards:portfolio"), {"stage": "nonsense", "manager": "x"})
    assert response.status_code == 400
    assert set(response.context["filterset"].errors) == {"stage", "manager"}
    assert b"The filters are not valid" in response.content
    api = client.get(reverse("api:dashboard-portfolio"), {"programme": "99999999999999999999"})
    assert api.status_code == 400 and "programme" in api.json()["errors"]


def test_the_list_behind_a_health_bar(world):
    add_projects(world, 8)
    client = _client(world.permitted)
    response = client.get(reverse("dashboards:projects"), {"dimension": "overall", "health": "red"})
    codes = [row.code for row in response.context["page_obj"].object_list]
    assert codes == ["DASH-0", "DASH-4"]
    not_assessed = client.get(reverse("dashboards:projects"), {"health": "not_assessed"})
    assert [row.code for row in not_assessed.context["page_obj"].object_list] == ["DASH-3", "DASH-7", "HERE-1"]
    schedule = client.get(reverse("dashboards:projects"), {"dimension": "cost", "health": "green"})
    green = HealthCheck.objects.filter(cost="green", project__code__startswith="DASH")
    expected = sorted(green.values_list("project__code", flat=True))
    assert [row.code for row in schedule.context["page_obj"].object_list] == expected
    assert client.get(reverse("dashboards:projects"), {"health": "purple"}).context["page_obj"].paginator.count == 0


def test_the_api_answers_the_page_figures(world):
    add_projects(world, 3)
    client = _client(world.permitted)
    page = client.get(reverse("dashboards:portfolio")).context["dashboard"]
    api = client.get(reverse("api:dashboard-portfolio")).json()
    assert api["projects"] == page["projects"] and api["health"] == page["health"]
    assert api["evm"]["spi"] == page["evm"]["spi"] and api["evm"]["bac"] == page["evm"]["bac"]
    assert [point["code"] for point in api["performance"]] == [point["code"] for point in page["performance"]]
    assert api["milestones"]["items"][0]["forecast"] == page["milestones"]["items"][0]["forecast"].isoformat()
    project = Project.objects.get(code="DASH-1")
    one = client.get(reverse("api:dashboard-project", args=[project.pk])).json()
    assert one["project"]["code"] == "DASH-1" and one["health"]["overall"] == "amber"
    recorded = [row["period_end"] for row in one["s_curve"]["recorded"]]
    assert recorded[:3] == [period.isoformat() for period in PERIODS]
    assert one["evm"]["spi"] == pytest.approx(figures_of(1, 2)["spi"], abs=1e-4)


def test_the_pages_show_each_widget_with_its_chart_and_table(world):
    add_projects(world, 3)
    client = _client(world.permitted)
    html = client.get(reverse("dashboards:programme", args=[world.programme.pk])).content.decode()
    for element in ("chart-rag", "chart-dimensions", "chart-performance", "chart-s-curve", "chart-value-risk-cost"):
        assert f'id="{element}"' in html
    assert "Go live 0" in html and "Supplier" in html and "<details>" in html
    project = Project.objects.get(code="DASH-2")
    html = client.get(reverse("dashboards:project", args=[project.pk])).content.decode()
    assert 'id="chart-s-curve"' in html and "SPI is low" in html
