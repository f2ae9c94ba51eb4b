"""Reads behind the timesheet pages: what a week suggests and offers, who reads which week, the
approvals queue, and a project's planned against actual hours and cost."""

from datetime import timedelta
from decimal import Decimal

import pytest

from pmo.core.choices import Role, ScopeType
from pmo.core.testing.logins import make_login
from pmo.portfolio import services as portfolio_services
from pmo.resourcing.selectors import timesheets as selectors
from pmo.resourcing.services import resources as resource_services
from pmo.resourcing.services import timesheets as services
from pmo.resourcing.testing import make_resource
from pmo.resourcing.tests.timesheet_builders import MONDAY, hours, make_crew, submitted_week

pytestmark = pytest.mark.django_db


@pytest.fixture
def crew(world):
    return make_crew(world)


def approve_all(world, crew, timesheet):
    for approval in timesheet.approvals.all():
        approver = crew.manager if approval.project_id == world.project.pk else world.elsewhere_user
        services.decide(actor=approver, approval=approval, approve=True)


def test_a_week_suggests_assignments_of_the_week_and_allocated_projects(world, crew):
    data = portfolio_services.create_project(actor=world.admin, portfolio=world.portfolio, code="DATA", name="Data")
    resource_services.create_allocation(
        actor=world.admin, project=data, resource=crew.resource, period_start=MONDAY, hours=6, is_billable=True
    )
    grid = selectors.week_grid(crew.resource, MONDAY, None, with_suggestions=True)
    assert [(row.key, row.label, row.is_billable) for row in grid.rows] == [
        (f"a:{crew.robots.pk}", "ELSE-1 · Pick robots", False),
        (f"a:{crew.build.pk}", "HERE-1 · Build API", True),
        (f"a:{crew.test.pk}", "HERE-1 · Test", False),
        (f"p:{data.pk}", "DATA · Data", True),
    ]
    # A month later nothing is planned; the choices still offer every assignment and the categories.
    later = selectors.week_grid(crew.resource, MONDAY + timedelta(weeks=5), None, with_suggestions=True)
    assert later.rows == []
    assert [choice.label for choice in later.choices.activities] == [
        "ELSE-1 · Pick robots",
        "HERE-1 · Build API",
        "HERE-1 · Test",
    ]
    assert [choice.key for choice in later.choices.categories] == [
        "c:leave",
        "c:sickness",
        "c:admin",
        "c:training",
        "c:other",
    ]
    assert [choice.label for choice in later.choices.projects] == [
        "ELSE-1 · Warehouse automation",
        "HERE-1 · CRM replacement",
    ]


def test_stored_lines_come_first_and_are_not_suggested_twice(crew):
    timesheet = services.week_for(actor=crew.member, resource=crew.resource, week_start=MONDAY)
    services.save_lines(
        actor=crew.member,
        timesheet=timesheet,
        lines=[{"activity": crew.test, "hours": hours(1.25)}, {"category": "leave", "hours": hours(0, 8)}],
    )
    grid = selectors.week_grid(crew.resource, MONDAY, timesheet, with_suggestions=True)
    assert [(row.label, row.cells[:2], row.is_suggested) for row in grid.rows] == [
        ("HERE-1 · Test", ["1.25", ""], False),
        ("Leave", ["", "8"], False),
        ("ELSE-1 · Pick robots", ["", ""], True),
        ("HERE-1 · Build API", ["", ""], True),
    ]
    assert [day["total_text"] for day in grid.days] == ["1.25", "8", "0", "0", "0", "0", "0"]
    assert grid.total_text == "9.25"


def test_who_reads_a_week(world, crew):
    timesheet = submitted_week(crew, [{"activity": crew.build, "hours": hours(8)}])
    teammate = make_login("team.mate", Role.TEAM_MEMBER, ScopeType.PROJECT, world.project.pk)
    executive = make_login("exec.here", Role.EXECUTIVE, ScopeType.PORTFOLIO, world.portfolio.pk)

    def reads(user) -> bool:
        return selectors.timesheets_visible_to(user).filter(pk=timesheet.pk).exists()

    assert reads(crew.member) and reads(crew.manager) and reads(world.permitted) and reads(world.org_head)
    assert not reads(teammate) and not reads(executive) and not reads(world.elsewhere_user) and not reads(world.nobody)
    part = timesheet.approvals.get()
    assert selectors.approvals_visible_to(crew.member).filter(pk=part.pk).exists()
    assert not selectors.approvals_visible_to(teammate).filter(pk=part.pk).exists()


def test_the_queue_leaves_out_own_weeks_and_weeks_sent_back(world, crew):
    manager_resource = make_resource(world.admin, "", user=crew.manager)
    resource_services.create_assignment(actor=world.admin, activity=crew.test, resource=manager_resource)
    own = services.week_for(actor=crew.manager, resource=manager_resource, week_start=MONDAY)
    services.save_lines(actor=crew.manager, timesheet=own, lines=[{"activity": crew.test, "hours": hours(3)}])
    services.submit(actor=crew.manager, timesheet=own)
    first = submitted_week(
        crew, [{"activity": crew.build, "hours": hours(8, 1)}, {"category": "admin", "hours": hours(1)}]
    )
    second = submitted_week(
        crew,
        [{"activity": crew.build, "hours": hours(2)}, {"activity": crew.robots, "hours": hours(0, 5)}],
        week_start=MONDAY + timedelta(7),
    )
    services.decide(
        actor=world.elsewhere_user,
        approval=second.approvals.get(project=world.other_project),
        approve=False,
        comment="?",
    )
    queue = selectors.approvals_queue(crew.manager)
    assert [(item.timesheet.pk, item.total, item.billable_hours, item.day_hours[:2]) for item in queue] == [
        (first.pk, Decimal("9.00"), Decimal("9.00"), ["8", "1"]),
    ]
    # The PMO head sees the manager's own week too, and both projects' parts of submitted weeks.
    assert {item.timesheet.pk for item in selectors.approvals_queue(world.org_head)} == {first.pk, own.pk}
    assert selectors.queue_projects(crew.manager) == [world.project]


def test_project_actuals_put_planned_beside_approved_and_waiting_hours(world, crew):
    resource_services.add_rate(
        actor=world.admin,
        resource=crew.resource,
        effective_from=MONDAY + timedelta(days=2),
        cost_per_hour=Decimal("70"),
    )
    approved = submitted_week(
        crew,
        [
            {"activity": crew.build, "hours": hours(8, 8, 8), "is_billable": True},
            {"project": world.project, "hours": hours(0, 0, 0, 2), "is_billable": False},
            {"activity": crew.robots, "hours": hours(0, 0, 0, 0, 6)},
        ],
    )
    approve_all(world, crew, approved)
    submitted_week(crew, [{"activity": crew.test, "hours": hours(5)}], week_start=MONDAY + timedelta(7))
    other = make_resource(world.admin, "Ada Planned")
    resource_services.create_assignment(
        actor=world.admin, activity=crew.test, resource=other, planned_hours=Decimal("10")
    )

    actuals = selectors.project_actuals(world.project)
    member, ada = sorted(actuals["resources"], key=lambda row: row.name != "Member.Here")
    # Build API: Monday and Tuesday at 50 (800), Wednesday at 70 (560); the project line on Thursday at 70 (140).
    assert (member.actual_hours, member.actual_cost) == (Decimal("26.00"), Decimal("1500.00"))
    assert member.billable_hours == Decimal("24.00") and member.awaiting_hours == Decimal("5.00")
    assert (ada.planned_hours, ada.planned_cost, ada.actual_hours) == (Decimal("10.00"), Decimal("500.00"), 0)
    assert actuals["total"].actual_hours == Decimal("26.00")
    assert actuals["project_level_hours"] == Decimal("2.00")
    by_activity = {row.name: row for row in actuals["activities"]}
    assert by_activity["Build API"].actual_hours == Decimal("24.00")
    assert by_activity["Test"].awaiting_hours == Decimal("5.00")
    # The other project's hours stay on the other project.
    assert selectors.project_actuals(world.other_project)["total"].actual_hours == Decimal("6.00")
