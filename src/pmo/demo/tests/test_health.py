"""The demo's health history: 26 weeks of figures and checks for every project past initiation,
the latest agreeing with the figures computed now, and pages that show them."""

import itertools
from collections import Counter
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from pmo.demo.health import ASSESSED_STAGES, HISTORY_WEEKS
from pmo.demo.tests.conftest import TODAY
from pmo.health.models import HealthCheck, ProjectSnapshot
from pmo.health.selectors import project_figures
from pmo.portfolio.models import Project

pytestmark = pytest.mark.django_db


def test_every_assessed_project_has_half_a_year_of_weekly_history(small_demo):
    projects = Project.objects.filter(stage__in=ASSESSED_STAGES, is_archived=False)
    assert projects.exists()
    this_sunday = TODAY - timedelta(days=TODAY.weekday()) + timedelta(days=6)
    for project in projects:
        ends = list(
            ProjectSnapshot.objects.filter(project=project).order_by("period_end").values_list("period_end", flat=True)
        )
        assert len(ends) == HISTORY_WEEKS
        assert ends[-1] == this_sunday
        assert all((later - earlier).days == 7 for earlier, later in itertools.pairwise(ends))
        assert HealthCheck.objects.filter(project=project).count() == HISTORY_WEEKS
    assert ProjectSnapshot.objects.filter(is_latest=True).count() == projects.count()
    assert HealthCheck.objects.filter(is_latest=True).count() == projects.count()


def test_the_latest_week_holds_the_figures_computed_now(small_demo):
    latest = ProjectSnapshot.objects.filter(is_latest=True, bac__isnull=False).first()
    now = project_figures([latest.project_id], as_of=TODAY)[latest.project_id]
    assert latest.ev == pytest.approx(now["ev"])
    assert latest.ac == pytest.approx(now["ac"])
    assert latest.pv == pytest.approx(now["pv"])


def test_earned_value_and_actual_cost_never_fall(small_demo):
    for project_id in ProjectSnapshot.objects.filter(is_latest=True, bac__isnull=False).values_list(
        "project_id", flat=True
    ):
        rows = list(
            ProjectSnapshot.objects.filter(project_id=project_id).order_by("period_end").values_list("ev", "ac")
        )
        evs = [ev for ev, _ in rows if ev is not None]
        acs = [ac for _, ac in rows if ac is not None]
        assert evs == sorted(evs) and acs == sorted(acs)


def test_a_mix_of_statuses_with_reasons(small_demo):
    latest = HealthCheck.objects.filter(is_latest=True)
    statuses = Counter()
    for dimension in ("schedule", "cost", "scope", "risk", "resources"):
        statuses.update(latest.values_list(dimension, flat=True))
    assert statuses["red"] and statuses["amber"] and statuses["green"]
    for check in latest:
        assert all(finding["message"] for finding in check.findings)
        if check.overall in ("red", "amber"):
            assert check.fired


def test_the_project_manager_sees_the_health_page_with_its_charts(small_demo):
    client = Client()
    client.force_login(get_user_model().objects.get(username="project.manager"))
    project = Project.objects.get(manager__user__username="project.manager", stage__in=ASSESSED_STAGES)
    page = client.get(reverse("health:project_health", args=[project.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert 'id="evm-s-curve"' in text and 'id="evm-indices"' in text
    panel = client.get(reverse("health:project_panel", args=[project.pk]))
    assert panel.status_code == 200 and "Week ending" in panel.content.decode()
