"""Services of resources, skills, rates, absences, assignments and allocations."""

from datetime import date
from decimal import Decimal

import pytest

from pmo.core.errors import InvalidData, NotFound, PermissionRefused
from pmo.core.models import AuditEvent
from pmo.portfolio.testing import build_world
from pmo.resourcing.models import Allocation, Assignment, Resource, rate_in_force
from pmo.resourcing.services import resources as services
from pmo.resourcing.testing import make_resource, make_team, scheduled_activity, skill

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def test_a_person_becomes_a_resource_with_their_name_and_unit(world):
    resource = make_resource(world.admin, "Ada Lovelace", unit=world.unit, skills={"Python": 4})
    assert resource.name == "Ada Lovelace"
    assert resource.unit == world.unit
    assert list(resource.skills.values_list("skill__name", "level")) == [("Python", 4)]
    assert AuditEvent.objects.filter(action="resource.created").count() == 1


def test_a_person_is_a_resource_once(world):
    resource = make_resource(world.admin, "Ada Lovelace")
    with pytest.raises(InvalidData, match="already a resource"):
        services.create_resource(actor=world.admin, person=resource.person)


def test_bad_weekday_pattern_and_role_without_skill_are_refused(world):
    person = world.person
    with pytest.raises(InvalidData, match="seven numbers"):
        services.create_resource(actor=world.admin, person=person, weekday_hours=[8, 8, 8])
    with pytest.raises(InvalidData, match="skill it stands for"):
        services.create_resource(actor=world.admin, kind="role", name="Data engineer")
    assert not Resource.objects.exists()


def test_only_an_organisation_role_may_create_resources(world):
    with pytest.raises(PermissionRefused):
        services.create_resource(actor=world.permitted, person=world.person)
    assert not Resource.objects.exists()


def test_rate_in_force_takes_the_latest_effective_rate(world):
    resource = make_resource(world.admin, "Ada", cost_per_hour=Decimal("40"), rate_from=date(2026, 1, 1))
    services.add_rate(
        actor=world.admin, resource=resource, effective_from=date(2026, 7, 1), cost_per_hour=Decimal("45")
    )
    rates = list(resource.rates.all())
    assert rate_in_force(rates, date(2025, 12, 31)) is None
    assert rate_in_force(rates, date(2026, 6, 30)).cost_per_hour == Decimal("40")
    assert rate_in_force(rates, date(2026, 7, 1)).cost_per_hour == Decimal("45")
    with pytest.raises(InvalidData, match="already has a rate"):
        services.add_rate(
            actor=world.admin, resource=resource, effective_from=date(2026, 7, 1), cost_per_hour=Decimal("1")
        )


def test_overlapping_absences_are_refused(world):
    resource = make_resource(world.admin, "Ada")
    services.add_absence(actor=world.admin, resource=resource, start=date(2026, 8, 3), end=date(2026, 8, 14))
    with pytest.raises(InvalidData, match="already absent"):
        services.add_absence(actor=world.admin, resource=resource, start=date(2026, 8, 10), end=date(2026, 8, 20))


def test_assignment_hours_follow_units_and_cost_follows_the_rate(world):
    resource = make_resource(world.admin, "Ada", skills={"Python": 4}, cost_per_hour=Decimal("60"))
    activity = scheduled_activity(world.admin, world.project, "Build", date(2026, 3, 2), days=10)
    assignment = services.create_assignment(
        actor=world.permitted, activity=activity, resource=resource, units_percent=Decimal("50")
    )
    assert assignment.planned_hours == Decimal("40.00")  # 10 days x 8 h x 50 %
    assert assignment.planned_cost == Decimal("2400.00")
    services.update_assignment(actor=world.permitted, assignment=assignment, changes={"planned_hours": Decimal("10")})
    assignment.refresh_from_db()
    assert (assignment.planned_hours, assignment.planned_cost) == (Decimal("10.00"), Decimal("600.00"))


def test_assignment_needs_the_required_skill_at_the_level(world):
    novice = make_resource(world.admin, "Novice", skills={"Python": 2})
    activity = scheduled_activity(world.admin, world.project, "Build", date(2026, 3, 2), days=5)
    with pytest.raises(InvalidData, match="needs level 4"):
        services.create_assignment(
            actor=world.admin,
            activity=activity,
            resource=novice,
            required_skill=skill(world.admin, "Python"),
            required_level=4,
        )
    assert not Assignment.objects.exists()


def test_a_generic_role_brings_its_skill(world):
    role = services.create_resource(
        actor=world.admin, kind="role", name="Data engineer", role_skill=skill(world.admin, "SQL"), role_level=3
    )
    activity = scheduled_activity(world.admin, world.project, "Model data", date(2026, 3, 2), days=5)
    assignment = services.create_assignment(actor=world.admin, activity=activity, resource=role)
    assert (assignment.required_skill.name, assignment.required_level) == ("SQL", 3)


def test_assignments_need_change_on_the_project(world):
    resource = make_resource(world.admin, "Ada")
    activity = scheduled_activity(world.admin, world.project, "Build", date(2026, 3, 2), days=5)
    with pytest.raises(NotFound):
        services.create_assignment(actor=world.elsewhere_user, activity=activity, resource=resource)
    team = make_team(world)
    services.create_assignment(actor=team.manager, activity=activity, resource=resource)


def test_reassign_checks_skill_and_recosts(world):
    python = skill(world.admin, "Python")
    ada = make_resource(world.admin, "Ada", skills={"Python": 4}, cost_per_hour=Decimal("60"))
    bob = make_resource(world.admin, "Bob", skills={"Python": 3}, cost_per_hour=Decimal("40"))
    eve = make_resource(world.admin, "Eve", skills={"Python": 1})
    activity = scheduled_activity(world.admin, world.project, "Build", date(2026, 3, 2), days=5)
    assignment = services.create_assignment(
        actor=world.admin, activity=activity, resource=ada, required_skill=python, required_level=3
    )
    with pytest.raises(InvalidData, match="needs level 3"):
        services.reassign(actor=world.admin, assignment=assignment, resource=eve)
    services.reassign(actor=world.admin, assignment=assignment, resource=bob)
    assignment.refresh_from_db()
    assert (assignment.resource, assignment.planned_cost) == (bob, Decimal("1600.00"))
    event = AuditEvent.objects.get(action="assignment.reassigned")
    assert event.before["resource_id"] == ada.pk and event.after["resource_id"] == bob.pk


def test_allocation_periods_start_on_a_monday_or_the_first(world):
    resource = make_resource(world.admin, "Ada")
    with pytest.raises(InvalidData, match="Monday"):
        services.create_allocation(
            actor=world.admin, project=world.project, resource=resource, period_start=date(2026, 3, 3), hours=10
        )
    with pytest.raises(InvalidData, match="first day"):
        services.create_allocation(
            actor=world.admin,
            project=world.project,
            resource=resource,
            period_kind="month",
            period_start=date(2026, 3, 2),
            hours=10,
        )
    allocation = services.create_allocation(
        actor=world.admin, project=world.project, resource=resource, period_start=date(2026, 3, 2), hours=16
    )
    assert allocation.period_end == date(2026, 3, 8)
    assert Allocation.objects.count() == 1
