"""Critical path method: :func:`schedule` on activities and links, :func:`critical_path_arrays` on arrays.

Modules: ``kernel`` (levels and passes on arrays), ``network`` (activities, links, calendars and
progress to arrays), ``schedule`` (the entry point and its report), ``paths`` (critical chains),
``results`` (what is returned).
"""

from pmo_engine.cpm.kernel import (
    LINK_TYPE_CODES,
    CpmArrays,
    LevelledNetwork,
    TopologicalLevels,
    critical_path_arrays,
    topological_levels,
)
from pmo_engine.cpm.results import (
    ActivitySchedule,
    ConflictKind,
    ProgressState,
    ScheduleConflict,
    ScheduleResult,
)
from pmo_engine.cpm.schedule import schedule

__all__ = [
    "LINK_TYPE_CODES",
    "ActivitySchedule",
    "ConflictKind",
    "CpmArrays",
    "LevelledNetwork",
    "ProgressState",
    "ScheduleConflict",
    "ScheduleResult",
    "TopologicalLevels",
    "critical_path_arrays",
    "schedule",
    "topological_levels",
]
