"""Invariants of :func:`pmo_engine.levelling.solve.level` on random problems (hypothesis).

Problems have links of all four kinds with lags from -2 to 3 (always from a lower to a higher job
number, so there is no cycle), releases, fixed starts and deadlines. Fixed starts and deadlines
are taken from a reference schedule built here job by job, so every problem has a schedule that
keeps every rule; the solvers may find a better one but never one that breaks a rule.
"""

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pmo_engine.levelling.check import check, lower_bound, objective_value
from pmo_engine.levelling.problem import Job, Link, LinkKind, Objective, Problem, Project, Status, compile_problem
from pmo_engine.levelling.solve import level

TIME_LIMIT = 5.0  # never reached on these sizes


def reference_schedule(durations, demands, capacities, releases, links):
    """Each job in number order at the first start that its release, its links from earlier jobs and
    the capacities allow; links only run from lower to higher numbers, so this always succeeds."""
    starts: list[int] = []
    load: dict[str, dict[int, int]] = {resource: {} for resource in capacities}
    for job, duration in enumerate(durations):
        start = releases[job]
        for before, after, kind, lag in links:
            if after == job:
                start = max(start, starts[before] + offset(kind, lag, durations[before], duration))
        while any(
            load[r].get(t, 0) + units > capacities[r]
            for r, units in demands[job].items()
            for t in range(start, start + duration)
        ):
            start += 1
        for r, units in demands[job].items():
            for t in range(start, start + duration):
                load[r][t] = load[r].get(t, 0) + units
        starts.append(start)
    return starts


def offset(kind: LinkKind, lag: int, before: int, after: int) -> int:
    return {
        LinkKind.FINISH_TO_START: before + lag,
        LinkKind.START_TO_START: lag,
        LinkKind.FINISH_TO_FINISH: before + lag - after,
        LinkKind.START_TO_FINISH: lag - after,
    }[kind]


@st.composite
def problems(draw, *, deadlines: bool = True):
    """A problem with a schedule that keeps every rule, and that schedule (starts by key)."""
    count = draw(st.integers(1, 7))
    capacities = {f"R{r}": draw(st.integers(1, 4)) for r in range(draw(st.integers(0, 2)))}
    durations = [draw(st.integers(0, 4)) for _ in range(count)]
    demands = [{r: draw(st.integers(0, capacity)) for r, capacity in capacities.items()} for _ in range(count)]
    releases = [draw(st.integers(0, 3)) for _ in range(count)]
    pairs = [(i, j) for i in range(count) for j in range(i + 1, count)]
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=8)) if pairs else []
    links = [(i, j, draw(st.sampled_from(list(LinkKind))), draw(st.integers(-2, 3))) for i, j in chosen]
    starts = reference_schedule(durations, demands, capacities, releases, links)
    projects = (Project("P", weight=draw(st.integers(1, 3)), due=draw(st.none() | st.integers(0, 8))), Project("Q"))
    jobs = []
    for i in range(count):
        finish = starts[i] + durations[i]
        jobs.append(
            Job(
                key=f"J{i}",
                duration=durations[i],
                demands=demands[i],
                project=draw(st.sampled_from("PQ")),
                release=releases[i],
                fixed_start=starts[i] if draw(st.integers(0, 4)) == 0 else None,
                deadline=finish + draw(st.integers(0, 2)) if deadlines and draw(st.integers(0, 3)) == 0 else None,
                planned_start=draw(st.none() | st.integers(0, 6)),
            )
        )
    problem = Problem(
        tuple(jobs),
        capacities,
        tuple(Link(f"J{i}", f"J{j}", kind, lag) for i, j, kind, lag in links),
        projects,
        objective=draw(st.sampled_from(list(Objective))),
        keep_plan=draw(st.booleans()),
    )
    return problem, {f"J{i}": start for i, start in enumerate(starts)}


def assert_keeps_every_rule(problem: Problem, result) -> None:
    instance = compile_problem(problem)
    array = np.array([result.starts[key] for key in instance.keys], dtype=np.int64)
    assert result.violations == () == check(instance, array)
    assert result.status in (Status.OPTIMAL, Status.FEASIBLE)
    assert set(result.starts) == {job.key for job in problem.jobs}
    for job in problem.jobs:
        if job.fixed_start is not None:
            assert result.starts[job.key] == job.fixed_start
    assert lower_bound(instance) <= result.lower_bound <= result.objective
    assert result.makespan == max((result.starts[j.key] + j.duration for j in problem.jobs), default=0)
    planned = [(result.starts[j.key], j.planned_start) for j in problem.jobs if j.planned_start is not None]
    assert result.moved == sum(1 for start, plan in planned if start != plan)
    assert result.moved_periods == sum(abs(start - plan) for start, plan in planned)


def reference_objective(problem: Problem, starts: dict[str, int]) -> int:
    instance = compile_problem(problem)
    return objective_value(instance, np.array([starts[key] for key in instance.keys], dtype=np.int64))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_exact_schedules_keep_every_rule_and_prove_their_optimum(case):
    problem, reference = case
    result = level(problem, method="exact", time_limit=TIME_LIMIT, workers=1)
    assert_keeps_every_rule(problem, result)
    assert result.status is Status.OPTIMAL and result.method == "exact"
    assert result.objective <= reference_objective(problem, reference)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(deadlines=False))
def test_heuristic_schedules_keep_every_rule(case):
    problem, _ = case
    result = level(problem, method="heuristic", schedules=200, seed=3)
    assert_keeps_every_rule(problem, result)
    assert result.method == "heuristic" and result.schedules >= 1


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_heuristic_schedules_with_deadlines_keep_every_rule_or_say_which_they_break(case):
    problem, _ = case
    result = level(problem, method="heuristic", schedules=200, seed=3)
    if result.violations:
        assert result.status is Status.UNKNOWN  # a schedule exists, so it is never proven infeasible
        assert result.violations[0].message in result.message
    else:
        assert_keeps_every_rule(problem, result)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(deadlines=False), st.integers(0, 3))
def test_the_same_seed_gives_the_same_heuristic_schedule(case, seed):
    problem, _ = case
    first = level(problem, method="heuristic", schedules=100, seed=seed)
    assert level(problem, method="heuristic", schedules=100, seed=seed).starts == first.starts
