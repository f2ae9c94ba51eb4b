"""Rebalancing: hand-worked cases whose best plan is known, the eligibility rules, input checks,
and properties checked against overload counted the slow way, one cell at a time.

Every call uses one CP-SAT worker so that the plan does not change from run to run. Unless said
otherwise a person has 40 h of capacity in each period.
"""

import dataclasses
import math
import random
import subprocess
import sys
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import pmo_engine
from pmo_engine.capacity import (
    CapacityResource,
    DemandItem,
    PeriodGrid,
    RebalanceItem,
    RebalanceResource,
    RebalanceStatus,
    analyse_capacity,
    propose_rebalancing,
    rebalance_inputs,
)
from pmo_engine.capacity.rebalance.candidates import candidate_moves, greedy_moves, load_arrays
from pmo_engine.capacity.rebalance.plan import _without_idle_moves
from pmo_engine.errors import InvalidInput

MONDAY = date(2025, 3, 3)
TOLERANCE = 1e-6


def person(key, skills=(), capacity=(40.0, 40.0), fixed=()):
    return RebalanceResource(key, capacity, dict(skills), fixed_demand_hours=fixed)


def item(key, resource_key, hours, skill=None, level=1, **fields):
    return RebalanceItem(key, resource_key, hours, required_skill=skill, minimum_proficiency=level, **fields)


def solve(resources, items, **settings_):
    return propose_rebalancing(resources, items, num_workers=1, **{"max_time_seconds": 10.0, **settings_})


# The slow way


def overload_by_resource(resources, items, threshold=1.0):
    """Hours above threshold * capacity, summed per resource over its periods, one cell at a time."""
    result = {}
    for resource in resources:
        total = 0.0
        for period, capacity in enumerate(resource.capacity_hours):
            load = resource.fixed_demand_hours[period]
            load += sum(work.hours[period] for work in items if work.resource_key == resource.key)
            excess = load - threshold * capacity
            total += excess if excess > TOLERANCE else 0.0
        result[resource.key] = total
    return result


def total_overload(resources, items, threshold=1.0):
    return sum(overload_by_resource(resources, items, threshold).values())


def applied(items, moves):
    """The items with the moves made (every move must start where its item is)."""
    target = {move.item_key: move for move in moves}
    for move in moves:
        assert any(work.key == move.item_key and work.resource_key == move.from_resource_key for work in items)
    return [
        dataclasses.replace(work, resource_key=target[work.key].to_resource_key) if work.key in target else work
        for work in items
    ]


def moved_to(plan):
    return {move.item_key: move.to_resource_key for move in plan.moves}


# A case whose best plan is known


def three_people():
    """Ann carries 70 h a period against 40: 30 h over in each of two periods. Only a1 (python 2)
    and a2 (sql 2) can move: a3 names no skill, a4 needs python 5, which nobody holds. Bob (python
    4) has exactly 20 h free and Cleo (sql 3) exactly 10 h; Dan holds python at 1 only, with all
    his time free. Moving a1 to Bob and a2 to Cleo removes all 60 h of overload, and no single
    move can (no movable item has 30 h a period): two moves is the least."""
    resources = [
        person("ann", {"python": 5, "sql": 1}),
        person("bob", {"python": 4}),
        person("cleo", {"sql": 3}, fixed=(30.0, 30.0)),
        person("dan", {"python": 1}),
    ]
    items = [
        item("a1", "ann", (20.0, 20.0), "python", 2, label="Build API"),
        item("a2", "ann", (10.0, 10.0), "sql", 2),
        item("a3", "ann", (25.0, 25.0)),
        item("a4", "ann", (15.0, 15.0), "python", 5),
        item("b1", "bob", (20.0, 20.0), "python", 1),
    ]
    return resources, items


def test_a_plan_removing_all_overload_with_the_fewest_moves():
    resources, items = three_people()
    plan = solve(resources, items)
    assert plan.status is RebalanceStatus.OPTIMAL
    assert plan.is_optimal
    assert moved_to(plan) == {"a1": "bob", "a2": "cleo"}
    assert plan.overload_before_hours == 60.0
    assert plan.overload_after_hours == 0.0
    assert plan.overload_bound_hours == 0.0
    assert plan.moved_hours == 60.0
    after = applied(items, plan.moves)
    assert overload_by_resource(resources, after) == {"ann": 0.0, "bob": 0.0, "cleo": 0.0, "dan": 0.0}
    for resource in resources:  # nobody is over capacity in any period
        for period, capacity in enumerate(resource.capacity_hours):
            load = resource.fixed_demand_hours[period]
            load += sum(work.hours[period] for work in after if work.resource_key == resource.key)
            assert load <= capacity
    assert [(o.resource_key, o.before_hours, o.after_hours) for o in plan.resource_overloads] == [("ann", 60.0, 0.0)]
    assert plan.movable_item_count == 2  # a1 and a2
    assert plan.candidate_count == 2  # Bob for a1, Cleo for a2


def test_each_move_explains_itself_in_words_and_numbers():
    resources, items = three_people()
    plan = solve(resources, items, period_labels=("W10", "W11"))
    build_api = plan.moves[0]
    assert (build_api.item_key, build_api.item_label, build_api.hours) == ("a1", "Build API", 40.0)
    # Alone, the move takes Ann from 70 to 50 h a period (30 to 10 over) and Bob from 20 to 40 (still not over).
    assert build_api.overload_removed_hours == 40.0
    assert build_api.reason == (
        "Moves 40.0 h of 'Build API' from ann (up to 175 % loaded in W10 to W11) to bob (holds python at level 4; "
        "50 % loaded over the item's periods, 100 % loaded with it); on its own this removes 40.0 h of overload."
    )
    assert plan.moves[1].overload_removed_hours == 20.0
    assert "to cleo (holds sql at level 3; 75 % loaded" in plan.moves[1].reason


def test_among_equally_good_moves_the_fewer_hours_move():
    # Ann is 20 h over in each period; moving i1 (30 h a period) or i2 (20 h) to Bob both remove it all.
    resources = [person("ann", {"py": 3}), person("bob", {"py": 3})]
    items = [item("i1", "ann", (30.0, 30.0), "py"), item("i2", "ann", (20.0, 20.0), "py"), item("i3", "ann", (10, 10))]
    plan = solve(resources, items)
    assert moved_to(plan) == {"i2": "bob"}
    assert plan.overload_after_hours == 0.0


def test_overload_that_cannot_all_go_is_reduced_as_far_as_it_can():
    # Ann: 30 + 31 = 61 h against 40, 21 over in each period (42). Bob has 25 h free, Cleo 10.
    # a1 to Bob leaves Ann at 31 and Bob 5 over: 10 in all. a2 to Bob: Bob 6 over, 12. To Cleo:
    # 20 or more over there, no better than now. Both moves: worse. So the best is a1 to Bob, 10 h.
    resources = [
        person("ann", {"py": 3}),
        person("bob", {"py": 3}, fixed=(15.0, 15.0)),
        person("cleo", {"py": 3}, fixed=(30.0, 30.0)),
    ]
    items = [item("a1", "ann", (30.0, 30.0), "py"), item("a2", "ann", (31.0, 31.0), "py")]
    plan = solve(resources, items)
    assert plan.status is RebalanceStatus.OPTIMAL
    assert moved_to(plan) == {"a1": "bob"}
    assert plan.overload_before_hours == 42.0
    assert plan.overload_after_hours == pytest.approx(10.0)
    assert plan.overload_bound_hours == pytest.approx(10.0)
    assert plan.moves[0].overload_removed_hours == pytest.approx(32.0)
    assert total_overload(resources, applied(items, plan.moves)) == pytest.approx(10.0)


def test_the_overload_threshold_is_honoured():
    # At 80 % Ann (35 h of 40) is 3 h over each period and Bob (20 h) has 12 h to spare below it.
    resources = [person("ann", {"py": 3}), person("bob", {"py": 3}, fixed=(20.0, 20.0))]
    items = [item("a1", "ann", (25.0, 25.0)), item("a2", "ann", (10.0, 10.0), "py")]
    assert solve(resources, items).status is RebalanceStatus.NO_OVERLOAD
    plan = solve(resources, items, overload_threshold=0.8)
    assert moved_to(plan) == {"a2": "bob"}
    assert (plan.overload_before_hours, plan.overload_after_hours) == (pytest.approx(6.0), 0.0)


# Eligibility


@pytest.mark.parametrize(
    ("skills", "expected"),
    [
        ({"python": 3}, {}),  # below the minimum level
        ({"java": 5}, {}),  # another skill
        ({"python": 4}, {"x": "bob"}),  # the minimum level is enough
        ({"python": 5, "java": 1}, {"x": "bob"}),
    ],
)
def test_an_item_goes_only_to_someone_holding_its_skill_at_its_level(skills, expected):
    resources = [person("ann", {"python": 5}), person("bob", skills)]
    items = [item("x", "ann", (30.0, 30.0), "python", 4), item("y", "ann", (20.0, 20.0))]
    plan = solve(resources, items)
    assert moved_to(plan) == expected
    assert plan.status is (RebalanceStatus.OPTIMAL if expected else RebalanceStatus.NO_IMPROVEMENT)
    assert plan.overload_after_hours == (0.0 if expected else 20.0)


def test_fixed_items_and_items_naming_no_skill_never_move():
    resources = [person("ann", {"py": 5}), person("bob", {"py": 5}), person("cleo", {"py": 5})]
    items = [
        item("fixed", "ann", (30.0, 30.0), "py", is_fixed=True),
        item("no-skill", "ann", (30.0, 30.0)),
    ]
    plan = solve(resources, items)
    assert plan.status is RebalanceStatus.NO_IMPROVEMENT
    assert plan.is_optimal
    assert plan.moves == ()
    assert plan.movable_item_count == 0
    assert plan.overload_before_hours == plan.overload_after_hours == 40.0


def test_nobody_gets_an_item_in_periods_where_they_have_no_capacity():
    # Bob's contract ends after period 1; the item needs hours in period 2 too.
    resources = [person("ann", {"py": 3}), person("bob", {"py": 3}, capacity=(40.0, 0.0))]
    items = [item("a1", "ann", (30.0, 30.0), "py"), item("a2", "ann", (20.0, 20.0))]
    plan = solve(resources, items)
    assert plan.moves == ()
    # Only period 1's hours, where Bob has time: the move helps and is proposed.
    items[0] = item("a1", "ann", (30.0, 0.0), "py")
    assert moved_to(solve(resources, items)) == {"a1": "bob"}


def test_only_overloaded_people_give_work_away_and_only_where_it_relieves_them():
    # Ann is 10 h over in period 1 only. Bob is busy but not over: his b1 stays, and a1 goes to Cleo.
    resources = [person("ann", {"py": 3}), person("bob", {"py": 3}), person("cleo", {"py": 3})]
    items = [
        item("a1", "ann", (20.0, 20.0), "py"),
        item("a2", "ann", (30.0, 10.0)),
        item("a3", "ann", (0.0, 5.0), "py"),  # no hours in the overloaded period: moving it cannot help
        item("b1", "bob", (39.0, 39.0), "py"),
    ]
    plan = solve(resources, items)
    assert moved_to(plan) == {"a1": "cleo"}
    assert plan.movable_item_count == 1


def test_a_move_that_would_help_only_in_a_chain_is_not_proposed():
    # Ann's x (skill a) fits only on Bob, who is full; Bob's y (skill b) would fit on Cleo. Moving
    # both would remove all overload, but x on its own would overload Bob as much as it relieves
    # Ann, and Bob is not overloaded, so y is not considered: each proposal must stand alone.
    resources = [
        person("ann", {"a": 3}, capacity=(40.0,)),
        person("bob", {"a": 3}, capacity=(40.0,)),
        person("cleo", {"b": 3}, capacity=(40.0,)),
    ]
    items = [item("x", "ann", (10.0,), "a"), item("a0", "ann", (40.0,)), item("y", "bob", (40.0,), "b")]
    plan = solve(resources, items)
    assert plan.moves == ()
    assert plan.status is RebalanceStatus.NO_IMPROVEMENT


def test_max_candidates_keeps_the_people_with_the_most_spare_hours():
    resources = [
        person("ann", {"py": 3}),
        person("bob", {"py": 3}, fixed=(25.0, 25.0)),  # 15 h spare a period
        person("cleo", {"py": 3}, fixed=(10.0, 10.0)),  # 30 h spare
        person("dan", {"py": 3}, fixed=(20.0, 20.0)),  # 20 h spare
    ]
    items = [item("a1", "ann", (10.0, 10.0), "py"), item("a2", "ann", (40.0, 40.0))]
    plan = solve(resources, items, max_candidates=1)
    assert moved_to(plan) == {"a1": "cleo"}
    assert plan.candidate_count == 1
    assert solve(resources, items).candidate_count == 3


# No overload, determinism, inputs from a capacity analysis


def test_a_time_limit_too_short_for_the_solver_still_gives_the_greedy_plan():
    resources, items = three_people()
    plan = solve(resources, items, max_time_seconds=1e-6)
    assert plan.status is RebalanceStatus.FEASIBLE
    assert not plan.is_optimal
    assert moved_to(plan) == {"a1": "bob", "a2": "cleo"}  # greedy: a1 first (40 h of relief), then a2
    assert plan.overload_after_hours == 0.0


def test_no_overload_means_no_moves():
    resources = [person("ann", {"py": 3}), person("bob", {"py": 3})]
    items = [item("a1", "ann", (40.0, 39.5), "py"), item("b1", "bob", (0.0, 40.0), "py")]
    plan = solve(resources, items)
    assert plan.status is RebalanceStatus.NO_OVERLOAD
    assert plan.moves == ()
    assert plan.resource_overloads == ()
    assert (plan.overload_before_hours, plan.overload_after_hours, plan.seconds) == (0.0, 0.0, 0.0)
    assert solve([], []).status is RebalanceStatus.NO_OVERLOAD


def test_the_plan_does_not_depend_on_the_order_of_the_input():
    resources, items = random_instance(random.Random(1), people=8, items=20, periods=4)
    plan = solve(resources, items)
    assert plan.is_optimal  # a plan cut short by the time limit could differ
    assert len(plan.moves) > 5  # the instance is worth rebalancing
    shuffler = random.Random(1)
    for _ in range(3):
        resources_shuffled, items_shuffled = resources[:], items[:]
        shuffler.shuffle(resources_shuffled)
        shuffler.shuffle(items_shuffled)
        again = solve(resources_shuffled, items_shuffled)
        assert again.moves == plan.moves
        assert again.overload_after_hours == plan.overload_after_hours


def test_inputs_read_from_a_capacity_analysis():
    people = [
        CapacityResource("ann", "U1", skills={"python": 3}),
        CapacityResource("bob", "U1", skills={"python": 3}),
    ]
    last_day = MONDAY + timedelta(days=11)  # Friday of week 2
    demand = [
        DemandItem("d1", "P1", MONDAY, last_day, hours=60.0, resource_key="ann", required_skill="python"),
        DemandItem("d2", "P2", MONDAY, last_day, hours=40.0, resource_key="ann", required_skill="python"),
        DemandItem("d3", "P1", MONDAY, last_day, hours=20.0, resource_key="bob", required_skill="python"),
        DemandItem("d4", "P1", MONDAY, last_day, hours=8.0, required_skill="python"),  # unassigned
    ]
    result = analyse_capacity(people, demand, PeriodGrid(MONDAY, 2))
    inputs = rebalance_inputs(result, people)
    assert inputs.period_labels == ("2025-03-03", "2025-03-10")
    assert inputs.overload_threshold == 1.0
    assert [(r.key, r.capacity_hours, r.fixed_demand_hours) for r in inputs.resources] == [
        ("ann", (40.0, 40.0), (0.0, 0.0)),
        ("bob", (40.0, 40.0), (10.0, 10.0)),  # Bob is not overloaded: his demand is fixed load
    ]
    assert [(i.key, i.resource_key, i.hours, i.project_key) for i in inputs.items] == [
        ("d1", "ann", (30.0, 30.0), "P1"),
        ("d2", "ann", (20.0, 20.0), "P2"),
    ]
    plan = propose_rebalancing(
        inputs.resources,
        inputs.items,
        overload_threshold=inputs.overload_threshold,
        period_labels=inputs.period_labels,
        num_workers=1,
    )
    assert moved_to(plan) == {"d2": "bob"}  # d1 would do as well, with more hours
    assert "in 2025-03-03 to 2025-03-10" in plan.moves[0].reason
    pinned = rebalance_inputs(result, people, fixed_item_keys={"d2"})
    assert moved_to(solve(pinned.resources, pinned.items)) == {"d1": "bob"}
    with pytest.raises(InvalidInput) as error:
        rebalance_inputs(result, people[:1])
    assert error.value.field == "resources"


def test_importing_the_engine_does_not_load_or_tools_until_rebalancing_is_used():
    code = (
        "import sys, pmo_engine, pmo_engine.capacity; loaded = 'ortools' in sys.modules; "
        "pmo_engine.propose_rebalancing; print(loaded, 'ortools' in sys.modules)"
    )
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert output.split() == ["False", "True"]
    for name in ("propose_rebalancing", "RebalancePlan", "RebalanceMove", "rebalance_inputs"):
        assert name in pmo_engine.__all__
        assert getattr(pmo_engine, name) is getattr(pmo_engine.capacity, name)
    with pytest.raises(AttributeError):
        pmo_engine.capacity.no_such_name  # noqa: B018


# The first solution and the last check


def test_the_greedy_first_solution_counts_the_moves_it_has_already_made():
    # Ann and Bea are each 10 h over; Tom has room for 10 h: one of their items, not both.
    resources = [person("ann", {"s": 3}), person("bea", {"s": 3}), person("tom", {"s": 3}, fixed=(30.0, 0.0))]
    items = [
        item("a", "ann", (10.0, 0.0), "s"),
        item("a0", "ann", (40.0, 0.0)),
        item("b", "bea", (10.0, 0.0), "s"),
        item("b0", "bea", (40.0, 0.0)),
    ]
    loads = load_arrays(resources, items, 1.0)
    candidates = candidate_moves(loads, 20)
    assert candidates.pair_count == 2
    assert greedy_moves(loads, candidates) == {0: 2}  # item a (index 0) to Tom (row 2)
    assert solve(resources, items, max_time_seconds=1e-6).overload_after_hours == 10.0
    # An item moves once: Ann, 20 h over, can send her only movable item to Tom or to Uma, not to both.
    resources = [person("ann", {"s": 3}), person("tom", {"s": 3}, fixed=(30.0, 0.0)), person("uma", {"s": 3})]
    items = [item("a", "ann", (10.0, 0.0), "s"), item("a0", "ann", (50.0, 0.0))]
    loads = load_arrays(resources, items, 1.0)
    assert greedy_moves(loads, candidate_moves(loads, 20)) == {0: 2}  # Uma, who has more room


def test_a_move_that_removes_no_overload_given_the_others_is_withdrawn():
    # Ann is 10 h over; x or y alone to Bob clears it. Proposed both, the first by key goes back.
    resources = [person("ann", {"s": 3}), person("bob", {"s": 3})]
    items = [item("x", "ann", (10.0, 0.0), "s"), item("y", "ann", (10.0, 0.0), "s"), item("z", "ann", (30.0, 0.0))]
    loads = load_arrays(resources, items, 1.0)
    candidates = candidate_moves(loads, 20)
    assert _without_idle_moves(loads, {0: 1, 1: 1}, candidates) == {1: 1}
    assert _without_idle_moves(loads, {1: 1}, candidates) == {1: 1}


# Input checks


@pytest.mark.parametrize(
    ("build", "field"),
    [
        (lambda: RebalanceResource("", (1.0,)), "key"),
        (lambda: RebalanceResource("r", ()), "capacity_hours"),
        (lambda: RebalanceResource("r", 40.0), "capacity_hours"),
        (lambda: RebalanceResource("r", (40.0, -1.0)), "capacity_hours"),
        (lambda: RebalanceResource("r", (math.nan,)), "capacity_hours"),
        (lambda: RebalanceResource("r", (40.0,), fixed_demand_hours=(1.0, 2.0)), "fixed_demand_hours"),
        (lambda: RebalanceResource("r", (40.0,), fixed_demand_hours=(-1.0,)), "fixed_demand_hours"),
        (lambda: RebalanceResource("r", (40.0,), {"py": 6}), "skills"),
        (lambda: RebalanceResource("r", (40.0,), {"": 1}), "skills"),
        (lambda: RebalanceItem("", "r", (1.0,)), "key"),
        (lambda: RebalanceItem("i", "", (1.0,)), "resource_key"),
        (lambda: RebalanceItem("i", "r", (1.0, -2.0)), "hours"),
        (lambda: RebalanceItem("i", "r", ()), "hours"),
        (lambda: RebalanceItem("i", "r", (math.inf,)), "hours"),
        (lambda: RebalanceItem("i", "r", (1.0,), required_skill=""), "required_skill"),
        (lambda: RebalanceItem("i", "r", (1.0,), required_skill="py", minimum_proficiency=0), "minimum_proficiency"),
        (lambda: RebalanceItem("i", "r", (1.0,), is_fixed=1), "is_fixed"),
        (lambda: RebalanceItem("i", "r", (1.0,), label=""), "label"),
    ],
)  # fmt: skip
def test_invalid_data_classes_name_the_field(build, field):
    with pytest.raises(InvalidInput) as error:
        build()
    assert error.value.field == field


ANN, BOB = person("ann", {"py": 3}), person("bob", {"py": 3})


@pytest.mark.parametrize(
    ("resources", "items", "settings_", "field"),
    [
        ([ANN, person("bob", capacity=(40.0,))], [], {}, "capacity_hours"),
        ([ANN], [item("a1", "ann", (1.0, 2.0, 3.0))], {}, "hours"),
        ([ANN], [item("a1", "zoe", (1.0, 2.0))], {}, "resource_key"),
        ([ANN, person("ann")], [], {}, "key"),
        ([ANN], [item("a1", "ann", (1.0, 2.0)), item("a1", "ann", (1.0, 2.0))], {}, "key"),
        (["ann"], [], {}, "resources"),
        ([ANN], ["a1"], {}, "items"),
        ([ANN], [], {"overload_threshold": 0}, "overload_threshold"),
        ([ANN], [], {"max_candidates": 0}, "max_candidates"),
        ([ANN], [], {"max_time_seconds": 0}, "max_time_seconds"),
        ([ANN], [], {"max_time_seconds": math.nan}, "max_time_seconds"),
        ([ANN], [], {"num_workers": 0}, "num_workers"),
        ([ANN], [], {"random_seed": -1}, "random_seed"),
        ([ANN], [], {"period_labels": ("W1",)}, "period_labels"),
    ],
)  # fmt: skip
def test_propose_rebalancing_refuses_inconsistent_input(resources, items, settings_, field):
    with pytest.raises(InvalidInput) as error:
        propose_rebalancing(resources, items, **settings_)
    assert error.value.field == field


# Properties


def random_instance(rng, *, people, items, periods):
    """People with 0, 20 or 40 h a period, some fixed load and one or two of two skills; items of 0
    to 25 h a period, most naming a skill, a few fixed, mostly on the first third of the people so
    that those overload."""
    skills = ("a", "b")
    resources = [
        RebalanceResource(
            f"R{index:02d}",
            tuple(rng.choice((0.0, 20.0, 40.0, 40.0, 40.0)) for _ in range(periods)),
            {skill: rng.randint(1, 5) for skill in rng.sample(skills, rng.randint(1, 2))},
            fixed_demand_hours=tuple(rng.choice((0.0, 5.0, 10.0)) for _ in range(periods)),
        )
        for index in range(people)
    ]
    heavy = max(1, people // 3)
    work = [
        RebalanceItem(
            f"I{index:03d}",
            f"R{rng.randrange(heavy) if rng.random() < 0.8 else rng.randrange(people):02d}",
            tuple(rng.choice((0.0, 5.0, 10.0, 12.5, 25.0)) for _ in range(periods)),
            required_skill=rng.choice(skills) if rng.random() < 0.85 else None,
            minimum_proficiency=rng.randint(1, 3),
            is_fixed=rng.random() < 0.1,
        )
        for index in range(items)
    ]
    return resources, work


@st.composite
def instances(draw):
    seed = draw(st.integers(0, 2**32 - 1))
    sizes = {"people": draw(st.integers(1, 7)), "items": draw(st.integers(0, 12)), "periods": draw(st.integers(1, 4))}
    return random_instance(random.Random(seed), **sizes)


@settings(max_examples=120, deadline=None, derandomize=True)
@given(instances(), st.sampled_from([1.0, 0.9]), st.sampled_from([5.0, 1e-6]))
def test_plans_lower_overload_respect_eligibility_and_explain_it_exactly(case, threshold, max_time_seconds):
    """With 5 s these small plans are proven optimal; with a microsecond CP-SAT mostly stops before
    it starts and the plan is the greedy first solution, which must keep every promise too."""
    resources, items = case
    plan = solve(resources, items, overload_threshold=threshold, max_time_seconds=max_time_seconds)
    by_key = {resource.key: resource for resource in resources}
    item_by_key = {work.key: work for work in items}
    before = total_overload(resources, items, threshold)
    after_items = applied(items, plan.moves)
    assert plan.overload_before_hours == pytest.approx(before, abs=1e-9)
    assert plan.overload_after_hours == pytest.approx(total_overload(resources, after_items, threshold), abs=1e-9)
    assert plan.overload_after_hours <= plan.overload_before_hours
    assert plan.overload_bound_hours <= plan.overload_after_hours + 1e-9
    assert (plan.status is RebalanceStatus.NO_OVERLOAD) == (before == 0)
    assert bool(plan.moves) == (plan.status in (RebalanceStatus.OPTIMAL, RebalanceStatus.FEASIBLE))
    assert plan.is_optimal or max_time_seconds < 1
    if plan.moves:
        assert plan.overload_after_hours < plan.overload_before_hours
    before_by_resource = overload_by_resource(resources, items, threshold)
    after_by_resource = overload_by_resource(resources, after_items, threshold)
    assert {o.resource_key: (o.before_hours, o.after_hours) for o in plan.resource_overloads} == {
        key: pytest.approx((before_by_resource[key], after_by_resource[key]), abs=1e-9)
        for key in by_key
        if before_by_resource[key] > 0 or after_by_resource[key] > 0
    }
    for move in plan.moves:
        work = item_by_key[move.item_key]
        assert work.required_skill is not None and not work.is_fixed
        assert by_key[move.to_resource_key].proficiency(work.required_skill) >= work.minimum_proficiency
        assert move.to_resource_key != move.from_resource_key
        assert before_by_resource[move.from_resource_key] > 0  # only overloaded people give work away
        assert move.hours == sum(work.hours)
        # Applied alone to the current plan, the move lowers overload by what it says, and by more than nothing.
        alone = total_overload(resources, applied(items, [move]), threshold)
        assert move.overload_removed_hours == pytest.approx(before - alone, abs=1e-9)
        assert move.overload_removed_hours > 0
        # No move could be withdrawn at no cost: it would not be the fewest moves.
        others = [other for other in plan.moves if other is not move]
        assert total_overload(resources, applied(items, others), threshold) > plan.overload_after_hours + TOLERANCE
    # The plan is at least as good as the best single move that helps on its own.
    for work in items:
        if work.required_skill is None or work.is_fixed or before_by_resource[work.resource_key] == 0:
            continue
        for resource in resources:
            if (
                resource.key != work.resource_key
                and resource.proficiency(work.required_skill) >= work.minimum_proficiency
            ):
                moved = [dataclasses.replace(work, resource_key=resource.key) if w is work else w for w in items]
                assert plan.overload_after_hours <= total_overload(resources, moved, threshold) + TOLERANCE
