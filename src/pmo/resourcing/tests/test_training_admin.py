"""The admin site for resourcing: every model registered, each list and change page loads for an
administrator (with a row to show), nobody else gets in, computed figures are read-only and a
change made there is audited."""

from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse

from pmo.core.admin import admin_site
from pmo.core.models import AuditEvent
from pmo.resourcing.models import (
    RebalanceProposal,
    RebalanceRun,
    Skill,
    Timesheet,
    TimesheetApproval,
    TimesheetLine,
)
from pmo.resourcing.services import resources as resource_services
from pmo.resourcing.services import training as training_services
from pmo.resourcing.testing import make_resource, scheduled_activity, skill

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 3, 2)
MODELS = sorted(model._meta.model_name for model in apps.get_app_config("resourcing").get_models())


@pytest.fixture
def rows(world):
    """One row of every resourcing model, so that every column of every list is drawn."""
    ada = make_resource(world.admin, "Ada Lovelace", unit=world.unit, skills={"Python": 4})
    grace = make_resource(world.admin, "Grace Hopper", unit=world.unit, skills={"Python": 3})
    resource_services.add_absence(actor=world.admin, resource=ada, start=date(2026, 8, 3), end=date(2026, 8, 7))
    activity = scheduled_activity(world.admin, world.project, "Build", MONDAY, days=5)
    assignment = resource_services.create_assignment(
        actor=world.admin,
        activity=activity,
        resource=ada,
        required_skill=skill(world.admin, "Python"),
        required_level=3,
    )
    resource_services.create_allocation(
        actor=world.admin, project=world.project, resource=grace, period_start=MONDAY, hours=Decimal("16")
    )
    timesheet = Timesheet.objects.create(resource=ada, week_start=MONDAY, total_hours=Decimal("8"))
    TimesheetLine.objects.create(
        timesheet=timesheet,
        project=world.project,
        activity=activity,
        hours=[8, 0, 0, 0, 0, 0, 0],
        total_hours=Decimal("8"),
    )
    TimesheetApproval.objects.create(timesheet=timesheet, project=world.project)
    course = training_services.create_course(
        actor=world.admin, name="Python for analysts", provider="Acme", skills=[(skill(world.admin, "Python"), 3)]
    )
    training_services.plan_training(actor=world.admin, resource=grace, course=course, start=MONDAY)
    run = RebalanceRun.objects.create(requested_by=world.admin, start=MONDAY, weeks=8, status="optimal")
    RebalanceProposal.objects.create(
        run=run,
        project=world.project,
        assignment=assignment,
        from_resource=ada,
        to_resource=grace,
        hours=Decimal("20"),
        reason="Ada is above capacity in week 10; Grace holds Python at level 3 and is free.",
    )
    return world


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_every_resourcing_model_is_on_the_admin_site():
    registered = {model._meta.model_name for model in admin_site._registry if model._meta.app_label == "resourcing"}
    assert registered == set(MODELS)
    assert len(MODELS) == 15


@pytest.mark.parametrize("model_name", MODELS)
def test_each_list_and_change_page_opens_for_an_administrator_only(rows, model_name):
    client = signed_in(rows.admin)
    changelist = reverse(f"admin:resourcing_{model_name}_changelist")
    response = client.get(changelist)
    assert response.status_code == 200
    assert response.context["cl"].result_count >= 1
    assert client.get(changelist, {"q": "a"}).status_code == 200
    change = reverse(f"admin:resourcing_{model_name}_change", args=[response.context["cl"].result_list[0].pk])
    assert client.get(change).status_code == 200
    for refused in (Client(), signed_in(rows.org_head), signed_in(rows.permitted), signed_in(rows.nobody)):
        for url in (changelist, change):
            response = refused.get(url)
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.parametrize(
    ("model_name", "computed"),
    [
        ("assignment", {"planned_cost", "actual_hours", "actual_cost"}),
        ("timesheet", {"total_hours", "submitted_at", "approved_at"}),
        ("timesheetline", {"total_hours", "cost"}),
        ("rebalanceproposal", {"hours", "overload_removed_hours", "reason"}),
        ("rebalancerun", {"status", "overload_before_hours", "overload_after_hours", "seconds", "start", "weeks"}),
    ],
)
def test_computed_figures_are_read_only(rows, model_name, computed):
    model = apps.get_model("resourcing", model_name)
    obj = model.objects.first()
    response = signed_in(rows.admin).get(reverse(f"admin:resourcing_{model_name}_change", args=[obj.pk]))
    form_fields = set(response.context["adminform"].form.fields)
    assert computed.isdisjoint(form_fields)
    assert computed <= set(response.context["adminform"].readonly_fields)


def test_the_optimisers_runs_are_not_typed_in(rows):
    client = signed_in(rows.admin)
    assert client.get(reverse("admin:resourcing_rebalancerun_add")).status_code == 403
    assert client.get(reverse("admin:resourcing_rebalanceproposal_add")).status_code == 403


def test_a_change_in_the_admin_is_audited(rows):
    python = Skill.objects.get(name="Python")
    response = signed_in(rows.admin).post(
        reverse("admin:resourcing_skill_change", args=[python.pk]),
        {"name": "Python", "category": "Programming", "description": ""},
    )
    assert response.status_code == 302
    event = AuditEvent.objects.for_object(python).first()
    assert event.action == "skill.changed_in_admin"
    assert event.before["category"] == "" and event.after["category"] == "Programming"
