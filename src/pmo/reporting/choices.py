"""Choices of highlight reporting: how often projects report, where a report stands in its flow,
and where a report pack stands."""

from django.db import models


class ReportFrequency(models.TextChoices):
    """How long a reporting period is: a week (Monday to Sunday, as the project snapshots) or a
    calendar month."""

    WEEKLY = "weekly", "Weekly"
    MONTHLY = "monthly", "Monthly"


class ReportStatus(models.TextChoices):
    """Draft → submitted → approved, or returned to the manager with a comment and submitted again."""

    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    RETURNED = "returned", "Returned"
    APPROVED = "approved", "Approved"


# The statuses in which the manager may still write the report and refresh its figures.
EDITABLE_STATUSES = frozenset({ReportStatus.DRAFT, ReportStatus.RETURNED})
# The statuses that count as "the report was sent": a period with one of these is not missing.
SENT_STATUSES = frozenset({ReportStatus.SUBMITTED, ReportStatus.APPROVED})


class ReportRAG(models.TextChoices):
    """The manager's judgement of the project, overall and per dimension."""

    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"


class PackStatus(models.TextChoices):
    """A pack is gathered again while it is a draft; once issued its content is frozen."""

    DRAFT = "draft", "Draft"
    ISSUED = "issued", "Issued"
