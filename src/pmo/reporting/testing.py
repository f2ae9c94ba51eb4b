"""A project with figures and a health check, a second project in the same programme, a project
manager and a PMO analyst, for the tests of highlight reporting (and the permission matrix).

Built on the health world: ``world.project`` (HERE-1, in delivery) has its snapshot and health
check recorded for the week ending ``AS_OF`` (Sunday 2026-03-22): PV 2,000, EV 1,500, AC 1,800,
the milestone "Go live" due 2026-03-27 on the baseline and forecast 2026-04-03, two open high
risks, one change waiting for a decision. The policy is monthly, due 5 days after the month,
reminders 2 days ahead, owed from 2026-01-01. ``second`` (HERE-2, in delivery, same programme)
has no report and no manager; ``proposed`` (HERE-3) is only proposed, so it does not report.
"""

from dataclasses import dataclass
from datetime import date

from pmo.core.choices import Role, ScopeType
from pmo.core.testing.logins import make_login
from pmo.health import services as health
from pmo.health.testing import AS_OF, HealthWorld, build_health_world
from pmo.portfolio.choices import LifecycleStage
from pmo.portfolio.models import Project
from pmo.reporting.choices import ReportFrequency
from pmo.reporting.models import ReportingPolicy

MARCH = date(2026, 3, 15)


@dataclass
class ReportingWorld:
    hw: HealthWorld
    project: Project
    second: Project
    proposed: Project
    manager: object  # project manager of ``project`` (and its manager)
    analyst: object  # PMO analyst across the organisation: reviews, collates, changes nothing
    head: object  # PMO head across the organisation
    programme_manager: object  # portfolio manager role on the programme
    policy: ReportingPolicy

    @property
    def world(self):
        return self.hw.world


def build_reporting_world() -> ReportingWorld:
    hw = build_health_world()
    world = hw.world
    project = world.project
    Project.objects.filter(pk=project.pk).update(manager=hw.manager.person)
    second = Project.objects.create(
        portfolio=world.portfolio,
        programme=world.programme,
        code="HERE-2",
        name="Billing upgrade",
        stage=LifecycleStage.DELIVERY,
        planned_start=date(2026, 1, 5),
    )
    proposed = Project.objects.create(
        portfolio=world.portfolio, programme=world.programme, code="HERE-3", name="Loyalty idea"
    )
    policy = ReportingPolicy.objects.create(
        frequency=ReportFrequency.MONTHLY, due_days=5, reminder_days=2, starts_on=date(2026, 1, 1)
    )
    health.record_snapshots(project_ids=[project.pk], period_end=AS_OF)
    project.refresh_from_db()
    return ReportingWorld(
        hw=hw,
        project=project,
        second=second,
        proposed=proposed,
        manager=hw.manager,
        analyst=hw.analyst,
        head=world.org_head,
        programme_manager=make_login("rw.programme", Role.PORTFOLIO_MANAGER, ScopeType.PROGRAMME, world.programme.pk),
        policy=policy,
    )
