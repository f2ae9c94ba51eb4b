"""Permission querysets of the KPI app.

KPI definitions are the PMO's library: a KPI for every project, programme or portfolio is read by
anyone holding a role; a KPI for one named project, programme or portfolio by whoever sees that
one. Only a role across the organisation (the PMO) changes them.

Measurements and recommendations sit on one project, programme or portfolio (their target) and
follow its permission: a role on a portfolio covers its programmes' and projects' KPIs, a role on
a programme its projects'.
"""

from django.db.models import Q

from pmo.core.choices import Action, ScopeType
from pmo.core.querysets import RestrictedQuerySet


def target_filter(grants, action: str, prefix: str = "") -> Q:
    """Rows whose project, programme or portfolio (fields under ``prefix``) the grants cover."""
    portfolios = grants.ids(ScopeType.PORTFOLIO, action)
    programmes = grants.ids(ScopeType.PROGRAMME, action)
    projects = grants.ids(ScopeType.PROJECT, action)
    return (
        Q(**{f"{prefix}project__portfolio_id__in": portfolios})
        | Q(**{f"{prefix}project__programme_id__in": programmes})
        | Q(**{f"{prefix}project_id__in": projects})
        | Q(**{f"{prefix}programme__portfolio_id__in": portfolios})
        | Q(**{f"{prefix}programme_id__in": programmes})
        | Q(**{f"{prefix}portfolio_id__in": portfolios})
    )


class KPIQuerySet(RestrictedQuerySet):
    def scope_filter(self, grants, action: str):
        if action != Action.VIEW:
            return None
        every = Q(project__isnull=True, programme__isnull=True, portfolio__isnull=True)
        return every | target_filter(grants, action)

    def active(self):
        return self.filter(is_active=True)


class TargetQuerySet(RestrictedQuerySet):
    """Rows on one project, programme or portfolio."""

    def scope_filter(self, grants, action: str):
        return target_filter(grants, action)

    def of_target(self, target):
        return self.filter(**{target._meta.model_name: target})


class MeasurementQuerySet(TargetQuerySet):
    """Measurements follow the permission of their project, programme or portfolio."""


class RecommendationQuerySet(TargetQuerySet):
    def proposed(self):
        return self.filter(status="proposed")
