"""Reads of timesheet pages: the grid of a week, what a row can book to, the approvals queue of
an approver, and the actuals of a project. Each costs a fixed number of queries whatever the
number of lines, parts or people.

Who reads a timesheet: its owner, whoever may decide a part of it, and a role that views across
the organisation. (The timesheet queryset also lets any role on a project read the weeks that
book time to it; pages and the API narrow that to the approvers with ``timesheets_visible_to``.)
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Case, DecimalField, Prefetch, Q, QuerySet, Sum, When
from django.utils import timezone

from pmo.core.choices import Action
from pmo.core.models import AuditEvent
from pmo.core.permissions import grants_for
from pmo.portfolio.models import Project
from pmo.resourcing.choices import ApprovalStatus, NonProjectCategory, TimesheetStatus
from pmo.resourcing.models import (
    DAYS_IN_WEEK,
    ZERO,
    Allocation,
    Assignment,
    Resource,
    Timesheet,
    TimesheetApproval,
    TimesheetLine,
)

DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
SHORT_DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def decimal_hours(value) -> Decimal:
    return Decimal(str(value or 0))


def hours_text(value) -> str:
    """Hours as a person writes them (7.5, 8); empty for zero, so that a grid shows blanks."""
    amount = decimal_hours(value)
    if not amount:
        return ""
    text = f"{amount:.2f}"
    return text.rstrip("0").rstrip(".")


# --- who reads what --------------------------------------------------------------------------


def timesheets_visible_to(user) -> QuerySet:
    """The weeks ``user`` may read: their own, those with a part they may decide, or every week
    for a role that views across the organisation."""
    queryset = Timesheet.objects.visible_to(user, Action.VIEW)
    if grants_for(user).allows_everywhere(Action.VIEW):
        return queryset
    decidable = TimesheetApproval.objects.visible_to(user, Action.CHANGE).values("timesheet_id")
    return queryset.filter(Q(resource__person__user=user) | Q(pk__in=decidable))


def approvals_visible_to(user) -> QuerySet:
    """The parts ``user`` may read: those they may decide and those of their own weeks."""
    if user is None or not user.is_authenticated or not user.is_active:
        return TimesheetApproval.objects.none()
    if grants_for(user).allows_everywhere(Action.VIEW):
        return TimesheetApproval.objects.all()
    decidable = TimesheetApproval.objects.visible_to(user, Action.CHANGE).values("pk")
    return TimesheetApproval.objects.filter(Q(pk__in=decidable) | Q(timesheet__resource__person__user=user))


def resource_of(user) -> Resource | None:
    """The user's own resource, if the PMO has put them in the resource register."""
    if user is None or not user.is_authenticated:
        return None
    return Resource.objects.filter(person__user=user, kind="person").select_related("person").first()


def may_enter_for_others(user) -> bool:
    return grants_for(user).allows_everywhere(Action.CHANGE)


def resources_for_entry(user) -> list[Resource]:
    """The people whose weeks ``user`` may fill: everybody for a role with change across the
    organisation, else none besides themselves."""
    if not may_enter_for_others(user):
        return []
    return list(Resource.objects.people().active().order_by("name", "id"))


# --- what a row books to ---------------------------------------------------------------------


def line_key(project_id: int | None, activity_id: int | None, category: str) -> str:
    """The key of a grid row: ``a:<activity>``, ``p:<project>`` or ``c:<category>``."""
    if activity_id:
        return f"a:{activity_id}"
    if project_id:
        return f"p:{project_id}"
    return f"c:{category}"


def read_line_key(key: str) -> dict:
    """What a row key books to, as the keyword arguments of a timesheet line (empty when the key
    is not one; the service then says the line books to nothing)."""
    kind, _, value = (key or "").partition(":")
    if kind == "a" and value.isdigit():
        return {"activity": int(value)}
    if kind == "p" and value.isdigit():
        return {"project": int(value)}
    if kind == "c" and value:
        return {"category": value}
    return {}


@dataclass(frozen=True)
class EntryChoice:
    key: str
    label: str
    group: str
    is_billable: bool = False
    is_this_week: bool = False


@dataclass
class EntryChoices:
    """What rows of a week can book to: the resource's assigned activities, the projects they are
    assigned or allocated to, and the kinds of non-project time."""

    activities: list[EntryChoice]
    projects: list[EntryChoice]
    categories: list[EntryChoice]

    @property
    def by_key(self) -> dict[str, EntryChoice]:
        return {choice.key: choice for choice in (*self.activities, *self.projects, *self.categories)}

    @property
    def groups(self) -> list[tuple[str, list[EntryChoice]]]:
        return [
            (name, choices)
            for name, choices in (
                ("Assigned activities", self.activities),
                ("Projects as a whole", self.projects),
                ("Non-project time", self.categories),
            )
            if choices
        ]


def _overlaps(start, finish, monday: date, sunday: date) -> bool:
    if start is None or finish is None:
        return False
    return timezone.localtime(start).date() <= sunday and timezone.localtime(finish).date() >= monday


def entry_choices(resource: Resource, week_start: date) -> EntryChoices:
    """Two queries."""
    sunday = week_start + timedelta(days=DAYS_IN_WEEK - 1)
    assignments = list(
        Assignment.objects.filter(resource=resource, project__is_archived=False, activity__is_summary=False)
        .select_related("activity", "project")
        .order_by("project__code", "activity__position", "activity_id")
    )
    allocations = list(
        Allocation.objects.filter(
            resource=resource,
            project__is_archived=False,
            period_start__lte=sunday,
            period_start__gte=week_start - timedelta(days=31),
        ).select_related("project")
    )
    activities = [
        EntryChoice(
            key=line_key(a.project_id, a.activity_id, ""),
            label=f"{a.project.code} · {a.activity}",
            group="activity",
            is_billable=a.is_billable,
            is_this_week=_overlaps(a.activity.start, a.activity.finish, week_start, sunday),
        )
        for a in assignments
    ]
    projects: dict[int, EntryChoice] = {}
    for allocation in allocations:
        if allocation.period_end >= week_start:
            projects[allocation.project_id] = EntryChoice(
                key=line_key(allocation.project_id, None, ""),
                label=f"{allocation.project.code} · {allocation.project.name}",
                group="project",
                is_billable=allocation.is_billable,
                is_this_week=True,
            )
    for a in assignments:
        projects.setdefault(
            a.project_id,
            EntryChoice(
                key=line_key(a.project_id, None, ""), label=f"{a.project.code} · {a.project.name}", group="project"
            ),
        )
    return EntryChoices(
        activities=activities,
        projects=sorted(projects.values(), key=lambda choice: choice.label),
        categories=[
            EntryChoice(key=line_key(None, None, value), label=label, group="category")
            for value, label in NonProjectCategory.choices
        ],
    )


# --- the grid of a week ----------------------------------------------------------------------


@dataclass
class GridRow:
    """A row of the grid as shown: ``cells`` hold the hours as stored or as the user typed them."""

    key: str
    label: str
    is_billable: bool
    cells: list[str]
    note: str = ""
    is_suggested: bool = False
    problems: list[str] = field(default_factory=list)
    invalid_days: set[int] = field(default_factory=set)

    @property
    def total(self) -> Decimal:
        return sum((_cell_hours(cell) for cell in self.cells), ZERO)

    @property
    def total_text(self) -> str:
        return hours_text(self.total) or "0"

    @property
    def cells_with_days(self) -> list[dict]:
        return [
            {"index": day, "name": DAY_NAMES[day], "text": text, "is_invalid": day in self.invalid_days}
            for day, text in enumerate(self.cells)
        ]


def _cell_hours(text: str) -> Decimal:
    """A cell's hours for the totals shown beside the grid; text that is no number counts 0 (the
    service reports it)."""
    text = (text or "").strip().replace(",", ".")
    if ":" in text:
        hours, _, minutes = text.partition(":")
        if hours.isdigit() and minutes.isdigit():
            return Decimal(hours) + Decimal(minutes) / 60
        return ZERO
    try:
        amount = Decimal(text) if text else ZERO
    except ArithmeticError:
        return ZERO
    return amount if amount.is_finite() else ZERO


@dataclass
class WeekGrid:
    resource: Resource
    week_start: date
    timesheet: Timesheet | None
    rows: list[GridRow]
    choices: EntryChoices
    day_problems: dict[int, list[str]] = field(default_factory=dict)

    @property
    def days(self) -> list[dict]:
        return [
            {
                "index": index,
                "date": self.week_start + timedelta(days=index),
                "name": DAY_NAMES[index],
                "short": SHORT_DAY_NAMES[index],
                "total_text": hours_text(sum((_cell_hours(row.cells[index]) for row in self.rows), ZERO)) or "0",
                "problems": self.day_problems.get(index, []),
                "is_weekend": index >= 5,
            }
            for index in range(DAYS_IN_WEEK)
        ]

    @property
    def total(self) -> Decimal:
        return sum((row.total for row in self.rows), ZERO)

    @property
    def total_text(self) -> str:
        return hours_text(self.total) or "0"

    @property
    def billable_text(self) -> str:
        return hours_text(sum((row.total for row in self.rows if row.is_billable), ZERO)) or "0"

    @property
    def week_end(self) -> date:
        return self.week_start + timedelta(days=DAYS_IN_WEEK - 1)


def stored_rows(timesheet: Timesheet | None) -> list[GridRow]:
    """The week's lines as grid rows. One query."""
    if timesheet is None:
        return []
    lines = TimesheetLine.objects.filter(timesheet=timesheet).select_related("project", "activity").order_by("id")
    return [
        GridRow(
            key=line_key(line.project_id, line.activity_id, line.category),
            label=line.label,
            is_billable=line.is_billable,
            cells=[hours_text(hours) for hours in line.hours],
            note=line.note,
        )
        for line in lines
    ]


def suggested_rows(choices: EntryChoices, present: set[str]) -> list[GridRow]:
    """Empty rows for the work planned that week and not on the grid yet: assigned activities
    whose dates overlap the week, and projects the resource is allocated to that week."""
    return [
        GridRow(
            key=choice.key,
            label=choice.label,
            is_billable=choice.is_billable,
            cells=[""] * DAYS_IN_WEEK,
            is_suggested=True,
        )
        for choice in (*choices.activities, *choices.projects)
        if choice.is_this_week and choice.key not in present
    ]


def week_grid(resource: Resource, week_start: date, timesheet: Timesheet | None, *, with_suggestions: bool) -> WeekGrid:
    """The grid of a week as stored, with empty rows suggested for the work planned that week when
    the week can still be filled. Three queries."""
    choices = entry_choices(resource, week_start)
    rows = stored_rows(timesheet)
    if with_suggestions:
        rows += suggested_rows(choices, {row.key for row in rows})
    return WeekGrid(resource=resource, week_start=week_start, timesheet=timesheet, rows=rows, choices=choices)


def row_labels(choices: EntryChoices, timesheet: Timesheet | None) -> dict[str, str]:
    """How each row key is named, from the choices and the week's stored lines (a line may book
    to work that is no longer a choice, such as an assignment since removed)."""
    labels = {key: choice.label for key, choice in choices.by_key.items()}
    for row in stored_rows(timesheet):
        labels.setdefault(row.key, row.label)
    return labels


def recent_weeks(resource: Resource, limit: int = 8) -> list[Timesheet]:
    return list(Timesheet.objects.filter(resource=resource).order_by("-week_start")[:limit])


@dataclass
class WeekStatus:
    """What the banner of a week says: its parts and their decisions, and the latest reopening."""

    approvals: list[TimesheetApproval]
    reopened: AuditEvent | None

    @property
    def waiting_for(self) -> list[str]:
        return [_part_name(a) for a in self.approvals if a.status == ApprovalStatus.PENDING]

    @property
    def rejections(self) -> list[TimesheetApproval]:
        return [a for a in self.approvals if a.status == ApprovalStatus.REJECTED]


def _part_name(approval: TimesheetApproval) -> str:
    return str(approval.project) if approval.project_id else "the PMO (non-project time)"


def week_status(timesheet: Timesheet | None) -> WeekStatus:
    """One query: a draft's latest reopening (a draft has no parts), or the parts of any other week."""
    if timesheet is None:
        return WeekStatus(approvals=[], reopened=None)
    if timesheet.status == TimesheetStatus.DRAFT:
        reopened = AuditEvent.objects.for_object(timesheet).filter(action="timesheet.reopened").first()
        return WeekStatus(approvals=[], reopened=reopened)
    approvals = list(
        TimesheetApproval.objects.filter(timesheet=timesheet)
        .select_related("project", "decided_by__person")
        .order_by("project__code")
    )
    return WeekStatus(approvals=approvals, reopened=None)


# --- the approvals queue ---------------------------------------------------------------------


@dataclass
class QueueItem:
    """One part waiting for a decision: whose week, which project (None for non-project time),
    the hours of the part per day, and its lines."""

    approval: TimesheetApproval
    lines: list[TimesheetLine]
    comment: str = ""
    error: str = ""

    @property
    def timesheet(self) -> Timesheet:
        return self.approval.timesheet

    @property
    def project(self) -> Project | None:
        return self.approval.project

    @property
    def part_name(self) -> str:
        return _part_name(self.approval)

    @property
    def day_hours(self) -> list[str]:
        return [
            hours_text(sum((decimal_hours(line.hours[day]) for line in self.lines), ZERO)) or "0"
            for day in range(DAYS_IN_WEEK)
        ]

    @property
    def rows(self) -> list[dict]:
        return [
            {"line": line, "cells": [hours_text(hours) for hours in line.hours], "total": hours_text(line.total_hours)}
            for line in self.lines
        ]

    @property
    def total(self) -> Decimal:
        return sum((line.total_hours for line in self.lines), ZERO)

    @property
    def billable_hours(self) -> Decimal:
        return sum((line.total_hours for line in self.lines if line.is_billable), ZERO)


def part_lines(approval: TimesheetApproval) -> list[TimesheetLine]:
    """The lines of the week that ``approval`` decides on (from the week's prefetched lines)."""
    lines = approval.timesheet.lines.all()
    if approval.project_id is None:
        return [line for line in lines if line.project_id is None]
    return [line for line in lines if line.project_id == approval.project_id]


def decidable_approvals(user) -> QuerySet:
    """The parts waiting for ``user``: pending parts of submitted weeks that they may decide,
    never parts of their own weeks."""
    return (
        TimesheetApproval.objects.visible_to(user, Action.CHANGE)
        .filter(status=ApprovalStatus.PENDING, timesheet__status=TimesheetStatus.SUBMITTED)
        .exclude(timesheet__resource__person__user=user)
    )


def approvals_queue(user, *, project_id: int | None = None) -> list[QueueItem]:
    """The parts waiting for ``user``'s decision, oldest week first. Two queries."""
    approvals = decidable_approvals(user)
    if project_id is not None:
        approvals = approvals.filter(project_id=project_id)
    approvals = (
        approvals.select_related("timesheet__resource", "project")
        .prefetch_related(
            Prefetch(
                "timesheet__lines",
                queryset=TimesheetLine.objects.select_related("project", "activity").order_by("id"),
            )
        )
        .order_by("timesheet__week_start", "timesheet__resource__name", "project__code", "pk")
    )
    return [QueueItem(approval=approval, lines=part_lines(approval)) for approval in approvals]


def queue_projects(user) -> list[Project]:
    """The projects with parts waiting for ``user``, for the queue's filter. One query."""
    ids = decidable_approvals(user).exclude(project=None).values("project_id")
    return list(Project.objects.filter(pk__in=ids).order_by("code"))


# --- a project's actuals ---------------------------------------------------------------------


@dataclass
class ActualsRow:
    name: str
    planned_hours: Decimal = ZERO
    planned_cost: Decimal = ZERO
    actual_hours: Decimal = ZERO
    actual_cost: Decimal = ZERO
    billable_hours: Decimal = ZERO
    awaiting_hours: Decimal = ZERO

    @property
    def cost_variance(self) -> Decimal:
        """Actual cost less planned cost (positive: over the plan so far)."""
        return self.actual_cost - self.planned_cost

    def add(self, other: "ActualsRow") -> None:
        for name in (
            "planned_hours",
            "planned_cost",
            "actual_hours",
            "actual_cost",
            "billable_hours",
            "awaiting_hours",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def project_actuals(project: Project) -> dict:
    """Planned hours and cost (from assignments) beside actual hours and cost (from approved
    weeks), per resource and in total, with the hours submitted and not yet approved apart; and
    the same per activity. Five queries."""
    by_resource: dict[int, ActualsRow] = {}
    planned = (
        Assignment.objects.filter(project=project)
        .values("resource_id", "resource__name")
        .annotate(hours=Sum("planned_hours"), cost=Sum("planned_cost"))
    )
    for row in planned:
        entry = by_resource.setdefault(row["resource_id"], ActualsRow(name=row["resource__name"]))
        entry.planned_hours, entry.planned_cost = row["hours"] or ZERO, row["cost"] or ZERO
    booked = (
        TimesheetLine.objects.filter(
            project=project, timesheet__status__in=[TimesheetStatus.APPROVED, TimesheetStatus.SUBMITTED]
        )
        .values("timesheet__resource_id", "timesheet__resource__name", "timesheet__status")
        .annotate(
            hours=Sum("total_hours"),
            cost=Sum("cost"),
            billable=Sum(Case(When(is_billable=True, then="total_hours"), default=ZERO, output_field=DecimalField())),
        )
    )
    for row in booked:
        entry = by_resource.setdefault(row["timesheet__resource_id"], ActualsRow(name=row["timesheet__resource__name"]))
        if row["timesheet__status"] == TimesheetStatus.APPROVED:
            entry.actual_hours += row["hours"] or ZERO
            entry.actual_cost += row["cost"] or ZERO
            entry.billable_hours += row["billable"] or ZERO
        else:
            entry.awaiting_hours += row["hours"] or ZERO
    resources = sorted(by_resource.values(), key=lambda entry: entry.name)
    total = ActualsRow(name="Total")
    for entry in resources:
        total.add(entry)

    activities: dict[int, ActualsRow] = defaultdict(lambda: ActualsRow(name=""))
    per_activity = (
        Assignment.objects.filter(project=project)
        .values("activity_id", "activity__name", "activity__wbs_code", "activity__position")
        .annotate(
            planned_hours=Sum("planned_hours"),
            planned_cost=Sum("planned_cost"),
            actual_hours=Sum("actual_hours"),
            actual_cost=Sum("actual_cost"),
        )
        .order_by("activity__position", "activity_id")
    )
    for row in per_activity:
        entry = activities[row["activity_id"]]
        entry.name = f"{row['activity__wbs_code']} {row['activity__name']}".strip()
        entry.planned_hours, entry.planned_cost = row["planned_hours"] or ZERO, row["planned_cost"] or ZERO
        entry.actual_hours, entry.actual_cost = row["actual_hours"] or ZERO, row["actual_cost"] or ZERO
    awaiting = (
        TimesheetLine.objects.filter(project=project, timesheet__status=TimesheetStatus.SUBMITTED)
        .exclude(activity=None)
        .values("activity_id")
        .annotate(hours=Sum("total_hours"))
    )
    for row in awaiting:
        if row["activity_id"] in activities:
            activities[row["activity_id"]].awaiting_hours = row["hours"] or ZERO
    activity_rows = list(activities.values())
    on_activities = sum((entry.actual_hours for entry in activity_rows), ZERO)
    return {
        "resources": resources,
        "total": total,
        "activities": activity_rows,
        "project_level_hours": total.actual_hours - on_activities,
    }
