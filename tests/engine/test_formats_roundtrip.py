"""Import -> export MSPDI -> import again keeps the plan: on every sample file and on a hand-built
plan that uses every field, and the written file follows MS Project's schema order.

Files other than MSPDI go through MPXJ (the ``mpxj`` extra, Java 17): without it these tests fail
with the message of :class:`~pmo_engine.formats.OptionalDependencyError`.
"""

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from xml.etree.ElementTree import Element

import defusedxml.ElementTree as SafeElementTree
import pytest

from pmo_engine import ConstraintType, LinkType
from pmo_engine.formats import (
    DurationUnit,
    Plan,
    PlanActivity,
    PlanAssignment,
    PlanBaseline,
    PlanCalendar,
    PlanCalendarException,
    PlanLink,
    PlanResource,
    PlanWorkWeek,
    ResourceType,
    convert_to_mspdi,
    read_mspdi,
    read_plan_file,
    write_mspdi,
)

DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "project-files"
SAMPLE_FILES = [
    "mpxj_task-durations-project2019-mspdi.xml",
    "projectlibre_New_Product.xml",
    "mpsplib_16_mp_j30_a5_nr1.xml",
    "mpsplib_46_mp_j120_a2_nr1.xml",
    "projectlibre_New_Product.mpp",
    "ganttproject_HouseBuildingSample.gan",
    "mpxj_project1.planner",
]
DAY = 480
NAMESPACE = "{http://schemas.microsoft.com/project}"

# MS Project's schema (mspdi_pj12.xsd) sequences, for the elements the writer produces.
SCHEMA_ORDER = {
    "Project": [
        "SaveVersion", "UID", "Name", "GUID", "Title", "Subject", "Category", "Company", "Manager", "Author",
        "CreationDate", "Revision", "LastSaved", "ScheduleFromStart", "StartDate", "FinishDate", "FYStartDate",
        "CriticalSlackLimit", "CurrencyDigits", "CurrencySymbol", "CurrencyCode", "CurrencySymbolPosition",
        "CalendarUID", "DefaultStartTime", "DefaultFinishTime", "MinutesPerDay", "MinutesPerWeek", "DaysPerMonth",
        "DefaultTaskType", "DefaultFixedCostAccrual", "DefaultStandardRate", "DefaultOvertimeRate", "DurationFormat",
        "WorkFormat", "EditableActualCosts", "HonorConstraints", "EarnedValueMethod", "InsertedProjectsLikeSummary",
        "MultipleCriticalPaths", "NewTasksEffortDriven", "NewTasksEstimated", "SplitsInProgressTasks",
        "SpreadActualCost", "SpreadPercentComplete", "TaskUpdatesResource", "FiscalYearStart", "WeekStartDay",
        "MoveCompletedEndsBack", "MoveRemainingStartsBack", "MoveRemainingStartsForward", "MoveCompletedEndsForward",
        "BaselineForEarnedValue", "AutoAddNewResourcesAndTasks", "StatusDate", "CurrentDate",
        "MicrosoftProjectServerURL", "Autolink", "NewTaskStartDate", "NewTasksAreManual", "DefaultTaskEVMethod",
        "ProjectExternallyEdited", "ExtendedCreationDate", "ActualsInSync", "RemoveFileProperties", "AdminProject",
        "BaselineCalendar", "OutlineCodes", "WBSMasks", "ExtendedAttributes", "Calendars", "Tasks", "Resources",
        "Assignments",
    ],
    "Calendar": [
        "UID", "GUID", "Name", "IsBaseCalendar", "IsBaselineCalendar", "BaseCalendarUID", "WeekDays", "Exceptions",
        "WorkWeeks",
    ],
    "WeekDay": ["DayType", "DayWorking", "TimePeriod", "WorkingTimes"],
    "Exception": [
        "EnteredByOccurrences", "TimePeriod", "Occurrences", "Name", "Type", "Period", "DaysOfWeek", "MonthItem",
        "MonthPosition", "Month", "MonthDay", "DayWorking", "WorkingTimes",
    ],
    "WorkWeek": ["TimePeriod", "Name", "WeekDays"],
    "Task": [
        "UID", "GUID", "ID", "Name", "Active", "Manual", "Type", "IsNull", "CreateDate", "Contact", "WBS", "WBSLevel",
        "OutlineNumber", "OutlineLevel", "Priority", "Start", "Finish", "Duration", "DurationFormat", "Work", "Stop",
        "Resume", "ResumeValid", "EffortDriven", "Recurring", "OverAllocated", "Estimated", "Milestone", "Summary",
        "DisplayAsSummary", "Critical", "IsSubproject", "IsSubprojectReadOnly", "SubprojectName", "ExternalTask",
        "ExternalTaskProject", "EarlyStart", "EarlyFinish", "LateStart", "LateFinish", "StartVariance",
        "FinishVariance", "WorkVariance", "FreeSlack", "TotalSlack", "StartSlack", "FinishSlack", "FixedCost",
        "FixedCostAccrual", "PercentComplete", "PercentWorkComplete", "Cost", "OvertimeCost", "OvertimeWork",
        "ActualStart", "ActualFinish", "ActualDuration", "ActualCost", "ActualOvertimeCost", "ActualWork",
        "ActualOvertimeWork", "RegularWork", "RemainingDuration", "RemainingCost", "RemainingWork",
        "RemainingOvertimeCost", "RemainingOvertimeWork", "ACWP", "CV", "ConstraintType", "CalendarUID",
        "ConstraintDate", "Deadline", "LevelAssignments", "LevelingCanSplit", "LevelingDelay", "LevelingDelayFormat",
        "PreLeveledStart", "PreLeveledFinish", "Hyperlink", "HyperlinkAddress", "HyperlinkSubAddress",
        "IgnoreResourceCalendar", "Notes", "HideBar", "Rollup", "BCWS", "BCWP", "PhysicalPercentComplete",
        "EarnedValueMethod", "PredecessorLink", "ActualWorkProtected", "ActualOvertimeWorkProtected",
        "ExtendedAttribute", "Baseline",
    ],
    "PredecessorLink": ["PredecessorUID", "Type", "CrossProject", "CrossProjectName", "LinkLag", "LagFormat"],
    "Baseline": [
        "TimephasedData", "Number", "Interim", "Start", "Finish", "Duration", "DurationFormat", "EstimatedDuration",
        "Work", "Cost",
    ],
    "Resource": [
        "UID", "GUID", "ID", "Name", "Type", "IsNull", "Initials", "Phonetics", "NTAccount", "MaterialLabel", "Code",
        "Group", "WorkGroup", "EmailAddress", "Hyperlink", "HyperlinkAddress", "HyperlinkSubAddress", "MaxUnits",
        "PeakUnits", "OverAllocated", "AvailableFrom", "AvailableTo", "Start", "Finish", "CanLevel", "AccrueAt",
        "Work", "RegularWork", "OvertimeWork", "ActualWork", "RemainingWork", "ActualOvertimeWork",
        "RemainingOvertimeWork", "PercentWorkComplete", "StandardRate", "StandardRateFormat", "Cost", "OvertimeRate",
        "OvertimeRateFormat", "OvertimeCost", "CostPerUse", "ActualCost", "ActualOvertimeCost", "RemainingCost",
        "RemainingOvertimeCost", "WorkVariance", "CostVariance", "SV", "CV", "ACWP", "CalendarUID", "Notes", "BCWS",
        "BCWP", "IsGeneric", "IsInactive", "IsEnterprise", "BookingType", "ActualWorkProtected",
        "ActualOvertimeWorkProtected", "ActiveDirectoryGUID", "CreationDate", "ExtendedAttribute", "Baseline",
        "OutlineCode", "CostCenter", "IsCostResource",
    ],
    "Assignment": [
        "UID", "GUID", "TaskUID", "ResourceUID", "PercentWorkComplete", "ActualCost", "ActualFinish",
        "ActualOvertimeCost", "ActualOvertimeWork", "ActualStart", "ActualWork", "ACWP", "Confirmed", "Cost",
        "CostRateTable", "CostVariance", "CV", "Delay", "Finish", "FinishVariance", "Hyperlink", "HyperlinkAddress",
        "HyperlinkSubAddress", "WorkVariance", "HasFixedRateUnits", "FixedMaterial", "LevelingDelay",
        "LevelingDelayFormat", "LinkedFields", "Milestone", "Notes", "Overallocated", "OvertimeCost", "OvertimeWork",
        "PeakUnits", "RateScale", "RegularWork", "RemainingCost", "RemainingOvertimeCost", "RemainingOvertimeWork",
        "RemainingWork", "ResponsePending", "Start", "Stop", "Resume", "StartVariance", "Summary", "SV", "Units",
        "UpdateNeeded", "VAC", "Work",
    ],
}  # fmt: skip


def rich_plan() -> Plan:
    """A plan using every field the formats keep: progress, all constraints, every lag kind,
    derived calendars with exceptions and work weeks, resources of each type, baselines 0-10."""
    standard_day = ((480, 720), (780, 1020))
    calendars = (
        PlanCalendar(
            "1",
            "Standard",
            exceptions=(
                PlanCalendarException(date(2025, 4, 18), date(2025, 4, 21), (), "Easter"),
                PlanCalendarException(date(2025, 3, 22), date(2025, 3, 22), standard_day, "Saturday shift"),
            ),
            work_weeks=(
                PlanWorkWeek(date(2025, 8, 4), date(2025, 8, 29), ((),) + (standard_day,) * 4 + ((), ()), "Summer"),
            ),
        ),
        PlanCalendar("7", "Night", weekdays=(((0, 360), (1320, 1440)),) * 5 + ((), ())),
        PlanCalendar("12", "Pat", base_calendar_key="1", weekdays=(None, None, None, None, (), None, None)),
    )
    constraints = list(ConstraintType)
    activities = [
        PlanActivity(1, "Phase", "A", is_summary=True, duration_minutes=10 * DAY, cost=Decimal("1234.56"), notes="Top"),
    ]
    for position, constraint in enumerate(constraints, start=2):
        activities.append(
            PlanActivity(
                position,
                f"Task {position}",
                f"A.{position - 1}",
                outline_level=2,
                parent_uid=1,
                duration_minutes=position * 60,
                duration_unit=DurationUnit.HOURS,
                constraint_type=constraint,
                constraint_date=datetime(2025, 3, 10 + position, 8) if constraint.is_dated else None,
                start=datetime(2025, 3, 10, 8),
                finish=datetime(2025, 3, 10, 8 + position),
            )
        )
    activities += [
        PlanActivity(
            20,
            "Started",
            "B",
            duration_minutes=3 * DAY,
            actual_start=datetime(2025, 3, 10, 8),
            percent_complete=40,
            remaining_duration_minutes=2 * DAY,
            calendar_key="7",
            deadline=datetime(2025, 4, 1, 17),
        ),
        PlanActivity(
            21,
            "Done",
            "C",
            duration_minutes=DAY,
            actual_start=datetime(2025, 3, 10, 8),
            actual_finish=datetime(2025, 3, 10, 17),
            percent_complete=100,
            remaining_duration_minutes=0,
        ),
        PlanActivity(22, "Curing", "D", duration_minutes=4320, duration_is_elapsed=True, is_manually_scheduled=True),
        PlanActivity(23, "Gate", "E", is_milestone=True, is_active=False, duration_unit=DurationUnit.WEEKS),
    ]
    links = (
        PlanLink(2, 3, LinkType.FINISH_TO_START, 2 * DAY),
        PlanLink(3, 4, LinkType.START_TO_START, -DAY, lag_unit=DurationUnit.HOURS),
        PlanLink(4, 5, LinkType.FINISH_TO_FINISH, 1440, lag_is_elapsed=True, lag_unit=DurationUnit.DAYS),
        PlanLink(5, 6, LinkType.START_TO_FINISH, lag_percent=25.0),
        PlanLink(21, 22, lag_percent=50.0, lag_is_elapsed=True),
    )
    resources = (
        PlanResource(1, "Pat", max_units=0.5, standard_rate_per_hour=Decimal("62.5"), calendar_key="12"),
        PlanResource(2, "Concrete", ResourceType.MATERIAL, standard_rate_per_hour=Decimal("120")),
        PlanResource(3, "Travel", ResourceType.COST),
    )
    assignments = (
        PlanAssignment(20, 1, units=0.5, work_minutes=720, cost=Decimal("750"), uid=5),
        PlanAssignment(22, 2, units=3.0, cost=Decimal("360.25"), uid=6),
        PlanAssignment(22, 3, cost=Decimal("99.99"), uid=7),
    )
    baselines = (
        *(
            PlanBaseline(2, number, datetime(2025, 3, 10, 8), datetime(2025, 3, 10, 10), 120, Decimal(number))
            for number in range(11)
        ),
        PlanBaseline(20, 0, start=datetime(2025, 3, 3, 8)),
    )
    return Plan(
        name="Rich",
        project_start=datetime(2025, 3, 10, 8),
        status_date=datetime(2025, 3, 12, 17),
        default_calendar_key="1",
        calendars=calendars,
        activities=tuple(activities),
        links=links,
        resources=resources,
        assignments=assignments,
        baselines=baselines,
        minutes_per_day=450,
        minutes_per_week=2250,
        days_per_month=21,
        currency_code="EUR",
        notes="Project notes",
    )


def assert_same_plan(first: Plan, second: Plan) -> None:
    """Part by part, so that a failure says which part changed; then the whole."""
    assert second.activities == first.activities
    assert second.links == first.links
    assert second.calendars == first.calendars
    assert second.resources == first.resources
    assert second.assignments == first.assignments
    assert second.baselines == first.baselines
    assert second == first


@pytest.mark.parametrize("name", SAMPLE_FILES)
def test_every_sample_file_survives_export_and_import(name):
    plan = read_plan_file(DATA / name)
    assert plan.activities, "a sample file with no activities would make this test vacuous"
    assert_same_plan(plan, read_mspdi(write_mspdi(plan)))


def test_a_plan_using_every_field_survives_export_and_import():
    plan = rich_plan()
    assert_same_plan(plan, read_mspdi(write_mspdi(plan)))


def test_writing_is_deterministic():
    plan = rich_plan()
    assert write_mspdi(plan) == write_mspdi(read_mspdi(write_mspdi(plan)))


def test_the_written_file_has_the_header_and_summary_task_ms_project_expects():
    root = SafeElementTree.fromstring(write_mspdi(rich_plan()))
    assert root.tag == f"{NAMESPACE}Project"
    assert root.findtext(f"{NAMESPACE}SaveVersion") == "14"
    assert root.findtext(f"{NAMESPACE}CalendarUID") == "1"
    assert root.findtext(f"{NAMESPACE}HonorConstraints") == "0"
    summary = root.find(f"{NAMESPACE}Tasks/{NAMESPACE}Task")
    assert [summary.findtext(f"{NAMESPACE}{name}") for name in ("UID", "OutlineLevel", "Summary", "Notes")] == [
        "0",
        "0",
        "1",
        "Project notes",
    ]
    ids = [task.findtext(f"{NAMESPACE}ID") for task in root.iter(f"{NAMESPACE}Task")]
    assert ids == [str(row) for row in range(len(ids))]


def _check_order(element: Element) -> None:
    name = element.tag.removeprefix(NAMESPACE)
    if name in SCHEMA_ORDER:
        order = SCHEMA_ORDER[name]
        children = [child.tag.removeprefix(NAMESPACE) for child in element]
        unknown = [child for child in children if child not in order]
        assert not unknown, f"<{name}> holds elements outside MS Project's schema: {unknown}"
        positions = [order.index(child) for child in children]
        assert positions == sorted(positions), f"<{name}> children out of schema order: {children}"
    for child in element:
        _check_order(child)


@pytest.mark.parametrize("source", ["rich", "projectlibre_New_Product.xml"])
def test_the_written_file_follows_the_schema_order(source):
    plan = rich_plan() if source == "rich" else read_plan_file(DATA / source)
    root = SafeElementTree.fromstring(write_mspdi(plan))
    _check_order(root)
    checked = {element.tag.removeprefix(NAMESPACE) for element in root.iter()} & set(SCHEMA_ORDER)
    expected = set(SCHEMA_ORDER) if source == "rich" else set(SCHEMA_ORDER) - {"WorkWeek", "Baseline", "Exception"}
    assert checked == expected  # every kind of element was there to be checked


def _essentials(plan: Plan) -> tuple:
    """What any MSPDI reader must read back: the WBS, durations, dates, constraints, progress, links,
    resources and assignments (MPXJ rounds rates, drops zero costs and unused calendars)."""
    activities = tuple(
        (
            activity.uid,
            activity.name,
            activity.wbs_code,
            activity.parent_uid,
            activity.duration_minutes,
            activity.duration_is_elapsed,
            activity.is_milestone,
            activity.is_manually_scheduled,
            activity.is_active,
            activity.constraint_type,
            activity.constraint_date,
            activity.deadline,
            activity.start,
            activity.finish,
            activity.actual_start,
            activity.actual_finish,
            activity.percent_complete,
        )
        for activity in plan.activities
    )
    resources = tuple((resource.uid, resource.name, resource.resource_type) for resource in plan.resources)
    assignments = tuple((a.activity_uid, a.resource_uid, a.units, a.work_minutes) for a in plan.assignments)
    return activities, plan.links, resources, assignments


@pytest.mark.parametrize("source", ["rich", "projectlibre_New_Product.xml", "mpsplib_16_mp_j30_a5_nr1.xml"])
def test_mpxj_reads_back_what_pmo_writes(source):
    plan = rich_plan() if source == "rich" else read_plan_file(DATA / source)
    through_mpxj = read_mspdi(convert_to_mspdi(write_mspdi(plan)))
    assert _essentials(through_mpxj) == _essentials(plan)
    assert through_mpxj.engine_calendars() == plan.engine_calendars()
    assert through_mpxj.schedule().activities == plan.schedule().activities
