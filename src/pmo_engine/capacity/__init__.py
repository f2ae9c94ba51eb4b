"""Capacity analysis: capacity against demand per resource, skill, organisation unit and
employment type over a grid of weeks or months, with utilisation, overloads, burnout risks and a
skill gap forecast whose recommendations explain themselves.

Units: hours and dates (ranges inclusive). Modules: ``inputs`` (the validated data classes),
``arrays`` (the numpy kernel: daily capacity, demand spread over working days, sums per period),
``skills`` (gaps and the rules that recommend), ``analysis`` (the entry point
:func:`analyse_capacity`), ``results`` (what it returns, with the drill-down
:meth:`CapacityResult.cell_demand`), ``rebalance`` (moves of work from overloaded people to others
who hold the skill: :func:`propose_rebalancing`, with OR-Tools CP-SAT).
"""

import importlib
from typing import TYPE_CHECKING

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

if TYPE_CHECKING:
    from pmo_engine.capacity.rebalance import (
        RebalanceInputs,
        RebalanceItem,
        RebalanceMove,
        RebalancePlan,
        RebalanceResource,
        RebalanceStatus,
        ResourceOverload,
        propose_rebalancing,
        rebalance_inputs,
    )

# Rebalancing imports OR-Tools, which takes about two seconds to load (it brings pandas in); its
# names are loaded on first use so that importing the engine, and Django with it, stays fast.
REBALANCING_NAMES = frozenset(
    {
        "RebalanceInputs",
        "RebalanceItem",
        "RebalanceMove",
        "RebalancePlan",
        "RebalanceResource",
        "RebalanceStatus",
        "ResourceOverload",
        "propose_rebalancing",
        "rebalance_inputs",
    }
)


def __getattr__(name: str) -> object:
    if name in REBALANCING_NAMES:
        return getattr(importlib.import_module("pmo_engine.capacity.rebalance"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
    "RebalanceInputs",
    "RebalanceItem",
    "RebalanceMove",
    "RebalancePlan",
    "RebalanceResource",
    "RebalanceStatus",
    "ResourceOverload",
    "SkillGap",
    "SkillLoad",
    "analyse_capacity",
    "propose_rebalancing",
    "rebalance_inputs",
    "utilisation_of",
]
