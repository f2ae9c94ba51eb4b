from django.db import models


class ResourceKind(models.TextChoices):
    """A named person, or a generic role that stands for work nobody is named for yet."""

    PERSON = "person", "Named person"
    ROLE = "role", "Generic role"


class EmploymentType(models.TextChoices):
    """Values as in the engine (``pmo_engine.capacity.EmploymentType``)."""

    PERMANENT = "permanent", "Permanent"
    CONTINGENT = "contingent", "Contingent (contractor, agency, fixed term)"


class AbsenceKind(models.TextChoices):
    LEAVE = "leave", "Annual leave"
    SICKNESS = "sickness", "Sickness"
    TRAINING = "training", "Training"
    PUBLIC_HOLIDAY = "public_holiday", "Public holiday"
    OTHER = "other", "Other absence"


class PeriodKind(models.TextChoices):
    """Values as in the engine (``pmo_engine.capacity.PeriodKind``)."""

    WEEK = "week", "Week"
    MONTH = "month", "Month"


class NonProjectCategory(models.TextChoices):
    """Time on a timesheet that is not spent on a project."""

    LEAVE = "leave", "Leave"
    SICKNESS = "sickness", "Sickness"
    ADMIN = "admin", "Administration"
    TRAINING = "training", "Training"
    OTHER = "other", "Other non-project time"


class TimesheetStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"


class ApprovalStatus(models.TextChoices):
    PENDING = "pending", "Waiting"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"


class TrainingStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"


class ProposalStatus(models.TextChoices):
    OPEN = "open", "Open"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"
    STALE = "stale", "Out of date"


PROFICIENCY_LEVELS = [
    (1, "1 Novice"),
    (2, "2 Advanced beginner"),
    (3, "3 Competent"),
    (4, "4 Proficient"),
    (5, "5 Expert"),
]
