"""Server time and query count of the capacity pages and endpoints on a large organisation.

Builds in a fresh SQLite file (or the empty database of ``--database-url``), straight into the
tables (the services would take far longer at this size): ``--people`` people who are resources
in 30 units (20 % contingent, some on part-time patterns), an organisation calendar with public
holidays, leave in blocks, 1 to 6 of 40 skills each, one generic role per skill, ``--projects``
projects whose activities are scheduled from 8 weeks before the horizon to its end, and
``--assignments`` assignments on them (10 % to generic roles, 60 % naming a skill, a few with
hours already booked) plus weekly allocations. Every figure comes from one seeded generator.

Then times, signed in as the administrator (who sees every project) and as the manager of one
portfolio (who sees a fifth of them): the heatmap over 12 and 104 weeks, its skill rows, one
cell's drill-down, the skills, utilisation and mix pages, the heatmap endpoint of the API and
the heatmap export; and, for the 104-week horizon, reading the database into the engine's inputs
(``capacity_inputs``) apart from the engine's analysis.
"""

import argparse
import json
import os
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import partial

import numpy as np

from benchmarks.common import environment, peak_rss_mb, progress, time_runs, timing_figures

DESCRIPTION = "median server time and query count of the capacity pages on 5,000 people and 200,000 assignments"

HORIZON_START = date(2025, 1, 6)  # a Monday
SKILLS = 40
UNITS = 30
PORTFOLIOS = 5
PATTERNS = (
    ([8.0, 8.0, 8.0, 8.0, 8.0, 0.0, 0.0], 0.75),
    ([7.5, 7.5, 7.5, 7.5, 7.5, 0.0, 0.0], 0.10),
    ([8.0, 8.0, 8.0, 8.0, 0.0, 0.0, 0.0], 0.10),
    ([4.0, 4.0, 4.0, 4.0, 4.0, 0.0, 0.0], 0.05),
)
HOLIDAYS = ((1, 1), (4, 18), (4, 21), (5, 5), (5, 26), (8, 25), (12, 25), (12, 26))


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--people", type=int, default=5_000)
    parser.add_argument("--assignments", type=int, default=200_000)
    parser.add_argument("--projects", type=int, default=1_000)
    parser.add_argument("--weeks", type=int, default=104, help="weeks of planned work from the horizon's start")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=20250106)
    parser.add_argument("--database-url", default=None, help="an empty database to fill (default: a new SQLite file)")


def _aware(day: date, hour: int):
    from django.utils import timezone

    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def _people(rng: np.random.Generator, options: argparse.Namespace) -> dict:
    """Units, skills, the holiday calendar, the people as resources with skills and leave, the roles."""
    from pmo.core.models import OrganisationUnit, Person
    from pmo.planning.models import Calendar, CalendarException
    from pmo.resourcing.models import Absence, Resource, ResourceSkill, Skill

    first, days = HORIZON_START.toordinal(), 7 * options.weeks
    units = OrganisationUnit.objects.bulk_create(
        OrganisationUnit(name=f"Unit {index:02}", code=f"unit-{index:02}") for index in range(UNITS)
    )
    skills = Skill.objects.bulk_create(Skill(name=f"Skill {index:02}") for index in range(SKILLS))
    calendar = Calendar.objects.create(name="Organisation holidays")
    CalendarException.objects.bulk_create(
        CalendarException(calendar=calendar, date=date(year, month, day), name="Public holiday")
        for year in range(HORIZON_START.year - 1, HORIZON_START.year + options.weeks // 52 + 2)
        for month, day in HOLIDAYS
    )
    people = Person.objects.bulk_create(
        Person(full_name=f"Person {index:05}", unit=units[index % UNITS]) for index in range(options.people)
    )
    pattern = rng.choice(len(PATTERNS), size=options.people, p=[share for _, share in PATTERNS])
    contingent = rng.random(options.people) < 0.2
    ends = first + rng.integers(30, days, options.people)
    resources = Resource.objects.bulk_create(
        Resource(
            kind="person",
            person=person,
            name=person.full_name,
            unit_id=person.unit_id,
            employment_type="contingent" if contingent[index] else "permanent",
            contract_end=date.fromordinal(int(ends[index])) if contingent[index] and index % 2 else None,
            weekday_hours=PATTERNS[pattern[index]][0],
            calendar=calendar,
        )
        for index, person in enumerate(people)
    )
    roles = Resource.objects.bulk_create(
        Resource(kind="role", name=f"{skill.name} specialist", role_skill=skill, role_level=3) for skill in skills
    )
    popularity = 1 / np.arange(1, SKILLS + 1) ** 0.8
    popularity /= popularity.sum()
    held = []
    for resource in resources:
        chosen = rng.choice(SKILLS, size=int(rng.integers(1, 7)), replace=False, p=popularity)
        held += [ResourceSkill(resource=resource, skill=skills[s], level=int(rng.integers(1, 6))) for s in chosen]
    ResourceSkill.objects.bulk_create(held, batch_size=5000)
    # Leave in blocks of one to five days, about ten blocks a year (they may overlap: the reading
    # does not mind, and the services that would refuse it are not involved).
    absences = [
        Absence(
            resource=resource,
            start=date.fromordinal(int(start)),
            end=date.fromordinal(int(start + rng.integers(0, 5))),
        )
        for resource in resources
        for start in sorted(first - 14 + rng.choice(days, size=max(1, days // 36), replace=False))
    ]
    Absence.objects.bulk_create(absences, batch_size=5000)
    return {
        "resources": resources,
        "roles": roles,
        "skills": skills,
        "popularity": popularity,
        "skills_held": len(held),
        "absences": len(absences),
    }


def _plans(rng: np.random.Generator, options: argparse.Namespace, org: dict) -> dict:
    """Portfolios, projects, scheduled activities, assignments and weekly allocations."""
    from pmo.planning.models import Activity
    from pmo.portfolio.models import Portfolio, Project
    from pmo.resourcing.models import Allocation, Assignment

    first, days = HORIZON_START.toordinal(), 7 * options.weeks
    resources, roles, skills, popularity = org["resources"], org["roles"], org["skills"], org["popularity"]
    portfolios = Portfolio.objects.bulk_create(
        Portfolio(code=f"PF{index}", name=f"Portfolio {index}") for index in range(PORTFOLIOS)
    )
    projects = Project.objects.bulk_create(
        Project(portfolio=portfolios[index % PORTFOLIOS], code=f"PRJ-{index:04}", name=f"Project {index:04}")
        for index in range(options.projects)
    )
    activity_count = max(1, options.assignments // 5)
    starts = first + rng.integers(-56, days - 7, activity_count)
    lengths = np.minimum(rng.geometric(1 / 5, activity_count), 26)
    activities = Activity.objects.bulk_create(
        (
            Activity(
                project=projects[index % len(projects)],
                position=index,
                name=f"Activity {index:06}",
                duration_minutes=int(lengths[index]) * 5 * 480,
                start=_aware(date.fromordinal(int(starts[index])), 8),
                finish=_aware(date.fromordinal(int(starts[index] + 7 * lengths[index] - 3)), 17),
            )
            for index in range(activity_count)
        ),
        batch_size=5000,
    )
    picks = rng.integers(0, len(resources), options.assignments)
    is_role = rng.random(options.assignments) < 0.1
    names_skill = rng.random(options.assignments) < 0.6
    seen, assignments = set(), []
    for index in range(options.assignments):
        activity = activities[index % activity_count]
        resource = roles[int(picks[index]) % SKILLS] if is_role[index] else resources[int(picks[index])]
        if (activity.pk, resource.pk) in seen:
            continue
        seen.add((activity.pk, resource.pk))
        planned = round(float(rng.uniform(0.8, 3.6)) * 5 * (activity.duration_minutes // (5 * 480)), 1)
        skill = resource.role_skill if resource.kind == "role" else None
        if skill is None and names_skill[index]:
            skill = skills[int(rng.choice(SKILLS, p=popularity))]
        assignments.append(
            Assignment(
                project_id=activity.project_id,
                activity=activity,
                resource=resource,
                planned_hours=Decimal(str(planned)),
                actual_hours=Decimal(str(round(planned * 0.3, 1))) if index % 17 == 0 else Decimal("0"),
                required_skill=skill,
                required_level=int(rng.integers(1, 5)) if skill else 1,
                is_billable=bool(index % 3),
            )
        )
    Assignment.objects.bulk_create(assignments, batch_size=5000)
    allocations, seen = [], set()
    for index in range(options.assignments // 10):
        resource = resources[int(picks[index])]
        project = projects[int(picks[-index - 1]) % len(projects)]
        week = HORIZON_START + timedelta(days=7 * int(rng.integers(0, options.weeks)))
        if (project.pk, resource.pk, week) not in seen:
            seen.add((project.pk, resource.pk, week))
            allocations.append(Allocation(project=project, resource=resource, period_start=week, hours=Decimal("6")))
    Allocation.objects.bulk_create(allocations, batch_size=5000)
    return {
        "portfolios": portfolios,
        "projects": len(projects),
        "activities": len(activities),
        "assignments": len(assignments),
        "allocations": len(allocations),
    }


def build(options: argparse.Namespace) -> dict:
    """Fill the database; returns the sizes and the ids the timed requests need."""
    from pmo.core.choices import Role, ScopeType
    from pmo.core.testing.logins import make_login

    rng = np.random.default_rng(options.seed)
    org = _people(rng, options)
    plans = _plans(rng, options, org)
    make_login("admin", Role.ADMINISTRATOR)
    make_login("portfolio.manager", Role.PORTFOLIO_MANAGER, ScopeType.PORTFOLIO, plans["portfolios"][0].pk)
    return {
        "people": len(org["resources"]),
        "projects": plans["projects"],
        "activities": plans["activities"],
        "assignments": plans["assignments"],
        "allocations": plans["allocations"],
        "absences": org["absences"],
        "skills_held": org["skills_held"],
        "sample_resource": org["resources"][0].pk,
    }


def pages(sample_resource: int) -> dict[str, str]:
    start = HORIZON_START.isoformat()
    return {
        "heatmap_12w": f"/capacity/?start={start}",
        "heatmap_104w": f"/capacity/?start={start}&periods=104",
        "heatmap_overloaded_26w": f"/capacity/?start={start}&periods=26&overloaded=on",
        "heatmap_skills_26w": f"/capacity/?start={start}&periods=26&rows=skills&level=3",
        "heatmap_months_24": f"/capacity/?start={start}&periods=24&kind=month",
        "cell": f"/capacity/cell/?start={start}&resource={sample_resource}&period={start}",
        "skills_26w": f"/capacity/skills/?start={start}&periods=26",
        "utilisation_52w": f"/capacity/utilisation/?start={start}&periods=52&sort=-utilisation",
        "mix_52w": f"/capacity/mix/?start={start}&periods=52",
        "api_heatmap_12w": f"/api/v1/capacity/heatmap/?start={start}",
        "export_heatmap_12w": f"/capacity/export/heatmap/?start={start}",
    }


class _QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def run(options: argparse.Namespace) -> dict:
    workdir = tempfile.mkdtemp(prefix="pmo-bench-capacity-pages-")
    os.environ["PMO_VAR_DIR"] = workdir
    os.environ["PMO_DATABASE_URL"] = options.database_url or f"sqlite:///{workdir}/pmo.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pmo.config.settings")
    # Django and pmo are imported only now: the settings read the variables set just above.
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from pmo.resourcing.selectors import capacity as selectors

    progress(f"capacity pages: migrating and filling {workdir}")
    call_command("migrate", verbosity=0, interactive=False)
    began = time.perf_counter()
    sizes = build(options)
    result: dict = {
        "benchmark": "capacity_pages",
        "seed": options.seed,
        "runs": options.runs,
        "build_s": round(time.perf_counter() - began, 1),
        **sizes,
    }
    progress(f"capacity pages: built {sizes} in {result['build_s']} s")

    admin = get_user_model().objects.get(username="admin")
    grid = selectors.horizon(HORIZON_START, 104)
    inputs = selectors.capacity_inputs(admin, grid=grid)
    result["inputs_demand_items_104w"] = len(inputs.demand)
    result.update(
        timing_figures(
            "inputs_104w", time_runs(partial(selectors.capacity_inputs, admin, grid=grid), runs=options.runs)
        )
    )
    result.update(timing_figures("analyse_104w", time_runs(partial(selectors.analyse, inputs), runs=options.runs)))
    progress(
        f"capacity_inputs 104 weeks: {result['inputs_104w_median_s'] * 1000:.0f} ms "
        f"({len(inputs.demand)} items); analysis {result['analyse_104w_median_s'] * 1000:.0f} ms"
    )

    for username in ("admin", "portfolio.manager"):
        client = Client(HTTP_HOST="localhost")
        client.force_login(get_user_model().objects.get(username=username))
        for name, url in pages(sizes["sample_resource"]).items():
            counter = _QueryCounter()
            with connection.execute_wrapper(counter):
                response = client.get(url)
            if response.status_code != 200:
                raise RuntimeError(f"{url} answered {response.status_code} for {username}")
            key = f"{name}_{username.split('.')[0]}"
            result.update(timing_figures(key, time_runs(partial(client.get, url), runs=options.runs)))
            result[f"{key}_queries"] = counter.count
            progress(f"{key}: {result[f'{key}_median_s'] * 1000:.0f} ms, {counter.count} queries")
    result["peak_rss_mb"] = peak_rss_mb()
    result.update(environment())
    return result


def format_table(result: dict) -> str:
    lines = [
        f"Capacity pages: {result['people']:,} people, {result['assignments']:,} assignments, "
        f"{result['allocations']:,} allocations, {result['absences']:,} absences "
        f"(median of {result['runs']} runs; built in {result['build_s']} s)",
        "",
        f"{'page':36} {'median ms':>10} {'max ms':>10} {'queries':>8}",
    ]
    for key in sorted(k.removesuffix("_median_s") for k in result if k.endswith("_median_s")):
        median_ms, max_ms = result[key + "_median_s"] * 1000, result[key + "_max_s"] * 1000
        queries = result.get(key + "_queries")
        lines.append(f"{key:36} {median_ms:10.1f} {max_ms:10.1f} {'' if queries is None else queries:>8}")
    lines.append(f"\npeak RSS {result['peak_rss_mb']} MB; Python {result['python']}")
    return "\n".join(lines)


def main(arguments: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.capacity_pages", description=DESCRIPTION)
    parser.add_argument("--json", action="store_true", help="print one JSON object on stdout and nothing else")
    add_arguments(parser)
    options = parser.parse_args(arguments)
    result = run(options)
    print(json.dumps(result, indent=2, sort_keys=True) if options.json else format_table(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
