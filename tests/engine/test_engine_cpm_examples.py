"""Hand-worked examples of the critical path method, each checked against dates worked out on paper.

Calendar: the default Monday-Friday, 08:00-12:00 and 13:00-17:00 (480 minutes a day); the
project starts on Monday 10 March 2025 unless said otherwise.
"""

from datetime import date, datetime

import pytest

from pmo_engine import (
    Activity,
    Calendar,
    ConflictKind,
    ConstraintType,
    CycleError,
    Link,
    LinkType,
    ProgressState,
    ScheduleError,
    schedule,
)

DAY = 480
WEEK = 5 * DAY
MONDAY = date(2025, 3, 10)


def at(day: int, hour: int, month: int = 3) -> datetime:
    return datetime(2025, month, day, hour)


def starts_and_finishes(result, key):
    activity = result[key]
    return activity.early_start, activity.early_finish, activity.late_start, activity.late_finish


# Hillier & Lieberman, "Introduction to Operations Research", the Reliable Construction Co.
# project: durations in weeks, project length 44 weeks, slack of each activity as in the book.
RELIABLE = {
    "A": (2, []),
    "B": (4, ["A"]),
    "C": (10, ["B"]),
    "D": (6, ["C"]),
    "E": (4, ["C"]),
    "F": (5, ["E"]),
    "G": (7, ["D"]),
    "H": (9, ["E", "G"]),
    "I": (7, ["C"]),
    "J": (8, ["F", "I"]),
    "K": (4, ["J"]),
    "L": (5, ["J"]),
    "M": (2, ["H"]),
    "N": (6, ["K", "L"]),
}
RELIABLE_EARLY_START = {
    "A": 0, "B": 2, "C": 6, "D": 16, "E": 16, "F": 20, "G": 22,
    "H": 29, "I": 16, "J": 25, "K": 33, "L": 33, "M": 38, "N": 38,
}  # fmt: skip
RELIABLE_SLACK = {
    "A": 0, "B": 0, "C": 0, "D": 4, "E": 0, "F": 0, "G": 4,
    "H": 4, "I": 2, "J": 0, "K": 1, "L": 0, "M": 4, "N": 0,
}  # fmt: skip
RELIABLE_FREE_SLACK = {"I": 2, "K": 1, "M": 4}


def reliable_result(**options):
    activities = [Activity(key, weeks * WEEK) for key, (weeks, _) in RELIABLE.items()]
    links = [Link(before, key) for key, (_, befores) in RELIABLE.items() for before in befores]
    return schedule(activities, links, project_start=MONDAY, **options)


def week_start(week: int) -> datetime:
    """Monday 08:00 of a week counted from the project start (week 0)."""
    return datetime.combine(MONDAY, datetime.min.time()).replace(hour=8) + (date(2025, 3, 17) - MONDAY) * week


def week_end(week: int) -> datetime:
    """Friday 17:00 of the week before ``week``: the finish of work that ends at week ``week``."""
    return week_start(week).replace(hour=17) - (date(2025, 3, 10) - date(2025, 3, 7))


def test_textbook_project_early_and_late_dates_and_slack():
    result = reliable_result()
    for key, (weeks, _) in RELIABLE.items():
        early, slack = RELIABLE_EARLY_START[key], RELIABLE_SLACK[key]
        assert starts_and_finishes(result, key) == (
            week_start(early),
            week_end(early + weeks),
            week_start(early + slack),
            week_end(early + slack + weeks),
        ), key
        assert result[key].total_float_minutes == slack * WEEK
        assert result[key].free_float_minutes == RELIABLE_FREE_SLACK.get(key, 0) * WEEK
        assert result[key].is_critical == (slack == 0)
    assert result.project_finish[""] == week_end(44)
    assert result.critical_paths == (("A", "B", "C", "E", "F", "J", "L", "N"),)
    assert not result.conflicts


def test_float_threshold_widens_what_is_critical():
    result = reliable_result(critical_float_minutes=WEEK)
    assert set(result.critical_activities()) == {key for key, slack in RELIABLE_SLACK.items() if slack <= 1}
    assert ("A", "B", "C", "E", "F", "J", "K", "N") in result.critical_paths
    assert ("A", "B", "C", "E", "F", "J", "L", "N") in result.critical_paths


def test_critical_paths_are_listed_in_full_until_the_limit():
    activities = [Activity(key, DAY) for key in "ABCD"]
    links = [Link("A", "B"), Link("A", "C"), Link("B", "D"), Link("C", "D")]
    result = schedule(activities, links, project_start=MONDAY)
    assert result.critical_paths == (("A", "B", "D"), ("A", "C", "D"))
    assert not result.critical_paths_truncated
    limited = schedule(activities, links, project_start=MONDAY, max_critical_paths=1)
    assert limited.critical_paths == (("A", "B", "D"),)
    assert limited.critical_paths_truncated


@pytest.mark.parametrize(
    ("link_type", "lag_days", "early_start", "early_finish", "total_float_days"),
    [
        # A lasts 5 days (Mon 10 - Fri 14 March), B 3 days.
        (LinkType.FINISH_TO_START, 2, at(19, 8), at(21, 17), 0),
        (LinkType.FINISH_TO_START, -2, at(13, 8), at(17, 17), 0),
        (LinkType.START_TO_START, 2, at(12, 8), at(14, 17), 0),
        (LinkType.FINISH_TO_FINISH, 1, at(13, 8), at(17, 17), 0),
        (LinkType.START_TO_FINISH, 4, at(11, 8), at(13, 17), 1),  # B may finish with A: 1 day of float
        (LinkType.START_TO_FINISH, 0, at(10, 8), at(12, 17), 2),  # the project start holds B
    ],
)
def test_each_link_type_with_lag(link_type, lag_days, early_start, early_finish, total_float_days):
    result = schedule(
        [Activity("A", 5 * DAY), Activity("B", 3 * DAY)],
        [Link("A", "B", link_type, lag_days * DAY)],
        project_start=MONDAY,
    )
    assert (result["B"].early_start, result["B"].early_finish) == (early_start, early_finish)
    assert result["B"].total_float_minutes == total_float_days * DAY
    assert result["A"].total_float_minutes == 0


def test_lag_in_hours_splits_a_day():
    result = schedule([Activity("A", 90), Activity("B", 60)], [Link("A", "B", lag_minutes=150)], project_start=MONDAY)
    # A 08:00-09:30, lag 150 working minutes to 12:00 + lunch -> 13:00, B 13:00-14:00.
    assert result["A"].early_finish == datetime(2025, 3, 10, 9, 30)
    assert (result["B"].early_start, result["B"].early_finish) == (at(10, 13), at(10, 14))


def constrained(constraint_type, constraint_date):
    """A (5 days) -> B (3 days, constrained); C (10 days) alone sets the project finish, Fri 21 March."""
    return schedule(
        [
            Activity("A", 5 * DAY),
            Activity("B", 3 * DAY, constraint_type=constraint_type, constraint_date=constraint_date),
            Activity("C", 10 * DAY),
        ],
        [Link("A", "B")],
        project_start=MONDAY,
    )


@pytest.mark.parametrize(
    ("constraint_type", "constraint_date", "early_start", "late_start", "float_days"),
    [
        (ConstraintType.START_NO_EARLIER_THAN, date(2025, 3, 19), at(19, 8), at(19, 8), 0),
        (ConstraintType.START_NO_EARLIER_THAN, date(2025, 3, 12), at(17, 8), at(19, 8), 2),
        (ConstraintType.FINISH_NO_EARLIER_THAN, date(2025, 3, 20), at(18, 8), at(19, 8), 1),
        (ConstraintType.START_NO_LATER_THAN, date(2025, 3, 18), at(17, 8), at(18, 8), 1),
        (ConstraintType.FINISH_NO_LATER_THAN, date(2025, 3, 19), at(17, 8), at(17, 8), 0),
        (ConstraintType.MUST_START_ON, date(2025, 3, 18), at(18, 8), at(18, 8), 0),
        (ConstraintType.MUST_FINISH_ON, date(2025, 3, 20), at(18, 8), at(18, 8), 0),
        (ConstraintType.MUST_START_ON, datetime(2025, 3, 18, 13), at(18, 13), at(18, 13), 0),
    ],
)
def test_constraints_that_can_be_met(constraint_type, constraint_date, early_start, late_start, float_days):
    result = constrained(constraint_type, constraint_date)
    assert (result["B"].early_start, result["B"].late_start) == (early_start, late_start)
    assert result["B"].total_float_minutes == float_days * DAY
    assert result.conflicts == ()


def test_must_start_on_later_than_logic_moves_the_project_finish():
    result = constrained(ConstraintType.MUST_START_ON, date(2025, 3, 24))
    assert result["B"].early_start == at(24, 8)
    assert result.project_finish[""] == at(26, 17)
    assert result["A"].total_float_minutes == 5 * DAY
    assert result["C"].total_float_minutes == 3 * DAY


@pytest.mark.parametrize(
    ("constraint_type", "constraint_date", "scheduled", "float_days"),
    [
        (ConstraintType.MUST_START_ON, date(2025, 3, 12), at(17, 8), -3),
        (ConstraintType.START_NO_LATER_THAN, date(2025, 3, 14), at(17, 8), -1),
        (ConstraintType.FINISH_NO_LATER_THAN, date(2025, 3, 18), at(19, 17), -1),
        (ConstraintType.MUST_FINISH_ON, date(2025, 3, 17), at(19, 17), -2),
    ],
)
def test_impossible_constraints_are_reported_with_negative_float(
    constraint_type, constraint_date, scheduled, float_days
):
    result = constrained(constraint_type, constraint_date)
    (conflict,) = result.conflicts
    assert (conflict.activity_key, conflict.kind, conflict.constraint_type) == (
        "B",
        ConflictKind.CONSTRAINT,
        constraint_type,
    )
    assert (conflict.constraint_date, conflict.scheduled) == (constraint_date, scheduled)
    assert "B" in conflict.message and str(constraint_type) in conflict.message
    # Links win: B still follows A, and the float of the whole chain shows the slip.
    assert result["B"].early_start == at(17, 8)
    assert result["A"].total_float_minutes == result["B"].total_float_minutes == float_days * DAY
    assert result["A"].is_critical and result["B"].is_critical
    assert result["C"].total_float_minutes == 0


def test_missed_deadline_is_reported_and_limits_late_dates():
    activities = [Activity("A", 5 * DAY), Activity("B", 3 * DAY, deadline=date(2025, 3, 18))]
    result = schedule(activities, [Link("A", "B")], project_start=MONDAY)
    (conflict,) = result.conflicts
    assert (conflict.activity_key, conflict.kind, conflict.constraint_type) == ("B", ConflictKind.DEADLINE, None)
    assert conflict.scheduled == at(19, 17)
    assert result["B"].late_finish == at(18, 17)
    assert result["B"].total_float_minutes == -DAY


def test_deadline_that_is_met_only_cuts_float():
    activities = [Activity("A", 5 * DAY), Activity("B", 3 * DAY, deadline=date(2025, 3, 20)), Activity("C", 15 * DAY)]
    result = schedule(activities, [Link("A", "B")], project_start=MONDAY)
    assert result.conflicts == ()
    assert result["B"].late_finish == at(20, 17)
    assert result["B"].total_float_minutes == DAY


def test_as_late_as_possible_uses_free_float_only():
    activities = [
        Activity("A", 5 * DAY),
        Activity("B", 3 * DAY, constraint_type=ConstraintType.AS_LATE_AS_POSSIBLE),
        Activity("C", 10 * DAY),
        Activity("D", 2 * DAY, constraint_type=ConstraintType.AS_LATE_AS_POSSIBLE),
        Activity("E", DAY),
    ]
    links = [Link("A", "B"), Link("D", "E"), Link("A", "E", lag_minutes=2 * DAY)]
    result = schedule(activities, links, project_start=MONDAY)
    # B has no successor: it slides to the project finish (Fri 21 March).
    assert (result["B"].start, result["B"].finish) == (at(19, 8), at(21, 17))
    assert result["B"].early_start == at(17, 8)
    # D must end before E, which A holds until Wed 19: D slides to Mon 17 - Tue 18, no further.
    assert (result["D"].start, result["D"].finish) == (at(17, 8), at(18, 17))
    assert result["E"].start == result["E"].early_start == at(19, 8)


def test_milestones_sit_at_the_end_of_the_work_before_them():
    activities = [
        Activity("kickoff", 0, is_milestone=True),
        Activity("A", 5 * DAY),
        Activity("done", 0, is_milestone=True),
        Activity("gate", 0, is_milestone=True, constraint_type="MSO", constraint_date=date(2025, 3, 17)),
    ]
    links = [Link("kickoff", "A"), Link("A", "done"), Link("A", "gate")]
    result = schedule(activities, links, project_start=MONDAY)
    assert starts_and_finishes(result, "kickoff") == (at(10, 8),) * 4
    assert starts_and_finishes(result, "done") == (at(14, 17),) * 4
    # A date constraint sets the milestone at the start of that day, even though A ends just before.
    assert starts_and_finishes(result, "gate") == (at(17, 8),) * 4
    assert result.critical_paths == (("kickoff", "A", "done"), ("kickoff", "A", "gate"))


def test_weekends_and_holidays_are_skipped():
    calendar = Calendar(holidays={date(2025, 3, 14)}, extra_working_dates={date(2025, 3, 22)})
    activities = [Activity("A", 3 * DAY), Activity("B", 2 * DAY)]
    result = schedule(activities, [Link("A", "B")], project_start=date(2025, 3, 12), default_calendar=calendar)
    # Wed 12, Thu 13, (Fri 14 holiday) Mon 17; then Tue 18 - Wed 19.
    assert (result["A"].early_start, result["A"].early_finish) == (at(12, 8), at(17, 17))
    assert (result["B"].early_start, result["B"].early_finish) == (at(18, 8), at(19, 17))
    later = schedule(activities, [Link("A", "B")], project_start=date(2025, 3, 20), default_calendar=calendar)
    # Thu 20, Fri 21, Sat 22 (extra working date); then Mon 24 - Tue 25.
    assert later["A"].early_finish == at(22, 17)
    assert (later["B"].early_start, later["B"].early_finish) == (at(24, 8), at(25, 17))


def test_each_activity_works_on_its_own_calendar():
    seven_days = Calendar(key="seven-days", working_weekdays=range(7))
    nights = Calendar(key="nights", working_periods=((22 * 60, 24 * 60),))  # 2 hours a night
    activities = [
        Activity("A", 3 * DAY),
        Activity("B", 3 * DAY, calendar_key="seven-days"),
        Activity("C", 240, calendar_key="nights"),
        Activity("D", DAY),
    ]
    links = [Link("A", "B"), Link("B", "C"), Link("C", "D")]
    result = schedule(activities, links, project_start=date(2025, 3, 13), calendars=[seven_days, nights])
    # A: Thu 13, Fri 14, Mon 17. B works Tue 18 - Thu 20. C: the nights of Thu 20 and Fri 21 only
    # (Mon-Fri nights), finishing Fri 21 at midnight. D: Mon 24.
    assert (result["A"].early_start, result["A"].early_finish) == (at(13, 8), at(17, 17))
    assert (result["B"].early_start, result["B"].early_finish) == (at(18, 8), at(20, 17))
    assert (result["C"].early_start, result["C"].early_finish) == (at(20, 22), at(22, 0))
    assert (result["D"].early_start, result["D"].early_finish) == (at(24, 8), at(24, 17))
    assert result.critical_paths == (("A", "B", "C", "D"),)
    # B on the seven-day calendar could take the weekend: starting Thu 13 it ends Sat 15.
    alone = schedule([activities[1]], [], project_start=date(2025, 3, 13), calendars=[seven_days])
    assert alone["B"].early_finish == at(15, 17)


def test_summary_activity_rolls_up_its_children_and_carries_its_links():
    activities = [
        Activity("design", 4 * DAY),
        Activity("build"),
        Activity("frame", 2 * DAY, parent_key="build"),
        Activity("roof", 3 * DAY, parent_key="build"),
        Activity("wiring", DAY, parent_key="build"),
        Activity("handover", DAY),
    ]
    links = [Link("design", "build"), Link("frame", "roof"), Link("build", "handover")]
    result = schedule(activities, links, project_start=MONDAY)
    # design Mon 10 - Thu 13; frame Fri 14 - Mon 17; roof Tue 18 - Thu 20; wiring Fri 14;
    # build rolls up Fri 14 - Thu 20; handover waits for all of build: Fri 21.
    assert (result["frame"].early_start, result["roof"].early_finish) == (at(14, 8), at(20, 17))
    assert (result["wiring"].early_start, result["wiring"].early_finish) == (at(14, 8), at(14, 17))
    assert result["wiring"].total_float_minutes == 4 * DAY
    summary = result["build"]
    assert summary.is_summary and not result["frame"].is_summary
    assert (summary.early_start, summary.early_finish, summary.late_start, summary.late_finish) == (
        at(14, 8),
        at(20, 17),
        at(14, 8),
        at(20, 17),
    )
    assert summary.total_float_minutes == 0 and summary.is_critical
    assert (result["handover"].early_start, result["handover"].early_finish) == (at(21, 8), at(21, 17))
    assert result.critical_paths == (("design", "frame", "roof", "handover"),)


def test_nested_summaries_take_their_dates_from_the_leaves_below():
    activities = [
        Activity("project"),
        Activity("phase", parent_key="project", deadline=date(2025, 3, 11)),
        Activity("one", 2 * DAY, parent_key="phase"),
        Activity("two", 3 * DAY, parent_key="phase"),
        Activity("three", DAY, parent_key="project"),
    ]
    result = schedule(activities, [Link("one", "two", LinkType.START_TO_START, DAY)], project_start=MONDAY)
    assert (result["phase"].early_start, result["phase"].early_finish) == (at(10, 8), at(13, 17))
    assert (result["project"].early_start, result["project"].early_finish) == (at(10, 8), at(13, 17))
    (conflict,) = result.conflicts
    assert (conflict.activity_key, conflict.kind, conflict.scheduled) == ("phase", ConflictKind.DEADLINE, at(13, 17))
    # The deadline caps every activity below the summary: two must end by Tue 11.
    assert result["two"].late_finish == at(11, 17)
    assert result["two"].total_float_minutes == -2 * DAY
    assert result.critical_paths == (("one", "two"),)


def test_progress_at_the_status_date():
    activities = [
        Activity("A", 2 * DAY, actual_start=date(2025, 3, 10), actual_finish=date(2025, 3, 11)),
        Activity("B", 4 * DAY, actual_start=datetime(2025, 3, 12, 8), percent_complete=25),
        Activity("C", 2 * DAY),
        Activity("D", 3 * DAY),
        Activity("E", DAY),
        Activity("signed", 0, is_milestone=True, actual_start=datetime(2025, 3, 11, 17)),
    ]
    links = [
        Link("A", "B"),
        Link("B", "C"),
        Link("B", "D", LinkType.START_TO_START, DAY),
        Link("A", "signed"),
        Link("A", "E"),
    ]
    result = schedule(activities, links, project_start=MONDAY, status_date=date(2025, 3, 12))
    assert starts_and_finishes(result, "A") == (at(10, 8), at(11, 17), at(10, 8), at(11, 17))
    assert result["A"].progress is ProgressState.COMPLETED
    assert result["A"].total_float_minutes == 0 and not result["A"].is_critical
    assert result["signed"].progress is ProgressState.COMPLETED
    assert result["signed"].early_start == result["signed"].early_finish == at(11, 17)
    # B keeps its actual start; 3 days remain from the status date (end of Wed 12): Thu, Fri, Mon.
    assert (result["B"].early_start, result["B"].early_finish) == (at(12, 8), at(17, 17))
    assert result["B"].late_start == at(12, 8)
    assert result["B"].progress is ProgressState.IN_PROGRESS and result["B"].is_critical
    assert (result["C"].early_start, result["C"].early_finish) == (at(18, 8), at(19, 17))
    # D follows B's actual start by a day, but no unstarted work starts before the status date.
    assert result["D"].early_start == at(13, 8)
    # E could have started Wed 12 after A, but that is before the status date.
    assert result["E"].early_start == at(13, 8)
    assert result.critical_paths == (("B", "C"),)


def test_remaining_duration_is_scheduled_after_unfinished_predecessors():
    activities = [
        Activity("A", 4 * DAY, actual_start=date(2025, 3, 10), remaining_duration_minutes=2 * DAY),
        Activity("B", 2 * DAY, actual_start=datetime(2025, 3, 11, 8)),
    ]
    result = schedule(activities, [Link("A", "B")], project_start=MONDAY, status_date=date(2025, 3, 11))
    assert (result["A"].early_start, result["A"].early_finish) == (at(10, 8), at(13, 17))
    # B started out of sequence; its remaining work still waits for A.
    assert (result["B"].early_start, result["B"].early_finish) == (at(11, 8), at(17, 17))


def test_summary_progress_rolls_up():
    activities = [
        Activity("phase"),
        Activity("done", DAY, parent_key="phase", actual_start=MONDAY, actual_finish=MONDAY),
        Activity("todo", DAY, parent_key="phase"),
        Activity("closed"),
        Activity("old", DAY, parent_key="closed", actual_start=MONDAY, actual_finish=MONDAY),
    ]
    result = schedule(activities, [Link("done", "todo")], project_start=MONDAY, status_date=MONDAY)
    assert result["phase"].progress is ProgressState.IN_PROGRESS
    assert result["closed"].progress is ProgressState.COMPLETED
    assert not result["closed"].is_critical
    assert (result["phase"].early_start, result["phase"].early_finish) == (at(10, 8), at(11, 17))


def test_progress_needs_a_status_date_and_actuals_before_it():
    started = Activity("A", DAY, actual_start=MONDAY)
    with pytest.raises(ScheduleError, match="status_date"):
        schedule([started], [], project_start=MONDAY)
    with pytest.raises(ScheduleError, match="after the status date: A"):
        schedule([started], [], project_start=MONDAY, status_date=date(2025, 3, 7))


def test_several_projects_in_one_network_each_with_its_own_start_and_finish():
    activities = [
        Activity("P.design", 3 * DAY, project_key="P"),
        Activity("Q.build", 2 * DAY, project_key="Q"),
        Activity("Q.other", 5 * DAY, project_key="Q"),
        Activity("P.spare", DAY, project_key="P"),
    ]
    result = schedule(
        activities,
        [Link("P.design", "Q.build")],
        project_start=MONDAY,
        project_starts={"P": date(2025, 3, 17)},
    )
    assert result["P.design"].early_start == at(17, 8)
    assert result["Q.other"].early_start == at(10, 8)
    assert (result["Q.build"].early_start, result["Q.build"].early_finish) == (at(20, 8), at(21, 17))
    assert dict(result.project_finish) == {"P": at(19, 17), "Q": at(21, 17)}
    # Each project's late dates count back from its own finish.
    assert result["P.spare"].total_float_minutes == 2 * DAY
    assert result["Q.other"].total_float_minutes == 5 * DAY
    assert result.critical_paths == (("P.design", "Q.build"),)


def test_cycle_error_names_the_activities_on_the_cycle():
    activities = [Activity(key, DAY) for key in ("start", "dig", "pour", "cure", "end")]
    links = [
        Link("start", "dig"),
        Link("dig", "pour"),
        Link("pour", "cure"),
        Link("cure", "dig", LinkType.START_TO_START),
        Link("cure", "end"),
    ]
    with pytest.raises(CycleError) as caught:
        schedule(activities, links, project_start=MONDAY)
    keys = caught.value.activity_keys
    assert set(keys) == {"dig", "pour", "cure"}
    rotated = keys[keys.index("dig") :] + keys[: keys.index("dig")]
    assert rotated == ("dig", "pour", "cure")
    assert " → ".join((*keys, keys[0])) in str(caught.value)


def test_cycle_through_a_summary_names_the_summary():
    activities = [Activity("S"), Activity("child", DAY, parent_key="S"), Activity("X", DAY)]
    with pytest.raises(CycleError) as caught:
        schedule(activities, [Link("child", "X"), Link("X", "S")], project_start=MONDAY)
    assert set(caught.value.activity_keys) == {"S", "child", "X"}


@pytest.mark.parametrize(
    ("activities", "links", "message"),
    [
        ([Activity("A"), Activity("A")], [], "Two activities have the key A"),
        ([Activity("A")], [Link("A", "B")], "refers to activity B"),
        ([Activity("A", parent_key="P")], [], "parent P"),
        ([Activity("A", calendar_key="nights")], [], "calendar nights"),
        (
            [Activity("A", parent_key="B"), Activity("B", parent_key="A")],
            [],
            "WBS parents form a cycle",
        ),
        (
            [Activity("S"), Activity("c", DAY, parent_key="S"), Activity("X", DAY)],
            [Link("S", "X", LinkType.START_TO_START)],
            "links from a summary must be FS or FF",
        ),
        (
            [Activity("S"), Activity("c", DAY, parent_key="S"), Activity("X", DAY)],
            [Link("X", "S", LinkType.FINISH_TO_FINISH)],
            "links to a summary must be FS or SS",
        ),
        (
            [
                Activity("S", constraint_type="MSO", constraint_date=MONDAY),
                Activity("c", DAY, parent_key="S"),
            ],
            [],
            "Summary activity S cannot take a MSO constraint",
        ),
    ],
)
def test_network_errors_name_what_is_wrong(activities, links, message):
    with pytest.raises(ScheduleError, match=message):
        schedule(activities, links, project_start=MONDAY)


def test_empty_network():
    result = schedule([], [], project_start=MONDAY)
    assert len(result) == 0 and result.critical_paths == () and result.conflicts == ()


def test_summary_start_no_earlier_than_holds_back_every_child():
    activities = [
        Activity("phase", constraint_type="SNET", constraint_date=date(2025, 3, 12)),
        Activity("one", DAY, parent_key="phase"),
        Activity("two", 2 * DAY, parent_key="phase"),
        Activity("outside", DAY),
    ]
    result = schedule(activities, [], project_start=MONDAY)
    assert result["one"].early_start == result["two"].early_start == at(12, 8)
    assert result["phase"].early_start == at(12, 8)
    assert result["outside"].early_start == at(10, 8)


def test_actual_dates_that_break_a_constraint_are_reported():
    activities = [
        Activity(
            "A",
            2 * DAY,
            constraint_type="SNET",
            constraint_date=date(2025, 3, 11),
            actual_start=datetime(2025, 3, 10, 8),
        ),
    ]
    result = schedule(activities, [], project_start=MONDAY, status_date=date(2025, 3, 10))
    (conflict,) = result.conflicts
    assert (conflict.activity_key, conflict.constraint_type, conflict.scheduled) == (
        "A",
        ConstraintType.START_NO_EARLIER_THAN,
        at(10, 8),
    )
    assert "actual start" in conflict.message
    assert result["A"].early_start == at(10, 8)  # actuals are kept


def test_finish_to_finish_across_calendars_never_finishes_before_its_predecessor():
    weekends = Calendar(key="weekends", working_weekdays={5, 6})
    activities = [Activity("A", DAY, calendar_key="weekends"), Activity("B", DAY)]
    result = schedule(
        activities,
        [Link("A", "B", LinkType.FINISH_TO_FINISH)],
        project_start=date(2025, 3, 14),
        calendars=[weekends],
    )
    # A works Saturday 15; B could finish Friday 14 on its own, but not before A: its finish
    # moves into Monday 17 (the first working minute after A's finish ends B's last minute).
    assert result["A"].early_finish == at(15, 17)
    assert result["B"].early_finish >= result["A"].early_finish
    assert result["B"].early_finish == datetime(2025, 3, 17, 8, 1)
