"""Models of the KPI app: the PMO's KPI definitions, their measurements per period, and the
corrective actions recommended when a measurement shows a pattern.

A ``KPI`` is a formula over the named figures of ``pmo_engine.metrics.METRICS`` (``ev / ac``,
``percent(milestones_late, milestones_due)``), judged against a target and amber and red
thresholds in a direction (higher or lower is better). It applies at one level (projects,
programmes or portfolios): to every one of that level, or to one named project, programme or
portfolio.

A ``Measurement`` is the KPI's value for one target (exactly one project, programme or portfolio)
at the end of one period (a Sunday, as the project snapshots it comes from), with its status and
the patterns found at that point (``flags``). A ``Recommendation`` is a corrective action proposed
by a rule of ``pmo_engine.kpi.RULES``; the PMO accepts it into an action on the target's register
or dismisses it with a reason.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from pmo.core.models import Person, TimeStampedModel
from pmo.kpis.choices import (
    Direction,
    Frequency,
    KPILevel,
    MeasurementSource,
    MeasurementStatus,
    RecommendationStatus,
)
from pmo.kpis.querysets import KPIQuerySet, MeasurementQuerySet, RecommendationQuerySet
from pmo.portfolio.models import Portfolio, Programme, Project


def exactly_one_target(prefix: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        name=f"{prefix}_one_target",
        condition=(
            models.Q(project__isnull=False, programme__isnull=True, portfolio__isnull=True)
            | models.Q(project__isnull=True, programme__isnull=False, portfolio__isnull=True)
            | models.Q(project__isnull=True, programme__isnull=True, portfolio__isnull=False)
        ),
    )


class Targeted(models.Model):
    """Something about exactly one project, programme or portfolio (its target)."""

    project = models.ForeignKey(Project, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    programme = models.ForeignKey(Programme, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    portfolio = models.ForeignKey(Portfolio, null=True, blank=True, on_delete=models.CASCADE, related_name="+")

    class Meta:
        abstract = True

    @property
    def target(self):
        return self.project or self.programme or self.portfolio

    @property
    def level(self) -> str:
        if self.project_id:
            return KPILevel.PROJECT
        return KPILevel.PROGRAMME if self.programme_id else KPILevel.PORTFOLIO

    @property
    def target_id(self) -> int:
        return self.project_id or self.programme_id or self.portfolio_id


class KPI(TimeStampedModel):
    code = models.SlugField(max_length=40, unique=True, help_text="Short unique code, e.g. CPI or MS-ON-TIME.")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    level = models.CharField(max_length=10, choices=KPILevel.choices, default=KPILevel.PROJECT)
    # All three empty: every project, programme or portfolio of the level; else the one named.
    project = models.ForeignKey(Project, null=True, blank=True, on_delete=models.CASCADE, related_name="kpis")
    programme = models.ForeignKey(Programme, null=True, blank=True, on_delete=models.CASCADE, related_name="kpis")
    portfolio = models.ForeignKey(Portfolio, null=True, blank=True, on_delete=models.CASCADE, related_name="kpis")
    formula = models.CharField(
        max_length=500, help_text="An expression over the named figures, e.g. ev / ac or percent(ac, bac)."
    )
    unit = models.CharField(max_length=20, blank=True, help_text="How the value reads: ratio, %, count, days...")
    target = models.FloatField(help_text="The value aimed for.")
    amber = models.FloatField(null=True, blank=True, help_text="Worse than this is amber (empty: the target).")
    red = models.FloatField(null=True, blank=True, help_text="Worse than this is red (empty: never red).")
    direction = models.CharField(max_length=6, choices=Direction.choices, default=Direction.HIGHER)
    frequency = models.CharField(max_length=8, choices=Frequency.choices, default=Frequency.WEEKLY)
    owner = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="kpis")
    is_active = models.BooleanField(default=True, help_text="Only active KPIs are measured.")

    objects = KPIQuerySet.as_manager()

    class Meta:
        ordering = ["level", "code"]
        verbose_name = "KPI"
        verbose_name_plural = "KPIs"
        constraints = [
            models.CheckConstraint(
                name="kpi_at_most_one_scope",
                condition=(
                    models.Q(programme__isnull=True, portfolio__isnull=True)
                    | models.Q(project__isnull=True, portfolio__isnull=True)
                    | models.Q(project__isnull=True, programme__isnull=True)
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("kpis:kpi_detail", args=[self.pk])

    @property
    def scope_object(self):
        """The one project, programme or portfolio the KPI is for; None when for every one."""
        return self.project or self.programme or self.portfolio

    @property
    def scope_label(self) -> str:
        named = self.scope_object
        if named is None:
            return f"every {self.get_level_display().lower()}"
        return f"{self.get_level_display().lower()} {named.code}"

    def clean(self):
        super().clean()
        named = {"project": self.project_id, "programme": self.programme_id, "portfolio": self.portfolio_id}
        chosen = [name for name, pk in named.items() if pk]
        if len(chosen) > 1:
            raise ValidationError("Name at most one project, programme or portfolio for the KPI.")
        if chosen and chosen[0] != self.level:
            raise ValidationError(
                {chosen[0]: [f"A {self.get_level_display().lower()} KPI names a {self.level}, not a {chosen[0]}."]}
            )

    def applies_to(self, target) -> bool:
        """Whether ``target`` (a project, programme or portfolio) is measured by this KPI."""
        if target is None or target._meta.model_name != self.level:
            return False
        named = self.scope_object
        return named is None or named.pk == target.pk


class Measurement(Targeted):
    kpi = models.ForeignKey(KPI, on_delete=models.CASCADE, related_name="measurements")
    period_end = models.DateField(help_text="The last day of the period measured (a Sunday).")
    value = models.FloatField()
    status = models.CharField(max_length=12, choices=MeasurementStatus.choices, default=MeasurementStatus.NOT_ASSESSED)
    source = models.CharField(max_length=10, choices=MeasurementSource.choices, default=MeasurementSource.SCHEDULED)
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)
    # The patterns found at this point: [{"code", "message", "since", "evidence"}] (pmo_engine.kpi).
    flags = models.JSONField(default=list, blank=True)

    objects = MeasurementQuerySet.as_manager()

    class Meta:
        ordering = ["kpi", "-period_end"]
        constraints = [
            exactly_one_target("measurement"),
            models.UniqueConstraint(
                fields=["kpi", "project", "period_end"],
                condition=models.Q(project__isnull=False),
                name="measurement_one_per_project_period",
            ),
            models.UniqueConstraint(
                fields=["kpi", "programme", "period_end"],
                condition=models.Q(programme__isnull=False),
                name="measurement_one_per_programme_period",
            ),
            models.UniqueConstraint(
                fields=["kpi", "portfolio", "period_end"],
                condition=models.Q(portfolio__isnull=False),
                name="measurement_one_per_portfolio_period",
            ),
        ]
        indexes = [models.Index(fields=["period_end"])]

    def __str__(self) -> str:
        return f"{self.kpi.code} of {self.target.code} to {self.period_end:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("kpis:kpi_detail", args=[self.kpi_id])


class Recommendation(Targeted, TimeStampedModel):
    kpi = models.ForeignKey(KPI, on_delete=models.CASCADE, related_name="recommendations")
    measurement = models.ForeignKey(
        Measurement, null=True, blank=True, on_delete=models.SET_NULL, related_name="recommendations"
    )
    rule = models.CharField(max_length=40, help_text="The rule of the recommendation table that proposed it.")
    since = models.DateField(help_text="When the pattern began: the same pattern is proposed once.")
    evidence = models.CharField(max_length=300, blank=True)
    text = models.TextField()
    rationale = models.TextField(blank=True)
    status = models.CharField(
        max_length=10, choices=RecommendationStatus.choices, default=RecommendationStatus.PROPOSED
    )
    action = models.ForeignKey(
        "governance.ActionItem", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)

    objects = RecommendationQuerySet.as_manager()

    class Meta:
        ordering = ["status", "-since", "id"]
        constraints = [exactly_one_target("recommendation")]
        indexes = [models.Index(fields=["status", "kpi"])]

    def __str__(self) -> str:
        return f"{self.kpi.code} on {self.target.code}: {self.rule}"

    def get_absolute_url(self) -> str:
        return reverse("kpis:recommendation_list") + f"?kpi={self.kpi_id}"
