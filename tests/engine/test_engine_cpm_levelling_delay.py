"""Levelling delays in the critical path method: an unstarted activity starts its delay (working
minutes of its own calendar) after the start its links and dates allow, and its successors follow.

Calendar: the default Monday-Friday, 08:00-12:00 and 13:00-17:00 (480 minutes a day); the
project starts on Monday 10 March 2025 unless said otherwise.
"""

from dataclasses import replace
from datetime import date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pmo_engine import (
    Activity,
    Calendar,
    InvalidInput,
    Link,
    LinkType,
    ScheduleError,
    schedule,
    working_minutes_between,
)
from pmo_engine.formats import FileFormatError, Plan, PlanActivity, PlanCalendar, PlanLink, read_mspdi, write_mspdi

DAY = 480
MONDAY = date(2025, 3, 10)
ORIGIN = datetime(2025, 3, 10)
ALL_WEEK = Calendar(key="all-week", working_weekdays=range(7))
SHORT_DAYS = Calendar(key="short-days", working_periods=((9 * 60, 13 * 60),), holidays={date(2025, 3, 12)})


def at(day: int, hour: int) -> datetime:
    return datetime(2025, 3, day, hour)


def run(activities, links=(), **options):
    return schedule(activities, links, project_start=MONDAY, calendars=[ALL_WEEK, SHORT_DAYS], **options)


# --- hand-worked examples -------------------------------------------------------------------


def test_a_delay_pushes_the_activity_and_everything_after_it():
    activities = [
        Activity("A", DAY),
        Activity("B", 2 * DAY, levelling_delay_minutes=DAY),
        Activity("C", DAY),
    ]
    result = run(activities, [Link("A", "B"), Link("B", "C")])
    assert (result["A"].early_start, result["A"].early_finish) == (at(10, 8), at(10, 17))
    # Tuesday is the delay; B works Wednesday and Thursday, C on Friday.
    assert (result["B"].early_start, result["B"].early_finish) == (at(12, 8), at(13, 17))
    assert (result["C"].early_start, result["C"].early_finish) == (at(14, 8), at(14, 17))
    assert result.project_finish[""] == at(14, 17)
    assert [activity.total_float_minutes for activity in result] == [0, 0, 0]
    assert result.critical_paths == (("A", "B", "C"),)


def test_the_delay_counts_working_time_and_skips_the_weekend():
    activities = [Activity("A", DAY, constraint_type="SNET", constraint_date=date(2025, 3, 14)), Activity("B", DAY)]
    delayed = [activities[0], replace(activities[1], levelling_delay_minutes=DAY)]
    links = [Link("A", "B")]
    assert run(activities, links)["B"].early_start == at(17, 8)  # Monday after Friday's A
    assert run(delayed, links)["B"].early_start == at(18, 8)  # Monday is the delay


def test_the_delay_is_counted_on_the_activitys_own_calendar():
    friday = Activity("A", DAY, constraint_type="SNET", constraint_date=date(2025, 3, 14))
    # Every day is worked on B's calendar: the link lets it start on Saturday, the delay takes Saturday.
    on_all_week = Activity("B", DAY, calendar_key="all-week", levelling_delay_minutes=DAY)
    result = run([friday, on_all_week], [Link("A", "B")])
    assert (result["B"].early_start, result["B"].early_finish) == (at(16, 8), at(16, 17))
    # Four-hour days with Wednesday a holiday: one day of delay from Tuesday 09:00 is Thursday 09:00.
    short = Activity("S", 240, calendar_key="short-days", levelling_delay_minutes=240)
    tuesday = Activity("T", DAY, constraint_type="SNET", constraint_date=date(2025, 3, 10))
    result = run([tuesday, short], [Link("T", "S")])
    assert result["S"].early_start == at(13, 9)


def test_the_delay_comes_after_date_constraints_and_the_project_start():
    activities = [
        Activity("free", DAY, levelling_delay_minutes=DAY // 2),
        Activity("held", DAY, constraint_type="SNET", constraint_date=date(2025, 3, 12), levelling_delay_minutes=DAY),
    ]
    result = run(activities)
    assert (result["free"].early_start, result["free"].early_finish) == (at(10, 13), at(11, 12))
    assert result["held"].early_start == at(13, 8)


def test_a_delay_is_added_whichever_link_drives_the_start():
    activities = [
        Activity("A", 2 * DAY),
        Activity("B", DAY, levelling_delay_minutes=DAY),
        Activity("C", 3 * DAY, levelling_delay_minutes=DAY),
    ]
    links = [Link("A", "B", LinkType.START_TO_START, DAY), Link("A", "C", LinkType.FINISH_TO_FINISH)]
    result = run(activities, links)
    assert result["B"].early_start == at(12, 8)  # Tuesday by the SS lag, then one day
    # FF: finishing with A on Tuesday would start C before the project start, which holds it to
    # Monday; the delay then makes it Tuesday to Thursday.
    assert (result["C"].early_start, result["C"].early_finish) == (at(11, 8), at(13, 17))


def test_a_delayed_milestone_is_shown_at_the_end_of_the_delay_like_after_a_lag():
    activities = [Activity("A", DAY, constraint_type="SNET", constraint_date=date(2025, 3, 14)), Activity("M")]
    delayed = [activities[0], replace(activities[1], levelling_delay_minutes=DAY)]
    assert run(activities, [Link("A", "M")])["M"].early_start == at(14, 17)
    assert run(delayed, [Link("A", "M")])["M"].early_start == at(17, 17)


def test_started_and_finished_activities_ignore_their_delay():
    activities = [
        Activity("done", DAY, actual_start=at(10, 8), actual_finish=at(10, 17), levelling_delay_minutes=5 * DAY),
        Activity("going", 2 * DAY, actual_start=at(11, 8), percent_complete=50, levelling_delay_minutes=5 * DAY),
        Activity("next", DAY, levelling_delay_minutes=DAY),
    ]
    links = [Link("done", "going"), Link("going", "next")]
    result = run(activities, links, status_date=date(2025, 3, 11))
    assert (result["done"].early_start, result["done"].early_finish) == (at(10, 8), at(10, 17))
    # The remaining day of "going" runs on Wednesday, straight after the status date.
    assert (result["going"].early_start, result["going"].early_finish) == (at(11, 8), at(12, 17))
    assert result["next"].early_start == at(14, 8)  # Thursday is its delay


def test_a_predecessor_owns_none_of_its_successors_delay():
    # B waits two days after A; D alone sets the finish (Friday). If A slipped, B would slip
    # with it (the delay counts from A's finish), so A has exactly B's float, not B's delay too.
    activities = [
        Activity("A", DAY),
        Activity("B", DAY, levelling_delay_minutes=2 * DAY),
        Activity("D", 5 * DAY),
    ]
    result = run(activities, [Link("A", "B")])
    assert result["B"].early_start == at(13, 8)
    assert result["B"].total_float_minutes == DAY
    assert result["A"].total_float_minutes == DAY
    assert result["A"].free_float_minutes == 0
    assert result["A"].late_finish == at(11, 17)  # B's late start less its two-day delay


def test_a_summary_rolls_up_its_delayed_children():
    activities = [
        Activity("S"),
        Activity("X", DAY, parent_key="S", levelling_delay_minutes=3 * DAY),
        Activity("Y", DAY, parent_key="S"),
        Activity("after", DAY),
    ]
    result = run(activities, [Link("S", "after")])
    assert (result["S"].early_start, result["S"].early_finish) == (at(10, 8), at(13, 17))
    assert result["after"].early_start == at(14, 8)
    assert result["X"].total_float_minutes == 0
    assert result["Y"].total_float_minutes == 3 * DAY


def test_a_summary_with_a_delay_is_refused_by_name():
    activities = [Activity("S", levelling_delay_minutes=DAY), Activity("X", DAY, parent_key="S")]
    with pytest.raises(ScheduleError, match=r"Summary activities take no levelling delay .*: S\."):
        run(activities)


@pytest.mark.parametrize("value", [-1, 1.5, "480", True, None])
def test_an_activity_refuses_a_delay_that_is_not_whole_minutes(value):
    with pytest.raises(InvalidInput) as raised:
        Activity("A", DAY, levelling_delay_minutes=value)
    assert raised.value.field == "levelling_delay_minutes"


def test_a_late_delay_that_breaks_a_limit_shows_as_a_conflict():
    activities = [Activity("A", DAY, deadline=date(2025, 3, 11), levelling_delay_minutes=2 * DAY)]
    result = run(activities)
    assert result["A"].early_finish == at(12, 17)
    assert result["A"].total_float_minutes == -DAY
    assert [conflict.activity_key for conflict in result.conflicts] == ["A"]


# --- invariants on random networks ----------------------------------------------------------


@st.composite
def delayed_networks(draw, *, max_activities=9):
    """Activities K0..Kn-1 on the default calendar, links from lower to higher index, random delays."""
    count = draw(st.integers(1, max_activities))
    activities = [
        Activity(
            f"K{index}",
            draw(st.sampled_from([0, 30, 120, DAY, 2 * DAY, 3 * DAY + 90])),
            project_key=draw(st.sampled_from(["P", "Q"])),
            levelling_delay_minutes=draw(st.sampled_from([0, 0, 45, DAY, 3 * DAY])),
        )
        for index in range(count)
    ]
    pairs = draw(st.lists(st.tuples(st.integers(0, count - 1), st.integers(0, count - 1)), max_size=3 * count))
    links = [
        Link(
            f"K{min(first, second)}",
            f"K{max(first, second)}",
            draw(st.sampled_from(list(LinkType))),
            draw(st.sampled_from([0, 0, 60, DAY, -120, -DAY])),
        )
        for first, second in pairs
        if first != second
    ]
    return activities, links


def coordinate(moment: datetime) -> int:
    return working_minutes_between(Calendar(), ORIGIN, moment)


def reference_starts(activities, links):
    """Early and late starts (working minutes from Monday 08:00) by repeated relaxation in plain
    Python: a start is the latest of the project start and its links, plus its delay; late starts
    keep every such inequality with the latest finish of each project."""
    duration = {activity.key: activity.duration_minutes for activity in activities}
    delay = {activity.key: activity.levelling_delay_minutes for activity in activities}

    def weight(link):
        offset_before = 0 if link.link_type.from_predecessor_start else duration[link.predecessor_key]
        offset_after = duration[link.successor_key] if link.link_type.to_successor_finish else 0
        return offset_before + link.lag_minutes - offset_after + delay[link.successor_key]

    early = dict(delay)
    for _ in activities:
        for link in links:
            early[link.successor_key] = max(early[link.successor_key], early[link.predecessor_key] + weight(link))
    finish: dict[str, int] = {}
    for activity in activities:
        finish[activity.project_key] = max(
            finish.get(activity.project_key, 0), early[activity.key] + activity.duration_minutes
        )
    late = {activity.key: finish[activity.project_key] - activity.duration_minutes for activity in activities}
    for _ in activities:
        for link in links:
            late[link.predecessor_key] = min(late[link.predecessor_key], late[link.successor_key] - weight(link))
    return early, late


@settings(max_examples=150, deadline=None)
@given(delayed_networks())
def test_dates_match_a_plain_longest_path_with_delays(network):
    activities, links = network
    result = run(activities, links)
    early, late = reference_starts(activities, links)
    for activity in activities:
        dates = result[activity.key]
        assert coordinate(dates.early_start) == early[activity.key]
        assert coordinate(dates.late_start) == late[activity.key]


@settings(max_examples=150, deadline=None)
@given(delayed_networks())
def test_floats_stay_zero_or_more_whatever_the_delays(network):
    activities, links = network
    result = run(activities, links)
    for activity in result:
        assert activity.total_float_minutes >= 0
        assert 0 <= activity.free_float_minutes <= activity.total_float_minutes
        assert activity.early_start <= activity.late_start
    assert result.conflicts == ()


@settings(max_examples=150, deadline=None)
@given(delayed_networks(), st.data())
def test_delaying_one_activity_moves_it_by_its_delay_and_nothing_earlier(network, data):
    activities, links = network
    undelayed = [replace(activity, levelling_delay_minutes=0) for activity in activities]
    chosen = data.draw(st.integers(0, len(activities) - 1))
    minutes = data.draw(st.integers(1, 3 * DAY))
    delayed = list(undelayed)
    delayed[chosen] = replace(undelayed[chosen], levelling_delay_minutes=minutes)
    before, after = run(undelayed, links), run(delayed, links)
    key = delayed[chosen].key
    assert coordinate(after[key].early_start) == coordinate(before[key].early_start) + minutes
    for activity in activities:
        assert after[activity.key].early_start >= before[activity.key].early_start


# --- MS Project XML -------------------------------------------------------------------------


def plan_with(*activities: PlanActivity, links=()) -> Plan:
    return Plan(
        name="Levelled",
        project_start=datetime(2025, 3, 10, 8),
        default_calendar_key="1",
        calendars=(PlanCalendar("1", "Standard"),),
        activities=activities,
        links=tuple(links),
    )


def test_mspdi_writes_the_delay_in_tenths_of_a_minute_and_reads_it_back():
    plan = plan_with(
        PlanActivity(1, "Dig", duration_minutes=DAY),
        PlanActivity(2, "Pour", duration_minutes=DAY, levelling_delay_minutes=2 * DAY),
        links=[PlanLink(1, 2)],
    )
    data = write_mspdi(plan)
    assert b"<LevelingDelay>9600</LevelingDelay>" in data
    assert b"<LevelingDelayFormat>7</LevelingDelayFormat>" in data  # working days
    assert data.count(b"<LevelingDelay>") == 1  # nothing written where there is no delay
    again = read_mspdi(data)
    assert [(a.levelling_delay_minutes, a.levelling_delay_is_elapsed) for a in again.activities] == [
        (0, False),
        (2 * DAY, False),
    ]
    assert again.schedule()["2"].early_start == at(13, 8)


def test_mspdi_reads_ms_projects_elapsed_delay_as_working_days():
    elapsed = PlanActivity(
        1, "Pour", duration_minutes=DAY, levelling_delay_minutes=2 * 1440, levelling_delay_is_elapsed=True
    )
    data = write_mspdi(plan_with(elapsed))
    assert b"<LevelingDelay>28800</LevelingDelay>" in data
    assert b"<LevelingDelayFormat>8</LevelingDelayFormat>" in data  # elapsed days, as MS Project writes
    read = read_mspdi(data)
    assert (read.activities[0].levelling_delay_minutes, read.activities[0].levelling_delay_is_elapsed) == (2880, True)
    assert read.engine_activities()[0].levelling_delay_minutes == 2 * DAY


def test_mspdi_without_a_delay_format_reads_elapsed_days_and_refuses_an_unknown_format():
    data = write_mspdi(plan_with(PlanActivity(1, "Pour", duration_minutes=DAY, levelling_delay_minutes=DAY)))
    without_format = data.replace(b"<LevelingDelayFormat>7</LevelingDelayFormat>", b"")
    assert read_mspdi(without_format).activities[0].levelling_delay_is_elapsed
    with pytest.raises(FileFormatError, match="not a duration format") as raised:
        read_mspdi(data.replace(b"<LevelingDelayFormat>7<", b"<LevelingDelayFormat>99<"))
    assert raised.value.task_uid == 1
