"""Choices of change control, configuration management and quality reviews."""

from django.db import models


class ChangeStatus(models.TextChoices):
    """Where a change request stands. Draft → submitted (impact analysed) → approved, rejected or
    deferred → implemented; a request not yet decided may be withdrawn, a deferred one resubmitted."""

    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    DEFERRED = "deferred", "Deferred"
    IMPLEMENTED = "implemented", "Implemented"
    WITHDRAWN = "withdrawn", "Withdrawn"


# The statuses each status may move to, and the statuses whose request may still be edited.
CHANGE_TRANSITIONS: dict[str, frozenset[str]] = {
    ChangeStatus.DRAFT: frozenset({ChangeStatus.SUBMITTED, ChangeStatus.WITHDRAWN}),
    ChangeStatus.SUBMITTED: frozenset(
        {ChangeStatus.APPROVED, ChangeStatus.REJECTED, ChangeStatus.DEFERRED, ChangeStatus.WITHDRAWN}
    ),
    ChangeStatus.DEFERRED: frozenset({ChangeStatus.SUBMITTED, ChangeStatus.WITHDRAWN}),
    ChangeStatus.APPROVED: frozenset({ChangeStatus.IMPLEMENTED}),
    ChangeStatus.REJECTED: frozenset(),
    ChangeStatus.IMPLEMENTED: frozenset(),
    ChangeStatus.WITHDRAWN: frozenset(),
}
EDITABLE_STATUSES = frozenset({ChangeStatus.DRAFT, ChangeStatus.DEFERRED})
OPEN_STATUSES = frozenset({ChangeStatus.DRAFT, ChangeStatus.SUBMITTED, ChangeStatus.DEFERRED})


class RiskLevel(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class Board(models.TextChoices):
    """The body that decides a change: the project board within its limits, the programme board above."""

    PROJECT_BOARD = "project_board", "Project board"
    PROGRAMME_BOARD = "programme_board", "Programme board"


class ConfigurationItemKind(models.TextChoices):
    PRODUCT = "product", "Product"
    DELIVERABLE = "deliverable", "Deliverable"
    DOCUMENT = "document", "Document"
    SOFTWARE = "software", "Software"
    HARDWARE = "hardware", "Hardware"
    SERVICE = "service", "Service"
    OTHER = "other", "Other"


class ConfigurationItemStatus(models.TextChoices):
    IN_DEVELOPMENT = "in_development", "In development"
    UNDER_REVIEW = "under_review", "Under review"
    APPROVED = "approved", "Approved"
    BASELINED = "baselined", "Baselined"
    WITHDRAWN = "withdrawn", "Withdrawn"


class ReviewResult(models.TextChoices):
    PENDING = "pending", "Not reviewed yet"
    PASSED = "passed", "Passed"
    PASSED_WITH_ACTIONS = "passed_with_actions", "Passed with actions"
    FAILED = "failed", "Failed"


class CriterionOutcome(models.TextChoices):
    PENDING = "pending", "Not assessed"
    PASS = "pass", "Pass"
    FAIL = "fail", "Fail"
    NOT_APPLICABLE = "na", "Not applicable"
