from django.db import models


class LifecycleStage(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    INITIATION = "initiation", "Initiation"
    PLANNING = "planning", "Planning"
    DELIVERY = "delivery", "Delivery"
    CLOSING = "closing", "Closing"
    CLOSED = "closed", "Closed"
    CANCELLED = "cancelled", "Cancelled"


# Stages a project may move to from each stage; gates (a later issue) tighten this further.
STAGE_TRANSITIONS: dict[str, frozenset[str]] = {
    LifecycleStage.PROPOSED: frozenset({LifecycleStage.INITIATION, LifecycleStage.CANCELLED}),
    LifecycleStage.INITIATION: frozenset({LifecycleStage.PLANNING, LifecycleStage.CANCELLED}),
    LifecycleStage.PLANNING: frozenset({LifecycleStage.DELIVERY, LifecycleStage.INITIATION, LifecycleStage.CANCELLED}),
    LifecycleStage.DELIVERY: frozenset({LifecycleStage.CLOSING, LifecycleStage.PLANNING, LifecycleStage.CANCELLED}),
    LifecycleStage.CLOSING: frozenset({LifecycleStage.CLOSED, LifecycleStage.DELIVERY}),
    LifecycleStage.CLOSED: frozenset(),
    LifecycleStage.CANCELLED: frozenset(),
}


class RAG(models.TextChoices):
    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"


class DependencyStatus(models.TextChoices):
    OPEN = "open", "Open"
    AT_RISK = "at_risk", "At risk"
    MET = "met", "Met"
    BROKEN = "broken", "Broken"
