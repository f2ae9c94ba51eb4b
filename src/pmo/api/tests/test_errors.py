"""Bad input answers 400 naming the field, in one shape, and never a 500; nothing is written."""

import pytest

from pmo.api.tests.helpers import url
from pmo.core import services as core_services
from pmo.core.choices import OfficeKind, PMOStaffRole, Role, ScopeType
from pmo.core.models import AuditEvent
from pmo.portfolio.models import Project


@pytest.fixture
def admin_client(client_for, administrator):
    return client_for(administrator)


@pytest.fixture
def new_project(organisation):
    return {"portfolio": organisation.portfolio_a.pk, "code": "PA-9", "name": "Nine"}


def assert_refused(response, field: str | None = None):
    """A 400 in the API's one error shape, naming ``field`` when given."""
    assert response.status_code == 400, response.data
    assert isinstance(response.data["detail"], str)
    assert response.data["detail"]
    if field is not None:
        assert field in response.data["errors"], response.data


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"budget": "lots"}, "budget"),
        ({"budget": "-1.00"}, "budget"),
        ({"budget": "1e400"}, "budget"),
        ({"budget": "123456789012345.00"}, "budget"),
        ({"rag": "purple"}, "rag"),
        ({"stage": "finished"}, "stage"),
        ({"planned_start": "31/12/2026"}, "planned_start"),
        ({"planned_start": "2026-02-30"}, "planned_start"),
        ({"planned_start": "2026-06-01", "planned_finish": "2026-05-01"}, "planned_finish"),
        ({"portfolio": "abc"}, "portfolio"),
        ({"portfolio": 999_999}, "portfolio"),
        ({"portfolio": 10**30}, "portfolio"),
        ({"portfolio": None}, "portfolio"),
        ({"manager": [1, 2]}, "manager"),
        ({"name": {"text": "Nine"}}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"name": "Nine\x00"}, "name"),
        ({"code": "lower case"}, "code"),
        ({"code": "PA-1"}, "code"),
        ({"stage": "closed"}, "stage"),
    ],
    ids=lambda value: str(value)[:40],
)
def test_bad_project_fields_are_named(admin_client, new_project, change, field):
    projects_before = Project.objects.count()

    response = admin_client.post(url("project"), {**new_project, **change}, format="json")

    assert_refused(response, field)
    assert Project.objects.count() == projects_before


def test_missing_required_fields_are_named(admin_client, organisation):
    response = admin_client.post(url("project"), {}, format="json")

    assert_refused(response)
    assert {"portfolio", "code", "name"} <= set(response.data["errors"])


def test_a_programme_of_another_portfolio_is_refused(admin_client, organisation):
    response = admin_client.patch(
        url("project", organisation.project_b1.pk), {"programme": organisation.programme.pk}, format="json"
    )

    assert_refused(response, "programme")
    organisation.project_b1.refresh_from_db()
    assert organisation.project_b1.programme is None


def test_malformed_json(admin_client, organisation):
    response = admin_client.post(url("unit"), '{"name": "Finance", ', content_type="application/json")

    assert response.status_code == 400
    assert "JSON" in response.data["detail"]


def test_a_list_instead_of_an_object(admin_client, organisation):
    response = admin_client.post(url("unit"), [{"name": "Finance", "code": "fin"}], format="json")

    assert_refused(response, "non_field_errors")


def test_an_unsupported_media_type(admin_client, organisation):
    response = admin_client.post(url("unit"), "name=Finance", content_type="text/plain")

    assert response.status_code == 415


@pytest.mark.parametrize("pk", ["abc", "99999999999999999999999", "0"])
def test_unknown_ids_in_the_path_answer_404(admin_client, organisation, pk):
    assert admin_client.get(f"/api/v1/projects/{pk}/").status_code == 404
    assert admin_client.patch(f"/api/v1/projects/{pk}/", {"name": "X"}, format="json").status_code == 404


def test_a_domain_rule_without_a_field(admin_client, organisation):
    events_before = AuditEvent.objects.count()

    response = admin_client.post(url("portfolio", organisation.portfolio_a.pk, "archive"), format="json")

    assert_refused(response)
    assert "programmes and projects" in response.data["detail"]
    organisation.portfolio_a.refresh_from_db()
    assert organisation.portfolio_a.is_archived is False
    assert AuditEvent.objects.count() == events_before


def test_a_unit_cannot_sit_inside_itself(admin_client, organisation):
    response = admin_client.patch(url("unit", organisation.unit.pk), {"parent": organisation.unit.pk}, format="json")

    assert_refused(response, "parent")


def test_a_temporary_office_needs_a_closing_date(admin_client, organisation):
    body = {"name": "Project office", "kind": OfficeKind.PROJECT_OFFICE, "is_permanent": False}

    response = admin_client.post(url("office"), body, format="json")

    assert_refused(response, "closes_on")


def test_an_office_scope_must_exist(admin_client, organisation):
    body = {"name": "Programme office", "kind": OfficeKind.PROGRAMME_OFFICE, "scope_type": "programme", "scope_id": 999}

    response = admin_client.post(url("office"), body, format="json")

    assert_refused(response, "scope_id")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"allocation_percent": 0}, "allocation_percent"),
        ({"allocation_percent": 101}, "allocation_percent"),
        ({"staff_role": "tea_maker"}, "staff_role"),
        ({"person": 999_999}, "person"),
    ],
)
def test_bad_office_membership(admin_client, organisation, administrator, change, field):
    office = core_services.create_office(actor=administrator, name="PMO", kind=OfficeKind.PORTFOLIO_OFFICE)
    body = {"office": office.pk, "person": organisation.person.pk, "staff_role": PMOStaffRole.ANALYST, **change}

    assert_refused(admin_client.post(url("office-membership"), body, format="json"), field)


def test_a_membership_held_twice_is_refused(admin_client, organisation, administrator):
    office = core_services.create_office(actor=administrator, name="PMO", kind=OfficeKind.PORTFOLIO_OFFICE)
    body = {"office": office.pk, "person": organisation.person.pk, "staff_role": PMOStaffRole.ANALYST}
    assert admin_client.post(url("office-membership"), body, format="json").status_code == 201

    assert_refused(admin_client.post(url("office-membership"), body, format="json"), "person")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"role": "emperor"}, "role"),
        ({"role": Role.ADMINISTRATOR, "scope_type": ScopeType.PORTFOLIO, "scope_id": None}, "scope_id"),
        ({"scope_type": ScopeType.PROJECT, "scope_id": 999_999}, "scope_id"),
        ({"scope_type": "galaxy", "scope_id": 1}, "scope_type"),
    ],
)
def test_bad_role_assignment(admin_client, organisation, change, field):
    body = {"person": organisation.person.pk, "role": Role.TEAM_MEMBER, **change}

    assert_refused(admin_client.post(url("role-assignment"), body, format="json"), field)


def test_an_administrator_role_cannot_be_scoped(admin_client, organisation):
    body = {
        "person": organisation.person.pk, "role": Role.ADMINISTRATOR, "scope_type": ScopeType.PORTFOLIO,
        "scope_id": organisation.portfolio_a.pk,
    }

    assert_refused(admin_client.post(url("role-assignment"), body, format="json"), "scope_type")


@pytest.mark.parametrize(
    ("objectives", "field"),
    [
        ("not a list", "objectives"),
        ([{"objective": "GROW", "contribution_weight": "10"}], "objectives"),
        ([{"objective": 999_999, "contribution_weight": "10"}], "objectives"),
        ([{"objective": None, "contribution_weight": "10"}], "objectives"),
        ([{"contribution_weight": "10"}], "objectives"),
    ],
    ids=str,
)
def test_bad_project_objectives(admin_client, organisation, objectives, field):
    body = {"objectives": objectives}

    response = admin_client.post(url("project", organisation.project_a1.pk, "objectives"), body, format="json")

    assert_refused(response, field)
    assert not organisation.project_a1.objective_links.exists()


def test_project_objective_weight_out_of_range(admin_client, organisation):
    body = {"objectives": [{"objective": organisation.objective.pk, "contribution_weight": "150.00"}]}

    response = admin_client.post(url("project", organisation.project_a1.pk, "objectives"), body, format="json")

    assert_refused(response, "objectives")
    assert "contribution_weight" in response.data["errors"]["objectives"][0]


def test_an_objective_listed_twice(admin_client, organisation):
    contribution = {"objective": organisation.objective.pk, "contribution_weight": "10.00"}

    body = {"objectives": [contribution, contribution]}

    response = admin_client.post(url("project", organisation.project_a1.pk, "objectives"), body, format="json")

    assert_refused(response, "objectives")


def test_a_dependency_on_itself_is_refused(admin_client, organisation):
    project = organisation.project_a1.pk
    body = {"dependent": project, "provider": project, "output": "X", "needed_by": "2026-06-30"}

    assert_refused(admin_client.post(url("project-dependency"), body, format="json"), "provider")


@pytest.mark.parametrize(
    "query",
    [{"stage": "finished"}, {"portfolio": "abc"}, {"portfolio": 999_999}, {"planned_finish_before": "soon"}],
    ids=str,
)
def test_bad_filter_values(admin_client, organisation, query):
    response = admin_client.get(url("project", **query))

    assert_refused(response, next(iter(query)))


def test_unknown_ordering_and_page_size_are_ignored(admin_client, organisation):
    response = admin_client.get(url("project", ordering="password", page_size="lots"))

    assert response.status_code == 200
    assert response.data["count"] == 3


def test_a_page_past_the_end_answers_404(admin_client, organisation):
    assert admin_client.get(url("project", page=99)).status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/links/?project=-1.7976931348623157e%2B308",
        "/api/v1/project-dependencies/?project=99999999999999999999999",
        "/api/v1/role-assignments/?scope_id=1.5",
        "/api/v1/projects/99999999999999999999999/",
        "/api/v1/activities/?project=99999999999999999999999",
    ],
)
def test_numbers_the_database_cannot_hold_are_refused_not_a_500(admin_client, url):
    assert admin_client.get(url).status_code in (400, 404)
