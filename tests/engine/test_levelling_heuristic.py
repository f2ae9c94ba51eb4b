"""The levelling heuristic: every schedule keeps the rules, the search is reproducible, and it
finds known optima, on small instances written here."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pmo_engine.errors import InvalidInput
from pmo_engine.levelling.heuristic import HeuristicOutcome, heuristic_starts
from pmo_engine.levelling.problem import Instance, Job, Link, LinkKind, Objective, Problem, Project, compile_problem


def broken_rules(
    instance: Instance, starts: np.ndarray, *, deadlines: bool = True, only_capacity: bool = False
) -> list[str]:
    """Every rule the schedule breaks, checked directly from the instance's arrays."""
    broken = []
    ends = starts + instance.duration
    for period in range(int(ends.max(initial=0))):
        running = (starts <= period) & (period < ends)
        if (instance.demand[running].sum(axis=0) > instance.capacity).any():
            broken.append(f"period {period}")
    if only_capacity:
        return broken
    for before, after, offset in instance.arcs.tolist():
        if starts[after] < starts[before] + offset:
            broken.append(f"link {instance.keys[before]} -> {instance.keys[after]}")
    for job in range(instance.size):
        key = instance.keys[job]
        if instance.fixed[job] >= 0 and starts[job] != instance.fixed[job]:
            broken.append(f"{key} left its fixed start")
        if instance.fixed[job] < 0 and starts[job] < instance.release[job]:
            broken.append(f"{key} starts before its release")
        if deadlines and instance.deadline[job] >= 0 and ends[job] > instance.deadline[job]:
            broken.append(f"{key} misses its deadline")
    return broken


def makespan(instance: Instance, starts: np.ndarray) -> int:
    return int((starts + instance.duration).max(initial=0))


def solve(problem: Problem, **settings_) -> tuple[Instance, HeuristicOutcome, dict[str, int]]:
    instance = compile_problem(problem)
    outcome = heuristic_starts(instance, **settings_)
    return instance, outcome, instance.starts_of(outcome.starts)


def packing_problem() -> Problem:
    """Six jobs on one resource of 2 units whose work (18 unit-periods) fills 9 periods exactly,
    while the links alone allow 5: the optimum is 9, reached only by packing both units without gap
    (2, then 1 and 3 side by side, then 6 beside 5, then 4)."""
    jobs = (
        Job("1", 4, {"crew": 1}),
        Job("2", 2, {"crew": 2}),
        Job("3", 3, {"crew": 1}),
        Job("4", 1, {"crew": 2}),
        Job("5", 3, {"crew": 1}),
        Job("6", 2, {"crew": 1}),
    )
    links = (Link("1", "4"), Link("2", "5"), Link("3", "6"))
    return Problem(jobs=jobs, capacities={"crew": 2}, links=links)


def random_problem(seed: int, size: int = 30, resources: int = 3) -> Problem:
    """A random network (links forward in key order) with tight capacities."""
    rng = np.random.default_rng(seed)
    jobs = tuple(
        Job(
            f"J{i}",
            int(rng.integers(0, 8)),
            {f"R{r}": int(rng.integers(1, 5)) for r in range(resources) if rng.random() < 0.6},
        )
        for i in range(size)
    )
    links = tuple(Link(f"J{a}", f"J{b}") for b in range(1, size) for a in rng.choice(b, size=min(b, 2), replace=False))
    return Problem(jobs=jobs, capacities={f"R{r}": 5 for r in range(resources)}, links=links)


def test_the_packing_instance_is_solved_to_its_optimum():
    instance, outcome, starts = solve(packing_problem(), schedules=500)
    assert instance.critical_path_bound() == 5
    assert outcome.objective == makespan(instance, outcome.starts) == 9
    assert outcome.feasible
    assert broken_rules(instance, outcome.starts) == []
    assert starts["2"] == 0 and starts["4"] == 8


def test_the_same_seed_gives_the_same_schedule():
    instance = compile_problem(random_problem(1))
    first = heuristic_starts(instance, schedules=300, seed=7)
    second = heuristic_starts(instance, schedules=300, seed=7)
    assert first.starts.tolist() == second.starts.tolist()
    assert first.objective == second.objective
    assert first.schedules == second.schedules == 300


def test_more_schedules_never_give_a_worse_makespan_on_the_same_seed():
    instance = compile_problem(random_problem(2, size=40))
    objectives = [heuristic_starts(instance, schedules=budget, seed=3).objective for budget in (1, 10, 100, 400, 1500)]
    assert objectives == sorted(objectives, reverse=True)
    assert objectives[-1] < objectives[0]


@pytest.mark.parametrize("budget", [1, 2, 3, 5, 59])
def test_budgets_below_one_population_still_give_a_valid_schedule(budget):
    instance = compile_problem(random_problem(3))
    outcome = heuristic_starts(instance, schedules=budget)
    assert outcome.schedules == budget
    assert outcome.objective == makespan(instance, outcome.starts)
    assert broken_rules(instance, outcome.starts) == []


def test_fixed_jobs_keep_their_start_and_hold_their_resources():
    problem = Problem(
        jobs=(
            Job("site", 3, {"crane": 2}, fixed_start=2),
            Job("a", 2, {"crane": 1}),
            Job("b", 2, {"crane": 1}),
            Job("c", 4, {"crane": 2}),
            Job("d", 1),
        ),
        capacities={"crane": 2},
        links=(Link("site", "d"), Link("a", "c")),
    )
    instance, outcome, starts = solve(problem, schedules=200)
    assert starts["site"] == 2
    assert starts["d"] >= 5
    assert broken_rules(instance, outcome.starts) == []
    assert outcome.feasible
    assert outcome.objective == 9  # a and b before the site, c after it


def test_releases_are_kept():
    problem = Problem(
        jobs=(Job("a", 2, {"r": 1}, release=4), Job("b", 3, {"r": 1}, release=1), Job("c", 1, {"r": 1})),
        capacities={"r": 1},
        links=(Link("c", "a"),),
    )
    instance, outcome, starts = solve(problem, schedules=100)
    assert starts["a"] >= 4 and starts["b"] >= 1
    assert broken_rules(instance, outcome.starts) == []
    assert outcome.objective == 6  # c at 0, b from its release 1 to 4, a from its release 4 to 6


def test_every_link_kind_and_negative_lags_are_kept():
    jobs = tuple(Job(k, d, {"r": 1}) for k, d in (("a", 4), ("b", 3), ("c", 2), ("d", 5), ("e", 2)))
    links = (
        Link("a", "b", LinkKind.START_TO_START, 1),
        Link("a", "c", LinkKind.FINISH_TO_FINISH, -1),
        Link("b", "d", LinkKind.START_TO_FINISH, 2),
        Link("c", "e", LinkKind.FINISH_TO_START, -3),
    )
    instance, outcome, _ = solve(Problem(jobs=jobs, capacities={"r": 2}, links=links), schedules=300)
    assert (instance.arcs[:, 2] < 0).any()
    assert broken_rules(instance, outcome.starts) == []
    # 16 unit-periods on 2 units need 8 periods; these links allow no less than 9 (every start
    # below 12 enumerated), e.g. a 0, b 1, c 4, d 4, e 6.
    assert outcome.objective == makespan(instance, outcome.starts) == 9


def test_zero_duration_jobs_hold_nothing():
    problem = Problem(
        jobs=(Job("start", 0, {"r": 3}), Job("a", 2, {"r": 3}), Job("gate", 0, {"r": 3}), Job("b", 2, {"r": 3})),
        capacities={"r": 3},
        links=(Link("start", "a"), Link("a", "gate"), Link("gate", "b")),
    )
    _, outcome, starts = solve(problem, schedules=50)
    assert starts == {"start": 0, "a": 0, "gate": 2, "b": 2}
    assert outcome.objective == 4


def test_empty_and_single_job_instances():
    empty = heuristic_starts(compile_problem(Problem(jobs=(), capacities={})))
    assert empty.starts.shape == (0,) and empty.objective == 0 and empty.feasible
    _, outcome, starts = solve(Problem(jobs=(Job("a", 3, {"r": 1}, release=2),), capacities={"r": 1}))
    assert starts == {"a": 2} and outcome.objective == 5 and outcome.feasible


def test_a_reachable_deadline_is_kept():
    problem = Problem(
        jobs=(Job("long", 6, {"r": 1}), Job("short", 1, {"r": 1}), Job("urgent", 2, {"r": 1}, deadline=2)),
        capacities={"r": 1},
    )
    instance, outcome, starts = solve(problem, schedules=200)
    assert outcome.feasible
    assert starts["urgent"] == 0
    assert broken_rules(instance, outcome.starts) == []


def test_an_unreachable_deadline_is_reported():
    problem = Problem(
        jobs=(Job("a", 3, {"r": 1}, deadline=3), Job("b", 3, {"r": 1}, deadline=3)),
        capacities={"r": 1},
    )
    instance, outcome, _ = solve(problem, schedules=50)
    assert not outcome.feasible
    assert broken_rules(instance, outcome.starts, deadlines=False) == []
    assert outcome.objective == 6


def test_a_link_into_a_fixed_job_that_cannot_be_kept_is_reported():
    problem = Problem(
        jobs=(Job("started", 2, fixed_start=1), Job("before", 3)),
        capacities={},
        links=(Link("before", "started"),),
    )
    _, outcome, starts = solve(problem, schedules=20)
    assert starts["started"] == 1
    assert not outcome.feasible


def test_fixed_jobs_that_overload_a_resource_are_reported():
    problem = Problem(
        jobs=(Job("x", 3, {"r": 2}, fixed_start=0), Job("y", 3, {"r": 2}, fixed_start=1), Job("z", 2, {"r": 1})),
        capacities={"r": 3},
    )
    instance, outcome, starts = solve(problem, schedules=50)
    assert not outcome.feasible
    assert starts["z"] == 3  # the first two periods in a row where the fixed jobs leave a unit free
    assert broken_rules(instance, outcome.starts) == ["period 1", "period 2"]


def test_weighted_delay_favours_the_heavier_project():
    jobs = tuple(
        Job(f"{project}{i}", 3, {"crew": 1}, project=project) for project in ("light", "heavy") for i in range(3)
    )
    links = tuple(Link(f"{p}{i}", f"{p}{i + 1}") for p in ("light", "heavy") for i in range(2))
    problem = Problem(
        jobs=jobs,
        capacities={"crew": 1},
        links=links,
        projects=(Project("light", weight=1, due=9), Project("heavy", weight=5, due=9)),
        objective=Objective.WEIGHTED_DELAY,
    )
    instance, outcome, starts = solve(problem, schedules=300)
    assert [starts[f"heavy{i}"] for i in range(3)] == [0, 3, 6]
    assert outcome.objective == 9  # the light project finishes at 18, 9 periods late, weight 1
    assert broken_rules(instance, outcome.starts) == []


def test_weighted_delay_counts_from_the_critical_path_without_a_due_date():
    problem = Problem(
        jobs=(Job("a", 2, {"r": 1}, project="p"), Job("b", 2, {"r": 1}, project="q")),
        capacities={"r": 1},
        projects=(Project("p", weight=3), Project("q", weight=1)),
        objective=Objective.WEIGHTED_DELAY,
    )
    _, outcome, starts = solve(problem, schedules=50)
    assert starts == {"a": 0, "b": 2}
    assert outcome.objective == 2


def test_keep_plan_leaves_a_feasible_plan_of_best_makespan_alone():
    jobs = (
        Job("a", 4, {"r": 1}, planned_start=0),
        Job("b", 2, {"r": 1}, planned_start=0),
        Job("c", 1, {"r": 1}, planned_start=2),  # could start at 0 too: the plan keeps it at 2
        Job("d", 2, {"r": 2}, planned_start=4),
    )
    problem = Problem(jobs=jobs, capacities={"r": 2}, links=(Link("a", "d"),), keep_plan=True)
    _, outcome, starts = solve(problem, schedules=200)
    assert starts == {"a": 0, "b": 0, "c": 2, "d": 4}
    assert outcome.objective == 6


def test_keep_plan_moves_as_few_jobs_as_it_can():
    jobs = tuple(Job(f"j{i}", 2, {"r": 1}, planned_start=0) for i in range(3))
    problem = Problem(jobs=jobs, capacities={"r": 2}, keep_plan=True)
    instance, outcome, _ = solve(problem, schedules=200)
    assert outcome.objective == 4
    assert int((outcome.starts != instance.planned).sum()) == 1
    assert broken_rules(instance, outcome.starts) == []


def test_a_time_limit_stops_the_search_with_a_valid_schedule():
    instance = compile_problem(random_problem(4, size=300, resources=4))
    outcome = heuristic_starts(instance, schedules=10**8, time_limit=0.05)
    assert 1 <= outcome.schedules < 10**8
    assert broken_rules(instance, outcome.starts) == []


def test_a_schedule_at_the_bound_ends_the_search():
    instance, outcome, _ = solve(packing_problem(), schedules=500)
    stopped = heuristic_starts(instance, schedules=10**6, stop_at=outcome.objective)
    assert stopped.objective == outcome.objective and stopped.feasible
    assert stopped.schedules < 10**6
    never = heuristic_starts(instance, schedules=2000, stop_at=outcome.objective - 1)
    assert never.schedules == 2000  # nothing reaches a value below the optimum: the whole budget runs


def test_patience_ends_a_search_that_stopped_improving():
    instance = compile_problem(random_problem(2, size=40))
    patient = heuristic_starts(instance, schedules=10**6, seed=3, patience=2000)
    assert patient.schedules < 10**6
    assert broken_rules(instance, patient.starts) == []
    assert patient.objective <= heuristic_starts(instance, schedules=1500, seed=3).objective


@pytest.mark.parametrize(
    ("settings_", "field"),
    [
        ({"schedules": 0}, "schedules"),
        ({"schedules": 2.5}, "schedules"),
        ({"seed": -1}, "seed"),
        ({"time_limit": 0}, "time_limit"),
        ({"time_limit": -1.0}, "time_limit"),
    ],
)
def test_settings_are_checked(settings_, field):
    with pytest.raises(InvalidInput) as raised:
        heuristic_starts(compile_problem(packing_problem()), **settings_)
    assert raised.value.field == field


@st.composite
def problems(draw):
    """Small problems with every feature: link kinds and lags, releases, deadlines, fixed and
    planned starts, projects with weights and due dates, either objective."""
    size = draw(st.integers(1, 12))
    resources = draw(st.integers(0, 2))
    capacities = {f"R{r}": draw(st.integers(1, 4)) for r in range(resources)}
    projects = tuple(
        Project(key, weight=draw(st.integers(1, 5)), due=draw(st.one_of(st.none(), st.integers(0, 20))))
        for key in ("P", "Q")
    )
    jobs = []
    for i in range(size):
        duration, release = draw(st.integers(0, 5)), draw(st.integers(0, 4))
        rare = draw(st.integers(0, 5)) == 0
        jobs.append(
            Job(
                f"J{i}",
                duration,
                {key: draw(st.integers(0, units)) for key, units in capacities.items()},
                project=draw(st.sampled_from(["P", "Q"])),
                release=release,
                deadline=release + duration + draw(st.integers(0, 12)) if rare else None,
                fixed_start=draw(st.integers(0, 10)) if draw(st.integers(0, 5)) == 0 else None,
                planned_start=draw(st.one_of(st.none(), st.integers(0, 15))),
            )
        )
    links = [
        Link(f"J{before}", f"J{after}", draw(st.sampled_from(list(LinkKind))), draw(st.integers(-3, 3)))
        for after in range(1, size)
        for before in draw(st.sets(st.integers(0, after - 1), max_size=2))
    ]
    return Problem(
        jobs=tuple(jobs),
        capacities=capacities,
        links=tuple(links),
        projects=projects,
        objective=draw(st.sampled_from(list(Objective))),
        keep_plan=draw(st.booleans()),
    )


def weighted_delay(instance: Instance, starts: np.ndarray) -> int:
    """The sum over projects of weight times the periods the last job finishes after the due date
    (the finish of the project's critical path when it has none)."""
    ends, critical_ends = starts + instance.duration, instance.earliest_starts() + instance.duration
    total = 0
    for p, weight in enumerate(instance.project_weight.tolist()):
        mine = instance.project == p
        if mine.any():
            due = instance.project_due[p] if instance.project_due[p] >= 0 else critical_ends[mine].max()
            total += weight * max(0, int(ends[mine].max()) - int(due))
    return total


def fixed_overloads(instance: Instance) -> list[str]:
    """The capacity breaches of the fixed jobs alone."""
    fixed = instance.fixed >= 0
    starts = np.where(fixed, instance.fixed, -(10**6))  # free jobs out of the way, before period 0
    return broken_rules(instance, starts, deadlines=False, only_capacity=True)


@settings(max_examples=100, deadline=None)
@given(problems(), st.integers(1, 150), st.integers(0, 3))
def test_random_problems_get_schedules_that_keep_every_rule(problem, budget, seed):
    instance = compile_problem(problem)
    outcome = heuristic_starts(instance, schedules=budget, seed=seed)
    fixed = instance.fixed >= 0
    assert outcome.starts[fixed].tolist() == instance.fixed[fixed].tolist()
    if outcome.feasible:
        assert broken_rules(instance, outcome.starts) == []
    else:  # only what the fixed jobs and deadlines force: capacities the fixed jobs alone break,
        # links into fixed jobs, deadlines
        broken = broken_rules(instance, outcome.starts, deadlines=False)
        capacity = [rule for rule in broken if rule.startswith("period")]
        into_fixed = [
            rule
            for rule in broken
            if rule.startswith("link") and rule.split(" -> ")[1] in {instance.keys[j] for j in np.flatnonzero(fixed)}
        ]
        assert set(capacity) <= set(fixed_overloads(instance))
        assert len(capacity) + len(into_fixed) == len(broken)
    expected = makespan if problem.objective == Objective.MAKESPAN else weighted_delay
    assert outcome.objective == expected(instance, outcome.starts)
    assert 1 <= outcome.schedules <= budget
