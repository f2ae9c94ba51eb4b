"""The organisation's resources in the permission matrix (web/tests/test_permission_matrix.py)."""

from pmo.core.forms import OrganisationUnitForm, PersonForm, PMOOfficeForm
from pmo.core.models import AuditEvent, OfficeMembership, RoleAssignment
from pmo.core.testing.harness import Resource, form_data


def _membership(world):
    membership, _ = OfficeMembership.objects.get_or_create(
        office=world.office, person=world.person, staff_role="analyst"
    )
    return membership


def _event_about_the_project(world):
    return AuditEvent.objects.for_object(world.project).get(action="project.created")


def _here_role(world):
    return RoleAssignment.objects.get(person__user=world.permitted)


ORGANISATION_RESOURCES = [
    Resource(
        name="unit",
        obj=lambda w: w.unit,
        permitted=lambda w: w.org_head,
        scoped=False,
        ui_list="core:unit_list",
        ui_detail="core:unit_detail",
        ui_edit="core:unit_edit",
        edit_form=lambda unit: form_data(OrganisationUnitForm, unit, name="IT and Digital"),
        api_basename="unit",
        api_change={"name": "IT and Digital"},
    ),
    Resource(
        name="person",
        obj=lambda w: w.person,
        permitted=lambda w: w.org_head,
        scoped=False,
        ui_list="core:person_list",
        ui_detail="core:person_detail",
        ui_edit="core:person_edit",
        edit_form=lambda person: form_data(PersonForm, person, job_title="Chief architect"),
        api_basename="person",
        api_change={"job_title": "Chief architect"},
    ),
    Resource(
        name="office",
        obj=lambda w: w.office,
        permitted=lambda w: w.org_head,
        scoped=False,
        ui_list="core:office_list",
        ui_detail="core:office_detail",
        ui_edit="core:office_edit",
        edit_form=lambda office: form_data(PMOOfficeForm, office, mandate="Standards and assurance"),
        api_basename="office",
        api_change={"mandate": "Standards and assurance"},
    ),
    Resource(
        name="office-membership",
        obj=_membership,
        permitted=lambda w: w.org_head,
        scoped=False,
        api_basename="office-membership",
        api_delete=True,
    ),
    Resource(
        name="role-assignment",
        obj=_here_role,
        permitted=lambda w: w.org_head,
        scoped=False,
        api_basename="role-assignment",
        api_delete=True,
    ),
    # The audit trail is never edited; an event is seen by whoever sees its object.
    Resource(
        name="audit-event",
        obj=_event_about_the_project,
        permitted=lambda w: w.permitted,
        scoped=True,
        api_basename="audit-event",
        api_change={"reason": "rewritten"},
        read_only=True,
    ),
]
