"""Pages and API of resources, skills, assignments and allocations."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from pmo.core.models import AuditEvent
from pmo.planning import services as planning_services
from pmo.portfolio.testing import build_world
from pmo.resourcing.models import Absence, Allocation, Assignment, Resource, ResourceRate
from pmo.resourcing.services import resources as services
from pmo.resourcing.testing import make_resource, make_team, scheduled_activity, skill

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def client_for(user, *, api=False):
    client = APIClient() if api else Client()
    client.force_login(user)
    return client


def _count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


# --- resources ------------------------------------------------------------------------------


def test_resource_list_costs_the_same_queries_for_3_and_30_rows(world):
    client = client_for(world.admin)
    for index in range(3):
        make_resource(world.admin, f"Person {index}", unit=world.unit)
    few = _count_queries(client, reverse("resourcing:resource_list"))
    api_few = _count_queries(client_for(world.admin, api=True), reverse("api:resource-list"))
    for index in range(3, 30):
        make_resource(world.admin, f"Person {index}", unit=world.unit)
    assert _count_queries(client, reverse("resourcing:resource_list")) == few
    assert _count_queries(client_for(world.admin, api=True), reverse("api:resource-list")) == api_few


def test_create_a_generic_role_through_the_page(world):
    python = skill(world.admin, "Python")
    response = client_for(world.admin).post(
        reverse("resourcing:resource_create"),
        {
            "kind": "role",
            "name": "Python developer",
            "employment_type": "permanent",
            "hours_per_day": "8",
            "weekday_hours": "8, 8, 8, 8, 8, 0, 0",
            "role_skill": python.pk,
            "role_level": "3",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    role = Resource.objects.get(name="Python developer")
    assert (role.is_role, role.role_skill, role.person) == (True, python, None)


def test_a_bad_weekday_pattern_is_reported_and_nothing_is_created(world):
    response = client_for(world.admin).post(
        reverse("resourcing:resource_create"),
        {
            "kind": "person",
            "person": world.person.pk,
            "employment_type": "permanent",
            "hours_per_day": "8",
            "weekday_hours": "8, 8, 8, 8, 30, 0, 0",
            "role_level": "3",
        },
    )
    assert response.status_code == 200
    assert "Friday: 30 is not from 0 to 24 hours." in response.content.decode()
    assert not Resource.objects.exists()


def test_skill_rate_and_absence_forms_on_the_resource_page(world):
    resource = make_resource(world.admin, "Ada", unit=world.unit)
    client = client_for(world.admin)
    page = reverse("resourcing:resource_detail", args=[resource.pk])
    python = skill(world.admin, "Python")

    assert (
        client.post(reverse("resourcing:resource_skill_set", args=[resource.pk]), {"skill": python.pk, "level": 4})[
            "Location"
        ]
        == page
    )
    client.post(
        reverse("resourcing:resource_rate_add", args=[resource.pk]),
        {"effective_from": "2026-07-01", "cost_per_hour": "65"},
    )
    client.post(
        reverse("resourcing:resource_absence_add", args=[resource.pk]),
        {"kind": "leave", "start": "2026-08-03", "end": "2026-08-14"},
    )
    html = client.get(page).content.decode()
    assert "Python" in html and "4 Proficient" in html
    assert ResourceRate.objects.filter(resource=resource).count() == 2
    assert Absence.objects.filter(resource=resource).count() == 1

    # An overlapping absence is refused with the reason, and nothing is stored.
    response = client.post(
        reverse("resourcing:resource_absence_add", args=[resource.pk]),
        {"kind": "leave", "start": "2026-08-10", "end": "2026-08-20"},
        follow=True,
    )
    assert "already absent" in response.content.decode()
    assert Absence.objects.filter(resource=resource).count() == 1
    # So is an end before the start.
    response = client.post(
        reverse("resourcing:resource_absence_add", args=[resource.pk]),
        {"kind": "leave", "start": "2026-09-10", "end": "2026-09-01"},
        follow=True,
    )
    assert "The last day cannot be before the first." in response.content.decode()
    assert Absence.objects.filter(resource=resource).count() == 1


def test_a_project_manager_cannot_change_resources(world):
    resource = make_resource(world.admin, "Ada")
    team = make_team(world)
    response = client_for(team.manager).post(
        reverse("resourcing:resource_rate_add", args=[resource.pk]),
        {"effective_from": "2026-07-01", "cost_per_hour": "1"},
    )
    assert response.status_code == 403
    assert resource.rates.count() == 1


# --- the resources of a project -------------------------------------------------------------


def test_project_manager_assigns_and_allocates_on_the_project_page(world):
    team = make_team(world)
    ada = make_resource(world.admin, "Ada", skills={"Python": 4}, cost_per_hour=Decimal("60"))
    activity = scheduled_activity(world.admin, world.project, "Build", date(2026, 3, 2), days=5)
    client = client_for(team.manager)
    page = reverse("resourcing:project_resources", args=[world.project.pk])
    assert client.get(page).status_code == 200

    client.post(
        reverse("resourcing:assignment_create", args=[world.project.pk]),
        {"activity": activity.pk, "resource": ada.pk, "units_percent": "50", "required_level": "1"},
    )
    assignment = Assignment.objects.get()
    assert (assignment.planned_hours, assignment.planned_cost) == (Decimal("20.00"), Decimal("1200.00"))

    client.post(
        reverse("resourcing:allocation_create", args=[world.project.pk]),
        {"resource": ada.pk, "period_kind": "week", "period_start": "2026-04-06", "hours": "16", "required_level": "1"},
    )
    assert Allocation.objects.get().hours == Decimal("16.00")
    html = client.get(page).content.decode()
    assert "Ada" in html and "1,200" in html


def test_an_activity_of_another_project_cannot_be_assigned_here(world):
    ada = make_resource(world.admin, "Ada")
    other = scheduled_activity(world.admin, world.other_project, "Elsewhere", date(2026, 3, 2), days=5)
    response = client_for(world.admin).post(
        reverse("resourcing:assignment_create", args=[world.project.pk]),
        {"activity": other.pk, "resource": ada.pk, "units_percent": "100", "required_level": "1"},
        follow=True,
    )
    assert "Not saved." in response.content.decode()
    assert not Assignment.objects.exists()


def test_project_resources_page_is_hidden_from_other_projects(world):
    page = reverse("resourcing:project_resources", args=[world.project.pk])
    assert client_for(world.elsewhere_user).get(page).status_code == 404


def test_project_resources_page_queries_do_not_grow_with_assignments(world):
    activity = scheduled_activity(world.admin, world.project, "Build", date(2026, 3, 2), days=5)
    client = client_for(world.admin)
    page = reverse("resourcing:project_resources", args=[world.project.pk])
    for index in range(2):
        services.create_assignment(
            actor=world.admin, activity=activity, resource=make_resource(world.admin, f"P{index}")
        )
    few = _count_queries(client, page)
    for index in range(2, 12):
        services.create_assignment(
            actor=world.admin, activity=activity, resource=make_resource(world.admin, f"P{index}")
        )
    assert _count_queries(client, page) == few


# --- API ------------------------------------------------------------------------------------


def test_api_assigns_with_units_and_reassigns(world):
    python = skill(world.admin, "Python")
    ada = make_resource(world.admin, "Ada", skills={"Python": 4})
    bob = make_resource(world.admin, "Bob", skills={"Python": 2})
    activity = scheduled_activity(world.admin, world.project, "Build", date(2026, 3, 2), days=5)
    api = client_for(world.permitted, api=True)

    response = api.post(
        reverse("api:assignment-list"),
        {
            "activity": activity.pk,
            "resource": ada.pk,
            "units_percent": "100",
            "required_skill": python.pk,
            "required_level": 3,
        },
        format="json",
    )
    assert response.status_code == 201, response.data
    assert response.data["planned_hours"] == "40.00" and response.data["project"] == world.project.pk

    reassign = reverse("api:assignment-reassign", args=[response.data["id"]])
    refused = api.post(reassign, {"resource": bob.pk}, format="json")
    assert refused.status_code == 400
    assert "needs level 3" in str(refused.data)
    assert Assignment.objects.get().resource == ada


def test_api_resource_weekday_hours_must_be_seven_numbers(world):
    response = client_for(world.admin, api=True).post(
        reverse("api:resource-list"),
        {"kind": "person", "person": world.person.pk, "weekday_hours": [8, 8]},
        format="json",
    )
    assert response.status_code == 400
    assert "weekday_hours" in response.data["errors"]
    assert not Resource.objects.exists()
    assert not AuditEvent.objects.filter(action="resource.created").exists()


def test_api_allocation_in_a_project_out_of_reach_is_refused(world):
    ada = make_resource(world.admin, "Ada")
    response = client_for(world.permitted, api=True).post(
        reverse("api:allocation-list"),
        {"project": world.other_project.pk, "resource": ada.pk, "period_start": "2026-03-02", "hours": "8"},
        format="json",
    )
    assert response.status_code == 400  # the project id is not one the user can see
    assert not Allocation.objects.exists()


def test_deleting_an_activity_keeps_no_orphan_assignment(world):
    ada = make_resource(world.admin, "Ada")
    activity = scheduled_activity(world.admin, world.project, "Build", date(2026, 3, 2), days=5)
    services.create_assignment(actor=world.admin, activity=activity, resource=ada)
    planning_services.delete_activity(actor=world.admin, activity=activity)
    assert not Assignment.objects.exists()
