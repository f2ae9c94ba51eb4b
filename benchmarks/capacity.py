"""Capacity analysis: the full heatmap and the skill gap forecast for a large organisation.

The organisation (every figure from one seeded ``numpy.random.Generator``): ``--people`` people in
``--units`` organisation units, 80 % permanent and 20 % contingent (half of them with a contract
ending inside the horizon); 70 % full-time 8 h Monday to Friday, the rest on 7.5 h days, four-day
weeks, three-day weeks or mornings only; eight public holidays a year and about 25 days of leave
a year each, in blocks; 1 to 6 of ``--skills`` skills each (popular skills more common) at levels
1 to 5, the five newest skills held by few. ``--assignments`` demand items over ``--weeks`` weeks:
90 % assigned (60 % of them naming a skill, mostly one the person holds), 10 % unassigned demand
for a skill (half of it for the newest skills, some of it growing over the horizon); 1 to 26 weeks long,
2.2 h a working day on average, 65 % billable; 1 % given as hours per week.

Timed, ``--runs`` times after a warm-up: ``pmo_engine.capacity.analyse_capacity`` on the data
classes built beforehand (reading them, daily capacity, spreading the demand, the heatmaps,
aggregates, burnout risks and skill gaps with their recommendations). Every hour of demand inside
the horizon must come out in the heatmap or the unassigned row; the run fails otherwise.
"""

import argparse
import json
import sys
from collections import Counter
from datetime import date, timedelta

import numpy as np

from benchmarks.common import environment, peak_rss_mb, progress, time_runs, timing_figures
from pmo_engine.capacity import (
    CapacityResource,
    DemandItem,
    EmploymentType,
    PeriodGrid,
    analyse_capacity,
)

DESCRIPTION = "Capacity heatmap and skill gaps for 5,000 people, 104 weeks and 200,000 assignments: median time"

TARGET_MEDIAN_S = 1.0
HORIZON_START = date(2025, 1, 6)  # a Monday
PATTERNS = (  # hours Monday..Sunday, and how common each is
    ((8.0, 8.0, 8.0, 8.0, 8.0, 0.0, 0.0), 0.70),
    ((7.5, 7.5, 7.5, 7.5, 7.5, 0.0, 0.0), 0.10),
    ((8.0, 8.0, 8.0, 8.0, 0.0, 0.0, 0.0), 0.10),
    ((8.0, 8.0, 8.0, 0.0, 0.0, 0.0, 0.0), 0.05),
    ((4.0, 4.0, 4.0, 4.0, 4.0, 0.0, 0.0), 0.05),
)
PUBLIC_HOLIDAYS = ((1, 1), (4, 18), (4, 21), (5, 5), (5, 26), (8, 25), (12, 25), (12, 26))  # (month, day)
LEVEL_PROBABILITIES = (0.15, 0.25, 0.30, 0.20, 0.10)
EMERGING_SKILLS = 5  # the rarest skills: held by few, in growing demand


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--people", type=int, default=5_000, help="people (5000)")
    parser.add_argument("--weeks", type=int, default=104, help="weeks in the horizon (104)")
    parser.add_argument("--assignments", type=int, default=200_000, help="demand items (200000)")
    parser.add_argument("--skills", type=int, default=40, help="distinct skills (40)")
    parser.add_argument("--units", type=int, default=50, help="organisation units (50)")
    parser.add_argument("--runs", type=int, default=5, help="timed runs after one warm-up (5)")
    parser.add_argument("--seed", type=int, default=20250106, help="seed of the random generator")


def _popularity(skills: int) -> np.ndarray:
    """How common each skill is, most common first (a Zipf-like law), summing to 1."""
    weights = 1 / np.arange(1, skills + 1) ** 0.8
    return weights / weights.sum()


def _dates(ordinals: np.ndarray) -> list[date]:
    return [date.fromordinal(ordinal) for ordinal in ordinals.tolist()]


def build_people(
    rng: np.random.Generator, *, people: int, weeks: int, skills: int, units: int
) -> list[CapacityResource]:
    """Believable people: part-time patterns, public holidays, leave in blocks, skills, contract ends."""
    first = HORIZON_START.toordinal()
    days = 7 * weeks
    holidays = frozenset(
        date(year, month, day)
        for year in range(HORIZON_START.year, (HORIZON_START + timedelta(days=days)).year + 1)
        for month, day in PUBLIC_HOLIDAYS
    )
    pattern = rng.choice(len(PATTERNS), size=people, p=[share for _, share in PATTERNS])
    is_contingent = rng.random(people) < 0.2
    contract_end = np.where(is_contingent & (rng.random(people) < 0.5), first + rng.integers(30, days, people), 0)
    popularity = _popularity(skills)
    popularity[-EMERGING_SKILLS:] *= 0.1  # few people hold the newest skills yet
    popularity /= popularity.sum()
    blocks_per_person = max(1, round(10 * weeks / 52))
    result = []
    for index in range(people):
        block_start = first + rng.integers(-7, days, blocks_per_person)
        block_length = rng.integers(1, 11, blocks_per_person)
        leave = np.unique(np.concatenate([np.arange(s, s + n) for s, n in zip(block_start, block_length, strict=True)]))
        held = rng.choice(skills, size=int(rng.integers(1, 7)), replace=False, p=popularity)
        levels = rng.choice(5, size=len(held), p=LEVEL_PROBABILITIES) + 1
        result.append(
            CapacityResource(
                key=f"P{index:05d}",
                organisation_unit_key=f"U{int(rng.integers(units)):03d}",
                employment_type=EmploymentType.CONTINGENT if is_contingent[index] else EmploymentType.PERMANENT,
                contract_end=date.fromordinal(int(contract_end[index])) if contract_end[index] else None,
                weekday_hours=PATTERNS[pattern[index]][0],
                non_working_dates=holidays | frozenset(_dates(leave)),
                skills={f"S{skill:02d}": int(level) for skill, level in zip(held, levels, strict=True)},
            )
        )
    return result


def build_demand(
    rng: np.random.Generator, people: list[CapacityResource], *, assignments: int, weeks: int, skills: int
) -> list[DemandItem]:
    """Demand items: 1 to 26 weeks long from 8 weeks before the horizon to its last week."""
    first = HORIZON_START.toordinal()
    start = first + rng.integers(-56, 7 * weeks - 7, assignments)
    is_assigned = rng.random(assignments) < 0.9
    person = rng.integers(len(people), size=assignments)
    random_skill = rng.choice(skills, size=assignments, p=_popularity(skills))
    # Half the unassigned demand is for the newest skills, steady for two of them and growing for the others.
    emerging = ~is_assigned & (rng.random(assignments) < 0.5)
    random_skill[emerging] = skills - 1 - rng.integers(0, min(EMERGING_SKILLS, skills), int(emerging.sum()))
    growing = emerging & (random_skill < skills - 2)
    start[growing] = first + ((7 * weeks - 7) * np.sqrt(rng.random(int(growing.sum())))).astype(np.int64)
    length_weeks = np.minimum(rng.geometric(1 / 7, assignments), 26)
    end = start + 7 * length_weeks - 1
    hours_per_day = 8.0 * rng.uniform(0.1, 0.45, assignments)
    hours = np.round(hours_per_day * 5 * length_weeks, 1)
    names_skill = ~is_assigned | (rng.random(assignments) < 0.6)
    own_skill = is_assigned & (rng.random(assignments) < 0.8)
    level = rng.choice(4, size=assignments, p=(0.4, 0.3, 0.2, 0.1)) + 1
    is_billable = rng.random(assignments) < 0.65
    is_weekly = rng.random(assignments) < 0.01
    items = []
    for index in range(assignments):
        resource = people[person[index]] if is_assigned[index] else None
        skill, minimum = None, 1
        if names_skill[index]:
            if resource is not None and own_skill[index]:
                skill, held_level = resource.skills[index % len(resource.skills)]
                minimum = min(held_level, int(level[index]))
            else:
                skill, minimum = f"S{random_skill[index]:02d}", int(level[index])
        item_start = date.fromordinal(int(start[index]))
        amount: dict[str, object]
        if is_weekly[index]:
            week_starts = [item_start + timedelta(days=7 * week) for week in range(4)]
            amount = {"hours_by_period": {day: float(round(hours_per_day[index] * 5, 1)) for day in week_starts}}
            item_end = item_start + timedelta(days=27)
        else:
            amount = {"hours": float(hours[index])}
            item_end = date.fromordinal(int(end[index]))
        items.append(
            DemandItem(
                key=f"D{index:06d}",
                project_key=f"PRJ{index % 1500:04d}",
                start=item_start,
                end=item_end,
                resource_key=None if resource is None else resource.key,
                required_skill=skill,
                minimum_proficiency=minimum,
                is_billable=bool(is_billable[index]),
                **amount,  # type: ignore[arg-type]
            )
        )
    return items


def _hours_inside(items: list[DemandItem], grid: PeriodGrid) -> float:
    """Demand hours inside the horizon, counted the slow way from items wholly inside or given per period."""
    total = 0.0
    for item in items:
        if item.hours_by_period is not None:
            total += sum(hours for day, hours in item.hours_by_period if grid.start <= day < grid.end)
        elif item.start >= grid.start and item.end < grid.end:
            total += item.total_hours
    return total


def run(options: argparse.Namespace) -> dict:
    rng = np.random.default_rng(options.seed)
    progress(f"capacity: building {options.people} people over {options.weeks} weeks")
    people = build_people(rng, people=options.people, weeks=options.weeks, skills=options.skills, units=options.units)
    progress(f"capacity: building {options.assignments} demand items")
    items = build_demand(rng, people, assignments=options.assignments, weeks=options.weeks, skills=options.skills)
    grid = PeriodGrid(HORIZON_START, options.weeks)

    progress("capacity: timing pmo_engine.capacity.analyse_capacity")
    seconds = time_runs(lambda: analyse_capacity(people, items, grid), runs=options.runs)
    result = analyse_capacity(people, items, grid)

    # Items wholly inside the horizon must keep every hour; check them alone in a second analysis.
    inside = [item for item in items if item.start >= grid.start and item.end < grid.end]
    inside_result = analyse_capacity(people, inside, grid)
    expected = _hours_inside(inside, grid)
    found = float(inside_result.demand_hours.sum() + inside_result.unassigned_demand_hours.sum())
    hours_conserved = bool(abs(found - expected) <= 1e-9 * max(1.0, expected))
    assert hours_conserved, f"demand hours not conserved: {found} found, {expected} expected"

    capacity = result.capacity_hours.sum()
    recommendations = Counter(gap.recommendation.value for gap in result.skill_gaps)
    figures = timing_figures("capacity", seconds)
    return {
        "benchmark": "capacity",
        "people": options.people,
        "weeks": options.weeks,
        "assignments": options.assignments,
        "skills": len(result.by_skill.skill_keys),
        "organisation_units": len(result.by_organisation_unit.keys),
        "seed": options.seed,
        "runs": options.runs,
        **figures,
        "hours_conserved": hours_conserved,
        "capacity_hours": round(float(capacity), 1),
        "demand_hours": round(float(result.demand_hours.sum()), 1),
        "unassigned_demand_hours": round(float(result.unassigned_demand_hours.sum()), 1),
        "mean_utilisation": round(float(result.demand_hours.sum() / capacity), 4) if capacity else None,
        "overloaded_cells": int(result.is_overloaded.sum()),
        "burnout_risks": len(result.burnout_risks),
        "skill_gaps": len(result.skill_gaps),
        "recommendations": dict(sorted(recommendations.items())),
        "target_median_s": TARGET_MEDIAN_S,
        "meets_target": figures["capacity_median_s"] <= TARGET_MEDIAN_S,
        "peak_rss_mb": peak_rss_mb(),
        **environment(),
    }


def format_table(result: dict) -> str:
    recommendations = ", ".join(f"{count} {name}" for name, count in result["recommendations"].items()) or "none"
    rows = [
        (
            "organisation",
            f"{result['people']:,} people, {result['organisation_units']} units, {result['skills']} skills",
        ),
        ("demand", f"{result['assignments']:,} items over {result['weeks']} weeks"),
        ("seed / runs", f"{result['seed']} / {result['runs']} after a warm-up"),
        (
            "analyse_capacity",
            f"{result['capacity_median_s']:.4f} s median ({result['capacity_min_s']:.4f} to "
            f"{result['capacity_max_s']:.4f}), target {result['target_median_s']:.1f} s",
        ),
        ("hours conserved", "yes" if result["hours_conserved"] else "NO"),
        (
            "hours",
            f"{result['capacity_hours']:,.0f} capacity, {result['demand_hours']:,.0f} assigned, "
            f"{result['unassigned_demand_hours']:,.0f} unassigned",
        ),
        ("mean utilisation", f"{100 * (result['mean_utilisation'] or 0):.1f} %"),
        ("overloaded cells", f"{result['overloaded_cells']:,} ({result['burnout_risks']:,} burnout risks)"),
        ("skill gaps", f"{result['skill_gaps']} runs: {recommendations}"),
        ("meets target", "yes" if result["meets_target"] else "no"),
        ("peak memory", f"{result['peak_rss_mb']} MB"),
        ("versions", f"Python {result['python']}, numpy {result['numpy']}"),
    ]
    width = max(len(label) for label, _ in rows)
    return "\n".join(f"{label:<{width}}  {value}" for label, value in rows)


def main(arguments: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.capacity", description=DESCRIPTION)
    parser.add_argument("--json", action="store_true", help="print one JSON object on stdout and nothing else")
    add_arguments(parser)
    options = parser.parse_args(arguments)
    result = run(options)
    print(json.dumps(result, indent=2, sort_keys=True) if options.json else format_table(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
