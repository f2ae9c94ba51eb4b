"""Reading Microsoft Project XML (MSPDI) into a :class:`~pmo_engine.formats.plan.Plan`.

What is read, and how (MS Project's meaning, MPXJ's reading where MS Project leaves a choice):
- tasks in ID order; the WBS from ``OutlineLevel`` (or ``OutlineNumber``), a task being a summary
  when tasks follow it one level down; the project summary task (UID 0, level 0) and blank rows
  (``IsNull``) are not activities;
- durations are ISO 8601 (``PT8H0M0S``) in working time, elapsed when ``DurationFormat`` says so;
  fractions of a minute are rounded to the nearest minute;
- links (``PredecessorLink``): ``Type`` 0 FF, 1 FS, 2 SF, 3 SS; ``LinkLag`` in tenths of a
  minute, a percentage for percent ``LagFormat``;
- ``ConstraintType`` 0..7: ASAP, ALAP, MSO, MFO, SNET, SNLT, FNET, FNLT;
- ``LevelingDelay`` in tenths of a minute, elapsed or working as ``LevelingDelayFormat`` says
  (elapsed days, MS Project's default, when the format is missing);
- resources (UID 0, MS Project's hidden placeholder, is skipped), assignments (the placeholder
  assignments to resource -65535 of tasks without resources are skipped), task baselines 0-10.

Everything wrong raises :class:`~pmo_engine.formats.errors.FileFormatError` naming the element,
the task UID and the line; a task in another project file raises
:class:`~pmo_engine.formats.errors.UnsupportedFeatureError`.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from xml.etree.ElementTree import Element

from pmo_engine.errors import InvalidInput
from pmo_engine.formats.common import DurationUnit, ResourceType
from pmo_engine.formats.errors import FileFormatError, UnsupportedFeatureError
from pmo_engine.formats.mspdi.calendars import read_calendars
from pmo_engine.formats.mspdi.codes import (
    CONSTRAINT_TYPES,
    COST_RESOURCE,
    DURATION_FORMATS,
    LINK_TYPES,
    MATERIAL_RESOURCE,
    NO_CALENDAR,
    NO_RESOURCE,
    PERCENT_FORMATS,
    WORK_RESOURCE,
    parse_duration_minutes,
    parse_money,
)
from pmo_engine.formats.mspdi.document import Document, parse_document
from pmo_engine.formats.plan import (
    PROJECT_SUMMARY_UID,
    Plan,
    PlanActivity,
    PlanAssignment,
    PlanBaseline,
    PlanLink,
    PlanResource,
)
from pmo_engine.model import ConstraintType


def _minutes(text: str) -> int:
    return round(parse_duration_minutes(text))


@dataclass(frozen=True)
class _TaskRow:
    """A task element and where it sits in the WBS."""

    element: Element
    uid: int
    level: int
    parent_uid: int | None
    is_summary: bool


def _task_rows(document: Document) -> tuple[list[_TaskRow], Element | None]:
    """The activity rows in WBS order, and the project summary task if any."""
    candidates: list[tuple[int, int, Element, int, int]] = []
    summary = None
    seen: set[int] = set()
    elements = document.path(document.root, "Tasks", "Task")
    for order, element in enumerate(elements):
        uid = document.required_integer(element, "UID")
        if uid in seen:
            raise document.error(f"Two tasks have UID {uid}.", element, "UID", task_uid=uid)
        seen.add(uid)
        if document.boolean(element, "IsNull", default=False, task_uid=uid):
            continue
        level = document.integer(element, "OutlineLevel", task_uid=uid)
        if level is None:
            outline = document.text(element, "OutlineNumber")
            level = 0 if uid == PROJECT_SUMMARY_UID else (outline.count(".") + 1 if outline else 1)
        if level == 0:
            summary = element
            continue
        if uid < 0 or level < 0:
            raise document.error("UID and OutlineLevel must be 0 or more.", element, task_uid=uid)
        identifier = document.integer(element, "ID", task_uid=uid)
        candidates.append((identifier if identifier is not None else -1, order, element, uid, level))
    if all(candidate[0] >= 0 for candidate in candidates):
        candidates.sort(key=lambda candidate: (candidate[0], candidate[1]))  # MS Project's row order is the ID
    rows: list[_TaskRow] = []
    stack: list[int] = []  # UIDs of the open summaries, one per level
    for _, _, element, uid, level in candidates:
        if level > len(stack) + 1:
            raise document.error(
                f"OutlineLevel {level} follows a task at level {len(stack)}; a task can be at most one level "
                "below the task before it.",
                element,
                "OutlineLevel",
                task_uid=uid,
            )
        del stack[level - 1 :]
        rows.append(_TaskRow(element, uid, level, stack[-1] if stack else None, False))
        stack.append(uid)
    parents = {row.parent_uid for row in rows}
    return [_TaskRow(r.element, r.uid, r.level, r.parent_uid, r.uid in parents) for r in rows], summary


def _duration_format(document: Document, element: Element, name: str, uid: int) -> tuple[DurationUnit, bool]:
    code = document.integer(element, name, task_uid=uid)
    if code is None:
        return DurationUnit.DAYS, False
    if code not in DURATION_FORMATS:
        raise document.error(f"{code} is not a duration format MS Project uses.", element, name, task_uid=uid)
    return DURATION_FORMATS[code]


def _constraint(document: Document, element: Element, uid: int) -> tuple[ConstraintType, datetime | None]:
    code = document.integer(element, "ConstraintType", task_uid=uid)
    if code is None:
        return ConstraintType.AS_SOON_AS_POSSIBLE, None
    if code not in CONSTRAINT_TYPES:
        raise document.error(
            f"ConstraintType {code} is not one of 0 (ASAP) to 7 (FNLT).", element, "ConstraintType", task_uid=uid
        )
    constraint = CONSTRAINT_TYPES[code]
    if not constraint.is_dated:
        return constraint, None
    moment = document.moment(element, "ConstraintDate", task_uid=uid)
    if moment is None:
        raise document.error(
            f"ConstraintType {code} ({constraint}) needs a <ConstraintDate>.", element, "ConstraintType", task_uid=uid
        )
    return constraint, moment


def _levelling_delay(document: Document, element: Element, uid: int) -> tuple[int, bool]:
    """The task's leveling delay as (minutes, elapsed); (0, False) when it has none."""
    tenths = document.number(element, "LevelingDelay", task_uid=uid)
    minutes = round(tenths / 10) if tenths is not None else 0
    if minutes == 0:
        return 0, False
    code = document.integer(element, "LevelingDelayFormat", task_uid=uid)
    if code is None:
        return minutes, True
    if code not in DURATION_FORMATS:
        raise document.error(
            f"{code} is not a duration format MS Project uses.", element, "LevelingDelayFormat", task_uid=uid
        )
    return minutes, DURATION_FORMATS[code][1]


def _calendar_key(document: Document, element: Element, calendar_keys: set[str], uid: int | None) -> str | None:
    code = document.integer(element, "CalendarUID", task_uid=uid)
    if code is None or code == NO_CALENDAR:
        return None
    if str(code) not in calendar_keys:
        raise document.error(f"CalendarUID {code} names no calendar of the file.", element, "CalendarUID", task_uid=uid)
    return str(code)


def _read_activity(document: Document, row: _TaskRow, calendar_keys: set[str], outline_number: str) -> PlanActivity:
    element, uid = row.element, row.uid
    for flag, what in (("ExternalTask", "an external task"), ("IsSubproject", "an inserted subproject")):
        if document.boolean(element, flag, default=False, task_uid=uid):
            raise UnsupportedFeatureError(
                f"Task UID {uid} (line {document.line(element)}) is {what}, a link to another project file; pmo "
                "imports one project per file. Remove the cross-project link, or save the plan with its "
                "subprojects expanded."
            )
    is_milestone = document.boolean(element, "Milestone", default=False, task_uid=uid)
    duration = document.value(element, "Duration", _minutes, task_uid=uid)
    if duration is None:
        if not (is_milestone or row.is_summary):
            raise document.error("The task has no <Duration>.", element, task_uid=uid)
        duration = 0
    unit, elapsed = _duration_format(document, element, "DurationFormat", uid)
    constraint_type, constraint_date = _constraint(document, element, uid)
    percent = document.number(element, "PercentComplete", task_uid=uid)
    levelling_delay, levelling_delay_is_elapsed = _levelling_delay(document, element, uid)
    try:
        return PlanActivity(
            uid=uid,
            name=document.words(element, "Name"),
            wbs_code=document.words(element, "WBS") or outline_number,
            outline_level=row.level,
            parent_uid=row.parent_uid,
            duration_minutes=duration,
            duration_is_elapsed=elapsed,
            duration_unit=unit,
            is_milestone=is_milestone,
            is_summary=row.is_summary,
            is_manually_scheduled=document.boolean(element, "Manual", default=False, task_uid=uid),
            is_active=document.boolean(element, "Active", default=True, task_uid=uid),
            calendar_key=_calendar_key(document, element, calendar_keys, uid),
            constraint_type=constraint_type,
            constraint_date=constraint_date,
            deadline=document.moment(element, "Deadline", task_uid=uid),
            actual_start=document.moment(element, "ActualStart", task_uid=uid),
            actual_finish=document.moment(element, "ActualFinish", task_uid=uid),
            percent_complete=float(percent) if percent is not None else 0.0,
            remaining_duration_minutes=document.value(element, "RemainingDuration", _minutes, task_uid=uid),
            start=document.moment(element, "Start", task_uid=uid),
            finish=document.moment(element, "Finish", task_uid=uid),
            cost=document.value(element, "Cost", parse_money, task_uid=uid),
            notes=document.words(element, "Notes"),
            levelling_delay_minutes=levelling_delay,
            levelling_delay_is_elapsed=levelling_delay_is_elapsed,
        )
    except InvalidInput as error:
        raise FileFormatError(error.message, element=error.field, task_uid=uid, line=document.line(element)) from None


def _read_link(document: Document, link: Element, successor_uid: int, activity_uids: set[int]) -> PlanLink:
    uid = successor_uid
    predecessor = document.required_integer(link, "PredecessorUID", task_uid=uid)
    if document.boolean(link, "CrossProject", default=False, task_uid=uid):
        raise UnsupportedFeatureError(
            f"Task UID {uid} (line {document.line(link)}) has a predecessor in another project file; pmo imports one "
            "project per file. Remove the cross-project link."
        )
    if predecessor not in activity_uids:
        raise document.error(
            f"The predecessor UID {predecessor} is not a task of the file (or is the project summary task).",
            link,
            "PredecessorUID",
            task_uid=uid,
        )
    if predecessor == uid:
        raise document.error("A task cannot be its own predecessor.", link, "PredecessorUID", task_uid=uid)
    code = document.integer(link, "Type", task_uid=uid)
    if code is not None and code not in LINK_TYPES:
        raise document.error(
            f"Link type {code} is not one of 0 (FF), 1 (FS), 2 (SF), 3 (SS).", link, "Type", task_uid=uid
        )
    lag = document.integer(link, "LinkLag", task_uid=uid) or 0
    lag_format = document.integer(link, "LagFormat", task_uid=uid)
    link_type = LINK_TYPES[1 if code is None else code]
    if lag_format in PERCENT_FORMATS:
        return PlanLink(predecessor, uid, link_type, lag_percent=float(lag), lag_is_elapsed=PERCENT_FORMATS[lag_format])
    if lag_format is not None and lag_format not in DURATION_FORMATS:
        raise document.error(f"{lag_format} is not a lag format MS Project uses.", link, "LagFormat", task_uid=uid)
    unit, elapsed = DURATION_FORMATS[lag_format] if lag_format is not None else (DurationUnit.DAYS, False)
    return PlanLink(predecessor, uid, link_type, round(lag / 10), elapsed, None, unit)


def _read_baselines(document: Document, row: _TaskRow) -> list[PlanBaseline]:
    baselines = []
    for element in document.children(row.element, "Baseline"):
        number = document.required_integer(element, "Number", task_uid=row.uid)
        if not 0 <= number <= 10:
            raise document.error(f"Baseline number {number} is not 0 to 10.", element, "Number", task_uid=row.uid)
        baselines.append(
            PlanBaseline(
                activity_uid=row.uid,
                number=number,
                start=document.moment(element, "Start", task_uid=row.uid),
                finish=document.moment(element, "Finish", task_uid=row.uid),
                duration_minutes=document.value(element, "Duration", _minutes, task_uid=row.uid),
                cost=document.value(element, "Cost", parse_money, task_uid=row.uid),
            )
        )
    return baselines


def _read_resources(document: Document, calendar_keys: set[str]) -> tuple[PlanResource, ...]:
    resources = []
    seen: set[int] = set()
    for element in document.path(document.root, "Resources", "Resource"):
        uid = document.required_integer(element, "UID")
        if uid in seen:
            raise document.error(f"Two resources have UID {uid}.", element, "UID")
        seen.add(uid)
        if uid == 0 or document.boolean(element, "IsNull", default=False):
            continue  # MS Project's hidden placeholder resource, and blank rows
        code = document.integer(element, "Type")
        if document.boolean(element, "IsCostResource", default=False) or code == COST_RESOURCE:
            resource_type = ResourceType.COST
        elif code == MATERIAL_RESOURCE:
            resource_type = ResourceType.MATERIAL
        elif code in (None, WORK_RESOURCE):
            resource_type = ResourceType.WORK
        else:
            raise document.error(f"Resource type {code} is not 0 (material), 1 (work) or 2 (cost).", element, "Type")
        units = document.number(element, "MaxUnits")
        rate = document.number(element, "StandardRate")
        try:
            resources.append(
                PlanResource(
                    uid=uid,
                    name=document.words(element, "Name"),
                    resource_type=resource_type,
                    max_units=float(units) if units is not None else 1.0,
                    standard_rate_per_hour=rate if rate is not None else Decimal(0),
                    calendar_key=_calendar_key(document, element, calendar_keys, None),
                )
            )
        except InvalidInput as error:
            raise FileFormatError(
                f"Resource UID {uid}: {error.message}", element=error.field, line=document.line(element)
            ) from None
    return tuple(resources)


def _read_assignments(
    document: Document, activity_uids: set[int], resource_uids: set[int]
) -> tuple[PlanAssignment, ...]:
    assignments = []
    for element in document.path(document.root, "Assignments", "Assignment"):
        task_uid = document.required_integer(element, "TaskUID")
        resource_uid = document.required_integer(element, "ResourceUID")
        if resource_uid in (NO_RESOURCE, 0) or task_uid == PROJECT_SUMMARY_UID:
            continue  # MS Project's placeholders: a task without resources, the hidden resource
        if task_uid not in activity_uids:
            raise document.error(f"TaskUID {task_uid} is not a task of the file.", element, "TaskUID")
        if resource_uid not in resource_uids:
            raise document.error(f"ResourceUID {resource_uid} is not a resource of the file.", element, "ResourceUID")
        units = document.number(element, "Units")
        try:
            assignments.append(
                PlanAssignment(
                    activity_uid=task_uid,
                    resource_uid=resource_uid,
                    units=float(units) if units is not None else 1.0,
                    work_minutes=document.value(element, "Work", _minutes) or 0,
                    cost=document.value(element, "Cost", parse_money),
                    uid=document.integer(element, "UID"),
                )
            )
        except InvalidInput as error:
            raise FileFormatError(error.message, element="Assignment", line=document.line(element)) from None
    return tuple(assignments)


def _outline_numbers(rows: list[_TaskRow]) -> dict[int, str]:
    numbers: dict[int, str] = {}
    counts: dict[int | None, int] = {}
    for row in rows:
        counts[row.parent_uid] = counts.get(row.parent_uid, 0) + 1
        prefix = "" if row.parent_uid is None else numbers[row.parent_uid] + "."
        numbers[row.uid] = f"{prefix}{counts[row.parent_uid]}"
    return numbers


def read_mspdi(data: bytes) -> Plan:
    """The plan in an MSPDI file's bytes (see the module docstring).

    Raises :class:`~pmo_engine.formats.errors.FileFormatError` (not XML, an XML bomb or external
    entity, not MSPDI, a missing or bad value, a link to a missing task, a negative duration) and
    :class:`~pmo_engine.formats.errors.UnsupportedFeatureError`. O(size of the file).
    """
    document = parse_document(data)
    root = document.root
    calendars = read_calendars(document)
    calendar_keys = {calendar.key for calendar in calendars}
    rows, summary = _task_rows(document)
    outline_numbers = _outline_numbers(rows)
    activities = tuple(_read_activity(document, row, calendar_keys, outline_numbers[row.uid]) for row in rows)
    activity_uids = {activity.uid for activity in activities}
    links = tuple(
        _read_link(document, link, row.uid, activity_uids)
        for row in rows
        for link in document.children(row.element, "PredecessorLink")
    )
    baselines = tuple(baseline for row in rows for baseline in _read_baselines(document, row))
    resources = _read_resources(document, calendar_keys)
    assignments = _read_assignments(document, activity_uids, {resource.uid for resource in resources})
    project_start = document.moment(root, "StartDate")
    if project_start is None:
        starts = [activity.start for activity in activities if activity.start is not None]
        if not starts:
            raise document.error("The project has no <StartDate> and no task has a <Start>.", root)
        project_start = min(starts)
    default_key = _calendar_key(document, root, calendar_keys, None)
    if default_key is None and calendars:
        default_key = next((c.key for c in calendars if c.base_calendar_key is None), calendars[0].key)
    try:
        return Plan(
            name=document.words(root, "Title") or document.words(summary, "Name") or document.words(root, "Name"),
            project_start=project_start,
            status_date=document.moment(root, "StatusDate"),
            default_calendar_key=default_key,
            calendars=calendars,
            activities=activities,
            links=links,
            resources=resources,
            assignments=assignments,
            baselines=baselines,
            minutes_per_day=document.integer(root, "MinutesPerDay") or 480,
            minutes_per_week=document.integer(root, "MinutesPerWeek") or 2400,
            days_per_month=document.integer(root, "DaysPerMonth") or 20,
            currency_code=document.text(root, "CurrencyCode") or "",
            notes=document.words(summary, "Notes"),
        )
    except InvalidInput as error:
        raise FileFormatError(f"The plan is not consistent: {error.message}", element="Project") from None
