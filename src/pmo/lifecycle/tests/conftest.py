"""One organisation for a test module, built once inside a transaction rolled back at the end of
the module; each test runs in a savepoint of its own (the ``db`` fixture)."""

from dataclasses import dataclass

import pytest
from django.db import transaction
from django.test import override_settings

from pmo.core.choices import Role, ScopeType
from pmo.core.testing.logins import make_login
from pmo.lifecycle import services
from pmo.lifecycle.models import GateCriterion
from pmo.portfolio.choices import LifecycleStage
from pmo.portfolio.testing import World, build_world

FAST = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class GateWorld:
    world: World
    manager: object  # project manager of the "here" project, in planning
    executive: object  # executive on the "here" portfolio: the gate's sponsor
    head: object  # PMO head across the organisation
    criteria: list[GateCriterion]

    def __getattr__(self, name):
        return getattr(self.world, name)


def build_gate_world() -> GateWorld:
    world = build_world()
    project = world.project
    project.stage = LifecycleStage.PLANNING
    project.save(update_fields=["stage"])
    manager = make_login("pat.manager", Role.PROJECT_MANAGER, ScopeType.PROJECT, project.pk)
    project.manager = manager.person
    project.save(update_fields=["manager"])
    executive = make_login("sam.sponsor", Role.EXECUTIVE, ScopeType.PORTFOLIO, world.portfolio.pk)
    criteria = [
        services.create_criterion(
            actor=world.admin, stage="delivery", text="Business case approved", evidence_kind="document", order=1
        ),
        services.create_criterion(
            actor=world.admin, stage="delivery", text="Plan baselined", evidence_kind="link", order=2
        ),
        services.create_criterion(
            actor=world.admin, stage="delivery", text="Budget confirmed", evidence_kind="figure", order=3
        ),
        services.create_criterion(
            actor=world.admin,
            stage="delivery",
            text="Lessons from earlier projects read",
            evidence_required=False,
            order=4,
        ),
    ]
    return GateWorld(world=world, manager=manager, executive=executive, head=world.org_head, criteria=criteria)


@pytest.fixture(scope="module")
def _gate_world_for_module(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield build_gate_world()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def gw(_gate_world_for_module, db):
    world = _gate_world_for_module
    for obj in (world.project,):
        obj.refresh_from_db()
    return world
