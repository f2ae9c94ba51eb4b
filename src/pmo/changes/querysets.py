"""Querysets of change control: what each user may see and change.

Change requests, configuration items and quality reviews follow their project's permission; their
parts (affected activities, versions, criteria) follow their parent's. Approval policies: the
organisation's default is read by anyone with a role and changed only with the action across the
organisation; a programme's or a project's follows that programme or project.
"""

from django.db.models import Q

from pmo.core.choices import Action, ScopeType
from pmo.core.querysets import RestrictedQuerySet
from pmo.portfolio.querysets import ProjectRelatedQuerySet


class ChangeRequestQuerySet(ProjectRelatedQuerySet):
    pass


class ActivityChangeQuerySet(ProjectRelatedQuerySet):
    project_field = "change_request__project"


class ConfigurationItemQuerySet(ProjectRelatedQuerySet):
    pass


class ConfigurationItemVersionQuerySet(ProjectRelatedQuerySet):
    project_field = "item__project"


class QualityReviewQuerySet(ProjectRelatedQuerySet):
    pass


class ReviewCriterionQuerySet(ProjectRelatedQuerySet):
    project_field = "review__project"


class ApprovalPolicyQuerySet(RestrictedQuerySet):
    def scope_filter(self, grants, action: str):
        portfolios = grants.ids(ScopeType.PORTFOLIO, action)
        programmes = grants.ids(ScopeType.PROGRAMME, action)
        projects = grants.ids(ScopeType.PROJECT, action)
        default = Q(programme__isnull=True, project__isnull=True) if action == Action.VIEW else Q(pk__in=[])
        return (
            default
            | Q(programme__portfolio_id__in=portfolios)
            | Q(programme_id__in=programmes)
            | Q(project__portfolio_id__in=portfolios)
            | Q(project__programme_id__in=programmes)
            | Q(project_id__in=projects)
        )
