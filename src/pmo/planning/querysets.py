"""Permission querysets of plans: everything in a plan follows its project's permission."""

from django.db.models import Q

from pmo.core.choices import ScopeType
from pmo.core.querysets import RestrictedQuerySet
from pmo.portfolio.querysets import ProjectRelatedQuerySet


class ActivityQuerySet(ProjectRelatedQuerySet):
    pass


class ProjectPlanQuerySet(ProjectRelatedQuerySet):
    pass


class BaselineQuerySet(ProjectRelatedQuerySet):
    pass


class LinkQuerySet(RestrictedQuerySet):
    """A link is seen by whoever sees its successor's project (the one it constrains) or its
    predecessor's; changed by whoever may change the successor's project."""

    def scope_filter(self, grants, action: str):
        def end(prefix: str) -> Q:
            return (
                Q(**{f"{prefix}__project__portfolio_id__in": grants.ids(ScopeType.PORTFOLIO, action)})
                | Q(**{f"{prefix}__project__programme_id__in": grants.ids(ScopeType.PROGRAMME, action)})
                | Q(**{f"{prefix}__project_id__in": grants.ids(ScopeType.PROJECT, action)})
            )

        if action == "view":
            return end("successor") | end("predecessor")
        return end("successor")


class CalendarQuerySet(RestrictedQuerySet):
    """Organisation calendars (no project) are read by anyone with a role and changed by those
    with the action everywhere; a project's calendars follow the project."""

    def scope_filter(self, grants, action: str):
        shared = Q(project__isnull=True) if action == "view" else Q(pk__in=[])
        return (
            shared
            | Q(project__portfolio_id__in=grants.ids(ScopeType.PORTFOLIO, action))
            | Q(project__programme_id__in=grants.ids(ScopeType.PROGRAMME, action))
            | Q(project_id__in=grants.ids(ScopeType.PROJECT, action))
        )
