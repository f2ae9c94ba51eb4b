"""Loads as arrays and the moves considered (see the package docstring for the rules).

Rows are the resources sorted by key, items are sorted by key, the last axis is the periods.
"""

import itertools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from pmo_engine.capacity.arrays import HOURS_TOLERANCE
from pmo_engine.capacity.rebalance.inputs import RebalanceItem, RebalanceResource
from pmo_engine.errors import InvalidInput


def overload_of(excess: np.ndarray) -> np.ndarray:
    """Hours above the threshold, from ``excess`` (load minus threshold capacity), cell by cell."""
    return np.where(excess > HOURS_TOLERANCE, excess, 0.0)


@dataclass(frozen=True, eq=False)
class Loads:
    """The resources (sorted by key) and items (sorted by key) as arrays of shape (rows, periods)."""

    people: tuple[RebalanceResource, ...]
    items: tuple[RebalanceItem, ...]
    capacity: np.ndarray
    limit: np.ndarray  # overload_threshold * capacity
    load: np.ndarray
    hours: np.ndarray
    owner: np.ndarray  # row of each item's resource

    @property
    def excess(self) -> np.ndarray:
        return self.load - self.limit

    def with_moves(self, target: dict[int, int]) -> np.ndarray:
        """The load with each item of ``target`` (item index -> row) on its new row. O(moves * P)."""
        load = self.load.copy()
        moved = list(target)
        np.subtract.at(load, self.owner[moved], self.hours[moved])
        np.add.at(load, [target[index] for index in moved], self.hours[moved])
        return load


def load_arrays(resources: Iterable[RebalanceResource], items: Iterable[RebalanceItem], threshold: float) -> Loads:
    """Check that the resources and items fit together (types, unique keys, the same periods, known
    resources) and lay them out as arrays. O(N * P + N log N + R log R)."""
    people = tuple(sorted(resources, key=_key_of))
    work = tuple(sorted(items, key=_key_of))
    for kind, values, name in ((RebalanceResource, people, "resources"), (RebalanceItem, work, "items")):
        wrong = next((value for value in values if not isinstance(value, kind)), None)
        if wrong is not None:
            raise InvalidInput(f"{name} must be {kind.__name__} objects, not {wrong!r}.", field=name)
        duplicate = next((a.key for a, b in itertools.pairwise(values) if a.key == b.key), None)
        if duplicate is not None:
            raise InvalidInput(f"Two {name} have the key {duplicate!r}.", field="key")
    periods = len(people[0].capacity_hours) if people else 0
    for person in people:
        if len(person.capacity_hours) != periods:
            raise InvalidInput(
                f"Resource {person.key} has {len(person.capacity_hours)} periods of capacity_hours, "
                f"resource {people[0].key} {periods}: all must cover the same periods.",
                field="capacity_hours",
            )
    row_of = {person.key: row for row, person in enumerate(people)}
    for item in work:
        if item.resource_key not in row_of:
            raise InvalidInput(
                f"Item {item.key} names resource {item.resource_key!r}, which is not among the resources.",
                field="resource_key",
            )
        if len(item.hours) != periods:
            raise InvalidInput(
                f"Item {item.key} has {len(item.hours)} periods of hours, the resources {periods}.", field="hours"
            )
    capacity = np.array([person.capacity_hours for person in people], dtype=np.float64).reshape(len(people), periods)
    hours = np.array([item.hours for item in work], dtype=np.float64).reshape(len(work), periods)
    owner = np.array([row_of[item.resource_key] for item in work], dtype=np.int64)
    load = np.array([person.fixed_demand_hours for person in people], dtype=np.float64).reshape(capacity.shape)
    np.add.at(load, owner, hours)
    return Loads(people, work, capacity, threshold * capacity, load, hours, owner)


def _key_of(value: object) -> str:
    key = getattr(value, "key", None)
    return key if isinstance(key, str) else ""


@dataclass(frozen=True, eq=False)
class Candidates:
    """The items that may move (indices into the items) and, for each, its candidate rows and the
    overload each such move removes when applied alone."""

    items: list[int]
    rows: list[np.ndarray]
    removed_hours: list[np.ndarray]

    @property
    def pair_count(self) -> int:
        return sum(map(len, self.rows))

    def removed_hours_for(self, target: dict[int, int]) -> dict[int, float]:
        """The overload each move of ``target`` (item index -> row) removes when applied alone."""
        position = {index: place for place, index in enumerate(self.items)}
        removed = {}
        for index, row in target.items():
            rows, hours = self.rows[position[index]], self.removed_hours[position[index]]
            removed[index] = float(hours[np.flatnonzero(rows == row)[0]])
        return removed


def candidate_moves(loads: Loads, max_candidates: int) -> Candidates:
    """The moves considered (see the package docstring): O(H * P) per item with hours in an overloaded cell, for
    H holders of its skill."""
    holders: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for row, person in enumerate(loads.people):
        for skill, level in person.skills:
            holders[skill].append((row, level))
    held = {skill: np.array(pairs, dtype=np.int64).reshape(-1, 2) for skill, pairs in holders.items()}
    excess = loads.excess
    is_overloaded = overload_of(excess) > 0
    result = Candidates([], [], [])
    for index, item in enumerate(loads.items):
        source = int(loads.owner[index])
        periods = np.flatnonzero(loads.hours[index] > 0)
        if not item.is_movable or not is_overloaded[source, periods].any() or item.required_skill not in held:
            continue
        hours = loads.hours[index, periods]
        relief = overload_of(excess[source, periods]).sum() - overload_of(excess[source, periods] - hours).sum()
        pairs = held[item.required_skill]  # type: ignore[index]
        rows = pairs[(pairs[:, 1] >= item.minimum_proficiency) & (pairs[:, 0] != source), 0]
        there = excess[rows[:, None], periods]
        removed = relief - (overload_of(there + hours).sum(axis=1) - overload_of(there).sum(axis=1))
        helps = removed > HOURS_TOLERANCE
        spare = np.clip(-there[helps], 0, None).sum(axis=1)
        best = np.lexsort((rows[helps], -spare))[:max_candidates]
        if len(best):
            result.items.append(index)
            result.rows.append(rows[helps][best])
            result.removed_hours.append(removed[helps][best])
    return result


def greedy_moves(loads: Loads, candidates: Candidates) -> dict[int, int]:
    """A good plan fast, the first solution the solver starts from: repeatedly make the candidate
    move that lowers total overload most given the moves made so far (each item moves at most
    once; ties go to the earlier item key, then the earlier candidate), until none lowers it.

    Returns item index -> new row. Cost: O(C * P) for C candidate pairs, then per move O(C) plus
    O(c * P) for the c pairs whose source or target the move changed.
    """
    if not candidates.items:
        return {}
    item = np.repeat(np.array(candidates.items, dtype=np.int64), [len(rows) for rows in candidates.rows])
    target = np.concatenate(candidates.rows)
    source = loads.owner[item]
    hours = loads.hours[item]
    excess = loads.excess
    is_open = np.ones(len(item), dtype=bool)

    def gain(pairs: np.ndarray) -> np.ndarray:
        given, taken, amount = excess[source[pairs]], excess[target[pairs]], hours[pairs]
        relief = (overload_of(given) - overload_of(given - amount)).sum(axis=1)
        return relief - (overload_of(taken + amount) - overload_of(taken)).sum(axis=1)

    gains = gain(np.arange(len(item)))
    moves: dict[int, int] = {}
    while True:
        best = int(np.argmax(np.where(is_open, gains, -np.inf)))
        if not is_open[best] or gains[best] <= HOURS_TOLERANCE:
            return moves
        rows = (source[best], target[best])
        excess[rows[0]] -= hours[best]
        excess[rows[1]] += hours[best]
        moves[int(item[best])] = int(target[best])
        is_open &= item != item[best]
        changed = np.flatnonzero(is_open & (np.isin(source, rows) | np.isin(target, rows)))
        gains[changed] = gain(changed)
