"""The organisation: units, people, PMO offices, role assignments, and the audit trail."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from pmo.core.choices import OfficeKind, PMOStaffRole, Role, ScopeType
from pmo.core.querysets import AuditEventQuerySet, OrganisationQuerySet, RestrictedQuerySet


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class OrganisationUnit(TimeStampedModel):
    """A department, division or team; units form a tree."""

    name = models.CharField(max_length=200)
    code = models.SlugField(max_length=40, unique=True, help_text="Short unique code, e.g. FIN or IT-OPS.")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    is_archived = models.BooleanField(default=False)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("core:unit_detail", args=[self.pk])

    def clean(self):
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk and self.pk is not None:
                raise ValidationError({"parent": "A unit cannot sit inside itself or one of its own sub-units."})
            ancestor = ancestor.parent


class Person(TimeStampedModel):
    """A human the PMO deals with; may or may not have a login."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="person"
    )
    full_name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    job_title = models.CharField(max_length=200, blank=True)
    unit = models.ForeignKey(OrganisationUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="people")
    is_archived = models.BooleanField(default=False)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["full_name"]
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse("core:person_detail", args=[self.pk])


class PMOOffice(TimeStampedModel):
    """A portfolio, programme or project office of the P3O model (M1, M21)."""

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=30, choices=OfficeKind.choices)
    is_permanent = models.BooleanField(
        default=True, help_text="Permanent offices serve the whole organisation; temporary ones a programme or project."
    )
    scope_type = models.CharField(max_length=20, choices=ScopeType.choices, default=ScopeType.ORGANISATION)
    scope_id = models.PositiveBigIntegerField(null=True, blank=True)
    unit = models.ForeignKey(OrganisationUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="offices")
    established_on = models.DateField(null=True, blank=True)
    closes_on = models.DateField(null=True, blank=True)
    mandate = models.TextField(blank=True)
    is_archived = models.BooleanField(default=False)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = "PMO office"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("core:office_detail", args=[self.pk])

    def clean(self):
        errors = {}
        if not self.is_permanent and not self.closes_on:
            errors["closes_on"] = "A temporary office needs the date it closes."
        if self.established_on and self.closes_on and self.closes_on < self.established_on:
            errors["closes_on"] = "An office cannot close before it is established."
        if (self.scope_type == ScopeType.ORGANISATION) != (self.scope_id is None):
            errors["scope_id"] = (
                "Give a scope object for a portfolio, programme or project office, and none for the organisation."
            )
        if errors:
            raise ValidationError(errors)


class OfficeMembership(TimeStampedModel):
    """A person on the staff of a PMO office, with their PMO role there."""

    office = models.ForeignKey(PMOOffice, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="office_memberships")
    staff_role = models.CharField(max_length=30, choices=PMOStaffRole.choices)
    allocation_percent = models.PositiveSmallIntegerField(default=100)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["office", "staff_role", "person"]
        constraints = [
            models.UniqueConstraint(fields=["office", "person", "staff_role"], name="office_membership_unique"),
            models.CheckConstraint(
                condition=models.Q(allocation_percent__gte=1, allocation_percent__lte=100),
                name="office_membership_allocation_percent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_staff_role_display()}, {self.office}"


class RoleAssignmentQuerySet(RestrictedQuerySet):
    def scope_filter(self, grants, action: str):
        return models.Q() if action == "view" else None


class RoleAssignment(TimeStampedModel):
    """A role a person holds across the organisation or inside one portfolio, programme or project.

    The scope is named by type and id rather than by foreign keys because the scoped objects live
    in apps that build on this one; services check the scope exists when they assign.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(max_length=30, choices=Role.choices)
    scope_type = models.CharField(max_length=20, choices=ScopeType.choices, default=ScopeType.ORGANISATION)
    scope_id = models.PositiveBigIntegerField(null=True, blank=True)

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["person", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "role", "scope_type", "scope_id"],
                condition=models.Q(scope_id__isnull=False),
                name="role_assignment_unique_in_scope",
            ),
            models.UniqueConstraint(
                fields=["person", "role"],
                condition=models.Q(scope_id__isnull=True),
                name="role_assignment_unique_organisation",
            ),
            models.CheckConstraint(
                condition=(models.Q(scope_type=ScopeType.ORGANISATION, scope_id__isnull=True))
                | (~models.Q(scope_type=ScopeType.ORGANISATION) & models.Q(scope_id__isnull=False)),
                name="role_assignment_scope_complete",
            ),
        ]
        indexes = [models.Index(fields=["scope_type", "scope_id"])]

    def __str__(self) -> str:
        where = "organisation" if self.scope_type == ScopeType.ORGANISATION else f"{self.scope_type} #{self.scope_id}"
        return f"{self.person}: {self.get_role_display()} ({where})"


class AuditEvent(models.Model):
    """One change to one object, written explicitly by the service that made it."""

    occurred_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    actor_name = models.CharField(max_length=150, blank=True, help_text="Kept if the login is later deleted.")
    action = models.CharField(max_length=60)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=300)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    reason = models.TextField(blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "-occurred_at"])]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_name or 'system'} {self.action} {self.object_repr}"

    def changed_fields(self) -> list[tuple[str, object, object]]:
        """(field, before, after) for each field whose value differs."""
        before, after = self.before or {}, self.after or {}
        return [
            (name, before.get(name), after.get(name))
            for name in sorted(before.keys() | after.keys())
            if before.get(name) != after.get(name)
        ]
