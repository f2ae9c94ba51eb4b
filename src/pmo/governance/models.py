"""Models of governance: actions, the decision log, notifications (and the RAID registers).

Every register record sits on exactly one project, programme or portfolio (``RegisterRecord``);
it may also point at the object it came from (a gate condition, a quality review, a risk…)
through a generic ``source``.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from pmo.core.models import Person, TimeStampedModel
from pmo.governance.choices import ActionStatus, NotificationKind, RegisterLevel
from pmo.governance.querysets import ActionItemQuerySet, NotificationQuerySet, RegisterQuerySet
from pmo.portfolio.models import Portfolio, Programme, Project


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
