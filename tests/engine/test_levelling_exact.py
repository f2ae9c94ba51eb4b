"""The exact levelling solver against exhaustive search on small random problems, and its edge cases.

The exhaustive search places the jobs one by one (in the order of the links) at every start up to a
horizon long enough for some optimal schedule (latest release plus every duration plus every
positive lag), keeping every rule, and keeps the lexicographically best (objective, jobs moved,
periods moved). It prunes only schedules already worse in the objective, so its optimum is exact.
"""

import random

import numpy as np
import pytest

from pmo_engine.errors import InvalidInput
from pmo_engine.levelling.check import check, objective_value
from pmo_engine.levelling.exact import exact_solve, horizon
from pmo_engine.levelling.problem import Job, Link, LinkKind, Objective, Problem, Project, Status, compile_problem
from pmo_engine.levelling.solve import level

TIME_LIMIT = 5.0  # never reached on these sizes


def critical_finish(problem: Problem) -> dict[str, int]:
    """Each project's finish when resources are ignored, by a plain fixed-point loop over the links."""
    durations = {job.key: job.duration for job in problem.jobs}
    start = {job.key: job.fixed_start if job.fixed_start is not None else job.release for job in problem.jobs}
    fixed = {job.key for job in problem.jobs if job.fixed_start is not None}
    changed = True
    while changed:
        changed = False
        for link in problem.links:
            needed = start[link.before] + link_offset(link, durations)
            if link.after not in fixed and start[link.after] < needed:
                start[link.after], changed = needed, True
    finish: dict[str, int] = {}
    for job in problem.jobs:
        finish[job.project] = max(finish.get(job.project, 0), start[job.key] + job.duration)
    return finish


def link_offset(link: Link, durations: dict[str, int]) -> int:
    before, after = durations[link.before], durations[link.after]
    return {
        LinkKind.FINISH_TO_START: before + link.lag,
        LinkKind.START_TO_START: link.lag,
        LinkKind.FINISH_TO_FINISH: before + link.lag - after,
        LinkKind.START_TO_FINISH: link.lag - after,
    }[link.kind]


def brute_force(problem: Problem) -> tuple[int, int, int] | None:
    """The best (objective, moved, periods moved) over every schedule, or None when none keeps every rule."""
    jobs = {job.key: job for job in problem.jobs}
    durations = {key: job.duration for key, job in jobs.items()}
    end = max(job.release for job in problem.jobs) + sum(durations.values())
    end += sum(max(0, link.lag) for link in problem.links)
    end = max([end] + [job.fixed_start + job.duration for job in problem.jobs if job.fixed_start is not None])
    end = max([end] + [job.planned_start + job.duration for job in problem.jobs if job.planned_start is not None])
    order = compile_problem(problem).keys
    incoming = {key: [link for link in problem.links if link.after == key] for key in order}
    outgoing = {key: [link for link in problem.links if link.before == key] for key in order}
    dues = {project.key: project.due for project in problem.projects if project.due is not None}
    critical = critical_finish(problem)
    weights = {project.key: project.weight for project in problem.projects}
    load = {resource: [0] * (end + 1) for resource in problem.capacities}
    start: dict[str, int] = {}
    best: list[tuple[int, int, int] | None] = [None]

    def objective() -> int:
        if problem.objective is Objective.MAKESPAN:
            return max(start[key] + durations[key] for key in start)
        finish: dict[str, int] = {}
        for key, value in start.items():
            project = jobs[key].project
            finish[project] = max(finish.get(project, 0), value + durations[key])
        return sum(
            weights.get(p, 1) * max(0, f - dues.get(p, critical[p])) for p, f in finish.items()
        )  # grows as jobs are added

    def moves() -> tuple[int, int]:
        if not problem.keep_plan:
            return 0, 0
        gaps = [abs(start[k] - jobs[k].planned_start) for k in start if jobs[k].planned_start is not None]
        return sum(1 for gap in gaps if gap), sum(gaps)

    def place(position: int) -> None:
        if position == len(order):
            value = (objective(), *moves())
            if best[0] is None or value < best[0]:
                best[0] = value
            return
        key = order[position]
        job = jobs[key]
        low = max([job.release] + [start[link.before] + link_offset(link, durations) for link in incoming[key]])
        choices = [job.fixed_start] if job.fixed_start is not None else range(low, end - job.duration + 1)
        for value in choices:
            if value < low or (job.deadline is not None and value + job.duration > job.deadline):
                continue
            if any(
                link.after in start and start[link.after] < value + link_offset(link, durations)
                for link in outgoing[key]
            ):
                continue
            periods = range(value, value + job.duration)
            if any(load[r][t] + units > problem.capacities[r] for r, units in job.demands.items() for t in periods):
                continue
            for r, units in job.demands.items():
                for t in periods:
                    load[r][t] += units
            start[key] = value
            if best[0] is None or objective() <= best[0][0]:
                place(position + 1)
            del start[key]
            for r, units in job.demands.items():
                for t in periods:
                    load[r][t] -= units

    place(0)
    return best[0]


def random_problem(rng: random.Random, *, objective: Objective, keep_plan: bool = False) -> Problem:
    """4-6 jobs, 1-2 resources, durations 0-3, links of every kind (lags -1..2) from lower to higher jobs."""
    count = rng.randint(4, 6)
    capacities = {f"R{r}": rng.randint(1, 3) for r in range(rng.randint(1, 2))}
    projects = (
        Project("P", weight=rng.randint(1, 3), due=rng.choice([None, 3, 5])),
        Project("Q", weight=rng.randint(1, 3)),
    )
    jobs = tuple(
        Job(
            key=f"J{i}",
            duration=rng.randint(0, 3),
            demands={r: rng.randint(0, capacity) for r, capacity in capacities.items()},
            project=rng.choice("PQ"),
            release=rng.choice([0, 0, 0, 1, 2]),
            planned_start=rng.randint(0, 4) if keep_plan else None,
        )
        for i in range(count)
    )
    links = tuple(
        Link(f"J{i}", f"J{j}", rng.choice(list(LinkKind)), rng.randint(-1, 2))
        for i in range(count)
        for j in range(i + 1, count)
        if rng.random() < 0.25
    )
    return Problem(jobs, capacities, links, projects, objective=objective, keep_plan=keep_plan)


def solve_exact(problem: Problem, **settings):
    instance = compile_problem(problem)
    return instance, exact_solve(instance, time_limit=TIME_LIMIT, workers=1, **settings)


@pytest.mark.parametrize("objective", list(Objective))
@pytest.mark.parametrize("seed", range(25))
def test_exact_proves_the_optimum_found_by_exhaustive_search(objective, seed):
    problem = random_problem(random.Random(seed), objective=objective)
    instance, outcome = solve_exact(problem)
    expected = brute_force(problem)
    assert outcome.status is Status.OPTIMAL
    assert outcome.objective == expected[0] == outcome.lower_bound
    assert check(instance, outcome.starts) == ()
    assert objective_value(instance, outcome.starts) == outcome.objective


@pytest.mark.parametrize("objective", list(Objective))
@pytest.mark.parametrize("seed", range(10))
def test_keep_plan_moves_as_few_jobs_as_exhaustive_search(objective, seed):
    problem = random_problem(random.Random(1000 + seed), objective=objective, keep_plan=True)
    instance, outcome = solve_exact(problem)
    best, moved, periods = brute_force(problem)
    assert outcome.status is Status.OPTIMAL and outcome.objective == best
    gaps = np.abs(outcome.starts - instance.planned)
    assert (int((gaps > 0).sum()), int(gaps.sum())) == (moved, periods)


@pytest.mark.parametrize("seed", range(10))
def test_level_exact_proves_the_optimum_with_the_heuristic_start(seed):
    problem = random_problem(random.Random(2000 + seed), objective=Objective.MAKESPAN)
    result = level(problem, method="exact", time_limit=TIME_LIMIT, workers=1)
    assert result.status is Status.OPTIMAL
    assert result.objective == brute_force(problem)[0] == result.lower_bound
    assert result.violations == () and result.gap == 0.0 and result.method == "exact"


def plan_problem(**fields) -> Problem:
    """Three jobs of 2 periods on one resource of capacity 1, A before C."""
    jobs = (
        Job("A", 2, {"R": 1}, planned_start=0),
        Job("B", 2, {"R": 1}, planned_start=2),
        Job("C", 2, {"R": 1}, planned_start=4),
    )
    return Problem(jobs, {"R": 1}, (Link("A", "C"),), **fields)


def test_keep_plan_leaves_an_optimal_plan_in_place():
    result = level(plan_problem(keep_plan=True), method="exact", time_limit=TIME_LIMIT, workers=1)
    assert result.status is Status.OPTIMAL and result.makespan == 6
    assert result.starts == {"A": 0, "B": 2, "C": 4}
    assert (result.moved, result.moved_periods) == (0, 0)


def test_keep_plan_moves_the_fewest_jobs_when_the_plan_overloads():
    jobs = (
        Job("A", 2, {"R": 1}, planned_start=0),
        Job("B", 2, {"R": 1}, planned_start=0),
        Job("C", 2, {"R": 1}, planned_start=4),
    )
    result = level(Problem(jobs, {"R": 1}, keep_plan=True), method="exact", time_limit=TIME_LIMIT, workers=1)
    assert result.makespan == 6 and result.status is Status.OPTIMAL
    assert (result.moved, result.moved_periods) == (1, 2)
    assert result.starts["C"] == 4 and sorted([result.starts["A"], result.starts["B"]]) == [0, 2]


def test_fixed_starts_and_releases_shape_the_optimum():
    jobs = (
        Job("A", 3, {"R": 2}, fixed_start=2),
        Job("B", 2, {"R": 1}, release=1),
        Job("C", 2, {"R": 1}),
    )
    instance, outcome = solve_exact(Problem(jobs, {"R": 2}))
    starts = instance.starts_of(outcome.starts)
    assert outcome.status is Status.OPTIMAL and outcome.objective == 7
    assert starts["A"] == 2 and check(instance, outcome.starts) == ()


def test_conflicting_fixed_starts_are_proven_infeasible():
    jobs = (Job("A", 3, {"R": 1}, fixed_start=0), Job("B", 2, {"R": 1}, fixed_start=1))
    _, outcome = solve_exact(Problem(jobs, {"R": 1}))
    assert outcome.status is Status.INFEASIBLE and outcome.starts is None


def test_deadlines_that_no_order_keeps_are_proven_infeasible():
    jobs = (Job("A", 3, {"R": 1}, deadline=4), Job("B", 3, {"R": 1}, deadline=4))
    _, outcome = solve_exact(Problem(jobs, {"R": 1}))
    assert outcome.status is Status.INFEASIBLE


def test_a_link_into_a_fixed_start_it_cannot_keep_is_infeasible_without_search():
    jobs = (Job("A", 3, fixed_start=0), Job("B", 1, fixed_start=2))
    _, outcome = solve_exact(Problem(jobs, {}, (Link("A", "B"),)))
    assert outcome.status is Status.INFEASIBLE


def test_an_upper_bound_below_the_optimum_leaves_the_outcome_unknown_with_a_bound_above_it():
    _, outcome = solve_exact(plan_problem(), upper_bound=5)
    assert outcome.status is Status.UNKNOWN and outcome.starts is None
    assert outcome.lower_bound == 6


def test_a_feasible_hint_is_kept_or_bettered_and_progress_reports_improvements():
    problem = plan_problem()
    instance = compile_problem(problem)
    reports = []
    hint = np.array([0, 6, 2], dtype=np.int64)  # A, C, B in array order: makespan 8
    assert objective_value(instance, hint) == 8 and check(instance, hint) == ()
    outcome = exact_solve(instance, time_limit=TIME_LIMIT, workers=1, hint=hint, progress=lambda *a: reports.append(a))
    assert outcome.status is Status.OPTIMAL and outcome.objective == 6
    assert reports and all(bound <= objective for objective, bound, _ in reports)
    objectives = [objective for objective, _, _ in reports]
    assert objectives == sorted(objectives, reverse=True) and objectives[-1] == 6


def test_an_empty_instance_is_trivially_optimal():
    _, outcome = solve_exact(Problem((), {"R": 1}))
    assert outcome.status is Status.OPTIMAL and outcome.objective == 0 and outcome.starts.shape == (0,)


def test_horizon_covers_releases_planned_starts_and_positive_offsets():
    jobs = (Job("A", 2, release=5), Job("B", 1, planned_start=9), Job("C", 0))
    links = (Link("A", "B", LinkKind.START_TO_START, 4), Link("C", "B", LinkKind.FINISH_TO_START, -3))
    assert horizon(compile_problem(Problem(jobs, {}, links))) == 9 + 4 + 1 + 0


@pytest.mark.parametrize(
    ("settings", "field"),
    [({"time_limit": 0}, "time_limit"), ({"time_limit": 1, "workers": 0}, "workers")],
)
def test_settings_are_checked(settings, field):
    with pytest.raises(InvalidInput) as error:
        exact_solve(compile_problem(plan_problem()), **settings)
    assert error.value.field == field


def test_a_hint_of_the_wrong_length_is_refused():
    with pytest.raises(InvalidInput, match="one start per job"):
        exact_solve(compile_problem(plan_problem()), time_limit=1, hint=np.zeros(2, dtype=np.int64))
