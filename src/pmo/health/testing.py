"""A project with a primary baseline worked by hand, for the tests of health (and the
permission matrix).

``world.project`` (HERE-1, planned finish 2026-12-18) has a baseline starting Monday 2026-03-02:
Design (2026-03-02..13, 1,000) done, Build (2026-03-16..27, 2,000) a quarter done, and a
milestone "Go live" due 2026-03-27, forecast 2026-04-03. Its cumulative planned value per week is
500, 1,000, 2,000, 3,000. Approved timesheets book 1,800 up to the week of 2026-03-16, and 400 in
the week of 2026-03-23 (after the status week); a submitted week is not counted. At the end of
the week of ``AS_OF`` (Sunday 2026-03-22, the third week): PV 2,000, EV 1,500, AC 1,800.

The project has two open high risks (residual score at the red band), an open issue and an action
past their dates, one change submitted and one approved (+300); its person Ada is booked 60 hours
in the week after, against 40 a week. ``world.other_project`` has no baseline.
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone

from pmo.changes.choices import ChangeStatus
from pmo.changes.models import ChangeRequest
from pmo.core.choices import Role, ScopeType
from pmo.core.testing.logins import make_login
from pmo.governance.choices import ActionStatus, IssueStatus
from pmo.governance.models import ActionItem, Issue, Risk, RiskScale
from pmo.planning.models import Activity, Baseline, BaselineActivity
from pmo.portfolio.choices import LifecycleStage
from pmo.portfolio.models import Project
from pmo.portfolio.testing import World, build_world
from pmo.resourcing.choices import ResourceKind, TimesheetStatus
from pmo.resourcing.models import Allocation, Assignment, Resource, Timesheet, TimesheetLine

AS_OF = date(2026, 3, 22)


def moment(day: date, hour: int = 8) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


@dataclass
class HealthWorld:
    world: World
    manager: object  # project manager of world.project
    analyst: object  # PMO analyst across the organisation (reads everything, changes nothing)
    design: Activity
    build: Activity
    go_live: Activity
    ada: Resource


def _activity(project, position, name, dates, *, cost, percent, milestone=False, critical=False, total_float=0):
    start, finish = dates
    return Activity.objects.create(
        project=project,
        position=position,
        name=name,
        is_milestone=milestone,
        duration_minutes=0 if milestone else 480 * 10,
        start=moment(start),
        finish=moment(finish, 17),
        early_start=moment(start),
        early_finish=moment(finish, 17),
        cost=Decimal(cost),
        percent_complete=Decimal(percent),
        actual_finish=moment(finish, 17) if percent == 100 else None,
        is_critical=critical,
        total_float_minutes=total_float,
    )


def build_health_world() -> HealthWorld:
    world = build_world()
    project = world.project
    Project.objects.filter(pk=project.pk).update(stage=LifecycleStage.DELIVERY)
    project.refresh_from_db()
    design = _activity(project, 1, "Design", (date(2026, 3, 2), date(2026, 3, 13)), cost=1000, percent=100)
    build = _activity(
        project,
        2,
        "Build",
        (date(2026, 3, 16), date(2026, 3, 27)),
        cost=2000,
        percent=25,
        critical=True,
        total_float=-480,
    )
    go_live = _activity(project, 3, "Go live", (date(2026, 4, 3), date(2026, 4, 3)), cost=0, percent=0, milestone=True)
    baseline = Baseline.objects.create(project=project, number=0, name="Approved plan", is_primary=True)
    BaselineActivity.objects.bulk_create(
        [
            BaselineActivity(
                baseline=baseline,
                activity=activity,
                name=activity.name,
                start=moment(start),
                finish=moment(finish, 17),
                cost=Decimal(cost),
            )
            for activity, start, finish, cost in (
                (design, date(2026, 3, 2), date(2026, 3, 13), 1000),
                (build, date(2026, 3, 16), date(2026, 3, 27), 2000),
                (go_live, date(2026, 3, 27), date(2026, 3, 27), 0),
            )
        ]
    )
    ada = Resource.objects.create(kind=ResourceKind.PERSON, name="Ada")
    # The plan's labour is costed on a generic role: all of Design's and Build's cost is labour,
    # so actual cost is the approved timesheets alone (no non-labour cost to accrue).
    developer = Resource.objects.create(kind=ResourceKind.ROLE, name="Developer")
    for activity, cost in ((design, 1000), (build, 2000)):
        Assignment.objects.create(
            project=project, activity=activity, resource=developer, planned_hours=Decimal(0), planned_cost=Decimal(cost)
        )
    weeks = (
        (date(2026, 3, 2), TimesheetStatus.APPROVED, 600),
        (date(2026, 3, 9), TimesheetStatus.APPROVED, 400),
        (date(2026, 3, 16), TimesheetStatus.APPROVED, 800),
        (date(2026, 3, 23), TimesheetStatus.APPROVED, 400),
        (date(2026, 3, 30), TimesheetStatus.SUBMITTED, 999),
    )
    for monday, status, cost in weeks:
        sheet = Timesheet.objects.create(resource=ada, week_start=monday, status=status)
        TimesheetLine.objects.create(
            timesheet=sheet, project=project, activity=build, hours=[8, 8, 8, 8, 8, 0, 0], cost=Decimal(cost)
        )
    Allocation.objects.create(project=project, resource=ada, period_start=date(2026, 3, 23), hours=Decimal(60))
    red_from = RiskScale.current().red_from
    for title, probability, impact, residual in (
        ("Supplier fails", 4, 4, (4, 3)),
        ("Data loss", 4, 3, None),
        ("Minor delay", 2, 2, None),
    ):
        Risk.objects.create(
            project=project,
            title=title,
            raised_on=date(2026, 3, 1),
            probability=probability,
            impact=impact,
            residual_probability=residual[0] if residual else None,
            residual_impact=residual[1] if residual else None,
        )
    assert 4 * 3 >= red_from > 2 * 2
    Risk.objects.create(
        project=project, title="Closed", raised_on=date(2026, 3, 1), probability=5, impact=5, status="closed"
    )
    Issue.objects.create(project=project, title="Late data", raised_on=date(2026, 3, 1), due_on=date(2026, 3, 10))
    Issue.objects.create(project=project, title="Fine", raised_on=date(2026, 3, 1), due_on=date(2026, 4, 10))
    Issue.objects.create(
        project=project, title="Done", raised_on=date(2026, 3, 1), due_on=date(2026, 3, 1), status=IssueStatus.CLOSED
    )
    ActionItem.objects.create(project=project, title="Chase supplier", due_on=date(2026, 3, 5))
    ActionItem.objects.create(
        project=project, title="Old", due_on=date(2026, 3, 5), status=ActionStatus.DONE, completed_on=date(2026, 3, 6)
    )
    for number, status, cost in ((1, ChangeStatus.SUBMITTED, 100), (2, ChangeStatus.APPROVED, 300)):
        ChangeRequest.objects.create(
            project=project,
            number=number,
            title=f"Change {number}",
            raised_on=date(2026, 3, 1),
            status=status,
            cost_impact=Decimal(cost),
        )
    return HealthWorld(
        world=world,
        manager=make_login("hw.manager", Role.PROJECT_MANAGER, ScopeType.PROJECT, project.pk),
        analyst=make_login("hw.analyst", Role.PMO_ANALYST),
        design=design,
        build=build,
        go_live=go_live,
        ada=ada,
    )
