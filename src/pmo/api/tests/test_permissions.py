"""Who may read and write what: anonymous 403, invisible 404, visible but not permitted 403, and a
refused write changes nothing at all."""

import datetime

import pytest
from django.forms.models import model_to_dict

from pmo.api.tests.helpers import url
from pmo.core.choices import Role, ScopeType
from pmo.core.models import AuditEvent, OrganisationUnit
from pmo.portfolio import services as portfolio_services
from pmo.portfolio.models import Portfolio, Project, ProjectDependency

ALL_BASENAMES = [
    "unit", "person", "office", "office-membership", "role-assignment", "audit-event",
    "objective", "portfolio", "programme", "project", "project-dependency",
]


class NothingChanged:
    """Captures every project, portfolio and the audit trail; ``assert_same()`` checks none changed."""

    def __init__(self):
        self.rows = self._rows()

    @staticmethod
    def _rows():
        return (
            [model_to_dict(project) for project in Project.objects.order_by("pk")],
            [model_to_dict(portfolio) for portfolio in Portfolio.objects.order_by("pk")],
            list(ProjectDependency.objects.values()),
            AuditEvent.objects.count(),
        )

    def assert_same(self):
        assert self._rows() == self.rows


# --- anonymous ------------------------------------------------------------------------------


@pytest.mark.parametrize("basename", ALL_BASENAMES)
def test_anonymous_reads_are_refused(client_for, organisation, basename):
    response = client_for(None).get(url(basename))

    assert response.status_code in (401, 403)
    assert "results" not in response.data


def test_anonymous_reads_of_one_object_and_its_history_are_refused(client_for, organisation):
    client = client_for(None)

    assert client.get(url("project", organisation.project_a1.pk)).status_code in (401, 403)
    assert client.get(url("project", organisation.project_a1.pk, "history")).status_code in (401, 403)
    assert client.get("/api/v1/").status_code in (401, 403)


def test_anonymous_writes_are_refused_and_change_nothing(client_for, organisation):
    client = client_for(None)
    before = NothingChanged()

    responses = [
        client.post(url("portfolio"), {"code": "PZ", "name": "Z"}, format="json"),
        client.patch(url("project", organisation.project_a1.pk), {"name": "Hacked"}, format="json"),
        client.post(url("project", organisation.project_a1.pk, "archive"), format="json"),
        client.post(url("project", organisation.project_a1.pk, "stage"), {"stage": "initiation"}, format="json"),
    ]

    assert [response.status_code in (401, 403) for response in responses] == [True] * 4
    before.assert_same()


def test_a_bad_token_is_refused(client_for, organisation):
    response = client_for(None).get(url("project"), HTTP_AUTHORIZATION="Token not-a-token")

    assert response.status_code in (401, 403)


# --- a login without any role ---------------------------------------------------------------


@pytest.mark.parametrize("basename", ALL_BASENAMES)
def test_no_role_sees_empty_lists(client_for, no_role_user, organisation, basename):
    response = client_for(no_role_user).get(url(basename))

    assert response.status_code == 200
    assert response.data["count"] == 0


def test_no_role_gets_404_for_any_object(client_for, no_role_user, organisation):
    client = client_for(no_role_user)

    assert client.get(url("project", organisation.project_a1.pk)).status_code == 404
    assert client.get(url("unit", organisation.unit.pk)).status_code == 404
    assert client.get(url("project", organisation.project_a1.pk, "history")).status_code == 404


# --- a team member of portfolio B -----------------------------------------------------------


def test_lists_hold_only_what_the_user_can_see(client_for, team_member_b, organisation):
    client = client_for(team_member_b)

    projects = client.get(url("project")).data
    portfolios = client.get(url("portfolio")).data
    programmes = client.get(url("programme")).data

    assert [row["code"] for row in projects["results"]] == ["PB-1"]
    assert projects["count"] == 1
    assert [row["code"] for row in portfolios["results"]] == ["PB"]
    assert programmes["count"] == 0
    # Organisation-wide records are read by anyone holding a role.
    assert client.get(url("unit")).data["count"] == OrganisationUnit.objects.count()


@pytest.mark.parametrize(
    "call",
    [
        ("get", None, None),
        ("patch", None, {"name": "Hacked"}),
        ("put", None, {"name": "Hacked"}),
        ("post", "archive", {}),
        ("post", "stage", {"stage": "initiation"}),
        ("post", "objectives", {"objectives": []}),
        ("get", "history", None),
    ],
)
def test_an_invisible_project_answers_404_and_changes_nothing(client_for, team_member_b, organisation, call):
    method, route, body = call
    before = NothingChanged()
    client = client_for(team_member_b)

    response = getattr(client, method)(url("project", organisation.project_a1.pk, route), body, format="json")

    assert response.status_code == 404
    before.assert_same()


@pytest.mark.parametrize(
    "call",
    [
        ("patch", None, {"name": "Hacked"}),
        ("post", "archive", {"reason": "Because"}),
        ("post", "stage", {"stage": "initiation"}),
        ("post", "objectives", {"objectives": []}),
    ],
)
def test_a_visible_project_the_user_may_not_change_answers_403_and_changes_nothing(
    client_for, team_member_b, organisation, call
):
    method, route, body = call
    before = NothingChanged()
    client = client_for(team_member_b)

    response = getattr(client, method)(url("project", organisation.project_b1.pk, route), body, format="json")

    assert response.status_code == 403
    assert response.data["detail"]
    before.assert_same()


def test_a_visible_project_and_its_history_can_be_read(client_for, team_member_b, organisation):
    client = client_for(team_member_b)

    assert client.get(url("project", organisation.project_b1.pk)).data["code"] == "PB-1"
    history = client.get(url("project", organisation.project_b1.pk, "history")).data
    assert [event["action"] for event in history["results"]] == ["project.created"]


def test_referencing_an_invisible_portfolio_reads_as_unknown(client_for, team_member_b, organisation):
    before = NothingChanged()

    response = client_for(team_member_b).post(
        url("project"), {"portfolio": organisation.portfolio_a.pk, "code": "PA-9", "name": "Sneaky"}, format="json"
    )

    assert response.status_code == 400
    pk = organisation.portfolio_a.pk
    assert response.data["errors"]["portfolio"] == [f'Invalid pk "{pk}" - object does not exist.']
    before.assert_same()


def test_creating_inside_a_visible_portfolio_without_the_right_is_refused(client_for, team_member_b, organisation):
    before = NothingChanged()

    response = client_for(team_member_b).post(
        url("project"), {"portfolio": organisation.portfolio_b.pk, "code": "PB-9", "name": "Nope"}, format="json"
    )

    assert response.status_code == 403
    before.assert_same()


def test_dependencies_follow_both_projects(client_for, administrator, team_member_b, organisation):
    other_b = portfolio_services.create_project(
        actor=administrator, portfolio=organisation.portfolio_b, code="PB-2", name="Beta two"
    )
    client = client_for(team_member_b)
    before = NothingChanged()
    body = {"dependent": organisation.project_b1.pk, "output": "X", "needed_by": "2026-06-30"}
    onto_invisible = {**body, "provider": organisation.project_a1.pk}
    not_permitted = {**body, "provider": other_b.pk}

    assert client.post(url("project-dependency"), onto_invisible, format="json").data["errors"].keys() == {"provider"}
    assert client.post(url("project-dependency"), not_permitted, format="json").status_code == 403
    before.assert_same()


def test_organisation_records_need_an_organisation_wide_role(client_for, team_member_b, organisation):
    client = client_for(team_member_b)
    units_before = list(OrganisationUnit.objects.values())

    assert client.post(url("unit"), {"name": "Finance", "code": "fin"}, format="json").status_code == 403
    assert client.patch(url("unit", organisation.unit.pk), {"name": "IT!"}, format="json").status_code == 403
    assert client.post(url("unit", organisation.unit.pk, "archive"), format="json").status_code == 403
    assert list(OrganisationUnit.objects.values()) == units_before


def test_role_scopes_are_resolved_among_visible_objects(client_for, team_member_b, organisation):
    client = client_for(team_member_b)
    body = {"person": organisation.person.pk, "role": Role.TEAM_MEMBER, "scope_type": ScopeType.PROJECT}

    invisible = client.post(url("role-assignment"), {**body, "scope_id": organisation.project_a1.pk}, format="json")
    not_permitted = client.post(url("role-assignment"), {**body, "scope_id": organisation.project_b1.pk}, format="json")

    assert invisible.status_code == 400
    assert "scope_id" in invisible.data["errors"]
    assert not_permitted.status_code == 403
    assert not organisation.person.role_assignments.exists()


# --- scoped managers ------------------------------------------------------------------------


def test_a_portfolio_manager_works_inside_their_portfolio_only(client_for, portfolio_manager, organisation):
    client = client_for(portfolio_manager)

    inside_body = {"portfolio": organisation.portfolio_a.pk, "code": "PA-9", "name": "Nine"}
    outside_body = {"portfolio": organisation.portfolio_b.pk, "code": "PB-9", "name": "Nine"}

    inside = client.post(url("project"), inside_body, format="json")
    outside = client.post(url("project"), outside_body, format="json")
    programme_body = {"portfolio": organisation.portfolio_a.pk, "code": "PA-P9", "name": "P9"}
    programme = client.post(url("programme"), programme_body, format="json")
    archived = client.post(url("project", organisation.project_a2.pk, "archive"), format="json")

    assert inside.status_code == 201, inside.data
    assert outside.status_code == 400
    assert "portfolio" in outside.data["errors"]
    assert programme.status_code == 201, programme.data
    assert archived.status_code == 200, archived.data
    assert not Project.objects.filter(code="PB-9").exists()


def test_a_portfolio_manager_cannot_move_a_programme_out_of_sight(client_for, portfolio_manager, organisation):
    response = client_for(portfolio_manager).patch(
        url("programme", organisation.programme.pk), {"portfolio": organisation.portfolio_b.pk}, format="json"
    )

    assert response.status_code == 400
    assert "portfolio" in response.data["errors"]
    organisation.programme.refresh_from_db()
    assert organisation.programme.portfolio == organisation.portfolio_a


def test_a_portfolio_manager_cannot_assign_roles(client_for, portfolio_manager, organisation):
    body = {
        "person": organisation.person.pk, "role": Role.TEAM_MEMBER, "scope_type": ScopeType.PORTFOLIO,
        "scope_id": organisation.portfolio_a.pk,
    }

    assert client_for(portfolio_manager).post(url("role-assignment"), body, format="json").status_code == 403
    assert not organisation.person.role_assignments.exists()


def test_a_project_manager_changes_their_project_but_does_not_archive_it(client_for, project_manager, organisation):
    client = client_for(project_manager)

    changed = client.patch(url("project", organisation.project_a1.pk), {"rag": "amber"}, format="json")
    archive = client.post(url("project", organisation.project_a1.pk, "archive"), format="json")
    sibling = client.patch(url("project", organisation.project_a2.pk), {"rag": "amber"}, format="json")
    portfolio = client.patch(url("portfolio", organisation.portfolio_a.pk), {"name": "Mine now"}, format="json")

    assert changed.status_code == 200, changed.data
    assert archive.status_code == 403
    assert sibling.status_code == 404
    # The portfolio around their project is visible to them, but not theirs to change.
    assert portfolio.status_code == 403
    organisation.project_a1.refresh_from_db()
    organisation.portfolio_a.refresh_from_db()
    assert (organisation.project_a1.rag, organisation.project_a1.is_archived) == ("amber", False)
    assert organisation.portfolio_a.name == "Portfolio A"


def test_a_view_only_role_reads_everything_and_changes_nothing(client_for, administrator, analyst, organisation):
    dependency = portfolio_services.create_dependency(
        actor=administrator, dependent=organisation.project_a1, provider=organisation.project_b1, output="Data",
        needed_by=datetime.date(2026, 6, 30),
    )
    client = client_for(analyst)
    before = NothingChanged()

    assert client.get(url("project")).data["count"] == 3
    assert client.patch(url("project", organisation.project_a1.pk), {"name": "X"}, format="json").status_code == 403
    assert client.post(url("portfolio"), {"code": "PZ", "name": "Z"}, format="json").status_code == 403
    assert client.get(url("project-dependency", dependency.pk)).status_code == 200
    assert client.delete(url("project-dependency", dependency.pk)).status_code == 403
    before.assert_same()


def test_a_role_revoked_takes_effect_on_the_next_request(client_for, administrator, make_user, organisation):
    member = make_user("tom", Role.TEAM_MEMBER, organisation.project_a1)
    member_client = client_for(member)
    assert member_client.get(url("project", organisation.project_a1.pk)).status_code == 200
    assignment = member.person.role_assignments.get()

    assert client_for(administrator).delete(url("role-assignment", assignment.pk)).status_code == 204

    assert member_client.get(url("project", organisation.project_a1.pk)).status_code == 404


# --- the audit trail ------------------------------------------------------------------------


def project_event_ids(client) -> set[str]:
    events = client.get(url("audit-event", model="project", page_size=200)).data["results"]
    return {event["object_id"] for event in events}


def test_audit_events_follow_what_the_user_can_see(client_for, administrator, analyst, team_member_b, organisation):
    all_projects = {str(pk) for pk in Project.objects.values_list("pk", flat=True)}
    event_about_a1 = AuditEvent.objects.for_object(organisation.project_a1).get()

    assert project_event_ids(client_for(administrator)) == all_projects
    assert project_event_ids(client_for(analyst)) == all_projects
    assert project_event_ids(client_for(team_member_b)) == {str(organisation.project_b1.pk)}
    assert client_for(team_member_b).get(url("audit-event", event_about_a1.pk)).status_code == 404
    assert client_for(analyst).get(url("audit-event", event_about_a1.pk)).status_code == 200
    # Events about organisation-wide records are read by anyone holding a role.
    unit_events = client_for(team_member_b).get(url("audit-event", model="organisationunit")).data
    assert unit_events["count"] == 1


def test_events_about_deleted_objects_are_for_organisation_wide_readers(
    client_for, administrator, analyst, make_user, organisation
):
    member = make_user("tom", Role.TEAM_MEMBER, organisation.project_a1)
    assignment = member.person.role_assignments.get()
    client_for(administrator).delete(url("role-assignment", assignment.pk))
    other_member = make_user("tim", Role.TEAM_MEMBER, organisation.project_b1)

    revoked_for_analyst = client_for(analyst).get(url("audit-event", action="roleassignment.revoked")).data
    revoked_for_member = client_for(other_member).get(url("audit-event", action="roleassignment.revoked")).data

    assert revoked_for_analyst["count"] == 1
    assert revoked_for_member["count"] == 0
