"""Rebalancing proposals computed from the capacity of the people in scope (nothing is written here:
``services.rebalancing.record_run`` stores what this computes).

What may move: assignments only (allocations are rough demand, not work to hand over); never an
assignment marked fixed, nor one with actual hours already booked (the work has started with its
person: move what remains by hand, or split it), nor one naming no required skill (the optimiser
cannot tell who else could do it). Everything else counts as load that stays.
"""

from dataclasses import dataclass, replace
from datetime import date

from pmo.core.errors import InvalidData
from pmo.core.models import OrganisationUnit
from pmo.resourcing import adapters
from pmo.resourcing.models import Assignment
from pmo.resourcing.selectors.capacity import analyse, capacity_inputs, horizon
from pmo_engine import InvalidInput
from pmo_engine.capacity import (
    RebalancePlan,
    RebalanceResource,
    propose_rebalancing,
    rebalance_inputs,
)

MAX_WEEKS = 26
MAX_SECONDS = 60.0


@dataclass(frozen=True)
class Move:
    """One proposed move, with database ids."""

    assignment_id: int
    project_id: int
    from_resource_id: int
    to_resource_id: int
    hours: float
    overload_removed_hours: float
    reason: str


@dataclass(frozen=True)
class Rebalancing:
    """The settings of one computation and what the optimiser proposed."""

    start: date
    weeks: int
    unit: OrganisationUnit | None
    overload_threshold: float
    plan: RebalancePlan
    moves: tuple[Move, ...]


def _check(weeks: int, max_seconds: float) -> None:
    if not 1 <= weeks <= MAX_WEEKS:
        raise InvalidData({"weeks": [f"Give 1 to {MAX_WEEKS} weeks, not {weeks}."]})
    if not 0 < max_seconds <= MAX_SECONDS:
        raise InvalidData({"max_seconds": [f"Give more than 0 and at most {MAX_SECONDS:g} seconds."]})


def plan_rebalancing(
    user,
    *,
    start: date,
    weeks: int = 12,
    unit: OrganisationUnit | None = None,
    overload_threshold: float = 1.0,
    max_seconds: float = 10.0,
    num_workers: int = 2,
) -> Rebalancing:
    """Proposals to move assignments away from the people overloaded in ``weeks`` weeks from
    ``start`` (its Monday), among the people of ``unit`` (and the units under it), or everyone.
    Raises ``PermissionRefused`` without a role and ``InvalidData`` naming a bad setting."""
    _check(weeks, max_seconds)
    grid = horizon(start, weeks, "week")
    inputs = capacity_inputs(user, grid=grid, unit=unit, include_unassigned=False)
    result = analyse(inputs, overload_threshold=overload_threshold)
    item_ids = {
        adapters.item_source(item.key)[1] for item in inputs.demand if adapters.item_source(item.key)[0] == "assignment"
    }
    assignments = {
        row[0]: row
        for row in Assignment.objects.filter(pk__in=item_ids).values_list(
            "pk", "project_id", "project__code", "activity__name", "is_fixed", "actual_hours"
        )
    }
    fixed = [
        item.key
        for item in inputs.demand
        if adapters.item_source(item.key)[0] != "assignment"
        or assignments[adapters.item_source(item.key)[1]][4]
        or assignments[adapters.item_source(item.key)[1]][5] > 0
    ]
    try:
        engine_inputs = rebalance_inputs(result, inputs.resources, fixed_item_keys=fixed)
    except InvalidInput as error:
        raise InvalidData({error.field or "detail": [error.message]}) from None
    # Name people and skills in the explanations: keys become "Name [id]" and skill names.
    person_key = {key: f"{info.name} [{info.resource_id}]" for key, info in inputs.people.items()}
    back = {named: key for key, named in person_key.items()}
    skill_name = inputs.skill_names
    resources = [
        RebalanceResource(
            person_key[resource.key],
            resource.capacity_hours,
            tuple((skill_name.get(skill, skill), level) for skill, level in resource.skills),
            resource.fixed_demand_hours,
        )
        for resource in engine_inputs.resources
    ]
    items = []
    for item in engine_inputs.items:
        source, pk = adapters.item_source(item.key)
        label = f"{assignments[pk][2]} {assignments[pk][3]}" if source == "assignment" else f"allocation {pk}"
        skill = skill_name.get(item.required_skill, item.required_skill) if item.required_skill else None
        items.append(replace(item, resource_key=person_key[item.resource_key], required_skill=skill, label=label))
    plan = propose_rebalancing(
        resources,
        items,
        overload_threshold=engine_inputs.overload_threshold,
        max_time_seconds=float(max_seconds),
        num_workers=num_workers,
        period_labels=tuple(f"week of {label}" for label in engine_inputs.period_labels),
    )
    moves = tuple(
        Move(
            assignment_id=adapters.item_source(move.item_key)[1],
            project_id=assignments[adapters.item_source(move.item_key)[1]][1],
            from_resource_id=adapters.resource_id_of(back[move.from_resource_key]),
            to_resource_id=adapters.resource_id_of(back[move.to_resource_key]),
            hours=move.hours,
            overload_removed_hours=move.overload_removed_hours,
            reason=move.reason,
        )
        for move in plan.moves
    )
    return Rebalancing(grid.start, weeks, unit, engine_inputs.overload_threshold, plan, moves)
