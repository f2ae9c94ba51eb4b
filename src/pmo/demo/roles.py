"""Role assignments that follow from each person's post: the board and the PMO across the
organisation, managers on what they manage, SROs on what they sponsor, team members on the
projects they work on."""

from pmo.core.choices import OfficeKind, Role, ScopeType
from pmo.core.models import RoleAssignment
from pmo.demo.context import DemoContext
from pmo.portfolio.choices import LifecycleStage

# Team members are drawn to projects by stage: most work happens in delivery.
TEAM_STAGE_WEIGHTS = {
    LifecycleStage.INITIATION: 2,
    LifecycleStage.PLANNING: 3,
    LifecycleStage.DELIVERY: 6,
    LifecycleStage.CLOSING: 2,
    LifecycleStage.CLOSED: 1,
    LifecycleStage.CANCELLED: 0.5,
}
ORGANISATION_ROLES = {
    "executive": Role.EXECUTIVE,
    "pmo_head": Role.PMO_HEAD,
    "pmo_analyst": Role.PMO_ANALYST,
    "pmo_consultant": Role.PMO_ANALYST,
    "pmo_administrator": Role.PMO_ADMINISTRATOR,
    "it_admin": Role.ADMINISTRATOR,
}


class _Assignments:
    """Role assignments in the order they were granted, each (person, role, scope) once."""

    def __init__(self):
        self.rows: list[RoleAssignment] = []
        self.seen: set[tuple[int, str, str, int | None]] = set()

    def grant(self, person, role: str, scope_type: str = ScopeType.ORGANISATION, scope_id: int | None = None) -> None:
        key = (person.pk, role, scope_type, scope_id)
        if key not in self.seen:
            self.seen.add(key)
            self.rows.append(RoleAssignment(person=person, role=role, scope_type=scope_type, scope_id=scope_id))

    def holds(self, person, role: str, scope_type: str, scope_id: int | None = None) -> bool:
        return (person.pk, role, scope_type, scope_id) in self.seen


def make_role_assignments(ctx: DemoContext) -> None:
    rng = ctx.random("roles")
    grants = _Assignments()
    for post, role in ORGANISATION_ROLES.items():
        for person in ctx.posts[post]:
            grants.grant(person, role)
    for portfolio in ctx.portfolios:
        grants.grant(portfolio.manager, Role.PORTFOLIO_MANAGER, ScopeType.PORTFOLIO, portfolio.pk)
    for programme in ctx.programmes:
        grants.grant(programme.manager, Role.PORTFOLIO_MANAGER, ScopeType.PROGRAMME, programme.pk)
    for office, person in ctx.office_support:
        scope_type = ScopeType.PROGRAMME if office.kind == OfficeKind.PROGRAMME_OFFICE else ScopeType.PROJECT
        grants.grant(person, Role.PMO_ADMINISTRATOR, scope_type, office.scope_id)
    for project in ctx.projects:
        if project.manager is not None:
            grants.grant(project.manager, Role.PROJECT_MANAGER, ScopeType.PROJECT, project.pk)

    # Board members see everything already; other sponsors see what they sponsor.
    for programme in ctx.programmes:
        if not grants.holds(programme.sro, Role.EXECUTIVE, ScopeType.ORGANISATION):
            grants.grant(programme.sro, Role.EXECUTIVE, ScopeType.PROGRAMME, programme.pk)
    for project in ctx.projects:
        sro = project.sro
        if grants.holds(sro, Role.EXECUTIVE, ScopeType.ORGANISATION):
            continue
        if project.programme_id and grants.holds(sro, Role.EXECUTIVE, ScopeType.PROGRAMME, project.programme_id):
            continue
        grants.grant(sro, Role.EXECUTIVE, ScopeType.PROJECT, project.pk)

    _team_members(ctx, rng, grants)
    ctx.save_all(RoleAssignment, grants.rows)


def _team_members(ctx: DemoContext, rng, grants: _Assignments) -> None:
    """Ordinary staff work on one to three projects each. The team.member login's person works on
    exactly the two projects chosen for it, and on nothing else."""
    login_member, *staff = ctx.posts["staff"]
    for project in ctx.team_member_projects:
        grants.grant(login_member, Role.TEAM_MEMBER, ScopeType.PROJECT, project.pk)
    projects = [project for project in ctx.projects if project.stage in TEAM_STAGE_WEIGHTS]
    weights = [TEAM_STAGE_WEIGHTS[project.stage] for project in projects]
    for person in staff:
        if rng.random() >= ctx.size.team_share:
            continue
        wanted = rng.choices((1, 2, 3), (50, 35, 15))[0]
        chosen = {project.pk: project for project in rng.choices(projects, weights, k=wanted)}
        for project in chosen.values():
            grants.grant(person, Role.TEAM_MEMBER, ScopeType.PROJECT, project.pk)
