"""Resources and what they do: skills, cost rates, absences, assignments to activities,
allocations to projects, timesheets with their approvals, the training register, and the
rebalancing proposals of the optimiser.

Hours are decimals with two places; money is a decimal in the organisation's currency. A week is
named by its Monday. The actual hours and cost of an assignment are written only by
``services.timesheets.recompute_actuals`` from approved timesheets.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

from pmo.core.models import OrganisationUnit, Person, TimeStampedModel
from pmo.planning.models import Activity, Calendar
from pmo.portfolio.models import Project
from pmo.resourcing.choices import (
    PROFICIENCY_LEVELS,
    AbsenceKind,
    ApprovalStatus,
    EmploymentType,
    NonProjectCategory,
    PeriodKind,
    ProposalStatus,
    ResourceKind,
    TimesheetStatus,
    TrainingStatus,
)
from pmo.resourcing.querysets import (
    AllocationQuerySet,
    AssignmentQuerySet,
    ProposalQuerySet,
    RebalanceRunQuerySet,
    ResourceDetailQuerySet,
    ResourceQuerySet,
    SkillQuerySet,
    TimesheetApprovalQuerySet,
    TimesheetQuerySet,
    TrainingRecordQuerySet,
)

HOURS = {"max_digits": 8, "decimal_places": 2}
MONEY = {"max_digits": 14, "decimal_places": 2}
DAYS_IN_WEEK = 7
ZERO = Decimal("0")


def default_weekday_hours() -> list[float]:
    return [8.0, 8.0, 8.0, 8.0, 8.0, 0.0, 0.0]


def week_of(day: date) -> date:
    """The Monday of ``day``'s week."""
    return day - timedelta(days=day.weekday())


def rate_in_force(rates: list["ResourceRate"], day: date) -> "ResourceRate | None":
    """The rate with the latest ``effective_from`` on or before ``day`` (None before the first).
    ``rates`` are one resource's, in any order. O(n)."""
    in_force = [rate for rate in rates if rate.effective_from <= day]
    return max(in_force, key=lambda rate: rate.effective_from, default=None)


class Skill(TimeStampedModel):
    """A capability the organisation plans for (e.g. 'Python', 'Business analysis')."""

    name = models.CharField(max_length=120, unique=True)
    category = models.CharField(max_length=120, blank=True)
    description = models.TextField(blank=True)
    is_archived = models.BooleanField(default=False)

    objects = SkillQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("resourcing:skill_detail", args=[self.pk])


class Resource(TimeStampedModel):
    """Someone (or, for a generic role, some one) whose hours are planned.

    A named person links to a ``Person``; a generic role has no person and no capacity: work
    assigned to it is demand for its skill that nobody is named for yet.
    ``weekday_hours`` is the part-time pattern, seven hours Monday first; the calendar's holidays
    and the resource's absences take days out of it.
    """

    kind = models.CharField(max_length=10, choices=ResourceKind.choices, default=ResourceKind.PERSON)
    person = models.OneToOneField(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="resource")
    name = models.CharField(max_length=200, help_text="The person's name, or the role's (e.g. 'Data engineer').")
    unit = models.ForeignKey(
        OrganisationUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="resources"
    )
    employment_type = models.CharField(max_length=12, choices=EmploymentType.choices, default=EmploymentType.PERMANENT)
    contract_end = models.DateField(null=True, blank=True, help_text="Last working day of a contingent contract.")
    hours_per_day = models.DecimalField(
        **HOURS,
        default=Decimal("8"),
        validators=[MinValueValidator(Decimal("0.25")), MaxValueValidator(Decimal("24"))],
        help_text="The organisation's full working day, the yardstick of full-time equivalents.",
    )
    weekday_hours = models.JSONField(default=default_weekday_hours, help_text="Hours on each weekday, Monday first.")
    calendar = models.ForeignKey(
        Calendar,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="resources",
        help_text="Public holidays and other non-working days come from this calendar.",
    )
    role_skill = models.ForeignKey(
        Skill, null=True, blank=True, on_delete=models.PROTECT, related_name="roles", help_text="A role's skill."
    )
    role_level = models.PositiveSmallIntegerField(choices=PROFICIENCY_LEVELS, default=3)
    is_archived = models.BooleanField(default=False)

    objects = ResourceQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["unit", "is_archived"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("resourcing:resource_detail", args=[self.pk])

    @property
    def is_role(self) -> bool:
        return self.kind == ResourceKind.ROLE

    @property
    def weekly_hours(self) -> Decimal:
        return sum((Decimal(str(hours)) for hours in self.weekday_hours), ZERO)

    def clean(self):
        errors = {}
        if self.kind == ResourceKind.PERSON and self.person_id is None:
            errors["person"] = "A named resource needs the person it is."
        if self.kind == ResourceKind.ROLE:
            if self.person_id is not None:
                errors["person"] = "A generic role names no person."
            if self.role_skill_id is None:
                errors["role_skill"] = "A generic role needs the skill it stands for."
        hours = self.weekday_hours
        if (
            not isinstance(hours, list)
            or len(hours) != DAYS_IN_WEEK
            or any(isinstance(h, bool) or not isinstance(h, int | float) or not 0 <= h <= 24 for h in hours)
        ):
            errors["weekday_hours"] = "Give seven numbers of hours from 0 to 24, Monday first."
        if self.contract_end and self.employment_type == EmploymentType.PERMANENT:
            errors["contract_end"] = "A permanent resource has no contract end; make it contingent or clear the date."
        if errors:
            raise ValidationError(errors)


class ResourceSkill(models.Model):
    """A skill a resource holds, at a proficiency level from 1 (novice) to 5 (expert)."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="skills")
    skill = models.ForeignKey(Skill, on_delete=models.PROTECT, related_name="holders")
    level = models.PositiveSmallIntegerField(
        choices=PROFICIENCY_LEVELS, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )

    objects = ResourceDetailQuerySet.as_manager()

    class Meta:
        ordering = ["resource", "skill__name"]
        constraints = [
            models.UniqueConstraint(fields=["resource", "skill"], name="resource_skill_unique"),
            models.CheckConstraint(condition=models.Q(level__gte=1, level__lte=5), name="resource_skill_level_range"),
        ]

    def __str__(self) -> str:
        return f"{self.resource}: {self.skill} ({self.level})"


class ResourceRate(models.Model):
    """The hourly cost (and charge-out rate) of a resource from a date until the next rate."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="rates")
    effective_from = models.DateField()
    cost_per_hour = models.DecimalField(**MONEY, validators=[MinValueValidator(ZERO)])
    bill_rate_per_hour = models.DecimalField(**MONEY, null=True, blank=True, validators=[MinValueValidator(ZERO)])

    objects = ResourceDetailQuerySet.as_manager()

    class Meta:
        ordering = ["resource", "effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["resource", "effective_from"], name="resource_rate_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.resource}: {self.cost_per_hour}/h from {self.effective_from.isoformat()}"


class Absence(models.Model):
    """Days a resource does not work: leave, sickness, training (both ends inclusive)."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="absences")
    kind = models.CharField(max_length=20, choices=AbsenceKind.choices, default=AbsenceKind.LEAVE)
    start = models.DateField()
    end = models.DateField()
    note = models.CharField(max_length=200, blank=True)

    objects = ResourceDetailQuerySet.as_manager()

    class Meta:
        ordering = ["resource", "start"]
        constraints = [
            models.CheckConstraint(condition=models.Q(end__gte=models.F("start")), name="absence_end_after_start")
        ]

    def __str__(self) -> str:
        return f"{self.resource}: {self.get_kind_display()} {self.start.isoformat()} to {self.end.isoformat()}"

    def clean(self):
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": "The last day cannot be before the first."})


class Assignment(TimeStampedModel):
    """A resource working on an activity: planned hours spread over the activity's dates.

    ``units_percent`` is the share of the resource's day given to the activity (100 = all of it);
    the planned hours follow from it and the activity's duration unless given. ``planned_cost`` is
    the planned hours at the rate in force when the activity starts. A required skill makes the
    work movable by the rebalancing optimiser to another holder of the skill.
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="assignments")
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="assignments")
    resource = models.ForeignKey(Resource, on_delete=models.PROTECT, related_name="assignments")
    units_percent = models.DecimalField(
        max_digits=6, decimal_places=2, default=Decimal("100"), validators=[MinValueValidator(ZERO)]
    )
    planned_hours = models.DecimalField(**HOURS, default=ZERO, validators=[MinValueValidator(ZERO)])
    planned_cost = models.DecimalField(**MONEY, default=ZERO)
    required_skill = models.ForeignKey(
        Skill, null=True, blank=True, on_delete=models.PROTECT, related_name="assignments"
    )
    required_level = models.PositiveSmallIntegerField(choices=PROFICIENCY_LEVELS, default=1)
    is_billable = models.BooleanField(default=False)
    is_fixed = models.BooleanField(default=False, help_text="Never proposed for a move to someone else.")
    # Written by services.timesheets.recompute_actuals only, from approved timesheets.
    actual_hours = models.DecimalField(**HOURS, default=ZERO)
    actual_cost = models.DecimalField(**MONEY, default=ZERO)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["project", "activity__position", "resource__name", "id"]
        constraints = [models.UniqueConstraint(fields=["activity", "resource"], name="assignment_unique")]
        indexes = [models.Index(fields=["resource", "project"])]

    def __str__(self) -> str:
        return f"{self.resource} on {self.activity}"

    def clean(self):
        errors = {}
        if self.activity_id and self.project_id and self.activity.project_id != self.project_id:
            errors["activity"] = "The activity belongs to another project."
        if self.activity_id and self.activity.is_summary:
            errors["activity"] = "Assign resources to tasks and milestones, not to summary activities."
        if self.required_skill_id is None and self.required_level != 1:
            errors["required_level"] = "A level needs a required skill."
        if errors:
            raise ValidationError(errors)


class Allocation(TimeStampedModel):
    """Hours a resource (or a generic role) is expected to give a project in one week or month:
    demand for work not yet planned activity by activity."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="allocations")
    resource = models.ForeignKey(Resource, on_delete=models.PROTECT, related_name="allocations")
    period_kind = models.CharField(max_length=5, choices=PeriodKind.choices, default=PeriodKind.WEEK)
    period_start = models.DateField(help_text="The Monday of the week, or the first day of the month.")
    hours = models.DecimalField(**HOURS, validators=[MinValueValidator(ZERO)])
    required_skill = models.ForeignKey(
        Skill, null=True, blank=True, on_delete=models.PROTECT, related_name="allocations"
    )
    required_level = models.PositiveSmallIntegerField(choices=PROFICIENCY_LEVELS, default=1)
    is_billable = models.BooleanField(default=False)
    note = models.CharField(max_length=200, blank=True)

    objects = AllocationQuerySet.as_manager()

    class Meta:
        ordering = ["project", "resource__name", "period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "resource", "period_kind", "period_start"], name="allocation_unique"
            ),
        ]
        indexes = [models.Index(fields=["resource", "period_start"])]

    def __str__(self) -> str:
        return f"{self.resource} on {self.project}: {self.hours} h from {self.period_start.isoformat()}"

    @property
    def period_end(self) -> date:
        """The last day of the period (inclusive)."""
        if self.period_kind == PeriodKind.WEEK:
            return self.period_start + timedelta(days=6)
        following = date(self.period_start.year + self.period_start.month // 12, self.period_start.month % 12 + 1, 1)
        return following - timedelta(days=1)

    def clean(self):
        errors = {}
        if self.period_start:
            if self.period_kind == PeriodKind.WEEK and self.period_start.weekday() != 0:
                errors["period_start"] = "A week starts on a Monday."
            if self.period_kind == PeriodKind.MONTH and self.period_start.day != 1:
                errors["period_start"] = "A month starts on its first day."
        if self.resource_id and self.resource.is_role and self.required_skill_id is None:
            self.required_skill_id = self.resource.role_skill_id
            self.required_level = self.resource.role_level
        if self.required_skill_id is None and self.required_level != 1:
            errors["required_level"] = "A level needs a required skill."
        if errors:
            raise ValidationError(errors)


class Timesheet(TimeStampedModel):
    """One resource's week of hours, Monday to Sunday.

    Draft and rejected weeks can be changed by their owner; a submitted week waits for every
    project it books time to (and, when it books none, for the PMO) to approve its part; once all
    parts are approved the week is locked and its hours count as actuals.
    """

    resource = models.ForeignKey(Resource, on_delete=models.PROTECT, related_name="timesheets")
    week_start = models.DateField(help_text="The Monday of the week.")
    status = models.CharField(max_length=10, choices=TimesheetStatus.choices, default=TimesheetStatus.DRAFT)
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    total_hours = models.DecimalField(**HOURS, default=ZERO)

    objects = TimesheetQuerySet.as_manager()

    class Meta:
        ordering = ["-week_start", "resource__name"]
        constraints = [models.UniqueConstraint(fields=["resource", "week_start"], name="timesheet_unique")]
        indexes = [models.Index(fields=["status", "week_start"])]

    def __str__(self) -> str:
        return f"{self.resource}, week of {self.week_start.isoformat()}"

    def get_absolute_url(self) -> str:
        return reverse("resourcing:timesheet_detail", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        return self.status in (TimesheetStatus.DRAFT, TimesheetStatus.REJECTED)

    @property
    def days(self) -> list[date]:
        return [self.week_start + timedelta(days=offset) for offset in range(DAYS_IN_WEEK)]

    def clean(self):
        if self.week_start and self.week_start.weekday() != 0:
            raise ValidationError({"week_start": "A timesheet week starts on a Monday."})


class TimesheetLine(models.Model):
    """A row of the weekly grid: hours on each day against a project activity, a project as a
    whole, or a non-project category (leave, administration, training...)."""

    timesheet = models.ForeignKey(Timesheet, on_delete=models.CASCADE, related_name="lines")
    project = models.ForeignKey(Project, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    activity = models.ForeignKey(
        Activity, null=True, blank=True, on_delete=models.PROTECT, related_name="timesheet_lines"
    )
    category = models.CharField(max_length=10, choices=NonProjectCategory.choices, blank=True)
    is_billable = models.BooleanField(default=False)
    hours = models.JSONField(help_text="Seven numbers of hours, Monday first.")
    total_hours = models.DecimalField(**HOURS, default=ZERO)
    cost = models.DecimalField(**MONEY, default=ZERO, help_text="The hours at the rates in force, set on approval.")
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["timesheet", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(project__isnull=False) & models.Q(category=""))
                | (models.Q(project__isnull=True) & models.Q(activity__isnull=True) & ~models.Q(category="")),
                name="timesheet_line_project_or_category",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.timesheet}: {self.label}"

    @property
    def label(self) -> str:
        if self.activity_id:
            return f"{self.project.code} · {self.activity}"
        if self.project_id:
            return f"{self.project.code} · {self.project.name}"
        return self.get_category_display()


class TimesheetApproval(models.Model):
    """One approver's part of a submitted timesheet: a project's lines, or (``project`` empty) a
    week that books no project time."""

    timesheet = models.ForeignKey(Timesheet, on_delete=models.CASCADE, related_name="approvals")
    project = models.ForeignKey(
        Project, null=True, blank=True, on_delete=models.PROTECT, related_name="timesheet_approvals"
    )
    status = models.CharField(max_length=10, choices=ApprovalStatus.choices, default=ApprovalStatus.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    comment = models.TextField(blank=True, help_text="Why the part was rejected, or a note on approval.")

    objects = TimesheetApprovalQuerySet.as_manager()

    class Meta:
        ordering = ["timesheet", "project_id"]
        constraints = [
            models.UniqueConstraint(fields=["timesheet", "project"], name="timesheet_approval_unique"),
            models.UniqueConstraint(
                fields=["timesheet"], condition=models.Q(project__isnull=True), name="timesheet_approval_one_general"
            ),
        ]
        indexes = [models.Index(fields=["project", "status"])]

    def __str__(self) -> str:
        return f"{self.timesheet}: {self.project or 'non-project time'} {self.get_status_display()}"


class TrainingCourse(TimeStampedModel):
    """An approved course in the training register, and the skills (with the level) it teaches."""

    name = models.CharField(max_length=200)
    provider = models.CharField(max_length=200)
    cost = models.DecimalField(**MONEY, default=ZERO, validators=[MinValueValidator(ZERO)])
    duration_days = models.DecimalField(
        max_digits=5, decimal_places=1, default=Decimal("1"), validators=[MinValueValidator(Decimal("0.5"))]
    )
    skills = models.ManyToManyField(Skill, through="CourseSkill", related_name="courses")
    description = models.TextField(blank=True)
    is_archived = models.BooleanField(default=False)

    objects = SkillQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["name", "provider"], name="training_course_unique")]

    def __str__(self) -> str:
        return f"{self.name} ({self.provider})"

    def get_absolute_url(self) -> str:
        return reverse("resourcing:course_detail", args=[self.pk])


class CourseSkill(models.Model):
    course = models.ForeignKey(TrainingCourse, on_delete=models.CASCADE, related_name="taught")
    skill = models.ForeignKey(Skill, on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField(choices=PROFICIENCY_LEVELS, default=3, help_text="The level reached.")

    class Meta:
        ordering = ["course", "skill__name"]
        constraints = [models.UniqueConstraint(fields=["course", "skill"], name="course_skill_unique")]

    def __str__(self) -> str:
        return f"{self.course}: {self.skill} to level {self.level}"


class TrainingRecord(TimeStampedModel):
    """A resource's place on a course: planned, completed (the skills taught are then held) or cancelled."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="training")
    course = models.ForeignKey(TrainingCourse, on_delete=models.PROTECT, related_name="records")
    status = models.CharField(max_length=10, choices=TrainingStatus.choices, default=TrainingStatus.PLANNED)
    start = models.DateField()
    completed_on = models.DateField(null=True, blank=True)
    note = models.CharField(max_length=200, blank=True)

    objects = TrainingRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-start", "resource__name"]

    def __str__(self) -> str:
        return f"{self.resource}: {self.course}"

    def clean(self):
        if self.status == TrainingStatus.COMPLETED and self.completed_on is None:
            raise ValidationError({"completed_on": "A completed course needs the date it was completed."})
        if self.completed_on and self.start and self.completed_on < self.start:
            raise ValidationError({"completed_on": "Completion cannot be before the start."})


class RebalanceRun(TimeStampedModel):
    """One run of the rebalancing optimiser over a horizon and a set of resources."""

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    start = models.DateField()
    weeks = models.PositiveSmallIntegerField()
    unit = models.ForeignKey(OrganisationUnit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    overload_threshold = models.DecimalField(max_digits=4, decimal_places=2, default=Decimal("1"))
    status = models.CharField(max_length=20, help_text="The solver's verdict.")
    is_optimal = models.BooleanField(default=False)
    movable_items = models.PositiveIntegerField(default=0)
    overload_before_hours = models.DecimalField(**HOURS, default=ZERO)
    overload_after_hours = models.DecimalField(**HOURS, default=ZERO)
    seconds = models.FloatField(default=0)

    objects = RebalanceRunQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Rebalancing of {self.start.isoformat()}, {self.weeks} weeks"

    def get_absolute_url(self) -> str:
        return reverse("resourcing:rebalance_run", args=[self.pk])


class RebalanceProposal(TimeStampedModel):
    """A move the optimiser proposes: an assignment from one resource to another. Accepting it
    reassigns the work if the assignment still stands as it was."""

    run = models.ForeignKey(RebalanceRun, on_delete=models.CASCADE, related_name="proposals")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="proposals")
    from_resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="+")
    to_resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="+")
    hours = models.DecimalField(**HOURS)
    overload_removed_hours = models.DecimalField(**HOURS, default=ZERO)
    reason = models.TextField()
    status = models.CharField(max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.OPEN)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        ordering = ["run", "-overload_removed_hours", "id"]

    def __str__(self) -> str:
        return f"Move {self.assignment} to {self.to_resource}"
