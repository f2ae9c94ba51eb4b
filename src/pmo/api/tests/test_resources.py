"""Create, read, update, archive (or delete) every resource as a user permitted to, and check that
each write reaches the database through its service and leaves an audit event."""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import pytest

from pmo.api.tests.helpers import events_about, url
from pmo.core import services as core_services
from pmo.core.choices import OfficeKind, PMOStaffRole, Role, ScopeType
from pmo.core.models import AuditEvent, OfficeMembership, OrganisationUnit, Person, PMOOffice, RoleAssignment
from pmo.portfolio.choices import RAG, DependencyStatus, LifecycleStage
from pmo.portfolio.models import Portfolio, Programme, Project, ProjectDependency, StrategicObjective


@dataclass(frozen=True)
class Resource:
    basename: str
    model: type
    create: Callable  # organisation -> POST body
    change: dict  # a PATCH body
    full: Callable  # organisation -> PUT body naming every writable field

    def __str__(self) -> str:
        return self.basename


ARCHIVABLE = [
    Resource(
        "unit", OrganisationUnit,
        lambda w: {"name": "Finance", "code": "fin", "parent": w.unit.pk},
        {"name": "Finance and audit"},
        lambda w: {"name": "Finance (all)", "code": "fin-all", "parent": None},
    ),
    Resource(
        "person", Person,
        lambda w: {"full_name": "Sam Lee", "email": "sam@example.org", "job_title": "Analyst", "unit": w.unit.pk},
        {"job_title": "Lead analyst"},
        lambda w: {"full_name": "Sam Lee", "email": "sam.lee@example.org", "job_title": "Lead", "unit": None},
    ),
    Resource(
        "office", PMOOffice,
        lambda w: {
            "name": "Portfolio office", "kind": OfficeKind.PORTFOLIO_OFFICE, "unit": w.unit.pk,
            "established_on": "2026-01-01", "mandate": "Standards and assurance",
        },
        {"mandate": "Standards, assurance and reporting"},
        lambda w: {
            "name": "Programme office A1", "kind": OfficeKind.PROGRAMME_OFFICE, "is_permanent": False,
            "scope_type": ScopeType.PROGRAMME, "scope_id": w.programme.pk, "unit": None,
            "established_on": "2026-01-01", "closes_on": "2027-06-30", "mandate": "Run programme A1",
        },
    ),
    Resource(
        "objective", StrategicObjective,
        lambda w: {
            "code": "CUT", "name": "Cut costs", "weight": "2.50", "owner": w.person.pk, "active_from": "2026-01-01",
        },
        {"weight": "4.00"},
        lambda w: {
            "code": "CUT-2", "name": "Cut costs again", "description": "By 10%", "weight": "5.00", "owner": None,
            "active_from": "2026-04-01", "active_to": "2027-03-31",
        },
    ),
    Resource(
        "portfolio", Portfolio,
        lambda w: {"code": "PC", "name": "Portfolio C", "manager": w.person.pk},
        {"description": "The third portfolio"},
        lambda w: {"code": "PC-2", "name": "Portfolio C2", "description": "Renamed", "manager": None},
    ),
    Resource(
        "programme", Programme,
        lambda w: {"portfolio": w.portfolio_a.pk, "code": "PA-P2", "name": "Programme A2", "sro": w.person.pk},
        {"name": "Programme A2 (renamed)"},
        lambda w: {
            "portfolio": w.portfolio_b.pk, "code": "PB-P1", "name": "Programme B1", "description": "Moved",
            "manager": w.person.pk, "sro": None,
        },
    ),
    Resource(
        "project", Project,
        lambda w: {
            "portfolio": w.portfolio_a.pk, "programme": w.programme.pk, "code": "PA-3", "name": "Gamma",
            "planned_start": "2026-03-01", "planned_finish": "2026-09-30", "budget": "2500.00", "rag": RAG.AMBER,
        },
        {"rag": RAG.RED},
        lambda w: {
            "portfolio": w.portfolio_a.pk, "programme": None, "code": "PA-3X", "name": "Gamma X",
            "scope_statement": "All of it", "sro": w.person.pk, "manager": w.person.pk,
            "stage": LifecycleStage.INITIATION, "planned_start": "2026-03-01", "planned_finish": "2026-10-31",
            "budget": "3000.00", "rag": RAG.GREEN,
        },
    ),
]


def audited_value(snapshot: dict, field: str):
    """A field's value in an audit snapshot, which keys relations by their ``_id`` column."""
    return snapshot[field] if field in snapshot else snapshot[f"{field}_id"]


def assert_answer_matches(answer: dict, body: dict) -> None:
    for field, value in body.items():
        assert answer[field] == value, field


@pytest.fixture
def admin_client(client_for, administrator):
    return client_for(administrator)


def create(client, resource: Resource, organisation, reason: str = ""):
    body = {**resource.create(organisation), "reason": reason}
    response = client.post(url(resource.basename), body, format="json")
    assert response.status_code == 201, response.data
    return response


@pytest.mark.parametrize("resource", ARCHIVABLE, ids=str)
class TestArchivableResource:
    def test_create_answers_the_object_and_audits_it(self, admin_client, organisation, resource):
        body = resource.create(organisation)
        response = create(admin_client, resource, organisation, reason="Asked by the board")

        assert_answer_matches(response.data, body)
        assert response.data["is_archived"] is False
        assert response["Location"] == response.data["url"]
        assert "reason" not in response.data
        instance = resource.model.objects.get(pk=response.data["id"])
        [event] = events_about(instance)
        assert event.action == f"{resource.model._meta.model_name}.created"
        assert event.actor_name == "ada"
        assert event.reason == "Asked by the board"
        assert event.before is None
        for field, value in body.items():
            assert audited_value(event.after, field) == value, field

    def test_read_one_and_in_the_list(self, admin_client, organisation, resource):
        created = create(admin_client, resource, organisation).data

        detail = admin_client.get(url(resource.basename, created["id"]))
        listing = admin_client.get(url(resource.basename, page_size=200))

        assert detail.status_code == 200
        assert detail.data == created
        assert listing.status_code == 200
        assert created["id"] in [row["id"] for row in listing.data["results"]]
        assert listing.data["count"] == resource.model.objects.count()

    def test_patch_changes_the_given_fields_and_audits_before_and_after(self, admin_client, organisation, resource):
        created = create(admin_client, resource, organisation).data
        [field] = resource.change

        response = admin_client.patch(
            url(resource.basename, created["id"]), {**resource.change, "reason": "Corrected"}, format="json"
        )

        assert response.status_code == 200, response.data
        assert_answer_matches(response.data, resource.change)
        instance = resource.model.objects.get(pk=created["id"])
        event = events_about(instance)[-1]
        assert event.action == f"{resource.model._meta.model_name}.changed"
        assert event.reason == "Corrected"
        assert audited_value(event.before, field) == created[field]
        assert audited_value(event.after, field) == resource.change[field]
        # Only what changed is recorded.
        assert set(event.after) == set(event.before) == {field if field in event.after else f"{field}_id"}

    def test_put_replaces_every_writable_field(self, admin_client, organisation, resource):
        created = create(admin_client, resource, organisation).data
        body = resource.full(organisation)

        response = admin_client.put(url(resource.basename, created["id"]), body, format="json")

        assert response.status_code == 200, response.data
        assert_answer_matches(response.data, body)
        assert_answer_matches(admin_client.get(url(resource.basename, created["id"])).data, body)

    def test_put_without_every_writable_field_is_refused(self, admin_client, organisation, resource):
        created = create(admin_client, resource, organisation).data
        body = resource.full(organisation)
        missing = sorted(body)[0]
        del body[missing]
        events_before = AuditEvent.objects.count()

        response = admin_client.put(url(resource.basename, created["id"]), body, format="json")

        assert response.status_code == 400
        assert missing in response.data["errors"]
        assert admin_client.get(url(resource.basename, created["id"])).data == created
        assert AuditEvent.objects.count() == events_before

    def test_archive_with_a_reason(self, admin_client, organisation, resource):
        created = create(admin_client, resource, organisation).data

        archive_url = url(resource.basename, created["id"], "archive")

        response = admin_client.post(archive_url, {"reason": "Done"}, format="json")

        assert response.status_code == 200, response.data
        assert response.data["is_archived"] is True
        event = events_about(resource.model.objects.get(pk=created["id"]))[-1]
        assert event.action == f"{resource.model._meta.model_name}.archived"
        assert (event.before, event.after, event.reason) == ({"is_archived": False}, {"is_archived": True}, "Done")

    def test_archive_without_a_body(self, admin_client, organisation, resource):
        created = create(admin_client, resource, organisation).data

        response = admin_client.post(url(resource.basename, created["id"], "archive"))

        assert response.status_code == 200, response.data
        assert response.data["is_archived"] is True

    def test_delete_is_not_allowed(self, admin_client, organisation, resource):
        created = create(admin_client, resource, organisation).data

        response = admin_client.delete(url(resource.basename, created["id"]))

        assert response.status_code == 405
        assert resource.model.objects.filter(pk=created["id"], is_archived=False).exists()

    def test_history_lists_the_events_newest_first(self, admin_client, organisation, resource):
        created = create(admin_client, resource, organisation).data
        admin_client.patch(url(resource.basename, created["id"]), resource.change, format="json")

        response = admin_client.get(url(resource.basename, created["id"], "history"))

        assert response.status_code == 200
        model_name = resource.model._meta.model_name
        actions = [event["action"] for event in response.data["results"]]
        assert actions == [f"{model_name}.changed", f"{model_name}.created"]
        newest = response.data["results"][0]
        assert newest["object_type"] == f"{resource.model._meta.app_label}.{model_name}"
        assert newest["object_id"] == str(created["id"])
        assert newest["actor_name"] == "ada"


def test_every_write_records_the_request_id(client_for, administrator, organisation):
    response = client_for(administrator).patch(
        url("project", organisation.project_a1.pk), {"name": "Alpha prime"}, format="json", HTTP_X_REQUEST_ID="trace-42"
    )

    assert response.status_code == 200
    assert events_about(organisation.project_a1)[-1].request_id == "trace-42"


# --- office memberships and role assignments: created and deleted, never changed ------------


@pytest.fixture
def office(administrator):
    return core_services.create_office(actor=administrator, name="Portfolio office", kind=OfficeKind.PORTFOLIO_OFFICE)


def test_office_membership_is_added_and_removed(client_for, administrator, organisation, office):
    client = client_for(administrator)
    body = {
        "office": office.pk, "person": organisation.person.pk, "staff_role": PMOStaffRole.ANALYST,
        "allocation_percent": 50,
    }

    created = client.post(url("office-membership"), {**body, "reason": "New hire"}, format="json")

    assert created.status_code == 201, created.data
    assert_answer_matches(created.data, body)
    membership = OfficeMembership.objects.get(pk=created.data["id"])
    assert [event.action for event in events_about(membership)] == ["officemembership.created"]
    assert client.get(url("office-membership", membership.pk)).data == created.data
    changed = client.patch(url("office-membership", membership.pk), {"allocation_percent": 60}, format="json")
    assert changed.status_code == 405

    removed = client.delete(url("office-membership", membership.pk), {"reason": "Moved on"}, format="json")

    assert removed.status_code == 204
    assert not OfficeMembership.objects.filter(pk=membership.pk).exists()
    event = events_about(membership)[-1]
    assert (event.action, event.reason) == ("officemembership.removed", "Moved on")
    assert event.before["allocation_percent"] == 50


def test_role_is_assigned_and_revoked(client_for, administrator, organisation):
    client = client_for(administrator)
    body = {
        "person": organisation.person.pk, "role": Role.PROJECT_MANAGER, "scope_type": ScopeType.PROJECT,
        "scope_id": organisation.project_b1.pk,
    }

    created = client.post(url("role-assignment"), body, format="json")

    assert created.status_code == 201, created.data
    assert_answer_matches(created.data, body)
    assignment = RoleAssignment.objects.get(pk=created.data["id"])
    assert events_about(assignment)[0].after["role"] == Role.PROJECT_MANAGER
    assert client.put(url("role-assignment", assignment.pk), body, format="json").status_code == 405

    revoked = client.delete(url("role-assignment", assignment.pk))

    assert revoked.status_code == 204
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()
    assert events_about(assignment)[-1].action == "roleassignment.revoked"


def test_an_organisation_wide_role_needs_no_scope(client_for, administrator, organisation):
    response = client_for(administrator).post(
        url("role-assignment"), {"person": organisation.person.pk, "role": Role.EXECUTIVE}, format="json"
    )

    assert response.status_code == 201, response.data
    assert (response.data["scope_type"], response.data["scope_id"]) == (ScopeType.ORGANISATION, None)


# --- project dependencies: full CRUD, deleted rather than archived --------------------------


def test_project_dependency_lifecycle(client_for, administrator, organisation):
    client = client_for(administrator)
    body = {
        "dependent": organisation.project_a1.pk, "provider": organisation.project_b1.pk, "output": "Data platform",
        "needed_by": "2026-06-30",
    }

    created = client.post(url("project-dependency"), body, format="json")

    assert created.status_code == 201, created.data
    assert_answer_matches(created.data, body)
    assert created.data["status"] == DependencyStatus.OPEN
    assert created.data["display"] == "PA-1 needs Data platform from PB-1"
    pk = created.data["id"]

    patched = client.patch(url("project-dependency", pk), {"status": DependencyStatus.AT_RISK}, format="json")
    assert patched.status_code == 200, patched.data
    assert patched.data["status"] == DependencyStatus.AT_RISK

    full = {
        "provider": organisation.project_a2.pk, "output": "API", "needed_by": "2026-07-31", "status": "open",
        "notes": "Agreed",
    }
    put = client.put(url("project-dependency", pk), full, format="json")
    assert put.status_code == 200, put.data
    assert_answer_matches(put.data, full)
    # The dependent project is fixed once the dependency is made.
    assert put.data["dependent"] == organisation.project_a1.pk

    dependency = ProjectDependency.objects.get(pk=pk)
    deleted = client.delete(url("project-dependency", pk), {"reason": "No longer needed"}, format="json")
    assert deleted.status_code == 204
    assert not ProjectDependency.objects.filter(pk=pk).exists()
    actions = [event.action for event in events_about(dependency)]
    assert actions == [f"projectdependency.{verb}" for verb in ("created", "changed", "changed", "deleted")]


# --- project stage and objectives -------------------------------------------------------------


def test_project_moves_stage_with_a_reason(client_for, administrator, organisation):
    response = client_for(administrator).post(
        url("project", organisation.project_a1.pk, "stage"),
        {"stage": LifecycleStage.INITIATION, "reason": "Gate 1 passed"},
        format="json",
    )

    assert response.status_code == 200, response.data
    assert response.data["stage"] == LifecycleStage.INITIATION
    event = events_about(organisation.project_a1)[-1]
    assert (event.action, event.before, event.after, event.reason) == (
        "project.stage_changed", {"stage": "proposed"}, {"stage": "initiation"}, "Gate 1 passed",
    )


def test_project_cannot_skip_stages(client_for, administrator, organisation):
    response = client_for(administrator).post(
        url("project", organisation.project_a1.pk, "stage"), {"stage": LifecycleStage.CLOSED}, format="json"
    )

    assert response.status_code == 400
    assert "stage" in response.data["errors"]
    organisation.project_a1.refresh_from_db()
    assert organisation.project_a1.stage == LifecycleStage.PROPOSED


def test_project_objectives_are_replaced(client_for, administrator, organisation):
    client = client_for(administrator)
    objectives_url = url("project", organisation.project_a1.pk, "objectives")

    first = client.post(
        objectives_url,
        {"objectives": [
            {"objective": organisation.objective.pk, "contribution_weight": "60.00"},
            {"objective": organisation.other_objective.pk, "contribution_weight": "40.00"},
        ]},
        format="json",
    )
    second = client.post(
        objectives_url,
        {
            "objectives": [{"objective": organisation.other_objective.pk, "contribution_weight": "100.00"}],
            "reason": "Refocus",
        },
        format="json",
    )

    assert first.status_code == 200, first.data
    assert first.data["objectives"] == [
        {"objective": organisation.objective.pk, "contribution_weight": "60.00"},
        {"objective": organisation.other_objective.pk, "contribution_weight": "40.00"},
    ]
    assert second.status_code == 200, second.data
    assert second.data["objectives"] == [
        {"objective": organisation.other_objective.pk, "contribution_weight": "100.00"}
    ]
    links = organisation.project_a1.objective_links.values_list("objective__code", "contribution_weight")
    assert list(links) == [
        ("SAVE", Decimal("100.00"))
    ]
    event = events_about(organisation.project_a1)[-1]
    assert (event.action, event.reason) == ("project.objectives_changed", "Refocus")
    assert event.before == {"objectives": {"GROW": "60.00", "SAVE": "40.00"}}
    assert event.after == {"objectives": {"SAVE": "100.00"}}


def test_project_objectives_can_be_emptied(client_for, administrator, organisation):
    client = client_for(administrator)
    objectives_url = url("project", organisation.project_a1.pk, "objectives")
    one = {"objectives": [{"objective": organisation.objective.pk, "contribution_weight": "1.00"}]}
    assert client.post(objectives_url, one, format="json").status_code == 200

    response = client.post(objectives_url, {"objectives": []}, format="json")

    assert response.status_code == 200, response.data
    assert response.data["objectives"] == []
    assert not organisation.project_a1.objective_links.exists()


# --- the browsable API and OPTIONS ----------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        lambda o: url("project"),
        lambda o: url("project", o.project_a1.pk),
        lambda o: url("project-dependency"),
        lambda o: url("unit", o.unit.pk),
        lambda o: url("role-assignment"),
        lambda o: url("audit-event"),
        lambda o: "/api/v1/",
    ],
    ids=["projects", "project", "dependencies", "unit", "role-assignments", "audit-events", "root"],
)
def test_the_browsable_api_renders_pages_and_forms(client_for, portfolio_manager, organisation, path):
    response = client_for(portfolio_manager).get(path(organisation), HTTP_ACCEPT="text/html")

    assert response.status_code == 200
    assert b"<form" in response.content or path(organisation) == "/api/v1/"


def test_options_describe_the_writable_fields(client_for, administrator, organisation):
    response = client_for(administrator).options(url("project", organisation.project_a1.pk))

    assert response.status_code == 200
    fields = response.data["actions"]["PUT"]
    assert fields["stage"]["type"] == "choice"
    assert fields["reason"]["required"] is False
    assert fields["id"]["read_only"] is True
