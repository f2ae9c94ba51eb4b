"""Reads for the portfolio pages: what a user may see, summarised, in a fixed number of queries."""

from django.db.models import Count, Q, Sum

from pmo.core.choices import Action
from pmo.portfolio.choices import RAG, LifecycleStage
from pmo.portfolio.models import Portfolio, Programme, Project, ProjectDependency


def visible_projects(user, action: str = Action.VIEW):
    return Project.objects.visible_to(user, action).select_related("portfolio", "programme", "manager", "sro")


def stage_and_rag_summary(projects) -> dict:
    """Counts of active projects by lifecycle stage and by RAG, and their total budget (2 queries)."""
    active = projects.filter(is_archived=False)
    by_stage = dict(active.order_by().values_list("stage").annotate(n=Count("id")))
    totals = active.aggregate(
        budget=Sum("budget"),
        **{rag: Count("id", filter=Q(rag=rag)) for rag in RAG.values},
    )
    return {
        "stages": [(stage.label, stage.value, by_stage.get(stage.value, 0)) for stage in LifecycleStage],
        "rag": [(rag.label, rag.value, totals[rag.value]) for rag in RAG],
        "budget": totals["budget"] or 0,
        "count": sum(by_stage.values()),
    }


def portfolio_overview(user, portfolio: Portfolio) -> dict:
    projects = visible_projects(user).filter(portfolio=portfolio)
    programmes = (
        Programme.objects.visible_to(user)
        .filter(portfolio=portfolio, is_archived=False)
        .select_related("manager", "sro")
        .annotate(
            project_count=Count("projects", filter=Q(projects__in=projects.filter(is_archived=False).values("id")))
        )
    )
    return {
        "summary": stage_and_rag_summary(projects),
        "programmes": programmes,
        "standalone_projects": projects.filter(programme__isnull=True, is_archived=False),
    }


def programme_overview(user, programme: Programme) -> dict:
    projects = visible_projects(user).filter(programme=programme)
    return {"summary": stage_and_rag_summary(projects), "projects": projects.filter(is_archived=False)}


def project_dependencies(user, project: Project) -> dict:
    visible = ProjectDependency.objects.visible_to(user).select_related("dependent", "provider")
    return {"needs": visible.filter(dependent=project), "provides": visible.filter(provider=project)}


def home_overview(user) -> dict:
    projects = visible_projects(user)
    mine = projects.filter(Q(manager__user=user) | Q(sro__user=user), is_archived=False)
    upcoming = (
        projects.filter(is_archived=False, stage__in=[LifecycleStage.PLANNING, LifecycleStage.DELIVERY])
        .exclude(planned_finish__isnull=True)
        .order_by("planned_finish")[:8]
    )
    attention = projects.filter(is_archived=False, rag__in=[RAG.RED, RAG.AMBER]).order_by("rag", "code")[:10]
    return {
        "summary": stage_and_rag_summary(projects),
        "portfolios": Portfolio.objects.visible_to(user)
        .active()
        .annotate(
            project_count=Count("projects", filter=Q(projects__is_archived=False, projects__in=projects.values("id")))
        ),
        "my_projects": mine[:10],
        "upcoming": upcoming,
        "attention": attention,
    }
