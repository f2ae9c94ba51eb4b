"""pmo_engine: the analytic engine of pmo, free of Django.

It takes and returns frozen data classes and numpy arrays and never reads the clock, the
environment, settings or a global random state: callers pass them in. Units: durations and lags
in working minutes (480 a standard day), moments as naive datetimes at minute resolution;
capacity analysis works in hours and dates.

The public API is the list below; anything else may change.
"""

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
from pmo_engine.model import Activity, Calendar, ConstraintType, Link, LinkType

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
    "ScheduleConflict",
    "ScheduleError",
    "ScheduleResult",
    "SkillGap",
    "SkillLoad",
    "add_working_days",
    "add_working_minutes",
    "analyse_capacity",
    "critical_path_arrays",
    "is_working_day",
    "next_working_day",
    "schedule",
    "working_days_between",
    "working_minutes_between",
]
