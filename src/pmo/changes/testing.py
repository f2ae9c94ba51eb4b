"""A small project with a plan, a project board and a programme board, for the tests of change
control (and the permission matrix)."""

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from pmo.core.choices import Role, ScopeType
from pmo.core.testing.logins import make_login
from pmo.planning import services as planning
from pmo.planning.models import Activity
from pmo.portfolio.testing import World, build_world

DAY = 480


@dataclass
class ChangeWorld:
    """``world.project`` with a plan: Design (5 d) → Build (3 d) → Test (2 d), and Design →
    Documentation (2 d) → Test, so Documentation has one day of float. ``manager`` manages the
    project, ``executive`` sits on its project board; ``world.permitted`` (portfolio manager) sits
    on the programme board; ``team`` is a team member of the project."""

    world: World
    manager: object
    executive: object
    team: object
    design: Activity
    build: Activity
    documentation: Activity
    test: Activity


def plan_project(world: World, actor) -> dict[str, Activity]:
    project = world.project
    planning.update_plan(actor=actor, project=project, changes={"start": timezone.make_aware(datetime(2026, 3, 2, 8))})
    made = {
        name: planning.create_activity(actor=actor, project=project, name=name, duration_minutes=days * DAY)
        for name, days in (("Design", 5), ("Build", 3), ("Documentation", 2), ("Test", 2))
    }
    for predecessor, successor in (
        ("Design", "Build"),
        ("Design", "Documentation"),
        ("Build", "Test"),
        ("Documentation", "Test"),
    ):
        planning.create_link(actor=actor, predecessor=made[predecessor], successor=made[successor])
    planning.reschedule(actor=actor, projects=[project])
    return {name: Activity.objects.get(pk=activity.pk) for name, activity in made.items()}


def build_change_world() -> ChangeWorld:
    world = build_world()
    activities = plan_project(world, world.admin)
    return ChangeWorld(
        world=world,
        manager=make_login("cw.manager", Role.PROJECT_MANAGER, ScopeType.PROJECT, world.project.pk),
        executive=make_login("cw.executive", Role.EXECUTIVE, ScopeType.PROJECT, world.project.pk),
        team=make_login("cw.team", Role.TEAM_MEMBER, ScopeType.PROJECT, world.project.pk),
        design=activities["Design"],
        build=activities["Build"],
        documentation=activities["Documentation"],
        test=activities["Test"],
    )
