"""Drill-down: the assignments and allocations that fill a person's (or the unassigned) cells.

Each cell is computed by the engine for that one person, so its lines add up to the heatmap's
cell (non-working dates are read over the demand's whole span, see the package's docstring)."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from pmo.core.choices import Action
from pmo.core.errors import InvalidData
from pmo.core.models import OrganisationUnit
from pmo.resourcing import adapters
from pmo.resourcing.choices import PeriodKind, ResourceKind
from pmo.resourcing.models import Allocation, Assignment, Skill
from pmo.resourcing.selectors.capacity.analysis import HIDDEN_PROJECT, analyse, ratio, visible_project_names
from pmo.resourcing.selectors.capacity.inputs import capacity_inputs, horizon
from pmo_engine.capacity import HOURS_TOLERANCE


@dataclass(frozen=True)
class DemandLine:
    """One assignment's or allocation's hours in a cell. ``project_id`` and ``label`` are None
    and empty when the project is one the user cannot see."""

    source: str  # "assignment" or "allocation"
    source_id: int
    project_id: int | None
    project: str
    label: str
    hours: float
    is_billable: bool


@dataclass(frozen=True)
class CellBreakdown:
    """What fills one heatmap cell: a person's (or, ``resource_id`` None, the unassigned) period."""

    resource_id: int | None
    name: str
    period_start: date
    period_end: date  # inclusive
    capacity_hours: float
    demand_hours: float
    utilisation: float | None
    is_overloaded: bool
    lines: tuple[DemandLine, ...]

    @property
    def percent(self) -> int | None:
        return None if self.utilisation is None else round(100 * self.utilisation)


UNASSIGNED_NAME = "Unassigned demand (generic roles)"


def _line_labels(user, keys: Iterable[str]) -> tuple[dict[int, tuple[int, str]], dict[int, tuple[int, str]]]:
    """For the visible assignments and allocations among the item ``keys``: id -> (project id, label)."""
    assignment_ids, allocation_ids = [], []
    for key in keys:
        source, pk = adapters.item_source(key)
        (assignment_ids if source == "assignment" else allocation_ids).append(pk)
    assignments = {
        pk: (project_id, f"{wbs} {name}".strip() + (f" ({resource})" if kind == ResourceKind.ROLE else ""))
        for pk, project_id, wbs, name, kind, resource in Assignment.objects.visible_to(user, Action.VIEW)
        .filter(pk__in=assignment_ids)
        .values_list("pk", "project_id", "activity__wbs_code", "activity__name", "resource__kind", "resource__name")
    }
    allocations = {}
    for pk, project_id, kind, first, note, resource_kind, resource in (
        Allocation.objects.visible_to(user, Action.VIEW)
        .filter(pk__in=allocation_ids)
        .values_list("pk", "project_id", "period_kind", "period_start", "note", "resource__kind", "resource__name")
    ):
        what = f"Allocation for the {kind} of {first.isoformat()}" + (f": {note}" if note else "")
        allocations[pk] = (project_id, what + (f" ({resource})" if resource_kind == ResourceKind.ROLE else ""))
    return assignments, allocations


def resource_breakdown(
    user,
    *,
    resource_id: int | None,
    start: date,
    periods: int = 1,
    kind: str = PeriodKind.WEEK,
    unit: OrganisationUnit | None = None,
    skill: Skill | None = None,
    overload_threshold: float = 1.0,
) -> list[CellBreakdown]:
    """The cells of one person (or, ``resource_id`` None, of the unassigned demand in the scope of
    ``unit`` and ``skill``) over ``periods`` from ``start``: each with the assignments and
    allocations that fill it, largest first. Raises ``InvalidData`` on ``resource`` when there is
    no such active person."""
    grid = horizon(start, periods, kind)
    if resource_id is None:
        inputs = capacity_inputs(user, grid=grid, unit=unit, skill=skill, resource_ids=())
    else:
        inputs = capacity_inputs(user, grid=grid, resource_ids=[resource_id], include_unassigned=False)
        if not inputs.resources:
            raise InvalidData({"resource": [f"No active person resource has the id {resource_id}."]})
    result = analyse(inputs, overload_threshold=overload_threshold)
    key = None if resource_id is None else adapters.resource_key(resource_id)
    per_period = [result.cell_demand(key, index) for index in range(grid.periods)]
    assignments, allocations = _line_labels(user, {cell.item_key for cells in per_period for cell in cells})
    projects = visible_project_names(user, sorted({int(c.project_key) for cells in per_period for c in cells}))
    ends = [*result.period_starts[1:], grid.end]
    breakdowns = []
    for index, cells in enumerate(per_period):
        lines = []
        for cell in cells:
            source, pk = adapters.item_source(cell.item_key)
            known = (assignments if source == "assignment" else allocations).get(pk)
            visible = known is not None and cell.project_key in projects
            lines.append(
                DemandLine(
                    source=source,
                    source_id=pk,
                    project_id=int(cell.project_key) if visible else None,
                    project=projects[cell.project_key] if visible else HIDDEN_PROJECT,
                    label=known[1] if visible else "",
                    hours=cell.hours,
                    is_billable=cell.is_billable,
                )
            )
        if key is None:
            capacity, demand = 0.0, float(result.unassigned_demand_hours[index])
            utilisation, overloaded, name = None, False, UNASSIGNED_NAME
        else:
            capacity = float(result.capacity_hours[0, index])
            demand = float(result.demand_hours[0, index])
            utilisation = ratio(demand, capacity) if capacity > HOURS_TOLERANCE else None
            overloaded, name = bool(result.is_overloaded[0, index]), inputs.people[key].name
        breakdowns.append(
            CellBreakdown(
                resource_id=resource_id,
                name=name,
                period_start=result.period_starts[index],
                period_end=ends[index] - timedelta(days=1),
                capacity_hours=capacity,
                demand_hours=demand,
                utilisation=utilisation,
                is_overloaded=overloaded,
                lines=tuple(lines),
            )
        )
    return breakdowns
