"""The array kernel of the critical path method: topological levels, forward and backward passes.

Model. Node v has an integer *start variable* s(v) and a duration d(v) (working minutes of v's
calendar); its finish is s(v) + d(v). Link i from node p to node q with lag L_i reads

    point_q >= carry(point_p) + L_i

where point_p is p's start (SS, SF) or finish (FS, FF), point_q is q's start (FS, SS) or finish
(FF, SF), and ``carry`` is the identity when p and q share a calendar (working time is then one
line and a link is a plain difference constraint) and otherwise reads p's point as a moment and
finds the first coordinate of q's calendar not before it
(:meth:`~pmo_engine.calendar.WorkingTimeAxis.carry_forward`). Each node also has a lower bound on
its start and an upper bound on its finish. The early start is the least solution (a longest
path); the late start is the greatest one under the finish bounds.

Speed. Levels (0 for a node without predecessors, else one more than its highest predecessor)
are found once by Kahn's algorithm, frontier by frontier. The forward pass then visits the links
grouped by their successor's level and the backward pass by their predecessor's level, one
``np.maximum.at`` / ``np.minimum.at`` per level: O(n + m) work in O(levels) numpy calls, never a
Python step per activity.
"""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from pmo_engine.calendar import WorkingTimeAxis
from pmo_engine.errors import CycleError, ScheduleError
from pmo_engine.model import LinkType

NO_LOWER_BOUND = np.iinfo(np.int64).min // 4
NO_UPPER_BOUND = np.iinfo(np.int64).max // 4

LINK_TYPE_CODES = {
    LinkType.FINISH_TO_START: 0,
    LinkType.START_TO_START: 1,
    LinkType.FINISH_TO_FINISH: 2,
    LinkType.START_TO_FINISH: 3,
}
"""Integer code of each link type in the ``link_type`` arrays of :func:`critical_path_arrays`."""


def _gather_ranges(starts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Concatenated ``arange(start, start + count)`` for each pair, in one vectorised step."""
    total = int(counts.sum())
    if total == 0:
        return np.empty(0, dtype=np.int64)
    shifts = np.repeat(starts - (np.cumsum(counts) - counts), counts)
    return shifts + np.arange(total, dtype=np.int64)


def find_cycle(node_count: int, predecessor: np.ndarray, successor: np.ndarray, unresolved: np.ndarray) -> list[int]:
    """Nodes of one cycle among ``unresolved`` (nodes Kahn's algorithm could not order), in link order.

    Every unresolved node has an unresolved predecessor, so walking backwards from one must come
    back to a node already seen: O(n + m).
    """
    inside = np.zeros(node_count, dtype=bool)
    inside[unresolved] = True
    keep = inside[predecessor] & inside[successor]
    first_predecessor = np.full(node_count, -1, dtype=np.int64)
    # Writing in reverse leaves the first listed predecessor of each node, for a stable answer.
    first_predecessor[successor[keep][::-1]] = predecessor[keep][::-1]
    seen_at: dict[int, int] = {}
    walk: list[int] = []
    node = int(unresolved.min())
    while node not in seen_at:
        seen_at[node] = len(walk)
        walk.append(node)
        node = int(first_predecessor[node])
    cycle = walk[seen_at[node] :]
    cycle.reverse()
    return cycle


def stable_order(keys: np.ndarray, key_bound: int) -> np.ndarray:
    """``np.argsort(keys, kind="stable")`` for integer keys in 0..key_bound - 1, faster.

    numpy radix-sorts 16-bit keys in O(n) but falls back to a comparison sort for wider ones, which
    is 5 times slower on 300,000 links; wider keys are therefore sorted as two 16-bit digits,
    least significant first (a stable LSD radix sort).
    """
    if key_bound <= 1 << 16:
        return np.argsort(keys.astype(np.uint16), kind="stable")
    if key_bound > 1 << 32:
        return np.argsort(keys, kind="stable")
    order = np.argsort((keys & 0xFFFF).astype(np.uint16), kind="stable")
    return order[np.argsort((keys[order] >> 16).astype(np.uint16), kind="stable")]


@dataclass(frozen=True, eq=False)
class TopologicalLevels:
    """Levels of the nodes, and the links grouped by the level of their predecessor.

    ``link_order[bounds[k]:bounds[k + 1]]`` are the links leaving level-k nodes. Both passes use
    this one grouping: going up the levels, a link's predecessor is final when its group is
    processed (all its own incoming links left lower levels); going down, its successor is.
    """

    levels: np.ndarray
    link_order: np.ndarray
    bounds: np.ndarray

    @property
    def level_count(self) -> int:
        return len(self.bounds) - 1


def topological_levels(
    node_count: int,
    predecessor: np.ndarray,
    successor: np.ndarray,
    *,
    node_names: Sequence[str] | None = None,
) -> TopologicalLevels:
    """Level of each node: 0 without predecessors, else 1 + the highest level of its predecessors.

    Kahn's algorithm one frontier at a time: O(n + m) work, O(levels) numpy calls. Raises
    :class:`CycleError` naming the nodes of a cycle (by ``node_names``, else by index).
    """
    predecessor = np.asarray(predecessor, dtype=np.int64)
    successor = np.asarray(successor, dtype=np.int64)
    levels = np.full(node_count, -1, dtype=np.int64)
    remaining_in = np.bincount(successor, minlength=node_count)
    out_order = stable_order(predecessor, node_count)
    out_successor = successor[out_order]
    out_start = np.concatenate(([0], np.cumsum(np.bincount(predecessor, minlength=node_count)))).astype(np.int64)
    frontier = np.flatnonzero(remaining_in == 0)
    last_seen = np.zeros(node_count, dtype=np.int64)
    positions: list[np.ndarray] = []
    level = 0
    while frontier.size:
        levels[frontier] = level
        leaving = _gather_ranges(out_start[frontier], out_start[frontier + 1] - out_start[frontier])
        positions.append(leaving)
        reached = out_successor[leaving]
        np.subtract.at(remaining_in, reached, 1)
        ready = reached[remaining_in[reached] == 0]
        # A node reached by several links of this frontier appears once per link; keep one copy
        # (cheaper than np.unique: two O(len) scatter/gathers instead of a sort).
        last_seen[ready] = np.arange(len(ready))
        frontier = ready[last_seen[ready] == np.arange(len(ready))]
        level += 1
    if (levels < 0).any():
        cycle = find_cycle(node_count, predecessor, successor, np.flatnonzero(levels < 0))
        names = [node_names[node] if node_names is not None else str(node) for node in cycle]
        raise CycleError(tuple(names))
    sizes = [len(group) for group in positions]
    link_order = out_order[np.concatenate(positions)] if positions else np.empty(0, dtype=np.int64)
    return TopologicalLevels(levels, link_order, np.concatenate(([0], np.cumsum(sizes))).astype(np.int64))


@dataclass(frozen=True, eq=False)
class _LinkGroup:
    """Links grouped by predecessor level; ``bounds[level]:bounds[level + 1]`` is one level's run."""

    predecessor: np.ndarray
    successor: np.ndarray
    constant: np.ndarray  # predecessor offset + lag - successor offset, for links on one calendar
    # The rest only for links across calendars (see LevelledNetwork._carry_forward).
    predecessor_offset: np.ndarray | None
    lag_less_successor_offset: np.ndarray | None
    source_is_start: np.ndarray | None
    target_is_finish: np.ndarray | None
    bounds: np.ndarray


class LevelledNetwork:
    """A network ready for repeated passes: levels computed, links grouped per level.

    ``duration``: int64 per node; ``predecessor``, ``successor``: node indices per link;
    ``from_predecessor_start``, ``to_successor_finish``: booleans per link (see
    :class:`~pmo_engine.model.LinkType`); ``lag``: int64 per link in the successor's units.
    With ``calendar_index`` (a row of ``axis`` per node), links between nodes on different
    calendars are carried over through the axis; without, all nodes share one time unit.
    """

    def __init__(
        self,
        duration: np.ndarray,
        predecessor: np.ndarray,
        successor: np.ndarray,
        *,
        from_predecessor_start: np.ndarray,
        to_successor_finish: np.ndarray,
        lag: np.ndarray,
        calendar_index: np.ndarray | None = None,
        axis: WorkingTimeAxis | None = None,
        node_names: Sequence[str] | None = None,
    ):
        self.duration = np.asarray(duration, dtype=np.int64)
        node_count = len(self.duration)
        predecessor = np.asarray(predecessor, dtype=np.int64)
        successor = np.asarray(successor, dtype=np.int64)
        if len(predecessor) and (
            min(predecessor.min(), successor.min()) < 0 or max(predecessor.max(), successor.max()) >= node_count
        ):
            raise ScheduleError("A link refers to a node index outside the network.")
        self.predecessor, self.successor = predecessor, successor
        self.topology = topological_levels(node_count, predecessor, successor, node_names=node_names)
        self.levels = self.topology.levels
        self.lag = np.asarray(lag, dtype=np.int64)
        self.from_predecessor_start = np.asarray(from_predecessor_start, dtype=bool)
        self.predecessor_offset = np.where(from_predecessor_start, 0, self.duration[predecessor])
        self.successor_offset = np.where(to_successor_finish, self.duration[successor], 0)
        self.constant = self.predecessor_offset + self.lag - self.successor_offset
        # Across calendars a zero-duration node's point is read as late as it can be (a start):
        # safe whichever side of a non-working stretch it is shown on.
        self.source_is_start = self.from_predecessor_start | (self.duration[predecessor] == 0)
        self.target_is_finish = np.asarray(to_successor_finish, dtype=bool) | (self.duration[successor] == 0)
        self.calendar_index = None if calendar_index is None else np.asarray(calendar_index, dtype=np.int64)
        self.axis = axis
        if self.calendar_index is not None:
            self.is_cross = self.calendar_index[predecessor] != self.calendar_index[successor]
        else:
            self.is_cross = np.zeros(len(predecessor), dtype=bool)
        order = self.topology.link_order
        if self.is_cross.any():
            if axis is None:
                raise ScheduleError("Links between calendars need a working-time axis.")
            crossing = self.is_cross[order]
            self._same = self._group(order[~crossing], cross=False)
            self._cross = self._group(order[crossing], cross=True)
        else:
            self._same = self._group(order, cross=False, bounds=self.topology.bounds)
            self._cross = self._group(order[:0], cross=True)

    def _group(self, chosen: np.ndarray, *, cross: bool, bounds: np.ndarray | None = None) -> _LinkGroup:
        """The ``chosen`` links (already in level order) with what the passes read of them."""
        predecessor = self.predecessor[chosen]
        if bounds is None:
            level_count = self.topology.level_count
            bounds = np.searchsorted(self.levels[predecessor], np.arange(level_count + 1))
        return _LinkGroup(
            predecessor=predecessor,
            successor=self.successor[chosen],
            constant=self.constant[chosen],
            predecessor_offset=self.predecessor_offset[chosen] if cross else None,
            lag_less_successor_offset=(self.lag[chosen] - self.successor_offset[chosen]) if cross else None,
            source_is_start=self.source_is_start[chosen] if cross else None,
            target_is_finish=self.target_is_finish[chosen] if cross else None,
            bounds=bounds,
        )

    def _carry_forward(self, group: _LinkGroup, first: int, stop: int, start: np.ndarray) -> np.ndarray:
        """Lower bound on each successor's start from its predecessor's start, across calendars."""
        predecessor, successor = group.predecessor[first:stop], group.successor[first:stop]
        point = start[predecessor] + group.predecessor_offset[first:stop]
        carried = self.axis.carry_forward(
            self.calendar_index[successor],
            self.calendar_index[predecessor],
            point,
            source_is_start=group.source_is_start[first:stop],
            target_is_finish=group.target_is_finish[first:stop],
        )
        return carried + group.lag_less_successor_offset[first:stop]

    def _carry_backward(self, group: _LinkGroup, first: int, stop: int, start: np.ndarray) -> np.ndarray:
        """Upper bound on each predecessor's start from its successor's start, across calendars."""
        predecessor, successor = group.predecessor[first:stop], group.successor[first:stop]
        point = start[successor] - group.lag_less_successor_offset[first:stop]
        carried = self.axis.carry_backward(
            self.calendar_index[predecessor],
            self.calendar_index[successor],
            point,
            source_is_start=group.source_is_start[first:stop],
            target_is_finish=group.target_is_finish[first:stop],
        )
        return carried - group.predecessor_offset[first:stop]

    def forward(self, start_lower: np.ndarray) -> np.ndarray:
        """Early start of every node: the least starts that satisfy the links and ``start_lower``."""
        start = np.array(start_lower, dtype=np.int64, copy=True)
        same, cross = self._same, self._cross
        for level in range(self.topology.level_count):
            first, stop = same.bounds[level], same.bounds[level + 1]
            if first < stop:
                values = start[same.predecessor[first:stop]] + same.constant[first:stop]
                np.maximum.at(start, same.successor[first:stop], values)
            first, stop = cross.bounds[level], cross.bounds[level + 1]
            if first < stop:
                np.maximum.at(start, cross.successor[first:stop], self._carry_forward(cross, first, stop, start))
        return start

    def backward(self, finish_upper: np.ndarray) -> np.ndarray:
        """Late start of every node: the greatest starts that satisfy the links and ``finish_upper``."""
        start = np.asarray(finish_upper, dtype=np.int64) - self.duration
        same, cross = self._same, self._cross
        for level in range(self.topology.level_count - 1, -1, -1):
            first, stop = same.bounds[level], same.bounds[level + 1]
            if first < stop:
                values = start[same.successor[first:stop]] - same.constant[first:stop]
                np.minimum.at(start, same.predecessor[first:stop], values)
            first, stop = cross.bounds[level], cross.bounds[level + 1]
            if first < stop:
                np.minimum.at(start, cross.predecessor[first:stop], self._carry_backward(cross, first, stop, start))
        return start

    def earliest_successor_starts(self, predecessor_start: np.ndarray) -> np.ndarray:
        """Per link (input order): the earliest start of its successor that the link allows with the
        predecessor starting at ``predecessor_start`` of that predecessor. O(m), no level loop."""
        predecessor, successor = self.predecessor, self.successor
        bound = predecessor_start[predecessor] + self.constant
        cross = np.flatnonzero(self.is_cross)
        if cross.size:
            point = predecessor_start[predecessor[cross]] + self.predecessor_offset[cross]
            carried = self.axis.carry_forward(
                self.calendar_index[successor[cross]],
                self.calendar_index[predecessor[cross]],
                point,
                source_is_start=self.source_is_start[cross],
                target_is_finish=self.target_is_finish[cross],
            )
            bound[cross] = carried + self.lag[cross] - self.successor_offset[cross]
        return bound

    def latest_predecessor_starts(self, successor_start: np.ndarray) -> np.ndarray:
        """Per link (input order): the latest start of its predecessor that keeps the link satisfied
        with the successor starting at ``successor_start`` of that successor. O(m), no level loop."""
        predecessor, successor = self.predecessor, self.successor
        bound = successor_start[successor] - self.constant
        cross = np.flatnonzero(self.is_cross)
        if cross.size:
            point = successor_start[successor[cross]] - (self.lag[cross] - self.successor_offset[cross])
            carried = self.axis.carry_backward(
                self.calendar_index[predecessor[cross]],
                self.calendar_index[successor[cross]],
                point,
                source_is_start=self.source_is_start[cross],
                target_is_finish=self.target_is_finish[cross],
            )
            bound[cross] = carried - self.predecessor_offset[cross]
        return bound

    def free_float(self, early_start: np.ndarray, total_float: np.ndarray) -> np.ndarray:
        """How far each node can slip without delaying any successor's early start, at most its total float."""
        latest = np.full(len(self.duration), NO_UPPER_BOUND, dtype=np.int64)
        np.minimum.at(latest, self.predecessor, self.latest_predecessor_starts(early_start))
        return np.minimum(latest - early_start, total_float)


@dataclass(frozen=True, eq=False)
class CpmArrays:
    """Result of :func:`critical_path_arrays`, one int64 entry per node (``levels`` too)."""

    early_start: np.ndarray
    early_finish: np.ndarray
    late_start: np.ndarray
    late_finish: np.ndarray
    total_float: np.ndarray
    free_float: np.ndarray
    levels: np.ndarray


def critical_path_arrays(
    duration: np.ndarray,
    predecessor: np.ndarray,
    successor: np.ndarray,
    link_type: np.ndarray | None = None,
    lag: np.ndarray | None = None,
    *,
    start_lower: np.ndarray | None = None,
    finish_upper: np.ndarray | None = None,
) -> CpmArrays:
    """Critical path method on arrays, one time unit (e.g. working minutes of one calendar).

    ``link_type`` holds :data:`LINK_TYPE_CODES` (default all finish-to-start), ``lag`` one value
    per link (default 0). Early starts are at least ``start_lower`` (default 0); late finishes
    at most ``finish_upper`` (default: the largest early finish, the project finish, for every
    node). Total float is late start - early start; it is never negative unless ``finish_upper``
    is below what the links allow. O(n + m) work in O(levels) numpy calls.
    """
    duration = np.asarray(duration, dtype=np.int64)
    predecessor = np.asarray(predecessor, dtype=np.int64)
    codes = np.zeros(len(predecessor), dtype=np.int64) if link_type is None else np.asarray(link_type)
    if codes.size and (codes.min() < 0 or codes.max() > 3):
        raise ScheduleError("link_type codes must be 0 (FS), 1 (SS), 2 (FF) or 3 (SF).")
    network = LevelledNetwork(
        duration,
        predecessor,
        successor,
        from_predecessor_start=(codes == 1) | (codes == 3),
        to_successor_finish=codes >= 2,
        lag=np.zeros(len(predecessor), dtype=np.int64) if lag is None else lag,
    )
    lower = np.zeros(len(duration), dtype=np.int64) if start_lower is None else start_lower
    early_start = network.forward(lower)
    early_finish = early_start + duration
    if finish_upper is None:
        project_finish = early_finish.max() if len(duration) else 0
        finish_upper = np.full(len(duration), project_finish, dtype=np.int64)
    late_start = network.backward(finish_upper)
    total_float = late_start - early_start
    return CpmArrays(
        early_start=early_start,
        early_finish=early_finish,
        late_start=late_start,
        late_finish=late_start + duration,
        total_float=total_float,
        free_float=network.free_float(early_start, total_float),
        levels=network.levels,
    )
