"""Choices of governance: actions, notifications, the RAID registers and escalation."""

from django.db import models


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"


class NotificationKind(models.TextChoices):
    APPROVAL = "approval", "Approval waiting"
    ACTION_DUE = "action_due", "Action due"
    ESCALATION = "escalation", "Escalation"
    GATE_DECISION = "gate_decision", "Gate decision"
    CHANGE_DECISION = "change_decision", "Change decision"
    OTHER = "other", "Other"


class RegisterLevel(models.TextChoices):
    """Whose register a RAID entry, action or decision sits on."""

    PROJECT = "project", "Project"
    PROGRAMME = "programme", "Programme"
    PORTFOLIO = "portfolio", "Portfolio"


class RiskKind(models.TextChoices):
    THREAT = "threat", "Threat"
    OPPORTUNITY = "opportunity", "Opportunity"


class RiskResponse(models.TextChoices):
    """Response strategies: the first four for threats, the last three for opportunities."""

    AVOID = "avoid", "Avoid"
    REDUCE = "reduce", "Reduce"
    TRANSFER = "transfer", "Transfer"
    ACCEPT = "accept", "Accept"
    EXPLOIT = "exploit", "Exploit"
    SHARE = "share", "Share"
    ENHANCE = "enhance", "Enhance"


class RiskStatus(models.TextChoices):
    OPEN = "open", "Open"
    OCCURRED = "occurred", "Occurred (now an issue)"
    CLOSED = "closed", "Closed"


class ProximityBand(models.TextChoices):
    """How soon a risk could happen, when no date is known."""

    IMMINENT = "imminent", "Imminent (within a month)"
    SHORT = "short", "Within three months"
    MEDIUM = "medium", "Within six months"
    LONG = "long", "Beyond six months"


class AssumptionStatus(models.TextChoices):
    OPEN = "open", "Not yet validated"
    VALID = "valid", "Validated"
    INVALID = "invalid", "Proved false"


class IssuePriority(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"
    CRITICAL = "critical", "Critical"


class IssueSeverity(models.TextChoices):
    MINOR = "minor", "Minor"
    MODERATE = "moderate", "Moderate"
    MAJOR = "major", "Major"
    SEVERE = "severe", "Severe"


class IssueStatus(models.TextChoices):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    RESOLVED = "resolved", "Resolved"
    CLOSED = "closed", "Closed"


class DependencyKind(models.TextChoices):
    INTERNAL = "internal", "Internal (another project)"
    EXTERNAL = "external", "External (a named party)"


class RaidDependencyStatus(models.TextChoices):
    OPEN = "open", "Open"
    AT_RISK = "at_risk", "At risk"
    MET = "met", "Met"
    BROKEN = "broken", "Broken"
    CLOSED = "closed", "Closed"


class EscalationState(models.TextChoices):
    ACTIVE = "active", "Escalated"
    WITHDRAWN = "withdrawn", "De-escalated"
