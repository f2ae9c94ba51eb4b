"""Resource levelling: resource-constrained scheduling of a project, a programme or a portfolio.

Modules: ``problem`` (jobs, links, capacities, projects; their array form; results), ``heuristic``
(schedule generation with justification and a genetic search, compiled with numba), ``exact``
(CP-SAT with interval variables and cumulative constraints, warm-started by the heuristic),
``check`` (every rule a schedule must keep, and resource loads), ``solve`` (the entry point
:func:`level`).
"""

import importlib

from pmo_engine.levelling.problem import (
    Instance,
    Job,
    Link,
    LinkKind,
    Objective,
    Problem,
    Project,
    ProjectOutcome,
    Result,
    Status,
    Violation,
    compile_problem,
)

# The solvers load OR-Tools and numba, which take seconds to import: they load on first use.
_LAZY = {"level": "solve", "resource_loads": "solve", "check": "check", "heuristic_starts": "heuristic"}


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(importlib.import_module(f"pmo_engine.levelling.{_LAZY[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "Instance",
    "Job",
    "Link",
    "LinkKind",
    "Objective",
    "Problem",
    "Project",
    "ProjectOutcome",
    "Result",
    "Status",
    "Violation",
    "check",
    "compile_problem",
    "heuristic_starts",
    "level",
    "resource_loads",
]
