"""Schedule checks: each kind of violation with its message, loads per period, objective values and bounds."""

import random

import numpy as np
import pytest

from pmo_engine.errors import InvalidInput, ScheduleError
from pmo_engine.levelling.check import (
    check,
    effective_dues,
    energy_bound,
    lower_bound,
    objective_value,
    project_finishes,
    resource_profile,
)
from pmo_engine.levelling.problem import Job, Link, LinkKind, Objective, Problem, Project, compile_problem
from pmo_engine.levelling.solve import resource_loads


def schedule(problem: Problem, starts: dict[str, int]) -> tuple:
    """The problem's instance and ``starts`` (by key) as its array."""
    instance = compile_problem(problem)
    return instance, np.array([starts[key] for key in instance.keys], dtype=np.int64)


def messages(violations, kind: str) -> list[str]:
    return [violation.message for violation in violations if violation.kind == kind]


def test_a_schedule_that_keeps_every_rule_has_no_violations():
    jobs = (Job("A", 2, {"R": 1}), Job("B", 2, {"R": 1}, release=1, deadline=6), Job("C", 1, fixed_start=0))
    instance, starts = schedule(Problem(jobs, {"R": 1}, (Link("A", "B"),)), {"A": 0, "B": 2, "C": 0})
    assert check(instance, starts) == ()


def test_each_maximal_run_of_overloaded_periods_is_one_violation_per_resource():
    jobs = (
        Job("A", 3, {"R": 1, "S": 2}),
        Job("B", 2, {"R": 2}),
        Job("C", 1, {"R": 1}),
        Job("D", 1, {"S": 1}),
        Job("E", 1, {"R": 2}),
        Job("F", 1, {"R": 1}),
    )
    problem = Problem(jobs, {"R": 2, "S": 2})
    instance, starts = schedule(problem, {"A": 0, "B": 1, "C": 2, "D": 2, "E": 6, "F": 6})
    found = messages(check(instance, starts), "capacity")
    assert found == [
        "Resource R is loaded with up to 4 units in periods 1 to 2, above its capacity of 2.",
        "Resource R is loaded with 3 units in period 6, above its capacity of 2.",
        "Resource S is loaded with 3 units in period 2, above its capacity of 2.",
    ]


@pytest.mark.parametrize(
    ("kind", "lag", "starts", "expected"),
    [
        (
            LinkKind.FINISH_TO_START,
            2,
            {"A": 0, "B": 4},
            "Link A → B (finish-to-start, lag 2): B must start at least 2 periods after A finishes, "
            "but starts 1 period after.",
        ),
        (
            LinkKind.START_TO_START,
            1,
            {"A": 3, "B": 1},
            "Link A → B (start-to-start, lag 1): B must start at least 1 period after A starts, "
            "but starts 2 periods before.",
        ),
        (
            LinkKind.FINISH_TO_FINISH,
            0,
            {"A": 2, "B": 0},
            "Link A → B (finish-to-finish, lag 0): B must finish no earlier than A finishes, "
            "but finishes 3 periods before.",
        ),
        (
            LinkKind.START_TO_FINISH,
            -2,
            {"A": 9, "B": 0},
            "Link A → B (start-to-finish, lag -2): B must finish no earlier than 2 periods before A starts, "
            "but finishes 7 periods before.",
        ),
    ],
)
def test_a_broken_link_names_both_jobs_the_gap_needed_and_the_gap_found(kind, lag, starts, expected):
    jobs = (Job("A", 3), Job("B", 2))
    instance, array = schedule(Problem(jobs, {}, (Link("A", "B", kind, lag),)), starts)
    assert [(v.kind, v.message) for v in check(instance, array)] == [("link", expected)]


def test_a_start_in_the_same_period_is_named_as_such():
    jobs = (Job("A", 3), Job("B", 2))
    instance, array = schedule(Problem(jobs, {}, (Link("A", "B", LinkKind.START_TO_START, 2),)), {"A": 1, "B": 1})
    assert check(instance, array)[0].message.endswith(
        "B must start at least 2 periods after A starts, but starts in the same period."
    )


def test_a_kept_link_with_a_negative_lag_is_no_violation():
    jobs = (Job("A", 3), Job("B", 2))
    instance, array = schedule(Problem(jobs, {}, (Link("A", "B", LinkKind.FINISH_TO_START, -2),)), {"A": 0, "B": 1})
    assert check(instance, array) == ()


def test_release_deadline_and_fixed_start_breaches_are_each_reported():
    jobs = (Job("A", 2, release=3), Job("B", 2, deadline=5), Job("C", 1, fixed_start=4))
    instance, starts = schedule(Problem(jobs, {}), {"A": 1, "B": 4, "C": 5})
    violations = check(instance, starts)
    assert messages(violations, "release") == ["Job A starts in period 1, before its release in period 3."]
    assert messages(violations, "deadline") == ["Job B finishes at period 6, after its deadline of period 5."]
    assert messages(violations, "fixed") == ["Job C starts in period 5, but its start is fixed at period 4."]
    assert len(violations) == 3


def test_a_start_before_period_zero_is_a_release_breach_and_loads_are_still_counted():
    jobs = (Job("A", 2, {"R": 1}), Job("B", 2, {"R": 1}))
    instance, starts = schedule(Problem(jobs, {"R": 1}), {"A": -1, "B": -1})
    violations = check(instance, starts)
    assert messages(violations, "capacity") == [
        "Resource R is loaded with 2 units in periods -1 to 0, above its capacity of 1."
    ]
    assert len(messages(violations, "release")) == 2


def test_zero_duration_jobs_load_nothing():
    jobs = (Job("A", 0, {"R": 5}), Job("B", 1, {"R": 5}))
    instance, starts = schedule(Problem(jobs, {"R": 5}), {"A": 0, "B": 0})
    assert check(instance, starts) == ()
    assert resource_profile(instance, starts).tolist() == [[5]]


def test_starts_of_the_wrong_shape_or_type_are_refused():
    instance = compile_problem(Problem((Job("A", 1),), {}))
    with pytest.raises(InvalidInput, match="one start per job"):
        check(instance, np.zeros(2, dtype=np.int64))
    with pytest.raises(InvalidInput, match="whole numbers"):
        check(instance, np.zeros(1))
    with pytest.raises(InvalidInput, match="before period 0"):
        resource_profile(instance, np.array([-1]))


@pytest.mark.parametrize("seed", range(20))
def test_resource_profile_matches_loads_counted_period_by_period(seed):
    rng = random.Random(seed)
    capacities = {f"R{r}": 10 for r in range(rng.randint(1, 3))}
    jobs = tuple(
        Job(f"J{i}", rng.randint(0, 5), {r: rng.randint(0, 3) for r in capacities}) for i in range(rng.randint(1, 12))
    )
    instance = compile_problem(Problem(jobs, capacities))
    starts = np.array([rng.randint(0, 10) for _ in jobs], dtype=np.int64)
    profile = resource_profile(instance, starts)
    end = int((starts + instance.duration).max())
    expected = np.zeros((len(capacities), end), dtype=np.int64)
    for i in range(instance.size):
        for t in range(starts[i], starts[i] + instance.duration[i]):
            expected[:, t] += instance.demand[i]
    assert profile.shape == expected.shape
    assert (profile == expected).all()


def test_resource_loads_by_key():
    problem = Problem((Job("A", 2, {"R": 1, "S": 2}), Job("B", 1, {"R": 2})), {"R": 3, "S": 2})
    loads = resource_loads(problem, {"A": 0, "B": 1})
    assert {key: value.tolist() for key, value in loads.items()} == {"R": [1, 3], "S": [2, 2]}
    with pytest.raises(ScheduleError, match="no start for job B"):
        resource_loads(problem, {"A": 0})
    with pytest.raises(ScheduleError, match="unknown job C"):
        resource_loads(problem, {"A": 0, "B": 1, "C": 2})


def portfolio(**fields) -> Problem:
    jobs = (
        Job("A", 4, {"R": 1}, project="P"),
        Job("B", 3, {"R": 1}, project="P"),
        Job("C", 2, {"R": 1}, project="Q", release=1),
    )
    projects = (Project("P", weight=3, due=5), Project("Q", weight=2))
    return Problem(jobs, {"R": 1}, (Link("A", "B"),), projects, **fields)


def test_weighted_delay_counts_from_the_due_date_or_the_critical_path():
    problem = portfolio(objective=Objective.WEIGHTED_DELAY)
    instance, starts = schedule(problem, {"A": 0, "B": 4, "C": 7})
    assert effective_dues(instance).tolist() == [5, 3]  # Q has no due date: its critical path ends at 3
    assert project_finishes(instance, starts).tolist() == [7, 9]
    assert objective_value(instance, starts) == 3 * 2 + 2 * 6
    assert lower_bound(instance) == 3 * 2  # P's critical path alone finishes at 7


def test_the_makespan_bound_takes_the_larger_of_critical_path_and_energy():
    instance = compile_problem(portfolio())
    assert instance.critical_path_bound() == 7
    assert energy_bound(instance, instance.earliest_starts()) == 9  # 9 unit-periods on one unit from period 0
    assert lower_bound(instance) == 9


def test_the_energy_bound_counts_only_jobs_that_cannot_start_earlier():
    jobs = (Job("A", 1, {"R": 2}), Job("B", 4, {"R": 2}, release=5), Job("C", 4, {"R": 2}, release=5))
    instance = compile_problem(Problem(jobs, {"R": 2}))
    assert lower_bound(instance) == 5 + 8


def test_an_empty_problem_has_a_zero_bound_and_objective():
    instance = compile_problem(Problem((), {"R": 1}, objective=Objective.WEIGHTED_DELAY))
    empty = np.zeros(0, dtype=np.int64)
    assert lower_bound(instance) == 0 and objective_value(instance, empty) == 0 and check(instance, empty) == ()
