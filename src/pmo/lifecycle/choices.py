"""Choices of the lifecycle app: the PMO model, versions, standards, gates and their decisions."""

from django.db import models

from pmo.portfolio.choices import LifecycleStage


class PMOModel(models.TextChoices):
    """How much authority the PMO holds over projects (M1): the organisation's choice, recorded in
    the charter."""

    SUPPORTIVE = "supportive", "Supportive: gates advise and record"
    CONTROLLING = "controlling", "Controlling: no next stage before an approved gate"
    DIRECTIVE = "directive", "Directive: the PMO head approves too, and may stop projects"


class VersionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class StandardStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
    RETIRED = "retired", "Retired"


class EvidenceKind(models.TextChoices):
    DOCUMENT = "document", "Document"
    LINK = "link", "Link"
    FIGURE = "figure", "Figure"


class GateDecision(models.TextChoices):
    GO = "go", "Go"
    GO_WITH_CONDITIONS = "go_with_conditions", "Go with conditions"
    HOLD = "hold", "Hold"
    STOP = "stop", "Stop"


class ReviewStatus(models.TextChoices):
    OPEN = "open", "Open"
    ON_HOLD = "on_hold", "On hold"
    APPROVED = "approved", "Approved"
    APPROVED_WITH_CONDITIONS = "approved_with_conditions", "Approved with conditions"
    STOPPED = "stopped", "Stopped"


APPROVED_STATUSES = frozenset({ReviewStatus.APPROVED, ReviewStatus.APPROVED_WITH_CONDITIONS})
FINAL_STATUSES = APPROVED_STATUSES | {ReviewStatus.STOPPED}


class ApproverRole(models.TextChoices):
    """Who must approve a gate: the project's sponsor side always, the PMO head under a directive
    PMO."""

    SPONSOR = "sponsor", "Sponsor (the project's SRO, an executive or its portfolio manager)"
    PMO_HEAD = "pmo_head", "PMO head"


# The gated (forward) moves: target stage -> the stage it is entered from.
GATES: dict[str, str] = {
    LifecycleStage.PLANNING: LifecycleStage.INITIATION,
    LifecycleStage.DELIVERY: LifecycleStage.PLANNING,
    LifecycleStage.CLOSING: LifecycleStage.DELIVERY,
    LifecycleStage.CLOSED: LifecycleStage.CLOSING,
}
GATE_STAGE_CHOICES = [(stage, LifecycleStage(stage).label) for stage in GATES]


def gate_label(from_stage: str, to_stage: str) -> str:
    return f"{LifecycleStage(from_stage).label} → {LifecycleStage(to_stage).label}"


def approver_roles(pmo_model: str) -> tuple[str, ...]:
    """The approvals a gate needs under a PMO model."""
    if pmo_model == PMOModel.DIRECTIVE:
        return (ApproverRole.SPONSOR, ApproverRole.PMO_HEAD)
    return (ApproverRole.SPONSOR,)
