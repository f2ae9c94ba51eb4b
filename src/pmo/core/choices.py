from django.db import models


class Role(models.TextChoices):
    """The roles a person can hold, each scoped to the organisation or to part of the portfolio."""

    ADMINISTRATOR = "administrator", "Administrator"
    PMO_HEAD = "pmo_head", "PMO head"
    PMO_ANALYST = "pmo_analyst", "PMO analyst"
    PMO_ADMINISTRATOR = "pmo_administrator", "PMO administrator"
    PORTFOLIO_MANAGER = "portfolio_manager", "Portfolio / programme manager"
    PROJECT_MANAGER = "project_manager", "Project manager"
    TEAM_MEMBER = "team_member", "Team member"
    EXECUTIVE = "executive", "Executive (SRO / board member)"


class Action(models.TextChoices):
    VIEW = "view", "View"
    CREATE = "create", "Create inside"
    CHANGE = "change", "Change"
    ARCHIVE = "archive", "Archive"
    ASSIGN_ROLES = "assign_roles", "Assign roles"


class ScopeType(models.TextChoices):
    """Where a role applies. A wider scope contains the narrower ones below it."""

    ORGANISATION = "organisation", "Whole organisation"
    PORTFOLIO = "portfolio", "Portfolio"
    PROGRAMME = "programme", "Programme"
    PROJECT = "project", "Project"


class OfficeKind(models.TextChoices):
    """The three offices of the P3O model."""

    PORTFOLIO_OFFICE = "portfolio_office", "Portfolio office"
    PROGRAMME_OFFICE = "programme_office", "Programme office"
    PROJECT_OFFICE = "project_office", "Project office"


class PMOStaffRole(models.TextChoices):
    """The PMO role a member of an office holds there (M21)."""

    HEAD = "head", "PMO head / manager"
    ANALYST = "analyst", "PMO analyst"
    ADMINISTRATOR = "administrator", "PMO administrator / project officer"
    CONSULTANT = "consultant", "PMO consultant / project specialist"
    SUPPORT_OFFICER = "support_officer", "Project support officer"
