"""Rows of the resourcing tables as the inputs of ``pmo_engine.capacity``, and back.

Keys: a resource is ``str(resource.pk)``, a skill ``str(skill.pk)``, a project ``str(project.pk)``
and an organisation unit ``str(unit.pk)`` (``NO_UNIT`` for a resource outside every unit). A
demand item is ``a<assignment id>`` or ``l<allocation id>``, so that a heatmap cell's drill-down
leads back to the rows that fill it (:func:`item_source`).

Hours are converted from ``Decimal`` to ``float`` here and nowhere else; dates stay dates.
"""

from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal

from pmo.resourcing.choices import EmploymentType as EmploymentChoice
from pmo.resourcing.choices import PeriodKind as PeriodChoice
from pmo_engine.capacity import CapacityResource, DemandItem, EmploymentType

NO_UNIT = "none"
ASSIGNMENT_PREFIX = "a"
ALLOCATION_PREFIX = "l"


def resource_key(resource_id: int) -> str:
    return str(resource_id)


def resource_id_of(key: str) -> int:
    return int(key)


def skill_key(skill_id: int) -> str:
    return str(skill_id)


def project_key(project_id: int) -> str:
    return str(project_id)


def unit_key(unit_id: int | None) -> str:
    return NO_UNIT if unit_id is None else str(unit_id)


def unit_id_of(key: str) -> int | None:
    return None if key == NO_UNIT else int(key)


def assignment_key(assignment_id: int) -> str:
    return f"{ASSIGNMENT_PREFIX}{assignment_id}"


def allocation_key(allocation_id: int) -> str:
    return f"{ALLOCATION_PREFIX}{allocation_id}"


def item_source(key: str) -> tuple[str, int]:
    """``("assignment", id)`` or ``("allocation", id)`` for a demand item key made here."""
    if key.startswith(ASSIGNMENT_PREFIX):
        return "assignment", int(key[len(ASSIGNMENT_PREFIX) :])
    if key.startswith(ALLOCATION_PREFIX):
        return "allocation", int(key[len(ALLOCATION_PREFIX) :])
    raise ValueError(f"{key!r} is not the key of an assignment or an allocation.")


def _hours(value: Decimal | float | int | None) -> float:
    return 0.0 if value is None else float(value)


def capacity_resource(
    *,
    resource_id: int,
    unit_id: int | None,
    employment_type: str,
    contract_end: date | None,
    hours_per_day: Decimal,
    weekday_hours: list,
    non_working_dates: Iterable[date],
    skills: Iterable[tuple[int, int]],
) -> CapacityResource:
    """One person resource: ``skills`` are (skill id, level) pairs; ``non_working_dates`` the
    resource's absences and its calendar's holidays. A permanent resource has no contract end."""
    is_contingent = employment_type == EmploymentChoice.CONTINGENT
    return CapacityResource(
        key=resource_key(resource_id),
        organisation_unit_key=unit_key(unit_id),
        employment_type=EmploymentType.CONTINGENT if is_contingent else EmploymentType.PERMANENT,
        contract_end=contract_end if is_contingent else None,
        hours_per_day=_hours(hours_per_day),
        weekday_hours=tuple(_hours(hours) for hours in weekday_hours),
        non_working_dates=frozenset(non_working_dates),
        skills=tuple((skill_key(skill), level) for skill, level in skills),
    )


def assignment_demand(
    *,
    assignment_id: int,
    project_id: int,
    resource_id: int | None,
    remaining_hours: Decimal | float,
    start: date,
    finish: date,
    required_skill_id: int | None,
    required_level: int,
    is_billable: bool,
) -> DemandItem:
    """An assignment's remaining hours, spread over the activity's scheduled days (``start`` to
    ``finish``, both inclusive). ``resource_id`` None: unassigned demand (a generic role)."""
    return DemandItem(
        key=assignment_key(assignment_id),
        project_key=project_key(project_id),
        start=start,
        end=max(finish, start),
        hours=max(_hours(remaining_hours), 0.0),
        resource_key=None if resource_id is None else resource_key(resource_id),
        required_skill=None if required_skill_id is None else skill_key(required_skill_id),
        minimum_proficiency=required_level if required_skill_id is not None else 1,
        is_billable=bool(is_billable),
    )


def period_end(period_kind: str, period_start: date) -> date:
    """The last day (inclusive) of an allocation's week or month."""
    if period_kind == PeriodChoice.WEEK:
        return period_start + timedelta(days=6)
    following = date(period_start.year + period_start.month // 12, period_start.month % 12 + 1, 1)
    return following - timedelta(days=1)


def allocation_demand(
    *,
    allocation_id: int,
    project_id: int,
    resource_id: int | None,
    period_kind: str,
    period_start: date,
    hours: Decimal | float,
    required_skill_id: int | None,
    required_level: int,
    is_billable: bool,
) -> DemandItem:
    """An allocation's hours, spread over the working days of its week or month."""
    return DemandItem(
        key=allocation_key(allocation_id),
        project_key=project_key(project_id),
        start=period_start,
        end=period_end(period_kind, period_start),
        hours=max(_hours(hours), 0.0),
        resource_key=None if resource_id is None else resource_key(resource_id),
        required_skill=None if required_skill_id is None else skill_key(required_skill_id),
        minimum_proficiency=required_level if required_skill_id is not None else 1,
        is_billable=bool(is_billable),
    )
