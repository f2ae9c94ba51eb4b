"""The dashboards read their figures in a number of queries that does not grow with the projects, for
the administrator and for a portfolio manager, on the pages and in the API."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pmo.dashboards.testing import TODAY, add_projects
from pmo.governance.models import Risk
from pmo.health.models import ProjectSnapshot

pytestmark = pytest.mark.django_db


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
def test_group_dashboards_use_the_same_number_of_queries_for_few_and_many_projects(world, who, signed_in):
    add_projects(world, 2)
    client = signed_in(getattr(world, who))
    urls = _urls(world)
    for url in urls.values():  # the first request also creates the default risk scale
        client.get(url)
    few = {name: _count(client, url) for name, url in urls.items()}
    add_projects(world, 25, start=2)
    add_projects(world, 5, start=100, programme=world.other_programme, portfolio=world.other_portfolio, prefix="OUT")
    many = {name: _count(client, url) for name, url in urls.items()}
    assert many == few


@pytest.mark.parametrize("who", ["admin", "permitted"])
def test_project_dashboard_uses_the_same_number_of_queries_whatever_the_project_holds(world, who, signed_in):
    small, large = add_projects(world, 2)
    for week in range(3, 40):
        ProjectSnapshot.objects.create(project=large, period_end=TODAY - timedelta(weeks=week), figures={"pv": 1.0})
    Risk.objects.bulk_create(
        [Risk(project=large, title=f"R{n}", raised_on=TODAY, probability=2, impact=2, score=4) for n in range(30)]
    )
    client = signed_in(getattr(world, who))
    client.get(reverse("dashboards:project", args=[small.pk]))  # creates the default risk scale
    for prefix in ("", "/api/v1"):
        counts = {
            project.code: _count(client, f"{prefix}{reverse('dashboards:project', args=[project.pk])}")
            if not prefix
            else _count(client, reverse("api:dashboard-project", args=[project.pk]))
            for project in (small, large)
        }
        assert counts[small.code] == counts[large.code]
