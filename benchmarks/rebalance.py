"""Rebalancing: moves of whole demand items that lower overload in a 500-person organisation.

The organisation (every figure from one seeded ``numpy.random.Generator``): ``--people`` people
over ``--weeks`` weeks, 70 % on 40 h a week and the rest on 32, 24 or 20; about three weeks of
leave each (a day to a week off); 5 % with a contract ending inside the horizon. 1 to 4 of
``--skills`` skills each (popular skills more common) at levels 1 to 5. Each person carries 3 to 8
demand items, each a run of weeks at a steady weekly rate, sized so that most people are 50 % to
85 % loaded and ``--overloaded`` of them 110 % to 150 %; 85 % of items name a skill the person
holds (at a minimum level up to theirs), 10 % are fixed.

Timed, ``--runs`` times after a warm-up: ``pmo_engine.capacity.propose_rebalancing`` with
``--max-time`` seconds and ``--workers`` CP-SAT workers (choosing candidates, building the model,
both stages, the explanations). Every run must lower overload or leave it as it is, and move only
items that may move to people holding their skill at their level; the overload after the moves is
counted again from the items; the run fails otherwise.
"""

import argparse
import json
import statistics
import sys
import time
from collections import Counter

import numpy as np

from benchmarks.common import environment, peak_rss_mb, progress, timing_figures
from pmo_engine.capacity import RebalanceItem, RebalancePlan, RebalanceResource, propose_rebalancing

DESCRIPTION = "Rebalancing overloaded people (500 people, 26 weeks, CP-SAT, 10 s limit): median time, overload removed"

WEEKLY_HOURS = ((40.0, 0.70), (32.0, 0.15), (24.0, 0.10), (20.0, 0.05))  # (hours a week, share of people)
LEVEL_PROBABILITIES = (0.15, 0.25, 0.30, 0.20, 0.10)
TOLERANCE = 1e-6


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--people", type=int, default=500, help="people (500)")
    parser.add_argument("--weeks", type=int, default=26, help="weeks in the horizon (26)")
    parser.add_argument("--skills", type=int, default=30, help="distinct skills (30)")
    parser.add_argument("--overloaded", type=float, default=0.1, help="share of people loaded 110-150 %% (0.1)")
    parser.add_argument("--max-time", type=float, default=10.0, help="CP-SAT time limit per run, seconds (10)")
    parser.add_argument("--workers", type=int, default=2, help="CP-SAT workers (2)")
    parser.add_argument("--runs", type=int, default=5, help="timed runs after one warm-up (5)")
    parser.add_argument("--seed", type=int, default=20250303, help="seed of the random generator")


def build_organisation(
    rng: np.random.Generator, *, people: int, weeks: int, skills: int, overloaded: float
) -> tuple[list[RebalanceResource], list[RebalanceItem]]:
    """People with capacity per week and skills, and the demand items they carry."""
    popularity = 1 / np.arange(1, skills + 1) ** 0.8
    popularity /= popularity.sum()
    base = np.array([hours for hours, _ in WEEKLY_HOURS])[
        rng.choice(len(WEEKLY_HOURS), size=people, p=[share for _, share in WEEKLY_HOURS])
    ]
    capacity = np.repeat(base[:, None], weeks, axis=1)
    for _ in range(2):  # leave: a day off or two, twice in the horizon
        week = rng.integers(0, weeks, people)
        capacity[np.arange(people), week] -= base / 5 * rng.integers(1, 3, people)
    capacity = np.clip(capacity, 0, None)
    last_week = np.where(rng.random(people) < 0.05, rng.integers(weeks // 4, weeks, people), weeks)
    capacity[np.arange(weeks)[None, :] >= last_week[:, None]] = 0.0
    is_overloaded = rng.random(people) < overloaded
    utilisation = np.where(is_overloaded, rng.uniform(1.1, 1.5, people), rng.uniform(0.35, 0.7, people))
    resources, items = [], []
    for row in range(people):
        held = rng.choice(skills, size=int(rng.integers(1, 5)), replace=False, p=popularity)
        levels = rng.choice(5, size=len(held), p=LEVEL_PROBABILITIES) + 1
        resources.append(
            RebalanceResource(
                f"P{row:04d}",
                tuple(capacity[row].tolist()),
                {f"S{skill:02d}": int(level) for skill, level in zip(held, levels, strict=True)},
            )
        )
        count = int(rng.integers(3, 9))
        for index in range(count):
            length = int(rng.integers(weeks // 2, weeks + 1))
            start = int(rng.integers(0, weeks - length + 1))
            length = min(length, int(last_week[row]) - start)  # demand ends with the contract, mostly
            if length <= 0 or rng.random() < 0.2:  # and some is planned as if it did not
                length = max(length, weeks // 4)
            rate = round(2 * utilisation[row] * base[row] / count * rng.uniform(0.7, 1.3)) / 2  # to half an hour
            hours = np.zeros(weeks)
            hours[start : start + length] = rate
            skill, minimum = None, 1
            if rng.random() < 0.85:
                pick = int(rng.integers(len(held)))
                skill, minimum = f"S{held[pick]:02d}", int(rng.integers(1, levels[pick] + 1))
            items.append(
                RebalanceItem(
                    f"D{row:04d}-{index}",
                    f"P{row:04d}",
                    tuple(hours.tolist()),
                    required_skill=skill,
                    minimum_proficiency=minimum,
                    is_fixed=bool(rng.random() < 0.1),
                    project_key=f"PRJ{int(rng.integers(200)):03d}",
                )
            )
    return resources, items


def overload_after(resources: list[RebalanceResource], items: list[RebalanceItem], plan: RebalancePlan) -> float:
    """Total overload with the plan's moves made, counted again from the items; checks every move."""
    row_of = {resource.key: row for row, resource in enumerate(resources)}
    item_of = {item.key: item for item in items}
    target = {}
    for move in plan.moves:
        item, taker = item_of[move.item_key], resources[row_of[move.to_resource_key]]
        assert item.required_skill is not None and not item.is_fixed, f"{item.key} may not move"
        assert taker.proficiency(item.required_skill) >= item.minimum_proficiency, f"{taker.key} lacks the skill"
        assert move.from_resource_key == item.resource_key
        target[item.key] = move.to_resource_key
    load = np.array([resource.fixed_demand_hours for resource in resources])
    for item in items:
        load[row_of[target.get(item.key, item.resource_key)]] += item.hours
    excess = load - np.array([resource.capacity_hours for resource in resources])
    return float(np.where(excess > TOLERANCE, excess, 0.0).sum())


def run(options: argparse.Namespace) -> dict:
    rng = np.random.default_rng(options.seed)
    progress(f"rebalance: building {options.people} people over {options.weeks} weeks")
    resources, items = build_organisation(
        rng, people=options.people, weeks=options.weeks, skills=options.skills, overloaded=options.overloaded
    )
    plans: list[RebalancePlan] = []
    seconds: list[float] = []
    for attempt in range(options.runs + 1):
        progress(f"rebalance: run {attempt} of {options.runs} (the first is a warm-up)")
        start = time.perf_counter()
        plan = propose_rebalancing(
            resources,
            items,
            max_time_seconds=options.max_time,
            num_workers=options.workers,
            random_seed=options.seed % 2**31,
        )
        elapsed = time.perf_counter() - start
        if attempt:
            plans.append(plan)
            seconds.append(elapsed)
        counted = overload_after(resources, items, plan)
        assert abs(counted - plan.overload_after_hours) <= 1e-6 * max(1.0, counted), "overload after does not add up"
        assert plan.overload_after_hours <= plan.overload_before_hours + TOLERANCE, "overload went up"

    plan = plans[-1]
    after = [p.overload_after_hours for p in plans]
    overloaded_people = sum(1 for o in plan.resource_overloads if o.before_hours > 0)
    return {
        "benchmark": "rebalance",
        "people": options.people,
        "weeks": options.weeks,
        "items": len(items),
        "skills": options.skills,
        "seed": options.seed,
        "runs": options.runs,
        "max_time_seconds": options.max_time,
        "num_workers": options.workers,
        **timing_figures("rebalance", seconds),
        "solver_median_s": round(statistics.median(p.seconds for p in plans), 6),
        "overloaded_people": overloaded_people,
        "movable_items": plan.movable_item_count,
        "candidate_pairs": plan.candidate_count,
        "statuses": dict(sorted(Counter(p.status.value for p in plans).items())),
        "overload_before_hours": round(plan.overload_before_hours, 2),
        "overload_after_hours": round(statistics.median(after), 2),
        "overload_after_min_hours": round(min(after), 2),
        "overload_after_max_hours": round(max(after), 2),
        "overload_bound_hours": round(max(p.overload_bound_hours for p in plans), 2),
        "overload_removed_share": round(1 - statistics.median(after) / plan.overload_before_hours, 4)
        if plan.overload_before_hours
        else None,
        "moves": len(plan.moves),
        "moved_hours": round(plan.moved_hours, 1),
        "peak_rss_mb": peak_rss_mb(),
        **environment(),
    }


def format_table(result: dict) -> str:
    statuses = ", ".join(f"{count} {name}" for name, count in result["statuses"].items())
    removed = result["overload_removed_share"]
    rows = [
        ("organisation", f"{result['people']:,} people, {result['skills']} skills, {result['weeks']} weeks"),
        ("demand", f"{result['items']:,} items; {result['overloaded_people']} people overloaded"),
        ("model", f"{result['movable_items']} movable items, {result['candidate_pairs']:,} (item, candidate) pairs"),
        ("seed / runs", f"{result['seed']} / {result['runs']} after a warm-up"),
        (
            "propose_rebalancing",
            f"{result['rebalance_median_s']:.3f} s median ({result['rebalance_min_s']:.3f} to "
            f"{result['rebalance_max_s']:.3f}), CP-SAT {result['solver_median_s']:.3f} s; limit "
            f"{result['max_time_seconds']:g} s, {result['num_workers']} workers",
        ),
        ("status", statuses),
        (
            "overload",
            f"{result['overload_before_hours']:,.1f} h before, {result['overload_after_hours']:,.1f} h after "
            f"(runs {result['overload_after_min_hours']:,.1f} to {result['overload_after_max_hours']:,.1f}); "
            f"bound {result['overload_bound_hours']:,.1f} h",
        ),
        ("removed", "nothing to remove" if removed is None else f"{100 * removed:.1f} % of the overload"),
        ("moves", f"{result['moves']} moves, {result['moved_hours']:,.1f} h"),
        ("peak memory", f"{result['peak_rss_mb']} MB"),
        ("versions", f"Python {result['python']}, numpy {result['numpy']}, OR-Tools {result['ortools']}"),
    ]
    width = max(len(label) for label, _ in rows)
    return "\n".join(f"{label:<{width}}  {value}" for label, value in rows)


def main(arguments: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.rebalance", description=DESCRIPTION)
    parser.add_argument("--json", action="store_true", help="print one JSON object on stdout and nothing else")
    add_arguments(parser)
    options = parser.parse_args(arguments)
    result = run(options)
    print(json.dumps(result, indent=2, sort_keys=True) if options.json else format_table(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
