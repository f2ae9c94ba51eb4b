"""Multi-project levelling: MPSPLIB plans saved as Microsoft Project XML, levelled as one portfolio.

Each file (``../shared/data/project-files/mpsplib_*.xml`` by default) holds several projects whose
tasks are named ``P<k>-Task <n>`` and share renewable resources of several units each (a
resource's maximum units is its capacity, an assignment's units its demand). The file's dates are
the projects' dates without levelling: they over-allocate the resources.

Read with ``pmo_engine.formats.read_plan_file``; time in working days (every duration and lag in
these files is a whole number of 480-minute days) counted from the file's start. Levelled twice
by ``pmo_engine.levelling.level`` (exact, ``--time-limit`` seconds, ``--threads`` workers): for
the least total makespan, and for the least total project delay (each project due when its own
critical path ends, the standard "TPD" measure of the multi-project literature). Reported per
file: the file's own peak over-allocation; per run the makespan (TMS), the total delay against the
file's finish dates and against each project's critical path, the solver's bound and status; and
per project its finish in the file and after levelling. Every schedule is checked (capacity and
links); a broken one fails the run.
"""

import argparse
import math
import re
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

from benchmarks.common import environment, peak_rss_mb, progress
from pmo_engine import Calendar, working_days_between
from pmo_engine.formats import read_plan_file
from pmo_engine.levelling import Job, Link, LinkKind, Objective, Problem, Project, compile_problem, level
from pmo_engine.levelling.check import check

DESCRIPTION = "Multi-project levelling of the MPSPLIB plans (MS Project XML): makespan and total project delay"

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "project-files"
DAY_MINUTES = 480
PROJECT_OF_TASK = re.compile(r"^(P\d+)-")
WEEKDAYS = Calendar()


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="*", type=Path, help="MPSPLIB plans (default: every mpsplib_*.xml in the data)")
    parser.add_argument("--time-limit", type=float, default=10.0, help="seconds per solve (10)")
    parser.add_argument("--threads", type=int, default=2, help="CP-SAT workers (2)")
    parser.add_argument("--seed", type=int, default=0)


def _days(minutes: int) -> int:
    return math.ceil(minutes / DAY_MINUTES)


def read_portfolio(path: Path) -> tuple[Problem, dict]:
    """The problem (makespan objective) and what the file says: each project's finish day, each
    task's start day, the file's start."""
    plan = read_plan_file(path)
    start = plan.project_start
    tasks = [activity for activity in plan.activities if not activity.is_summary]
    capacity = {r.uid: round(r.max_units) for r in plan.resources if str(r.resource_type) == "work" and r.max_units}
    demands: dict[int, dict[str, int]] = defaultdict(dict)
    for assignment in plan.assignments:
        if assignment.resource_uid in capacity and assignment.units > 0:
            key = f"R{assignment.resource_uid}"
            demands[assignment.activity_uid][key] = demands[assignment.activity_uid].get(key, 0) + round(
                assignment.units
            )
    project_of = {}
    for task in tasks:
        found = PROJECT_OF_TASK.match(task.name)
        project_of[task.uid] = found[1] if found else "P?"
    jobs = tuple(
        Job(
            key=str(t.uid),
            duration=_days(t.duration_minutes),
            demands=demands.get(t.uid, {}),
            project=project_of[t.uid],
        )
        for t in tasks
    )
    links = tuple(
        Link(str(link.predecessor_uid), str(link.successor_uid), LinkKind(str(link.link_type)), _days(link.lag_minutes))
        for link in plan.links
    )
    finish_day = defaultdict(int)
    start_day = {}
    for task in tasks:
        first = working_days_between(WEEKDAYS, start.date(), task.start.date())
        start_day[str(task.uid)] = first
        finish_day[project_of[task.uid]] = max(finish_day[project_of[task.uid]], first + _days(task.duration_minutes))
    projects = tuple(Project(key=key) for key in sorted(finish_day, key=lambda k: int(k[1:]) if k[1:].isdigit() else 0))
    problem = Problem(
        jobs=jobs,
        capacities={f"R{uid}": units for uid, units in capacity.items()},
        links=links,
        projects=projects,
        objective=Objective.MAKESPAN,
    )
    return problem, {"start": start.isoformat(), "finish_day": dict(finish_day), "start_day": start_day}


def _finishes(problem: Problem, starts: dict[str, int]) -> dict[str, int]:
    finish: dict[str, int] = defaultdict(int)
    for job in problem.jobs:
        finish[job.project] = max(finish[job.project], starts[job.key] + job.duration)
    return dict(finish)


def _peak_share(problem: Problem, starts: dict[str, int]) -> float:
    """The highest load of any resource on any day, as a share of its capacity."""
    horizon = max(starts[job.key] + job.duration for job in problem.jobs) + 1
    load = {key: np.zeros(horizon, dtype=np.int64) for key in problem.capacities}
    for job in problem.jobs:
        for resource, units in job.demands.items():
            load[resource][starts[job.key] : starts[job.key] + job.duration] += units
    return max(float(load[key].max()) / problem.capacities[key] for key in problem.capacities)


def _solve(problem: Problem, file_finish: dict[str, int], critical: dict[str, int], options) -> dict:
    began = time.perf_counter()
    result = level(problem, method="exact", time_limit=options.time_limit, workers=options.threads, seed=options.seed)
    seconds = time.perf_counter() - began
    instance = compile_problem(problem)
    starts = np.array([result.starts[key] for key in instance.keys], dtype=np.int64)
    broken = check(instance, starts)
    if broken:
        raise SystemExit(f"mpsplib: a schedule breaks a rule: {broken[0].message}")
    finish = _finishes(problem, dict(result.starts))
    return {
        "objective": str(problem.objective),
        "status": str(result.status),
        "makespan": result.makespan,
        "lower_bound": result.lower_bound,
        "gap": round(result.gap, 4),
        "total_delay_vs_file_days": sum(finish[p] - file_finish[p] for p in file_finish),
        "total_delay_vs_critical_path_days": sum(finish[p] - critical[p] for p in critical),
        "peak_load_share": round(_peak_share(problem, dict(result.starts)), 3),
        "seconds": round(seconds, 3),
        "finish_days": finish,
    }


def run(options: argparse.Namespace) -> dict:
    files = options.files or sorted(DATA.glob("mpsplib_*.xml"))
    # Warm-up: the heuristic's compiled kernels are built on first use; that is not levelling time.
    level(Problem(jobs=(Job("a", 1, {"R": 1}),), capacities={"R": 1}), time_limit=1.0)
    results = []
    for path in files:
        progress(f"mpsplib: {path.name}")
        problem, file = read_portfolio(path)
        instance = compile_problem(problem)
        early = instance.earliest_starts() + instance.duration
        critical: dict[str, int] = defaultdict(int)
        for i in range(instance.size):
            project = instance.project_keys[instance.project[i]]
            critical[project] = max(critical[project], int(early[i]))
        file_finish = file["finish_day"]
        delay_problem = Problem(
            jobs=problem.jobs,
            capacities=problem.capacities,
            links=problem.links,
            projects=tuple(Project(key=p.key, due=critical[p.key]) for p in problem.projects),
            objective=Objective.WEIGHTED_DELAY,
        )
        results.append(
            {
                "file": path.name,
                "projects": len(problem.projects),
                "activities": len(problem.jobs),
                "links": len(problem.links),
                "resources": len(problem.capacities),
                "file_makespan_days": max(file_finish.values()),
                "file_peak_load_share": round(_peak_share(problem, file["start_day"]), 3),
                "critical_path_days": dict(critical),
                "file_finish_days": file_finish,
                "runs": [
                    _solve(problem, file_finish, critical, options),
                    _solve(delay_problem, file_finish, critical, options),
                ],
            }
        )
    return {
        "benchmark": "mpsplib",
        "time_limit_s": options.time_limit,
        "threads": options.threads,
        "seed": options.seed,
        "files": results,
        "peak_rss_mb": peak_rss_mb(),
        **environment(),
    }


def format_table(result: dict) -> str:
    lines = [
        f"MPSPLIB portfolios, levelled with {result['time_limit_s']:g} s and {result['threads']} workers per solve"
    ]
    for item in result["files"]:
        lines.append(
            f"\n{item['file']}: {item['projects']} projects, {item['activities']} activities, {item['links']} links, "
            f"{item['resources']} resources; the file's dates: makespan {item['file_makespan_days']} days, peak load "
            f"{100 * item['file_peak_load_share']:.0f} % of capacity"
        )
        lines.append(
            f"  {'objective':<16}{'status':<10}{'makespan':>9}{'bound':>7}{'delay vs file':>15}"
            f"{'delay vs CP':>13}{'peak load':>11}{'seconds':>9}"
        )
        for one in item["runs"]:
            lines.append(
                f"  {one['objective']:<16}{one['status']:<10}{one['makespan']:>9}{one['lower_bound']:>7}"
                f"{one['total_delay_vs_file_days']:>15}{one['total_delay_vs_critical_path_days']:>13}"
                f"{100 * one['peak_load_share']:>10.0f}%{one['seconds']:>9.1f}"
            )
        finish = item["runs"][0]["finish_days"]
        lines.append(
            "  finish per project (file → levelled for makespan): "
            + ", ".join(f"{p} {item['file_finish_days'][p]} → {finish[p]}" for p in item["file_finish_days"])
        )
    lines.append(f"\npeak memory {result['peak_rss_mb']} MB; Python {result['python']}, OR-Tools {result['ortools']}")
    return "\n".join(lines)
