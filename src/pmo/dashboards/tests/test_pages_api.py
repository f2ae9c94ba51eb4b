"""The pages and the API: scoped dashboards are not found outside the scope, bad filters answer 400
naming them, the API answers the page's figures, and each widget shows its chart and its table."""

import pytest
from django.test import Client
from django.urls import reverse

from pmo.dashboards.testing import PERIODS, add_projects, figures_of
from pmo.portfolio.models import Project

pytestmark = pytest.mark.django_db


def test_scoped_dashboards_are_not_found_outside_the_scope(world, signed_in):
    add_projects(world, 1)
    elsewhere = signed_in(world.elsewhere_user)
    assert elsewhere.get(reverse("dashboards:programme", args=[world.programme.pk])).status_code == 404
    assert elsewhere.get(reverse("dashboards:project", args=[world.project.pk])).status_code == 404
    assert elsewhere.get(reverse("api:dashboard-programme", args=[world.programme.pk])).status_code == 404
    assert elsewhere.get(reverse("api:dashboard-project", args=[world.project.pk])).status_code == 404
    nobody = signed_in(world.nobody).get(reverse("dashboards:portfolio"))
    assert nobody.status_code == 200 and nobody.context["dashboard"]["projects"] == 0
    anonymous = Client().get(reverse("dashboards:portfolio"))
    assert anonymous.status_code == 302 and "/sign-in/" in anonymous["Location"]
    assert Client().get(reverse("api:dashboard-portfolio")).status_code in (401, 403)


def test_bad_filters_answer_400_naming_them(world, signed_in):
    client = signed_in(world.admin)
    response = client.get(reverse("dashboards:portfolio"), {"stage": "nonsense", "manager": "x"})
    assert response.status_code == 400
    assert set(response.context["filterset"].errors) == {"stage", "manager"}
    assert b"The filters are not valid" in response.content
    api = client.get(reverse("api:dashboard-portfolio"), {"programme": "99999999999999999999"})
    assert api.status_code == 400 and "programme" in api.json()["errors"]


def test_the_api_answers_the_page_figures(world, signed_in):
    add_projects(world, 3)
    client = signed_in(world.permitted)
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


def test_the_pages_show_each_widget_with_its_chart_and_table(world, signed_in):
    add_projects(world, 3)
    client = signed_in(world.permitted)
    html = client.get(reverse("dashboards:programme", args=[world.programme.pk])).content.decode()
    for element in ("chart-rag", "chart-dimensions", "chart-performance", "chart-s-curve", "chart-value-risk-cost"):
        assert f'id="{element}"' in html
    assert "Go live 0" in html and "Supplier" in html and "<details>" in html
    project = Project.objects.get(code="DASH-2")
    html = client.get(reverse("dashboards:project", args=[project.pk])).content.decode()
    assert 'id="chart-s-curve"' in html and "SPI is low" in html
