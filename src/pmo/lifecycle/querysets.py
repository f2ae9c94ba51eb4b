"""Querysets of this app: what each user may see and change.

The charter, the standards and the gate criteria belong to the whole organisation: anyone with a
role reads them (draft standards only those who read everything), and changing them needs a role
across the organisation. Terms of reference and gate reviews belong to one project and follow its
permission.
"""

from django.db.models import Q

from pmo.core.choices import Action
from pmo.core.querysets import OrganisationQuerySet
from pmo.portfolio.querysets import ProjectRelatedQuerySet


class PMOCharterQuerySet(OrganisationQuerySet):
    def published(self):
        return self.filter(status="published")


class StandardQuerySet(OrganisationQuerySet):
    def scope_filter(self, grants, action: str):
        return ~Q(status="draft") if action == Action.VIEW else None


class GateCriterionQuerySet(OrganisationQuerySet):
    def active(self):
        return self.filter(is_archived=False)


class TermsOfReferenceQuerySet(ProjectRelatedQuerySet):
    pass


class GateReviewQuerySet(ProjectRelatedQuerySet):
    pass


class ReviewPartQuerySet(ProjectRelatedQuerySet):
    """Check items and approvals follow the permission of their review's project."""

    project_field = "review__project"
