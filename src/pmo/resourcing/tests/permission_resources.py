"""Resourcing's resources in the permission matrix (web/tests/test_permission_matrix.py).

Each area of the app lists its own in ``permission_resources_<area>.py``; they are joined here."""

from datetime import date
from decimal import Decimal

from pmo.core.testing.harness import Resource, form_data
from pmo.resourcing.forms.resources import AllocationEditForm, AssignmentEditForm, ResourceForm, SkillForm
from pmo.resourcing.models import Absence, Allocation, Assignment, ResourceRate, ResourceSkill
from pmo.resourcing.models import Resource as ResourceModel
from pmo.resourcing.services import resources as services
from pmo.resourcing.testing import scheduled_activity, skill
from pmo.resourcing.tests.permission_resources_timesheets import TIMESHEET_RESOURCES
from pmo.resourcing.tests.permission_resources_training import TRAINING_RESOURCES
from pmo.resourcing.tests.permission_resources_transfer import TRANSFER_RESOURCES


def _resource(world) -> ResourceModel:
    return ResourceModel.objects.filter(person=world.person).first() or _new_resource(world)


def _new_resource(world) -> ResourceModel:
    resource = services.create_resource(actor=world.admin, person=world.person)
    services.set_skill(actor=world.admin, resource=resource, skill=skill(world.admin, "Python"), level=3)
    services.add_rate(
        actor=world.admin, resource=resource, effective_from=date(2020, 1, 1), cost_per_hour=Decimal("50")
    )
    services.add_absence(actor=world.admin, resource=resource, start=date(2026, 8, 3), end=date(2026, 8, 7))
    return resource


def _assignment(world) -> Assignment:
    existing = Assignment.objects.filter(project=world.project).first()
    if existing:
        return existing
    activity = scheduled_activity(world.admin, world.project, "Build", date(2026, 3, 2), days=5)
    return services.create_assignment(actor=world.admin, activity=activity, resource=_resource(world))


def _allocation(world) -> Allocation:
    existing = Allocation.objects.filter(project=world.project).first()
    return existing or services.create_allocation(
        actor=world.admin, project=world.project, resource=_resource(world), period_start=date(2026, 3, 2), hours=20
    )


RESOURCES = [
    Resource(
        name="resource",
        obj=_resource,
        permitted=lambda w: w.admin,
        scoped=False,
        ui_list="resourcing:resource_list",
        ui_detail="resourcing:resource_detail",
        ui_edit="resourcing:resource_edit",
        edit_form=lambda resource: form_data(
            ResourceForm, resource, name="Grace B. Hopper", weekday_hours="8, 8, 8, 8, 4, 0, 0"
        ),
        api_basename="resource",
        api_change={"weekday_hours": [8, 8, 8, 8, 4, 0, 0]},
    ),
    Resource(
        name="skill",
        obj=lambda w: skill(w.admin, "Python"),
        permitted=lambda w: w.admin,
        scoped=False,
        ui_list="resourcing:skill_list",
        ui_detail="resourcing:skill_detail",
        ui_edit="resourcing:skill_edit",
        edit_form=lambda obj: form_data(SkillForm, obj, category="Software"),
        api_basename="skill",
        api_change={"category": "Software"},
    ),
    Resource(
        name="resource-skill",
        obj=lambda w: ResourceSkill.objects.get(resource=_resource(w)),
        permitted=lambda w: w.admin,
        scoped=False,
        api_basename="resource-skill",
        api_change={"level": 4},
    ),
    Resource(
        name="resource-rate",
        obj=lambda w: ResourceRate.objects.get(resource=_resource(w)),
        permitted=lambda w: w.admin,
        scoped=False,
        api_basename="resource-rate",
        api_delete=True,
    ),
    Resource(
        name="absence",
        obj=lambda w: Absence.objects.get(resource=_resource(w)),
        permitted=lambda w: w.admin,
        scoped=False,
        api_basename="absence",
        api_delete=True,
    ),
    Resource(
        name="assignment",
        obj=_assignment,
        permitted=lambda w: w.permitted,
        scoped=True,
        ui_edit="resourcing:assignment_edit",
        edit_form=lambda obj: form_data(AssignmentEditForm, obj, planned_hours="12"),
        api_basename="assignment",
        api_change={"planned_hours": "12.00"},
    ),
    Resource(
        name="allocation",
        obj=_allocation,
        permitted=lambda w: w.permitted,
        scoped=True,
        ui_edit="resourcing:allocation_edit",
        edit_form=lambda obj: form_data(AllocationEditForm, obj, hours="24"),
        api_basename="allocation",
        api_change={"hours": "24.00"},
    ),
]

RESOURCING_RESOURCES = [*RESOURCES, *TIMESHEET_RESOURCES, *TRAINING_RESOURCES, *TRANSFER_RESOURCES]
