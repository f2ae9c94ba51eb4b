"""List endpoints: pagination, filters, ordering, search, and a number of queries that does not
grow with the number of rows."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pmo.api.tests.helpers import url
from pmo.core import services as core_services
from pmo.core.choices import OfficeKind, PMOStaffRole, Role
from pmo.core.models import AuditEvent
from pmo.portfolio import services as portfolio_services
from pmo.portfolio.models import Portfolio


@pytest.fixture
def admin_client(client_for, administrator):
    return client_for(administrator)


def codes(response) -> list[str]:
    assert response.status_code == 200, response.data
    return [row["code"] for row in response.data["results"]]


# --- pagination -----------------------------------------------------------------------------


def test_pages_of_the_asked_size(admin_client, organisation):
    first = admin_client.get(url("project", page_size=2))
    second = admin_client.get(first.data["next"])

    assert first.data["count"] == 3
    assert codes(first) == ["PA-1", "PA-2"]
    assert first.data["previous"] is None
    assert codes(second) == ["PB-1"]
    assert second.data["next"] is None


def test_page_size_is_capped_at_200(admin_client, administrator):
    for index in range(201):
        core_services.create_unit(actor=administrator, name=f"Unit {index:03}", code=f"unit-{index:03}")

    response = admin_client.get(url("unit", page_size=1000))

    assert response.data["count"] == 201
    assert len(response.data["results"]) == 200
    assert response.data["next"] is not None


def test_default_page_size(admin_client, administrator):
    for index in range(51):
        core_services.create_person(actor=administrator, full_name=f"Person {index:02}")

    response = admin_client.get(url("person"))

    assert len(response.data["results"]) == 50


# --- filters, ordering, search --------------------------------------------------------------


def test_project_filters(admin_client, administrator, organisation):
    portfolio_services.move_project_stage(actor=administrator, project=organisation.project_a2, stage="initiation")
    portfolio_services.update_project(actor=administrator, project=organisation.project_b1, changes={"rag": "red"})
    portfolio_services.set_project_objectives(
        actor=administrator, project=organisation.project_b1, contributions={organisation.objective: Decimal("100")}
    )
    portfolio_services.archive_project(actor=administrator, project=organisation.project_a2)

    assert codes(admin_client.get(url("project", portfolio=organisation.portfolio_a.pk))) == ["PA-1", "PA-2"]
    assert codes(admin_client.get(url("project", programme=organisation.programme.pk))) == ["PA-1"]
    assert codes(admin_client.get(url("project", stage=["initiation", "planning"]))) == ["PA-2"]
    assert codes(admin_client.get(url("project", rag=["red", "amber"]))) == ["PB-1"]
    assert codes(admin_client.get(url("project", objective=organisation.objective.pk))) == ["PB-1"]
    assert codes(admin_client.get(url("project", is_archived="false"))) == ["PA-1", "PB-1"]
    assert codes(admin_client.get(url("project", planned_finish_before="2026-12-31"))) == ["PA-1"]
    assert codes(admin_client.get(url("project", q="two"))) == ["PA-2"]
    assert codes(admin_client.get(url("project", search="beta"))) == ["PB-1"]


def test_ordering(admin_client, administrator, organisation):
    portfolio_services.update_project(
        actor=administrator, project=organisation.project_b1, changes={"budget": Decimal("5000")}
    )

    assert codes(admin_client.get(url("project", ordering="-code"))) == ["PB-1", "PA-2", "PA-1"]
    assert codes(admin_client.get(url("project", ordering="-budget,code"))) == ["PB-1", "PA-1", "PA-2"]
    assert codes(admin_client.get(url("portfolio", ordering="-name"))) == ["PB", "PA"]


def test_filters_of_organisation_records(admin_client, administrator, make_user, organisation):
    make_user("leo", Role.EXECUTIVE)
    core_services.create_unit(actor=administrator, name="Finance", code="fin", parent=organisation.unit)

    people_in_it = admin_client.get(url("person", unit=organisation.unit.pk)).data["results"]
    with_login = admin_client.get(url("person", has_login="true")).data["results"]
    executives = admin_client.get(url("person", role=Role.EXECUTIVE)).data["results"]
    sub_units = admin_client.get(url("unit", parent=organisation.unit.pk)).data["results"]

    assert [row["full_name"] for row in people_in_it] == ["Pat Jones"]
    assert {row["display"] for row in with_login} == {"ada", "leo"}
    assert [row["display"] for row in executives] == ["leo"]
    assert [row["code"] for row in sub_units] == ["fin"]


def test_dependency_filter_on_either_project(admin_client, administrator, organisation):
    portfolio_services.create_dependency(
        actor=administrator, dependent=organisation.project_a1, provider=organisation.project_b1, output="Data",
        needed_by=datetime.date(2026, 6, 1),
    )
    portfolio_services.create_dependency(
        actor=administrator, dependent=organisation.project_a2, provider=organisation.project_a1, output="API",
        needed_by=datetime.date(2026, 7, 1),
    )

    def outputs(**query):
        return [row["output"] for row in admin_client.get(url("project-dependency", **query)).data["results"]]

    assert outputs(project=organisation.project_a1.pk) == ["Data", "API"]
    assert outputs(project=organisation.project_b1.pk) == ["Data"]
    assert outputs(provider=organisation.project_a1.pk) == ["API"]
    assert outputs(ordering="-needed_by") == ["API", "Data"]


def test_audit_event_filters(admin_client, organisation):
    created = admin_client.get(url("audit-event", model="project", action="project.created")).data
    about_one = admin_client.get(url("audit-event", model="project", object_id=organisation.project_b1.pk)).data

    assert created["count"] == 3
    assert [event["object_repr"] for event in about_one["results"]] == ["PB-1 Beta"]


# --- query counts -----------------------------------------------------------------------------
# Each builder returns ``add(index)``, which makes one more row of the listed resource.


def unit_builder(actor):
    def add(index):
        core_services.create_unit(actor=actor, name=f"Unit {index}", code=f"unit-{index}")

    return add


def person_builder(actor):
    unit = core_services.create_unit(actor=actor, name="Unit", code="unit")

    def add(index):
        core_services.create_person(actor=actor, full_name=f"Person {index}", unit=unit)

    return add


def office_builder(actor):
    def add(index):
        core_services.create_office(actor=actor, name=f"Office {index}", kind=OfficeKind.PROJECT_OFFICE)

    return add


def office_membership_builder(actor):
    office = core_services.create_office(actor=actor, name="Office", kind=OfficeKind.PORTFOLIO_OFFICE)

    def add(index):
        person = core_services.create_person(actor=actor, full_name=f"Person {index}")
        core_services.add_office_member(actor=actor, office=office, person=person, staff_role=PMOStaffRole.ANALYST)

    return add


def role_assignment_builder(actor):
    def add(index):
        person = core_services.create_person(actor=actor, full_name=f"Person {index}")
        core_services.assign_role(actor=actor, person=person, role=Role.TEAM_MEMBER)

    return add


def objective_builder(actor):
    def add(index):
        portfolio_services.create_objective(
            actor=actor, code=f"OBJ-{index}", name=f"Objective {index}", active_from=datetime.date(2026, 1, 1)
        )

    return add


def portfolio_builder(actor):
    def add(index):
        portfolio_services.create_portfolio(actor=actor, code=f"P-{index}", name=f"Portfolio {index}")

    return add


def programme_builder(actor):
    portfolio = portfolio_services.create_portfolio(actor=actor, code="P", name="Portfolio")

    def add(index):
        portfolio_services.create_programme(actor=actor, portfolio=portfolio, code=f"PG-{index}", name="Programme")

    return add


def project_builder(actor):
    portfolio = portfolio_services.create_portfolio(actor=actor, code="P", name="Portfolio")
    programme = portfolio_services.create_programme(actor=actor, portfolio=portfolio, code="PG", name="Programme")
    objectives = [
        portfolio_services.create_objective(actor=actor, code=code, name=code, active_from=datetime.date(2026, 1, 1))
        for code in ("GROW", "SAVE")
    ]

    def add(index):
        project = portfolio_services.create_project(
            actor=actor, portfolio=portfolio, programme=programme, code=f"PR-{index}", name=f"Project {index}"
        )
        portfolio_services.set_project_objectives(
            actor=actor, project=project, contributions={objective: Decimal("50") for objective in objectives}
        )

    return add


def project_dependency_builder(actor):
    portfolio = portfolio_services.create_portfolio(actor=actor, code="P", name="Portfolio")
    provider = portfolio_services.create_project(actor=actor, portfolio=portfolio, code="HUB", name="Hub")

    def add(index):
        dependent = portfolio_services.create_project(actor=actor, portfolio=portfolio, code=f"PR-{index}", name="P")
        portfolio_services.create_dependency(
            actor=actor, dependent=dependent, provider=provider, output=f"Output {index}",
            needed_by=datetime.date(2026, 6, 1),
        )

    return add


LIST_BUILDERS = {
    "unit": unit_builder,
    "person": person_builder,
    "office": office_builder,
    "office-membership": office_membership_builder,
    "role-assignment": role_assignment_builder,
    "audit-event": unit_builder,
    "objective": objective_builder,
    "portfolio": portfolio_builder,
    "programme": programme_builder,
    "project": project_builder,
    "project-dependency": project_dependency_builder,
}


def queries_of(client, path: str) -> tuple[int, dict]:
    with CaptureQueriesContext(connection) as context:
        response = client.get(path)
    assert response.status_code == 200, response.data
    return len(context), response.data


def assert_constant_queries(client, path: str, add, django_assert_max_num_queries) -> None:
    """Three rows, then thirty: the second list may not cost a query more than the first."""
    for index in range(3):
        add(index)
    client.get(path)  # warm the caches that any first request fills (content types, session)
    few, few_data = queries_of(client, path)
    for index in range(3, 30):
        add(index)

    with django_assert_max_num_queries(few):
        response = client.get(path)

    # Every added row is listed (each ``add`` makes at least one).
    assert response.data["count"] >= few_data["count"] + 27
    assert len(response.data["results"]) == response.data["count"]
    # A ceiling as well, so that a constant but wasteful list is noticed too.
    assert few <= 8


@pytest.mark.parametrize("basename", list(LIST_BUILDERS))
def test_list_queries_do_not_grow_with_rows(admin_client, administrator, basename, django_assert_max_num_queries):
    add = LIST_BUILDERS[basename](administrator)

    assert_constant_queries(admin_client, url(basename, page_size=200), add, django_assert_max_num_queries)


SCOPED_LISTS = {
    "project": project_builder,
    "programme": programme_builder,
    "project-dependency": project_dependency_builder,
    "audit-event": project_builder,
}


@pytest.mark.parametrize("basename", list(SCOPED_LISTS))
def test_list_queries_do_not_grow_for_a_scoped_user(
    client_for, administrator, make_user, basename, django_assert_max_num_queries
):
    """The rows reach a scoped user through ``visible_to``'s filters rather than a short cut."""
    add = SCOPED_LISTS[basename](administrator)
    viewer = make_user("viewer", Role.TEAM_MEMBER, Portfolio.objects.get(code="P"))

    assert_constant_queries(client_for(viewer), url(basename, page_size=200), add, django_assert_max_num_queries)


def test_history_queries_do_not_grow_with_events(
    admin_client, administrator, organisation, django_assert_max_num_queries
):
    project = organisation.project_a1
    history = url("project", project.pk, "history", page_size=200)
    admin_client.get(history)
    few, _ = queries_of(admin_client, history)
    for index in range(30):
        portfolio_services.update_project(actor=administrator, project=project, changes={"name": f"Alpha {index}"})

    with django_assert_max_num_queries(few):
        response = admin_client.get(history)

    assert response.data["count"] == AuditEvent.objects.for_object(project).count() == 31
