"""The portfolio of the demo: strategic objectives, portfolios, programmes, projects, the
objectives each project serves and the dependencies between projects.

Project dates follow the project's stage relative to ``today``: closed projects lie in the past,
proposed ones in the future, projects in delivery span today.
"""

import math
import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from pmo.demo.context import DemoContext
from pmo.demo.names import (
    BENEFITS,
    DEPENDENCY_OUTPUTS,
    OBJECTIVES,
    PHASES,
    PORTFOLIOS,
    PROGRAMMES,
    PROJECTS,
    SITES,
)
from pmo.portfolio.choices import RAG, DependencyStatus, LifecycleStage
from pmo.portfolio.models import (
    Portfolio,
    Programme,
    Project,
    ProjectDependency,
    ProjectObjective,
    StrategicObjective,
)

# Share of projects in each stage; every stage gets at least one project.
STAGE_SHARES = {
    LifecycleStage.PROPOSED: 0.12,
    LifecycleStage.INITIATION: 0.10,
    LifecycleStage.PLANNING: 0.15,
    LifecycleStage.DELIVERY: 0.38,
    LifecycleStage.CLOSING: 0.07,
    LifecycleStage.CLOSED: 0.13,
    LifecycleStage.CANCELLED: 0.05,
}
ACTIVE_STAGES = (LifecycleStage.INITIATION, LifecycleStage.PLANNING, LifecycleStage.DELIVERY, LifecycleStage.CLOSING)

# How far through its planned span a project in each active stage is today (fraction of duration).
STAGE_PROGRESS = {
    LifecycleStage.INITIATION: (0.0, 0.08),
    LifecycleStage.PLANNING: (0.05, 0.25),
    LifecycleStage.DELIVERY: (0.2, 0.85),
    LifecycleStage.CLOSING: (0.92, 1.08),
}

# RAG weights (green, amber, red) per stage: mostly green, some amber, a few red.
RAG_WEIGHTS = {
    LifecycleStage.PROPOSED: (90, 10, 0),
    LifecycleStage.INITIATION: (75, 20, 5),
    LifecycleStage.PLANNING: (70, 22, 8),
    LifecycleStage.DELIVERY: (60, 28, 12),
    LifecycleStage.CLOSING: (65, 25, 10),
    LifecycleStage.CLOSED: (80, 15, 5),
    LifecycleStage.CANCELLED: (20, 40, 40),
}
RAGS = (RAG.GREEN, RAG.AMBER, RAG.RED)

MIN_BUDGET, MAX_BUDGET = 40_000, 12_000_000
OBJECTIVE_WEIGHTS = (10, 15, 20, 25, 30, 40)
# How a project's value splits between the objectives it serves (percent).
CONTRIBUTION_SPLITS = {
    1: ((100,),),
    2: ((60, 40), (70, 30), (50, 50), (80, 20)),
    3: ((50, 30, 20), (40, 40, 20), (60, 20, 20)),
}


def largest_remainder(total: int, shares: dict, minimum: int = 1) -> dict:
    """Split ``total`` into whole counts proportional to ``shares``, each at least ``minimum``."""
    keys = list(shares)
    spare = total - minimum * len(keys)
    if spare < 0:
        raise ValueError(f"Cannot give {len(keys)} groups at least {minimum} each out of {total}.")
    weight = sum(shares.values())
    exact = {key: spare * shares[key] / weight for key in keys}
    counts = {key: minimum + math.floor(exact[key]) for key in keys}
    by_remainder = sorted(keys, key=lambda key: exact[key] - math.floor(exact[key]), reverse=True)
    for key in by_remainder[: total - sum(counts.values())]:
        counts[key] += 1
    return counts


class NamePicker:
    """Hands out names that are unique within one demo; once a list runs dry, varies its names
    with a site or a phase ("Warehouse automation (Leeds)", "ERP upgrade phase 2")."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used: set[str] = set()

    def pick(self, candidates) -> str:
        fresh = [name for name in candidates if name not in self.used]
        if fresh:
            return self._take(self.rng.choice(fresh))
        base = self.rng.choice(candidates)
        for _ in range(50):
            if self.rng.random() < 0.7:
                variant = f"{base} ({self.rng.choice(SITES)})"
            else:
                variant = f"{base} {self.rng.choice(PHASES)}"
            if variant not in self.used:
                return self._take(variant)
        number = 2
        while f"{base} {number}" in self.used:
            number += 1
        return self._take(f"{base} {number}")

    def _take(self, name: str) -> str:
        self.used.add(name)
        return name


def _executive_pool(ctx: DemoContext) -> list:
    """Executives who may sponsor work: everyone on the board but the chief executive, who chairs it."""
    return ctx.posts["executive"][1:] or ctx.posts["executive"]


# --- objectives and portfolios --------------------------------------------------------------


def make_objectives(ctx: DemoContext) -> None:
    rng = ctx.random("objectives")
    owners = _executive_pool(ctx)
    objectives = []
    for number, (name, theme, description) in enumerate(OBJECTIVES[: ctx.size.objectives], start=1):
        active_from = date(ctx.today.year - rng.randint(0, 2), rng.choice((1, 4)), 1)
        if active_from > ctx.today:
            active_from = active_from.replace(year=active_from.year - 1)
        active_to = None if rng.random() < 0.3 else date(ctx.today.year + rng.randint(1, 3), 12, 31)
        code = f"OBJ-{number:02d}"
        ctx.theme_of[code] = theme
        objectives.append(
            StrategicObjective(
                code=code,
                name=name,
                description=description,
                weight=Decimal(rng.choice(OBJECTIVE_WEIGHTS)),
                owner=owners[(number - 1) % len(owners)],
                active_from=active_from,
                active_to=active_to,
            )
        )
    ctx.objectives = ctx.save_all(StrategicObjective, objectives)


def make_portfolios(ctx: DemoContext) -> None:
    if ctx.size.portfolios > len(PORTFOLIOS):
        raise ValueError(f"At most {len(PORTFOLIOS)} portfolios have names.")
    portfolios = []
    for number, (name, description, themes) in enumerate(PORTFOLIOS[: ctx.size.portfolios], start=1):
        code = f"PF-{number:02d}"
        ctx.theme_of[code] = themes
        portfolios.append(
            Portfolio(code=code, name=name, description=description, manager=ctx.posts["portfolio_manager"][number - 1])
        )
    ctx.portfolios = ctx.save_all(Portfolio, portfolios)


def make_programmes(ctx: DemoContext) -> None:
    rng = ctx.random("programmes")
    names = NamePicker(rng)
    managers = iter(ctx.posts["programme_manager"])
    executives, heads = _executive_pool(ctx), ctx.posts["unit_head"]
    programmes = []
    for portfolio in ctx.portfolios:
        themes = ctx.theme_of[portfolio.code]
        for index in range(ctx.size.programmes_per_portfolio):
            theme = themes[index % len(themes)]
            name = names.pick(PROGRAMMES[theme])
            code = f"PGM-{len(programmes) + 1:02d}"
            ctx.theme_of[code] = theme
            sro = rng.choice(executives) if rng.random() < 0.75 or not heads else rng.choice(heads)
            programmes.append(
                Programme(
                    portfolio=portfolio,
                    code=code,
                    name=name,
                    manager=next(managers),
                    sro=sro,
                    description=f"The {name.lower()} programme of the {portfolio.name.lower()} portfolio.",
                )
            )
    ctx.programmes = ctx.save_all(Programme, programmes)


# --- projects -------------------------------------------------------------------------------


@dataclass
class _ProjectDraft:
    portfolio: Portfolio
    programme: Programme | None
    theme: str
    stage: str = ""
    name: str = ""
    budget: Decimal = Decimal("0")
    planned_start: date | None = None
    planned_finish: date | None = None
    rag: str = RAG.GREEN


def _monday_on_or_before(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _friday_on_or_after(day: date) -> date:
    return day + timedelta(days=(4 - day.weekday()) % 7)


def _budget(rng: random.Random) -> Decimal:
    amount = min(MAX_BUDGET, max(MIN_BUDGET, math.exp(rng.gauss(math.log(450_000), 0.9))))
    step = 5_000 if amount < 1_000_000 else 50_000
    return Decimal(round(amount / step) * step).quantize(Decimal("0.01"))


def _dates(rng: random.Random, stage: str, budget: Decimal, today: date) -> tuple[date, date]:
    """Planned start and finish: longer for bigger budgets, placed around today by stage."""
    months = 4 + 5 * math.log10(float(budget) / 50_000)
    duration = timedelta(days=round(min(30, max(3, months * rng.uniform(0.8, 1.2))) * 30.4))
    if stage == LifecycleStage.PROPOSED:
        start = today + timedelta(days=rng.randint(30, 270))
    elif stage == LifecycleStage.CLOSED:
        start = today - timedelta(days=rng.randint(60, 900)) - duration
    elif stage == LifecycleStage.CANCELLED:
        start = today - timedelta(days=rng.randint(60, 500))
    else:
        low, high = STAGE_PROGRESS[stage]
        start = today - duration * rng.uniform(low, high)
    start = _monday_on_or_before(start)
    if stage == LifecycleStage.DELIVERY:
        # Keep a delivery project spanning today even after rounding to whole weeks.
        start = min(start, _monday_on_or_before(today - timedelta(days=7)))
    finish = _friday_on_or_after(start + duration)
    if stage == LifecycleStage.DELIVERY:
        finish = max(finish, _friday_on_or_after(today + timedelta(days=7)))
    return start, finish


def _drafts(ctx: DemoContext, rng: random.Random) -> list[_ProjectDraft]:
    """Where each project sits and its theme: every programme gets at least two projects."""
    size = ctx.size
    standalone = round(size.projects * size.standalone_share)
    in_programmes = size.projects - standalone
    if in_programmes < 2 * len(ctx.programmes):
        raise ValueError(f"{in_programmes} projects cannot give {len(ctx.programmes)} programmes two each.")
    programme_weights = [rng.uniform(0.6, 1.4) for _ in ctx.programmes]
    extra = rng.choices(range(len(ctx.programmes)), programme_weights, k=in_programmes - 2 * len(ctx.programmes))
    per_programme = [2 + extra.count(index) for index in range(len(ctx.programmes))]
    drafts = []
    for programme, count in zip(ctx.programmes, per_programme, strict=True):
        portfolio_themes = ctx.theme_of[programme.portfolio.code]
        for _ in range(count):
            theme = ctx.theme_of[programme.code] if rng.random() < 0.8 else rng.choice(portfolio_themes)
            drafts.append(_ProjectDraft(portfolio=programme.portfolio, programme=programme, theme=theme))
    for index in range(standalone):
        portfolio = ctx.portfolios[index % len(ctx.portfolios)]
        theme = rng.choice(ctx.theme_of[portfolio.code])
        drafts.append(_ProjectDraft(portfolio=portfolio, programme=None, theme=theme))
    return drafts


def _assign_stages(ctx: DemoContext, rng: random.Random, drafts: list[_ProjectDraft]) -> None:
    counts = largest_remainder(len(drafts), STAGE_SHARES)
    stages = [stage for stage, count in counts.items() for _ in range(count)]
    rng.shuffle(stages)
    for draft, stage in zip(drafts, stages, strict=True):
        draft.stage = stage
    # The project.manager login manages a project in delivery inside the first programme.
    first = [draft for draft in drafts if draft.programme is ctx.programmes[0]]
    if not any(draft.stage == LifecycleStage.DELIVERY for draft in first):
        donor = next(draft for draft in drafts if draft.stage == LifecycleStage.DELIVERY)
        donor.stage, first[0].stage = first[0].stage, donor.stage


def _scope_statement(rng: random.Random, name: str, theme: str) -> str:
    first, second = rng.sample(BENEFITS[theme], 2)
    return f"{name}. The project aims to {first} and {second}."


def make_projects(ctx: DemoContext) -> None:
    """Projects across every stage; codes are issued in order of planned start, like a register."""
    rng = ctx.random("projects")
    names = NamePicker(ctx.random("project-names"))
    drafts = _drafts(ctx, rng)
    _assign_stages(ctx, rng, drafts)
    for draft in drafts:
        draft.name = names.pick(PROJECTS[draft.theme])
        draft.budget = _budget(rng)
        draft.planned_start, draft.planned_finish = _dates(rng, draft.stage, draft.budget, ctx.today)
        draft.rag = rng.choices(RAGS, RAG_WEIGHTS[draft.stage])[0]
    drafts.sort(key=lambda draft: (draft.planned_start, draft.name))

    width = max(3, len(str(len(drafts))))
    projects = []
    for number, draft in enumerate(drafts, start=1):
        code = f"PRJ-{number:0{width}d}"
        ctx.theme_of[code] = draft.theme
        projects.append(
            Project(
                portfolio=draft.portfolio,
                programme=draft.programme,
                code=code,
                name=draft.name,
                scope_statement=_scope_statement(rng, draft.name, draft.theme),
                stage=draft.stage,
                planned_start=draft.planned_start,
                planned_finish=draft.planned_finish,
                budget=draft.budget,
                rag=draft.rag,
            )
        )
    _choose_login_projects(ctx, projects)
    _staff_projects(ctx, rng, projects)
    ctx.projects = ctx.save_all(Project, projects)


def _choose_login_projects(ctx: DemoContext, projects: list[Project]) -> None:
    """The delivery project the project.manager login runs, and the two the team.member works on."""
    first = [project for project in projects if project.programme is ctx.programmes[0]]
    ctx.login_project = next(project for project in first if project.stage == LifecycleStage.DELIVERY)
    others = [project for project in first if project is not ctx.login_project and project.stage in ACTIVE_STAGES]
    others += [project for project in projects if project is not ctx.login_project and project.stage in ACTIVE_STAGES]
    ctx.team_member_projects = [ctx.login_project, others[0]]


def _staff_projects(ctx: DemoContext, rng: random.Random, projects: list[Project]) -> None:
    """Project managers and SROs. The project.manager login's person manages its one project only;
    the chief executive sponsors nothing (they chair the portfolio board)."""
    login_manager, *managers = ctx.posts["project_manager"]
    ctx.login_project.manager = login_manager
    to_staff = [
        project
        for project in projects
        if project is not ctx.login_project and not (project.stage == LifecycleStage.PROPOSED and rng.random() < 0.5)
    ]
    rng.shuffle(to_staff)
    for index, project in enumerate(to_staff):
        project.manager = managers[index % len(managers)]
    executives, heads = _executive_pool(ctx), ctx.posts["unit_head"] or _executive_pool(ctx)
    for project in projects:
        if project.programme is not None and rng.random() < 0.5:
            project.sro = project.programme.sro
        else:
            project.sro = rng.choice(heads) if rng.random() < 0.7 else rng.choice(executives)


# --- objective links and dependencies -------------------------------------------------------


def make_objective_links(ctx: DemoContext) -> None:
    """Each project serves one to three objectives, first one of its own theme where there is one."""
    rng = ctx.random("objective-links")
    links = []
    for project in ctx.projects:
        count = rng.choices((1, 2, 3), (45, 40, 15))[0]
        same_theme = [o for o in ctx.objectives if ctx.theme_of[o.code] == ctx.theme_of[project.code]]
        chosen = [rng.choice(same_theme)] if same_theme else []
        rest = [o for o in ctx.objectives if o not in chosen]
        chosen += rng.sample(rest, count - len(chosen))
        split = rng.choice(CONTRIBUTION_SPLITS[count])
        links += [
            ProjectObjective(project=project, objective=objective, contribution_weight=Decimal(weight))
            for objective, weight in zip(chosen, split, strict=True)
        ]
    ctx.save_all(ProjectObjective, links)


def _dependency_status(rng: random.Random, needed_by: date, provider: Project, today: date) -> str:
    troubled = provider.rag != RAG.GREEN
    if needed_by < today:
        return DependencyStatus.BROKEN if rng.random() < (0.4 if troubled else 0.1) else DependencyStatus.MET
    return DependencyStatus.AT_RISK if rng.random() < (0.6 if troubled else 0.15) else DependencyStatus.OPEN


def make_dependencies(ctx: DemoContext) -> None:
    """Dependencies between projects, mostly within a programme. A provider always starts before
    the project that depends on it, so the dependencies never form a cycle."""
    rng = ctx.random("dependencies")
    live = [project for project in ctx.projects if project.stage != LifecycleStage.CANCELLED]
    by_programme: dict = {}
    for project in live:
        by_programme.setdefault(project.programme_id, []).append(project)
    pairs: set[tuple[int, int]] = set()
    dependencies = []
    for _ in range(ctx.size.dependencies * 50):
        if len(dependencies) == ctx.size.dependencies:
            break
        dependent = rng.choice(live)
        if dependent.programme_id is not None and rng.random() < 0.75:
            candidates = by_programme[dependent.programme_id]
        else:
            candidates = [
                project
                for project in live
                if project.programme_id is None or project.programme_id != dependent.programme_id
            ]
        candidates = [project for project in candidates if project.planned_start < dependent.planned_start]
        if not candidates:
            continue
        provider = rng.choice(candidates)
        if (provider.pk, dependent.pk) in pairs:
            continue
        pairs.add((provider.pk, dependent.pk))
        span = (dependent.planned_finish - dependent.planned_start).days
        needed_by = max(
            dependent.planned_start + timedelta(days=round(span * rng.uniform(0.1, 0.6))),
            provider.planned_start + timedelta(days=14),
        )
        dependencies.append(
            ProjectDependency(
                dependent=dependent,
                provider=provider,
                output=rng.choice(DEPENDENCY_OUTPUTS[ctx.theme_of[provider.code]]),
                needed_by=needed_by,
                status=_dependency_status(rng, needed_by, provider, ctx.today),
            )
        )
    ctx.save_all(ProjectDependency, dependencies)
