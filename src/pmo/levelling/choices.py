from django.db import models


class Scope(models.TextChoices):
    """What a levelling run moves: one project, a programme's projects, a portfolio's, or every
    active project of the organisation."""

    PROJECT = "project", "Project"
    PROGRAMME = "programme", "Programme"
    PORTFOLIO = "portfolio", "Portfolio"
    ORGANISATION = "organisation", "Whole organisation"


class RunState(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Running"
    READY = "ready", "Ready to compare"
    FAILED = "failed", "Failed"
    ACCEPTED = "accepted", "Accepted"
    DISCARDED = "discarded", "Discarded"


class Goal(models.TextChoices):
    """Values as in the engine (``pmo_engine.levelling.Objective``)."""

    MAKESPAN = "makespan", "Finish everything as early as possible"
    WEIGHTED_DELAY = "weighted_delay", "Least delay of projects against their finish dates, by priority"
