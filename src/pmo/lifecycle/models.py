"""Models of lifecycle and charter: the PMO charter and model, terms of reference, standards, and
stage gates (criteria, reviews, their checklists with evidence, and the approvers' decisions)."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse

from pmo.core.models import TimeStampedModel
from pmo.lifecycle.choices import (
    APPROVED_STATUSES,
    FINAL_STATUSES,
    GATE_STAGE_CHOICES,
    ApproverRole,
    EvidenceKind,
    GateDecision,
    PMOModel,
    ReviewStatus,
    StandardStatus,
    VersionStatus,
    gate_label,
)
from pmo.lifecycle.querysets import (
    GateCriterionQuerySet,
    GateReviewQuerySet,
    PMOCharterQuerySet,
    ReviewPartQuerySet,
    StandardQuerySet,
    TermsOfReferenceQuerySet,
)
from pmo.portfolio.choices import LifecycleStage
from pmo.portfolio.models import Project

MONEY = {"max_digits": 14, "decimal_places": 2, "default": Decimal("0"), "validators": [MinValueValidator(0)]}


class VersionedDocument(TimeStampedModel):
    """A governance document kept as numbered versions: a draft is edited, a published version is
    frozen, and the next draft starts as a copy of the latest version."""

    version = models.PositiveIntegerField()
    status = models.CharField(max_length=12, choices=VersionStatus.choices, default=VersionStatus.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        abstract = True

    @property
    def is_draft(self) -> bool:
        return self.status == VersionStatus.DRAFT


class PMOCharter(VersionedDocument):
    """One version of the PMO charter (M2): what the PMO is for, its authority, reporting lines,
    resources and budget, and the PMO model the organisation chose (M1). The model in force is the
    latest published version's."""

    CONTENT_FIELDS = ("purpose", "authority", "reporting_lines", "resources", "budget", "pmo_model")

    purpose = models.TextField("Purpose and scope", blank=True)
    authority = models.TextField(blank=True, help_text="What the PMO may decide, and on whose behalf.")
    reporting_lines = models.TextField(blank=True, help_text="To whom the PMO reports, and who reports to it.")
    resources = models.TextField(blank=True, help_text="The PMO's staff and tools.")
    budget = models.DecimalField(**MONEY, help_text="The PMO's own yearly budget.")
    pmo_model = models.CharField("PMO model", max_length=12, choices=PMOModel.choices, default=PMOModel.SUPPORTIVE)

    objects = PMOCharterQuerySet.as_manager()

    class Meta:
        ordering = ["-version"]
        verbose_name = "PMO charter"
        constraints = [models.UniqueConstraint(fields=["version"], name="pmo_charter_version_unique")]

    def __str__(self) -> str:
        return f"PMO charter v{self.version} ({self.get_status_display().lower()})"

    def get_absolute_url(self) -> str:
        return reverse("lifecycle:charter_detail", args=[self.pk])


class TermsOfReference(VersionedDocument):
    """One version of a project's terms of reference (M2), edited by its project manager."""

    CONTENT_FIELDS = (
        "objectives",
        "scope",
        "deliverables",
        "authority",
        "governance",
        "resources",
        "budget",
    )

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="terms_of_reference")
    objectives = models.TextField(blank=True)
    scope = models.TextField(blank=True)
    deliverables = models.TextField(blank=True)
    authority = models.TextField("Authority and tolerances", blank=True)
    governance = models.TextField("Governance and reporting lines", blank=True)
    resources = models.TextField(blank=True)
    budget = models.DecimalField(**MONEY)

    objects = TermsOfReferenceQuerySet.as_manager()

    class Meta:
        ordering = ["project", "-version"]
        verbose_name = "terms of reference"
        verbose_name_plural = "terms of reference"
        constraints = [models.UniqueConstraint(fields=["project", "version"], name="terms_of_reference_version")]

    def __str__(self) -> str:
        return f"Terms of reference of {self.project.code} v{self.version}"

    def get_absolute_url(self) -> str:
        return reverse("lifecycle:terms_detail", args=[self.pk])


class Standard(TimeStampedModel):
    """A method, template or piece of tailoring guidance the PMO publishes (M20)."""

    title = models.CharField(max_length=200)
    body = models.TextField(blank=True, help_text="Plain text or markdown; shown as text.")
    version = models.CharField(max_length=20, default="1.0")
    status = models.CharField(max_length=12, choices=StandardStatus.choices, default=StandardStatus.DRAFT)
    applies_to = models.CharField(
        max_length=300,
        blank=True,
        help_text="The kinds of project it applies to, separated by commas (e.g. IT, construction); empty for all.",
    )
    published_at = models.DateTimeField(null=True, blank=True)

    objects = StandardQuerySet.as_manager()

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"

    def get_absolute_url(self) -> str:
        return reverse("lifecycle:standard_detail", args=[self.pk])

    @property
    def project_types(self) -> list[str]:
        return [tag for tag in self.applies_to.split(",") if tag]

    def clean(self):
        tags = []
        for given in self.applies_to.split(","):
            tag = " ".join(given.split()).lower()
            if tag and tag not in tags:
                tags.append(tag)
        self.applies_to = ",".join(tags)


class GateCriterion(TimeStampedModel):
    """One question of the checklist of the gate into a stage, kept by the PMO; each review copies
    the criteria of its gate when it opens."""

    stage = models.CharField(
        max_length=20, choices=GATE_STAGE_CHOICES, help_text="The stage this gate lets a project enter."
    )
    text = models.CharField(max_length=300)
    evidence_required = models.BooleanField(default=True)
    evidence_kind = models.CharField(max_length=10, choices=EvidenceKind.choices, default=EvidenceKind.DOCUMENT)
    order = models.PositiveSmallIntegerField(default=0)
    is_archived = models.BooleanField(default=False)

    objects = GateCriterionQuerySet.as_manager()

    class Meta:
        ordering = ["stage", "order", "id"]
        verbose_name_plural = "gate criteria"

    def __str__(self) -> str:
        return f"{LifecycleStage(self.stage).label}: {self.text}"

    def get_absolute_url(self) -> str:
        return reverse("lifecycle:criterion_detail", args=[self.pk])


class GateReview(TimeStampedModel):
    """The review of a project at the gate of one move (from -> to stage)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="gate_reviews")
    from_stage = models.CharField(max_length=20, choices=LifecycleStage.choices)
    to_stage = models.CharField(max_length=20, choices=LifecycleStage.choices)
    pmo_model = models.CharField(
        "PMO model", max_length=12, choices=PMOModel.choices, help_text="The model in force when it opened."
    )
    status = models.CharField(max_length=30, choices=ReviewStatus.choices, default=ReviewStatus.OPEN)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = GateReviewQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["project", "to_stage", "status"])]

    def __str__(self) -> str:
        return f"Gate {self.label} of {self.project.code}"

    def get_absolute_url(self) -> str:
        return reverse("lifecycle:review_detail", args=[self.pk])

    @property
    def label(self) -> str:
        return gate_label(self.from_stage, self.to_stage)

    @property
    def is_approved(self) -> bool:
        return self.status in APPROVED_STATUSES

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_STATUSES


class GateCheckItem(TimeStampedModel):
    """One criterion of a review's checklist, with its evidence: a link, a stored document (its
    name in Django's storage), or a figure with its unit."""

    review = models.ForeignKey(GateReview, on_delete=models.CASCADE, related_name="items")
    criterion = models.ForeignKey(GateCriterion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    text = models.CharField(max_length=300)
    evidence_required = models.BooleanField(default=True)
    evidence_kind = models.CharField(max_length=10, choices=EvidenceKind.choices, default=EvidenceKind.DOCUMENT)
    order = models.PositiveSmallIntegerField(default=0)
    evidence_url = models.URLField("Link", max_length=500, blank=True)
    evidence_document = models.CharField(max_length=300, blank=True, help_text="The document's name in storage.")
    evidence_figure = models.DecimalField("Figure", max_digits=16, decimal_places=2, null=True, blank=True)
    evidence_unit = models.CharField("Unit", max_length=30, blank=True)
    evidence_note = models.TextField("Note", blank=True)
    evidenced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    evidenced_at = models.DateTimeField(null=True, blank=True)

    objects = ReviewPartQuerySet.as_manager()

    class Meta:
        ordering = ["review", "order", "id"]

    def __str__(self) -> str:
        return self.text

    def get_absolute_url(self) -> str:
        return reverse("lifecycle:review_detail", args=[self.review_id]) + f"#item-{self.pk}"

    @property
    def has_evidence(self) -> bool:
        return bool(self.evidence_url or self.evidence_document or self.evidence_figure is not None)

    @property
    def document_name(self) -> str:
        return self.evidence_document.rsplit("/", 1)[-1]

    def clean(self):
        if self.evidence_figure is not None and not self.evidence_unit:
            raise ValidationError({"evidence_unit": "Give the figure's unit (EUR, days, %...)."})


class GateApproval(TimeStampedModel):
    """One approver's decision on a review, for one of the approvals the gate needs."""

    review = models.ForeignKey(GateReview, on_delete=models.CASCADE, related_name="approvals")
    role = models.CharField(max_length=12, choices=ApproverRole.choices)
    approver = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(max_length=20, choices=GateDecision.choices)
    comment = models.TextField(blank=True)
    conditions = models.TextField(blank=True, help_text="One condition a line; each becomes an action.")

    objects = ReviewPartQuerySet.as_manager()

    class Meta:
        ordering = ["review", "role"]
        constraints = [models.UniqueConstraint(fields=["review", "role"], name="gate_approval_one_per_role")]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.get_decision_display()}"

    def get_absolute_url(self) -> str:
        return reverse("lifecycle:review_detail", args=[self.review_id])

    @property
    def condition_lines(self) -> list[str]:
        return [line.strip() for line in self.conditions.splitlines() if line.strip()]
