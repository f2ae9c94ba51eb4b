"""The plan data classes: their invariants, and their conversion to the engine, on hand-built plans.

Dates are worked out on the standard calendar (Monday to Friday, 08:00-12:00 and 13:00-17:00) from
Monday 10 March 2025 08:00.
"""

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from pmo_engine import ConstraintType, InvalidInput, LinkType
from pmo_engine.formats import (
    STANDARD_WEEK,
    Plan,
    PlanActivity,
    PlanAssignment,
    PlanBaseline,
    PlanCalendar,
    PlanLink,
    PlanResource,
    ResourceType,
    UnsupportedFeatureError,
)

DAY = 480
START = datetime(2025, 3, 10, 8)
FOUR_DAY_WEEK = (((480, 720), (780, 1020)),) * 4 + ((), (), ())


def plan(*activities: PlanActivity, **fields: object) -> Plan:
    return Plan(name="Test", project_start=START, activities=activities, **fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"duration_minutes": -1}, "duration_minutes must be a whole number of minutes"),
        ({"duration_minutes": 1.5}, "duration_minutes must be a whole number of minutes"),
        ({"constraint_type": ConstraintType.MUST_START_ON}, "a MSO constraint needs a date"),
        ({"constraint_date": START}, "a ASAP constraint takes no date"),
        ({"constraint_type": "XYZ"}, "constraint_type must be one of"),
        ({"percent_complete": 101}, "percent_complete must be from 0 to 100"),
        ({"start": START.replace(tzinfo=UTC)}, "start must be a naive datetime"),
        ({"actual_finish": START}, "has an actual finish but no actual start"),
        ({"parent_uid": 1}, "cannot be its own parent"),
        ({"outline_level": 0}, "outline_level must be 1 or more"),
        ({"uid": -3}, "uid must be a whole number of 0 or more"),
    ],
)
def test_an_activity_refuses_bad_fields(fields, message):
    with pytest.raises(InvalidInput, match=message):
        PlanActivity(**{"uid": 1, **fields})


def test_links_resources_assignments_and_baselines_refuse_bad_fields():
    with pytest.raises(InvalidInput, match="cannot join activity 1 to itself"):
        PlanLink(1, 1)
    with pytest.raises(InvalidInput, match="A percentage lag takes no lag_minutes"):
        PlanLink(1, 2, lag_minutes=480, lag_percent=50)
    with pytest.raises(InvalidInput, match="max_units must be a number of 0 or more"):
        PlanResource(1, max_units=-1)
    with pytest.raises(InvalidInput, match="standard_rate_per_hour must be a Decimal"):
        PlanResource(1, standard_rate_per_hour=12.5)  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="work_minutes must be a whole number"):
        PlanAssignment(1, 1, work_minutes=-60)
    with pytest.raises(InvalidInput, match="number must be from 0 to 10"):
        PlanBaseline(1, number=11)


def test_a_calendar_without_base_fills_unset_weekdays_with_the_standard_week():
    assert PlanCalendar("1", weekdays=(None,) * 7).weekdays == STANDARD_WEEK
    derived = PlanCalendar("2", base_calendar_key="1", weekdays=(None,) * 7)
    assert derived.weekdays == (None,) * 7
    with pytest.raises(InvalidInput, match="sorted, disjoint periods"):
        PlanCalendar("3", weekdays=(((600, 500),),) + (None,) * 6)
    with pytest.raises(InvalidInput, match="cannot be its own base calendar"):
        PlanCalendar("4", base_calendar_key="4")


def test_a_plan_checks_its_wbs():
    parent = PlanActivity(1, is_summary=True)
    child = PlanActivity(2, parent_uid=1, outline_level=2)
    assert plan(parent, child).outline_numbers() == {1: "1", 2: "1.1"}
    with pytest.raises(InvalidInput, match="Two activities have the same key 1"):
        plan(parent, replace(child, uid=1, parent_uid=None, outline_level=1))
    with pytest.raises(InvalidInput, match="Activity 2 has parent 1, which is not an earlier activity"):
        plan(child, parent)
    with pytest.raises(InvalidInput, match="its place in the WBS makes it level 2"):
        plan(parent, replace(child, outline_level=3))
    with pytest.raises(InvalidInput, match="Activity 1 has children; is_summary must say"):
        plan(replace(parent, is_summary=False), child)
    with pytest.raises(InvalidInput, match="Activity 1 is marked summary but has no children"):
        plan(parent)


def test_a_plan_checks_its_references():
    one, two = PlanActivity(1), PlanActivity(2)
    with pytest.raises(InvalidInput, match="names activity 3, which is not in the plan"):
        plan(one, two, links=(PlanLink(1, 3),))
    with pytest.raises(InvalidInput, match="An assignment names resource 9"):
        plan(one, assignments=(PlanAssignment(1, 9),))
    with pytest.raises(InvalidInput, match="The activity 1 names calendar 'night'"):
        plan(replace(one, calendar_key="night"))
    cycle = (PlanCalendar("a", base_calendar_key="b"), PlanCalendar("b", base_calendar_key="a"))
    with pytest.raises(InvalidInput, match="The base calendars of calendar 'a' form a cycle"):
        plan(one, calendars=cycle)
    with pytest.raises(InvalidInput, match="project_start must be a naive datetime"):
        Plan(name="x", project_start="2025-03-10")  # type: ignore[arg-type]


def test_summaries_become_parents_and_keep_only_the_constraints_a_summary_takes():
    summary = PlanActivity(
        1,
        is_summary=True,
        duration_minutes=3 * DAY,
        constraint_type=ConstraintType.MUST_START_ON,
        constraint_date=START,
        percent_complete=50,
        actual_start=START,
    )
    children = (PlanActivity(2, parent_uid=1, outline_level=2, duration_minutes=DAY),)
    activities = plan(summary, *children).engine_activities()
    top = activities[0]
    assert (top.key, top.parent_key, top.duration_minutes, top.constraint_type, top.actual_start) == (
        "1",
        None,
        0,
        ConstraintType.AS_SOON_AS_POSSIBLE,
        None,
    )
    assert activities[1].parent_key == "1"
    floored = replace(
        summary, constraint_type=ConstraintType.START_NO_EARLIER_THAN, actual_start=None, percent_complete=0
    )
    assert plan(floored, *children).engine_activities()[0].constraint_type is ConstraintType.START_NO_EARLIER_THAN


def test_everything_below_an_inactive_summary_is_left_out():
    activities = (
        PlanActivity(1, is_summary=True, is_active=False),
        PlanActivity(2, parent_uid=1, outline_level=2, duration_minutes=DAY),
        PlanActivity(3, duration_minutes=DAY),
    )
    converted = plan(*activities, links=(PlanLink(2, 3),))
    assert [activity.key for activity in converted.engine_activities()] == ["3"]
    assert converted.engine_links() == ()


def test_a_task_takes_its_resources_calendar_when_they_agree():
    calendars = (PlanCalendar("1"), PlanCalendar("2", base_calendar_key="1", weekdays=FOUR_DAY_WEEK), PlanCalendar("3"))
    resources = (
        PlanResource(1, calendar_key="2"),
        PlanResource(2, calendar_key="2"),
        PlanResource(3, calendar_key="3"),
        PlanResource(4, resource_type=ResourceType.MATERIAL),
    )
    activities = (PlanActivity(1, duration_minutes=5 * DAY), PlanActivity(2, duration_minutes=5 * DAY))
    assignments = (
        PlanAssignment(1, 1),
        PlanAssignment(1, 2),
        PlanAssignment(1, 4),  # material: no calendar of its own to follow
        PlanAssignment(2, 1),
        PlanAssignment(2, 3),  # a different working time: the project's calendar is used
    )
    converted = plan(
        *activities, calendars=calendars, default_calendar_key="1", resources=resources, assignments=assignments
    )
    assert [activity.calendar_key for activity in converted.engine_activities()] == ["2", "1"]
    result = converted.schedule()
    assert result["1"].finish == datetime(2025, 3, 17, 17)  # Monday to Thursday, then Monday
    assert result["2"].finish == datetime(2025, 3, 14, 17)


def test_a_calendar_with_no_working_weekday_cannot_be_scheduled():
    calendars = (PlanCalendar("1", weekdays=((),) * 7),)
    with pytest.raises(UnsupportedFeatureError, match="has no working weekday"):
        plan(PlanActivity(1), calendars=calendars, default_calendar_key="1").engine_calendars()


def test_percent_complete_without_any_date_cannot_be_scheduled():
    with pytest.raises(
        UnsupportedFeatureError, match="is 40% complete but has neither an actual start nor a start date"
    ):
        plan(PlanActivity(1, duration_minutes=DAY, percent_complete=40)).engine_activities()


def test_the_status_date_of_the_plan_wins_over_the_actuals():
    started = PlanActivity(1, duration_minutes=2 * DAY, actual_start=START, percent_complete=50)
    assert plan(started).engine_status_date() == START
    assert plan(started, status_date=datetime(2025, 3, 12, 17)).engine_status_date() == datetime(2025, 3, 12, 17)
    assert plan(PlanActivity(1)).engine_status_date() is None


def test_with_dates_writes_the_schedule_into_the_plan():
    activities = (PlanActivity(1, duration_minutes=DAY), PlanActivity(2, duration_minutes=2 * DAY))
    scheduled = plan(*activities, links=(PlanLink(1, 2, LinkType.FINISH_TO_START),))
    dated = scheduled.with_dates(scheduled.schedule())
    assert [(activity.start, activity.finish) for activity in dated.activities] == [
        (datetime(2025, 3, 10, 8), datetime(2025, 3, 10, 17)),
        (datetime(2025, 3, 11, 8), datetime(2025, 3, 12, 17)),
    ]
    assert replace(dated, activities=scheduled.activities) == scheduled
