"""The array kernel: levels, passes and floats against networkx on random networks."""

import networkx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pmo_engine import CycleError, ScheduleError, critical_path_arrays
from pmo_engine.cpm.kernel import stable_order, topological_levels


@st.composite
def array_networks(draw, max_nodes=30):
    """Random DAG arrays: node labels shuffled, links between distinct pairs in a hidden order."""
    count = draw(st.integers(1, max_nodes))
    hidden_order = draw(st.permutations(range(count)))
    pairs = draw(st.lists(st.tuples(st.integers(0, count - 1), st.integers(0, count - 1)), max_size=4 * count))
    unique = sorted({(min(a, b), max(a, b)) for a, b in pairs if a != b})
    predecessor = np.array([hidden_order[a] for a, _ in unique], dtype=np.int64)
    successor = np.array([hidden_order[b] for _, b in unique], dtype=np.int64)
    duration = np.array(draw(st.lists(st.integers(0, 50), min_size=count, max_size=count)), dtype=np.int64)
    link_type = np.array(draw(st.lists(st.integers(0, 3), min_size=len(unique), max_size=len(unique))), dtype=np.int64)
    lag = np.array(draw(st.lists(st.integers(-20, 20), min_size=len(unique), max_size=len(unique))), dtype=np.int64)
    return duration, predecessor, successor, link_type, lag


def networkx_reference(duration, predecessor, successor, link_type, lag):
    """Early and late starts by networkx: a weighted DiGraph walked in topological order."""
    graph = networkx.DiGraph()
    graph.add_nodes_from(range(len(duration)))
    for before, after, code, delay in zip(predecessor, successor, link_type, lag, strict=True):
        offset_before = 0 if code in (1, 3) else duration[before]
        offset_after = duration[after] if code in (2, 3) else 0
        graph.add_edge(int(before), int(after), weight=int(offset_before + delay - offset_after))
    order = list(networkx.topological_sort(graph))
    early = np.zeros(len(duration), dtype=np.int64)
    for node in order:
        for before, data in graph.pred[node].items():
            early[node] = max(early[node], early[before] + data["weight"])
    finish = (early + duration).max()
    late = finish - duration
    for node in reversed(order):
        for after, data in graph.succ[node].items():
            late[node] = min(late[node], late[after] - data["weight"])
    levels = dict.fromkeys(graph, 0)
    for node in order:
        for after in graph.succ[node]:
            levels[after] = max(levels[after], levels[node] + 1)
    return early, late, np.array([levels[node] for node in range(len(duration))])


@settings(max_examples=300, deadline=None)
@given(array_networks())
def test_passes_equal_networkx(network):
    duration, predecessor, successor, link_type, lag = network
    result = critical_path_arrays(duration, predecessor, successor, link_type, lag)
    early, late, levels = networkx_reference(*network)
    assert result.early_start.tolist() == early.tolist()
    assert result.late_start.tolist() == late.tolist()
    assert result.levels.tolist() == levels.tolist()
    assert (result.early_finish == result.early_start + duration).all()
    assert (result.total_float == result.late_start - result.early_start).all()
    assert (result.total_float >= 0).all()
    assert ((result.free_float >= 0) & (result.free_float <= result.total_float)).all()


def test_free_float_of_a_small_network():
    # A(3) -> C(1); B(1) -> C; B -> D(1) with lag 1. Early: A 0-3, B 0-1, C 3-4, D 2-3; the
    # project ends at 4. Late: D 3-4, so B must end by 3 - 1 = 2 (total float 1), but any delay
    # of B delays D's early start (free float 0); D may slip to the end (1).
    result = critical_path_arrays(
        np.array([3, 1, 1, 1]), np.array([0, 1, 1]), np.array([2, 2, 3]), np.array([0, 0, 0]), np.array([0, 0, 1])
    )
    assert result.early_start.tolist() == [0, 0, 3, 2]
    assert result.late_start.tolist() == [0, 1, 3, 3]
    assert result.total_float.tolist() == [0, 1, 0, 1]
    assert result.free_float.tolist() == [0, 0, 0, 1]


def test_bounds_on_start_and_finish():
    result = critical_path_arrays(
        np.array([2, 3]),
        np.array([0]),
        np.array([1]),
        start_lower=np.array([5, 0]),
        finish_upper=np.array([100, 9]),
    )
    assert result.early_start.tolist() == [5, 7]
    assert result.late_finish.tolist() == [6, 9]
    assert result.total_float.tolist() == [-1, -1]


def test_cycle_is_named_by_node_index_or_name():
    predecessor, successor = np.array([0, 1, 2, 3]), np.array([1, 2, 3, 1])
    with pytest.raises(CycleError) as caught:
        critical_path_arrays(np.ones(4, dtype=np.int64), predecessor, successor)
    assert sorted(caught.value.activity_keys) == ["1", "2", "3"]
    with pytest.raises(CycleError) as named:
        topological_levels(4, predecessor, successor, node_names=["w", "x", "y", "z"])
    keys = named.value.activity_keys
    assert sorted(keys) == ["x", "y", "z"]
    # In link order: each name is followed by its successor on the cycle.
    following = {"x": "y", "y": "z", "z": "x"}
    assert all(following[a] == b for a, b in zip(keys, keys[1:] + keys[:1], strict=True))


def test_bad_input_is_refused():
    with pytest.raises(ScheduleError, match="link_type codes"):
        critical_path_arrays(np.ones(2), np.array([0]), np.array([1]), np.array([7]))
    with pytest.raises(ScheduleError, match="outside the network"):
        critical_path_arrays(np.ones(2), np.array([0]), np.array([5]))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 2**20), max_size=300), st.sampled_from([2**8, 2**16, 2**21, 2**40]))
def test_stable_order_is_a_stable_argsort(values, bound):
    keys = np.array([value % bound for value in values], dtype=np.int64)
    assert stable_order(keys, bound).tolist() == np.argsort(keys, kind="stable").tolist()
