"""The demo's RAID registers: every project past initiation has one; escalations show on the
programmes; the heat map, the exposure trend and the export work on the demo data."""

from io import BytesIO

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from pmo.demo.governance import PAST_INITIATION
from pmo.demo.tests.conftest import TODAY
from pmo.governance import selectors
from pmo.governance.models import (
    ActionItem,
    Assumption,
    Decision,
    Dependency,
    Escalation,
    ExposureSnapshot,
    Issue,
    Notification,
    Risk,
)
from pmo.portfolio.models import Programme, Project, ProjectDependency

pytestmark = pytest.mark.django_db


def login(username: str):
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def test_every_project_past_initiation_has_a_register(small_demo):
    projects = Project.objects.filter(stage__in=PAST_INITIATION)
    assert projects.exists()
    for project in projects:
        assert Risk.objects.filter(project=project).count() >= 3, project
    assert not Risk.objects.exclude(project__stage__in=PAST_INITIATION).exists()
    assert all(risk.score == risk.probability * risk.impact for risk in Risk.objects.all())
    linked = Dependency.objects.filter(nature="internal").values_list("project_dependency", flat=True)
    inside = ProjectDependency.objects.filter(dependent__stage__in=PAST_INITIATION).values_list("pk", flat=True)
    assert set(linked) == set(inside)


def test_escalations_show_on_the_programmes_and_the_heat_map_counts_them(small_demo):
    active = Escalation.objects.filter(state="active", risk__isnull=False)
    assert active.exists() and all(e.risk.score >= 15 and e.risk.is_open for e in active)
    programme = Programme.objects.filter(pk__in=active.exclude(programme=None).values("programme")).first()
    manager = get_user_model().objects.get(username="pmo.head")
    risks = selectors.risks_for_heat_map(manager, programme)
    expected = active.filter(programme=programme).count() + Risk.objects.filter(programme=programme).count()
    grid = selectors.heat_map(risks)
    assert grid.total == expected
    page = login("pmo.head").get(reverse("governance:register", args=["programme", programme.pk]))
    assert page.status_code == 200 and b"escalated from" in page.content
    heat = login("pmo.head").get(reverse("governance:heat_map", args=["programme", programme.pk]))
    assert heat.context["maps"][0].total == expected


def test_the_programme_manager_sees_the_escalation_and_owns_actions(small_demo):
    manager = get_user_model().objects.get(username="programme.manager")
    assert Notification.objects.filter(recipient=manager, kind="escalation").exists()
    page = login("programme.manager").get(reverse("governance:my_actions"))
    assert len(page.context["overdue"]) + len(page.context["upcoming"]) >= 2
    assert ActionItem.objects.filter(owner__user__username="project.manager", due_on__lt=TODAY).exists()


def test_the_trend_covers_half_a_year_and_agrees_with_today(small_demo):
    project = Risk.objects.filter(status="open").first().project
    pmo_head = get_user_model().objects.get(username="pmo.head")
    trend = selectors.exposure_trend(pmo_head, project)
    assert (trend.last - trend.first).days >= 175 and len(trend.points) >= 26
    today = ExposureSnapshot.objects.get(project=project, taken_on=TODAY)
    open_scores = Risk.objects.filter(project=project, status="open").values_list("score", flat=True)
    assert today.exposure == sum(open_scores) and today.open_risks == len(open_scores)


def test_the_export_of_a_demo_project(small_demo):
    project = Project.objects.get(pk=Risk.objects.values("project").first()["project"])
    response = login("pmo.head").get(reverse("governance:register_export", args=["project", project.pk]))
    workbook = load_workbook(BytesIO(response.content))
    rows = list(workbook["Risks"].iter_rows(values_only=True))
    assert len(rows) - 1 == Risk.objects.filter(project=project).count()
    member = get_user_model().objects.get(username="team.member")
    outside = Project.objects.exclude(pk__in=Project.objects.visible_to(member).values("pk")).first()
    refused = login("team.member").get(reverse("governance:register_export", args=["project", outside.pk]))
    assert refused.status_code == 404


def test_every_raid_row_passes_its_models_validation(small_demo):
    for model in (Risk, Issue, Assumption, Dependency, Decision, ActionItem):
        for instance in model.objects.all():
            instance.full_clean()
