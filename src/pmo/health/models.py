"""Models of project health: the figures of each project per reporting period, and the health
check made from them.

``ProjectSnapshot`` holds one project's named figures (``pmo_engine.metrics.METRICS``) at the end
of one period (a week ending on a Sunday): the earned value core in columns, so dashboards can
sum and chart them in SQL, and every figure in ``figures``. Snapshots are recorded by the daily
task and on demand; the newest per project carries ``is_latest``.

``HealthCheck`` is the judgement made from a snapshot by the health rules: a status per dimension
in columns (so dashboards can count them in SQL), the overall status (the worst dimension), and
``findings``: every rule that was evaluated, with its figure, thresholds and message, so anyone
can see why a project is amber.
"""

from django.db import models
from django.urls import reverse

from pmo.core.models import Person, TimeStampedModel
from pmo.core.querysets import OrganisationQuerySet
from pmo.health.choices import Dimension, HealthStatus
from pmo.health.querysets import HealthCheckQuerySet, ProjectSnapshotQuerySet
from pmo.portfolio.models import Project


class ProjectSnapshot(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="snapshots")
    period_end = models.DateField(help_text="The last day of the period the figures describe (a Sunday).")
    recorded_at = models.DateTimeField(auto_now=True)
    is_latest = models.BooleanField(default=False)
    # The earned value core, in the organisation's currency, cumulative at the period's end; None
    # when the project has no primary baseline yet.
    bac = models.FloatField(null=True, blank=True)
    pv = models.FloatField(null=True, blank=True)
    ev = models.FloatField(null=True, blank=True)
    ac = models.FloatField(null=True, blank=True)
    spi = models.FloatField(null=True, blank=True)
    cpi = models.FloatField(null=True, blank=True)
    # Every named figure of pmo_engine.metrics.METRICS: {name: number or null}.
    figures = models.JSONField(default=dict, blank=True)

    objects = ProjectSnapshotQuerySet.as_manager()

    class Meta:
        ordering = ["project", "-period_end"]
        constraints = [
            models.UniqueConstraint(fields=["project", "period_end"], name="snapshot_one_per_period"),
            models.UniqueConstraint(fields=["project"], condition=models.Q(is_latest=True), name="snapshot_one_latest"),
        ]
        indexes = [models.Index(fields=["period_end"]), models.Index(fields=["is_latest", "project"])]

    def __str__(self) -> str:
        return f"{self.project.code} figures to {self.period_end:%Y-%m-%d}"


class HealthCheck(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="health_checks")
    period_end = models.DateField()
    checked_at = models.DateTimeField(auto_now=True)
    is_latest = models.BooleanField(default=False)
    overall = models.CharField(max_length=12, choices=HealthStatus.choices, default=HealthStatus.NOT_ASSESSED)
    schedule = models.CharField(max_length=12, choices=HealthStatus.choices, default=HealthStatus.NOT_ASSESSED)
    cost = models.CharField(max_length=12, choices=HealthStatus.choices, default=HealthStatus.NOT_ASSESSED)
    scope = models.CharField(max_length=12, choices=HealthStatus.choices, default=HealthStatus.NOT_ASSESSED)
    risk = models.CharField(max_length=12, choices=HealthStatus.choices, default=HealthStatus.NOT_ASSESSED)
    resources = models.CharField(max_length=12, choices=HealthStatus.choices, default=HealthStatus.NOT_ASSESSED)
    governance = models.CharField(max_length=12, choices=HealthStatus.choices, default=HealthStatus.NOT_ASSESSED)
    # Every rule evaluated: [{"rule": code, "dimension": ..., "status": "red"|"amber"|"green"|
    # "not_assessed", "value": number or null, "amber": threshold, "red": threshold,
    # "message": "SPI 0.82 is below 0.85 (red)"}], the ones that fired first.
    findings = models.JSONField(default=list, blank=True)

    objects = HealthCheckQuerySet.as_manager()

    class Meta:
        ordering = ["project", "-period_end"]
        constraints = [
            models.UniqueConstraint(fields=["project", "period_end"], name="health_one_per_period"),
            models.UniqueConstraint(fields=["project"], condition=models.Q(is_latest=True), name="health_one_latest"),
        ]
        indexes = [models.Index(fields=["period_end"]), models.Index(fields=["is_latest", "overall"])]

    def __str__(self) -> str:
        return f"{self.project.code} health to {self.period_end:%Y-%m-%d}: {self.get_overall_display()}"

    def get_absolute_url(self) -> str:
        return reverse("health:project_health", args=[self.project_id])

    def status_of(self, dimension: str) -> str:
        return getattr(self, Dimension(dimension).value)

    @property
    def fired(self) -> list[dict]:
        """The findings that made a dimension amber or red."""
        return [finding for finding in self.findings if finding.get("status") in (HealthStatus.AMBER, HealthStatus.RED)]


class HealthRuleSetting(TimeStampedModel):
    """The PMO's tuning of one health rule of ``pmo_engine.health.RULES``: its thresholds and
    whether it is used. A rule without a row uses the engine's defaults."""

    rule = models.CharField(max_length=40, unique=True)
    enabled = models.BooleanField(default=True)
    amber = models.FloatField(help_text="The figure at which the rule turns amber.")
    red = models.FloatField(help_text="The figure at which the rule turns red.")
    updated_by = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["rule"]

    def __str__(self) -> str:
        return f"Health rule {self.rule}"

    def get_absolute_url(self) -> str:
        return reverse("health:settings")
