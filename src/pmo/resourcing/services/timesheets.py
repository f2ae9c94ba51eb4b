"""Timesheets: a person's week of hours, its submission, the approvers' decisions, and the actual
hours and cost that approved weeks give assignments.

A week is filled by its owner (the person the resource is) or, on their behalf, by a role with
change across the organisation. Submitting asks every project the week books time to (or, when it
books none, the PMO) to approve its part; nobody decides on their own week. When every part is
approved the week is locked, its project lines are costed at the rate in force on each day, and
the actual hours and cost of the assignments it books are recomputed. A rejected part sends the
week back to its owner to correct; resubmitting asks every approver again. A role with change
across the organisation can reopen an approved week for a correction.

Actuals are written here only: ``Assignment.actual_hours``/``actual_cost`` are the sums over
approved weeks' lines of that resource on that activity, with one audit event per assignment
whose figures change.
"""

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import models, transaction
from django.db.models import Sum
from django.utils import timezone

from pmo.core.audit import record_event, snapshot
from pmo.core.choices import Action
from pmo.core.errors import DomainError, InvalidData, NotFound, PermissionRefused
from pmo.core.permissions import grants_for
from pmo.core.services import create_audited, require_global
from pmo.planning.models import Activity
from pmo.portfolio.models import Project
from pmo.resourcing.choices import ApprovalStatus, NonProjectCategory, TimesheetStatus
from pmo.resourcing.models import (
    DAYS_IN_WEEK,
    ZERO,
    Allocation,
    Assignment,
    Resource,
    ResourceRate,
    Timesheet,
    TimesheetApproval,
    TimesheetLine,
    rate_in_force,
    week_of,
)

DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
HOURS_IN_DAY = Decimal("24")
NOTE_LENGTH = 200
CENT = Decimal("0.01")
# Hours as typed: 7.5, 7,5, .5 or 7:30 (hours and minutes).
DECIMAL_TEXT = re.compile(r"^-?(\d+([.,]\d*)?|[.,]\d+)$")
CLOCK_TEXT = re.compile(r"^(\d{1,2}):([0-5]\d)$")


# --- problems, reported by line and day ------------------------------------------------------


@dataclass(frozen=True)
class LineProblem:
    """One thing wrong with the lines: ``line`` is 1-based as the lines were given (None for a
    problem of a whole day), ``day`` 0 for Monday (None for a problem of a whole line)."""

    line: int | None
    day: int | None
    message: str


class InvalidLines(InvalidData):
    """The lines of a week break the rules; ``problems`` says where, for a grid to mark the cells."""

    def __init__(self, problems: Sequence[LineProblem]):
        self.problems = list(problems)
        super().__init__({"lines": [problem.message for problem in self.problems]})


def parse_hours(value) -> Decimal:
    """A number of hours from a number or from text typed as 7.5, 7,5 or 7:30; empty is 0.

    Raises ``ValueError`` when the value is no number of hours. Minutes are rounded to the cent
    of an hour (7:20 is 7.33). Range and precision are checked by the caller, which knows the line
    and the day to name.
    """
    if value is None:
        return ZERO
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int | Decimal):
        if isinstance(value, Decimal) and not value.is_finite():
            raise ValueError(value)
        return Decimal(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(value)
        return Decimal(str(value))
    text = str(value).strip()
    if not text:
        return ZERO
    clock = CLOCK_TEXT.match(text)
    if clock:
        hours, minutes = int(clock.group(1)), int(clock.group(2))
        return (Decimal(hours) + Decimal(minutes) / 60).quantize(CENT, rounding=ROUND_HALF_UP)
    if not DECIMAL_TEXT.match(text):
        raise ValueError(text)
    try:
        return Decimal(text.replace(",", "."))
    except InvalidOperation:
        raise ValueError(text) from None


def hours_text(hours: Decimal) -> str:
    """Hours as a person writes them: 7.5, 8, 0.25."""
    text = f"{Decimal(hours):.2f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def money(value: Decimal) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


# --- who may do what -------------------------------------------------------------------------


def _is_owner(actor, resource: Resource) -> bool:
    person = resource.person
    return person is not None and person.user_id is not None and person.user_id == getattr(actor, "pk", None)


def _resource_for_entry(actor, resource: Resource) -> Resource:
    """The resource, locked, if ``actor`` may enter its hours: its own person, or a role with
    change across the organisation."""
    resource = Resource.objects.select_for_update(of=("self",)).select_related("person").get(pk=resource.pk)
    if _is_owner(actor, resource) or grants_for(actor).allows_everywhere(Action.CHANGE):
        return resource
    if Resource.objects.visible_to(actor, Action.VIEW).filter(pk=resource.pk).exists():
        raise PermissionRefused(
            f"You may fill in only your own timesheet; entering hours for {resource} needs a role with change "
            "across the organisation."
        )
    raise NotFound(f"No resource with id {resource.pk} is visible to you.")


def _locked_timesheet(actor, timesheet: Timesheet) -> Timesheet:
    """The week, locked, if ``actor`` may change it (its owner, or a role across the organisation)."""
    found = (
        Timesheet.objects.select_for_update(of=("self",))
        .visible_to(actor, Action.CHANGE)
        .select_related("resource__person")
        .filter(pk=timesheet.pk)
        .first()
    )
    if found is not None:
        return found
    if Timesheet.objects.visible_to(actor, Action.VIEW).filter(pk=timesheet.pk).exists():
        raise PermissionRefused(f"Only its owner, or a role across the organisation, may change {timesheet}.")
    raise NotFound(f"No timesheet with id {timesheet.pk} is visible to you.")


def _locked_approval(actor, approval: TimesheetApproval) -> tuple[TimesheetApproval, Timesheet]:
    """The part and its week, both locked, if ``actor`` may decide the part. The week is locked
    first, in the order that ``submit`` locks them, so that the two never wait on each other."""
    found = TimesheetApproval.objects.visible_to(actor, Action.CHANGE).filter(pk=approval.pk).first()
    if found is not None:
        timesheet = (
            Timesheet.objects.select_for_update(of=("self",))
            .select_related("resource__person")
            .get(pk=found.timesheet_id)
        )
        return TimesheetApproval.objects.select_for_update().get(pk=found.pk), timesheet
    visible = TimesheetApproval.objects.visible_to(actor, Action.VIEW).filter(pk=approval.pk).first()
    if visible is None:
        raise NotFound(f"No timesheet approval with id {approval.pk} is visible to you.")
    if visible.project_id is None:
        raise PermissionRefused("Non-project time is approved by a role with change across the organisation.")
    raise PermissionRefused(f"Deciding on hours booked to {visible.project} needs the right to change that project.")


def _editable_or_refuse(timesheet: Timesheet) -> None:
    if timesheet.status == TimesheetStatus.SUBMITTED:
        raise DomainError(
            f"The week of {timesheet.week_start.isoformat()} is submitted and waiting for approval; "
            "it cannot be changed unless an approver rejects it."
        )
    if timesheet.status == TimesheetStatus.APPROVED:
        raise DomainError(
            f"The week of {timesheet.week_start.isoformat()} is approved and locked; "
            "ask the PMO to reopen it for a correction."
        )


# --- validating a week's lines ---------------------------------------------------------------


def _pk(value) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, bool):
        raise TypeError(value)
    return int(value)


@dataclass
class _Line:
    number: int
    project_id: int | None
    activity_id: int | None
    category: str
    is_billable: bool | None
    hours: list[Decimal]
    note: str
    label: str = ""
    activity: Activity | None = None
    project: Project | None = None

    @property
    def target(self) -> tuple:
        return (self.project_id, self.activity_id, self.category)

    @property
    def total(self) -> Decimal:
        return sum(self.hours, ZERO)


def _line_label(project: Project | None, activity: Activity | None, category: str) -> str:
    if activity is not None:
        return f"{activity.project.code} · {activity}"
    if project is not None:
        return f"{project.code} · {project.name}"
    return NonProjectCategory(category).label if category in NonProjectCategory.values else category


def _parse_line_hours(where: str, number: int, raw, problems: list[LineProblem]) -> list[Decimal] | None:
    """The seven hours of line ``number``, or None after adding the problems found."""
    if isinstance(raw, str | bytes) or not isinstance(raw, Sequence) or len(raw) != DAYS_IN_WEEK:
        problems.append(LineProblem(number, None, f"{where}: give seven days of hours, Monday first."))
        return None
    hours, is_valid = [], True
    for day, value in enumerate(raw):
        cell = f"{where}, {DAY_NAMES[day]}"
        try:
            amount = parse_hours(value)
        except ValueError:
            problems.append(
                LineProblem(number, day, f"{cell}: '{value}' is not a number of hours (type 7.5, 7,5 or 7:30).")
            )
            is_valid = False
            continue
        if amount < 0:
            problems.append(
                LineProblem(number, day, f"{cell}: {hours_text(amount)} is negative; hours go from 0 to 24.")
            )
            is_valid = False
        elif amount > HOURS_IN_DAY:
            problems.append(LineProblem(number, day, f"{cell}: {hours_text(amount)} is more than 24 hours."))
            is_valid = False
        elif amount != amount.quantize(CENT):
            problems.append(LineProblem(number, day, f"{cell}: {amount} has more than two decimals."))
            is_valid = False
        hours.append(amount)
    return hours if is_valid else None


def _read_lines(lines: list[Mapping], problems: list[LineProblem]) -> list[_Line]:
    """The lines as given, named, with their hours parsed; lines whose hours are all zero are
    dropped (a line with wrong hours is kept, so that every problem is reported at once)."""
    read = []
    for number, given in enumerate(lines, start=1):
        try:
            project_id, activity_id = _pk(given.get("project")), _pk(given.get("activity"))
        except (TypeError, ValueError):
            problems.append(LineProblem(number, None, f"Line {number}: the project or activity is not an id."))
            continue
        read.append(
            _Line(
                number=number,
                project_id=project_id,
                activity_id=activity_id,
                category=str(given.get("category") or "").strip(),
                is_billable=given.get("is_billable"),
                hours=given.get("hours"),
                note=str(given.get("note") or "").strip(),
            )
        )
    activities = Activity.objects.select_related("project").in_bulk(
        {line.activity_id for line in read if line.activity_id}
    )
    projects = Project.objects.in_bulk({line.project_id for line in read if line.project_id})
    kept = []
    for line in read:
        activity, project = activities.get(line.activity_id), projects.get(line.project_id)
        if activity is not None or project is not None or line.category in NonProjectCategory.values:
            line.label = _line_label(project, activity, line.category)
        where = f"Line {line.number} ({line.label})" if line.label else f"Line {line.number}"
        hours = _parse_line_hours(where, line.number, line.hours, problems)
        if hours is not None and not any(hours):
            continue
        line.hours = hours or [ZERO] * DAYS_IN_WEEK
        line.activity, line.project = activity, project
        kept.append(line)
    return kept


def _allocated_project_ids(resource: Resource, week_start: date) -> set[int]:
    """The projects the resource is allocated to in a week or month that overlaps the week."""
    sunday = week_start + timedelta(days=DAYS_IN_WEEK - 1)
    allocations = Allocation.objects.filter(
        resource=resource, period_start__lte=sunday, period_start__gte=week_start - timedelta(days=31)
    )
    return {allocation.project_id for allocation in allocations if allocation.period_end >= week_start}


def _check_targets(resource: Resource, week_start: date, lines: list[_Line], problems: list[LineProblem]) -> None:
    """What each line books to exists, takes hours, and is the resource's work."""
    assigned = {
        activity_id: (project_id, is_billable)
        for project_id, activity_id, is_billable in Assignment.objects.filter(resource=resource).values_list(
            "project_id", "activity_id", "is_billable"
        )
    }
    assigned_projects = {project_id for project_id, _ in assigned.values()}
    assigned_activities = set(assigned)
    allocated_projects = _allocated_project_ids(resource, week_start)
    first_line_of: dict[tuple, int] = {}
    for line in lines:
        number, activity, project = line.number, line.activity, line.project
        if line.activity_id and activity is None:
            problems.append(LineProblem(number, None, f"Line {number}: no activity with id {line.activity_id}."))
            continue
        if line.project_id and project is None:
            problems.append(LineProblem(number, None, f"Line {number}: no project with id {line.project_id}."))
            continue
        if activity is not None and project is None:
            project, line.project_id = activity.project, activity.project_id
        if line.category and project is not None:
            problems.append(
                LineProblem(
                    number,
                    None,
                    f"Line {number}: choose either project work or a kind of non-project time, not both.",
                )
            )
            continue
        if not line.category and project is None:
            problems.append(
                LineProblem(
                    number,
                    None,
                    f"Line {number}: choose what the hours are for: an activity, a project or non-project time.",
                )
            )
            continue
        if line.category and line.category not in NonProjectCategory.values:
            kinds = ", ".join(label.lower() for label in NonProjectCategory.labels)
            problems.append(
                LineProblem(
                    number, None, f"Line {number}: '{line.category}' is not a kind of non-project time ({kinds})."
                )
            )
            continue
        where = f"Line {number} ({line.label})"
        if activity is not None and activity.project_id != project.pk:
            problems.append(
                LineProblem(
                    number, None, f"{where}: the activity belongs to {activity.project.code}, not {project.code}."
                )
            )
            continue
        if project is not None and project.is_archived:
            problems.append(LineProblem(number, None, f"{where}: {project.code} is archived and takes no more hours."))
            continue
        if activity is not None and activity.is_summary:
            problems.append(
                LineProblem(
                    number, None, f"{where}: {activity.name} is a summary activity; book the hours to one of its tasks."
                )
            )
            continue
        if activity is not None and activity.pk not in assigned_activities:
            problems.append(LineProblem(number, None, f"{where}: {resource} is not assigned to {activity.name}."))
            continue
        if activity is None and project is not None and project.pk not in assigned_projects | allocated_projects:
            problems.append(
                LineProblem(
                    number,
                    None,
                    f"{where}: {resource} is neither assigned to {project.code} nor allocated to it in the week of "
                    f"{week_start.isoformat()}.",
                )
            )
            continue
        if len(line.note) > NOTE_LENGTH:
            problems.append(
                LineProblem(
                    number, None, f"{where}: the note has {len(line.note)} characters; keep it to {NOTE_LENGTH}."
                )
            )
        if line.is_billable is None:
            # Not said: as planned for an assignment, else not billable.
            line.is_billable = bool(activity is not None and assigned[activity.pk][1])
        line.is_billable = bool(line.is_billable)
        earlier = first_line_of.setdefault(line.target, number)
        if earlier != number:
            problems.append(
                LineProblem(number, None, f"{where} repeats line {earlier}; put all the hours for it on one line.")
            )


def _check_days(week_start: date, lines: list[_Line], problems: list[LineProblem]) -> None:
    for day in range(DAYS_IN_WEEK):
        total = sum((line.hours[day] for line in lines), ZERO)
        if total > HOURS_IN_DAY:
            when = (week_start + timedelta(days=day)).isoformat()
            problems.append(
                LineProblem(
                    None,
                    day,
                    f"{DAY_NAMES[day]} {when}: {hours_text(total)} hours in all is more than the 24 hours of a day.",
                )
            )


def _validated_lines(timesheet: Timesheet, lines: list[Mapping]) -> list[_Line]:
    problems: list[LineProblem] = []
    read = _read_lines(lines, problems)
    _check_targets(timesheet.resource, timesheet.week_start, read, problems)
    _check_days(timesheet.week_start, read, problems)
    if problems:
        raise InvalidLines(sorted(problems, key=lambda p: (p.line is None, p.line or 0, p.day or 0)))
    return read


def _lines_record(lines: Iterable) -> list[dict]:
    """Stored or validated lines as plain data for the audit trail."""
    return [
        {
            "project": line.project_id,
            "activity": line.activity_id,
            "category": line.category,
            "is_billable": line.is_billable,
            "hours": [float(hours) for hours in line.hours],
            "note": line.note,
        }
        for line in lines
    ]


def _stored_as_input(timesheet: Timesheet) -> list[dict]:
    return [
        {
            "project": line.project_id,
            "activity": line.activity_id,
            "category": line.category,
            "is_billable": line.is_billable,
            "hours": line.hours,
            "note": line.note,
        }
        for line in timesheet.lines.all()
    ]


# --- the week --------------------------------------------------------------------------------


@transaction.atomic
def week_for(*, actor, resource: Resource, week_start: date, reason: str = "") -> Timesheet:
    """The timesheet of ``resource`` for the week holding ``week_start`` (any day of it), made as
    a draft on first use. Its owner, or a role with change across the organisation, may ask."""
    resource = _resource_for_entry(actor, resource)
    monday = week_of(week_start)
    existing = Timesheet.objects.filter(resource=resource, week_start=monday).first()
    if existing is not None:
        return existing
    if resource.is_role:
        raise InvalidData({"resource": [f"{resource} is a generic role; only named people keep timesheets."]})
    if resource.is_archived:
        raise InvalidData({"resource": [f"{resource} is archived; no new weeks can be started."]})
    return create_audited(Timesheet(resource=resource, week_start=monday), actor=actor, reason=reason)


@transaction.atomic
def save_lines(*, actor, timesheet: Timesheet, lines: Iterable[Mapping], reason: str = "") -> Timesheet:
    """Replace the lines of a draft or rejected week in one go.

    Each line is a mapping: ``project`` and optionally ``activity`` (objects or ids; the
    activity's project is taken when only the activity is given), or ``category`` (a
    ``NonProjectCategory``); ``is_billable`` (when left out, as the assignment says); ``hours``,
    seven values Monday first, each from 0 to 24 with at most two decimals (numbers, or text such
    as "7,5" or "7:30"); ``note``. Lines whose hours are all zero are dropped. Everything is
    checked before anything is written; ``InvalidLines`` names each problem's line and day.
    """
    timesheet = _locked_timesheet(actor, timesheet)
    _editable_or_refuse(timesheet)
    validated = _validated_lines(timesheet, list(lines))
    before = {"lines": _lines_record(timesheet.lines.all()), "total_hours": str(timesheet.total_hours)}
    new_lines = [
        TimesheetLine(
            timesheet=timesheet,
            project_id=line.project_id,
            activity_id=line.activity_id,
            category=line.category,
            is_billable=line.is_billable,
            hours=[float(hours) for hours in line.hours],
            total_hours=line.total,
            note=line.note,
        )
        for line in validated
    ]
    total = sum((line.total for line in validated), ZERO)
    after = {"lines": _lines_record(validated), "total_hours": str(money(total))}
    if after == before:
        return timesheet
    timesheet.lines.all().delete()
    TimesheetLine.objects.bulk_create(new_lines)
    timesheet.total_hours = total
    timesheet.save(update_fields=["total_hours", "updated_at"])
    record_event(actor=actor, action="timesheet.lines_saved", obj=timesheet, before=before, after=after, reason=reason)
    return timesheet


@transaction.atomic
def submit(*, actor, timesheet: Timesheet, reason: str = "") -> Timesheet:
    """Send the week for approval: one part per project it books hours to, or one part for the
    PMO when it books only non-project time. Only the owner submits. A rejected week comes back
    to every approver, including those who had approved their part."""
    timesheet = _locked_timesheet(actor, timesheet)
    if not _is_owner(actor, timesheet.resource):
        raise PermissionRefused(f"Only {timesheet.resource} submits their own timesheet.")
    _editable_or_refuse(timesheet)
    validated = _validated_lines(timesheet, _stored_as_input(timesheet))
    if not any(line.total for line in validated):
        raise DomainError(
            f"The week of {timesheet.week_start.isoformat()} has no hours to submit; enter the hours worked first."
        )
    project_ids = sorted({line.project_id for line in validated if line.project_id})
    previous = list(timesheet.approvals.values("project_id", "status", "decided_by_id", "comment"))
    timesheet.approvals.all().delete()
    TimesheetApproval.objects.bulk_create(
        [TimesheetApproval(timesheet=timesheet, project_id=project_id) for project_id in project_ids]
        or [TimesheetApproval(timesheet=timesheet, project=None)]
    )
    before = {"status": timesheet.status, "approvals": previous}
    timesheet.status = TimesheetStatus.SUBMITTED
    timesheet.submitted_at = timezone.now()
    timesheet.approved_at = None
    timesheet.save(update_fields=["status", "submitted_at", "approved_at", "updated_at"])
    record_event(
        actor=actor,
        action="timesheet.submitted",
        obj=timesheet,
        before=before,
        after={"status": timesheet.status, "projects": project_ids, "total_hours": str(timesheet.total_hours)},
        reason=reason,
    )
    return timesheet


@transaction.atomic
def decide(
    *, actor, approval: TimesheetApproval, approve: bool, comment: str = "", reason: str = ""
) -> TimesheetApproval:
    """Approve or reject one part of a submitted week.

    A project's part is decided by whoever may change the project; the part of a week with only
    non-project time by a role with change across the organisation; never by the week's owner.
    A rejection needs a comment and sends the week back to its owner. The last approval locks
    the week, costs its project lines and recomputes the actuals of the assignments it books.
    """
    approval, timesheet = _locked_approval(actor, approval)
    if _is_owner(actor, timesheet.resource):
        raise PermissionRefused("Nobody approves their own timesheet; another approver must decide.")
    comment = (comment or "").strip()
    if timesheet.status != TimesheetStatus.SUBMITTED:
        raise DomainError(
            f"{timesheet} is {timesheet.get_status_display().lower()}, not waiting for approval; "
            "it comes back to the approvers when it is submitted again."
        )
    if approval.status != ApprovalStatus.PENDING:
        who = approval.decided_by.get_username() if approval.decided_by else "someone"
        raise DomainError(f"This part was already {approval.get_status_display().lower()} by {who}.")
    if not approve and not comment:
        raise InvalidData(
            {"comment": [f"Say why the hours are rejected, so that {timesheet.resource} can correct them."]}
        )
    before = snapshot(approval)
    approval.status = ApprovalStatus.APPROVED if approve else ApprovalStatus.REJECTED
    approval.decided_by = actor
    approval.decided_at = timezone.now()
    approval.comment = comment
    approval.save(update_fields=["status", "decided_by", "decided_at", "comment"])
    after = snapshot(approval)
    record_event(
        actor=actor,
        action=f"timesheetapproval.{approval.status}",
        obj=approval,
        before={key: value for key, value in before.items() if value != after[key]},
        after={key: value for key, value in after.items() if value != before[key]},
        reason=reason,
    )
    if not approve:
        _set_status(actor, timesheet, TimesheetStatus.REJECTED, reason=comment)
    elif not timesheet.approvals.exclude(status=ApprovalStatus.APPROVED).exists():
        _approve_week(actor, timesheet, reason=reason)
    return approval


def _set_status(actor, timesheet: Timesheet, status: str, *, reason: str = "", **fields) -> None:
    before = {"status": timesheet.status, **{name: snapshot(timesheet)[name] for name in fields}}
    timesheet.status = status
    for name, value in fields.items():
        setattr(timesheet, name, value)
    timesheet.save(update_fields=["status", *fields, "updated_at"])
    after = {"status": status, **{name: snapshot(timesheet)[name] for name in fields}}
    record_event(actor=actor, action=f"timesheet.{status}", obj=timesheet, before=before, after=after, reason=reason)


def _approve_week(actor, timesheet: Timesheet, *, reason: str = "") -> None:
    """Lock the week: cost each project line at the rate in force on each day, then recompute
    the actuals of the assignments it books."""
    rates = list(ResourceRate.objects.filter(resource_id=timesheet.resource_id))
    lines = list(timesheet.lines.all())
    for line in lines:
        if line.project_id is None:
            continue
        cost = ZERO
        for day, hours in zip(timesheet.days, line.hours, strict=True):
            rate = rate_in_force(rates, day)
            if rate is not None and hours:
                cost += Decimal(str(hours)) * rate.cost_per_hour
        line.cost = money(cost)
    TimesheetLine.objects.bulk_update(lines, ["cost"])
    _set_status(actor, timesheet, TimesheetStatus.APPROVED, reason=reason, approved_at=timezone.now())
    _recompute(actor, {(timesheet.resource_id, line.activity_id) for line in lines if line.activity_id}, reason=reason)


@transaction.atomic
def reopen(*, actor, timesheet: Timesheet, reason: str) -> Timesheet:
    """Unlock an approved week for a correction (a role with change across the organisation):
    it becomes a draft again, its approvals and line costs are cleared, and the actuals of the
    assignments it booked are recomputed without it. Its owner corrects and resubmits it."""
    require_global(actor, Action.CHANGE, "approved timesheets")
    timesheet = _locked_timesheet(actor, timesheet)
    if not (reason or "").strip():
        raise InvalidData({"reason": ["Say why the approved week is reopened; the reason is kept in the audit trail."]})
    if timesheet.status != TimesheetStatus.APPROVED:
        raise DomainError(
            f"Only an approved week is reopened; {timesheet} is {timesheet.get_status_display().lower()}"
            + (" and its owner can change it." if timesheet.is_editable else " and waiting for its approvers.")
        )
    previous = list(timesheet.approvals.values("project_id", "status", "decided_by_id", "decided_at", "comment"))
    for row in previous:
        row["decided_at"] = row["decided_at"].isoformat() if row["decided_at"] else None
    timesheet.approvals.all().delete()
    lines = list(timesheet.lines.all())
    for line in lines:
        line.cost = ZERO
    TimesheetLine.objects.bulk_update(lines, ["cost"])
    before = {"status": timesheet.status, "approved_at": timesheet.approved_at.isoformat(), "approvals": previous}
    timesheet.status = TimesheetStatus.DRAFT
    timesheet.submitted_at = None
    timesheet.approved_at = None
    timesheet.save(update_fields=["status", "submitted_at", "approved_at", "updated_at"])
    record_event(
        actor=actor,
        action="timesheet.reopened",
        obj=timesheet,
        before=before,
        after={"status": timesheet.status},
        reason=reason.strip(),
    )
    _recompute(actor, {(timesheet.resource_id, line.activity_id) for line in lines if line.activity_id}, reason=reason)
    return timesheet


# --- actuals ---------------------------------------------------------------------------------


def _recompute(actor, pairs: set[tuple[int, int]], *, reason: str = "") -> list[Assignment]:
    """Set the actuals of the assignments of these (resource id, activity id) pairs from the
    approved weeks; audit each assignment whose figures change. Two queries and one write per
    changed assignment."""
    if not pairs:
        return []
    resource_ids = {resource_id for resource_id, _ in pairs}
    activity_ids = {activity_id for _, activity_id in pairs}
    assignments = [
        assignment
        for assignment in Assignment.objects.select_for_update().filter(
            resource_id__in=resource_ids, activity_id__in=activity_ids
        )
        if (assignment.resource_id, assignment.activity_id) in pairs
    ]
    sums = {
        (row["timesheet__resource_id"], row["activity_id"]): (row["hours"] or ZERO, row["cost"] or ZERO)
        for row in TimesheetLine.objects.filter(
            timesheet__status=TimesheetStatus.APPROVED,
            timesheet__resource_id__in=resource_ids,
            activity_id__in=activity_ids,
        )
        .values("timesheet__resource_id", "activity_id")
        .annotate(hours=Sum("total_hours"), cost=Sum("cost"))
    }
    changed = []
    for assignment in assignments:
        hours, cost = sums.get((assignment.resource_id, assignment.activity_id), (ZERO, ZERO))
        hours, cost = money(hours), money(cost)
        if (assignment.actual_hours, assignment.actual_cost) == (hours, cost):
            continue
        before = {"actual_hours": str(assignment.actual_hours), "actual_cost": str(assignment.actual_cost)}
        assignment.actual_hours, assignment.actual_cost = hours, cost
        assignment.save(update_fields=["actual_hours", "actual_cost", "updated_at"])
        record_event(
            actor=actor,
            action="assignment.actuals_changed",
            obj=assignment,
            before=before,
            after={"actual_hours": str(hours), "actual_cost": str(cost)},
            reason=reason,
        )
        changed.append(assignment)
    return changed


@transaction.atomic
def recompute_actuals(
    *,
    actor,
    assignments: Iterable[Assignment] = (),
    pairs: Iterable[tuple[Resource | int, Activity | int]] = (),
    reason: str = "",
) -> list[Assignment]:
    """Recompute the actual hours and cost of ``assignments`` and of the assignments of the
    (resource, activity) ``pairs`` from approved weeks; returns those whose figures changed.
    Needs the right to change each assignment's project."""
    wanted = {(assignment.resource_id, assignment.activity_id) for assignment in assignments}
    wanted |= {(_pk(resource), _pk(activity)) for resource, activity in pairs}
    if not wanted:
        return []
    candidates = Assignment.objects.filter(
        resource_id__in={resource_id for resource_id, _ in wanted},
        activity_id__in={activity_id for _, activity_id in wanted},
    )
    found = {(a.resource_id, a.activity_id): a.pk for a in candidates if (a.resource_id, a.activity_id) in wanted}
    allowed = set(
        Assignment.objects.visible_to(actor, Action.CHANGE).filter(pk__in=found.values()).values_list("pk", flat=True)
    )
    if set(found.values()) - allowed:
        raise PermissionRefused("Recomputing actuals needs the right to change each assignment's project.")
    return _recompute(actor, set(found), reason=reason)
