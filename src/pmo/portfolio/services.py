"""State changes of the portfolio hierarchy. Each function is atomic, re-checks permission inside
its transaction and writes an audit event with the values before and after."""

from collections.abc import Callable, Mapping
from decimal import Decimal

from django.db import transaction

from pmo.core.audit import record_event, snapshot
from pmo.core.choices import Action, ScopeType
from pmo.core.errors import DomainError, InvalidData, PermissionRefused
from pmo.core.permissions import grants_for
from pmo.core.services import change_audited, create_audited, locked_for, require_global
from pmo.portfolio.choices import STAGE_TRANSITIONS, LifecycleStage
from pmo.portfolio.models import (
    Portfolio,
    Programme,
    Project,
    ProjectDependency,
    ProjectObjective,
    StrategicObjective,
)

OBJECTIVE_FIELDS = ("code", "name", "description", "weight", "owner", "active_from", "active_to")
PORTFOLIO_FIELDS = ("code", "name", "description", "manager")
PROGRAMME_FIELDS = ("code", "name", "description", "manager", "sro", "portfolio")
PROJECT_FIELDS = (
    "code",
    "name",
    "scope_statement",
    "sro",
    "manager",
    "stage",
    "planned_start",
    "planned_finish",
    "budget",
    "rag",
    "portfolio",
    "programme",
)
DEPENDENCY_FIELDS = ("provider", "output", "needed_by", "status", "notes")


def _unknown_fields(fields: Mapping, allowed) -> None:
    unknown = sorted(set(fields) - set(allowed))
    if unknown:
        raise InvalidData({name: ["Not a field that can be set here."] for name in unknown})


def may_create_in(actor, *, portfolio: Portfolio | None, programme: Programme | None = None) -> bool:
    """True if ``actor`` may create things inside this portfolio (or programme)."""
    grants = grants_for(actor)
    if grants.allows_everywhere(Action.CREATE):
        return True
    if portfolio is not None and portfolio.pk in grants.ids(ScopeType.PORTFOLIO, Action.CREATE):
        return True
    return programme is not None and programme.pk in grants.ids(ScopeType.PROGRAMME, Action.CREATE)


# --- strategic objectives -------------------------------------------------------------------


@transaction.atomic
def create_objective(*, actor, reason: str = "", **fields) -> StrategicObjective:
    require_global(actor, Action.CREATE, "strategic objectives")
    _unknown_fields(fields, OBJECTIVE_FIELDS)
    return create_audited(StrategicObjective(**fields), actor=actor, reason=reason)


@transaction.atomic
def update_objective(*, actor, objective: StrategicObjective, changes: Mapping, reason: str = "") -> StrategicObjective:
    require_global(actor, Action.CHANGE, "strategic objectives")
    objective = locked_for(actor, StrategicObjective, objective.pk, Action.CHANGE)
    return change_audited(objective, changes, actor=actor, allowed=OBJECTIVE_FIELDS, reason=reason)


@transaction.atomic
def archive_objective(*, actor, objective: StrategicObjective, reason: str = "") -> StrategicObjective:
    require_global(actor, Action.ARCHIVE, "strategic objectives")
    objective = locked_for(actor, StrategicObjective, objective.pk, Action.ARCHIVE)
    return change_audited(
        objective,
        {"is_archived": True},
        actor=actor,
        allowed={"is_archived"},
        reason=reason,
        action="strategicobjective.archived",
    )


# --- portfolios -----------------------------------------------------------------------------


@transaction.atomic
def create_portfolio(*, actor, reason: str = "", **fields) -> Portfolio:
    require_global(actor, Action.CREATE, "portfolios")
    _unknown_fields(fields, PORTFOLIO_FIELDS)
    return create_audited(Portfolio(**fields), actor=actor, reason=reason)


@transaction.atomic
def update_portfolio(*, actor, portfolio: Portfolio, changes: Mapping, reason: str = "") -> Portfolio:
    portfolio = locked_for(actor, Portfolio, portfolio.pk, Action.CHANGE)
    return change_audited(portfolio, changes, actor=actor, allowed=PORTFOLIO_FIELDS, reason=reason)


@transaction.atomic
def archive_portfolio(*, actor, portfolio: Portfolio, reason: str = "") -> Portfolio:
    portfolio = locked_for(actor, Portfolio, portfolio.pk, Action.ARCHIVE)
    if portfolio.projects.filter(is_archived=False).exists() or portfolio.programmes.filter(is_archived=False).exists():
        raise DomainError("Archive or move this portfolio's programmes and projects first.")
    return change_audited(
        portfolio,
        {"is_archived": True},
        actor=actor,
        allowed={"is_archived"},
        reason=reason,
        action="portfolio.archived",
    )


# --- programmes -----------------------------------------------------------------------------


@transaction.atomic
def create_programme(*, actor, portfolio: Portfolio, reason: str = "", **fields) -> Programme:
    _unknown_fields(fields, set(PROGRAMME_FIELDS) - {"portfolio"})
    portfolio = locked_for(actor, Portfolio, portfolio.pk, Action.VIEW)
    if not may_create_in(actor, portfolio=portfolio):
        raise PermissionRefused(f"You may not create programmes in {portfolio}.")
    if portfolio.is_archived:
        raise InvalidData({"portfolio": [f"{portfolio} is archived."]})
    return create_audited(Programme(portfolio=portfolio, **fields), actor=actor, reason=reason)


@transaction.atomic
def update_programme(*, actor, programme: Programme, changes: Mapping, reason: str = "") -> Programme:
    programme = locked_for(actor, Programme, programme.pk, Action.CHANGE)
    target = changes.get("portfolio")
    if target is not None and target.pk != programme.portfolio_id:
        if not may_create_in(actor, portfolio=target):
            raise PermissionRefused(f"You may not move programmes into {target}.")
        if programme.projects.exclude(portfolio=target).exists():
            raise DomainError("Move this programme's projects with it: they would sit in another portfolio.")
    return change_audited(programme, changes, actor=actor, allowed=PROGRAMME_FIELDS, reason=reason)


@transaction.atomic
def archive_programme(*, actor, programme: Programme, reason: str = "") -> Programme:
    programme = locked_for(actor, Programme, programme.pk, Action.ARCHIVE)
    if programme.projects.filter(is_archived=False).exists():
        raise DomainError("Archive or move this programme's projects first.")
    return change_audited(
        programme,
        {"is_archived": True},
        actor=actor,
        allowed={"is_archived"},
        reason=reason,
        action="programme.archived",
    )


# --- projects -------------------------------------------------------------------------------


# Rules of the apps above this one that a stage move must also pass (the lifecycle's stage gates):
# each is called as ``guard(actor, project, target_stage)`` before a project changes stage, and
# before a project is created in a stage past Proposed (then ``project`` is the unsaved project, in
# Proposed, without a primary key); it refuses with a ``DomainError`` that says what is missing.
_STAGE_GUARDS: list[Callable] = []


def register_stage_guard(guard: Callable) -> None:
    """Make every stage move pass ``guard`` too (registering the same guard twice adds it once)."""
    if guard not in _STAGE_GUARDS:
        _STAGE_GUARDS.append(guard)


def _run_stage_guards(actor, project: Project, target: str) -> None:
    if target == project.stage:
        return
    for guard in _STAGE_GUARDS:
        guard(actor, project, target)


def _check_stage_move(current: str, target: str) -> None:
    if target == current:
        return
    if target not in LifecycleStage.values:
        raise InvalidData({"stage": [f"Unknown stage {target!r}."]})
    if target not in STAGE_TRANSITIONS[current]:
        allowed = ", ".join(LifecycleStage(s).label for s in sorted(STAGE_TRANSITIONS[current])) or "none"
        move = f"{LifecycleStage(current).label} to {LifecycleStage(target).label}"
        raise InvalidData({"stage": [f"A project cannot move from {move}; allowed: {allowed}."]})


@transaction.atomic
def create_project(
    *, actor, portfolio: Portfolio, programme: Programme | None = None, reason: str = "", **fields
) -> Project:
    _unknown_fields(fields, set(PROJECT_FIELDS) - {"portfolio", "programme"})
    if not may_create_in(actor, portfolio=portfolio, programme=programme):
        where = programme or portfolio
        raise PermissionRefused(f"You may not create projects in {where}.")
    if portfolio.is_archived or (programme is not None and programme.is_archived):
        raise InvalidData({"programme" if programme and programme.is_archived else "portfolio": ["It is archived."]})
    stage = fields.get("stage", LifecycleStage.PROPOSED)
    if stage in (LifecycleStage.CLOSED, LifecycleStage.CANCELLED):
        raise InvalidData({"stage": ["A new project cannot start closed or cancelled."]})
    _run_stage_guards(actor, Project(portfolio=portfolio, programme=programme, stage=LifecycleStage.PROPOSED), stage)
    return create_audited(Project(portfolio=portfolio, programme=programme, **fields), actor=actor, reason=reason)


@transaction.atomic
def create_project_as_system(
    *, portfolio: Portfolio, programme: Programme | None = None, reason: str = "", **fields
) -> Project:
    """A project made by the server's owner (command-line imports): audited without a user."""
    _unknown_fields(fields, set(PROJECT_FIELDS) - {"portfolio", "programme"})
    return create_audited(Project(portfolio=portfolio, programme=programme, **fields), actor=None, reason=reason)


@transaction.atomic
def update_project(*, actor, project: Project, changes: Mapping, reason: str = "") -> Project:
    project = locked_for(actor, Project, project.pk, Action.CHANGE)
    if "stage" in changes:
        _check_stage_move(project.stage, changes["stage"])
        _run_stage_guards(actor, project, changes["stage"])
    portfolio = changes.get("portfolio", project.portfolio)
    programme = changes.get("programme", project.programme)
    moved = portfolio != project.portfolio or programme != project.programme
    if moved and not may_create_in(actor, portfolio=portfolio, programme=programme):
        raise PermissionRefused(f"You may not move projects into {programme or portfolio}.")
    return change_audited(project, changes, actor=actor, allowed=PROJECT_FIELDS, reason=reason)


@transaction.atomic
def move_project_stage(*, actor, project: Project, stage: str, reason: str = "") -> Project:
    project = locked_for(actor, Project, project.pk, Action.CHANGE)
    _check_stage_move(project.stage, stage)
    _run_stage_guards(actor, project, stage)
    return change_audited(
        project, {"stage": stage}, actor=actor, allowed={"stage"}, reason=reason, action="project.stage_changed"
    )


@transaction.atomic
def archive_project(*, actor, project: Project, reason: str = "") -> Project:
    project = locked_for(actor, Project, project.pk, Action.ARCHIVE)
    return change_audited(
        project, {"is_archived": True}, actor=actor, allowed={"is_archived"}, reason=reason, action="project.archived"
    )


@transaction.atomic
def set_project_objectives(
    *, actor, project: Project, contributions: Mapping[StrategicObjective, Decimal], reason: str = ""
) -> Project:
    """Replace the objectives a project serves with ``contributions`` (objective -> weight 0-100)."""
    project = locked_for(actor, Project, project.pk, Action.CHANGE)
    errors = {}
    for objective, weight in contributions.items():
        if weight is None or not (Decimal("0") <= Decimal(weight) <= Decimal("100")):
            errors[f"objective {objective.code}"] = ["The contribution weight must be between 0 and 100."]
    if errors:
        raise InvalidData(errors)
    before = {
        link.objective.code: str(link.contribution_weight)
        for link in project.objective_links.select_related("objective")
    }
    after = {
        objective.code: str(Decimal(weight).quantize(Decimal("0.01"))) for objective, weight in contributions.items()
    }
    if before == after:
        return project
    project.objective_links.all().delete()
    ProjectObjective.objects.bulk_create(
        ProjectObjective(project=project, objective=objective, contribution_weight=weight)
        for objective, weight in contributions.items()
    )
    record_event(
        actor=actor,
        action="project.objectives_changed",
        obj=project,
        before={"objectives": before},
        after={"objectives": after},
        reason=reason,
    )
    return project


# --- dependencies between projects ----------------------------------------------------------


def _visible_project(actor, project: Project) -> bool:
    return Project.objects.visible_to(actor, Action.VIEW).filter(pk=project.pk).exists()


@transaction.atomic
def create_dependency(*, actor, dependent: Project, reason: str = "", **fields) -> ProjectDependency:
    _unknown_fields(fields, DEPENDENCY_FIELDS)
    dependent = locked_for(actor, Project, dependent.pk, Action.CHANGE)
    provider = fields.get("provider")
    if provider is not None and not _visible_project(actor, provider):
        raise InvalidData({"provider": ["No such project is visible to you."]})
    return create_audited(ProjectDependency(dependent=dependent, **fields), actor=actor, reason=reason)


@transaction.atomic
def update_dependency(*, actor, dependency: ProjectDependency, changes: Mapping, reason: str = "") -> ProjectDependency:
    dependency = locked_for(actor, ProjectDependency, dependency.pk, Action.CHANGE)
    provider = changes.get("provider")
    if provider is not None and provider.pk != dependency.provider_id and not _visible_project(actor, provider):
        raise InvalidData({"provider": ["No such project is visible to you."]})
    return change_audited(dependency, changes, actor=actor, allowed=DEPENDENCY_FIELDS, reason=reason)


@transaction.atomic
def delete_dependency(*, actor, dependency: ProjectDependency, reason: str = "") -> None:
    dependency = locked_for(actor, ProjectDependency, dependency.pk, Action.CHANGE)

    record_event(
        actor=actor, action="projectdependency.deleted", obj=dependency, before=snapshot(dependency), reason=reason
    )
    dependency.delete()
