"""Dashboard test data, written straight into the tables (as the daily snapshot task and the
planning and RAID services would leave it): projects with three weeks of snapshots, a latest
health check, a milestone against a primary baseline, an open risk and an objective."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from pmo.governance.models import Risk
from pmo.health.choices import Dimension, HealthStatus
from pmo.health.models import HealthCheck, ProjectSnapshot
from pmo.planning.models import Activity, Baseline, BaselineActivity
from pmo.portfolio.choices import RAG, LifecycleStage
from pmo.portfolio.models import Project, ProjectObjective
from pmo_engine.metrics import derive

TODAY = date(2026, 11, 22)  # a Sunday: the end of the last recorded period
PERIODS = (TODAY - timedelta(weeks=2), TODAY - timedelta(weeks=1), TODAY)
STATUSES = (HealthStatus.RED, HealthStatus.AMBER, HealthStatus.GREEN, HealthStatus.NOT_ASSESSED)


def _moment(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(17, 0)))


def figures_of(number: int, week: int) -> dict:
    """Project ``number``'s figures at the end of week ``week`` (0, 1, 2)."""
    bac = 1000.0 * (number + 1)
    pv = bac * 0.1 * (week + 1)
    ev = pv * (0.8 + 0.05 * (number % 5))
    ac = ev * (0.9 + 0.1 * (number % 4))
    figures = {"bac": bac, "pv": pv, "ev": ev, "ac": ac}
    figures.update(derive(figures))
    figures.update(
        risk_exposure=float(5 + number),
        overloaded_people=float(number % 3),
        overload_pct=70.0 + 20.0 * (number % 4),
        milestones=1.0,
    )
    return figures


def add_projects(world, count: int, *, start: int = 0, portfolio=None, programme=None, prefix: str = "DASH"):
    """``count`` projects in delivery (in ``world.programme`` unless said), each with its data."""
    portfolio = portfolio or world.portfolio
    programme = programme if programme is not None else world.programme
    projects = Project.objects.bulk_create(
        [
            Project(
                portfolio=portfolio,
                programme=programme,
                code=f"{prefix}-{number}",
                name=f"Dashboard project {number}",
                stage=LifecycleStage.DELIVERY,
                budget=Decimal(1200 * (number + 1)),
                rag=RAG.values[number % 3],
            )
            for number in range(start, start + count)
        ]
    )
    add_project_data(world, projects, start=start)
    return projects


def add_project_data(world, projects, *, start: int = 0) -> None:
    snapshots, checks, links, activities, risks, baselines = [], [], [], [], [], []
    for offset, project in enumerate(projects):
        number = start + offset
        for week, period_end in enumerate(PERIODS):
            figures = figures_of(number, week)
            snapshots.append(
                ProjectSnapshot(
                    project=project,
                    period_end=period_end,
                    is_latest=week == len(PERIODS) - 1,
                    bac=figures["bac"],
                    pv=figures["pv"],
                    ev=figures["ev"],
                    ac=figures["ac"],
                    spi=figures["spi"],
                    cpi=figures["cpi"],
                    figures=figures,
                )
            )
        status = STATUSES[number % 4]
        checks.append(
            HealthCheck(
                project=project,
                period_end=TODAY,
                is_latest=True,
                overall=status,
                **{dimension: STATUSES[(number + index) % 4] for index, dimension in enumerate(Dimension.values)},
                findings=[{"rule": "spi", "dimension": "schedule", "status": "red", "message": "SPI is low"}],
            )
        )
        links.append(ProjectObjective(project=project, objective=world.objective, contribution_weight=Decimal(100)))
        activities.append(
            Activity(
                project=project,
                name=f"Go live {number}",
                is_milestone=True,
                duration_minutes=0,
                finish=_moment(TODAY + timedelta(days=10 + number % 60)),
            )
        )
        baselines.append(Baseline(project=project, number=0, name="Approved plan", is_primary=True))
        risks.append(
            Risk(
                project=project,
                title=f"Supplier {number} fails",
                raised_on=TODAY,
                probability=4,
                impact=5,
                score=20,
                residual_probability=1 + number % 5,
                residual_impact=3,
                residual_score=(1 + number % 5) * 3,
            )
        )
    ProjectSnapshot.objects.bulk_create(snapshots)
    HealthCheck.objects.bulk_create(checks)
    ProjectObjective.objects.bulk_create(links)
    Activity.objects.bulk_create(activities)
    Baseline.objects.bulk_create(baselines)
    BaselineActivity.objects.bulk_create(
        [
            BaselineActivity(
                baseline=baseline, activity=activity, name=activity.name, finish=activity.finish - timedelta(days=3)
            )
            for baseline, activity in zip(baselines, activities, strict=True)
        ]
    )
    Risk.objects.bulk_create(risks)
