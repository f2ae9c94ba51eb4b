"""Shared fixtures of the API tests: users holding roles, a small organisation, API clients.

The organisation (``organisation``)::

    portfolio PA ── programme PA-P1 ── project PA-1
                └─ project PA-2 (outside any programme)
    portfolio PB ── project PB-1

Users: ``administrator`` (everything), ``analyst`` (views everything), ``portfolio_manager``
(portfolio PA), ``project_manager`` (project PA-1), ``team_member_b`` (views portfolio PB),
``no_role_user`` (a login and nothing else).
"""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from rest_framework.test import APIClient

from pmo.api.tests.helpers import PASSWORD
from pmo.core import services as core_services
from pmo.core.choices import Role, ScopeType
from pmo.portfolio import services as portfolio_services
from pmo.portfolio.models import Portfolio, Programme, Project

SCOPE_TYPES = {Portfolio: ScopeType.PORTFOLIO, Programme: ScopeType.PROGRAMME, Project: ScopeType.PROJECT}


@pytest.fixture
def make_user(db):
    """``make_user(username, role, scope=None)``: a login holding ``role`` across the
    organisation, or inside ``scope`` (a portfolio, programme or project); no role if None."""

    def make(username: str, role: str | None = None, scope=None):
        person = core_services.create_login(
            actor=None, person=None, username=username, password=PASSWORD, role=role if scope is None else None
        )
        if scope is not None:
            core_services.assign_role(
                actor=None, person=person, role=role, scope_type=SCOPE_TYPES[type(scope)], scope_id=scope.pk
            )
        return person.user

    return make


@pytest.fixture
def administrator(make_user):
    return make_user("ada", Role.ADMINISTRATOR)


@pytest.fixture
def organisation(administrator):
    actor = administrator
    unit = core_services.create_unit(actor=actor, name="Information technology", code="it")
    person = core_services.create_person(actor=actor, full_name="Pat Jones", email="pat@example.org", unit=unit)
    objective = portfolio_services.create_objective(
        actor=actor, code="GROW", name="Grow", weight=Decimal("3.00"), active_from=datetime.date(2026, 1, 1)
    )
    other_objective = portfolio_services.create_objective(
        actor=actor, code="SAVE", name="Save", active_from=datetime.date(2026, 1, 1)
    )
    portfolio_a = portfolio_services.create_portfolio(actor=actor, code="PA", name="Portfolio A", manager=person)
    portfolio_b = portfolio_services.create_portfolio(actor=actor, code="PB", name="Portfolio B")
    programme = portfolio_services.create_programme(
        actor=actor, portfolio=portfolio_a, code="PA-P1", name="Programme A1"
    )
    project_a1 = portfolio_services.create_project(
        actor=actor, portfolio=portfolio_a, programme=programme, code="PA-1", name="Alpha",
        planned_start=datetime.date(2026, 2, 1), planned_finish=datetime.date(2026, 12, 31), budget=Decimal("1000.00"),
    )
    project_a2 = portfolio_services.create_project(actor=actor, portfolio=portfolio_a, code="PA-2", name="Alpha two")
    project_b1 = portfolio_services.create_project(actor=actor, portfolio=portfolio_b, code="PB-1", name="Beta")
    return SimpleNamespace(
        unit=unit, person=person, objective=objective, other_objective=other_objective,
        portfolio_a=portfolio_a, portfolio_b=portfolio_b, programme=programme,
        project_a1=project_a1, project_a2=project_a2, project_b1=project_b1,
    )


@pytest.fixture
def analyst(make_user):
    return make_user("anna", Role.PMO_ANALYST)


@pytest.fixture
def portfolio_manager(make_user, organisation):
    return make_user("paula", Role.PORTFOLIO_MANAGER, organisation.portfolio_a)


@pytest.fixture
def project_manager(make_user, organisation):
    return make_user("peter", Role.PROJECT_MANAGER, organisation.project_a1)


@pytest.fixture
def team_member_b(make_user, organisation):
    return make_user("tess", Role.TEAM_MEMBER, organisation.portfolio_b)


@pytest.fixture
def no_role_user(make_user):
    return make_user("nora")


@pytest.fixture
def client_for(db):
    """``client_for(user)``: an API client signed in as ``user`` (None: anonymous).

    A session sign-in, so that every request loads the user afresh, as in production, and role
    changes made during a test are seen by the next request.
    """

    def make(user=None) -> APIClient:
        client = APIClient()
        if user is not None:
            client.force_login(user)
        return client

    return make
