"""A small organisation to test permissions against: what is "here", what is "elsewhere", and
one user for each row of the permission matrix."""

from dataclasses import dataclass
from datetime import date

from pmo.core import services as core_services
from pmo.core.choices import Role, ScopeType
from pmo.core.models import OrganisationUnit, Person, PMOOffice
from pmo.core.testing.logins import make_login
from pmo.portfolio import services as portfolio_services
from pmo.portfolio.models import Portfolio, Programme, Project, ProjectDependency, StrategicObjective


@dataclass
class World:
    """Two portfolios, each with a programme and a project; people and organisation records.

    ``here`` objects are the ones tests act on; ``elsewhere`` objects belong to another part of
    the organisation, where the ``elsewhere_user`` holds strong roles.
    """

    admin: object
    permitted: object  # portfolio manager of the "here" portfolio
    elsewhere_user: object  # portfolio manager and project manager elsewhere only
    nobody: object  # a login without any role
    org_head: object  # PMO head across the organisation
    unit: OrganisationUnit
    person: Person
    office: PMOOffice
    objective: StrategicObjective
    portfolio: Portfolio
    programme: Programme
    project: Project
    other_portfolio: Portfolio
    other_programme: Programme
    other_project: Project
    dependency: ProjectDependency


def build_world() -> World:
    admin = make_login("root.admin", Role.ADMINISTRATOR)
    unit = core_services.create_unit(actor=admin, name="Information Technology", code="it")
    person = core_services.create_person(actor=admin, full_name="Grace Hopper", unit=unit, job_title="Architect")
    office = core_services.create_office(actor=admin, name="Portfolio office", kind="portfolio_office", unit=unit)
    objective = portfolio_services.create_objective(
        actor=admin, code="GROW", name="Grow revenue", active_from=date(2026, 1, 1)
    )
    portfolio = portfolio_services.create_portfolio(actor=admin, code="HERE", name="Change portfolio")
    programme = portfolio_services.create_programme(actor=admin, portfolio=portfolio, code="HERE-P", name="Digital")
    project = portfolio_services.create_project(
        actor=admin,
        portfolio=portfolio,
        programme=programme,
        code="HERE-1",
        name="CRM replacement",
        planned_start=date(2026, 1, 5),
        planned_finish=date(2026, 12, 18),
    )
    other_portfolio = portfolio_services.create_portfolio(actor=admin, code="ELSE", name="Operations portfolio")
    other_programme = portfolio_services.create_programme(
        actor=admin, portfolio=other_portfolio, code="ELSE-P", name="Warehouses"
    )
    other_project = portfolio_services.create_project(
        actor=admin, portfolio=other_portfolio, programme=other_programme, code="ELSE-1", name="Warehouse automation"
    )
    dependency = portfolio_services.create_dependency(
        actor=admin, dependent=project, provider=other_project, output="Customer data model", needed_by=date(2026, 6, 1)
    )
    permitted = make_login("here.manager", Role.PORTFOLIO_MANAGER, ScopeType.PORTFOLIO, portfolio.pk)
    elsewhere_user = make_login("else.manager", Role.PORTFOLIO_MANAGER, ScopeType.PORTFOLIO, other_portfolio.pk)
    core_services.assign_role(
        actor=None,
        person=elsewhere_user.person,
        role=Role.PROJECT_MANAGER,
        scope_type=ScopeType.PROJECT,
        scope_id=other_project.pk,
    )
    return World(
        admin=admin,
        permitted=permitted,
        elsewhere_user=elsewhere_user,
        nobody=make_login("no.role"),
        org_head=make_login("org.head", Role.PMO_HEAD),
        unit=unit,
        person=person,
        office=office,
        objective=objective,
        portfolio=portfolio,
        programme=programme,
        project=project,
        other_portfolio=other_portfolio,
        other_programme=other_programme,
        other_project=other_project,
        dependency=dependency,
    )
