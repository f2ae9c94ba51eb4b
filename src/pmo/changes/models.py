"""Change control (M7): change requests with the engine's impact analysis and board routing,
configuration items with their versions, and quality reviews with criteria and results.

Durations and lags are working minutes (480 a standard day), as in planning. Money is a
``Decimal`` in the organisation's currency. The impact analysis is a snapshot written only by the
``analyse_change_request`` service, with the fingerprint of the plan it was computed from.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse

from pmo.changes.choices import (
    Board,
    ChangeStatus,
    ConfigurationItemKind,
    ConfigurationItemStatus,
    CriterionOutcome,
    ReviewResult,
    RiskLevel,
)
from pmo.changes.querysets import (
    ActivityChangeQuerySet,
    ApprovalPolicyQuerySet,
    ChangeRequestQuerySet,
    ConfigurationItemQuerySet,
    ConfigurationItemVersionQuerySet,
    QualityReviewQuerySet,
    ReviewCriterionQuerySet,
)
from pmo.core.models import Person, TimeStampedModel
from pmo.planning.choices import DATED_CONSTRAINTS, ConstraintType
from pmo.planning.models import Activity
from pmo.portfolio.models import Programme, Project

MONEY = {"max_digits": 14, "decimal_places": 2}
ZERO = Decimal("0")


class ApprovalPolicy(TimeStampedModel):
    """The project board's limits: a change within both is decided by the project board, a change
    above either by the programme board (the portfolio's when the project has no programme).

    One policy has neither programme nor project: the organisation's default. A programme's policy
    overrides it for the programme's projects; a project's overrides both.
    """

    programme = models.ForeignKey(
        Programme, null=True, blank=True, on_delete=models.CASCADE, related_name="approval_policies"
    )
    project = models.ForeignKey(
        Project, null=True, blank=True, on_delete=models.CASCADE, related_name="approval_policies"
    )
    cost_limit = models.DecimalField(
        **MONEY,
        validators=[MinValueValidator(ZERO)],
        help_text="The largest cost impact the project board may approve.",
    )
    delay_days_limit = models.PositiveIntegerField(
        help_text="The most working days of delay to the project's finish the project board may approve."
    )
    notes = models.TextField(blank=True)

    objects = ApprovalPolicyQuerySet.as_manager()

    class Meta:
        ordering = ["project_id", "programme_id", "id"]
        verbose_name_plural = "approval policies"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(programme__isnull=True) | models.Q(project__isnull=True),
                name="approval_policy_one_scope",
            ),
            models.UniqueConstraint(
                fields=["programme"], condition=models.Q(project__isnull=True), name="approval_policy_programme_unique"
            ),
            models.UniqueConstraint(fields=["project"], name="approval_policy_project_unique"),
        ]

    def __str__(self) -> str:
        return f"Approval limits of {self.scope_label}"

    @property
    def scope_label(self) -> str:
        if self.project_id:
            return f"project {self.project.code}"
        if self.programme_id:
            return f"programme {self.programme.code}"
        return "the organisation"

    def get_absolute_url(self) -> str:
        return reverse("changes:policy_detail", args=[self.pk])

    def clean(self):
        if self.programme_id and self.project_id:
            raise ValidationError({"project": "A policy applies to a programme or to a project, not to both."})


class ConfigurationItem(TimeStampedModel):
    """A product, deliverable or other item under configuration control in one project."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="configuration_items")
    identifier = models.CharField(max_length=40, help_text="Unique in the project, e.g. DOC-007 or APP-CRM.")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=ConfigurationItemKind.choices, default=ConfigurationItemKind.PRODUCT)
    version = models.CharField(max_length=30, default="0.1")
    status = models.CharField(
        max_length=20, choices=ConfigurationItemStatus.choices, default=ConfigurationItemStatus.IN_DEVELOPMENT
    )
    owner = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    description = models.TextField(blank=True)

    objects = ConfigurationItemQuerySet.as_manager()

    class Meta:
        ordering = ["project", "identifier"]
        constraints = [
            models.UniqueConstraint(fields=["project", "identifier"], name="configuration_item_identifier_unique")
        ]

    def __str__(self) -> str:
        return f"{self.identifier} {self.name} v{self.version}"

    def get_absolute_url(self) -> str:
        return reverse("changes:item_detail", args=[self.pk])


class ChangeRequest(TimeStampedModel):
    """A request to change a project's scope, time, cost or products, with its impact and decision."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="change_requests")
    number = models.PositiveIntegerField(help_text="Numbered from 1 in each project.")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    justification = models.TextField("reason for the change", blank=True, help_text="Why the change is needed.")
    requested_by = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    raised_on = models.DateField()
    status = models.CharField(max_length=20, choices=ChangeStatus.choices, default=ChangeStatus.DRAFT)
    # The requester's estimate of the impact.
    cost_impact = models.DecimalField(**MONEY, default=ZERO, help_text="Added cost (negative for a saving).")
    time_impact_days = models.IntegerField(
        default=0, help_text="Working days the requester expects the finish to move (negative: earlier)."
    )
    scope_impact = models.TextField(blank=True)
    benefits_impact = models.TextField(blank=True)
    risk_impact = models.TextField(blank=True)
    risk_level = models.CharField(max_length=10, choices=RiskLevel.choices, default=RiskLevel.LOW)
    configuration_items = models.ManyToManyField(ConfigurationItem, blank=True, related_name="change_requests")
    # The engine's impact analysis (written by the analysis service only).
    analysis = models.JSONField(default=dict, blank=True)
    analysed_at = models.DateTimeField(null=True, blank=True)
    analysis_fingerprint = models.CharField(max_length=64, blank=True)
    finish_before = models.DateTimeField(null=True, blank=True)
    finish_after = models.DateTimeField(null=True, blank=True)
    delay_days = models.DecimalField(
        max_digits=9, decimal_places=2, null=True, blank=True, help_text="Computed working days the finish moves."
    )
    computed_cost_delta = models.DecimalField(**MONEY, null=True, blank=True)
    required_board = models.CharField(max_length=20, choices=Board.choices, blank=True)
    # The decision.
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_board = models.CharField(max_length=20, choices=Board.choices, blank=True)
    decision_reason = models.TextField(blank=True)
    implemented_at = models.DateTimeField(null=True, blank=True)
    baseline_number = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="The baseline taken when the change was implemented, if any."
    )

    objects = ChangeRequestQuerySet.as_manager()

    class Meta:
        ordering = ["project", "-number"]
        indexes = [models.Index(fields=["project", "status"])]
        constraints = [models.UniqueConstraint(fields=["project", "number"], name="change_request_number_unique")]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def reference(self) -> str:
        return f"CR-{self.number}"

    def get_absolute_url(self) -> str:
        return reverse("changes:change_detail", args=[self.pk])

    @property
    def total_cost_impact(self) -> Decimal:
        """The requester's cost estimate plus the computed cost of the plan changes."""
        return self.cost_impact + (self.computed_cost_delta or ZERO)


class ActivityChange(models.Model):
    """What a change request would do to one activity of its project: a new duration, a new link
    from a predecessor (or a new lag on the existing one), and/or a new date constraint."""

    change_request = models.ForeignKey(ChangeRequest, on_delete=models.CASCADE, related_name="activity_changes")
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="+")
    new_duration_minutes = models.PositiveIntegerField(null=True, blank=True)
    predecessor = models.ForeignKey(Activity, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    lag_minutes = models.IntegerField(
        null=True, blank=True, help_text="The lag of the link from the predecessor (made if missing), working minutes."
    )
    constraint_type = models.CharField(max_length=4, choices=ConstraintType.choices, blank=True)
    constraint_date = models.DateTimeField(null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)

    objects = ActivityChangeQuerySet.as_manager()

    class Meta:
        ordering = ["change_request", "id"]
        constraints = [
            models.UniqueConstraint(fields=["change_request", "activity"], name="activity_change_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.activity}: {self.summary()}"

    def summary(self) -> str:
        parts = []
        if self.new_duration_minutes is not None:
            parts.append(f"duration {self.new_duration_minutes / 480:g} d")
        if self.predecessor_id:
            parts.append(f"after {self.predecessor.name} with lag {(self.lag_minutes or 0) / 480:g} d")
        if self.constraint_type:
            when = f" {self.constraint_date:%Y-%m-%d}" if self.constraint_date else ""
            parts.append(f"{self.get_constraint_type_display().lower()}{when}")
        return "; ".join(parts) or "no change"

    def clean(self):
        errors = {}
        if self.new_duration_minutes is None and not self.predecessor_id and not self.constraint_type:
            errors["__all__"] = "Say what changes: a new duration, a link from a predecessor, or a constraint."
        if self.predecessor_id and self.predecessor_id == self.activity_id:
            errors["predecessor"] = "An activity cannot depend on itself."
        if self.lag_minutes is not None and not self.predecessor_id:
            errors["lag_minutes"] = "A lag belongs to a link: name the predecessor."
        if self.activity_id and self.activity.is_milestone and self.new_duration_minutes:
            errors["new_duration_minutes"] = "A milestone has no duration."
        if self.constraint_type in DATED_CONSTRAINTS and self.constraint_date is None:
            errors["constraint_date"] = "This constraint needs a date."
        if self.constraint_type not in DATED_CONSTRAINTS and self.constraint_date is not None:
            errors["constraint_date"] = "This constraint takes no date."
        if errors:
            raise ValidationError(errors)


class ConfigurationItemVersion(models.Model):
    """One version of a configuration item, kept when the version or status changes."""

    item = models.ForeignKey(ConfigurationItem, on_delete=models.CASCADE, related_name="versions")
    version = models.CharField(max_length=30)
    status = models.CharField(max_length=20, choices=ConfigurationItemStatus.choices)
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    change_request = models.ForeignKey(
        ChangeRequest, null=True, blank=True, on_delete=models.SET_NULL, related_name="item_versions"
    )
    note = models.CharField(max_length=300, blank=True)

    objects = ConfigurationItemVersionQuerySet.as_manager()

    class Meta:
        ordering = ["item", "-recorded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.item.identifier} v{self.version} ({self.get_status_display()})"


class QualityReview(TimeStampedModel):
    """A review of a configuration item (or of a deliverable named in words) against criteria."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="quality_reviews")
    title = models.CharField(max_length=200)
    configuration_item = models.ForeignKey(
        ConfigurationItem, null=True, blank=True, on_delete=models.PROTECT, related_name="quality_reviews"
    )
    deliverable = models.CharField(max_length=200, blank=True, help_text="What is reviewed, when it is no item.")
    planned_on = models.DateField()
    held_on = models.DateField(null=True, blank=True)
    reviewers = models.ManyToManyField(Person, blank=True, related_name="+")
    result = models.CharField(max_length=20, choices=ReviewResult.choices, default=ReviewResult.PENDING)
    summary = models.TextField(blank=True)

    objects = QualityReviewQuerySet.as_manager()

    class Meta:
        ordering = ["project", "-planned_on", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("changes:review_detail", args=[self.pk])

    @property
    def subject(self) -> str:
        return str(self.configuration_item) if self.configuration_item_id else self.deliverable

    def clean(self):
        errors = {}
        if not self.configuration_item_id and not self.deliverable.strip():
            errors["deliverable"] = "Name what is reviewed: a configuration item or a deliverable."
        if self.configuration_item_id and self.configuration_item.project_id != self.project_id:
            errors["configuration_item"] = "The item belongs to another project."
        if self.result != ReviewResult.PENDING and not self.held_on:
            errors["held_on"] = "A result needs the date the review was held."
        if errors:
            raise ValidationError(errors)


class ReviewCriterion(models.Model):
    """One line of a review's checklist, with its outcome."""

    review = models.ForeignKey(QualityReview, on_delete=models.CASCADE, related_name="criteria")
    position = models.PositiveIntegerField(default=0)
    text = models.CharField(max_length=300)
    outcome = models.CharField(max_length=10, choices=CriterionOutcome.choices, default=CriterionOutcome.PENDING)
    note = models.CharField(max_length=500, blank=True)

    objects = ReviewCriterionQuerySet.as_manager()

    class Meta:
        ordering = ["review", "position", "id"]
        verbose_name_plural = "review criteria"

    def __str__(self) -> str:
        return self.text
