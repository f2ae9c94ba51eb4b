"""Builders for resourcing tests: people who are resources with skills and a rate, and scheduled
activities to assign them to. Every object is made through the services, as a user would."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone

from pmo.core import services as core_services
from pmo.core.choices import Role, ScopeType
from pmo.core.testing.logins import make_login
from pmo.planning import services as planning_services
from pmo.planning.models import Activity
from pmo.portfolio.models import Project
from pmo.resourcing.models import Resource, Skill
from pmo.resourcing.services import resources as services


def skill(actor, name: str) -> Skill:
    return Skill.objects.filter(name=name).first() or services.create_skill(actor=actor, name=name)


def make_resource(
    actor,
    full_name: str,
    *,
    unit=None,
    skills: dict[str, int] | None = None,
    cost_per_hour: Decimal = Decimal("50"),
    bill_rate_per_hour: Decimal | None = None,
    rate_from: date = date(2020, 1, 1),
    user=None,
    **fields,
) -> Resource:
    """A person (the ``user``'s person when given) made a resource, with skills and one rate."""
    person = user.person if user is not None else None
    if person is None:
        person = core_services.create_person(actor=actor, full_name=full_name, unit=unit)
    resource = services.create_resource(actor=actor, person=person, **({"unit": unit} if unit else {}), **fields)
    for name, level in (skills or {}).items():
        services.set_skill(actor=actor, resource=resource, skill=skill(actor, name), level=level)
    services.add_rate(
        actor=actor,
        resource=resource,
        effective_from=rate_from,
        cost_per_hour=cost_per_hour,
        bill_rate_per_hour=bill_rate_per_hour,
    )
    return resource


def scheduled_activity(actor, project: Project, name: str, start: date, days: int) -> Activity:
    """An activity of ``days`` standard days starting no earlier than ``start``, rescheduled so its
    dates are set (the plan starts at ``start`` unless it starts earlier already)."""
    plan = planning_services.plan_for(project)
    first_moment = timezone.make_aware(datetime(start.year, start.month, start.day, 8))
    if plan.start > first_moment or not project.activities.exists():
        planning_services.update_plan(actor=actor, project=project, changes={"start": first_moment})
    activity = planning_services.create_activity(
        actor=actor,
        project=project,
        name=name,
        duration_minutes=days * 480,
        constraint_type="SNET",
        constraint_date=first_moment,
    )
    planning_services.reschedule(actor=actor, projects=[project])
    activity.refresh_from_db()
    return activity


@dataclass
class Team:
    """A project manager of the world's project and a team member with a login and a resource."""

    manager: object
    member: object
    member_resource: Resource


def make_team(world) -> Team:
    manager = make_login("pm.here", Role.PROJECT_MANAGER, ScopeType.PROJECT, world.project.pk)
    member = make_login("member.here", Role.TEAM_MEMBER, ScopeType.PROJECT, world.project.pk)
    resource = make_resource(world.admin, "", user=member, unit=world.unit, skills={"Python": 4})
    return Team(manager=manager, member=member, member_resource=resource)
