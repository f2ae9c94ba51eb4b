"""Permission querysets of highlight reporting.

A highlight report follows its project's permission. A report pack gathers the reports of every
project of a programme or a portfolio, so it is seen only by those whose role covers that whole
programme or portfolio (a project manager sees their own reports, not the pack). The reporting
policy is an organisation record: everyone with a role reads it, the PMO changes it.
"""

from django.db.models import Q

from pmo.core.choices import ScopeType
from pmo.core.querysets import OrganisationQuerySet, RestrictedQuerySet
from pmo.portfolio.querysets import ProjectRelatedQuerySet


class ReportingPolicyQuerySet(OrganisationQuerySet):
    """The organisation's policy: read by anyone with a role, changed by the PMO."""


class HighlightReportQuerySet(ProjectRelatedQuerySet):
    """A report follows its project's permission."""


class ReportReminderQuerySet(ProjectRelatedQuerySet):
    """A reminder follows its project's permission."""


class ReportPackQuerySet(RestrictedQuerySet):
    def scope_filter(self, grants, action: str):
        portfolios = grants.ids(ScopeType.PORTFOLIO, action)
        programmes = grants.ids(ScopeType.PROGRAMME, action)
        return (
            Q(programme__isnull=False, programme__portfolio_id__in=portfolios)
            | Q(programme_id__in=programmes)
            | Q(programme__isnull=True, portfolio_id__in=portfolios)
        )
