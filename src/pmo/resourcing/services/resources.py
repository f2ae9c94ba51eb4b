"""Resources, skills, rates, absences, assignments and allocations.

Organisation records (skills, resources and what a resource holds) need the action across the
whole organisation; assignments and allocations need the right to change their project.
"""

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction

from pmo.core.audit import record_event, snapshot
from pmo.core.choices import Action
from pmo.core.errors import DomainError, InvalidData
from pmo.core.models import Person
from pmo.core.services import change_audited, create_audited, locked_for, require_global
from pmo.planning.models import Activity
from pmo.portfolio.models import Project
from pmo.resourcing.choices import ResourceKind
from pmo.resourcing.models import (
    ZERO,
    Absence,
    Allocation,
    Assignment,
    Resource,
    ResourceRate,
    ResourceSkill,
    Skill,
    rate_in_force,
)

CENT = Decimal("0.01")
SKILL_FIELDS = ("name", "category", "description")
RESOURCE_FIELDS = (
    "name",
    "unit",
    "employment_type",
    "contract_end",
    "hours_per_day",
    "weekday_hours",
    "calendar",
    "role_skill",
    "role_level",
)
ASSIGNMENT_FIELDS = (
    "units_percent",
    "planned_hours",
    "required_skill",
    "required_level",
    "is_billable",
    "is_fixed",
)
ALLOCATION_FIELDS = ("hours", "required_skill", "required_level", "is_billable", "note")


def _unknown(fields: Mapping, allowed: Iterable[str], what: str) -> None:
    unknown = sorted(set(fields) - set(allowed))
    if unknown:
        raise InvalidData({name: [f"Not a field of {what} that can be set here."] for name in unknown})


def money(value: Decimal) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


# --- skills ---------------------------------------------------------------------------------


@transaction.atomic
def create_skill(*, actor, name: str, category: str = "", description: str = "", reason: str = "") -> Skill:
    require_global(actor, Action.CREATE, "skills")
    if Skill.objects.filter(name__iexact=name.strip()).exists():
        raise InvalidData({"name": [f"A skill named {name.strip()!r} already exists."]})
    return create_audited(
        Skill(name=name.strip(), category=category, description=description), actor=actor, reason=reason
    )


@transaction.atomic
def update_skill(*, actor, skill: Skill, changes: Mapping, reason: str = "") -> Skill:
    require_global(actor, Action.CHANGE, "skills")
    skill = locked_for(actor, Skill, skill.pk, Action.CHANGE)
    if "name" in changes and Skill.objects.filter(name__iexact=changes["name"]).exclude(pk=skill.pk).exists():
        raise InvalidData({"name": [f"A skill named {changes['name']!r} already exists."]})
    return change_audited(skill, changes, actor=actor, allowed=SKILL_FIELDS, reason=reason)


@transaction.atomic
def archive_skill(*, actor, skill: Skill, reason: str = "") -> Skill:
    require_global(actor, Action.ARCHIVE, "skills")
    skill = locked_for(actor, Skill, skill.pk, Action.ARCHIVE)
    return change_audited(
        skill, {"is_archived": True}, actor=actor, allowed={"is_archived"}, reason=reason, action="skill.archived"
    )


# --- resources ------------------------------------------------------------------------------


def _resource_for_change(actor, resource: Resource, action: str = Action.CHANGE) -> Resource:
    require_global(actor, action, "resources")
    return locked_for(actor, Resource, resource.pk, action)


@transaction.atomic
def create_resource(
    *,
    actor,
    kind: str = ResourceKind.PERSON,
    person: Person | None = None,
    name: str = "",
    reason: str = "",
    **fields,
) -> Resource:
    """A resource for a person (name and unit default to the person's) or a generic role."""
    require_global(actor, Action.CREATE, "resources")
    _unknown(fields, RESOURCE_FIELDS, "a resource")
    if person is not None:
        if Resource.objects.filter(person=person).exists():
            raise InvalidData({"person": [f"{person} is already a resource."]})
        name = name or person.full_name
        fields.setdefault("unit", person.unit)
    if "weekday_hours" in fields and fields["weekday_hours"] is not None:
        fields["weekday_hours"] = [float(hours) for hours in fields["weekday_hours"]]
    resource = Resource(kind=kind, person=person, name=name, **fields)
    return create_audited(resource, actor=actor, reason=reason)


@transaction.atomic
def update_resource(*, actor, resource: Resource, changes: Mapping, reason: str = "") -> Resource:
    resource = _resource_for_change(actor, resource)
    changes = dict(changes)
    if changes.get("weekday_hours") is not None:
        changes["weekday_hours"] = [float(hours) for hours in changes["weekday_hours"]]
    return change_audited(resource, changes, actor=actor, allowed=RESOURCE_FIELDS, reason=reason)


@transaction.atomic
def archive_resource(*, actor, resource: Resource, reason: str = "") -> Resource:
    resource = _resource_for_change(actor, resource, Action.ARCHIVE)
    return change_audited(
        resource,
        {"is_archived": True},
        actor=actor,
        allowed={"is_archived"},
        reason=reason,
        action="resource.archived",
    )


@transaction.atomic
def set_skill(*, actor, resource: Resource, skill: Skill, level: int, reason: str = "") -> ResourceSkill:
    """Record that ``resource`` holds ``skill`` at ``level`` (adding it, or changing the level)."""
    resource = _resource_for_change(actor, resource)
    held = ResourceSkill.objects.select_for_update().filter(resource=resource, skill=skill).first()
    if held is None:
        return create_audited(ResourceSkill(resource=resource, skill=skill, level=level), actor=actor, reason=reason)
    return change_audited(held, {"level": level}, actor=actor, allowed={"level"}, reason=reason)


@transaction.atomic
def remove_skill(*, actor, held: ResourceSkill, reason: str = "") -> None:
    _resource_for_change(actor, held.resource)
    record_event(actor=actor, action="resourceskill.removed", obj=held, before=snapshot(held), reason=reason)
    held.delete()


@transaction.atomic
def add_rate(
    *,
    actor,
    resource: Resource,
    effective_from: date,
    cost_per_hour: Decimal,
    bill_rate_per_hour: Decimal | None = None,
    reason: str = "",
) -> ResourceRate:
    resource = _resource_for_change(actor, resource)
    if ResourceRate.objects.filter(resource=resource, effective_from=effective_from).exists():
        raise InvalidData({"effective_from": [f"{resource} already has a rate from {effective_from.isoformat()}."]})
    rate = ResourceRate(
        resource=resource,
        effective_from=effective_from,
        cost_per_hour=cost_per_hour,
        bill_rate_per_hour=bill_rate_per_hour,
    )
    return create_audited(rate, actor=actor, reason=reason)


@transaction.atomic
def remove_rate(*, actor, rate: ResourceRate, reason: str = "") -> None:
    _resource_for_change(actor, rate.resource)
    record_event(actor=actor, action="resourcerate.removed", obj=rate, before=snapshot(rate), reason=reason)
    rate.delete()


@transaction.atomic
def add_absence(
    *, actor, resource: Resource, start: date, end: date, kind: str = "leave", note: str = "", reason: str = ""
) -> Absence:
    resource = _resource_for_change(actor, resource)
    overlapping = Absence.objects.filter(resource=resource, start__lte=end, end__gte=start).first()
    if overlapping is not None:
        raise InvalidData({"start": [f"{resource} is already absent then: {overlapping}."]})
    return create_audited(
        Absence(resource=resource, start=start, end=end, kind=kind, note=note), actor=actor, reason=reason
    )


@transaction.atomic
def remove_absence(*, actor, absence: Absence, reason: str = "") -> None:
    _resource_for_change(actor, absence.resource)
    record_event(actor=actor, action="absence.removed", obj=absence, before=snapshot(absence), reason=reason)
    absence.delete()


# --- assignments ----------------------------------------------------------------------------


def _project_for_change(actor, project_id: int) -> Project:
    return locked_for(actor, Project, project_id, Action.CHANGE)


def _activity_day(activity: Activity) -> date:
    """The day an activity's work is costed at: its start, else its project's planned start, else today."""
    if activity.start is not None:
        return activity.start.date()
    return activity.project.planned_start or date.today()


def _cost_assignment(assignment: Assignment) -> None:
    """Planned hours from the units when none were given, and the planned cost at the rate in force."""
    if assignment.planned_hours is None:
        working_hours = Decimal(assignment.activity.duration_minutes) / 60
        assignment.planned_hours = money(working_hours * Decimal(assignment.units_percent) / 100)
    rate = rate_in_force(list(assignment.resource.rates.all()), _activity_day(assignment.activity))
    assignment.planned_cost = money(Decimal(assignment.planned_hours) * (rate.cost_per_hour if rate else ZERO))


def _check_assignable(resource: Resource, required_skill, required_level: int) -> None:
    if resource.is_archived:
        raise InvalidData({"resource": [f"{resource} is archived."]})
    if required_skill is None and resource.is_role:
        return
    if required_skill is not None and not resource.is_role:
        held = ResourceSkill.objects.filter(resource=resource, skill=required_skill).first()
        if held is None or held.level < required_level:
            have = f"level {held.level}" if held else "not at all"
            raise InvalidData(
                {
                    "resource": [
                        f"{resource} holds {required_skill} {have}; this work needs level {required_level} or higher."
                    ]
                }
            )


@transaction.atomic
def create_assignment(
    *,
    actor,
    activity: Activity,
    resource: Resource,
    units_percent: Decimal = Decimal("100"),
    planned_hours: Decimal | None = None,
    required_skill: Skill | None = None,
    required_level: int = 1,
    is_billable: bool = False,
    is_fixed: bool = False,
    reason: str = "",
) -> Assignment:
    """Assign ``resource`` to ``activity``. Without ``planned_hours`` they follow from the units and
    the activity's duration. A generic role brings its skill as the required skill."""
    project = _project_for_change(actor, activity.project_id)
    if Assignment.objects.filter(activity=activity, resource=resource).exists():
        raise InvalidData({"resource": [f"{resource} is already assigned to {activity}."]})
    if resource.is_role and required_skill is None:
        required_skill, required_level = resource.role_skill, resource.role_level
    _check_assignable(resource, required_skill, required_level)
    assignment = Assignment(
        project=project,
        activity=activity,
        resource=resource,
        units_percent=units_percent,
        planned_hours=planned_hours,
        required_skill=required_skill,
        required_level=required_level,
        is_billable=is_billable,
        is_fixed=is_fixed,
    )
    _cost_assignment(assignment)
    return create_audited(assignment, actor=actor, reason=reason)


@transaction.atomic
def update_assignment(*, actor, assignment: Assignment, changes: Mapping, reason: str = "") -> Assignment:
    _project_for_change(actor, assignment.project_id)
    assignment = (
        Assignment.objects.select_for_update().select_related("activity__project", "resource").get(pk=assignment.pk)
    )
    _unknown(changes, ASSIGNMENT_FIELDS, "an assignment")
    changes = dict(changes)
    if "units_percent" in changes and "planned_hours" not in changes:
        changes["planned_hours"] = None
    required_skill = changes.get("required_skill", assignment.required_skill)
    required_level = changes.get("required_level", assignment.required_level)
    _check_assignable(assignment.resource, required_skill, required_level)
    for name, value in changes.items():
        setattr(assignment, name, value)
    _cost_assignment(assignment)
    changes["planned_hours"], changes["planned_cost"] = assignment.planned_hours, assignment.planned_cost
    assignment.refresh_from_db(fields=[*ASSIGNMENT_FIELDS, "planned_cost"])
    return change_audited(assignment, changes, actor=actor, allowed={*ASSIGNMENT_FIELDS, "planned_cost"}, reason=reason)


@transaction.atomic
def reassign(*, actor, assignment: Assignment, resource: Resource, reason: str = "") -> Assignment:
    """Move an assignment's work to another resource (who must hold its required skill)."""
    _project_for_change(actor, assignment.project_id)
    assignment = Assignment.objects.select_for_update().select_related("activity__project").get(pk=assignment.pk)
    if resource.pk == assignment.resource_id:
        return assignment
    if Assignment.objects.filter(activity=assignment.activity_id, resource=resource).exists():
        raise InvalidData({"resource": [f"{resource} is already assigned to {assignment.activity}."]})
    _check_assignable(resource, assignment.required_skill, assignment.required_level)
    before = snapshot(assignment)
    assignment.resource = resource
    _cost_assignment(assignment)
    assignment.save(update_fields=["resource", "planned_cost", "updated_at"])
    after = snapshot(assignment)
    record_event(
        actor=actor,
        action="assignment.reassigned",
        obj=assignment,
        before={k: v for k, v in before.items() if v != after[k]},
        after={k: v for k, v in after.items() if v != before[k]},
        reason=reason,
    )
    return assignment


@transaction.atomic
def delete_assignment(*, actor, assignment: Assignment, reason: str = "") -> None:
    _project_for_change(actor, assignment.project_id)
    if assignment.actual_hours:
        raise DomainError(
            f"{assignment} has {assignment.actual_hours} actual hours from approved timesheets; it cannot be removed."
        )
    record_event(actor=actor, action="assignment.deleted", obj=assignment, before=snapshot(assignment), reason=reason)
    assignment.delete()


# --- allocations ----------------------------------------------------------------------------


@transaction.atomic
def create_allocation(
    *,
    actor,
    project: Project,
    resource: Resource,
    period_start: date,
    hours: Decimal,
    period_kind: str = "week",
    required_skill: Skill | None = None,
    required_level: int = 1,
    is_billable: bool = False,
    note: str = "",
    reason: str = "",
) -> Allocation:
    project = _project_for_change(actor, project.pk)
    if resource.is_archived:
        raise InvalidData({"resource": [f"{resource} is archived."]})
    if Allocation.objects.filter(
        project=project, resource=resource, period_kind=period_kind, period_start=period_start
    ).exists():
        raise InvalidData({"period_start": [f"{resource} already has an allocation to {project} for that period."]})
    allocation = Allocation(
        project=project,
        resource=resource,
        period_kind=period_kind,
        period_start=period_start,
        hours=hours,
        required_skill=required_skill,
        required_level=required_level,
        is_billable=is_billable,
        note=note,
    )
    return create_audited(allocation, actor=actor, reason=reason)


@transaction.atomic
def update_allocation(*, actor, allocation: Allocation, changes: Mapping, reason: str = "") -> Allocation:
    _project_for_change(actor, allocation.project_id)
    allocation = Allocation.objects.select_for_update().get(pk=allocation.pk)
    return change_audited(allocation, changes, actor=actor, allowed=ALLOCATION_FIELDS, reason=reason)


@transaction.atomic
def delete_allocation(*, actor, allocation: Allocation, reason: str = "") -> None:
    _project_for_change(actor, allocation.project_id)
    record_event(actor=actor, action="allocation.deleted", obj=allocation, before=snapshot(allocation), reason=reason)
    allocation.delete()
