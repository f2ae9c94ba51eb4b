"""Loading the demo: the order of the steps, the checks before and the audit event after.

To extend the demo (plans, resources, RAID, reports), add a module with a ``make_*(ctx)`` step per
kind of data and append the steps to ``STEPS`` after the steps whose objects they use.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction

from pmo.core.audit import record_event
from pmo.core.errors import DomainError
from pmo.core.models import OrganisationUnit
from pmo.demo.changes import make_change_control, make_quality_reviews
from pmo.demo.context import DemoContext
from pmo.demo.governance import make_raid
from pmo.demo.health import make_health
from pmo.demo.kpis import make_kpis
from pmo.demo.lifecycle import make_gate_history, make_governance_documents
from pmo.demo.logins import DEMO_LOGINS, make_logins
from pmo.demo.names import UNITS
from pmo.demo.offices import make_offices
from pmo.demo.organisation import make_people, make_units
from pmo.demo.planning import make_plans
from pmo.demo.portfolio import (
    make_dependencies,
    make_objective_links,
    make_objectives,
    make_portfolios,
    make_programmes,
    make_projects,
)
from pmo.demo.reporting import make_highlight_reports
from pmo.demo.resourcing import (
    make_allocations,
    make_assignments,
    make_resources,
    make_skills,
    make_timesheets,
    make_training,
)
from pmo.demo.roles import make_role_assignments
from pmo.demo.sizes import SIZES
from pmo.portfolio.choices import LifecycleStage
from pmo.portfolio.models import Portfolio, Programme, Project, StrategicObjective

DEFAULT_SEED = 2026
DEMO_LOADED = "demo.loaded"

STEPS: tuple[Callable[[DemoContext], None], ...] = (
    make_units,
    make_people,
    make_objectives,
    make_portfolios,
    make_programmes,
    make_projects,
    make_objective_links,
    make_dependencies,
    make_offices,
    make_role_assignments,
    make_logins,
    make_plans,
    make_skills,
    make_resources,
    make_assignments,
    make_allocations,
    make_timesheets,
    make_training,
    make_governance_documents,
    make_gate_history,
    make_change_control,
    make_quality_reviews,
    make_raid,
    make_highlight_reports,
    make_health,
    make_kpis,
)


@dataclass(frozen=True)
class DemoSummary:
    """What one load made: counts of rows, and the logins with the scope each one holds."""

    size: str
    seed: int
    today: date
    units: int
    people: int
    objectives: int
    portfolios: int
    programmes: int
    projects: int
    objective_links: int
    dependencies: int
    offices: int
    office_memberships: int
    role_assignments: int
    users: int
    plans: int
    activities: int
    links: int
    projects_by_stage: tuple[tuple[str, int], ...]
    # (username, role label, scope in this demo, person)
    logins: tuple[tuple[str, str, str, str], ...]

    def counts(self) -> dict[str, int]:
        """Rows made per model, by model label."""
        return {
            "core.OrganisationUnit": self.units,
            "core.Person": self.people,
            "core.PMOOffice": self.offices,
            "core.OfficeMembership": self.office_memberships,
            "core.RoleAssignment": self.role_assignments,
            "auth.User": self.users,
            "portfolio.StrategicObjective": self.objectives,
            "portfolio.Portfolio": self.portfolios,
            "portfolio.Programme": self.programmes,
            "portfolio.Project": self.projects,
            "portfolio.ProjectObjective": self.objective_links,
            "portfolio.ProjectDependency": self.dependencies,
            "planning.ProjectPlan": self.plans,
            "planning.Activity": self.activities,
            "planning.Link": self.links,
        }


def database_has_projects() -> bool:
    return Project.objects.exists()


def _refuse_clashes(ctx: DemoContext) -> None:
    """Refuse, naming them, any logins or codes the demo would make that exist already."""
    size = ctx.size
    wanted = (
        ("logins", get_user_model(), "username", [login.username for login in DEMO_LOGINS]),
        ("organisation units", OrganisationUnit, "code", [code for code, _, _ in UNITS[: size.units]]),
        ("objectives", StrategicObjective, "code", [f"OBJ-{n:02d}" for n in range(1, size.objectives + 1)]),
        ("portfolios", Portfolio, "code", [f"PF-{n:02d}" for n in range(1, size.portfolios + 1)]),
        ("programmes", Programme, "code", [f"PGM-{n:02d}" for n in range(1, size.programmes + 1)]),
    )
    found = []
    for what, model, field, values in wanted:
        taken = sorted(model.objects.filter(**{f"{field}__in": values}).values_list(field, flat=True))
        if taken:
            found.append(f"{what} {', '.join(taken)}")
    if found:
        raise DomainError(
            f"The demo would clash with data already here ({'; '.join(found)}); load it into an empty database."
        )


def _summary(ctx: DemoContext) -> DemoSummary:
    counts = ctx.counts
    stages = dict.fromkeys(LifecycleStage.values, 0)
    for project in ctx.projects:
        stages[project.stage] += 1
    return DemoSummary(
        size=ctx.size.name,
        seed=ctx.seed,
        today=ctx.today,
        units=counts["core.OrganisationUnit"],
        people=counts["core.Person"],
        objectives=counts["portfolio.StrategicObjective"],
        portfolios=counts["portfolio.Portfolio"],
        programmes=counts["portfolio.Programme"],
        projects=counts["portfolio.Project"],
        objective_links=counts["portfolio.ProjectObjective"],
        dependencies=counts["portfolio.ProjectDependency"],
        offices=counts["core.PMOOffice"],
        office_memberships=counts["core.OfficeMembership"],
        role_assignments=counts["core.RoleAssignment"],
        users=counts[get_user_model()._meta.label],
        plans=counts["planning.ProjectPlan"],
        activities=counts["planning.Activity"],
        links=counts["planning.Link"],
        projects_by_stage=tuple(stages.items()),
        logins=tuple(ctx.logins),
    )


def build_demo(*, size: str = "small", seed: int = DEFAULT_SEED, today: date) -> DemoSummary:
    """Load a believable demo organisation into an empty database, in one transaction.

    The same ``size``, ``seed`` and ``today`` always give the same names, codes, dates, budgets
    and assignments; dates are placed around ``today`` (the caller's clock, never read here).
    Refuses with ``DomainError`` on an unknown size or when the database already has projects.
    """
    if size not in SIZES:
        raise DomainError(f"Unknown demo size {size!r}; choose one of {', '.join(SIZES)}.", field="size")
    if not isinstance(today, date):
        raise DomainError("Give the date the demo is built around as a date.", field="today")
    ctx = DemoContext(seed=seed, today=today, size=SIZES[size])
    try:
        with transaction.atomic():
            if database_has_projects():
                raise DomainError(
                    "The database already has projects; the demo loads only into an empty database "
                    "(use --if-empty to skip it quietly)."
                )
            _refuse_clashes(ctx)
            for step in STEPS:
                step(ctx)
            summary = _summary(ctx)
            record_event(
                actor=None,
                action=DEMO_LOADED,
                obj=ctx.portfolios[0],
                after=summary.counts(),
                reason=f"Demo data, size {size}, seed {seed}, built around {today.isoformat()}.",
            )
    except IntegrityError as error:
        raise DomainError(f"The database refused the demo data, and none of it was kept: {error}") from None
    return summary
