"""The engine's answer for one user, horizon and scope (:class:`CapacityView`), shaped into the
rows the capacity pages, exports and API show: heatmap rows of people and skills with colour
bands, totals per person and unit, and the summary figures."""

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cached_property

import numpy as np

from pmo.core.choices import Action
from pmo.core.errors import InvalidData
from pmo.core.models import OrganisationUnit
from pmo.portfolio.models import Project
from pmo.resourcing import adapters
from pmo.resourcing.choices import PeriodKind
from pmo.resourcing.models import Skill
from pmo.resourcing.selectors.capacity.inputs import (
    DEFAULT_WEEKS,
    NO_UNIT_NAME,
    CapacityInputs,
    ResourceInfo,
    capacity_inputs,
    horizon,
)
from pmo_engine.capacity import HOURS_TOLERANCE, CapacityResult, PeriodGrid, SkillGap, analyse_capacity
from pmo_engine.errors import InvalidInput

HIDDEN_PROJECT = "a project you cannot see"
RECOMMENDATIONS = {
    "reschedule": "Reschedule the work",
    "training": "Train people who hold it at a lower level",
    "permanent_hire": "Hire permanent staff",
    "contingent_hire": "Hire contingent staff",
}
BAND_LOW = 0.5  # below: lightly loaded
BAND_MID = 0.85  # below: well loaded; from here to the threshold: fully loaded
BANDS = {
    "low": "under 50 %",
    "mid": "50 to 85 %",
    "high": "85 % to the threshold",
    "over": "overloaded",
    "none": "no capacity",
}


def _finite(value: float) -> float | None:
    return None if math.isinf(value) else value


def band_of(utilisation: float, capacity_hours: float, is_overloaded: bool) -> str:
    """The colour band of a cell (keys of :data:`BANDS`)."""
    if is_overloaded:
        return "over"
    if capacity_hours <= HOURS_TOLERANCE:
        return "none"
    if utilisation < BAND_LOW:
        return "low"
    if utilisation < BAND_MID:
        return "mid"
    return "high"


@dataclass(frozen=True)
class Cell:
    """One period of a heatmap row. ``utilisation`` is a fraction, None when there is no capacity."""

    period_start: date
    capacity_hours: float
    demand_hours: float
    billable_hours: float
    utilisation: float | None
    is_overloaded: bool
    band: str

    @property
    def percent(self) -> int | None:
        return None if self.utilisation is None else round(100 * self.utilisation)


@dataclass(frozen=True)
class HeatmapRow:
    """A person (``resource_id``) or a skill (``skill_id``) over the periods of the horizon."""

    key: str
    name: str
    unit_name: str
    cells: tuple[Cell, ...]
    peak_utilisation: float | None  # None: demand on no capacity somewhere (infinitely loaded)
    is_overloaded: bool
    resource_id: int | None = None
    skill_id: int | None = None
    holders: int = 0


@dataclass(frozen=True)
class TotalsRow:
    """Capacity, demand and billable hours over the whole horizon for a person or a unit."""

    key: str
    name: str
    unit_name: str
    people: int
    capacity_hours: float
    demand_hours: float
    billable_hours: float
    utilisation: float | None
    billable_utilisation: float | None
    overloaded_periods: int
    resource_id: int | None = None


def _cells(
    period_starts, capacity: np.ndarray, demand: np.ndarray, billable: np.ndarray, overloaded: np.ndarray
) -> tuple[Cell, ...]:
    with np.errstate(divide="ignore", invalid="ignore"):
        fractions = np.where(capacity > 0, demand / np.where(capacity > 0, capacity, 1), 0.0)
    cells = []
    for start, cap, dem, bill, util, over in zip(
        period_starts,
        capacity.tolist(),
        demand.tolist(),
        billable.tolist(),
        fractions.tolist(),
        overloaded.tolist(),
        strict=True,
    ):
        has_capacity = cap > HOURS_TOLERANCE
        cells.append(
            Cell(start, cap, dem, bill, util if has_capacity else None, bool(over), band_of(util, cap, bool(over)))
        )
    return tuple(cells)


def ratio(numerator: float, denominator: float) -> float | None:
    if denominator > HOURS_TOLERANCE:
        return numerator / denominator
    return None if numerator > HOURS_TOLERANCE else 0.0


@dataclass(frozen=True, eq=False)
class CapacityView:
    """The engine's answer for one user, horizon and scope, and the names behind its keys.

    ``result`` is the ``CapacityResult``; ``inputs`` the ``CapacityInputs`` it came from.
    Everything here is in hours; utilisation is a fraction (1.0 is 100 %)."""

    user: object
    inputs: CapacityInputs
    result: CapacityResult
    threshold: float
    scope_skill_key: str | None = None
    scope_unit_key: str | None = None

    @property
    def grid(self) -> PeriodGrid:
        return self.result.grid

    @property
    def period_starts(self) -> tuple[date, ...]:
        return self.result.period_starts

    def info(self, row: int) -> ResourceInfo:
        return self.inputs.people[self.result.resource_keys[row]]

    def unit_name(self, key: str) -> str:
        return self.inputs.unit_names.get(key, NO_UNIT_NAME)

    def skill_name(self, key: str) -> str:
        return self.inputs.skill_names.get(key, key)

    @cached_property
    def peak_utilisation(self) -> np.ndarray:
        """(resources,) the highest utilisation over the horizon (``inf`` for demand on no capacity)."""
        if self.result.utilisation.shape[1] == 0 or self.result.utilisation.shape[0] == 0:
            return np.zeros(self.result.utilisation.shape[0])
        return self.result.utilisation.max(axis=1)

    @cached_property
    def overloaded_people(self) -> np.ndarray:
        return self.result.is_overloaded.any(axis=1)

    @cached_property
    def names(self) -> list[str]:
        return [self.inputs.people[key].name for key in self.result.resource_keys]

    def people_order(self, *, sort: str = "peak", overloaded_only: bool = False) -> np.ndarray:
        """Row indices of the people, sorted by ``peak`` utilisation (highest first), ``name``,
        ``unit`` or ``-name``; ``overloaded_only`` keeps the people overloaded in some period."""
        names = [name.casefold() for name in self.names]
        if sort in {"name", "-name"}:
            order = sorted(range(len(names)), key=lambda row: (names[row], row), reverse=sort == "-name")
        elif sort == "unit":
            units = [self.unit_name(self.info(row).unit_key).casefold() for row in range(len(names))]
            order = sorted(range(len(names)), key=lambda row: (units[row], names[row], row))
        else:
            peaks = self.peak_utilisation
            order = sorted(range(len(names)), key=lambda row: (-peaks[row], names[row], row))
        order = np.array(order, dtype=np.int64)
        if overloaded_only:
            order = order[self.overloaded_people[order]]
        return order

    def person_row(self, row: int) -> HeatmapRow:
        result, info = self.result, self.info(row)
        peak = float(self.peak_utilisation[row])
        return HeatmapRow(
            key=result.resource_keys[row],
            name=info.name,
            unit_name=self.unit_name(info.unit_key),
            cells=_cells(
                self.period_starts,
                result.capacity_hours[row],
                result.demand_hours[row],
                result.billable_hours[row],
                result.is_overloaded[row],
            ),
            peak_utilisation=_finite(peak),
            is_overloaded=bool(self.overloaded_people[row]),
            resource_id=info.resource_id,
        )

    # --- skills -------------------------------------------------------------------------------

    @cached_property
    def skill_overloaded(self) -> np.ndarray:
        """(skills, periods) demand for the skill above the threshold times its holders' capacity."""
        load = self.result.by_skill
        capacity, demand = load.capacity_hours[:, 0, :], load.demand_hours[:, 0, :]
        return demand > self.threshold * capacity + HOURS_TOLERANCE

    def skill_order(self, *, sort: str = "peak", overloaded_only: bool = False, level: int = 1) -> np.ndarray:
        """Row indices of ``result.by_skill`` (only the scope's skill when one was chosen)."""
        load = self.result.by_skill
        keys = load.skill_keys
        rows = [index for index, key in enumerate(keys) if self.scope_skill_key is None or key == self.scope_skill_key]
        names = {index: self.skill_name(keys[index]).casefold() for index in rows}
        if sort in ("name", "-name"):
            rows.sort(key=lambda index: (names[index], index), reverse=sort == "-name")
        else:
            capacity = load.capacity_hours[:, level - 1, :]
            demand = load.demand_hours[:, level - 1, :]
            with np.errstate(divide="ignore", invalid="ignore"):
                loads = np.where(capacity > 0, demand / capacity, np.where(demand > HOURS_TOLERANCE, np.inf, 0.0))
            peaks = loads.max(axis=1) if loads.shape[1] else np.zeros(len(keys))
            rows.sort(key=lambda index: (-peaks[index], names[index], index))
        order = np.array(rows, dtype=np.int64)
        if overloaded_only and len(order):
            order = order[self.skill_overloaded[order].any(axis=1)]
        return order

    def skill_row(self, index: int, *, level: int = 1) -> HeatmapRow:
        """Demand naming the skill at ``level`` or more against the capacity of its holders at it."""
        load = self.result.by_skill
        capacity = load.capacity_hours[index, level - 1]
        demand = load.demand_hours[index, level - 1]
        overloaded = demand > self.threshold * capacity + HOURS_TOLERANCE
        cells = _cells(self.period_starts, capacity, demand, np.zeros_like(demand), overloaded)
        utilisations = [cell.utilisation for cell in cells]
        infinite = any(cell.utilisation is None and cell.demand_hours > HOURS_TOLERANCE for cell in cells)
        finite = [value for value in utilisations if value is not None]
        key = load.skill_keys[index]
        return HeatmapRow(
            key=key,
            name=self.skill_name(key),
            unit_name="",
            cells=cells,
            peak_utilisation=None if infinite else max(finite, default=0.0),
            is_overloaded=bool(overloaded.any()),
            skill_id=int(key),
            holders=int(load.holder_counts[index, level - 1]),
        )

    @property
    def scope_unit_name(self) -> str:
        return self.unit_name(self.scope_unit_key) if self.scope_unit_key else "Whole organisation"

    def gap_reason(self, gap: SkillGap) -> str:
        """The engine's reason, naming the skill rather than its key."""
        prefix = f"{gap.skill_key}:"
        if gap.reason.startswith(prefix):
            return f"{self.skill_name(gap.skill_key)}:{gap.reason[len(prefix) :]}"
        return gap.reason

    def skill_gaps(self, skill_key: str | None = None) -> list[SkillGap]:
        return [gap for gap in self.result.skill_gaps if skill_key is None or gap.skill_key == skill_key]

    # --- figures ------------------------------------------------------------------------------

    @cached_property
    def summary(self) -> dict:
        result = self.result
        capacity, demand = float(result.capacity_hours.sum()), float(result.demand_hours.sum())
        return {
            "people": len(result.resource_keys),
            "overloaded_people": int(self.overloaded_people.sum()),
            "overloaded_cells": int(result.is_overloaded.sum()),
            "burnout_risks": len(result.burnout_risks),
            "capacity_hours": capacity,
            "demand_hours": demand,
            "billable_hours": float(result.billable_hours.sum()),
            "utilisation": ratio(demand, capacity),
            "unassigned_demand_hours": float(result.unassigned_demand_hours.sum()),
            "skill_gaps": len(result.skill_gaps),
        }

    @cached_property
    def person_totals(self) -> list[TotalsRow]:
        result = self.result
        capacity = result.capacity_hours.sum(axis=1).tolist()
        demand = result.demand_hours.sum(axis=1).tolist()
        billable = result.billable_hours.sum(axis=1).tolist()
        overloaded = result.is_overloaded.sum(axis=1).tolist()
        rows = []
        for row, key in enumerate(result.resource_keys):
            info = self.inputs.people[key]
            rows.append(
                TotalsRow(
                    key=key,
                    name=info.name,
                    unit_name=self.unit_name(info.unit_key),
                    people=1,
                    capacity_hours=capacity[row],
                    demand_hours=demand[row],
                    billable_hours=billable[row],
                    utilisation=ratio(demand[row], capacity[row]),
                    billable_utilisation=ratio(billable[row], capacity[row]),
                    overloaded_periods=int(overloaded[row]),
                    resource_id=info.resource_id,
                )
            )
        return rows

    @cached_property
    def unit_totals(self) -> list[TotalsRow]:
        load = self.result.by_organisation_unit
        capacity = load.capacity_hours.sum(axis=1).tolist()
        demand = load.demand_hours.sum(axis=1).tolist()
        billable = load.billable_hours.sum(axis=1).tolist()
        overloaded = (load.demand_hours > self.threshold * load.capacity_hours + HOURS_TOLERANCE).sum(axis=1).tolist()
        return [
            TotalsRow(
                key=key,
                name=self.unit_name(key),
                unit_name=self.unit_name(key),
                people=int(load.resource_counts[index]),
                capacity_hours=capacity[index],
                demand_hours=demand[index],
                billable_hours=billable[index],
                utilisation=ratio(demand[index], capacity[index]),
                billable_utilisation=ratio(billable[index], capacity[index]),
                overloaded_periods=int(overloaded[index]),
            )
            for index, key in enumerate(load.keys)
        ]

    @cached_property
    def visible_projects(self) -> dict[str, str]:
        """Project key to "CODE name" for the projects of the demand that the user may see."""
        ids = sorted({int(item.project_key) for item in self.inputs.demand})
        return visible_project_names(self.user, ids)

    def project_label(self, project_key: str) -> str:
        return self.visible_projects.get(project_key, HIDDEN_PROJECT)


def sort_totals(rows: Iterable[TotalsRow], sort: str) -> list[TotalsRow]:
    """Totals rows sorted by ``sort``: ``name``, ``unit`` or a figure (``utilisation``,
    ``billable_utilisation``, ``capacity_hours``, ``demand_hours``), ``-`` first for highest first.
    A utilisation with no capacity to measure it against counts as the highest; ties by name."""
    descending, field = sort.startswith("-"), sort.lstrip("-")
    if field == "name":
        return sorted(rows, key=lambda row: row.name.casefold(), reverse=descending)
    if field == "unit":
        return sorted(rows, key=lambda row: (row.unit_name.casefold(), row.name.casefold()), reverse=descending)
    sign = -1 if descending else 1

    def number(row: TotalsRow) -> float:
        value = getattr(row, field)
        return math.inf if value is None else value

    return sorted(rows, key=lambda row: (sign * number(row), row.name.casefold()))


def visible_project_names(user, project_ids: Iterable[int]) -> dict[str, str]:
    """``{project key: "CODE Name"}`` for the projects among ``project_ids`` the user may see."""
    ids = list(project_ids)
    names: dict[str, str] = {}
    for first in range(0, len(ids), 900):  # bounded IN lists on every database
        chunk = ids[first : first + 900]
        for pk, code, name in (
            Project.objects.visible_to(user, Action.VIEW).filter(pk__in=chunk).values_list("pk", "code", "name")
        ):
            names[adapters.project_key(pk)] = f"{code} {name}"
    return names


def analyse(inputs: CapacityInputs, *, overload_threshold: float = 1.0, burnout_weeks: int = 3) -> CapacityResult:
    """``analyse_capacity`` on ``inputs``; a bad setting becomes ``InvalidData`` naming it."""
    try:
        return analyse_capacity(
            inputs.resources,
            inputs.demand,
            inputs.grid,
            overload_threshold=overload_threshold,
            burnout_min_periods=burnout_weeks,
        )
    except InvalidInput as error:
        names = {"overload_threshold": "threshold", "burnout_min_periods": "burnout_weeks"}
        raise InvalidData({names.get(error.field or "", error.field or "detail"): [error.message]}) from None


def capacity_analysis(
    user,
    *,
    start: date,
    periods: int = DEFAULT_WEEKS,
    kind: str = PeriodKind.WEEK,
    unit: OrganisationUnit | None = None,
    skill: Skill | None = None,
    overload_threshold: float = 1.0,
    burnout_weeks: int = 3,
) -> CapacityView:
    """Capacity against demand of every person in scope (see :func:`capacity_inputs`) over
    ``periods`` weeks or months from ``start`` (moved back to its Monday or its month's first day).

    ``overload_threshold`` is a fraction (1.0: a cell is overloaded above 100 %); a person above
    it for ``burnout_weeks`` consecutive periods is a burnout risk. Raises ``PermissionRefused``
    for a user without a role and ``InvalidData`` naming a bad parameter."""
    grid = horizon(start, periods, kind)
    inputs = capacity_inputs(user, grid=grid, unit=unit, skill=skill)
    result = analyse(inputs, overload_threshold=overload_threshold, burnout_weeks=burnout_weeks)
    return CapacityView(
        user=user,
        inputs=inputs,
        result=result,
        threshold=result.overload_threshold,
        scope_skill_key=None if skill is None else adapters.skill_key(skill.pk),
        scope_unit_key=None if unit is None else adapters.unit_key(unit.pk),
    )
