"""Levelling runs: a scenario of moved activity dates computed in the background, compared with the
current plan, then accepted (the dates are written as levelling delays) or discarded."""

from django.conf import settings
from django.db import models
from django.urls import reverse

from pmo.core.models import TimeStampedModel
from pmo.levelling.choices import Goal, RunState, Scope
from pmo.levelling.querysets import LevellingRunQuerySet
from pmo.planning.models import Activity
from pmo.portfolio.models import Portfolio, Programme, Project


class LevellingRun(TimeStampedModel):
    """One levelling of a project, a programme or a portfolio, and the scenario it produced.

    Time inside a run is counted in working hours (``period_minutes``) from ``origin``: the stored
    ``load`` holds, per resource, its peak load per working day in percent of one person, before
    and after levelling.
    """

    scope = models.CharField(max_length=12, choices=Scope.choices)
    project = models.ForeignKey(Project, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    programme = models.ForeignKey(Programme, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    portfolio = models.ForeignKey(Portfolio, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    projects = models.ManyToManyField(Project, related_name="levelling_runs", blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    level_from = models.DateField(help_text="Nothing moves to before this day; work started by then stays where it is.")
    goal = models.CharField(max_length=20, choices=Goal.choices, default=Goal.MAKESPAN)
    keep_plan = models.BooleanField(default=True, help_text="Second, move as few activities as little as possible.")
    time_limit_seconds = models.PositiveSmallIntegerField(default=10)
    weights = models.JSONField(
        default=dict,
        blank=True,
        help_text="Priority weight per project id (1 when not given), for the least-delay goal.",
    )
    fingerprint = models.CharField(
        max_length=64, blank=True, help_text="The plan it levelled, to refuse a stale accept."
    )
    state = models.CharField(max_length=10, choices=RunState.choices, default=RunState.QUEUED)
    progress = models.JSONField(default=dict, blank=True, help_text="The solver's best so far while it runs.")
    message = models.TextField(blank=True, help_text="Why it failed, or what the solver had to say.")
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    origin = models.DateTimeField(null=True, blank=True, help_text="Period 0: the first working hour levelled.")
    period_minutes = models.PositiveSmallIntegerField(default=60)
    # The solver's answer.
    solver_status = models.CharField(max_length=12, blank=True)
    method = models.CharField(max_length=10, blank=True)
    activities_count = models.PositiveIntegerField(default=0)
    resources_count = models.PositiveIntegerField(default=0)
    objective = models.IntegerField(null=True, blank=True)
    lower_bound = models.IntegerField(null=True, blank=True)
    gap = models.FloatField(null=True, blank=True)
    finish_before = models.DateTimeField(null=True, blank=True)
    finish_after = models.DateTimeField(null=True, blank=True)
    overload_before_hours = models.FloatField(default=0)
    overload_after_hours = models.FloatField(default=0)
    moved_count = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(default=0)
    outcomes = models.JSONField(default=list, blank=True, help_text="Finish and delay per project.")
    load = models.JSONField(default=dict, blank=True, help_text="Daily peak load per resource, before and after.")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = LevellingRunQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                name="levelling_run_scope_target",
                condition=(
                    models.Q(scope=Scope.PROJECT, project__isnull=False)
                    | models.Q(scope=Scope.PROGRAMME, programme__isnull=False)
                    | models.Q(scope=Scope.PORTFOLIO, portfolio__isnull=False)
                    | models.Q(
                        scope=Scope.ORGANISATION, project__isnull=True, programme__isnull=True, portfolio__isnull=True
                    )
                ),
            )
        ]

    def __str__(self) -> str:
        return f"Levelling of {self.target_label}"

    @property
    def target(self):
        """The project, programme or portfolio levelled; None for the whole organisation."""
        return {
            Scope.PROJECT: self.project,
            Scope.PROGRAMME: self.programme,
            Scope.PORTFOLIO: self.portfolio,
            Scope.ORGANISATION: None,
        }[self.scope]

    @property
    def target_label(self) -> str:
        return str(self.target) if self.target is not None else "the whole organisation"

    @property
    def level_url(self) -> str:
        if self.target is None:
            return reverse("levelling:level_organisation")
        return reverse("levelling:level", args=[self.scope, self.target.pk])

    @property
    def is_finished(self) -> bool:
        return self.state not in (RunState.QUEUED, RunState.RUNNING)

    def get_absolute_url(self) -> str:
        return reverse("levelling:run", args=[self.pk])


class LevellingMove(models.Model):
    """An activity's dates in the current plan and in the scenario (one row per levelled activity,
    moved or not, so the comparison and the accepted delays come from the same rows)."""

    run = models.ForeignKey(LevellingRun, on_delete=models.CASCADE, related_name="moves")
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="+")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    start_before = models.DateTimeField(null=True, blank=True)
    finish_before = models.DateTimeField(null=True, blank=True)
    start_after = models.DateTimeField()
    finish_after = models.DateTimeField()
    shift_hours = models.IntegerField(default=0, help_text="Working hours later (negative: earlier) than now.")
    delay_minutes = models.PositiveIntegerField(
        default=0, help_text="The levelling delay that puts the activity at its scenario start."
    )
    is_fixed = models.BooleanField(default=False, help_text="Started or locked: never moved.")

    class Meta:
        ordering = ["run", "-shift_hours", "id"]
        constraints = [models.UniqueConstraint(fields=["run", "activity"], name="levelling_move_unique")]

    def __str__(self) -> str:
        return f"{self.activity} in {self.run}"
