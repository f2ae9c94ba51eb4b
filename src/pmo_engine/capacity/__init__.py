"""Capacity analysis: capacity against demand per resource, skill, organisation unit and
employment type over a grid of weeks or months, with utilisation, overloads, burnout risks and a
skill gap forecast whose recommendations explain themselves.

Units: hours and dates (ranges inclusive). Modules: ``inputs`` (the validated data classes),
``arrays`` (the numpy kernel: daily capacity, demand spread over working days, sums per period),
``skills`` (gaps and the rules that recommend), ``analysis`` (the entry point
:func:`analyse_capacity`), ``results`` (what it returns, with the drill-down
:meth:`CapacityResult.cell_demand`).
"""

from pmo_engine.capacity.analysis import analyse_capacity
from pmo_engine.capacity.arrays import HOURS_TOLERANCE, utilisation_of
from pmo_engine.capacity.inputs import (
    HIGHEST_PROFICIENCY,
    CapacityResource,
    DemandItem,
    EmploymentType,
    GapRules,
    PeriodGrid,
    PeriodKind,
)
from pmo_engine.capacity.results import (
    BurnoutRisk,
    CapacityResult,
    CellDemand,
    GapRecommendation,
    GroupLoad,
    SkillGap,
    SkillLoad,
)

__all__ = [
    "HIGHEST_PROFICIENCY",
    "HOURS_TOLERANCE",
    "BurnoutRisk",
    "CapacityResource",
    "CapacityResult",
    "CellDemand",
    "DemandItem",
    "EmploymentType",
    "GapRecommendation",
    "GapRules",
    "GroupLoad",
    "PeriodGrid",
    "PeriodKind",
    "SkillGap",
    "SkillLoad",
    "analyse_capacity",
    "utilisation_of",
]
