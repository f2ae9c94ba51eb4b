"""Plans: working calendars, the WBS of activities, links, the project's schedule, baselines.

Durations and lags are integer working minutes (480 a standard day), as in the engine. Moments
are stored as aware datetimes and handed to the engine as naive ones in the server's time zone.
The computed fields of an activity (early/late dates, floats, critical) are written only by the
``reschedule`` service.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

from pmo.core.models import TimeStampedModel
from pmo.planning.choices import DATED_CONSTRAINTS, ConstraintType, LinkType
from pmo.planning.querysets import (
    ActivityQuerySet,
    BaselineQuerySet,
    CalendarQuerySet,
    LinkQuerySet,
    ProjectPlanQuerySet,
)
from pmo.portfolio.models import Project

STANDARD_PERIODS = [[480, 720], [780, 1020]]
MINUTES_PER_DAY = 1440


def default_weekdays() -> list[int]:
    return [0, 1, 2, 3, 4]


def default_periods() -> list[list[int]]:
    return [list(period) for period in STANDARD_PERIODS]


class Calendar(TimeStampedModel):
    """A working week (weekdays and daily working periods) with holidays and exceptions.

    ``working_weekdays`` holds ``date.weekday()`` numbers (Monday 0); ``working_periods`` holds
    ``[start_minute, end_minute]`` pairs after midnight, sorted and disjoint. A calendar without a
    project serves the whole organisation.
    """

    project = models.ForeignKey(Project, null=True, blank=True, on_delete=models.CASCADE, related_name="calendars")
    name = models.CharField(max_length=200)
    working_weekdays = models.JSONField(default=default_weekdays)
    working_periods = models.JSONField(default=default_periods)
    external_uid = models.CharField(max_length=40, blank=True, help_text="The calendar's id in an imported file.")

    objects = CalendarQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("planning:calendar_detail", args=[self.pk])

    @property
    def minutes_per_day(self) -> int:
        return sum(end - start for start, end in self.working_periods)

    def clean(self):
        errors = {}
        weekdays = self.working_weekdays
        if (
            not isinstance(weekdays, list)
            or not weekdays
            or any(not isinstance(day, int) or isinstance(day, bool) or not 0 <= day <= 6 for day in weekdays)
            or len(set(weekdays)) != len(weekdays)
        ):
            errors["working_weekdays"] = "Give at least one weekday, each a number from 0 (Monday) to 6 (Sunday), once."
        periods = self.working_periods
        previous_end = 0
        valid = isinstance(periods, list) and bool(periods)
        for period in periods if valid else []:
            if not (isinstance(period, list | tuple) and len(period) == 2 and all(isinstance(v, int) for v in period)):
                valid = False
                break
            start, end = period
            if not previous_end <= start < end <= MINUTES_PER_DAY:
                valid = False
                break
            previous_end = end
        if not valid:
            errors["working_periods"] = (
                "Give working periods as [start, end] minutes after midnight, sorted, not overlapping, within one day."
            )
        if errors:
            raise ValidationError(errors)


class CalendarException(models.Model):
    """A date that breaks the working week: a holiday, or a working day on a usually free day."""

    calendar = models.ForeignKey(Calendar, on_delete=models.CASCADE, related_name="exceptions")
    date = models.DateField()
    is_working = models.BooleanField(default=False, help_text="Ticked: worked although its weekday is not.")
    name = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["calendar", "date"], name="calendar_exception_unique")]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.name or ('working' if self.is_working else 'holiday')}"


class ProjectPlan(TimeStampedModel):
    """The scheduling settings of one project and the summary of its last schedule."""

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="plan")
    calendar = models.ForeignKey(Calendar, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    start = models.DateTimeField(help_text="When the project's work may begin.")
    status_date = models.DateField(null=True, blank=True, help_text="The date progress was last measured at.")
    # Results of the last reschedule.
    scheduled_at = models.DateTimeField(null=True, blank=True)
    early_finish = models.DateTimeField(null=True, blank=True)
    critical_paths = models.JSONField(default=list, blank=True)
    conflicts = models.JSONField(default=list, blank=True)
    # Resources and assignments read from an imported file, kept as the file had them (activity
    # ids mapped to pmo's) and written back on export until resource management takes them over.
    imported_resources = models.JSONField(default=list, blank=True)
    imported_assignments = models.JSONField(default=list, blank=True)

    objects = ProjectPlanQuerySet.as_manager()

    class Meta:
        ordering = ["project_id"]

    def __str__(self) -> str:
        return f"Plan of {self.project}"


class Activity(TimeStampedModel):
    """One element of a project's WBS: a summary (has children), a task, or a milestone."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="activities")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    position = models.PositiveIntegerField(default=0, help_text="Order in the plan (outline order).")
    wbs_code = models.CharField("WBS code", max_length=60, blank=True)
    name = models.CharField(max_length=300)
    is_milestone = models.BooleanField(default=False)
    duration_minutes = models.PositiveIntegerField(default=480, help_text="Working minutes (480 = one standard day).")
    calendar = models.ForeignKey(Calendar, null=True, blank=True, on_delete=models.PROTECT, related_name="activities")
    constraint_type = models.CharField(
        max_length=4, choices=ConstraintType.choices, default=ConstraintType.AS_SOON_AS_POSSIBLE
    )
    constraint_date = models.DateTimeField(null=True, blank=True)
    deadline = models.DateTimeField(null=True, blank=True)
    actual_start = models.DateTimeField(null=True, blank=True)
    actual_finish = models.DateTimeField(null=True, blank=True)
    percent_complete = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    remaining_duration_minutes = models.PositiveIntegerField(null=True, blank=True)
    levelling_delay_minutes = models.PositiveIntegerField(
        default=0,
        help_text=(
            "Working minutes resource levelling holds the activity back after its links and dates allow it to "
            "start (480 = one standard day); set by accepting a levelled schedule, 0 when not levelled. "
            "Ignored once the activity has started; a summary activity takes none."
        ),
    )
    cost = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal("0"), validators=[MinValueValidator(0)])
    notes = models.TextField(blank=True)
    external_uid = models.CharField(max_length=40, blank=True, help_text="The task's id in an imported file.")
    # Written by the reschedule service only.
    is_summary = models.BooleanField(default=False)
    early_start = models.DateTimeField(null=True, blank=True)
    early_finish = models.DateTimeField(null=True, blank=True)
    late_start = models.DateTimeField(null=True, blank=True)
    late_finish = models.DateTimeField(null=True, blank=True)
    start = models.DateTimeField(null=True, blank=True)
    finish = models.DateTimeField(null=True, blank=True)
    total_float_minutes = models.IntegerField(null=True, blank=True)
    free_float_minutes = models.IntegerField(null=True, blank=True)
    is_critical = models.BooleanField(default=False)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        ordering = ["project", "position", "id"]
        verbose_name_plural = "activities"
        indexes = [models.Index(fields=["project", "position"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(percent_complete__gte=0, percent_complete__lte=100), name="activity_percent_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.wbs_code} {self.name}".strip()

    def get_absolute_url(self) -> str:
        return reverse("planning:activity_edit", args=[self.pk])

    def clean(self):
        errors = {}
        if self.parent_id and self.parent.project_id != self.project_id:
            errors["parent"] = "The parent activity belongs to another project."
        if self.is_milestone and self.duration_minutes:
            errors["duration_minutes"] = "A milestone has no duration."
        if self.constraint_type in DATED_CONSTRAINTS and self.constraint_date is None:
            errors["constraint_date"] = f"A '{self.get_constraint_type_display()}' constraint needs a date."
        if self.constraint_type not in DATED_CONSTRAINTS and self.constraint_date is not None:
            errors["constraint_date"] = f"An '{self.get_constraint_type_display()}' constraint takes no date."
        if self.actual_finish and not self.actual_start:
            errors["actual_start"] = "An activity that has finished has started: give its actual start."
        if self.actual_start and self.actual_finish and self.actual_finish < self.actual_start:
            errors["actual_finish"] = "The actual finish cannot be before the actual start."
        if self.percent_complete and self.percent_complete > 0 and not self.actual_start:
            errors["actual_start"] = "Progress needs an actual start."
        if self.percent_complete == 100 and self.actual_start and not self.actual_finish and not self.is_milestone:
            errors["actual_finish"] = "A complete activity needs its actual finish."
        if errors:
            raise ValidationError(errors)


class Link(TimeStampedModel):
    """The successor waits on the predecessor; the two may belong to different projects."""

    predecessor = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="successor_links")
    successor = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="predecessor_links")
    link_type = models.CharField(max_length=2, choices=LinkType.choices, default=LinkType.FINISH_TO_START)
    lag_minutes = models.IntegerField(default=0, help_text="Working minutes; negative for a lead.")

    objects = LinkQuerySet.as_manager()

    class Meta:
        ordering = ["successor_id", "predecessor_id"]
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="link_unique"),
            models.CheckConstraint(condition=~models.Q(predecessor=models.F("successor")), name="link_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} -{self.link_type}-> {self.successor}"

    def clean(self):
        if self.predecessor_id and self.predecessor_id == self.successor_id:
            raise ValidationError({"predecessor": "An activity cannot depend on itself."})

    @property
    def crosses_projects(self) -> bool:
        return self.predecessor.project_id != self.successor.project_id


class Baseline(TimeStampedModel):
    """A frozen copy of a project's dates, durations and costs, to measure progress against."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="baselines")
    number = models.PositiveSmallIntegerField(validators=[MaxValueValidator(10)], help_text="0 to 10, as MS Project.")
    name = models.CharField(max_length=200)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_primary = models.BooleanField(default=False, help_text="The baseline variances are shown against.")

    objects = BaselineQuerySet.as_manager()

    class Meta:
        ordering = ["project", "number"]
        constraints = [models.UniqueConstraint(fields=["project", "number"], name="baseline_number_unique")]

    def __str__(self) -> str:
        return f"Baseline {self.number}: {self.name}"


class BaselineActivity(models.Model):
    """One activity as it stood when the baseline was taken (kept if the activity is deleted)."""

    baseline = models.ForeignKey(Baseline, on_delete=models.CASCADE, related_name="entries")
    activity = models.ForeignKey(
        Activity, null=True, blank=True, on_delete=models.SET_NULL, related_name="baseline_entries"
    )
    wbs_code = models.CharField(max_length=60, blank=True)
    name = models.CharField(max_length=300)
    start = models.DateTimeField(null=True, blank=True)
    finish = models.DateTimeField(null=True, blank=True)
    duration_minutes = models.PositiveIntegerField(default=0)
    cost = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal("0"))

    class Meta:
        ordering = ["baseline", "id"]
        constraints = [models.UniqueConstraint(fields=["baseline", "activity"], name="baseline_activity_unique")]

    def __str__(self) -> str:
        return f"{self.baseline}: {self.name}"
