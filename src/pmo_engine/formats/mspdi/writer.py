"""Writing a :class:`~pmo_engine.formats.plan.Plan` as Microsoft Project XML (MSPDI).

The file holds what MS Project and ProjectLibre need to open the plan and what pmo reads back
(see :mod:`pmo_engine.formats.mspdi.reader`): the project header, calendars, tasks (UIDs, IDs in
WBS order, outline numbers and levels, dates, durations, constraints, deadlines, levelling delays,
progress, costs, notes, predecessor links, baselines), resources and assignments, each element in
the order of MS Project's schema. Choices made for MS Project:
- a project summary task (UID 0, holding the plan's notes) is written unless an activity already
  uses UID 0;
- tasks are fixed-duration and not effort-driven, so that opening the file keeps the durations;
- ``HonorConstraints`` is 0: links take precedence over constraint dates, as in pmo's scheduler;
- percent lags are written as whole percentages;
- a levelling delay is written only when there is one, in tenths of a minute with a
  ``LevelingDelayFormat`` of days (working, or elapsed for an elapsed delay).
"""

from datetime import datetime
from xml.etree.ElementTree import Element, indent, tostring

from pmo_engine.formats.common import DurationUnit, ResourceType
from pmo_engine.formats.mspdi.calendars import write_calendars
from pmo_engine.formats.mspdi.codes import (
    CONSTRAINT_TYPE_CODES,
    DURATION_FORMAT_CODES,
    LINK_TYPE_CODES,
    MATERIAL_RESOURCE,
    NAMESPACE,
    NO_CALENDAR,
    PERCENT_FORMAT_CODES,
    WORK_RESOURCE,
    add_element,
    format_datetime,
    format_decimal,
    format_duration,
    format_money,
    format_time,
)
from pmo_engine.formats.plan import PROJECT_SUMMARY_UID, Plan, PlanActivity, PlanBaseline, PlanLink

_SAVE_VERSION = "14"  # MS Project 2010 and later
_FIXED_DURATION = "1"
_HOURS_RATE_FORMAT = "2"
_RESOURCE_TYPE_CODES = {
    ResourceType.WORK: WORK_RESOURCE,
    ResourceType.MATERIAL: MATERIAL_RESOURCE,
    ResourceType.COST: MATERIAL_RESOURCE,  # MS Project writes cost resources as material with IsCostResource
}


def _calendar_uids(plan: Plan) -> dict[str, int]:
    """MSPDI needs integer calendar UIDs: keys that are positive integers keep their value, the
    others are numbered after the largest."""
    uids: dict[str, int] = {}
    for calendar in plan.calendars:
        if calendar.key.isdigit() and int(calendar.key) > 0:
            uids[calendar.key] = int(calendar.key)
    following = max(uids.values(), default=0) + 1
    for calendar in plan.calendars:
        if calendar.key not in uids:
            uids[calendar.key] = following
            following += 1
    return uids


def _wbs_order(plan: Plan) -> list[PlanActivity]:
    """The activities depth first, each parent followed by its subtree, siblings in plan order."""
    children: dict[int | None, list[PlanActivity]] = {}
    for activity in plan.activities:
        children.setdefault(activity.parent_uid, []).append(activity)
    ordered: list[PlanActivity] = []
    stack = list(reversed(children.get(None, [])))
    while stack:
        activity = stack.pop()
        ordered.append(activity)
        stack.extend(reversed(children.get(activity.uid, [])))
    return ordered


def _outline_numbers(ordered: list[PlanActivity]) -> dict[int, str]:
    numbers: dict[int, str] = {}
    counts: dict[int | None, int] = {}
    for activity in ordered:
        counts[activity.parent_uid] = counts.get(activity.parent_uid, 0) + 1
        prefix = "" if activity.parent_uid is None else numbers[activity.parent_uid] + "."
        numbers[activity.uid] = f"{prefix}{counts[activity.parent_uid]}"
    return numbers


def _add_moment(parent: Element, name: str, moment: datetime | None) -> None:
    if moment is not None:
        add_element(parent, name, format_datetime(moment))


def _write_header(project: Element, plan: Plan, calendar_uids: dict[str, int], finish: datetime | None) -> None:
    add_element(project, "SaveVersion", _SAVE_VERSION)
    if plan.name:
        add_element(project, "Name", plan.name)
        add_element(project, "Title", plan.name)
    add_element(project, "ScheduleFromStart", "1")
    _add_moment(project, "StartDate", plan.project_start)
    _add_moment(project, "FinishDate", finish)
    if plan.currency_code:
        add_element(project, "CurrencyCode", plan.currency_code)
    default = next((c for c in plan.calendars if c.key == plan.default_calendar_key), None)
    if default is not None:
        add_element(project, "CalendarUID", str(calendar_uids[default.key]))
        worked = [periods for periods in default.weekdays if periods]
        if worked:
            add_element(project, "DefaultStartTime", format_time(worked[0][0][0]))
            add_element(project, "DefaultFinishTime", format_time(worked[0][-1][1]))
    add_element(project, "MinutesPerDay", str(plan.minutes_per_day))
    add_element(project, "MinutesPerWeek", str(plan.minutes_per_week))
    add_element(project, "DaysPerMonth", str(plan.days_per_month))
    add_element(project, "DurationFormat", str(DURATION_FORMAT_CODES[(DurationUnit.DAYS, False)]))
    add_element(project, "WorkFormat", "2")
    add_element(project, "HonorConstraints", "0")
    _add_moment(project, "StatusDate", plan.status_date)
    add_element(project, "NewTasksAreManual", "0")


def _write_link(task: Element, link: PlanLink) -> None:
    element = add_element(task, "PredecessorLink")
    add_element(element, "PredecessorUID", str(link.predecessor_uid))
    add_element(element, "Type", str(LINK_TYPE_CODES[link.link_type]))
    add_element(element, "CrossProject", "0")
    if link.lag_percent is not None:
        add_element(element, "LinkLag", str(round(link.lag_percent)))
        add_element(element, "LagFormat", str(PERCENT_FORMAT_CODES[link.lag_is_elapsed]))
    else:
        add_element(element, "LinkLag", str(link.lag_minutes * 10))
        add_element(element, "LagFormat", str(DURATION_FORMAT_CODES[(link.lag_unit, link.lag_is_elapsed)]))


def _write_baseline(task: Element, baseline: PlanBaseline) -> None:
    element = add_element(task, "Baseline")
    add_element(element, "Number", str(baseline.number))
    _add_moment(element, "Start", baseline.start)
    _add_moment(element, "Finish", baseline.finish)
    if baseline.duration_minutes is not None:
        add_element(element, "Duration", format_duration(baseline.duration_minutes))
    if baseline.cost is not None:
        add_element(element, "Cost", format_money(baseline.cost))


def _write_task(
    parent: Element,
    activity: PlanActivity,
    *,
    row: int,
    outline_number: str,
    calendar_uids: dict[str, int],
    links: list[PlanLink],
    baselines: list[PlanBaseline],
) -> None:
    task = add_element(parent, "Task")
    add_element(task, "UID", str(activity.uid))
    add_element(task, "ID", str(row))
    add_element(task, "Name", activity.name)
    add_element(task, "Active", "1" if activity.is_active else "0")
    add_element(task, "Manual", "1" if activity.is_manually_scheduled else "0")
    add_element(task, "Type", _FIXED_DURATION)
    add_element(task, "IsNull", "0")
    add_element(task, "WBS", activity.wbs_code or outline_number)
    add_element(task, "OutlineNumber", outline_number)
    add_element(task, "OutlineLevel", str(activity.outline_level))
    _add_moment(task, "Start", activity.start)
    _add_moment(task, "Finish", activity.finish)
    add_element(task, "Duration", format_duration(activity.duration_minutes))
    add_element(
        task, "DurationFormat", str(DURATION_FORMAT_CODES[(activity.duration_unit, activity.duration_is_elapsed)])
    )
    add_element(task, "EffortDriven", "0")
    add_element(task, "Milestone", "1" if activity.is_milestone else "0")
    add_element(task, "Summary", "1" if activity.is_summary else "0")
    add_element(task, "PercentComplete", str(round(activity.percent_complete)))
    if activity.cost is not None:
        add_element(task, "Cost", format_money(activity.cost))
    _add_moment(task, "ActualStart", activity.actual_start)
    _add_moment(task, "ActualFinish", activity.actual_finish)
    if activity.remaining_duration_minutes is not None:
        add_element(task, "RemainingDuration", format_duration(activity.remaining_duration_minutes))
    add_element(task, "ConstraintType", str(CONSTRAINT_TYPE_CODES[activity.constraint_type]))
    calendar = calendar_uids[activity.calendar_key] if activity.calendar_key is not None else NO_CALENDAR
    add_element(task, "CalendarUID", str(calendar))
    _add_moment(task, "ConstraintDate", activity.constraint_date)
    _add_moment(task, "Deadline", activity.deadline)
    if activity.levelling_delay_minutes:
        add_element(task, "LevelingDelay", str(activity.levelling_delay_minutes * 10))
        delay_format = DURATION_FORMAT_CODES[(DurationUnit.DAYS, activity.levelling_delay_is_elapsed)]
        add_element(task, "LevelingDelayFormat", str(delay_format))
    if activity.notes:
        add_element(task, "Notes", activity.notes)
    for link in links:
        _write_link(task, link)
    for baseline in baselines:
        _write_baseline(task, baseline)


def _write_summary_task(parent: Element, plan: Plan, finish: datetime | None) -> None:
    task = add_element(parent, "Task")
    for name, text in (("UID", "0"), ("ID", "0"), ("Name", plan.name), ("Active", "1"), ("Manual", "0")):
        add_element(task, name, text)
    for name, text in (("Type", _FIXED_DURATION), ("IsNull", "0"), ("WBS", "0"), ("OutlineNumber", "0")):
        add_element(task, name, text)
    add_element(task, "OutlineLevel", "0")
    _add_moment(task, "Start", plan.project_start)
    _add_moment(task, "Finish", finish)
    add_element(task, "Summary", "1")
    if plan.notes:
        add_element(task, "Notes", plan.notes)


def _write_tasks(project: Element, plan: Plan, calendar_uids: dict[str, int], finish: datetime | None) -> None:
    tasks = add_element(project, "Tasks")
    if all(activity.uid != PROJECT_SUMMARY_UID for activity in plan.activities):
        _write_summary_task(tasks, plan, finish)
    links: dict[int, list[PlanLink]] = {}
    for link in plan.links:
        links.setdefault(link.successor_uid, []).append(link)
    baselines: dict[int, list[PlanBaseline]] = {}
    for baseline in plan.baselines:
        baselines.setdefault(baseline.activity_uid, []).append(baseline)
    ordered = _wbs_order(plan)
    numbers = _outline_numbers(ordered)
    for row, activity in enumerate(ordered, start=1):
        _write_task(
            tasks,
            activity,
            row=row,
            outline_number=numbers[activity.uid],
            calendar_uids=calendar_uids,
            links=links.get(activity.uid, []),
            baselines=sorted(baselines.get(activity.uid, []), key=lambda baseline: baseline.number),
        )


def _write_resources(project: Element, plan: Plan, calendar_uids: dict[str, int]) -> None:
    if not plan.resources:
        return
    resources = add_element(project, "Resources")
    for row, resource in enumerate(plan.resources, start=1):
        element = add_element(resources, "Resource")
        add_element(element, "UID", str(resource.uid))
        add_element(element, "ID", str(row))
        add_element(element, "Name", resource.name)
        add_element(element, "Type", str(_RESOURCE_TYPE_CODES[resource.resource_type]))
        add_element(element, "IsNull", "0")
        add_element(element, "MaxUnits", format_decimal(resource.max_units))
        add_element(element, "StandardRate", format_decimal(resource.standard_rate_per_hour))
        add_element(element, "StandardRateFormat", _HOURS_RATE_FORMAT)
        if resource.calendar_key is not None:
            add_element(element, "CalendarUID", str(calendar_uids[resource.calendar_key]))
        add_element(element, "IsCostResource", "1" if resource.resource_type is ResourceType.COST else "0")


def _write_assignments(project: Element, plan: Plan) -> None:
    if not plan.assignments:
        return
    assignments = add_element(project, "Assignments")
    following = max((a.uid for a in plan.assignments if a.uid is not None), default=0) + 1
    for assignment in plan.assignments:
        uid = assignment.uid
        if uid is None:
            uid, following = following, following + 1
        element = add_element(assignments, "Assignment")
        add_element(element, "UID", str(uid))
        add_element(element, "TaskUID", str(assignment.activity_uid))
        add_element(element, "ResourceUID", str(assignment.resource_uid))
        if assignment.cost is not None:
            add_element(element, "Cost", format_money(assignment.cost))
        add_element(element, "Units", format_decimal(assignment.units))
        add_element(element, "Work", format_duration(assignment.work_minutes))


def write_mspdi(plan: Plan) -> bytes:
    """The plan as an MSPDI file (UTF-8 bytes) that MS Project and ProjectLibre open and
    :func:`~pmo_engine.formats.mspdi.read_mspdi` reads back to an equal plan. O(size of the plan)."""
    calendar_uids = _calendar_uids(plan)
    finishes = [activity.finish for activity in plan.activities if activity.finish is not None]
    finish = max(finishes, default=None)
    project = Element(f"{{{NAMESPACE}}}Project")
    _write_header(project, plan, calendar_uids, finish)
    write_calendars(project, plan.calendars, calendar_uids)
    _write_tasks(project, plan, calendar_uids, finish)
    _write_resources(project, plan, calendar_uids)
    _write_assignments(project, plan)
    indent(project)
    return tostring(project, encoding="utf-8", xml_declaration=True, default_namespace=NAMESPACE)
