"""Who sees and decides a levelling run: whoever holds the action on its target itself — a role on
the project (or above it) for a project's run, on the programme (or its portfolio) for a
programme's, on the portfolio for a portfolio's. Seeing one project of a programme is not enough to
see the programme's run, which shows every project's activities."""

from django.db.models import Q

from pmo.core.choices import ScopeType
from pmo.core.querysets import RestrictedQuerySet


class LevellingRunQuerySet(RestrictedQuerySet):
    def scope_filter(self, grants, action: str):
        portfolios = grants.ids(ScopeType.PORTFOLIO, action)
        programmes = grants.ids(ScopeType.PROGRAMME, action)
        projects = grants.ids(ScopeType.PROJECT, action)
        return (
            Q(scope="project")
            & (
                Q(project__portfolio_id__in=portfolios)
                | Q(project__programme_id__in=programmes)
                | Q(project_id__in=projects)
            )
            | Q(scope="programme") & (Q(programme__portfolio_id__in=portfolios) | Q(programme_id__in=programmes))
            | Q(scope="portfolio", portfolio_id__in=portfolios)
        )
