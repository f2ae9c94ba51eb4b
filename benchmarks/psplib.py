"""PSPLIB (j30, j60): pmo's levelling solver beside PyJobShop's OR-Tools model on the classic RCPSP sets.

Every ``.sm`` file of each folder given (by default the j30 and j60 folders of
``../shared/data/psplib`` next to the repository), in natural order (j301_1, j301_2, ...,
j301_10, j302_1, ...), ``--limit`` of them per folder, is read by
:func:`pmo_engine.formats.psplib.read_sm` and solved, one solver after the other, never both at once:

- ``pmo exact``: ``level(method="exact")`` with ``--time-limit`` seconds and ``--threads`` CP-SAT
  workers, starting from the best of ``--warm-start`` schedules of the heuristic; with
  ``--heuristic-only``, ``pmo heuristic``: ``level(method="heuristic")`` with ``--schedules``
  schedules and nothing else;
- ``PyJobShop``: the same instance as a PyJobShop model (renewable resources, one task per job with
  one mode, end-before-start precedences, makespan objective) solved by its OR-Tools CP-SAT model
  with the same time limit, workers and seed. ``--no-reference`` leaves it out.

Each schedule is checked here, independently of both solvers: every job placed at a whole start no
earlier than its release, every link kept, no resource above capacity in any period, and the makespan
as claimed; a claimed lower bound (or proof of optimality) may not exceed a makespan known to be
reachable. Any fault fails the run (exit 1) after all instances are done.

Figures per folder and solver: instances, solved (a schedule found), proven optimal, average % above
the best known makespan (the optimum where known) and average Dev_CP, ``100 * (makespan - cp) / cp``
with ``cp`` the critical-path bound computed by pmo, and the median and max seconds per instance
(wall time around the solver call, model building included). The best known makespans come from the
``reference`` folder next to each set folder: ``J30.csv`` / ``J60_1.csv`` (their OPT value, else
their UB value), else ``j30opt.sm`` (optima), ``j60hrs.sm`` (best heuristic upper bounds); lower
bounds also from ``j60lb.sm``. These files serve this benchmark only; no solving code reads them.
"""

import argparse
import importlib.metadata
import json
import math
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from benchmarks.common import environment, peak_rss_mb, progress
from pmo_engine.formats.psplib import read_sm
from pmo_engine.levelling.problem import LinkKind, Problem, Status, compile_problem
from pmo_engine.levelling.solve import level

DESCRIPTION = "PSPLIB j30/j60: levelling (CP-SAT, 10 s) beside PyJobShop's OR-Tools model, % above best known"

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "psplib"
EXACT, HEURISTIC, PYJOBSHOP = "pmo exact", "pmo heuristic", "PyJobShop"
_REFERENCE_TABLE = re.compile(r"^(j\d+)(opt|hrs|lb)\.sm$", re.IGNORECASE)
_REFERENCE_ROW = re.compile(r"^\s*(\d+)\s+(\d+)\s+(\d+)(?:\s+(\d+)\b)?")
_TABLE_LABELS = {"opt": "optimum", "hrs": "best heuristic", "lb": "UB"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "folders",
        nargs="*",
        type=Path,
        metavar="DIR",
        default=[DATA / "j30", DATA / "j60"],
        help="folders of .sm files (the j30 and j60 folders of ../shared/data/psplib)",
    )
    parser.add_argument("--time-limit", type=float, default=10.0, help="seconds per instance and solver (10)")
    parser.add_argument("--threads", type=int, default=2, help="CP-SAT workers of both solvers (2)")
    parser.add_argument("--heuristic-only", action="store_true", help="run pmo's heuristic alone, no CP-SAT")
    parser.add_argument("--schedules", type=int, default=5000, help="schedules of the heuristic alone (5000)")
    parser.add_argument(
        "--warm-start",
        type=int,
        default=50000,
        help="schedules of the heuristic before CP-SAT, within a quarter of the time limit (50000)",
    )
    parser.add_argument("--seed", type=int, default=0, help="seed of both solvers (0)")
    parser.add_argument("--limit", type=int, default=None, help="only the first N instances of each folder")
    parser.add_argument("--no-reference", action="store_true", help="leave out PyJobShop")


# The best known makespans ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Reference:
    """The best known figures of one instance.

    ``upper``: a makespan some schedule reaches (the optimum when ``lower`` equals it); ``lower``: a
    proven bound, or ``None``; ``source``: the file and column ``upper`` comes from.
    """

    upper: int
    lower: int | None
    source: str


def read_references(folder: Path) -> dict[str, Reference]:
    """Every instance's best known figures in ``folder``, keyed by instance name ("j601_1").

    The CSV tables (``J30.csv``, ``J60_1.csv``) come first, then ``*opt.sm``, ``*hrs.sm`` and
    ``*lb.sm``: an instance takes its ``upper`` from the first file that has it, and its ``lower``
    likewise. A folder that does not exist gives no figures.
    """
    if not folder.is_dir():
        return {}
    tables = [_read_csv_table(path) for path in sorted(folder.glob("*.csv"))]
    by_kind = {kind: [] for kind in _TABLE_LABELS}
    for path in sorted(folder.glob("*.sm")):
        match = _REFERENCE_TABLE.match(path.name)
        if match:
            by_kind[match.group(2).lower()].append(_read_sm_table(path, match.group(1).lower(), match.group(2).lower()))
    uppers: dict[str, tuple[int, str]] = {}
    lowers: dict[str, int] = {}
    for table in [*tables, *by_kind["opt"], *by_kind["hrs"], *by_kind["lb"]]:
        for name, (upper, lower, source) in table.items():
            uppers.setdefault(name, (upper, source))
            if lower is not None:
                lowers.setdefault(name, lower)
    return {name: Reference(upper, lowers.get(name), source) for name, (upper, source) in uppers.items()}


def _read_csv_table(path: Path) -> dict[str, tuple[int, int | None, str]]:
    """The semicolon table of the PSPLIB site: ``ID;Ref1;...;LB value;...;UB value;...;OPT value;...``.

    The rows follow a title row starting ``ID;``; an OPT value of 0 means the optimum is not known.
    """
    rows: dict[str, tuple[int, int | None, str]] = {}
    columns: dict[str, int] = {}
    for line in path.read_bytes().decode("latin-1").splitlines():
        fields = [field.strip() for field in line.split(";")]
        if fields[0] == "ID" and "UB value" in fields:
            columns = {title: index for index, title in enumerate(fields)}
        elif columns and fields[0].isdigit() and len(fields) > max(columns.values()) and fields[1].endswith(".sm"):
            lower, upper, optimum = (int(fields[columns[title]]) for title in ("LB value", "UB value", "OPT value"))
            if optimum:
                rows[fields[1].removesuffix(".sm")] = (optimum, optimum, f"{path.name} OPT value")
            else:
                rows[fields[1].removesuffix(".sm")] = (upper, lower or None, f"{path.name} UB value")
    return rows


def _read_sm_table(path: Path, prefix: str, kind: str) -> dict[str, tuple[int, int | None, str]]:
    """The old tables ``j30opt.sm`` (parameter, instance, optimum), ``j60hrs.sm`` (..., best
    heuristic makespan) and ``j60lb.sm`` (..., upper bound, lower bound)."""
    rows: dict[str, tuple[int, int | None, str]] = {}
    source = f"{path.name} {_TABLE_LABELS[kind]}"
    for line in path.read_bytes().decode("latin-1").splitlines():
        match = _REFERENCE_ROW.match(line)
        if match:
            parameter, instance, upper = (int(match.group(index)) for index in (1, 2, 3))
            lower = upper if kind == "opt" else (int(match.group(4)) if kind == "lb" and match.group(4) else None)
            rows[f"{prefix}{parameter}_{instance}"] = (upper, lower, source)
    return rows


# Checking schedules -------------------------------------------------------------------------------


def schedule_faults(problem: Problem, starts: Mapping[str, int], makespan: int) -> list[str]:
    """What is wrong with a schedule, checked from the problem alone: unplaced jobs, early starts,
    broken links, resources over capacity, a makespan other than the last finish."""
    faults = []
    for job in problem.jobs:
        start = starts.get(job.key)
        if not isinstance(start, int | np.integer) or start < job.release:
            faults.append(f"job {job.key} starts at {start!r}, not a whole period from its release {job.release}")
    if faults:
        return faults
    duration = {job.key: job.duration for job in problem.jobs}
    for link in problem.links:
        gap = {
            LinkKind.FINISH_TO_START: starts[link.after] - (starts[link.before] + duration[link.before]),
            LinkKind.START_TO_START: starts[link.after] - starts[link.before],
            LinkKind.FINISH_TO_FINISH: starts[link.after]
            + duration[link.after]
            - (starts[link.before] + duration[link.before]),
            LinkKind.START_TO_FINISH: starts[link.after] + duration[link.after] - starts[link.before],
        }[link.kind]
        if gap < link.lag:
            faults.append(f"link {link.before} → {link.after} ({link.kind}) needs a gap of {link.lag}, has {gap}")
    finish = max((starts[job.key] + job.duration for job in problem.jobs), default=0)
    if finish != makespan:
        faults.append(f"the makespan is claimed as {makespan} but the last job finishes at {finish}")
    faults.extend(_capacity_faults(problem, starts, finish))
    return faults


def _capacity_faults(problem: Problem, starts: Mapping[str, int], horizon: int) -> list[str]:
    """Per resource, the first period its load exceeds its capacity (load from a difference array)."""
    faults = []
    for resource, capacity in problem.capacities.items():
        change = np.zeros(horizon + 1, dtype=np.int64)
        for job in problem.jobs:
            units = job.demands.get(resource, 0)
            if units and job.duration:
                change[starts[job.key]] += units
                change[starts[job.key] + job.duration] -= units
        load = np.cumsum(change)
        over = np.flatnonzero(load > capacity)
        if over.size:
            first = int(over[0])
            faults.append(f"{resource} carries {int(load[first])} in period {first}, above its capacity {capacity}")
    return faults


def bound_faults(outcome: dict, known_makespan: int | None) -> list[str]:
    """A lower bound above a reachable makespan, or a proof of optimality the bound does not back."""
    faults = []
    if known_makespan is not None and outcome["lower_bound"] > known_makespan:
        faults.append(f"claims a lower bound of {outcome['lower_bound']}, but makespan {known_makespan} is reachable")
    if outcome["status"] == Status.OPTIMAL and outcome["makespan"] != outcome["lower_bound"]:
        faults.append(f"claims makespan {outcome['makespan']} optimal with a lower bound of {outcome['lower_bound']}")
    return faults


# The solvers --------------------------------------------------------------------------------------


def solve_ours(problem: Problem, options: argparse.Namespace) -> tuple[dict, Mapping[str, int] | None]:
    """pmo's solver on the problem: the figures of its run and its starts (``None`` without a schedule)."""
    method = "heuristic" if options.heuristic_only else "exact"
    began = time.perf_counter()
    result = level(
        problem,
        method=method,
        time_limit=options.time_limit,
        workers=options.threads,
        schedules=options.schedules if options.heuristic_only else options.warm_start,
        seed=options.seed,
    )
    seconds = time.perf_counter() - began
    found = result.status in (Status.OPTIMAL, Status.FEASIBLE)
    outcome = {
        "solver": HEURISTIC if options.heuristic_only else EXACT,
        "status": str(result.status),
        "makespan": result.makespan if found else None,
        "lower_bound": result.lower_bound,
        "seconds": round(seconds, 4),
    }
    if options.heuristic_only:
        outcome["schedules"] = result.schedules
    return outcome, (dict(result.starts) if found else None)


def pyjobshop_module():
    """PyJobShop, imported only when compared; without it the run stops (exit 2) saying what to do."""
    try:
        import pyjobshop
    except ModuleNotFoundError:
        progress(
            "psplib: PyJobShop is not installed. Run `make bench` (which installs it), or pass "
            "--no-reference to run pmo's solver alone."
        )
        raise SystemExit(2) from None
    return pyjobshop


def solve_pyjobshop(pyjobshop, problem: Problem, options: argparse.Namespace) -> tuple[dict, Mapping[str, int] | None]:
    """The problem as PyJobShop models PSPLIB itself (every resource listed in each job's one mode),
    solved by its OR-Tools model."""
    began = time.perf_counter()
    model = pyjobshop.Model()
    project = model.add_job()
    resources = [model.add_renewable(capacity, name=key) for key, capacity in problem.capacities.items()]
    tasks = {}
    for job in problem.jobs:
        tasks[job.key] = model.add_task(project, earliest_start=job.release, name=job.key)
        demands = [job.demands.get(key, 0) for key in problem.capacities]
        model.add_mode(tasks[job.key], resources, job.duration, demands)
    constraint = {
        LinkKind.FINISH_TO_START: model.add_end_before_start,
        LinkKind.START_TO_START: model.add_start_before_start,
        LinkKind.FINISH_TO_FINISH: model.add_end_before_end,
        LinkKind.START_TO_FINISH: model.add_start_before_end,
    }
    for link in problem.links:
        constraint[link.kind](tasks[link.before], tasks[link.after], link.lag)
    model.set_objective(weight_makespan=1)
    result = model.solve(
        "ortools",
        time_limit=options.time_limit,
        display=False,
        num_workers=options.threads,
        random_seed=options.seed,
    )
    seconds = time.perf_counter() - began
    status = {"Optimal": Status.OPTIMAL, "Feasible": Status.FEASIBLE, "Infeasible": Status.INFEASIBLE}.get(
        result.status.value, Status.UNKNOWN
    )
    found = status in (Status.OPTIMAL, Status.FEASIBLE)
    outcome = {
        "solver": PYJOBSHOP,
        "status": str(status),
        "makespan": round(result.objective) if found else None,
        "lower_bound": math.ceil(result.lower_bound - 1e-9),
        "seconds": round(seconds, 4),
    }
    starts = {job.key: result.best.tasks[index].start for index, job in enumerate(problem.jobs)} if found else None
    return outcome, starts


# The run ------------------------------------------------------------------------------------------


def natural_key(path: Path) -> tuple:
    """j301_2 before j301_10 before j302_1: numbers compared as numbers."""
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", path.stem))


def instance_paths(folder: Path, limit: int | None) -> list[Path]:
    """The first ``limit`` (all by default) ``.sm`` files of ``folder`` in natural order."""
    paths = sorted(folder.glob("*.sm"), key=natural_key)[:limit]
    if not paths:
        raise SystemExit(f"psplib: no .sm files in {folder}")
    return paths


def run_folder(folder: Path, paths: list[Path], solvers: list[Callable], faults: list[str]) -> list[dict]:
    """Every instance of one folder through every solver, in turn; the instance rows."""
    references = read_references(folder.parent / "reference")
    rows = []
    for number, path in enumerate(paths, start=1):
        problem = read_sm(path)
        critical_path = compile_problem(problem).critical_path_bound()
        reference = references.get(path.stem)
        outcomes = []
        reachable = [reference.upper] if reference else []
        for solve in solvers:
            outcome, starts = solve(problem)
            found = [] if starts is None else schedule_faults(problem, starts, outcome["makespan"])
            faults.extend(f"{path.stem}, {outcome['solver']}: {fault}" for fault in found)
            if starts is not None and not found:
                reachable.append(outcome["makespan"])
            outcomes.append(outcome)
        for outcome in outcomes:
            for fault in bound_faults(outcome, min(reachable, default=None)):
                faults.append(f"{path.stem}, {outcome['solver']}: {fault}")
            rows.append(
                {
                    "instance": path.stem,
                    "set": folder.name,
                    **outcome,
                    "critical_path": critical_path,
                    "best_known": reference.upper if reference else None,
                    "best_known_optimal": reference is not None and reference.lower == reference.upper,
                    "reference_source": reference.source if reference else None,
                }
            )
        shown = "; ".join(f"{o['solver']} {o['makespan']} ({o['status']}, {o['seconds']:.2f} s)" for o in outcomes)
        best = reference.upper if reference else "?"
        progress(f"psplib {folder.name} {number}/{len(paths)} {path.stem} (best known {best}): {shown}")
    return rows


def summarise(rows: list[dict]) -> list[dict]:
    """One summary per (set, solver), in the order met."""
    groups: dict[tuple[str, str], list[dict]] = {}
    for row in rows:
        groups.setdefault((row["set"], row["solver"]), []).append(row)
    return [_summary(set_name, solver, group) for (set_name, solver), group in groups.items()]


def _summary(set_name: str, solver: str, rows: list[dict]) -> dict:
    solved = [row for row in rows if row["makespan"] is not None]
    compared = [row for row in solved if row["best_known"]]
    seconds = [row["seconds"] for row in rows]
    summary = {
        "set": set_name,
        "solver": solver,
        "instances": len(rows),
        "solved": len(solved),
        "optimal": sum(1 for row in rows if row["status"] == Status.OPTIMAL),
        "at_best_known": sum(1 for row in compared if row["makespan"] <= row["best_known"]),
        "compared": len(compared),
        "above_best_known_pct": _mean([100 * (r["makespan"] - r["best_known"]) / r["best_known"] for r in compared]),
        "dev_cp_pct": _mean([100 * (r["makespan"] - r["critical_path"]) / r["critical_path"] for r in solved]),
        "reference": ", ".join(
            f"{source} ({count})" for source, count in Counter(r["reference_source"] for r in compared).items()
        ),
        "instance_median_s": round(statistics.median(seconds), 4),
        "instance_min_s": round(min(seconds), 4),
        "instance_max_s": round(max(seconds), 4),
    }
    if solver == HEURISTIC:
        summary["schedules_per_instance"] = round(statistics.mean(row["schedules"] for row in rows))
    return summary


def _mean(values: list[float]) -> float | None:
    return round(statistics.mean(values), 3) if values else None


def run(options: argparse.Namespace) -> dict:
    compare = not options.heuristic_only and not options.no_reference
    pyjobshop = pyjobshop_module() if compare else None
    solvers: list[Callable] = [lambda problem: solve_ours(problem, options)]
    if compare:
        solvers.append(lambda problem: solve_pyjobshop(pyjobshop, problem, options))
    sets = [(folder, instance_paths(folder, options.limit)) for folder in options.folders]
    progress(f"psplib: warm-up on {sets[0][1][0].stem}, untimed (imports, compilation)")
    for solve in solvers:
        solve(read_sm(sets[0][1][0]))
    faults: list[str] = []
    began = time.perf_counter()
    rows = [row for folder, paths in sets for row in run_folder(folder, paths, solvers, faults)]
    total = time.perf_counter() - began
    if faults:
        for fault in faults:
            progress(f"psplib: FAULT {fault}")
        raise SystemExit(f"psplib: {len(faults)} faults in the schedules or bounds above; the run fails.")
    return {
        "benchmark": "psplib",
        "folders": [str(folder) for folder in options.folders],
        "time_limit_s": options.time_limit,
        "threads": options.threads,
        "seed": options.seed,
        "heuristic_only": options.heuristic_only,
        "schedules": options.schedules if options.heuristic_only else None,
        "warm_start_schedules": None if options.heuristic_only else options.warm_start,
        "limit": options.limit,
        "pyjobshop": importlib.metadata.version("pyjobshop") if compare else None,
        "sets": summarise(rows),
        "instances": rows,
        "total_s": round(total, 2),
        "peak_rss_mb": peak_rss_mb(),
        **environment(),
    }


def _table_row(cells: list[object]) -> str:
    """Set and solver flush left, the figures flush right."""
    return "  ".join(f"{cell!s:<14}" if i < 2 else f"{cell!s:>12}" for i, cell in enumerate(cells))


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def format_table(result: dict) -> str:
    heuristic = result["heuristic_only"]
    titles = ["set", "solver", "instances", "solved", "optimal", "= best known", "above best %", "Dev_CP %"]
    titles += ["median s", "max s", *(["schedules"] if heuristic else [])]
    lines = [_table_row(titles)]
    for s in result["sets"]:
        cells = [s["set"], s["solver"], s["instances"], s["solved"], s["optimal"]]
        cells += [
            f"{s['at_best_known']}/{s['compared']}",
            _percent(s["above_best_known_pct"]),
            _percent(s["dev_cp_pct"]),
        ]
        cells += [f"{s['instance_median_s']:.2f}", f"{s['instance_max_s']:.2f}"]
        lines.append(_table_row(cells + ([s["schedules_per_instance"]] if heuristic else [])))
    settings = (
        f"heuristic, {result['schedules']} schedules"
        if heuristic
        else f"time limit {result['time_limit_s']:g} s, {result['threads']} workers"
    )
    if result["limit"]:
        settings += f", first {result['limit']} instances per set"
    versions = f"Python {result['python']}, numpy {result['numpy']}, OR-Tools {result['ortools']}"
    if result["pyjobshop"]:
        versions += f", PyJobShop {result['pyjobshop']}"
    references = {s["set"]: s["reference"] or "none found" for s in result["sets"]}
    lines += [
        "",
        f"settings     {settings}, seed {result['seed']}",
        *(f"best known   {name}: {source}" for name, source in references.items()),
        "Dev_CP       100 * (makespan - critical path) / critical path, critical path computed by pmo",
        f"total        {result['total_s']:.1f} s; peak memory {result['peak_rss_mb']} MB",
        f"versions     {versions}",
    ]
    return "\n".join(lines)


def main(arguments: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.psplib", description=DESCRIPTION)
    parser.add_argument("--json", action="store_true", help="print one JSON object on stdout and nothing else")
    add_arguments(parser)
    options = parser.parse_args(arguments)
    result = run(options)
    print(json.dumps(result, indent=2, sort_keys=True) if options.json else format_table(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
