"""Files in and out: whole plans from and to the files of planning tools.

- :mod:`~pmo_engine.formats.plan`: :class:`Plan` and its parts, and their conversion to the
  engine (``Plan.schedule()``, ``Plan.engine_activities()``...);
- :mod:`~pmo_engine.formats.mspdi`: Microsoft Project XML, read and written natively;
- :mod:`~pmo_engine.formats.mpxj`: .mpp, Primavera, Planner, GanttProject... converted to MSPDI
  by MPXJ (optional extra ``pmo[mpxj]``, Java 17);
- :mod:`~pmo_engine.formats.xlsx`: the plan as an Excel workbook (docs/plan-template.md), both ways;
- :func:`read_plan_file`: any of them from a path.

The public API is the list below; anything else may change.
"""

from pmo_engine.formats.common import STANDARD_WEEK, DurationUnit, Periods, ResourceType
from pmo_engine.formats.errors import FileFormatError, OptionalDependencyError, UnsupportedFeatureError
from pmo_engine.formats.files import is_mspdi, is_xlsx, read_plan_data, read_plan_file
from pmo_engine.formats.mpxj import convert_to_mspdi
from pmo_engine.formats.mspdi import read_mspdi, write_mspdi
from pmo_engine.formats.plan import (
    Plan,
    PlanActivity,
    PlanAssignment,
    PlanBaseline,
    PlanCalendar,
    PlanCalendarException,
    PlanLink,
    PlanResource,
    PlanWorkWeek,
)
from pmo_engine.formats.xlsx import PlanWorkbookError, WorkbookProblem, read_plan_xlsx, write_plan_xlsx

__all__ = [
    "STANDARD_WEEK",
    "DurationUnit",
    "FileFormatError",
    "OptionalDependencyError",
    "Periods",
    "Plan",
    "PlanActivity",
    "PlanAssignment",
    "PlanBaseline",
    "PlanCalendar",
    "PlanCalendarException",
    "PlanLink",
    "PlanResource",
    "PlanWorkWeek",
    "PlanWorkbookError",
    "ResourceType",
    "UnsupportedFeatureError",
    "WorkbookProblem",
    "convert_to_mspdi",
    "is_mspdi",
    "is_xlsx",
    "read_mspdi",
    "read_plan_data",
    "read_plan_file",
    "read_plan_xlsx",
    "write_mspdi",
    "write_plan_xlsx",
]
