"""Strategic objectives and the portfolio -> programme -> project hierarchy (M1, M4, M6)."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse

from pmo.core.models import Person, TimeStampedModel
from pmo.portfolio.choices import RAG, DependencyStatus, LifecycleStage
from pmo.portfolio.querysets import (
    PortfolioQuerySet,
    ProgrammeQuerySet,
    ProjectDependencyQuerySet,
    ProjectQuerySet,
    ProjectRelatedQuerySet,
    StrategicObjectiveQuerySet,
)

code_validator = RegexValidator(
    r"^[A-Z0-9][A-Z0-9_-]{0,29}$", "Use 1 to 30 capital letters, digits, '-' or '_', starting with a letter or digit."
)


class StrategicObjective(TimeStampedModel):
    """An objective of the organisation that projects serve, with its relative weight."""

    code = models.CharField(max_length=30, unique=True, validators=[code_validator])
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    weight = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=Decimal("1.00"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        help_text="Relative importance against the other objectives (0-100).",
    )
    owner = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="objectives_owned")
    active_from = models.DateField()
    active_to = models.DateField(null=True, blank=True)
    is_archived = models.BooleanField(default=False)

    objects = StrategicObjectiveQuerySet.as_manager()

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("portfolio:objective_detail", args=[self.pk])

    def clean(self):
        if self.active_from and self.active_to and self.active_to < self.active_from:
            raise ValidationError({"active_to": "The active period cannot end before it starts."})


class Portfolio(TimeStampedModel):
    code = models.CharField(max_length=30, unique=True, validators=[code_validator])
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    manager = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="portfolios_managed"
    )
    is_archived = models.BooleanField(default=False)

    objects = PortfolioQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("portfolio:portfolio_detail", args=[self.pk])


class Programme(TimeStampedModel):
    portfolio = models.ForeignKey(Portfolio, on_delete=models.PROTECT, related_name="programmes")
    code = models.CharField(max_length=30, unique=True, validators=[code_validator])
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    manager = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="programmes_managed"
    )
    sro = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="programmes_sponsored",
        verbose_name="SRO",
        help_text="Senior responsible owner.",
    )
    is_archived = models.BooleanField(default=False)

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("portfolio:programme_detail", args=[self.pk])


class Project(TimeStampedModel):
    portfolio = models.ForeignKey(Portfolio, on_delete=models.PROTECT, related_name="projects")
    programme = models.ForeignKey(
        Programme,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
        help_text="Leave empty for a project that stands outside any programme.",
    )
    code = models.CharField(max_length=30, unique=True, validators=[code_validator])
    name = models.CharField(max_length=200)
    scope_statement = models.TextField(blank=True)
    sro = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects_sponsored",
        verbose_name="SRO",
        help_text="Senior responsible owner.",
    )
    manager = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="projects_managed"
    )
    stage = models.CharField(max_length=20, choices=LifecycleStage.choices, default=LifecycleStage.PROPOSED)
    planned_start = models.DateField(null=True, blank=True)
    planned_finish = models.DateField(null=True, blank=True)
    budget = models.DecimalField(
        max_digits=14, decimal_places=2, default=Decimal("0"), validators=[MinValueValidator(Decimal("0"))]
    )
    rag = models.CharField("RAG", max_length=10, choices=RAG.choices, default=RAG.GREEN)
    objectives = models.ManyToManyField(
        StrategicObjective, through="ProjectObjective", related_name="projects", blank=True
    )
    is_archived = models.BooleanField(default=False)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        indexes = [models.Index(fields=["stage"]), models.Index(fields=["portfolio", "programme"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(budget__gte=0), name="project_budget_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("portfolio:project_detail", args=[self.pk])

    def clean(self):
        errors = {}
        if self.planned_start and self.planned_finish and self.planned_finish < self.planned_start:
            errors["planned_finish"] = "The planned finish cannot be before the planned start."
        if self.programme_id and self.portfolio_id and self.programme.portfolio_id != self.portfolio_id:
            errors["programme"] = "The programme belongs to another portfolio."
        if errors:
            raise ValidationError(errors)


class ProjectObjective(models.Model):
    """How much a project contributes to one strategic objective."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="objective_links")
    objective = models.ForeignKey(StrategicObjective, on_delete=models.PROTECT, related_name="project_links")
    contribution_weight = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=Decimal("1.00"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        help_text="Share of the project's value that goes to this objective (0-100).",
    )

    objects = ProjectRelatedQuerySet.as_manager()

    class Meta:
        ordering = ["objective__code"]
        constraints = [models.UniqueConstraint(fields=["project", "objective"], name="project_objective_unique")]

    def __str__(self) -> str:
        return f"{self.project.code} -> {self.objective.code} ({self.contribution_weight})"


class ProjectDependency(TimeStampedModel):
    """One project (dependent) needs an output of another (provider) by a date (M6)."""

    dependent = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="dependencies_in")
    provider = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="dependencies_out")
    output = models.CharField(max_length=200, help_text="What the dependent project needs from the provider.")
    needed_by = models.DateField()
    status = models.CharField(max_length=20, choices=DependencyStatus.choices, default=DependencyStatus.OPEN)
    notes = models.TextField(blank=True)

    objects = ProjectDependencyQuerySet.as_manager()

    class Meta:
        ordering = ["needed_by", "id"]
        verbose_name_plural = "project dependencies"
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(dependent=models.F("provider")), name="project_dependency_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dependent.code} needs {self.output} from {self.provider.code}"

    def get_absolute_url(self) -> str:
        return reverse("portfolio:dependency_detail", args=[self.pk])

    def clean(self):
        if self.dependent_id and self.dependent_id == self.provider_id:
            raise ValidationError({"provider": "A project cannot depend on itself."})
