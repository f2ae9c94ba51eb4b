"""Every figure comes from the filtered selection of projects the user may see: sums, counts and
indices add up, and a project outside the user's scope never contributes."""

from datetime import timedelta

import pytest
from django.urls import reverse

from pmo.dashboards.testing import PERIODS, TODAY, add_projects, figures_of
from pmo.governance.models import Risk
from pmo.health.models import HealthCheck
from pmo.portfolio.choices import LifecycleStage
from pmo.portfolio.models import Project
from pmo_engine.metrics import aggregate

pytestmark = pytest.mark.django_db


def test_figures_add_up_over_the_selection(world, signed_in):
    projects = add_projects(world, 6)
    response = signed_in(world.admin).get(reverse("dashboards:portfolio"), {"portfolio": world.portfolio.pk})
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


def test_a_project_outside_the_users_scope_never_counts(world, signed_in):
    add_projects(world, 3)
    add_projects(world, 4, start=50, programme=world.other_programme, portfolio=world.other_portfolio, prefix="OUT")
    outside = Risk.objects.filter(project__code__startswith="OUT").first()
    Risk.objects.filter(pk=outside.pk).update(residual_score=25, residual_probability=5, residual_impact=5)
    mine = signed_in(world.permitted).get(reverse("dashboards:portfolio")).context["dashboard"]
    everyone = signed_in(world.admin).get(reverse("dashboards:portfolio")).context["dashboard"]
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
    response = signed_in(world.permitted).get(reverse("dashboards:portfolio"), {"portfolio": world.other_portfolio.pk})
    assert response.status_code == 400 and "portfolio" in response.context["filterset"].errors
    api = signed_in(world.permitted).get(reverse("api:dashboard-portfolio"), {"portfolio": world.other_portfolio.pk})
    assert api.status_code == 400 and "portfolio" in api.json()["errors"]


def test_filters_narrow_every_widget(world, signed_in):
    add_projects(world, 4)
    Project.objects.filter(code="DASH-0").update(stage=LifecycleStage.CLOSED)
    client = signed_in(world.admin)
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


def test_the_list_behind_a_health_bar(world, signed_in):
    add_projects(world, 8)
    add_projects(world, 4, start=8, programme=world.other_programme, portfolio=world.other_portfolio, prefix="OUT")
    client = signed_in(world.permitted)
    response = client.get(reverse("dashboards:projects"), {"dimension": "overall", "health": "red"})
    codes = [row.code for row in response.context["page_obj"].object_list]
    assert codes == ["DASH-0", "DASH-4"]  # OUT-8 is red too, in a portfolio the manager does not see
    everyone = signed_in(world.admin).get(reverse("dashboards:projects"), {"dimension": "overall", "health": "red"})
    assert [row.code for row in everyone.context["page_obj"].object_list] == ["DASH-0", "DASH-4", "OUT-8"]
    not_assessed = client.get(reverse("dashboards:projects"), {"health": "not_assessed"})
    assert [row.code for row in not_assessed.context["page_obj"].object_list] == ["DASH-3", "DASH-7", "HERE-1"]
    schedule = client.get(reverse("dashboards:projects"), {"dimension": "cost", "health": "green"})
    green = HealthCheck.objects.filter(cost="green", project__code__startswith="DASH")
    expected = sorted(green.values_list("project__code", flat=True))
    assert [row.code for row in schedule.context["page_obj"].object_list] == expected
    assert client.get(reverse("dashboards:projects"), {"health": "purple"}).context["page_obj"].paginator.count == 0
