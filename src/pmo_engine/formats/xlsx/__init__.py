"""Plans as Excel workbooks (.xlsx), both ways: :func:`write_plan_xlsx` and :func:`read_plan_xlsx`.

The template (documented for users in docs/plan-template.md): an Activities sheet, one row per
activity, columns ``ID``, ``WBS``, ``Name``, ``Summary``, ``Milestone``, ``Duration (days)``,
``Start``, ``Finish``, ``Predecessors``, ``Constraint``, ``Constraint date``, ``Deadline``,
``% complete``, ``Actual start``, ``Actual finish``, ``Remaining (days)``, ``Cost``, ``Notes``,
``Outline level``, ``Manual``, ``Active``; a Project sheet (name, dates, conversion factors, the
project calendar's week); a Calendar exceptions sheet; a Baseline sheet per baseline number.
Durations are working days (``minutes_per_day`` working minutes each), dates Excel date-times.

A workbook carries one calendar, the project's: the plan read back has it as its only calendar
(MS Project's standard week when the workbook says nothing), and no resources or assignments.
"""

from pmo_engine.formats.xlsx.reader import read_plan_xlsx
from pmo_engine.formats.xlsx.template import (
    MAXIMUM_FILE_BYTES,
    MAXIMUM_ROWS,
    MAXIMUM_UNCOMPRESSED_BYTES,
    ActivityColumn,
    PlanWorkbookError,
    WorkbookProblem,
)
from pmo_engine.formats.xlsx.writer import write_plan_xlsx

__all__ = [
    "MAXIMUM_FILE_BYTES",
    "MAXIMUM_ROWS",
    "MAXIMUM_UNCOMPRESSED_BYTES",
    "ActivityColumn",
    "PlanWorkbookError",
    "WorkbookProblem",
    "read_plan_xlsx",
    "write_plan_xlsx",
]
