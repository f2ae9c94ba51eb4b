"""Organisation services: audited, permission-checked, and refusing bad data with the field named."""

from datetime import date

import pytest
from django.test import Client

from pmo.core import services
from pmo.core.choices import Role, ScopeType
from pmo.core.errors import DomainError, InvalidData, PermissionRefused
from pmo.core.models import AuditEvent, OrganisationUnit, RoleAssignment
from pmo.core.permissions import build_grants, grants_for


def test_grants_fold_roles_by_scope():
    grants = build_grants(
        [
            (Role.PROJECT_MANAGER, ScopeType.PROJECT, 7),
            (Role.TEAM_MEMBER, ScopeType.PROJECT, 8),
            (Role.PMO_ANALYST, ScopeType.ORGANISATION, None),
        ]
    )
    assert grants.allows_everywhere("view") and not grants.allows_everywhere("change")
    assert grants.ids(ScopeType.PROJECT, "change") == {7}
    assert grants.ids(ScopeType.PROJECT, "view") == {7, 8}
    assert not grants.is_administrator


def test_unit_cannot_sit_inside_itself(world):
    child = services.create_unit(actor=world.admin, name="Service desk", code="it-desk", parent=world.unit)
    with pytest.raises(InvalidData) as refused:
        services.update_unit(actor=world.admin, unit=world.unit, changes={"parent": child})
    assert "parent" in refused.value.errors
    assert OrganisationUnit.objects.get(pk=world.unit.pk).parent is None


def test_duplicate_unit_code_is_refused_by_field(world):
    with pytest.raises(InvalidData) as refused:
        services.create_unit(actor=world.admin, name="Another IT", code="it")
    assert "code" in refused.value.errors


def test_person_changes_are_audited(world):
    services.update_person(
        actor=world.org_head, person=world.person, changes={"job_title": "Chief architect"}, reason="Promotion"
    )
    event = AuditEvent.objects.for_object(world.person).first()
    assert (event.before, event.after, event.reason) == (
        {"job_title": "Architect"},
        {"job_title": "Chief architect"},
        "Promotion",
    )


def test_organisation_records_need_an_organisation_wide_role(world):
    with pytest.raises(PermissionRefused):
        services.create_person(actor=world.permitted, full_name="Someone")
    with pytest.raises(PermissionRefused):
        services.update_unit(actor=world.permitted, unit=world.unit, changes={"name": "x"})


def test_temporary_office_needs_a_closing_date(world):
    with pytest.raises(InvalidData) as refused:
        services.create_office(
            actor=world.admin,
            name="Programme office",
            kind="programme_office",
            is_permanent=False,
            scope_type=ScopeType.PROGRAMME,
            scope_id=world.programme.pk,
        )
    assert "closes_on" in refused.value.errors
    office = services.create_office(
        actor=world.admin,
        name="Programme office",
        kind="programme_office",
        is_permanent=False,
        scope_type=ScopeType.PROGRAMME,
        scope_id=world.programme.pk,
        closes_on=date(2027, 6, 30),
    )
    assert office.pk


def test_office_scope_must_exist(world):
    with pytest.raises(InvalidData) as refused:
        services.create_office(
            actor=world.admin,
            name="Ghost office",
            kind="project_office",
            scope_type=ScopeType.PROJECT,
            scope_id=999_999,
        )
    assert "scope_id" in refused.value.errors


def test_office_staff_are_added_once_and_audited(world):
    membership = services.add_office_member(
        actor=world.org_head, office=world.office, person=world.person, staff_role="head"
    )
    assert AuditEvent.objects.for_object(membership).get().action == "officemembership.created"
    with pytest.raises(InvalidData):
        services.add_office_member(actor=world.org_head, office=world.office, person=world.person, staff_role="head")


def test_role_rules(world):
    with pytest.raises(InvalidData):
        services.assign_role(actor=world.admin, person=world.person, role="emperor")
    with pytest.raises(InvalidData, match="whole organisation only"):
        services.assign_role(
            actor=world.admin,
            person=world.person,
            role=Role.ADMINISTRATOR,
            scope_type=ScopeType.PROJECT,
            scope_id=world.project.pk,
        )
    with pytest.raises(PermissionRefused):
        services.assign_role(
            actor=world.permitted,
            person=world.person,
            role=Role.TEAM_MEMBER,
            scope_type=ScopeType.PROJECT,
            scope_id=world.project.pk,
        )
    services.assign_role(
        actor=world.admin,
        person=world.person,
        role=Role.TEAM_MEMBER,
        scope_type=ScopeType.PROJECT,
        scope_id=world.project.pk,
    )
    with pytest.raises(InvalidData, match="already holds"):
        services.assign_role(
            actor=world.admin,
            person=world.person,
            role=Role.TEAM_MEMBER,
            scope_type=ScopeType.PROJECT,
            scope_id=world.project.pk,
        )


def test_revoking_a_role_takes_effect_and_is_audited(world):
    assignment = RoleAssignment.objects.get(person__user=world.permitted)
    services.revoke_role(actor=world.admin, assignment=assignment, reason="Left the company")
    assert not grants_for(type(world.permitted).objects.get(pk=world.permitted.pk)).has_any_role
    event = AuditEvent.objects.filter(action="roleassignment.revoked").get()
    assert event.before["role"] == Role.PORTFOLIO_MANAGER and event.reason == "Left the company"


def test_archive_unit_with_live_children_is_refused(world):
    services.create_unit(actor=world.admin, name="Service desk", code="it-desk", parent=world.unit)
    with pytest.raises(DomainError, match="sub-units"):
        services.archive_unit(actor=world.admin, unit=world.unit)


def test_audit_events_carry_the_request_id(world):
    client = Client()
    client.force_login(world.org_head)
    response = client.post(
        f"/people/{world.person.pk}/edit/",
        {"full_name": "Grace Hopper", "job_title": "Rear admiral", "email": "", "unit": world.unit.pk},
        HTTP_X_REQUEST_ID="req-123",
    )
    assert response.status_code == 302 and response["X-Request-ID"] == "req-123"
    assert AuditEvent.objects.for_object(world.person).first().request_id == "req-123"
