"""The one entry point of the critical path method on activities: :func:`schedule`."""

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from types import MappingProxyType

import numpy as np

from pmo_engine.calendar import wall_minutes
from pmo_engine.cpm.kernel import LevelledNetwork
from pmo_engine.cpm.network import COMPLETED, IN_PROGRESS, NOT_STARTED, PreparedNetwork, prepare_network
from pmo_engine.cpm.paths import critical_chains
from pmo_engine.cpm.results import (
    ActivitySchedule,
    ConflictKind,
    ProgressState,
    ScheduleConflict,
    ScheduleResult,
)
from pmo_engine.errors import ScheduleError
from pmo_engine.model import Activity, Calendar, ConstraintType, Link, moment_at_finish, moment_at_start

_STATES = {
    NOT_STARTED: ProgressState.NOT_STARTED,
    IN_PROGRESS: ProgressState.IN_PROGRESS,
    COMPLETED: ProgressState.COMPLETED,
}
_EARLIEST_WALL = np.iinfo(np.int64).min // 4
_LATEST_WALL = np.iinfo(np.int64).max // 4


def schedule(
    activities: Iterable[Activity],
    links: Iterable[Link] = (),
    *,
    project_start: date,
    project_starts: Mapping[str, date] | None = None,
    calendars: Iterable[Calendar] = (),
    default_calendar: Calendar | None = None,
    status_date: date | None = None,
    critical_float_minutes: int = 0,
    max_critical_paths: int = 100,
) -> ScheduleResult:
    """Early and late dates, floats, critical activities and paths of a network of activities.

    - ``activities`` may come from several projects (``Activity.project_key``); ``links`` may join
      activities of different projects. Each project starts at ``project_starts[key]``, else at
      ``project_start``; its late dates are measured back from its own early finish.
    - ``calendars``: the calendars activities name by key; ``default_calendar`` (default: Monday to
      Friday, 08:00-12:00 and 13:00-17:00) serves activities without a calendar key.
    - ``status_date``: progress date, needed when any activity has actuals. Completed activities
      keep their actual dates; an in-progress activity keeps its actual start and its remaining
      duration is scheduled from the status date; no unstarted work starts before it.
    - Links take precedence over constraint dates (MS Project with "tasks will always honour
      their constraint dates" off, as Primavera P6): early dates always satisfy the links, and a
      constraint or deadline they cannot meet is listed in ``conflicts`` and shows as negative
      total float. SNET/FNET/MSO/MFO hold early dates back; SNLT/FNLT/MSO/MFO and deadlines cap
      late dates; an ALAP activity is shown as late as its free float allows.
    - ``Activity.levelling_delay_minutes`` holds an unstarted activity back: its early start is
      the start its links and dates allow plus that much working time on its calendar, and its
      successors follow through the links. Late dates leave room for it, so that floats stay
      0 or more whatever the delays (unless a date limit cannot be met) and a predecessor's float
      never counts a successor's delay.
    - ``critical_float_minutes``: an activity is critical when its total float is at most this.
    - ``max_critical_paths``: at most this many chains are listed (see ``critical_paths_truncated``).

    Raises :class:`~pmo_engine.errors.CycleError` naming the activities of a cycle and
    :class:`~pmo_engine.errors.ScheduleError` for unknown keys, duplicates and unsupported input.
    Cost: O(n + m) numpy work in O(levels) numpy calls, plus O(n + m) Python to read the input
    and build the result.
    """
    for name, value in (("critical_float_minutes", critical_float_minutes), ("max_critical_paths", max_critical_paths)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ScheduleError(f"{name} must be a whole number, not {value!r}.")
    if max_critical_paths < 0:
        raise ScheduleError(f"max_critical_paths must be 0 or more, not {max_critical_paths}.")
    prepared = prepare_network(
        activities,
        links,
        project_start=project_start,
        project_starts=project_starts,
        calendars=calendars,
        default_calendar=default_calendar,
        status_date=status_date,
    )
    return _report(prepared, critical_float_minutes, max_critical_paths)


def _logic_driven_finish(prepared: PreparedNetwork, early_start: np.ndarray) -> np.ndarray:
    """Nodes whose early start is set only by links from the end of work, and by no date.

    A zero-duration activity's date is a point between two working periods. It is shown at the
    end of the earlier one (Friday 17:00, like a finish milestone) when every link that drives
    it leaves the finish of work (or a zero-duration activity shown that way), and at the start
    of the next one (Monday 08:00) otherwise: then it is never shown before anything driving it.
    Iterates along chains of zero-duration activities (usually once). O(m) per iteration.
    """
    network = prepared.network
    predecessor, successor = network.predecessor, network.successor
    node_count = len(early_start)
    driving = network.earliest_successor_starts(early_start) == early_start[successor]
    driving_count = np.bincount(successor[driving], minlength=node_count)
    zero = prepared.duration == 0
    # A positive lag is working time elapsed after the predecessor's point, so it ends at the end
    # of work whatever the predecessor is (MS Project shows such a milestone at 17:00, not 08:00).
    after_lag = network.lag > 0
    from_end_of_work = driving & ((~network.from_predecessor_start & ~zero[predecessor]) | after_lag)
    from_zero = driving & zero[predecessor] & ~after_lag
    held_by_date = early_start <= prepared.start_lower
    flavour = np.zeros(node_count, dtype=bool)
    while True:
        finish_links = from_end_of_work | (from_zero & flavour[predecessor])
        finish_count = np.bincount(successor[finish_links], minlength=node_count)
        updated = (driving_count > 0) & (finish_count == driving_count) & ~held_by_date
        if np.array_equal(updated, flavour):
            return flavour
        flavour = updated


def _leaf_walls(
    prepared: PreparedNetwork, start: np.ndarray, finish_flavour: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Start and finish walls of the activities' nodes from start coordinates (early or late):
    started activities keep their actual start, completed ones their actual finish."""
    count = prepared.activity_count
    axis, rows = prepared.axis, prepared.node_calendar[:count]
    duration = prepared.duration[:count]
    start_wall = axis.start_wall(rows, start[:count])
    finish_wall = axis.finish_wall(rows, start[:count] + duration)
    zero = duration == 0
    start_wall[zero & finish_flavour] = finish_wall[zero & finish_flavour]
    finish_wall[zero & ~finish_flavour] = start_wall[zero & ~finish_flavour]
    started = prepared.state > NOT_STARTED
    start_wall[started] = prepared.actual_start_wall[started]
    completed = prepared.state == COMPLETED
    finish_wall[completed] = prepared.actual_finish_wall[completed]
    return start_wall, finish_wall


def _roll_up(prepared: PreparedNetwork, walls: list[np.ndarray], lowest: list[bool]) -> None:
    """Summary values from their children, deepest level first (in place): min or max per array."""
    parent, depth = prepared.parent, prepared.depth
    summaries = prepared.is_summary
    for values, take_lowest in zip(walls, lowest, strict=True):
        values[summaries] = _LATEST_WALL if take_lowest else _EARLIEST_WALL
    for level in range(int(depth.max(initial=0)), 0, -1):
        children = np.flatnonzero(depth == level)
        for values, take_lowest in zip(walls, lowest, strict=True):
            (np.minimum if take_lowest else np.maximum).at(values, parent[children], values[children])


def _summary_states(prepared: PreparedNetwork) -> np.ndarray:
    """Completed when every leaf below is, in progress when any has started, else not started."""
    state = prepared.state.copy()
    leaves = ~prepared.is_summary
    leaf_count = leaves.astype(np.int64)
    started = (leaves & (state > NOT_STARTED)).astype(np.int64)
    completed = (leaves & (state == COMPLETED)).astype(np.int64)
    parent, depth = prepared.parent, prepared.depth
    for level in range(int(depth.max(initial=0)), 0, -1):
        children = np.flatnonzero(depth == level)
        for counts in (leaf_count, started, completed):
            np.add.at(counts, parent[children], counts[children])
    summaries = prepared.is_summary
    state[summaries] = np.where(
        completed[summaries] == leaf_count[summaries],
        COMPLETED,
        np.where(started[summaries] > 0, IN_PROGRESS, NOT_STARTED),
    )
    return state


def _report(prepared: PreparedNetwork, critical_float_minutes: int, max_critical_paths: int) -> ScheduleResult:
    network: LevelledNetwork = prepared.network
    axis = prepared.axis
    count = prepared.activity_count
    rows = prepared.node_calendar[:count]
    is_summary = prepared.is_summary

    early_start = network.forward(prepared.start_lower)
    finish_flavour = _logic_driven_finish(prepared, early_start)[:count]
    early_start_wall, early_finish_wall = _leaf_walls(prepared, early_start, finish_flavour)
    _roll_up(prepared, [early_start_wall, early_finish_wall], [True, False])

    # A project's finish: its latest early finish as shown (a project may hold only summaries,
    # whose finish gates then count).
    node_finish_wall = axis.finish_wall(prepared.node_calendar, early_start + prepared.duration)
    node_finish_wall[:count][~is_summary] = early_finish_wall[~is_summary]
    project_finish_wall = np.full(len(prepared.project_keys), _EARLIEST_WALL, dtype=np.int64)
    np.maximum.at(project_finish_wall, prepared.node_project, node_finish_wall)
    project_bound = axis.to_working(prepared.node_calendar, project_finish_wall[prepared.node_project])
    late_start = network.backward(np.minimum(prepared.finish_upper, project_bound))
    total_float = late_start - early_start
    free_float = network.free_float(early_start, total_float)
    # A zero-duration activity with float is shown late at the end of a working period (it must
    # be done by then); without float, where its early date is, so both read the same.
    late_flavour = finish_flavour | (total_float[:count] != 0)
    late_start_wall, late_finish_wall = _leaf_walls(prepared, late_start, late_flavour)

    # Scheduled dates: early, except an unstarted ALAP activity, delayed by its free float.
    shown_start_wall, shown_finish_wall = early_start_wall.copy(), early_finish_wall.copy()
    alap = (
        np.array([a.constraint_type is ConstraintType.AS_LATE_AS_POSSIBLE for a in prepared.activities], dtype=bool)
        & ~is_summary
        & (prepared.state == NOT_STARTED)
    )
    delay = np.where(alap, np.maximum(free_float[:count], 0), 0)
    delayed = np.flatnonzero(delay > 0)
    if delayed.size:
        shifted = early_start[delayed] + delay[delayed]
        shown_start_wall[delayed] = axis.start_wall(rows[delayed], shifted)
        shown_finish_wall[delayed] = axis.finish_wall(rows[delayed], shifted + prepared.duration[delayed])
        zero = prepared.duration[delayed] == 0
        shown_finish_wall[delayed[zero]] = shown_start_wall[delayed[zero]]
    _roll_up(
        prepared,
        [late_start_wall, late_finish_wall, shown_start_wall, shown_finish_wall],
        [True, False, True, False],
    )

    state = _summary_states(prepared)
    activity_total_float = total_float[:count].copy()
    activity_free_float = free_float[:count].copy()
    summary_rows = np.flatnonzero(is_summary)
    if summary_rows.size:
        summary_calendar = rows[summary_rows]
        activity_total_float[summary_rows] = axis.to_working(
            summary_calendar, late_finish_wall[summary_rows]
        ) - axis.to_working(summary_calendar, early_finish_wall[summary_rows])
        activity_free_float[summary_rows] = np.minimum(
            free_float[prepared.finish_node[summary_rows]], activity_total_float[summary_rows]
        )
    completed = state == COMPLETED
    activity_total_float[completed] = 0
    activity_free_float[completed] = 0
    is_critical = ~completed & (activity_total_float <= critical_float_minutes)

    conflicts = _conflicts(prepared, early_start_wall, early_finish_wall)
    paths, truncated = _critical_paths(
        prepared,
        early_start=early_start,
        late_start=late_start,
        total_float=total_float,
        critical_float_minutes=critical_float_minutes,
        max_critical_paths=max_critical_paths,
    )

    as_datetimes = [
        walls.astype("datetime64[m]").tolist()
        for walls in (
            early_start_wall, early_finish_wall, late_start_wall, late_finish_wall, shown_start_wall, shown_finish_wall,
        )
    ]  # fmt: skip
    total_list, free_list = activity_total_float.tolist(), activity_free_float.tolist()
    critical_list, summary_list, state_list = is_critical.tolist(), is_summary.tolist(), state.tolist()
    schedules = {}
    for position, activity in enumerate(prepared.activities):
        schedules[activity.key] = ActivitySchedule(
            key=activity.key,
            project_key=activity.project_key,
            early_start=as_datetimes[0][position],
            early_finish=as_datetimes[1][position],
            late_start=as_datetimes[2][position],
            late_finish=as_datetimes[3][position],
            start=as_datetimes[4][position],
            finish=as_datetimes[5][position],
            total_float_minutes=total_list[position],
            free_float_minutes=free_list[position],
            is_critical=critical_list[position],
            is_summary=summary_list[position],
            progress=_STATES[state_list[position]],
        )
    finishes = project_finish_wall.astype("datetime64[m]").tolist()
    return ScheduleResult(
        activities=MappingProxyType(schedules),
        conflicts=conflicts,
        critical_paths=paths,
        critical_paths_truncated=truncated,
        project_finish=MappingProxyType(dict(zip(prepared.project_keys, finishes, strict=True))),
    )


_CONSTRAINT_CHECKS = {
    # constraint: (on the start?, conflict when the schedule is before / after / either side of the date)
    ConstraintType.START_NO_EARLIER_THAN: (True, "before"),
    ConstraintType.FINISH_NO_EARLIER_THAN: (False, "before"),
    ConstraintType.START_NO_LATER_THAN: (True, "after"),
    ConstraintType.FINISH_NO_LATER_THAN: (False, "after"),
    ConstraintType.MUST_START_ON: (True, "other"),
    ConstraintType.MUST_FINISH_ON: (False, "other"),
}


def _conflicts(
    prepared: PreparedNetwork, early_start_wall: np.ndarray, early_finish_wall: np.ndarray
) -> tuple[ScheduleConflict, ...]:
    """Every constraint and deadline the early (or actual) dates do not meet, in working-time
    coordinates of the activity's calendar, so that Friday 17:00 meets "finish by Saturday"."""
    count = prepared.activity_count
    axis, rows = prepared.axis, prepared.node_calendar[:count]
    checks: list[tuple[int, ConflictKind, ConstraintType | None, date, bool, str]] = []
    for position, activity in enumerate(prepared.activities):
        constraint = activity.constraint_type
        if constraint.is_dated:
            on_start, side = _CONSTRAINT_CHECKS[constraint]
            checks.append((position, ConflictKind.CONSTRAINT, constraint, activity.constraint_date, on_start, side))
        if activity.deadline is not None:
            checks.append((position, ConflictKind.DEADLINE, None, activity.deadline, False, "after"))
    if not checks:
        return ()
    positions = np.array([check[0] for check in checks], dtype=np.int64)
    on_start = np.array([check[4] for check in checks], dtype=bool)
    required_wall = np.array(
        [wall_minutes(moment_at_start(c[3]) if c[4] else moment_at_finish(c[3])) for c in checks], dtype=np.int64
    )
    required = axis.to_working(rows[positions], required_wall)
    scheduled_wall = np.where(on_start, early_start_wall[positions], early_finish_wall[positions])
    scheduled = axis.to_working(rows[positions], scheduled_wall)
    conflicts = []
    for check, needed, got, wall in zip(
        checks, required.tolist(), scheduled.tolist(), scheduled_wall.tolist(), strict=True
    ):
        position, kind, constraint, constraint_date, start_side, side = check
        broken = {"before": got < needed, "after": got > needed, "other": got != needed}[side]
        if not broken:
            continue
        activity = prepared.activities[position]
        started = prepared.state[position] > NOT_STARTED and (start_side or prepared.state[position] == COMPLETED)
        which = f"{'actual' if started else 'early'} {'start' if start_side else 'finish'}"
        moment = np.datetime64(wall, "m").tolist()
        shown_date = (
            constraint_date.isoformat(sep=" ", timespec="minutes")
            if isinstance(constraint_date, datetime)
            else constraint_date.isoformat()
        )
        if kind is ConflictKind.DEADLINE:
            message = (
                f"Activity {activity.key} misses its deadline {shown_date}: its {which} is {moment:%Y-%m-%d %H:%M}."
            )
        else:
            message = (
                f"Activity {activity.key} cannot meet its {constraint} constraint on {shown_date}: "
                f"its {which} is {moment:%Y-%m-%d %H:%M}."
            )
        conflicts.append(ScheduleConflict(activity.key, kind, constraint, constraint_date, moment, message))
    conflicts.sort(key=lambda conflict: (conflict.activity_key, conflict.kind, str(conflict.constraint_type)))
    return tuple(conflicts)


def _critical_paths(
    prepared: PreparedNetwork,
    *,
    early_start: np.ndarray,
    late_start: np.ndarray,
    total_float: np.ndarray,
    critical_float_minutes: int,
    max_critical_paths: int,
) -> tuple[tuple[tuple[str, ...], ...], bool]:
    network = prepared.network
    count = prepared.activity_count
    node_is_activity = np.zeros(len(early_start), dtype=bool)
    node_is_activity[:count] = ~prepared.is_summary
    node_state = np.zeros(len(early_start), dtype=np.int64)
    node_state[:count] = prepared.state
    critical = (total_float <= critical_float_minutes) & (node_state != COMPLETED)
    link_float = network.latest_predecessor_starts(late_start) - early_start[network.predecessor]
    critical_link = critical[network.predecessor] & critical[network.successor] & (link_float <= critical_float_minutes)
    chains, truncated = critical_chains(
        network.predecessor,
        network.successor,
        critical_link,
        critical_nodes=np.flatnonzero(critical),
        sort_keys=prepared.sort_keys,
        limit=max_critical_paths,
    )
    unique = {tuple(prepared.keys[node] for node in chain if node_is_activity[node]) for chain in chains} - {()}
    # Without summaries no chain lies inside another (it would start at a node with a critical
    # predecessor link); the gates of a summary can produce such pieces, which add nothing.
    kept = [chain for chain in unique if not any(_is_inside(chain, other) for other in unique if other != chain)]
    return tuple(sorted(kept)), truncated


def _is_inside(chain: tuple[str, ...], other: tuple[str, ...]) -> bool:
    """True when ``chain`` is a contiguous run of ``other``."""
    size = len(chain)
    return size < len(other) and any(other[offset : offset + size] == chain for offset in range(len(other) - size + 1))
