"""A small organisation for the lifecycle's tests: the permission world, with its project in
planning, a project manager, a sponsor, a PMO head, and the criteria of the gate into delivery."""

from dataclasses import dataclass

from pmo.core.choices import Role, ScopeType
from pmo.core.testing.logins import make_login
from pmo.lifecycle import services
from pmo.lifecycle.models import GateCriterion
from pmo.portfolio.choices import LifecycleStage
from pmo.portfolio.testing import World, build_world


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
