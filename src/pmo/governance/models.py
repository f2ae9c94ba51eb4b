"""Models of governance: actions, the decision log, notifications (and the RAID registers).

Every register record sits on exactly one project, programme or portfolio (``RegisterRecord``);
it may also point at the object it came from (a gate condition, a quality review, a risk…)
through a generic ``source``.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F
from django.urls import reverse

from pmo.core.models import Person, TimeStampedModel
from pmo.core.querysets import OrganisationQuerySet
from pmo.governance.choices import (
    ActionStatus,
    AssumptionStatus,
    DependencyKind,
    EscalationState,
    IssuePriority,
    IssueSeverity,
    IssueStatus,
    NotificationKind,
    ProximityBand,
    RaidDependencyStatus,
    RegisterLevel,
    RiskKind,
    RiskResponse,
    RiskStatus,
)
from pmo.governance.querysets import ActionItemQuerySet, EscalationQuerySet, NotificationQuerySet, RegisterQuerySet
from pmo.portfolio.choices import RAG
from pmo.portfolio.models import Portfolio, Programme, Project, ProjectDependency


def exactly_one_register(prefix: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        name=f"{prefix}_one_register",
        condition=(
            models.Q(project__isnull=False, programme__isnull=True, portfolio__isnull=True)
            | models.Q(project__isnull=True, programme__isnull=False, portfolio__isnull=True)
            | models.Q(project__isnull=True, programme__isnull=True, portfolio__isnull=False)
        ),
    )


class RegisterRecord(TimeStampedModel):
    """Something on the register of exactly one project, programme or portfolio."""

    project = models.ForeignKey(Project, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    programme = models.ForeignKey(Programme, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    portfolio = models.ForeignKey(Portfolio, null=True, blank=True, on_delete=models.CASCADE, related_name="+")

    class Meta:
        abstract = True

    @property
    def register(self):
        """The project, programme or portfolio whose register this is on."""
        return self.project or self.programme or self.portfolio

    @property
    def level(self) -> str:
        if self.project_id:
            return RegisterLevel.PROJECT
        return RegisterLevel.PROGRAMME if self.programme_id else RegisterLevel.PORTFOLIO

    def clean(self):
        super().clean()
        if sum(1 for pk in (self.project_id, self.programme_id, self.portfolio_id) if pk) != 1:
            raise ValidationError("Put it on exactly one register: a project, a programme or a portfolio.")


class Sourced(models.Model):
    """Where a record came from: any object (a gate condition, a quality review, a risk…)."""

    source_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")

    class Meta:
        abstract = True

    @property
    def source_label(self) -> str:
        if self.source_type_id is None:
            return ""
        source = self.source
        return str(source) if source is not None else f"{self.source_type.name} #{self.source_id} (deleted)"


class ActionItem(RegisterRecord, Sourced):
    """Something a person must do by a date: a response to a risk, a gate condition, a board action."""

    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    owner = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions")
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    completed_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ActionItemQuerySet.as_manager()

    class Meta:
        ordering = ["status", models.F("due_on").asc(nulls_last=True), "id"]
        verbose_name = "action"
        constraints = [
            exactly_one_register("actionitem"),
            models.CheckConstraint(
                name="actionitem_completed_when_done",
                condition=models.Q(status=ActionStatus.DONE) | models.Q(completed_on__isnull=True),
            ),
        ]
        indexes = [models.Index(fields=["status", "due_on"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("governance:action_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == ActionStatus.OPEN

    def is_overdue(self, today) -> bool:
        return self.is_open and self.due_on is not None and self.due_on < today


class Decision(RegisterRecord, Sourced):
    """One entry of a decision log: what was decided, when, by whom and in which body."""

    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    decided_on = models.DateField()
    decided_by = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="decisions")
    body = models.CharField(
        max_length=100, blank=True, help_text="Who decided: project board, programme board, PMO, design authority…"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = RegisterQuerySet.as_manager()

    class Meta:
        ordering = ["-decided_on", "-id"]
        constraints = [exactly_one_register("decision")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("governance:decision_detail", args=[self.pk])


class Notification(models.Model):
    """A message for one user, shown in the application (and sent by email when it was made)."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=20, choices=NotificationKind.choices, default=NotificationKind.OTHER)
    message = models.CharField(max_length=500)
    url = models.CharField(max_length=500, blank=True, help_text="The page to act on, relative to the site.")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.message

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


# --- the RAID registers ---------------------------------------------------------------------


class Singleton(TimeStampedModel):
    """An organisation-wide setting: one row, made with its defaults the first time it is read."""

    class Meta:
        abstract = True

    @classmethod
    def current(cls):
        return cls.objects.get_or_create(pk=1)[0]


def default_probability_labels() -> list[str]:
    return ["Very low", "Low", "Medium", "High", "Very high"]


def default_impact_labels() -> list[str]:
    return ["Very low", "Low", "Medium", "High", "Very high"]


class RiskScale(Singleton):
    """The organisation's scales of probability and impact (1..``levels`` each, with labels) and
    the bands of score (probability x impact) coloured amber and red on the heat map."""

    levels = models.PositiveSmallIntegerField(
        default=5, validators=[MinValueValidator(2), MaxValueValidator(10)], help_text="Steps on each scale."
    )
    probability_labels = models.JSONField(default=default_probability_labels, blank=True)
    impact_labels = models.JSONField(default=default_impact_labels, blank=True)
    amber_from = models.PositiveSmallIntegerField(default=5, help_text="Scores from here are amber.")
    red_from = models.PositiveSmallIntegerField(default=12, help_text="Scores from here are red.")

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = "risk scale"

    def __str__(self) -> str:
        return f"Risk scale 1..{self.levels}"

    def get_absolute_url(self) -> str:
        return reverse("governance:settings")

    def clean(self):
        errors = {}
        for name in ("probability_labels", "impact_labels"):
            labels = getattr(self, name) or []
            if not isinstance(labels, list) or not all(isinstance(label, str) for label in labels):
                errors[name] = "Give the labels as a list of words, one per step."
            elif labels and len(labels) != self.levels:
                errors[name] = f"Give one label per step: {self.levels} labels, not {len(labels)}."
        top = self.levels * self.levels
        if not 1 <= self.amber_from <= top:
            errors["amber_from"] = f"Amber must start at a score from 1 to {top}."
        if not self.amber_from < self.red_from <= top:
            errors["red_from"] = f"Red must start above amber ({self.amber_from}) and at most at {top}."
        if errors:
            raise ValidationError(errors)

    def label(self, kind: str, value: int | None) -> str:
        labels = self.probability_labels if kind == "probability" else self.impact_labels
        if value is None:
            return ""
        if labels and 1 <= value <= len(labels):
            return f"{value} {labels[value - 1]}"
        return str(value)

    def band(self, score: int | None) -> str:
        if score is None:
            return ""
        if score >= self.red_from:
            return RAG.RED
        return RAG.AMBER if score >= self.amber_from else RAG.GREEN


class EscalationRule(Singleton):
    """When a project's risk or issue goes up to its programme (or its portfolio, for a project
    outside any programme): a risk scoring at least ``risk_score``, an issue at least as severe as
    ``issue_severity`` or as urgent as ``issue_priority``. A blank threshold escalates nothing."""

    risk_score = models.PositiveSmallIntegerField(null=True, blank=True, default=15)
    issue_severity = models.CharField(
        max_length=10, choices=IssueSeverity.choices, blank=True, default=IssueSeverity.MAJOR
    )
    issue_priority = models.CharField(
        max_length=10, choices=IssuePriority.choices, blank=True, default=IssuePriority.CRITICAL
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = "escalation rule"

    def __str__(self) -> str:
        return "Escalation thresholds"

    def get_absolute_url(self) -> str:
        return reverse("governance:settings")

    def escalates_risk(self, risk) -> bool:
        return self.risk_score is not None and risk.score is not None and risk.score >= self.risk_score

    def escalates_issue(self, issue) -> bool:
        severities, priorities = IssueSeverity.values, IssuePriority.values
        return bool(
            (self.issue_severity and severities.index(issue.severity) >= severities.index(self.issue_severity))
            or (self.issue_priority and priorities.index(issue.priority) >= priorities.index(self.issue_priority))
        )


class RaidEntry(RegisterRecord):
    """What every RAID entry has: a title, a description, an owner and who raised it when."""

    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    owner = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    raised_on = models.DateField()
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def reference(self) -> str:
        return f"{self.reference_prefix}-{self.pk or 0:04d}"

    def get_absolute_url(self) -> str:
        return reverse(f"governance:{self.kind}_detail", args=[self.pk])


class Risk(RaidEntry):
    """A threat or opportunity: cause, event, effect; scored inherent and residual (after the
    response) as probability x impact on the organisation's scale."""

    kind = "risk"
    reference_prefix = "R"

    nature = models.CharField(max_length=12, choices=RiskKind.choices, default=RiskKind.THREAT)
    category = models.CharField(max_length=60, blank=True)
    cause = models.TextField(blank=True, help_text="Because of …")
    event = models.TextField(blank=True, help_text="… this may happen …")
    effect = models.TextField(blank=True, help_text="… with this effect on the objectives.")
    probability = models.PositiveSmallIntegerField()
    impact = models.PositiveSmallIntegerField()
    score = models.PositiveSmallIntegerField(editable=False)
    proximity_on = models.DateField(null=True, blank=True, help_text="When it could happen, if known.")
    proximity = models.CharField(max_length=10, choices=ProximityBand.choices, blank=True)
    response = models.CharField(max_length=10, choices=RiskResponse.choices, blank=True)
    response_plan = models.TextField(blank=True)
    residual_probability = models.PositiveSmallIntegerField(null=True, blank=True)
    residual_impact = models.PositiveSmallIntegerField(null=True, blank=True)
    residual_score = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    status = models.CharField(max_length=10, choices=RiskStatus.choices, default=RiskStatus.OPEN)
    closed_on = models.DateField(null=True, blank=True)

    objects = RegisterQuerySet.as_manager()

    class Meta:
        ordering = ["status", "-score", "id"]
        constraints = [
            exactly_one_register("risk"),
            models.CheckConstraint(name="risk_score_product", condition=models.Q(score=F("probability") * F("impact"))),
        ]
        indexes = [models.Index(fields=["status", "score"])]

    def save(self, *args, **kwargs):
        self.score = (self.probability or 0) * (self.impact or 0)
        if self.residual_probability and self.residual_impact:
            self.residual_score = self.residual_probability * self.residual_impact
        else:
            self.residual_score = None
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        levels = RiskScale.current().levels
        errors = {}
        for name in ("probability", "impact", "residual_probability", "residual_impact"):
            value = getattr(self, name)
            if value is not None and not 1 <= value <= levels:
                errors[name] = f"On the organisation's scale this goes from 1 to {levels}, not {value}."
        if (self.residual_probability is None) != (self.residual_impact is None):
            errors["residual_impact"] = "Give both the residual probability and the residual impact, or neither."
        threat_responses = {RiskResponse.AVOID, RiskResponse.REDUCE, RiskResponse.TRANSFER, RiskResponse.ACCEPT}
        opportunity_responses = {RiskResponse.EXPLOIT, RiskResponse.SHARE, RiskResponse.ENHANCE, RiskResponse.ACCEPT}
        allowed = threat_responses if self.nature == RiskKind.THREAT else opportunity_responses
        if self.response and self.response not in allowed:
            errors["response"] = (
                f"{RiskResponse(self.response).label} is not a response to a {RiskKind(self.nature).label.lower()}."
            )
        if errors:
            raise ValidationError(errors)
        self.score = (self.probability or 0) * (self.impact or 0)
        if self.residual_probability and self.residual_impact:
            self.residual_score = self.residual_probability * self.residual_impact

    @property
    def is_open(self) -> bool:
        return self.status == RiskStatus.OPEN

    @property
    def proximity_label(self) -> str:
        if self.proximity_on:
            return f"{self.proximity_on:%d %b %Y}"
        return self.get_proximity_display()


class Assumption(RaidEntry):
    """Something taken as true for planning, to be validated by a date."""

    kind = "assumption"
    reference_prefix = "A"

    validate_by = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=AssumptionStatus.choices, default=AssumptionStatus.OPEN)
    validated_on = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True, help_text="How it was checked, and what follows if it is false.")

    objects = RegisterQuerySet.as_manager()

    class Meta:
        ordering = ["status", models.F("validate_by").asc(nulls_last=True), "id"]
        constraints = [exactly_one_register("assumption")]

    @property
    def is_open(self) -> bool:
        return self.status == AssumptionStatus.OPEN


class Issue(RaidEntry):
    """Something that has happened and needs resolving, with its priority and severity."""

    kind = "issue"
    reference_prefix = "I"

    priority = models.CharField(max_length=10, choices=IssuePriority.choices, default=IssuePriority.MEDIUM)
    severity = models.CharField(max_length=10, choices=IssueSeverity.choices, default=IssueSeverity.MODERATE)
    due_on = models.DateField(null=True, blank=True)
    resolution = models.TextField(blank=True)
    status = models.CharField(max_length=12, choices=IssueStatus.choices, default=IssueStatus.OPEN)
    resolved_on = models.DateField(null=True, blank=True)
    risk = models.ForeignKey(
        Risk, null=True, blank=True, on_delete=models.SET_NULL, related_name="issues", help_text="The risk it was."
    )

    objects = RegisterQuerySet.as_manager()

    class Meta:
        ordering = ["status", "-id"]
        constraints = [exactly_one_register("issue")]

    def clean(self):
        super().clean()
        if self.status in (IssueStatus.RESOLVED, IssueStatus.CLOSED) and not (self.resolution or "").strip():
            raise ValidationError({"resolution": "Say how the issue was resolved before resolving or closing it."})

    @property
    def is_open(self) -> bool:
        return self.status in (IssueStatus.OPEN, IssueStatus.IN_PROGRESS)


class Dependency(RaidEntry):
    """What this register needs from elsewhere: another project (an inter-project dependency of
    the portfolio) or a named outside party."""

    kind = "dependency"
    reference_prefix = "D"

    nature = models.CharField(max_length=10, choices=DependencyKind.choices, default=DependencyKind.EXTERNAL)
    project_dependency = models.ForeignKey(
        ProjectDependency, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    party = models.CharField(max_length=200, blank=True, help_text="Who outside delivers it.")
    needed_by = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=RaidDependencyStatus.choices, default=RaidDependencyStatus.OPEN)

    objects = RegisterQuerySet.as_manager()

    class Meta:
        ordering = ["status", models.F("needed_by").asc(nulls_last=True), "id"]
        verbose_name_plural = "dependencies"
        constraints = [exactly_one_register("dependency")]

    def clean(self):
        super().clean()
        if self.nature == DependencyKind.INTERNAL:
            if self.project_dependency_id is None:
                raise ValidationError({"project_dependency": "An internal dependency names the project dependency."})
            if self.party:
                raise ValidationError({"party": "An internal dependency is on another project, not an outside party."})
        else:
            if not (self.party or "").strip():
                raise ValidationError({"party": "Name the outside party this depends on."})
            if self.project_dependency_id is not None:
                raise ValidationError({"project_dependency": "An external dependency names no project dependency."})

    @property
    def is_open(self) -> bool:
        return self.status in (RaidDependencyStatus.OPEN, RaidDependencyStatus.AT_RISK)

    @property
    def counterpart(self) -> str:
        """The other project (for an internal dependency) or the outside party."""
        link = self.project_dependency
        if link is None:
            return self.party
        if self.project_id == link.dependent_id:
            return f"{link.provider} (provides {link.output})"
        if self.project_id == link.provider_id:
            return f"{link.dependent} (needs {link.output})"
        return str(link)


class Escalation(models.Model):
    """A project's risk or issue raised to its programme's register (or its portfolio's), and
    when and why it went down again."""

    risk = models.ForeignKey(Risk, null=True, blank=True, on_delete=models.CASCADE, related_name="escalations")
    issue = models.ForeignKey(Issue, null=True, blank=True, on_delete=models.CASCADE, related_name="escalations")
    programme = models.ForeignKey(Programme, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    portfolio = models.ForeignKey(Portfolio, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    state = models.CharField(max_length=10, choices=EscalationState.choices, default=EscalationState.ACTIVE)
    is_automatic = models.BooleanField(default=False, help_text="Raised by the threshold rather than by a person.")
    reason = models.TextField(blank=True)
    escalated_at = models.DateTimeField()
    escalated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawal_reason = models.TextField(blank=True)

    objects = EscalationQuerySet.as_manager()

    class Meta:
        ordering = ["-escalated_at", "-id"]
        constraints = [
            models.CheckConstraint(
                name="escalation_one_entry",
                condition=models.Q(risk__isnull=False, issue__isnull=True)
                | models.Q(risk__isnull=True, issue__isnull=False),
            ),
            models.CheckConstraint(
                name="escalation_one_target",
                condition=models.Q(programme__isnull=False, portfolio__isnull=True)
                | models.Q(programme__isnull=True, portfolio__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["risk"], condition=models.Q(state=EscalationState.ACTIVE), name="escalation_one_active_risk"
            ),
            models.UniqueConstraint(
                fields=["issue"], condition=models.Q(state=EscalationState.ACTIVE), name="escalation_one_active_issue"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.entry} escalated to {self.target}"

    def get_absolute_url(self) -> str:
        return self.entry.get_absolute_url()

    @property
    def entry(self):
        return self.risk or self.issue

    @property
    def target(self):
        return self.programme or self.portfolio

    @property
    def is_active(self) -> bool:
        return self.state == EscalationState.ACTIVE


class ExposureSnapshot(RegisterRecord):
    """A register's open-risk exposure on one day (the last change of the day wins), for the trend."""

    taken_on = models.DateField()
    open_risks = models.PositiveIntegerField(default=0)
    exposure = models.PositiveIntegerField(default=0, help_text="Sum of the open risks' scores.")
    residual_exposure = models.PositiveIntegerField(default=0, help_text="Sum of residual (else inherent) scores.")
    red = models.PositiveIntegerField(default=0)
    amber = models.PositiveIntegerField(default=0)
    green = models.PositiveIntegerField(default=0)

    objects = RegisterQuerySet.as_manager()

    class Meta:
        ordering = ["taken_on", "id"]
        constraints = [
            exactly_one_register("exposuresnapshot"),
            models.UniqueConstraint(
                fields=["project", "taken_on"], condition=models.Q(project__isnull=False), name="exposure_project_day"
            ),
            models.UniqueConstraint(
                fields=["programme", "taken_on"],
                condition=models.Q(programme__isnull=False),
                name="exposure_programme_day",
            ),
            models.UniqueConstraint(
                fields=["portfolio", "taken_on"],
                condition=models.Q(portfolio__isnull=False),
                name="exposure_portfolio_day",
            ),
        ]

    def __str__(self) -> str:
        return f"Exposure of {self.register} on {self.taken_on}: {self.exposure}"


RAID_MODELS = {model.kind: model for model in (Risk, Assumption, Issue, Dependency)}
