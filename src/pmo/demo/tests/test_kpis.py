"""The demo's KPIs: the standard set measured weekly over the snapshots' half year, patterns and
recommendations where the figures drift, corrections by hand, decisions taken; the pages show
them to the demo's logins."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from pmo.core.models import AuditEvent
from pmo.demo.kpis import HISTORY_WEEKS, STANDARD_KPIS
from pmo.governance.models import ActionItem
from pmo.health.models import ProjectSnapshot
from pmo.kpis.models import KPI, Measurement, Recommendation
from pmo.portfolio.models import Portfolio, Project

pytestmark = pytest.mark.django_db


def login(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def test_the_standard_kpis_are_measured_from_the_snapshots(small_demo):
    assert set(KPI.objects.values_list("code", flat=True)) == {row[0] for row in STANDARD_KPIS}
    periods = sorted(set(ProjectSnapshot.objects.values_list("period_end", flat=True)))[-HISTORY_WEEKS:]
    spi = KPI.objects.get(code="SPI")
    measured = Measurement.objects.filter(kpi=spi)
    assert sorted(set(measured.values_list("period_end", flat=True))) == periods
    # Every scheduled value is the snapshot's own SPI.
    snapshots = {
        (row.project_id, row.period_end): row.figures["spi"]
        for row in ProjectSnapshot.objects.filter(period_end__in=periods)
    }
    for row in measured.filter(source="scheduled"):
        assert row.value == pytest.approx(snapshots[(row.project_id, row.period_end)])
    # Every portfolio with assessed projects has its own figures each week.
    portfolios = Measurement.objects.filter(kpi__code="PF-CPI").values_list("portfolio_id", flat=True).distinct()
    assert set(portfolios) <= set(Portfolio.objects.values_list("pk", flat=True)) and portfolios
    # Monthly KPIs: only on the last Sunday of a month.
    monthly = set(Measurement.objects.filter(kpi__code="FINISH-SLIP").values_list("period_end", flat=True))
    assert monthly == {day for day in periods if (day + timedelta(days=7)).month != day.month}


def test_patterns_and_recommendations_appear_and_some_are_decided(small_demo):
    assert Measurement.objects.exclude(flags=[]).exists()
    statuses = set(Recommendation.objects.values_list("status", flat=True))
    assert statuses == {"proposed", "accepted", "dismissed"}
    for recommendation in Recommendation.objects.filter(status="accepted"):
        action = ActionItem.objects.get(pk=recommendation.action_id)
        assert action.source == recommendation
        assert action.project_id == recommendation.project_id
    for recommendation in Recommendation.objects.filter(status="dismissed"):
        assert recommendation.decision_reason
    corrected = Measurement.objects.filter(source="manual")
    assert corrected.count() == 3
    assert {row.recorded_by.username for row in corrected} == {"admin"}
    # Loaded in bulk: the demo's one audit event covers the KPIs, values and decisions.
    assert not AuditEvent.objects.filter(action__startswith="kpi").exists()
    assert not AuditEvent.objects.filter(action__startswith="recommendation").exists()


def test_the_demo_logins_see_kpis_on_their_pages(small_demo):
    user = get_user_model().objects.get(username="project.manager")
    mine = Project.objects.visible_to(user).filter(pk__in=Measurement.objects.values("project_id"))
    project = mine.first()
    response = login("project.manager").get(reverse("kpis:target_panel", args=["project", project.pk]))
    codes = {row.kpi.code for row in response.context["rows"]}
    assert {"SPI", "CPI", "SPENT-VS-DONE"} <= codes
    assert response.context["may_record"] is True
    head = login("pmo.head")
    page = head.get(reverse("kpis:kpi_detail", args=[KPI.objects.get(code="CPI").pk]))
    assert page.status_code == 200 and page.context["charts"]
    recommendations = head.get(reverse("kpis:recommendation_list"))
    assert recommendations.context["paginator"].count == Recommendation.objects.filter(status="proposed").count()
