"""pmo_engine: the analytic engine of pmo, free of Django.

It takes and returns frozen data classes and numpy arrays and never reads the clock, the
environment, settings or a global random state: callers pass them in. Units: durations and lags
in working minutes (480 a standard day), moments as naive datetimes at minute resolution;
capacity analysis works in hours and dates.

The public API is the list below; anything else may change. The rebalancing names
(:func:`propose_rebalancing` and its data classes) load OR-Tools on first use.
"""

from typing import TYPE_CHECKING

from pmo_engine import capacity as _capacity
from pmo_engine.calendar import (
    add_working_days,
    add_working_minutes,
    is_working_day,
    next_working_day,
    working_days_between,
    working_minutes_between,
)
from pmo_engine.capacity import (
    BurnoutRisk,
    CapacityResource,
    CapacityResult,
    CellDemand,
    DemandItem,
    EmploymentType,
    GapRecommendation,
    GapRules,
    GroupLoad,
    PeriodGrid,
    PeriodKind,
    SkillGap,
    SkillLoad,
    analyse_capacity,
)
from pmo_engine.cpm import (
    LINK_TYPE_CODES,
    ActivitySchedule,
    ConflictKind,
    CpmArrays,
    ProgressState,
    ScheduleConflict,
    ScheduleResult,
    critical_path_arrays,
    schedule,
)
from pmo_engine.errors import CycleError, EngineError, InvalidInput, ScheduleError
from pmo_engine.evm import EarnedValueResult, analyse_earned_value, cumulative_planned_value
from pmo_engine.model import Activity, Calendar, ConstraintType, Link, LinkType

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


def __getattr__(name: str) -> object:
    if name in _capacity.REBALANCING_NAMES:
        return getattr(_capacity, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "LINK_TYPE_CODES",
    "Activity",
    "ActivitySchedule",
    "BurnoutRisk",
    "Calendar",
    "CapacityResource",
    "CapacityResult",
    "CellDemand",
    "ConflictKind",
    "ConstraintType",
    "CpmArrays",
    "CycleError",
    "DemandItem",
    "EarnedValueResult",
    "EmploymentType",
    "EngineError",
    "GapRecommendation",
    "GapRules",
    "GroupLoad",
    "InvalidInput",
    "Link",
    "LinkType",
    "PeriodGrid",
    "PeriodKind",
    "ProgressState",
    "RebalanceInputs",
    "RebalanceItem",
    "RebalanceMove",
    "RebalancePlan",
    "RebalanceResource",
    "RebalanceStatus",
    "ResourceOverload",
    "ScheduleConflict",
    "ScheduleError",
    "ScheduleResult",
    "SkillGap",
    "SkillLoad",
    "add_working_days",
    "add_working_minutes",
    "analyse_capacity",
    "analyse_earned_value",
    "critical_path_arrays",
    "cumulative_planned_value",
    "is_working_day",
    "next_working_day",
    "propose_rebalancing",
    "rebalance_inputs",
    "schedule",
    "working_days_between",
    "working_minutes_between",
]
