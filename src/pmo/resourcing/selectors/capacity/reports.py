"""The permanent and contingent mix of capacity, contracts ending in the horizon, and the training
register's courses for a skill gap."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from pmo.core.choices import Action
from pmo.resourcing.choices import EmploymentType
from pmo.resourcing.models import CourseSkill, TrainingCourse
from pmo.resourcing.selectors.capacity.analysis import CapacityView, ratio
from pmo_engine.capacity import HOURS_TOLERANCE


@dataclass(frozen=True)
class MixRow:
    """Capacity of permanent and contingent staff in a unit (or in one period, ``period_start``)."""

    key: str
    name: str
    permanent_people: int
    contingent_people: int
    permanent_hours: float
    contingent_hours: float
    period_start: date | None = None

    @property
    def total_hours(self) -> float:
        return self.permanent_hours + self.contingent_hours

    @property
    def contingent_share(self) -> float | None:
        return ratio(self.contingent_hours, self.total_hours) if self.total_hours > HOURS_TOLERANCE else None


@dataclass(frozen=True)
class ContractEnd:
    resource_id: int
    name: str
    unit_name: str
    contract_end: date
    demand_after_hours: float  # demand in the periods that start after the contract's last day


def unit_mix(view: CapacityView) -> list[MixRow]:
    """Per organisation unit: people and capacity hours over the horizon, permanent and contingent."""
    result = view.result
    totals = result.capacity_hours.sum(axis=1)
    by_unit: dict[str, list] = {}
    for row, key in enumerate(result.resource_keys):
        info = view.inputs.people[key]
        entry = by_unit.setdefault(info.unit_key, [0, 0, 0.0, 0.0])
        contingent = info.employment_type == EmploymentType.CONTINGENT
        entry[1 if contingent else 0] += 1
        entry[3 if contingent else 2] += float(totals[row])
    rows = [MixRow(key, view.unit_name(key), *numbers) for key, numbers in by_unit.items()]
    return sorted(rows, key=lambda mix: (mix.name.casefold(), mix.key))


def period_mix(view: CapacityView) -> list[MixRow]:
    """Per period: the whole scope's permanent and contingent capacity."""
    load = view.result.by_employment_type
    permanent, contingent = load.row("permanent"), load.row("contingent")
    return [
        MixRow(
            key=start.isoformat(),
            name=start.isoformat(),
            permanent_people=int(load.resource_counts[permanent]),
            contingent_people=int(load.resource_counts[contingent]),
            permanent_hours=float(load.capacity_hours[permanent, index]),
            contingent_hours=float(load.capacity_hours[contingent, index]),
            period_start=start,
        )
        for index, start in enumerate(view.period_starts)
    ]


def contracts_ending(view: CapacityView) -> list[ContractEnd]:
    """Contingent people whose contract ends inside the horizon, soonest first."""
    result, grid = view.result, view.grid
    rows = []
    for row, key in enumerate(result.resource_keys):
        info = view.inputs.people[key]
        if info.contract_end is None or not grid.start <= info.contract_end < grid.end:
            continue
        after = [index for index, start in enumerate(result.period_starts) if start > info.contract_end]
        rows.append(
            ContractEnd(
                resource_id=info.resource_id,
                name=info.name,
                unit_name=view.unit_name(info.unit_key),
                contract_end=info.contract_end,
                demand_after_hours=float(result.demand_hours[row, after].sum()) if after else 0.0,
            )
        )
    return sorted(rows, key=lambda contract: (contract.contract_end, contract.name.casefold()))


@dataclass(frozen=True)
class CourseSuggestion:
    course_id: int
    name: str
    provider: str
    level: int
    cost: Decimal
    duration_days: Decimal


def courses_for(user, skill_levels: dict[int, int]) -> dict[int, list[CourseSuggestion]]:
    """For each skill id, the register's courses teaching it to the given level or higher,
    cheapest first (then by name). One query."""
    if not skill_levels:
        return {}
    courses = TrainingCourse.objects.visible_to(user, Action.VIEW).filter(is_archived=False).values("pk")
    rows = (
        CourseSkill.objects.filter(skill_id__in=list(skill_levels), course_id__in=courses)
        .order_by("course__cost", "course__name", "course_id")
        .values_list(
            "skill_id",
            "level",
            "course_id",
            "course__name",
            "course__provider",
            "course__cost",
            "course__duration_days",
        )
    )
    found: dict[int, list[CourseSuggestion]] = {skill: [] for skill in skill_levels}
    for skill_id, level, course_id, name, provider, cost, days in rows:
        if level >= skill_levels[skill_id]:
            found[skill_id].append(CourseSuggestion(course_id, name, provider, level, cost, days))
    return found
