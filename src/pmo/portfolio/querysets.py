"""Permission querysets of the portfolio hierarchy.

A role on a portfolio covers its programmes and projects; a role on a programme covers its
projects. Seeing any project also lets a person see the name and page of the programme and
portfolio it sits in (their lists of projects stay filtered).
"""

from django.db.models import Q

from pmo.core.choices import Action, ScopeType
from pmo.core.querysets import OrganisationQuerySet, RestrictedQuerySet


class StrategicObjectiveQuerySet(OrganisationQuerySet):
    pass


class PortfolioQuerySet(RestrictedQuerySet):
    def scope_filter(self, grants, action: str):
        condition = Q(id__in=grants.ids(ScopeType.PORTFOLIO, action))
        if action == Action.VIEW:
            condition |= Q(programmes__id__in=grants.ids(ScopeType.PROGRAMME, action))
            condition |= Q(projects__id__in=grants.ids(ScopeType.PROJECT, action))
            return Q(id__in=self.model.objects.filter(condition).values("id"))
        return condition

    def active(self):
        return self.filter(is_archived=False)


class ProgrammeQuerySet(RestrictedQuerySet):
    def scope_filter(self, grants, action: str):
        condition = Q(portfolio_id__in=grants.ids(ScopeType.PORTFOLIO, action)) | Q(
            id__in=grants.ids(ScopeType.PROGRAMME, action)
        )
        if action == Action.VIEW:
            condition |= Q(
                id__in=self.model.objects.filter(projects__id__in=grants.ids(ScopeType.PROJECT, action)).values("id")
            )
        return condition

    def active(self):
        return self.filter(is_archived=False)


class ProjectQuerySet(RestrictedQuerySet):
    def scope_filter(self, grants, action: str):
        return (
            Q(portfolio_id__in=grants.ids(ScopeType.PORTFOLIO, action))
            | Q(programme_id__in=grants.ids(ScopeType.PROGRAMME, action))
            | Q(id__in=grants.ids(ScopeType.PROJECT, action))
        )

    def active(self):
        return self.filter(is_archived=False)


class ProjectRelatedQuerySet(RestrictedQuerySet):
    """Rows that belong to one project (``project`` foreign key) follow the project's permission."""

    project_field = "project"

    def scope_filter(self, grants, action: str):
        p = self.project_field
        return (
            Q(**{f"{p}__portfolio_id__in": grants.ids(ScopeType.PORTFOLIO, action)})
            | Q(**{f"{p}__programme_id__in": grants.ids(ScopeType.PROGRAMME, action)})
            | Q(**{f"{p}_id__in": grants.ids(ScopeType.PROJECT, action)})
        )


class ProjectDependencyQuerySet(RestrictedQuerySet):
    """A dependency is seen by whoever sees either end; changed by whoever may change the
    project that depends (the one that needs the output)."""

    def scope_filter(self, grants, action: str):
        def ends(p: str) -> Q:
            return (
                Q(**{f"{p}__portfolio_id__in": grants.ids(ScopeType.PORTFOLIO, action)})
                | Q(**{f"{p}__programme_id__in": grants.ids(ScopeType.PROGRAMME, action)})
                | Q(**{f"{p}_id__in": grants.ids(ScopeType.PROJECT, action)})
            )

        if action == Action.VIEW:
            return ends("dependent") | ends("provider")
        return ends("dependent")
