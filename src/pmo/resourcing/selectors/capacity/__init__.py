"""Capacity against demand: the database read into ``pmo_engine.capacity`` and its answer shaped
for the capacity pages, their exports and the API.

What is read (a fixed number of queries whatever the number of people, about ten):
- capacity: every non-archived named person (generic roles have no capacity) with their unit,
  employment type, contract end, weekday pattern, skills, and as non-working dates their absences
  and the non-working exceptions (holidays) of their calendar;
- demand from assignments: the hours still to do (planned minus actual, never below 0) spread
  evenly over the working days of the activity's scheduled dates, start to finish. This is the
  plan as scheduled: an activity that started earlier keeps the share of its remaining hours
  that falls before the horizon outside it (rescheduling at a status date moves remaining work
  after it). Activities without dates, finished (actual finish or 100 % complete) or with nothing
  left to do are left out;
- demand from allocations: their hours spread over the working days of their week or month;
- work given to a generic role (or to an archived person) is *unassigned* demand for the role's
  skill (or the required skill): it shows in the unassigned row and the skill figures, never on a
  person. Work on an archived person that names no skill cannot be placed and is left out.

Non-working dates are read over the whole span of the demand read, not only the horizon, so a
person's hours in a week are the same whatever horizon is asked for (the drill-down of one cell
adds up to the cell).

Permission: anyone with a role may read capacity (people and skills are organisation records).
The load on a person is real whoever can see the project, so demand on every project counts; but
projects (and their activities) the user cannot see are never named: they show as
:data:`HIDDEN_PROJECT`.
"""

from pmo.resourcing.selectors.capacity.analysis import (
    BANDS,
    HIDDEN_PROJECT,
    RECOMMENDATIONS,
    CapacityView,
    Cell,
    HeatmapRow,
    TotalsRow,
    analyse,
    band_of,
    capacity_analysis,
    sort_totals,
    visible_project_names,
)
from pmo.resourcing.selectors.capacity.breakdown import (
    UNASSIGNED_NAME,
    CellBreakdown,
    DemandLine,
    resource_breakdown,
)
from pmo.resourcing.selectors.capacity.inputs import (
    DEFAULT_WEEKS,
    MAX_PERIODS,
    NO_UNIT_NAME,
    CapacityInputs,
    ResourceInfo,
    capacity_inputs,
    default_start,
    horizon,
    require_viewer,
)
from pmo.resourcing.selectors.capacity.reports import (
    ContractEnd,
    CourseSuggestion,
    MixRow,
    contracts_ending,
    courses_for,
    period_mix,
    unit_mix,
)

__all__ = [
    "BANDS",
    "DEFAULT_WEEKS",
    "HIDDEN_PROJECT",
    "MAX_PERIODS",
    "NO_UNIT_NAME",
    "RECOMMENDATIONS",
    "UNASSIGNED_NAME",
    "CapacityInputs",
    "CapacityView",
    "Cell",
    "CellBreakdown",
    "ContractEnd",
    "CourseSuggestion",
    "DemandLine",
    "HeatmapRow",
    "MixRow",
    "ResourceInfo",
    "TotalsRow",
    "analyse",
    "band_of",
    "capacity_analysis",
    "capacity_inputs",
    "contracts_ending",
    "courses_for",
    "default_start",
    "horizon",
    "period_mix",
    "require_viewer",
    "resource_breakdown",
    "sort_totals",
    "unit_mix",
    "visible_project_names",
]
