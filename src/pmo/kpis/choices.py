"""Choices of the KPI app: where a KPI applies, how it is judged, where a measurement came from and
what became of a recommendation."""

from django.db import models


class KPILevel(models.TextChoices):
    """What a KPI measures: projects, programmes or portfolios."""

    PROJECT = "project", "Project"
    PROGRAMME = "programme", "Programme"
    PORTFOLIO = "portfolio", "Portfolio"


class Direction(models.TextChoices):
    HIGHER = "higher", "Higher is better"
    LOWER = "lower", "Lower is better"


class Frequency(models.TextChoices):
    """How often the scheduled task measures a KPI: every week's end (Sunday), or the last Sunday
    of each month."""

    WEEKLY = "weekly", "Weekly"
    MONTHLY = "monthly", "Monthly"


class MeasurementStatus(models.TextChoices):
    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"
    NOT_ASSESSED = "not_assessed", "Not assessed"


class MeasurementSource(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled (from the figures)"
    MANUAL = "manual", "Entered by hand"


class RecommendationStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    ACCEPTED = "accepted", "Accepted"
    DISMISSED = "dismissed", "Dismissed"
