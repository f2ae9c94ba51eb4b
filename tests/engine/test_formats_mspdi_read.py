"""Reading MSPDI: what the real files hold, and each feature on a small hand-written document.

Hand-worked dates use the standard calendar (Monday to Friday, 08:00-12:00 and 13:00-17:00) and a
project starting on Monday 10 March 2025 at 08:00.
"""

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from pmo_engine import ConstraintType, LinkType
from pmo_engine.formats import (
    STANDARD_WEEK,
    DurationUnit,
    PlanCalendarException,
    ResourceType,
    UnsupportedFeatureError,
    read_mspdi,
)

DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "project-files"
NAMESPACE = "http://schemas.microsoft.com/project"
DAY = 480
STANDARD_DAY = ((480, 720), (780, 1020))


def read(name: str):
    return read_mspdi((DATA / name).read_bytes())


def weekday(day_type: int, times: str = "", *, working: bool = True) -> str:
    body = f"<WorkingTimes>{times}</WorkingTimes>" if times else ""
    return f"<WeekDay><DayType>{day_type}</DayType><DayWorking>{int(working)}</DayWorking>{body}</WeekDay>"


def hours(start: str, end: str) -> str:
    return f"<WorkingTime><FromTime>{start}:00</FromTime><ToTime>{end}:00</ToTime></WorkingTime>"


STANDARD_TIMES = hours("08:00", "12:00") + hours("13:00", "17:00")


def calendar(uid: int, body: str = "", *, base: int = -1, name: str = "Standard") -> str:
    is_base = int(base == -1)
    return (
        f"<Calendar><UID>{uid}</UID><Name>{name}</Name><IsBaseCalendar>{is_base}</IsBaseCalendar>"
        f"<BaseCalendarUID>{base}</BaseCalendarUID>{body}</Calendar>"
    )


def exception(first: str, last: str, *, working_times: str = "", kind: int = 1, fields: str = "") -> str:
    working = (
        f"<DayWorking>1</DayWorking><WorkingTimes>{working_times}</WorkingTimes>"
        if working_times
        else ("<DayWorking>0</DayWorking>")
    )
    return (
        f"<Exception><TimePeriod><FromDate>{first}T00:00:00</FromDate><ToDate>{last}T23:59:00</ToDate></TimePeriod>"
        f"<Type>{kind}</Type>{fields}{working}</Exception>"
    )


def task(uid: int, duration: str = "PT8H0M0S", *, level: int = 1, extra: str = "", links: str = "") -> str:
    return (
        f"<Task><UID>{uid}</UID><ID>{uid}</ID><Name>Task {uid}</Name><OutlineLevel>{level}</OutlineLevel>"
        f"<Duration>{duration}</Duration>{extra}{links}</Task>"
    )


def document(tasks: str, *, calendars: str | None = None, tail: str = "", namespace: bool = True) -> bytes:
    calendars = calendars if calendars is not None else calendar(1)
    xmlns = f' xmlns="{NAMESPACE}"' if namespace else ""
    return (
        f'<?xml version="1.0"?><Project{xmlns}><Name>Test</Name><StartDate>2025-03-10T08:00:00</StartDate>'
        f"<CalendarUID>1</CalendarUID><Calendars>{calendars}</Calendars><Tasks>{tasks}</Tasks>{tail}</Project>"
    ).encode()


def test_projectlibre_file_holds_its_wbs_links_constraints_resources_and_costs():
    plan = read("projectlibre_New_Product.xml")
    assert plan.name == "Product #23 Development"
    assert plan.project_start == datetime(2004, 7, 19, 8, 0)
    assert plan.default_calendar_key == "1"
    assert len(plan.activities) == 42  # 43 tasks less the project summary task
    assert sum(activity.is_summary for activity in plan.activities) == 6
    assert sum(activity.is_milestone for activity in plan.activities) == 12
    prototype = plan.activity(4)
    assert (prototype.name, prototype.wbs_code, prototype.outline_level, prototype.parent_uid) == (
        "Test prototype",
        "2.2",
        2,
        1,
    )
    assert prototype.constraint_type is ConstraintType.START_NO_EARLIER_THAN
    assert prototype.constraint_date == datetime(2004, 9, 5, 8, 0)
    assert prototype.duration_minutes == 20 * DAY
    assert plan.activity(3).cost == Decimal("4165.38")
    lead = next(link for link in plan.links if link.lag_minutes != 0)
    assert (lead.lag_minutes, lead.lag_unit, lead.lag_is_elapsed) == (-15 * DAY, DurationUnit.DAYS, False)
    assert {link.link_type for link in plan.links} == {LinkType.FINISH_TO_START, LinkType.FINISH_TO_FINISH}
    assert plan.notes == "Project shelved due to test marketing results"  # on the project summary task
    assert not any(activity.notes for activity in plan.activities)
    assert len(plan.resources) == 8  # UID 0, MS Project's hidden placeholder, is not a resource
    scott = next(resource for resource in plan.resources if resource.name == "Scott Adams")
    assert (scott.standard_rate_per_hour, scott.max_units, scott.calendar_key) == (Decimal(8), 1.0, "10")
    assert len(plan.assignments) == 28  # the placeholder assignments to resource -65535 are skipped
    half = next(a for a in plan.assignments if a.activity_uid == 3 and a.resource_uid == scott.uid)
    assert (half.units, half.work_minutes, half.cost) == (0.5, 100 * 60, Decimal(800))
    assert len(plan.calendars) == 11
    assert {calendar.base_calendar_key for calendar in plan.calendars} == {None, "1"}


def test_ms_project_2019_file_holds_manually_scheduled_tasks():
    plan = read("mpxj_task-durations-project2019-mspdi.xml")
    assert plan.name == "task-durations-project2019-mspdi.xml"
    assert len(plan.activities) == 110
    assert all(activity.is_manually_scheduled for activity in plan.activities)
    assert {activity.duration_minutes for activity in plan.activities} == {DAY}
    assert {activity.duration_unit for activity in plan.activities} == {DurationUnit.DAYS}  # format 53: none
    assert plan.calendars[0].weekdays == STANDARD_WEEK


def test_psplib_file_holds_its_resources_and_lagged_project_starts():
    plan = read("mpsplib_16_mp_j30_a5_nr1.xml")
    assert len(plan.activities) == 160
    assert len(plan.links) == 344
    assert len(plan.resources) == 12
    assert {link.lag_minutes for link in plan.links} == {0, 4 * DAY, 9 * DAY, 16 * DAY, 20 * DAY}
    assert plan.calendars[0].weekdays[0] == ((540, 780), (900, 1140))  # 09:00-13:00, 15:00-19:00


def test_the_project_summary_task_and_blank_rows_are_not_activities():
    tasks = (
        "<Task><UID>0</UID><ID>0</ID><Name>The project</Name><OutlineLevel>0</OutlineLevel></Task>"
        + task(1)
        + "<Task><UID>2</UID><ID>2</ID><IsNull>1</IsNull></Task>"
        + task(3)
    )
    plan = read_mspdi(document(tasks).replace(b"<Name>Test</Name>", b""))
    assert plan.name == "The project"
    assert [activity.uid for activity in plan.activities] == [1, 3]


def test_a_file_without_the_namespace_reads():
    plan = read_mspdi(document(task(1), namespace=False))
    assert [activity.uid for activity in plan.activities] == [1]


def test_outline_levels_make_the_wbs_and_missing_wbs_codes_take_the_outline_number():
    tasks = task(1, level=1) + task(2, level=2) + task(3, level=3) + task(4, level=2) + task(5, level=1)
    plan = read_mspdi(document(tasks))
    assert [(a.uid, a.parent_uid, a.is_summary, a.wbs_code) for a in plan.activities] == [
        (1, None, True, "1"),
        (2, 1, True, "1.1"),
        (3, 2, False, "1.1.1"),
        (4, 1, False, "1.2"),
        (5, None, False, "2"),
    ]


def test_tasks_are_read_in_id_order():
    tasks = task(1).replace("<ID>1</ID>", "<ID>2</ID>") + task(2).replace("<ID>2</ID>", "<ID>1</ID>")
    assert [activity.uid for activity in read_mspdi(document(tasks)).activities] == [2, 1]


def test_elapsed_and_percent_lags_and_their_engine_lags():
    links = (
        "<PredecessorLink><PredecessorUID>1</PredecessorUID><Type>1</Type><LinkLag>14400</LinkLag>"
        "<LagFormat>6</LagFormat></PredecessorLink>"
    )
    percent = (
        "<PredecessorLink><PredecessorUID>1</PredecessorUID><Type>3</Type><LinkLag>50</LinkLag>"
        "<LagFormat>19</LagFormat></PredecessorLink>"
    )
    plan = read_mspdi(document(task(1, "PT16H0M0S") + task(2, links=links) + task(3, links=percent)))
    elapsed, share = plan.links
    assert (elapsed.lag_minutes, elapsed.lag_is_elapsed, elapsed.lag_unit) == (1440, True, DurationUnit.HOURS)
    assert (share.link_type, share.lag_percent, share.lag_minutes) == (LinkType.START_TO_START, 50.0, 0)
    # 24 elapsed hours are one working day; 50% of a two-day predecessor is one working day.
    assert [link.lag_minutes for link in plan.engine_links()] == [DAY, DAY]
    result = plan.schedule()
    assert (result["2"].start, result["3"].start) == (datetime(2025, 3, 13, 8), datetime(2025, 3, 11, 8))


def test_an_elapsed_duration_is_scheduled_as_working_days():
    plan = read_mspdi(document(task(1, "PT48H0M0S", extra="<DurationFormat>8</DurationFormat>")))
    activity = plan.activities[0]
    assert (activity.duration_minutes, activity.duration_is_elapsed, activity.duration_unit) == (
        2880,
        True,
        DurationUnit.DAYS,
    )
    assert plan.engine_activities()[0].duration_minutes == 2 * DAY


def test_durations_with_seconds_round_to_the_minute():
    plan = read_mspdi(document(task(1, "PT1H0M40S") + task(2, "PT1H0M20S")))
    assert [activity.duration_minutes for activity in plan.activities] == [61, 60]


def test_exceptions_and_a_derived_calendar_drive_the_dates():
    standard = calendar(
        1,
        "<WeekDays>"
        + "".join(weekday(day, STANDARD_TIMES) for day in range(2, 7))
        + weekday(1, working=False)
        + weekday(7, working=False)
        + "</WeekDays><Exceptions>"
        + exception("2025-03-12", "2025-03-12")
        + exception("2025-03-15", "2025-03-15", working_times=STANDARD_TIMES)
        + "</Exceptions>",
    )
    no_mondays = calendar(2, "<WeekDays>" + weekday(2, working=False) + "</WeekDays>", base=1, name="Pat")
    resources = (
        "<Resources><Resource><UID>1</UID><Name>Pat</Name><Type>1</Type><CalendarUID>2</CalendarUID></Resource>"
        "</Resources><Assignments><Assignment><UID>1</UID><TaskUID>2</TaskUID><ResourceUID>1</ResourceUID>"
        "<Units>1</Units><Work>PT16H0M0S</Work></Assignment></Assignments>"
    )
    plan = read_mspdi(
        document(task(1, "PT24H0M0S") + task(2, "PT16H0M0S"), calendars=standard + no_mondays, tail=resources)
    )
    pat = plan.calendars[1]
    assert pat.base_calendar_key == "1"
    assert pat.weekdays == ((), None, None, None, None, None, None)
    engine = {calendar.key: calendar for calendar in plan.engine_calendars()}
    assert engine["1"].holidays == {date(2025, 3, 12)}
    assert engine["1"].extra_working_dates == {date(2025, 3, 15)}
    assert engine["2"].working_weekdays == {1, 2, 3, 4} and engine["2"].holidays == {date(2025, 3, 12)}
    result = plan.schedule()
    # Task 1: Monday, Tuesday, (Wednesday off), Thursday. Task 2 on Pat's calendar: Tuesday, Thursday.
    assert (result["1"].start, result["1"].finish) == (datetime(2025, 3, 10, 8), datetime(2025, 3, 13, 17))
    assert (result["2"].start, result["2"].finish) == (datetime(2025, 3, 11, 8), datetime(2025, 3, 13, 17))


def test_exceptions_of_ms_project_2003_are_read_from_weekdays():
    body = (
        "<WeekDays>"
        + weekday(2, STANDARD_TIMES)
        + "<WeekDay><DayType>0</DayType><DayWorking>0</DayWorking><TimePeriod><FromDate>2025-03-11T00:00:00</FromDate>"
        "<ToDate>2025-03-12T23:59:00</ToDate></TimePeriod></WeekDay></WeekDays>"
    )
    plan = read_mspdi(document(task(1), calendars=calendar(1, body)))
    assert plan.calendars[0].exceptions == (PlanCalendarException(date(2025, 3, 11), date(2025, 3, 12), ()),)


@pytest.mark.parametrize(
    ("kind", "first", "last", "fields", "dates"),
    [
        # Every third day.
        (1, "2025-03-10", "2025-03-20", "<Period>3</Period>", ["2025-03-10", "2025-03-13", "2025-03-16", "2025-03-19"]),
        # Christmas, four times.
        (
            2,
            "2024-12-25",
            "2030-12-25",
            "<EnteredByOccurrences>1</EnteredByOccurrences><Occurrences>4</Occurrences><Month>11</Month>"
            "<MonthDay>25</MonthDay>",
            ["2024-12-25", "2025-12-25", "2026-12-25", "2027-12-25"],
        ),
        # The fourth Thursday of November.
        (
            3,
            "2024-11-01",
            "2026-11-30",
            "<Month>10</Month><MonthItem>7</MonthItem><MonthPosition>3</MonthPosition>",
            ["2024-11-28", "2025-11-27", "2026-11-26"],
        ),
        # The 31st every other month, or the month's last day.
        (
            4,
            "2025-01-31",
            "2025-06-30",
            "<Period>2</Period><MonthDay>31</MonthDay>",
            ["2025-01-31", "2025-03-31", "2025-05-31"],
        ),
        # The last Friday of each month.
        (
            5,
            "2025-01-01",
            "2025-04-30",
            "<Period>1</Period><MonthItem>8</MonthItem><MonthPosition>4</MonthPosition>",
            ["2025-01-31", "2025-02-28", "2025-03-28", "2025-04-25"],
        ),
        # Mondays and Fridays every other week.
        (
            6,
            "2025-03-03",
            "2025-03-28",
            "<Period>2</Period><DaysOfWeek>34</DaysOfWeek>",
            ["2025-03-03", "2025-03-07", "2025-03-17", "2025-03-21"],
        ),
    ],
)
def test_recurring_exceptions_expand_to_their_dates(kind, first, last, fields, dates):
    body = "<Exceptions>" + exception(first, last, kind=kind, fields=fields) + "</Exceptions>"
    plan = read_mspdi(document(task(1), calendars=calendar(1, body)))
    days = [exception.first_date for exception in plan.calendars[0].exceptions]
    assert days == [date.fromisoformat(day) for day in dates]
    assert all(exception.first_date == exception.last_date for exception in plan.calendars[0].exceptions)


def test_a_daily_exception_over_several_days_is_one_range():
    body = "<Exceptions>" + exception("2025-12-24", "2025-12-26", fields="<Period>1</Period>") + "</Exceptions>"
    plan = read_mspdi(document(task(1), calendars=calendar(1, body)))
    assert plan.calendars[0].exceptions == (PlanCalendarException(date(2025, 12, 24), date(2025, 12, 26), ()),)


def test_a_work_week_changes_the_days_in_its_range():
    body = (
        "<WorkWeeks><WorkWeek><TimePeriod><FromDate>2025-03-17T00:00:00</FromDate><ToDate>2025-03-21T23:59:00</ToDate>"
        "</TimePeriod><Name>Short week</Name><WeekDays>"
        + weekday(6, working=False)
        + "</WeekDays></WorkWeek></WorkWeeks>"
    )
    plan = read_mspdi(document(task(1, "PT40H0M0S"), calendars=calendar(1, body)))
    assert plan.calendars[0].work_weeks[0].weekdays[4] == ()
    assert plan.engine_default_calendar().holidays == {date(2025, 3, 21)}
    assert plan.schedule()["1"].finish == datetime(2025, 3, 14, 17)


def test_a_24_hour_calendar_reads_midnight_as_the_end_of_the_day():
    body = "<WeekDays>" + "".join(weekday(day, hours("00:00", "00:00")) for day in range(1, 8)) + "</WeekDays>"
    plan = read_mspdi(document(task(1, "PT48H0M0S"), calendars=calendar(1, body)))
    assert plan.calendars[0].weekdays == (((0, 1440),),) * 7
    assert plan.schedule()["1"].finish == datetime(2025, 3, 12, 8)


def test_different_hours_on_one_weekday_cannot_be_scheduled_and_say_why():
    body = "<WeekDays>" + weekday(6, hours("08:00", "12:00")) + "</WeekDays>"
    plan = read_mspdi(document(task(1), calendars=calendar(1, body)))
    with pytest.raises(
        UnsupportedFeatureError, match="works 08:00-12:00 on Friday but 08:00-12:00, 13:00-17:00 on Monday"
    ):
        plan.schedule()


def test_a_half_day_exception_cannot_be_scheduled_and_names_the_day():
    body = (
        "<Exceptions>" + exception("2025-12-24", "2025-12-24", working_times=hours("08:00", "12:00")) + "</Exceptions>"
    )
    plan = read_mspdi(document(task(1), calendars=calendar(1, body)))
    with pytest.raises(UnsupportedFeatureError, match="works 08:00-12:00 on 2025-12-24"):
        plan.schedule()


def test_manual_inactive_and_long_milestone_tasks_in_the_engine():
    manual = "<Manual>1</Manual><Start>2025-03-12T08:00:00</Start><Finish>2025-03-12T17:00:00</Finish>"
    links = "<PredecessorLink><PredecessorUID>2</PredecessorUID><Type>1</Type></PredecessorLink>"
    tasks = (
        task(1, extra=manual)
        + task(2, extra="<Active>0</Active>")
        + task(3, links=links)
        + task(4, "PT16H0M0S", extra="<Milestone>1</Milestone>")
    )
    plan = read_mspdi(document(tasks))
    activities = {activity.key: activity for activity in plan.engine_activities()}
    assert set(activities) == {"1", "3", "4"}  # the inactive task is left out, and its link with it
    assert plan.engine_links() == ()
    assert (activities["1"].constraint_type, activities["1"].constraint_date) == (
        ConstraintType.MUST_START_ON,
        datetime(2025, 3, 12, 8),
    )
    assert (activities["4"].is_milestone, activities["4"].duration_minutes) == (False, 2 * DAY)
    assert plan.schedule()["1"].start == datetime(2025, 3, 12, 8)


def test_progress_without_actual_dates_takes_the_stored_dates():
    done = (
        "<PercentComplete>100</PercentComplete><Start>2025-03-10T08:00:00</Start><Finish>2025-03-10T17:00:00</Finish>"
    )
    half = "<PercentComplete>50</PercentComplete><Start>2025-03-11T08:00:00</Start><Finish>2025-03-12T17:00:00</Finish>"
    plan = read_mspdi(document(task(1, extra=done) + task(2, "PT16H0M0S", extra=half)))
    first, second = plan.engine_activities()
    assert (first.actual_start, first.actual_finish) == (datetime(2025, 3, 10, 8), datetime(2025, 3, 10, 17))
    assert (second.actual_start, second.actual_finish, second.percent_complete) == (datetime(2025, 3, 11, 8), None, 50)
    assert plan.status_date is None
    assert plan.engine_status_date() == datetime(2025, 3, 11, 8)  # the latest actual date
    result = plan.schedule()
    assert result["2"].finish == datetime(2025, 3, 11, 17)  # the other half from the status date


def test_a_status_date_and_actuals_are_read():
    extra = (
        "<PercentComplete>50</PercentComplete><ActualStart>2025-03-10T08:00:00</ActualStart>"
        "<RemainingDuration>PT4H0M0S</RemainingDuration>"
    )
    data = document(task(1, extra=extra)).replace(
        b"<CalendarUID>1</CalendarUID>", b"<CalendarUID>1</CalendarUID><StatusDate>2025-03-11T17:00:00</StatusDate>"
    )
    plan = read_mspdi(data)
    assert plan.status_date == datetime(2025, 3, 11, 17)
    assert plan.activities[0].remaining_duration_minutes == 240
    assert plan.schedule()["1"].finish == datetime(2025, 3, 12, 12)


def test_resource_types_units_and_rates():
    tail = (
        "<Resources><Resource><UID>0</UID></Resource>"
        "<Resource><UID>1</UID><Name>Crane</Name><Type>1</Type><MaxUnits>2</MaxUnits><StandardRate>95.5</StandardRate>"
        "</Resource><Resource><UID>2</UID><Name>Concrete</Name><Type>0</Type></Resource>"
        "<Resource><UID>3</UID><Name>Travel</Name><Type>0</Type><IsCostResource>1</IsCostResource></Resource>"
        "</Resources>"
    )
    plan = read_mspdi(document(task(1), tail=tail))
    assert [(r.uid, r.resource_type, r.max_units, r.standard_rate_per_hour) for r in plan.resources] == [
        (1, ResourceType.WORK, 2.0, Decimal("95.5")),
        (2, ResourceType.MATERIAL, 1.0, Decimal(0)),
        (3, ResourceType.COST, 1.0, Decimal(0)),
    ]


def test_task_baselines_are_read():
    baseline = (
        "<Baseline><Number>0</Number><Start>2025-03-10T08:00:00</Start><Finish>2025-03-10T17:00:00</Finish>"
        "<Duration>PT8H0M0S</Duration><Cost>50000</Cost></Baseline>"
        "<Baseline><Number>3</Number><Start>2025-03-11T08:00:00</Start></Baseline>"
    )
    plan = read_mspdi(document(task(1, extra=baseline)))
    first, third = plan.baselines
    assert (first.number, first.start, first.finish, first.duration_minutes, first.cost) == (
        0,
        datetime(2025, 3, 10, 8),
        datetime(2025, 3, 10, 17),
        DAY,
        Decimal(500),
    )
    assert (third.number, third.start, third.finish, third.cost) == (3, datetime(2025, 3, 11, 8), None, None)
