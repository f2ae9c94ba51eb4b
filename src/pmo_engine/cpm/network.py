"""From activities, links and calendars to the arrays of the kernel.

Nodes. Node i < n is activity i (for a summary activity: its *start gate*); node n + j is the
*finish gate* of the j-th summary. A summary's children hang between its gates: start gate →
child start (SS, lag 0) and child finish → finish gate (FF, lag 0), so that a link into a
summary (FS, SS) holds back every child and a link out of it (FS, FF) waits for every child,
without copying links to each descendant (O(n + m) nodes and links whatever the WBS depth).

Progress. A completed activity is a fixed node (start bound = finish bound = its actuals, no
incoming link): it feeds its successors and nothing moves it. An in-progress activity's node is
its *remaining* work: it starts no earlier than the status date (and after its predecessors,
which keeps out-of-sequence logic), lasts the remaining duration, and its start-side outgoing
links (SS, SF) leave from the actual start, a constant folded into the successor's start bound.
Unstarted work starts no earlier than the status date.

Levelling delay. An unstarted activity's early start is the least start its links and date bounds
allow, plus its levelling delay (working minutes of its own calendar). As
``max(bounds) + delay == max(bound + delay for each bound)``, the delay is added to the node's
start bound and to the lag of every link into it: the passes stay plain longest paths, and the
backward pass reads the same constraints, so that a predecessor's late dates and free float leave
room for the delay (as MS Project's do) instead of counting it as float of their own.

Coordinates are working minutes of each node's own calendar (see ``WorkingTimeAxis``).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

import numpy as np

from pmo_engine.calendar import WorkingTimeAxis, wall_minutes
from pmo_engine.cpm.kernel import LINK_TYPE_CODES, NO_UPPER_BOUND, LevelledNetwork
from pmo_engine.errors import CycleError, ScheduleError
from pmo_engine.model import Activity, Calendar, ConstraintType, Link, moment_at_finish, moment_at_start

NOT_STARTED, IN_PROGRESS, COMPLETED = 0, 1, 2
_SUMMARY_CONSTRAINTS = (
    ConstraintType.AS_SOON_AS_POSSIBLE,
    ConstraintType.START_NO_EARLIER_THAN,
    ConstraintType.FINISH_NO_LATER_THAN,
)


@dataclass(frozen=True, eq=False)
class PreparedNetwork:
    """Everything the passes and the report need, as arrays (n activities, N nodes, m links)."""

    activities: tuple[Activity, ...]
    keys: tuple[str, ...]
    axis: WorkingTimeAxis
    project_keys: tuple[str, ...]
    # per activity (n)
    is_summary: np.ndarray
    parent: np.ndarray
    depth: np.ndarray
    state: np.ndarray  # NOT_STARTED, IN_PROGRESS or COMPLETED for leaves, NOT_STARTED for summaries
    actual_start_wall: np.ndarray  # reported actual start (wall minutes), valid where state > 0
    actual_finish_wall: np.ndarray  # valid where state == COMPLETED
    finish_node: np.ndarray  # node holding the activity's finish: itself, or its summary's finish gate
    # per node (N)
    node_calendar: np.ndarray
    node_project: np.ndarray
    duration: np.ndarray
    start_lower: np.ndarray
    finish_upper: np.ndarray
    sort_keys: tuple[str, ...]  # for a canonical order of critical paths; a finish gate sorts after its summary
    network: LevelledNetwork

    @property
    def activity_count(self) -> int:
        return len(self.activities)


def _moment_wall(value: date, *, at_finish: bool) -> int:
    return wall_minutes(moment_at_finish(value) if at_finish else moment_at_start(value))


def _check_moment_argument(value: object, name: str, *, required: bool) -> None:
    if value is None and not required:
        return
    if not isinstance(value, date) or (isinstance(value, datetime) and value.tzinfo is not None):
        raise ScheduleError(f"{name} must be a date or a naive datetime, not {value!r}.")


def _index_activities(activities: tuple[Activity, ...]) -> dict[str, int]:
    index: dict[str, int] = {}
    for position, activity in enumerate(activities):
        if not isinstance(activity, Activity):
            raise ScheduleError(f"Expected an Activity, got {activity!r}.")
        if activity.key in index:
            raise ScheduleError(f"Two activities have the key {activity.key}.")
        index[activity.key] = position
    return index


def _calendar_rows(
    activities: tuple[Activity, ...], calendars: Iterable[Calendar], default_calendar: Calendar | None
) -> tuple[tuple[Calendar, ...], np.ndarray]:
    default = default_calendar if default_calendar is not None else Calendar()
    chosen: list[Calendar] = [default]
    row_of = {default.key: 0}
    for calendar in calendars:
        if not isinstance(calendar, Calendar):
            raise ScheduleError(f"Expected a Calendar, got {calendar!r}.")
        if calendar.key in row_of:
            if chosen[row_of[calendar.key]] != calendar:
                raise ScheduleError(f"Two different calendars have the key {calendar.key}.")
            continue
        row_of[calendar.key] = len(chosen)
        chosen.append(calendar)
    rows = np.zeros(len(activities), dtype=np.int64)
    for position, activity in enumerate(activities):
        if activity.calendar_key is not None:
            if activity.calendar_key not in row_of:
                raise ScheduleError(
                    f"Activity {activity.key} uses calendar {activity.calendar_key}, which was not given."
                )
            rows[position] = row_of[activity.calendar_key]
    return tuple(chosen), rows


def _wbs(activities: tuple[Activity, ...], index: Mapping[str, int]) -> tuple[np.ndarray, np.ndarray]:
    """Parent row (-1 for none) and depth (0 at the top) of each activity; refuses unknown parents and cycles."""
    count = len(activities)
    parent = np.full(count, -1, dtype=np.int64)
    for position, activity in enumerate(activities):
        if activity.parent_key is not None:
            if activity.parent_key not in index:
                raise ScheduleError(
                    f"Activity {activity.key} has parent {activity.parent_key}, which is not in the network."
                )
            parent[position] = index[activity.parent_key]
    if not (parent >= 0).any():
        return parent, np.zeros(count, dtype=np.int64)
    depth = [-1] * count
    parent_list = parent.tolist()
    for position in range(count):
        walk: list[int] = []
        on_walk: set[int] = set()
        node = position
        while node >= 0 and depth[node] < 0:
            if node in on_walk:
                cycle = walk[walk.index(node) :]
                names = " → ".join(activities[member].key for member in (*cycle, node))
                raise ScheduleError(f"The WBS parents form a cycle: {names}.")
            walk.append(node)
            on_walk.add(node)
            node = parent_list[node]
        known = -1 if node < 0 else depth[node]
        for offset, member in enumerate(reversed(walk)):
            depth[member] = known + 1 + offset
    return parent, np.array(depth, dtype=np.int64)


def _collapse_repeats(names: tuple[str, ...]) -> tuple[str, ...]:
    """A summary's two gates carry its key; show it once where the cycle passes through both."""
    collapsed = [name for position, name in enumerate(names) if position == 0 or name != names[position - 1]]
    while len(collapsed) > 1 and collapsed[0] == collapsed[-1]:
        collapsed.pop()
    return tuple(collapsed)


def prepare_network(
    activities: Iterable[Activity],
    links: Iterable[Link],
    *,
    project_start: date,
    project_starts: Mapping[str, date] | None,
    calendars: Iterable[Calendar],
    default_calendar: Calendar | None,
    status_date: date | None,
) -> PreparedNetwork:
    """Validate the network as a whole and build the kernel's arrays. O(n + m), Python loops over
    activities and links once each."""
    activities = tuple(activities)
    _check_moment_argument(project_start, "project_start", required=True)
    _check_moment_argument(status_date, "status_date", required=False)
    project_starts = dict(project_starts or {})
    for key, value in project_starts.items():
        _check_moment_argument(value, f"project_starts[{key!r}]", required=True)
    index = _index_activities(activities)
    keys = tuple(activity.key for activity in activities)
    count = len(activities)
    calendar_list, activity_calendar = _calendar_rows(activities, calendars, default_calendar)
    project_keys = tuple(sorted({activity.project_key for activity in activities}))
    project_row = {key: row for row, key in enumerate(project_keys)}
    activity_project = np.array([project_row[activity.project_key] for activity in activities], dtype=np.int64)
    project_start_wall = np.array(
        [_moment_wall(project_starts.get(key, project_start), at_finish=False) for key in project_keys], dtype=np.int64
    )
    reference = min([project_start, *project_starts.values()], key=lambda value: _moment_wall(value, at_finish=False))
    axis = WorkingTimeAxis(calendar_list, moment_at_start(reference).date())

    parent, depth = _wbs(activities, index)
    is_summary = np.zeros(count, dtype=bool)
    is_summary[parent[parent >= 0]] = True
    for position in np.flatnonzero(is_summary):
        activity = activities[position]
        if activity.constraint_type not in _SUMMARY_CONSTRAINTS:
            raise ScheduleError(
                f"Summary activity {activity.key} cannot take a {activity.constraint_type} constraint: "
                "its dates come from its children; only SNET and FNLT constraints and deadlines apply to a summary."
            )

    status_wall = None if status_date is None else _moment_wall(status_date, at_finish=True)
    state, actual_start_wall, actual_finish_wall = _progress(
        activities, is_summary, activity_calendar, axis, status_wall
    )

    summary_rows = np.flatnonzero(is_summary)
    node_count = count + len(summary_rows)
    finish_node = np.arange(count, dtype=np.int64)
    finish_node[summary_rows] = count + np.arange(len(summary_rows))
    node_calendar = np.concatenate((activity_calendar, activity_calendar[summary_rows]))
    node_project = np.concatenate((activity_project, activity_project[summary_rows]))
    node_names = (*keys, *(keys[row] for row in summary_rows))
    sort_keys = (*keys, *(f"{keys[row]}\x00finish" for row in summary_rows))

    duration = np.zeros(node_count, dtype=np.int64)
    start_lower = axis.to_working(node_calendar, project_start_wall[node_project])
    finish_upper = np.full(node_count, NO_UPPER_BOUND, dtype=np.int64)
    actual_start_coordinate = axis.to_working(activity_calendar, actual_start_wall)
    _bound_leaves(
        activities,
        is_summary=is_summary,
        state=state,
        activity_calendar=activity_calendar,
        axis=axis,
        status_wall=status_wall,
        actual_start_coordinate=actual_start_coordinate,
        actual_finish_wall=actual_finish_wall,
        duration=duration,
        start_lower=start_lower,
        finish_upper=finish_upper,
    )
    _bound_summaries(
        activities,
        summary_rows=summary_rows,
        finish_node=finish_node,
        activity_calendar=activity_calendar,
        axis=axis,
        start_lower=start_lower,
        finish_upper=finish_upper,
    )
    predecessor, successor, from_start, to_finish, lag = _kernel_links(
        activities,
        links,
        index=index,
        parent=parent,
        is_summary=is_summary,
        state=state,
        finish_node=finish_node,
        node_calendar=node_calendar,
        axis=axis,
        actual_start_coordinate=actual_start_coordinate,
        duration=duration,
        start_lower=start_lower,
    )
    node_delay = np.zeros(node_count, dtype=np.int64)
    node_delay[:count] = _levelling_delays(activities, is_summary=is_summary, state=state)
    start_lower += node_delay
    lag = lag + node_delay[successor]
    try:
        network = LevelledNetwork(
            duration,
            predecessor,
            successor,
            from_predecessor_start=from_start,
            to_successor_finish=to_finish,
            lag=lag,
            calendar_index=node_calendar if len(calendar_list) > 1 else None,
            axis=axis,
            node_names=node_names,
        )
    except CycleError as error:
        raise CycleError(_collapse_repeats(error.activity_keys)) from None
    return PreparedNetwork(
        activities=activities,
        keys=keys,
        axis=axis,
        project_keys=project_keys,
        is_summary=is_summary,
        parent=parent,
        depth=depth,
        state=state,
        actual_start_wall=actual_start_wall,
        actual_finish_wall=actual_finish_wall,
        finish_node=finish_node,
        node_calendar=node_calendar,
        node_project=node_project,
        duration=duration,
        start_lower=start_lower,
        finish_upper=finish_upper,
        sort_keys=sort_keys,
        network=network,
    )


def _progress(
    activities: tuple[Activity, ...],
    is_summary: np.ndarray,
    activity_calendar: np.ndarray,
    axis: WorkingTimeAxis,
    status_wall: int | None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """State of each leaf and its reported actual dates (wall minutes). A ``date`` actual becomes
    the first working minute of that day (start) or the end of its last one (finish)."""
    count = len(activities)
    state = np.zeros(count, dtype=np.int64)
    start_wall = np.zeros(count, dtype=np.int64)
    finish_wall = np.zeros(count, dtype=np.int64)
    start_is_date = np.zeros(count, dtype=bool)
    finish_is_date = np.zeros(count, dtype=bool)
    only_start = np.zeros(count, dtype=bool)
    for position, activity in enumerate(activities):
        if is_summary[position] or activity.actual_start is None:
            continue
        state[position] = COMPLETED if activity.is_finished else IN_PROGRESS
        start_wall[position] = _moment_wall(activity.actual_start, at_finish=False)
        start_is_date[position] = not isinstance(activity.actual_start, datetime)
        finish = activity.actual_finish if activity.actual_finish is not None else activity.actual_start
        finish_wall[position] = _moment_wall(finish, at_finish=activity.actual_finish is not None)
        finish_is_date[position] = not isinstance(finish, datetime)
        only_start[position] = activity.actual_finish is None and state[position] == COMPLETED
    for mask, wall, normalise in (
        (start_is_date, start_wall, axis.start_wall),
        (finish_is_date, finish_wall, axis.finish_wall),
    ):
        if mask.any():
            rows = activity_calendar[mask]
            wall[mask] = normalise(rows, axis.to_working(rows, wall[mask]))
    # A zero-duration activity recorded with only a start finished at that moment.
    finish_wall[only_start] = start_wall[only_start]
    started = np.flatnonzero(state > NOT_STARTED)
    if started.size:
        if status_wall is None:
            raise ScheduleError(
                f"Activity {activities[started[0]].key} has progress, so the schedule needs a status_date."
            )
        late = started[
            (start_wall[started] > status_wall) | ((state[started] == COMPLETED) & (finish_wall[started] > status_wall))
        ]
        if late.size:
            names = ", ".join(activities[position].key for position in late[:10])
            raise ScheduleError(f"Actual dates after the status date: {names}. Correct the actuals or the status date.")
    return state, start_wall, finish_wall


def _levelling_delays(activities: tuple[Activity, ...], *, is_summary: np.ndarray, state: np.ndarray) -> np.ndarray:
    """The levelling delay of each activity (working minutes of its calendar); 0 once it has
    started, since its start is then a fact. Refuses a non-zero delay on a summary activity."""
    delay = np.array([activity.levelling_delay_minutes for activity in activities], dtype=np.int64)
    refused = np.flatnonzero(is_summary & (delay > 0))
    if refused.size:
        names = ", ".join(activities[position].key for position in refused[:10])
        raise ScheduleError(
            f"Summary activities take no levelling delay (their dates come from their children): {names}. "
            "Delay their child activities instead."
        )
    delay[state > NOT_STARTED] = 0
    return delay


def _bound_leaves(
    activities: tuple[Activity, ...],
    *,
    is_summary: np.ndarray,
    state: np.ndarray,
    activity_calendar: np.ndarray,
    axis: WorkingTimeAxis,
    status_wall: int | None,
    actual_start_coordinate: np.ndarray,
    actual_finish_wall: np.ndarray,
    duration: np.ndarray,
    start_lower: np.ndarray,
    finish_upper: np.ndarray,
) -> None:
    """Durations and date bounds of the leaf nodes (in place): progress, status date, constraints, deadlines."""
    count = len(activities)
    leaves = ~is_summary
    duration[:count] = np.array([activity.remaining_minutes for activity in activities], dtype=np.int64)
    duration[:count][is_summary] = 0
    completed = np.flatnonzero(leaves & (state == COMPLETED))
    finish_coordinate = axis.to_working(activity_calendar[completed], actual_finish_wall[completed])
    duration[completed] = np.maximum(finish_coordinate - actual_start_coordinate[completed], 0)
    start_lower[completed] = actual_start_coordinate[completed]
    finish_upper[completed] = actual_start_coordinate[completed] + duration[completed]
    open_leaves = np.flatnonzero(leaves & (state != COMPLETED))
    if status_wall is not None and open_leaves.size:
        status = axis.to_working(activity_calendar[open_leaves], np.full(open_leaves.size, status_wall))
        start_lower[open_leaves] = np.maximum(start_lower[open_leaves], status)
    rows: list[int] = []
    walls: list[int] = []
    kinds: list[int] = []  # 0: start >= wall, 1: finish >= wall, 2: start <= wall, 3: finish <= wall

    def bound(position: int, wall: int, kind: int) -> None:
        rows.append(position)
        walls.append(wall)
        kinds.append(kind)

    for position in open_leaves.tolist():
        activity = activities[position]
        constraint = activity.constraint_type
        started = state[position] == IN_PROGRESS
        if constraint.is_dated and not (started and constraint.is_on_start):
            at_finish = not constraint.is_on_start
            wall = _moment_wall(activity.constraint_date, at_finish=at_finish)
            if constraint.bounds_from_below:
                bound(position, wall, int(at_finish))
            if constraint.bounds_from_above:
                bound(position, wall, 2 + int(at_finish))
        if activity.deadline is not None:
            bound(position, _moment_wall(activity.deadline, at_finish=True), 3)
    if not rows:
        return
    rows_array, kinds_array = np.array(rows, dtype=np.int64), np.array(kinds)
    coordinate = axis.to_working(activity_calendar[rows_array], np.array(walls, dtype=np.int64))
    # Bounds on a finish become bounds on the start variable through the (remaining) duration.
    coordinate_for_start = np.where(kinds_array % 2 == 1, coordinate - duration[rows_array], coordinate)
    below = kinds_array < 2
    np.maximum.at(start_lower, rows_array[below], coordinate_for_start[below])
    np.minimum.at(finish_upper, rows_array[~below], coordinate_for_start[~below] + duration[rows_array[~below]])


def _bound_summaries(
    activities: tuple[Activity, ...],
    *,
    summary_rows: np.ndarray,
    finish_node: np.ndarray,
    activity_calendar: np.ndarray,
    axis: WorkingTimeAxis,
    start_lower: np.ndarray,
    finish_upper: np.ndarray,
) -> None:
    """A summary's SNET holds back its start gate; its FNLT and deadline limit its finish gate."""
    for position in summary_rows.tolist():
        activity = activities[position]
        row = activity_calendar[position]
        constraint = activity.constraint_type
        if constraint is ConstraintType.START_NO_EARLIER_THAN:
            wall = _moment_wall(activity.constraint_date, at_finish=False)
            start_lower[position] = max(start_lower[position], int(axis.to_working(row, np.array([wall]))[0]))
        finish_walls = []
        if constraint is ConstraintType.FINISH_NO_LATER_THAN:
            finish_walls.append(_moment_wall(activity.constraint_date, at_finish=True))
        if activity.deadline is not None:
            finish_walls.append(_moment_wall(activity.deadline, at_finish=True))
        for wall in finish_walls:
            gate = finish_node[position]
            finish_upper[gate] = min(finish_upper[gate], int(axis.to_working(row, np.array([wall]))[0]))


def _explain_bad_link(links: tuple[Link, ...], index: Mapping[str, int]) -> None:
    """Raise a ScheduleError naming the first link that is not a Link or names an unknown activity."""
    for link in links:
        if not isinstance(link, Link):
            raise ScheduleError(f"Expected a Link, got {link!r}.")
        for key in (link.predecessor_key, link.successor_key):
            if key not in index:
                raise ScheduleError(
                    f"The link {link.predecessor_key} → {link.successor_key} refers to activity {key}, "
                    "which is not in the network."
                )


def _kernel_links(
    activities: tuple[Activity, ...],
    links: Iterable[Link],
    *,
    index: Mapping[str, int],
    parent: np.ndarray,
    is_summary: np.ndarray,
    state: np.ndarray,
    finish_node: np.ndarray,
    node_calendar: np.ndarray,
    axis: WorkingTimeAxis,
    actual_start_coordinate: np.ndarray,
    duration: np.ndarray,
    start_lower: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Links between nodes, with summaries replaced by their gates and progress applied; the
    links from an in-progress activity's actual start become bounds on their successors (in place)."""
    links = tuple(links)
    try:
        predecessor = np.array([index[link.predecessor_key] for link in links], dtype=np.int64)
        successor = np.array([index[link.successor_key] for link in links], dtype=np.int64)
        codes = np.array([LINK_TYPE_CODES[link.link_type] for link in links], dtype=np.int64)
        lag = np.array([link.lag_minutes for link in links], dtype=np.int64)
    except (KeyError, AttributeError):
        _explain_bad_link(links, index)
        raise
    from_start = (codes == 1) | (codes == 3)
    to_finish = codes >= 2
    for unsupported, end, allowed in (
        (is_summary[predecessor] & from_start, "from", "FS or FF"),
        (is_summary[successor] & to_finish, "to", "FS or SS"),
    ):
        if unsupported.any():
            link = links[int(np.flatnonzero(unsupported)[0])]
            raise ScheduleError(
                f"The {link.link_type} link {link.predecessor_key} → {link.successor_key} goes {end} a summary "
                f"activity; links {end} a summary must be {allowed} (link a child activity instead)."
            )
    predecessor = np.where(is_summary[predecessor], finish_node[predecessor], predecessor)
    count = len(activities)
    # Gates: start gate → each child's start (SS), each child's finish → finish gate (FF).
    children = np.flatnonzero(parent >= 0)
    parents = parent[children]
    zeros = np.zeros(len(children), dtype=np.int64)
    predecessor = np.concatenate((predecessor, parents, finish_node[children]))
    successor = np.concatenate((successor, children, finish_node[parents]))
    from_start = np.concatenate((from_start, np.ones(len(children), bool), np.zeros(len(children), bool)))
    to_finish = np.concatenate((to_finish, np.zeros(len(children), bool), np.ones(len(children), bool)))
    lag = np.concatenate((lag, zeros, zeros))
    # Nothing moves a completed activity: drop the links into it.
    successor_is_activity = successor < count
    into_completed = successor_is_activity & (state[np.minimum(successor, count - 1)] == COMPLETED)
    predecessor_is_activity = predecessor < count
    safe_predecessor = np.minimum(predecessor, count - 1)
    from_actual_start = (
        predecessor_is_activity & (state[safe_predecessor] == IN_PROGRESS) & from_start & ~into_completed
    )
    if from_actual_start.any():
        source, target = predecessor[from_actual_start], successor[from_actual_start]
        carried = actual_start_coordinate[source]
        crossing = node_calendar[source] != node_calendar[target]
        if crossing.any():
            carried[crossing] = axis.carry_forward(
                node_calendar[target[crossing]],
                node_calendar[source[crossing]],
                carried[crossing],
                source_is_start=True,
                target_is_finish=to_finish[from_actual_start][crossing] | (duration[target[crossing]] == 0),
            )
        bound = carried + lag[from_actual_start] - np.where(to_finish[from_actual_start], duration[target], 0)
        np.maximum.at(start_lower, target, bound)
    keep = ~(into_completed | from_actual_start)
    return predecessor[keep], successor[keep], from_start[keep], to_finish[keep], lag[keep]
