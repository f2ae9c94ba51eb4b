"""Builders for the timesheet tests: a team member assigned to activities of the world's project
and of the other project, weeks of hours, and a helper that takes a week through submission."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from pmo.planning.models import Activity
from pmo.resourcing.models import Assignment, Timesheet
from pmo.resourcing.services import resources as resource_services
from pmo.resourcing.services import timesheets as services
from pmo.resourcing.testing import Team, make_team, scheduled_activity

MONDAY = date(2026, 3, 2)


def hours(*days) -> list:
    """Seven days of hours, Monday first; missing days are 0."""
    return [*days, *([0] * (7 - len(days)))]


@dataclass
class Crew:
    """The world's team, with the member assigned to two activities of the world's project
    (Build API, Test) and one of the other project (Pick robots), all in the week of ``MONDAY``."""

    team: Team
    build: Activity
    test: Activity
    robots: Activity
    build_assignment: Assignment
    test_assignment: Assignment
    robots_assignment: Assignment

    @property
    def member(self):
        return self.team.member

    @property
    def manager(self):
        return self.team.manager

    @property
    def resource(self):
        return self.team.member_resource


def make_crew(world) -> Crew:
    team = make_team(world)
    build = scheduled_activity(world.admin, world.project, "Build API", MONDAY, days=5)
    test = scheduled_activity(world.admin, world.project, "Test", MONDAY, days=5)
    robots = scheduled_activity(world.admin, world.other_project, "Pick robots", MONDAY, days=5)
    assign = resource_services.create_assignment
    return Crew(
        team=team,
        build=build,
        test=test,
        robots=robots,
        build_assignment=assign(actor=world.admin, activity=build, resource=team.member_resource, is_billable=True),
        test_assignment=assign(
            actor=world.admin, activity=test, resource=team.member_resource, units_percent=Decimal("50")
        ),
        robots_assignment=assign(
            actor=world.admin, activity=robots, resource=team.member_resource, units_percent=Decimal("20")
        ),
    )


def filled_week(crew: Crew, lines: list[dict], week_start: date = MONDAY) -> Timesheet:
    timesheet = services.week_for(actor=crew.member, resource=crew.resource, week_start=week_start)
    return services.save_lines(actor=crew.member, timesheet=timesheet, lines=lines)


def submitted_week(crew: Crew, lines: list[dict], week_start: date = MONDAY) -> Timesheet:
    timesheet = filled_week(crew, lines, week_start)
    return services.submit(actor=crew.member, timesheet=timesheet)
