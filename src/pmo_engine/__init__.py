"""pmo_engine: the analytic engine of pmo, free of Django.

It takes and returns frozen data classes and numpy arrays and never reads the clock, the
environment, settings or a global random state: callers pass them in. Units: durations and lags
in working minutes (480 a standard day), moments as naive datetimes at minute resolution.

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
    "Calendar",
    "ConflictKind",
    "ConstraintType",
    "CpmArrays",
    "CycleError",
    "EngineError",
    "InvalidInput",
    "Link",
    "LinkType",
    "ProgressState",
    "ScheduleConflict",
    "ScheduleError",
    "ScheduleResult",
    "add_working_days",
    "add_working_minutes",
    "critical_path_arrays",
    "is_working_day",
    "next_working_day",
    "schedule",
    "working_days_between",
    "working_minutes_between",
]
