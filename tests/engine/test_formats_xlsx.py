"""Plans as Excel workbooks: export -> import keeps the plan and its schedule (every sample file and a
plan using every field the template carries), hand-made workbooks read, and every kind of bad
input gives row-by-row messages, all of them in one error.

What a workbook does not carry, by design (docs/plan-template.md): activity and resource
calendars, resources and assignments; the unit a duration is shown in (the Duration column is
working days) and the unit of a zero lag. :func:`as_a_workbook_keeps_it` says exactly that.
"""

import zipfile
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import openpyxl
import pytest

from pmo_engine import ConstraintType, LinkType
from pmo_engine.formats import (
    DurationUnit,
    FileFormatError,
    Plan,
    PlanActivity,
    PlanBaseline,
    PlanCalendar,
    PlanCalendarException,
    PlanLink,
    PlanWorkWeek,
)
from pmo_engine.formats.files import read_plan_file
from pmo_engine.formats.plan_calendars import same_working_time
from pmo_engine.formats.xlsx import (
    ActivityColumn,
    PlanWorkbookError,
    WorkbookProblem,
    read_plan_xlsx,
    write_plan_xlsx,
)
from pmo_engine.model import Calendar

DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "project-files"
SAMPLE_FILES = sorted(path.name for path in DATA.iterdir())
STANDARD_DAY = ((480, 720), (780, 1020))
DAY = 450  # the rich plan's minutes per day, not 480, so that days and hours are told apart
START = datetime(2025, 3, 10, 8)
HEADERS = [column.value for column in ActivityColumn]


def as_a_workbook_keeps_it(plan: Plan) -> tuple:
    """The plan's activities, links and baselines as they come back from a workbook: activities on
    the project calendar, durations in days (elapsed ones keep their unit), blank WBS codes given
    the outline number, zero lags in days, links listed by successor (a row lists its predecessors)."""
    numbers = plan.outline_numbers()
    activities = tuple(
        replace(
            activity,
            calendar_key=None,
            duration_unit=activity.duration_unit if activity.duration_is_elapsed else DurationUnit.DAYS,
            wbs_code=activity.wbs_code or numbers[activity.uid],
        )
        for activity in plan.activities
    )
    row = {activity.uid: position for position, activity in enumerate(plan.activities)}
    links = tuple(
        replace(link, lag_unit=DurationUnit.DAYS) if link.lag_minutes == 0 and link.lag_percent is None else link
        for link in sorted(plan.links, key=lambda link: row[link.successor_uid])
    )
    return activities, links, plan.baselines


def assert_same_plan(original: Plan, back: Plan) -> None:
    activities, links, baselines = as_a_workbook_keeps_it(original)
    assert back.activities == activities
    assert back.links == links
    assert back.baselines == baselines
    for name in ("name", "project_start", "status_date", "minutes_per_day", "minutes_per_week", "days_per_month"):
        assert getattr(back, name) == getattr(original, name), name
    assert (back.currency_code, back.notes) == (original.currency_code, original.notes)
    # One calendar comes back, the project's, working the same time (MS Project's standard week when there was none).
    assert same_working_time(back.engine_default_calendar(), original.engine_default_calendar() or Calendar())


def assert_same_schedule(original: Plan, back: Plan) -> None:
    first, second = original.schedule(), back.schedule()
    assert second.activities == first.activities
    assert second.conflicts == first.conflicts
    assert second.project_finish == first.project_finish


def rich_plan() -> Plan:
    """Every field the template carries: a three-level outline, every constraint, progress, elapsed
    and odd durations, manual and inactive activities, every kind of lag, baselines 0, 1 and 10, a
    project calendar inheriting holidays from a base calendar, with a work week and a worked Saturday."""
    calendars = (
        PlanCalendar(
            "base", "Company", exceptions=(PlanCalendarException(date(2025, 4, 18), date(2025, 4, 21), (), "Easter"),)
        ),
        PlanCalendar(
            "7",
            "Project",
            base_calendar_key="base",
            weekdays=(None,) * 7,
            exceptions=(PlanCalendarException(date(2025, 3, 22), date(2025, 3, 22), STANDARD_DAY, "Saturday shift"),),
            work_weeks=(
                PlanWorkWeek(date(2025, 8, 4), date(2025, 8, 29), ((),) + (STANDARD_DAY,) * 4 + ((), ()), "Summer"),
            ),
        ),
    )
    activities = [
        PlanActivity(
            1, "Phase", "A", is_summary=True, duration_minutes=10 * DAY, cost=Decimal("1234.56"), notes="=SUM(A1:A9)"
        ),
    ]
    for uid, constraint in enumerate(ConstraintType, start=2):
        activities.append(
            PlanActivity(
                uid,
                f"Task {uid}",
                f"A.{uid - 1}",
                outline_level=2,
                parent_uid=1,
                duration_minutes=uid * 60,
                constraint_type=constraint,
                constraint_date=datetime(2025, 3, 10 + uid, 8) if constraint.is_dated else None,
                start=START,
                finish=datetime(2025, 3, 10, 8 + uid),
            )
        )
    activities += [
        PlanActivity(10, "Sub-phase", "A.9", outline_level=2, parent_uid=1, is_summary=True),
        PlanActivity(
            11, "Deep work", "A.9.1", outline_level=3, parent_uid=10, duration_minutes=271, cost=Decimal("0.01")
        ),
        PlanActivity(
            20,
            "Started",
            "",  # a blank WBS reads back as the outline number
            duration_minutes=3 * DAY,
            actual_start=datetime(2025, 3, 10, 8, 0, 30),
            percent_complete=37.5,
            remaining_duration_minutes=2 * DAY + 7,
            deadline=datetime(2025, 4, 1, 17),
        ),
        PlanActivity(
            21,
            "Done",
            "C",
            duration_minutes=DAY,
            actual_start=START,
            actual_finish=datetime(2025, 3, 10, 17),
            percent_complete=100,
            remaining_duration_minutes=0,
            notes="Line one\nline two",
        ),
        PlanActivity(
            22,
            "Curing",
            "D",
            duration_minutes=4320,
            duration_is_elapsed=True,
            is_manually_scheduled=True,
            start=datetime(2025, 3, 20, 8),
        ),
        PlanActivity(
            23, "Drying", "E", duration_minutes=90, duration_is_elapsed=True, duration_unit=DurationUnit.HOURS
        ),
        PlanActivity(24, "Gate", "F", is_milestone=True, is_active=False),
        PlanActivity(25, "Flagged with no duration", "G"),
    ]
    links = (
        PlanLink(2, 3, LinkType.FINISH_TO_START, 2 * DAY),
        PlanLink(3, 4, LinkType.START_TO_START, -DAY, lag_unit=DurationUnit.HOURS),
        PlanLink(4, 5, LinkType.FINISH_TO_FINISH, 1440, lag_is_elapsed=True),
        PlanLink(5, 6, LinkType.START_TO_FINISH, lag_percent=25.0),
        PlanLink(21, 22, lag_percent=50.0, lag_is_elapsed=True),
        PlanLink(6, 7, lag_minutes=7, lag_unit=DurationUnit.MINUTES),
        PlanLink(7, 8, lag_minutes=2 * 5 * DAY, lag_unit=DurationUnit.WEEKS),
        PlanLink(8, 9, lag_minutes=DAY // 2),
        PlanLink(9, 11, LinkType.START_TO_START),
        PlanLink(11, 20, lag_minutes=-90, lag_is_elapsed=True, lag_unit=DurationUnit.HOURS),
    )
    baselines = (
        PlanBaseline(2, 0, START, datetime(2025, 3, 10, 10), 120, Decimal("99.5")),
        PlanBaseline(2, 1, START),
        PlanBaseline(2, 10, duration_minutes=271),
        PlanBaseline(20, 0, cost=Decimal("1500")),
    )
    return Plan(
        name="Rich",
        project_start=START,
        status_date=datetime(2025, 3, 12, 17),
        default_calendar_key="7",
        calendars=calendars,
        activities=tuple(activities),
        links=links,
        baselines=baselines,
        minutes_per_day=DAY,
        minutes_per_week=5 * DAY,
        days_per_month=21,
        currency_code="EUR",
        notes="Project notes",
    )


def workbook(rows: list[list], headers: list[str] | None = None, **sheets: list[list]) -> bytes:
    """A workbook made by hand: the Activities sheet (``headers`` then ``rows``) and the other sheets
    named by keyword (underscores for spaces), each a list of rows."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Activities"
    for row in [headers or ["Name", "Duration (days)"], *rows]:
        sheet.append(row)
    for name, content in sheets.items():
        other = book.create_sheet(name.replace("_", " "))
        for row in content:
            other.append(row)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def problems_of(data: bytes, **options: object) -> list[str]:
    with pytest.raises(PlanWorkbookError) as caught:
        read_plan_xlsx(data, **options)
    assert all(str(problem) in str(caught.value) for problem in caught.value.problems)
    return [str(problem) for problem in caught.value.problems]


def refusal_of(data: bytes, **options: object) -> str:
    with pytest.raises(PlanWorkbookError) as caught:
        read_plan_xlsx(data, **options)
    assert caught.value.problems == ()
    return str(caught.value)


# Export -> import


@pytest.mark.parametrize("name", SAMPLE_FILES)
def test_every_sample_file_survives_export_and_import_with_the_same_schedule(name):
    plan = read_plan_file(DATA / name)
    assert plan.activities, "a sample file with no activities would make this test vacuous"
    back = read_plan_xlsx(write_plan_xlsx(plan))
    assert_same_plan(plan, back)
    assert_same_schedule(plan, back)


def test_a_plan_using_every_field_survives_export_and_import_with_the_same_schedule():
    plan = rich_plan()
    back = read_plan_xlsx(write_plan_xlsx(plan))
    assert_same_plan(plan, back)
    assert_same_schedule(plan, back)
    assert back.calendars == (
        PlanCalendar(
            "1",
            "Project",
            exceptions=(
                PlanCalendarException(date(2025, 3, 22), date(2025, 3, 22), STANDARD_DAY, "Saturday shift"),
                PlanCalendarException(date(2025, 4, 18), date(2025, 4, 21), (), "Easter"),
                *(  # the work week's Mondays, as the engine sees them
                    PlanCalendarException(monday, monday, (), "Summer")
                    for monday in (date(2025, 8, 4), date(2025, 8, 11), date(2025, 8, 18), date(2025, 8, 25))
                ),
            ),
        ),
    )


def test_durations_keep_every_minute_while_showing_two_decimals():
    # 271 minutes is 0.60222... days of 450 minutes: the cell keeps the exact value and shows 0.60, so
    # the minute survives the round trip. A value typed with 2 decimals is rounded to the nearest
    # minute: in an 8-hour day 4h30 is 0.5625 days (270 minutes) and 0.56 days is 268.8, read as 269.
    plan = rich_plan()
    sheet = openpyxl.load_workbook(BytesIO(write_plan_xlsx(plan)))["Activities"]
    cells = {row[0].value: row[HEADERS.index("Duration (days)")] for row in sheet.iter_rows(min_row=2)}
    assert (cells[11].value, cells[11].number_format) == (pytest.approx(271 / DAY, rel=1e-15), "0.00")
    assert (cells[2].value, cells[22].value, cells[23].value) == (pytest.approx(120 / DAY, rel=1e-15), "3ed", "1.5eh")
    assert read_plan_xlsx(write_plan_xlsx(plan)).activity(11).duration_minutes == 271
    typed = read_plan_xlsx(workbook([["Typed", 0.56], ["Exact", 0.5625], ["In hours", "4.5h"]]), project_start=START)
    assert [activity.duration_minutes for activity in typed.activities] == [269, 270, 270]


def test_the_activities_sheet_reads_like_a_project_managers_sheet():
    book = openpyxl.load_workbook(BytesIO(write_plan_xlsx(rich_plan())))
    names = ["Activities", "Project", "Calendar exceptions", "Baseline", "Baseline 1", "Baseline 10"]
    assert book.sheetnames == names
    sheet = book["Activities"]
    assert [cell.value for cell in sheet[1]] == HEADERS
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["C"].width == 44
    rows = {row[0].value: dict(zip(HEADERS, row, strict=True)) for row in sheet.iter_rows(min_row=2)}
    assert [row[0].value for row in sheet.iter_rows(min_row=2)][:11] == list(range(1, 12))  # outline order
    assert [rows[uid]["Name"].alignment.indent for uid in (1, 2, 10, 11)] == [0, 1, 1, 2]
    assert rows[1]["Name"].font.bold
    summary = tuple(rows[1][column].value for column in ("Summary", "Milestone", "Constraint", "Outline level"))
    assert summary == ("yes", "no", "ASAP", 1)
    assert [rows[uid]["Predecessors"].value for uid in (3, 4, 5, 6, 22, 7, 8, 9, 11, 20)] == [
        "2FS+2d", "3SS-7.5h", "4FF+1ed", "5SF+25%", "21FS+50e%", "6FS+7m", "7FS+2w", "8FS+0.5d", "9SS", "11FS-1.5eh"
    ]  # fmt: skip
    assert rows[5]["Constraint date"].value == datetime(2025, 3, 15, 8)
    assert rows[5]["Constraint date"].number_format == "yyyy-mm-dd hh:mm"
    assert (rows[1]["Notes"].value, rows[1]["Notes"].data_type) == ("=SUM(A1:A9)", "s")  # text, never a formula
    project = {row[0].value: row[1].value for row in book["Project"].iter_rows(min_row=2)}
    assert project["Project start"] == START and project["Minutes per day"] == DAY
    assert (project["Monday"], project["Saturday"]) == ("08:00-12:00, 13:00-17:00", "not worked")
    assert [cell.value for cell in book["Baseline"][1]] == [
        "ID",
        "Name",
        "Start",
        "Finish",
        "Duration (days)",
        "Cost",
    ]


def test_writing_is_deterministic_and_a_plan_read_from_a_workbook_writes_the_same_workbook():
    plan = read_plan_xlsx(write_plan_xlsx(rich_plan()))
    assert write_plan_xlsx(plan) == write_plan_xlsx(read_plan_xlsx(write_plan_xlsx(plan)))
    core = zipfile.ZipFile(BytesIO(write_plan_xlsx(plan))).read("docProps/core.xml")
    assert b"dcterms:created" not in core and b"dcterms:modified" not in core


# Workbooks made by hand


def test_a_hand_made_workbook_with_name_duration_wbs_and_predecessors_reads():
    data = workbook(
        [
            ["Build the house", None, "1", None],
            ["Design", 3, "1.1", None],
            ["Foundations", "4h", "1.2", "2FS+1d"],
            ["Walls", 5, "1.3", "3SS+2h, 2"],
            ["House ready", 0, "2", "4"],
        ],
        headers=["Name", "Duration (days)", "WBS", "Predecessors"],
    )
    plan = read_plan_xlsx(data, project_start=START)
    assert [(a.uid, a.wbs_code, a.parent_uid, a.outline_level) for a in plan.activities] == [
        (1, "1", None, 1), (2, "1.1", 1, 2), (3, "1.2", 1, 2), (4, "1.3", 1, 2), (5, "2", None, 1)
    ]  # fmt: skip
    assert [(a.is_summary, a.is_milestone, a.duration_minutes) for a in plan.activities] == [
        (True, False, 0), (False, False, 1440), (False, False, 240), (False, False, 2400), (False, True, 0)
    ]  # fmt: skip
    assert plan.links == (
        PlanLink(2, 3, lag_minutes=480),
        PlanLink(3, 4, LinkType.START_TO_START, 120, lag_unit=DurationUnit.HOURS),
        PlanLink(2, 4),
        PlanLink(4, 5),
    )
    assert plan.project_start == START and plan.default_calendar_key == "1"
    assert plan.calendars[0].weekdays == (STANDARD_DAY,) * 5 + ((), ())  # MS Project's standard week
    schedule = plan.schedule()
    assert (schedule["3"].start, schedule["3"].finish) == (datetime(2025, 3, 14, 8), datetime(2025, 3, 14, 12))
    assert (schedule["4"].start, schedule["4"].finish) == (datetime(2025, 3, 14, 10), datetime(2025, 3, 21, 10))
    assert schedule["5"].start == datetime(2025, 3, 21, 10)


def test_ids_outline_levels_percentages_text_dates_and_project_sheets_made_by_hand():
    data = workbook(
        [
            [7, "Phase", None, 1, None, None],
            [None, "First", 2, 2, 0.5, "2025-03-11"],
            [3, "Second", "1d", None, None, None],  # a blank level: the level of the row above
        ],
        headers=["ID", "Name", "Duration (days)", "Outline level", "% complete", "Actual start"],
        Project=[
            ["Field", "Value"],
            ["Project start", "2025-03-10 08:00"],
            ["minutes  PER day", 420],
            ["Sunday", "09:00-12:00"],
        ],
        Calendar_exceptions=[["From", "To", "Name", "Working hours"], [datetime(2025, 3, 12), None, "Holiday", None]],
    )
    book = openpyxl.load_workbook(BytesIO(data))
    book["Activities"]["E3"].number_format = "0%"  # typed as 50% in Excel
    buffer = BytesIO()
    book.save(buffer)
    plan = read_plan_xlsx(buffer.getvalue())
    assert [(a.uid, a.parent_uid, a.wbs_code, a.duration_minutes) for a in plan.activities] == [
        (7, None, "1", 0), (8, 7, "1.1", 840), (3, 7, "1.2", 420)
    ]  # fmt: skip
    assert (plan.activities[1].percent_complete, plan.activities[1].actual_start) == (50.0, datetime(2025, 3, 11))
    assert plan.minutes_per_day == 420 and plan.project_start == START
    assert plan.calendars[0].weekdays[6] == ((540, 720),)
    assert plan.calendars[0].exceptions == (PlanCalendarException(date(2025, 3, 12), date(2025, 3, 12), (), "Holiday"),)


# Bad input: every problem, row by row, in one error


def test_a_workbook_with_five_problems_reports_all_five_in_one_error():
    data = workbook(
        [
            [1, "Design", 2, None, None],
            [2, "Build", -3, "1", None],
            [3, "Test", 1, "12XX", None],
            [3, "Ship", 2, "1", "next week"],
            [5, "Party", 1, "99", None],
        ],
        headers=["ID", "Name", "Duration (days)", "Predecessors", "Deadline"],
    )
    with pytest.raises(FileFormatError) as caught:
        read_plan_xlsx(data, project_start=START)
    expected = [
        "Row 3, Duration (days): -3 is negative",
        "Row 4, Predecessors: '12XX' is not a predecessor like 12, 12SS or 12FS+2d",
        "Row 5, ID: 3 is also the ID of row 4",
        "Row 5, Deadline: 'next week' is not a date (write it like 2025-03-10 or 2025-03-10 08:00)",
        "Row 6, Predecessors: 99 is not the ID of any row",
    ]
    assert [str(problem) for problem in caught.value.problems] == expected
    assert str(caught.value) == "The workbook has 5 problems; nothing was read:\n" + "\n".join(
        f"- {line}" for line in expected
    )
    assert caught.value.problems[0] == WorkbookProblem(3, "Duration (days)", "-3 is negative")
    assert caught.value.problems[0][:3] == (3, "Duration (days)", "-3 is negative")


ACTIVITY_PROBLEMS = [
    # (headers, rows, the problems reported)
    (["Name", "Duration (days)", "Milestone"], [["Gate", 2, "yes"]],
     ["Row 2, Milestone: yes, but Duration (days) is 2; a milestone takes no time (make the duration 0, or set "
      "Milestone to no)"]),
    (["Name", "Duration (days)", "Constraint", "Constraint date"],
     [["Pour", 1, "SNET", None], ["Cure", 1, None, START]],
     ["Row 2, Constraint date: empty, but SNET needs a date",
      "Row 3, Constraint date: ASAP takes no date; choose SNET, SNLT, FNET, FNLT, MSO or MFO in Constraint, or "
      "clear the date"]),
    (["Name", "Duration (days)", "Constraint"], [["Pour", 1, "Soonish"]],
     ["Row 2, Constraint: 'Soonish' is not one of ASAP, ALAP, SNET, SNLT, FNET, FNLT, MSO, MFO"]),
    (["Name", "Duration (days)", "Start", "Finish"], [["Pour", 1, 45000, "31/12/2025"]],
     ["Row 2, Start: 45000 is not a date (format the cell as a date, or write it like 2025-03-10 or 2025-03-10 08:00)",
      "Row 2, Finish: '31/12/2025' is not a date (write it like 2025-03-10 or 2025-03-10 08:00)"]),
    (["Name", "Duration (days)"], [["Pour", None], ["Cure", "three"], ["Set", "-2d"], [None, 1]],
     ["Row 2, Duration (days): empty; give the duration in working days (0 for a milestone)",
      "Row 3, Duration (days): 'three' is not a number of days (or a duration like 4h or 2ed)",
      "Row 4, Duration (days): '-2d' is negative",
      "Row 5, Name: empty; every activity needs a name"]),
    (["ID", "Name", "Duration (days)", "Predecessors"],
     [["A1", "Pour", 1, None], [2, "Cure", 1, "2, 1SS+2x, 1FS+1d;1"]],
     ["Row 2, ID: 'A1' is not a whole number of 0 or more",
      "Row 3, Predecessors: '1SS+2x' is not a predecessor like 12, 12SS or 12FS+2d",
      "Row 3, Predecessors: '2' names the row itself; a row cannot be its own predecessor",
      "Row 3, Predecessors: 1 is not the ID of any row",
      "Row 3, Predecessors: 1 is not the ID of any row"]),
    (["Name", "Duration (days)", "% complete", "Actual start", "Actual finish", "Remaining (days)", "Cost", "Manual"],
     [["Pour", 1, 120, None, START, "2ed", "lots", "maybe"],
      ["Cure", 1, "half", datetime(2025, 3, 11), START, None, None, None]],
     ["Row 2, % complete: 120 is not from 0 to 100",
      "Row 2, Actual finish: an actual finish needs an actual start",
      "Row 2, Remaining (days): '2ed' is elapsed time; give working time (such as 3 or 4h)",
      "Row 2, Cost: 'lots' is not an amount",
      "Row 2, Manual: 'maybe' is not yes or no",
      "Row 3, % complete: 'half' is not a percentage",
      "Row 3, Actual finish: 2025-03-10 08:00 is before the actual start 2025-03-11 00:00"]),
    (["Name", "Duration (days)", "WBS"], [["Phase", 1, "1"], ["Task", 1, "2.1"], ["Other", 1, "1"], ["Loose", 1, None]],
     ["Row 3, WBS: '2.1' sits under '2', but no row above has WBS 2",
      "Row 4, WBS: '1' is also the WBS of row 2",
      "Row 5, WBS: empty, but other rows have WBS codes (the outline comes from them)"]),
    (["Name", "Duration (days)", "Outline level"],
     [["Deep", 1, 2], ["Top", 1, 1], ["Deeper", 1, 3], ["Zero", 1, 0]],
     ["Row 2, Outline level: 2: the first row must be at level 1",
      "Row 4, Outline level: 3 is more than one level below the row above (level 1)",
      "Row 5, Outline level: 0 is not a whole number of 1 or more"]),
    (["Name", "Duration (days)", "Predecessor", "Owner", "Notes", "Notes 2"], [["Pour", 1, "2", "Pat", None, None]],
     ["Activities sheet, Predecessor: this column is not in the template and is ignored; did you mean "
      "'Predecessors'?"]),
    (["Name", "Duration (days)"], [],
     ["Activities sheet: no activity rows below the headers"]),
]  # fmt: skip


@pytest.mark.parametrize(("headers", "rows", "expected"), ACTIVITY_PROBLEMS)
def test_each_kind_of_bad_activity_row_is_reported_with_row_column_value_and_reason(headers, rows, expected):
    assert problems_of(workbook(rows, headers), project_start=START) == expected


def test_problems_on_the_other_sheets_name_the_sheet():
    data = workbook(
        [[1, "Pour", 1]],
        ["ID", "Name", "Duration (days)"],
        Project=[
            ["Field", "Value"],
            ["Start date", START],
            ["Minutes per day", 2000],
            ["Monday", "8-5"],
            ["Name", "P"],
            ["Name", "Q"],
        ],
        Calendar_exceptions=[
            ["From", "To", "Name", "Working hours"],
            [datetime(2025, 4, 18), datetime(2025, 4, 21), "Easter", None],
            [datetime(2025, 4, 20), None, "Overlap", None],
            [datetime(2025, 5, 2), datetime(2025, 5, 1), "Backwards", None],
            [None, None, "No date", "not worked"],
            [datetime(2025, 6, 1), None, "Bad hours", "13:00-12:00"],
        ],
        Baseline=[["ID", "Start"], [1, "soon"], [4, None], [1, None]],
        Baseline_11=[["ID"], [1]],
    )
    assert problems_of(data) == [
        "Project sheet: no project start: add a 'Project start' row (or give the activities Start dates)",
        "Project sheet, row 2, Field: 'Start date' is not a field of this sheet (the fields are Name, Project start, "
        "Status date, Minutes per day, Minutes per week, Days per month, Currency, Notes, Calendar, Monday, Tuesday, "
        "Wednesday, Thursday, Friday, Saturday, Sunday)",
        "Project sheet, row 3, Value: 2000 is not a whole number from 1 to 1440",
        "Project sheet, row 4, Value: '8-5' is not working hours like 08:00-12:00, 13:00-17:00 (or 'not worked')",
        "Project sheet, row 6, Field: Name is also given on row 5",
        "Calendar exceptions sheet, row 3, From: 2025-04-20 falls within the exception on row 2 (2025-04-18 to "
        "2025-04-21); exceptions cannot overlap",
        "Calendar exceptions sheet, row 4, To: 2025-05-01 is before 2025-05-02 in From",
        "Calendar exceptions sheet, row 5, From: empty; give the first day of the exception",
        "Calendar exceptions sheet, row 6, Working hours: '13:00-12:00' is not working hours like 08:00-12:00, "
        "13:00-17:00 (or 'not worked')",
        "Baseline sheet, row 2, Start: 'soon' is not a date (write it like 2025-03-10 or 2025-03-10 08:00)",
        "Baseline sheet, row 3, ID: 4 is not the ID of any activity",
        "Baseline sheet, row 4, ID: 1 is also on row 2",
        "Baseline 11 sheet: baselines are numbered 0 (sheet 'Baseline') to 10",
    ]


def test_every_problem_is_kept_when_the_message_lists_the_first_fifty():
    data = workbook([[f"Task {row}", -1] for row in range(60)])
    with pytest.raises(PlanWorkbookError) as caught:
        read_plan_xlsx(data, project_start=START)
    assert len(caught.value.problems) == 60
    lines = str(caught.value).splitlines()
    assert (lines[0], len(lines), lines[-1]) == (
        "The workbook has 60 problems; nothing was read:",
        52,
        "... and 10 more.",
    )


# Bad files


def test_a_workbook_without_the_activities_sheet_or_its_required_headers_is_refused():
    book = openpyxl.Workbook()
    book.active.title = "Tasks"
    buffer = BytesIO()
    book.save(buffer)
    assert refusal_of(buffer.getvalue()) == (
        "The workbook has no sheet named 'Activities' (its sheets: Tasks); put the activities on a sheet of that "
        "name, one per row, below a header row."
    )
    assert problems_of(workbook([["Pour", 2]], ["Task", "Days"])) == [
        "Activities sheet: no 'Name' column; the first row must hold the column headers, and Name and Duration (days) "
        "are required (the headers found: Task, Days)",
        "Activities sheet: no 'Duration (days)' column; the first row must hold the column headers, and Name and "
        "Duration (days) are required (the headers found: Task, Days)",
    ]
    assert problems_of(workbook([["Pour", 2, 3]], ["Name", "Duration (days)", "name"])) == [
        "Activities sheet, name: the column appears twice (columns 1 and 3)"
    ]
    assert refusal_of(workbook([], [None])) == (
        "The Activities sheet is empty: its first row must hold the column headers (at least Name and Duration "
        "(days)), with one activity per row below."
    )


def test_files_that_are_not_workbooks_are_refused_with_what_to_do():
    assert refusal_of(b"ID,Name\n1,Pour\n") == (
        "The file is not an Excel workbook (.xlsx); save the plan as .xlsx and upload that."
    )
    ole = bytes.fromhex("D0CF11E0A1B11AE1") + bytes(512)
    assert "Excel 97-2003 workbook (.xls)" in refusal_of(ole)
    encrypted = ole + "EncryptionInfo".encode("utf-16-le") + bytes(64)
    assert refusal_of(encrypted).startswith(
        "The workbook is protected with a password (encrypted), so it cannot be read."
    )
    valid = workbook([["Pour", 1]])
    assert refusal_of(valid[: len(valid) // 2]).startswith("The workbook is damaged (the file is cut short")
    archive = BytesIO()
    with zipfile.ZipFile(archive, "w") as other:
        other.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
    assert "OpenDocument spreadsheet (.ods)" in refusal_of(archive.getvalue())
    archive = BytesIO()
    with zipfile.ZipFile(archive, "w") as other:
        other.writestr("notes.txt", "hello")
    assert refusal_of(archive.getvalue()) == "The file is a zip archive but not an Excel workbook (.xlsx)."


def _with_sheet_xml(data: bytes, change) -> bytes:
    output = BytesIO()
    with zipfile.ZipFile(BytesIO(data)) as source, zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            content = source.read(entry.filename)
            if entry.filename == "xl/worksheets/sheet1.xml":
                content = change(content)
            target.writestr(entry.filename, content)
    return output.getvalue()


def test_a_damaged_sheet_and_an_xml_bomb_in_a_sheet_are_refused():
    valid = workbook([["Pour", 1]])
    damaged = _with_sheet_xml(valid, lambda content: content[: len(content) // 2])
    assert refusal_of(damaged).startswith("The workbook is damaged or not an Excel workbook, and cannot be read")
    entities = b'<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    bomb = _with_sheet_xml(valid, lambda content: entities + content)
    assert refusal_of(bomb).startswith("The workbook holds XML entity declarations or external references")


def test_sizes_and_rows_past_the_limits_are_refused():
    # 3 MB of text packs into a few kilobytes: the unpacked size the file declares is checked first.
    packed = workbook([["a" * 30_000, 1] for _ in range(100)])
    assert len(packed) < 100_000
    assert refusal_of(packed, maximum_uncompressed_bytes=2_000_000).startswith(
        "The workbook unpacks to 2.9 MB; pmo reads at most 1.9 MB"
    )
    assert refusal_of(packed, maximum_file_bytes=1_000).startswith("The file is 0.0 MB; pmo reads workbooks of at most")
    rows = workbook([[f"Task {row}", 1] for row in range(4)])
    assert refusal_of(rows, maximum_rows=3, project_start=START) == (
        "The Activities sheet has more than 3 rows (row 5 is past the limit); split the plan into smaller workbooks."
    )
    assert len(read_plan_xlsx(rows, maximum_rows=4, project_start=START).activities) == 4


def test_predecessors_and_constraints_are_read_as_ms_project_writes_them():
    data = workbook(
        [
            [1, "One", 1, None, None, None],
            [2, "Two", 1, "1+2d", "Start No Earlier Than", START],
            [3, "Three", 1, "1 ss + 4 H; 2ff-1D", "mso", START],
            [4, "Four", 1, "3FS+1ed, 2SF+50%, 1FS-25e%", None, None],
        ],
        ["ID", "Name", "Duration (days)", "Predecessors", "Constraint", "Constraint date"],
    )
    plan = read_plan_xlsx(data, project_start=START)
    assert plan.links == (
        PlanLink(1, 2, lag_minutes=960),
        PlanLink(1, 3, LinkType.START_TO_START, 240, lag_unit=DurationUnit.HOURS),
        PlanLink(2, 3, LinkType.FINISH_TO_FINISH, -480),
        PlanLink(3, 4, lag_minutes=1440, lag_is_elapsed=True),
        PlanLink(2, 4, LinkType.START_TO_FINISH, lag_percent=50.0),
        PlanLink(1, 4, lag_is_elapsed=True, lag_percent=-25.0),
    )
    assert [activity.constraint_type for activity in plan.activities] == [
        ConstraintType.AS_SOON_AS_POSSIBLE,
        ConstraintType.START_NO_EARLIER_THAN,
        ConstraintType.MUST_START_ON,
        ConstraintType.AS_SOON_AS_POSSIBLE,
    ]
