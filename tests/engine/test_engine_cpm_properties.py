"""Invariants of :func:`pmo_engine.schedule` on random networks (hypothesis).

Dates are read back into working minutes with the plain calendar functions, an implementation
independent of the vectorised axis the scheduler uses.
"""

from dataclasses import replace
from datetime import date, datetime, timedelta
from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from pmo_engine import (
    Activity,
    Calendar,
    ConstraintType,
    CycleError,
    Link,
    LinkType,
    add_working_minutes,
    schedule,
    working_minutes_between,
)

DAY = 480
MONDAY = date(2025, 3, 10)
ORIGIN = datetime(2025, 3, 10)
CALENDARS = {
    None: Calendar(),
    "seven-days": Calendar(key="seven-days", working_weekdays=range(7), holidays={date(2025, 3, 16)}),
    "short-days": Calendar(
        key="short-days",
        working_weekdays={0, 1, 2, 3},
        working_periods=((9 * 60, 13 * 60),),
        holidays={date(2025, 3, 13), date(2025, 3, 20)},
        extra_working_dates={date(2025, 3, 15)},
    ),
}
DATED = [constraint for constraint in ConstraintType if constraint.is_dated]


@st.composite
def networks(draw, *, max_activities=9, several_calendars=False, constraints=False):
    """Activities K0..Kn-1 and links that only go from a lower to a higher index (so no cycle)."""
    count = draw(st.integers(1, max_activities))
    activities = []
    for index in range(count):
        duration = draw(st.sampled_from([0, 30, 120, DAY, 2 * DAY, 3 * DAY + 90, 5 * DAY]))
        fields = {}
        if several_calendars:
            fields["calendar_key"] = draw(st.sampled_from(list(CALENDARS)))
        if constraints and draw(st.booleans()):
            fields["constraint_type"] = draw(st.sampled_from(DATED))
            fields["constraint_date"] = datetime(2025, 3, draw(st.integers(10, 31)), draw(st.sampled_from([0, 8, 15])))
        if constraints and draw(st.integers(0, 4)) == 0:
            fields["deadline"] = date(2025, 3, draw(st.integers(10, 31)))
        fields["project_key"] = draw(st.sampled_from(["P", "Q"]))
        activities.append(Activity(f"K{index}", duration, **fields))
    pairs = draw(st.lists(st.tuples(st.integers(0, count - 1), st.integers(0, count - 1)), max_size=3 * count))
    links = []
    for first, second in pairs:
        if first == second:
            continue
        link_type = draw(st.sampled_from(list(LinkType)))
        lag = draw(st.sampled_from([0, 0, 0, 60, DAY, -120, -DAY, 2 * DAY + 30]))
        links.append(Link(f"K{min(first, second)}", f"K{max(first, second)}", link_type, lag))
    return activities, links


def calendar_of(activity):
    return CALENDARS[activity.calendar_key]


def coordinate(activity, moment):
    return working_minutes_between(calendar_of(activity), ORIGIN, moment)


def run(activities, links, **options):
    return schedule(activities, links, project_start=MONDAY, calendars=list(CALENDARS.values())[1:], **options)


def link_holds(link, activities_by_key, result, *, late, predecessor_delay=0, milestone_at_moment=False):
    """Whether the dates shown satisfy ``link``, the predecessor delayed by ``predecessor_delay``
    working minutes of its calendar. On one calendar working time is one line: compare working
    minutes. Across calendars compare moments: the successor's point must not come before the
    predecessor's, and a lag counts working minutes of the successor's calendar from there."""
    before, after = activities_by_key[link.predecessor_key], activities_by_key[link.successor_key]
    dates_before, dates_after = result[before.key], result[after.key]
    if link.link_type.from_predecessor_start:
        point_before = dates_before.late_start if late else dates_before.early_start
    else:
        point_before = dates_before.late_finish if late else dates_before.early_finish
    if link.link_type.to_successor_finish:
        point_after = dates_after.late_finish if late else dates_after.early_finish
    else:
        point_after = dates_after.late_start if late else dates_after.early_start
    if before.calendar_key == after.calendar_key:
        return coordinate(after, point_after) >= coordinate(before, point_before) + predecessor_delay + link.lag_minutes
    moment = add_working_minutes(calendar_of(before), point_before, predecessor_delay)
    if link.lag_minutes == 0:
        return point_after >= moment
    if link.link_type.to_successor_finish or (after.duration_minutes == 0 and not milestone_at_moment):
        # The first finish not before the moment ends a working minute at or after it.
        needed = working_minutes_between(calendar_of(after), ORIGIN, moment - timedelta(minutes=1)) + 1
    else:
        # A start; or, with ``milestone_at_moment``, a milestone that may sit at the moment itself
        # (an actual finish can put the moment at the very start of a working period).
        needed = working_minutes_between(calendar_of(after), ORIGIN, moment)
    return coordinate(after, point_after) >= needed + link.lag_minutes


@settings(max_examples=150, deadline=None)
@given(networks())
def test_total_float_is_never_negative_without_constraints(network):
    activities, links = network
    result = run(activities, links)
    for activity in result:
        assert activity.total_float_minutes >= 0
        assert 0 <= activity.free_float_minutes <= activity.total_float_minutes
        assert activity.early_start <= activity.late_start
        assert activity.is_critical == (activity.total_float_minutes == 0)
    assert result.conflicts == ()
    assert any(activity.is_critical for activity in result)


@settings(max_examples=150, deadline=None)
@given(networks(several_calendars=True))
def test_every_link_is_satisfied_by_early_and_late_dates(network):
    activities, links = network
    result = run(activities, links)
    by_key = {activity.key: activity for activity in activities}
    for link in links:
        assert link_holds(link, by_key, result, late=False), link
        assert link_holds(link, by_key, result, late=True), link
    for activity in activities:
        dates = result[activity.key]
        assert coordinate(activity, dates.early_finish) - coordinate(activity, dates.early_start) == (
            activity.duration_minutes
        )
        assert dates.early_start >= datetime(2025, 3, 10, 8)
        assert dates.late_finish <= result.project_finish[activity.project_key]


@settings(max_examples=150, deadline=None)
@given(networks(several_calendars=True))
def test_critical_paths_run_through_critical_activities_on_tight_links(network):
    activities, links = network
    result = run(activities, links)
    by_key = {activity.key: activity for activity in activities}
    on_paths = {key for path in result.critical_paths for key in path}
    assert on_paths == set(result.critical_activities())
    for path in result.critical_paths:
        for key in path:
            assert result[key].total_float_minutes == 0
        for before, after in pairwise(path):
            joining = [link for link in links if (link.predecessor_key, link.successor_key) == (before, after)]
            assert joining
            assert any(not link_holds(link, by_key, result, late=False, predecessor_delay=1) for link in joining), (
                "a link on a critical path is tight: delaying its predecessor by a minute would break it"
            )


@settings(max_examples=150, deadline=None)
@given(networks(several_calendars=True, constraints=True), st.randoms(use_true_random=False))
def test_results_do_not_depend_on_input_order(network, random):
    activities, links = network
    result = run(activities, links)
    shuffled_activities, shuffled_links = list(activities), list(links)
    random.shuffle(shuffled_activities)
    random.shuffle(shuffled_links)
    again = run(shuffled_activities, shuffled_links)
    assert dict(again.activities) == dict(result.activities)
    assert again.conflicts == result.conflicts
    assert again.critical_paths == result.critical_paths
    assert dict(again.project_finish) == dict(result.project_finish)


@settings(max_examples=150, deadline=None)
@given(networks(constraints=True))
def test_negative_float_appears_exactly_when_a_conflict_is_reported(network):
    activities, links = network
    result = run(activities, links)
    by_key = {activity.key: activity for activity in activities}
    has_negative_float = any(activity.total_float_minutes < 0 for activity in result)
    assert has_negative_float == bool(result.conflicts)
    for conflict in result.conflicts:
        activity = by_key[conflict.activity_key]
        assert conflict.constraint_date in (activity.constraint_date, activity.deadline)
        assert result[activity.key].total_float_minutes < 0
    # Links still hold whatever the constraints.
    for link in links:
        assert link_holds(link, by_key, result, late=False)


def reference_early_and_late(activities, links):
    """Longest paths by repeated relaxation in plain Python (single calendar, working minutes)."""
    duration = {activity.key: activity.duration_minutes for activity in activities}
    early = dict.fromkeys(duration, 0)

    def weight(link):
        offset_before = 0 if link.link_type.from_predecessor_start else duration[link.predecessor_key]
        offset_after = duration[link.successor_key] if link.link_type.to_successor_finish else 0
        return offset_before + link.lag_minutes - offset_after

    for _ in range(len(activities)):
        for link in links:
            early[link.successor_key] = max(early[link.successor_key], early[link.predecessor_key] + weight(link))
    finish = {}
    for activity in activities:
        project = activity.project_key
        finish[project] = max(finish.get(project, 0), early[activity.key] + duration[activity.key])
    late = {activity.key: finish[activity.project_key] - duration[activity.key] for activity in activities}
    for _ in range(len(activities)):
        for link in links:
            late[link.predecessor_key] = min(late[link.predecessor_key], late[link.successor_key] - weight(link))
    return early, late


@settings(max_examples=150, deadline=None)
@given(networks())
def test_dates_match_a_plain_longest_path_computation(network):
    activities, links = network
    result = run(activities, links)
    early, late = reference_early_and_late(activities, links)
    for activity in activities:
        dates = result[activity.key]
        assert coordinate(activity, dates.early_start) == early[activity.key]  # Monday 08:00 is minute 0
        assert coordinate(activity, dates.late_start) == late[activity.key]
        assert dates.total_float_minutes == late[activity.key] - early[activity.key]


STATUS = datetime(2025, 3, 14, 17)  # Friday evening


@st.composite
def networks_with_progress(draw):
    """A network whose activities, in index order, are completed, in progress or not started at STATUS."""
    activities, links = draw(networks(several_calendars=True))
    working_moments = [datetime(2025, 3, day, hour) for day in (10, 11, 12, 13, 14) for hour in (8, 10, 14)]
    with_progress = []
    for activity in activities:
        state = draw(st.sampled_from(["completed", "in_progress", "not_started", "not_started"]))
        if state == "not_started" or activity.calendar_key == "short-days":
            with_progress.append(activity)
            continue
        start = draw(st.sampled_from(working_moments))
        if state == "completed" or activity.duration_minutes == 0:
            finish = draw(st.sampled_from([moment for moment in working_moments if moment >= start]))
            fields = {"actual_start": start, "actual_finish": finish}
        else:
            fields = {"actual_start": start, "percent_complete": draw(st.sampled_from([0, 10, 50, 99]))}
        with_progress.append(replace(activity, **fields))
    return with_progress, links


@settings(max_examples=150, deadline=None)
@given(networks_with_progress(), st.randoms(use_true_random=False))
def test_progress_keeps_actuals_and_schedules_the_rest_after_the_status_date(network, random):
    activities, links = network
    result = run(activities, links, status_date=STATUS)
    by_key = {activity.key: activity for activity in activities}
    for activity in activities:
        dates = result[activity.key]
        assert dates.total_float_minutes >= 0
        if activity.actual_start is not None:
            assert dates.early_start == dates.late_start == activity.actual_start
        if activity.actual_finish is not None:
            assert dates.early_finish == dates.late_finish == activity.actual_finish
            assert not dates.is_critical
        elif activity.actual_start is not None:
            assert coordinate(activity, dates.early_finish) >= coordinate(activity, STATUS) + activity.remaining_minutes
        else:
            assert coordinate(activity, dates.early_start) >= coordinate(activity, STATUS)
    for link in links:
        if by_key[link.successor_key].actual_start is None:
            assert link_holds(link, by_key, result, late=False, milestone_at_moment=True), link
    shuffled_activities, shuffled_links = list(activities), list(links)
    random.shuffle(shuffled_activities)
    random.shuffle(shuffled_links)
    again = run(shuffled_activities, shuffled_links, status_date=STATUS)
    assert dict(again.activities) == dict(result.activities)
    assert again.critical_paths == result.critical_paths


@st.composite
def networks_with_summaries(draw):
    """Leaves K0..Kn-1 grouped under summaries S0..Sk (some nested); FS/SS links into summaries,
    FS/FF links out of them."""
    activities, links = draw(networks(several_calendars=True, max_activities=7))
    summary_count = draw(st.integers(1, 3))
    summaries = []
    for index in range(summary_count):
        parent = f"S{draw(st.integers(0, index - 1))}" if index and draw(st.booleans()) else None
        summaries.append(Activity(f"S{index}", parent_key=parent, project_key="P"))
    leaves = []
    for activity in activities:
        parent = draw(st.sampled_from([None, *(summary.key for summary in summaries)]))
        leaves.append(replace(activity, parent_key=parent))
    # A summary without children is an ordinary (zero-duration) activity: keep only real ones.
    parents = {activity.parent_key for activity in leaves + summaries}
    summaries = [summary for summary in summaries if summary.key in parents]
    keys_by_summary = {summary.key: _descendants(summary.key, leaves + summaries) for summary in summaries}
    for summary in summaries:
        outside = [leaf.key for leaf in leaves if leaf.key not in keys_by_summary[summary.key]]
        if not outside:
            continue
        other = draw(st.sampled_from(outside))
        if draw(st.booleans()):
            link_type = draw(st.sampled_from([LinkType.FINISH_TO_START, LinkType.START_TO_START]))
            links.append(Link(other, summary.key, link_type))
        else:
            link_type = draw(st.sampled_from([LinkType.FINISH_TO_START, LinkType.FINISH_TO_FINISH]))
            links.append(Link(summary.key, other, link_type))
    return leaves + summaries, links


def _descendants(key, activities):
    children = [activity.key for activity in activities if activity.parent_key == key]
    found = set(children)
    for child in children:
        found |= _descendants(child, activities)
    return found


@settings(max_examples=150, deadline=None)
@given(networks_with_summaries(), st.randoms(use_true_random=False))
def test_summaries_span_their_children_and_keep_their_links(network, random):
    activities, links = network
    try:
        result = run(activities, links)
    except CycleError as error:
        # Links between summaries and leaves may close a loop; the error must name a real cycle.
        assert len(error.activity_keys) >= 2
        return
    by_key = {activity.key: activity for activity in activities}
    for activity in activities:
        children = [child for child in activities if child.parent_key == activity.key]
        if not children:
            continue
        dates = result[activity.key]
        assert dates.is_summary
        assert dates.early_start == min(result[child.key].early_start for child in children)
        assert dates.early_finish == max(result[child.key].early_finish for child in children)
        assert dates.late_finish == max(result[child.key].late_finish for child in children)
        assert dates.total_float_minutes >= 0
    for link in links:
        assert link_holds(link, by_key, result, late=False), link
    assert all(not result[key].is_summary for path in result.critical_paths for key in path)
    shuffled_activities, shuffled_links = list(activities), list(links)
    random.shuffle(shuffled_activities)
    random.shuffle(shuffled_links)
    again = run(shuffled_activities, shuffled_links)
    assert dict(again.activities) == dict(result.activities)
    assert again.critical_paths == result.critical_paths
