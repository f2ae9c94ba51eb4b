"""Models of highlight reporting (M10): the PMO's reporting policy, each project's highlight
report per period, and the packs that collate a programme's or a portfolio's reports.

A report's ``facts`` are a snapshot of the project's data taken when the report was drafted (and
refreshed while it is a draft): progress, milestones, earned value, RAID, changes and health. Its
narrative and the manager's RAG are the manager's own words. A pack's ``content`` is gathered
from the reports and frozen when the pack is issued, so an issued pack reads the same forever.
"""

from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.urls import reverse

from pmo.core.models import Person, TimeStampedModel
from pmo.health.choices import Dimension
from pmo.portfolio.choices import LifecycleStage
from pmo.portfolio.models import Portfolio, Programme, Project
from pmo.reporting.choices import (
    EDITABLE_STATUSES,
    PackStatus,
    ReportFrequency,
    ReportRAG,
    ReportStatus,
)
from pmo.reporting.periods import period_containing, period_label
from pmo.reporting.querysets import (
    HighlightReportQuerySet,
    ReportingPolicyQuerySet,
    ReportPackQuerySet,
    ReportReminderQuerySet,
)

# Planning, delivery and closing: past initiation and not closed.
DEFAULT_REPORTING_STAGES = [LifecycleStage.PLANNING.value, LifecycleStage.DELIVERY.value, LifecycleStage.CLOSING.value]
DIMENSIONS = [dimension.value for dimension in Dimension]


def default_reporting_stages() -> list[str]:
    return list(DEFAULT_REPORTING_STAGES)


class ReportingPolicy(TimeStampedModel):
    """The organisation's reporting standard (one row): how often projects report, how many days
    after a period's end the report is due, how many days ahead managers are reminded, which
    lifecycle stages report, and from which date reports are owed."""

    frequency = models.CharField(max_length=10, choices=ReportFrequency.choices, default=ReportFrequency.MONTHLY)
    due_days = models.PositiveSmallIntegerField(
        default=5,
        validators=[MaxValueValidator(60)],
        help_text="Days after a period's last day by which its report is due.",
    )
    reminder_days = models.PositiveSmallIntegerField(
        default=2,
        validators=[MaxValueValidator(30)],
        help_text="Days before the due date from which managers are reminded.",
    )
    stages = models.JSONField(
        default=default_reporting_stages,
        blank=True,
        help_text="The lifecycle stages whose projects report.",
    )
    starts_on = models.DateField(
        default=date(2026, 1, 1), help_text="Reports are owed for periods ending on or after this date."
    )
    updated_by = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = ReportingPolicyQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "reporting policies"

    def __str__(self) -> str:
        return f"{self.get_frequency_display()} highlight reports, due {self.due_days} days after the period"

    def get_absolute_url(self) -> str:
        return reverse("reporting:settings")

    def clean(self):
        errors = {}
        stages = self.stages if isinstance(self.stages, list) else None
        if not stages:
            errors["stages"] = "Name at least one lifecycle stage whose projects report."
        elif unknown := sorted(set(stages) - set(LifecycleStage.values)):
            errors["stages"] = f"Unknown stage(s): {', '.join(unknown)}."
        if errors:
            raise ValidationError(errors)

    def period_of(self, day: date) -> tuple[date, date]:
        return period_containing(self.frequency, day)

    def due_on(self, period_end: date) -> date:
        return period_end + timedelta(days=self.due_days)


def _rag_field(label: str) -> models.CharField:
    return models.CharField(label, max_length=10, choices=ReportRAG.choices, default=ReportRAG.GREEN)


def _comment_field(label: str) -> models.TextField:
    return models.TextField(label, blank=True)


class HighlightReport(TimeStampedModel):
    """One project's highlight report for one period."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="highlight_reports")
    period_start = models.DateField()
    period_end = models.DateField()
    frequency = models.CharField(max_length=10, choices=ReportFrequency.choices)
    status = models.CharField(max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    facts = models.JSONField(default=dict, blank=True)
    facts_taken_at = models.DateTimeField(null=True, blank=True)
    # The manager's narrative.
    summary = models.TextField(blank=True, help_text="The project in a few sentences this period.")
    achievements = models.TextField("achievements this period", blank=True)
    next_steps = models.TextField("planned next period", blank=True)
    risks_commentary = models.TextField("issues and risks", blank=True)
    decisions_needed = models.TextField("decisions needed from the board", blank=True)
    # The manager's RAG, initialised from the health check; a comment per dimension.
    rag_overall = _rag_field("overall RAG")
    rag_schedule = _rag_field("schedule RAG")
    rag_cost = _rag_field("cost RAG")
    rag_scope = _rag_field("scope RAG")
    rag_risk = _rag_field("risk RAG")
    rag_resources = _rag_field("resources RAG")
    rag_governance = _rag_field("governance RAG")
    comment_schedule = _comment_field("schedule comment")
    comment_cost = _comment_field("cost comment")
    comment_scope = _comment_field("scope comment")
    comment_risk = _comment_field("risk comment")
    comment_resources = _comment_field("resources comment")
    comment_governance = _comment_field("governance comment")
    rag_justification = models.TextField(
        "why the RAG differs from the health check",
        blank=True,
        help_text="Needed when your RAG differs from the computed health.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_comment = models.TextField(blank=True)

    objects = HighlightReportQuerySet.as_manager()

    class Meta:
        ordering = ["project", "-period_start"]
        indexes = [models.Index(fields=["period_start", "status"])]
        constraints = [
            models.UniqueConstraint(fields=["project", "period_start"], name="highlight_report_one_per_period"),
            models.CheckConstraint(condition=models.Q(period_end__gte=models.F("period_start")), name="report_period"),
        ]

    def __str__(self) -> str:
        return f"Highlight report {self.period_label}"

    def get_absolute_url(self) -> str:
        return reverse("reporting:report_detail", args=[self.pk])

    @property
    def period_label(self) -> str:
        return period_label(self.frequency, self.period_start, self.period_end)

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    def rag_of(self, dimension: str) -> str:
        return getattr(self, f"rag_{Dimension(dimension).value}")

    def comment_of(self, dimension: str) -> str:
        return getattr(self, f"comment_{Dimension(dimension).value}")

    @property
    def dimension_rows(self) -> list[dict]:
        """Each dimension with the manager's RAG, comment and the computed health."""
        health = (self.facts or {}).get("health") or {}
        computed = health.get("dimensions") or {}
        return [
            {
                "dimension": dimension.value,
                "label": dimension.label,
                "rag": self.rag_of(dimension),
                "comment": self.comment_of(dimension),
                "computed": computed.get(dimension.value, ""),
            }
            for dimension in Dimension
        ]

    def clean(self):
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": "The period cannot end before it starts."})


class ReportReminder(models.Model):
    """A reminder sent about one project's report for one period on one day (so the daily task
    never sends the same reminder twice in a day)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    period_start = models.DateField()
    sent_on = models.DateField()
    is_late = models.BooleanField(default=False)

    objects = ReportReminderQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_on", "project"]
        constraints = [
            models.UniqueConstraint(fields=["project", "period_start", "sent_on"], name="report_reminder_once_a_day")
        ]

    def __str__(self) -> str:
        return f"Reminder for {self.project_id} {self.period_start:%Y-%m-%d} on {self.sent_on:%Y-%m-%d}"


class ReportPack(TimeStampedModel):
    """The highlight reports of one programme's (or portfolio's) projects for one period, with a
    summary table; frozen once issued."""

    programme = models.ForeignKey(
        Programme, null=True, blank=True, on_delete=models.CASCADE, related_name="report_packs"
    )
    portfolio = models.ForeignKey(Portfolio, on_delete=models.CASCADE, related_name="report_packs")
    period_start = models.DateField()
    period_end = models.DateField()
    frequency = models.CharField(max_length=10, choices=ReportFrequency.choices)
    title = models.CharField(max_length=200)
    status = models.CharField(max_length=10, choices=PackStatus.choices, default=PackStatus.DRAFT)
    content = models.JSONField(default=dict, blank=True)
    gathered_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    issued_at = models.DateTimeField(null=True, blank=True)

    objects = ReportPackQuerySet.as_manager()

    class Meta:
        ordering = ["-period_start", "portfolio", "programme"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "period_start"],
                condition=models.Q(programme__isnull=False),
                name="report_pack_programme_period",
            ),
            models.UniqueConstraint(
                fields=["portfolio", "period_start"],
                condition=models.Q(programme__isnull=True),
                name="report_pack_portfolio_period",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("reporting:pack_detail", args=[self.pk])

    @property
    def scope(self):
        return self.programme if self.programme_id else self.portfolio

    @property
    def period_label(self) -> str:
        return period_label(self.frequency, self.period_start, self.period_end)

    @property
    def is_issued(self) -> bool:
        return self.status == PackStatus.ISSUED

    def clean(self):
        if self.programme_id and self.portfolio_id and self.programme.portfolio_id != self.portfolio_id:
            raise ValidationError({"programme": "The programme belongs to another portfolio."})
