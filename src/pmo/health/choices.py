"""Choices of project health: the dimensions a health check judges and the status of each."""

from django.db import models


class Dimension(models.TextChoices):
    """What a health check judges a project on; each rule belongs to one dimension."""

    SCHEDULE = "schedule", "Schedule"
    COST = "cost", "Cost"
    SCOPE = "scope", "Scope"
    RISK = "risk", "Risk"
    RESOURCES = "resources", "Resources"
    GOVERNANCE = "governance", "Governance"


class HealthStatus(models.TextChoices):
    """A dimension's (or the whole project's) judgement. ``not_assessed``: no rule of that
    dimension had the figures it needs (no baseline yet, nothing planned yet...)."""

    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"
    NOT_ASSESSED = "not_assessed", "Not assessed"
