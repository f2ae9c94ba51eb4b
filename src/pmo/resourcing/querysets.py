"""Permission querysets of resourcing.

Resources, skills, rates, absences and the training register are organisation records: anyone with
a role reads them, changing them needs the action across the organisation. Assignments,
allocations and rebalancing proposals follow their project. A timesheet is its owner's: the owner
reads and fills it, a project manager reads the timesheets that book time to the project, and
decides the project's part of them (``TimesheetApproval``).
"""

from django.db.models import Q

from pmo.core.choices import Action, ScopeType
from pmo.core.permissions import grants_for
from pmo.core.querysets import OrganisationQuerySet, RestrictedQuerySet
from pmo.portfolio.querysets import ProjectRelatedQuerySet


class ResourceQuerySet(OrganisationQuerySet):
    def active(self):
        return self.filter(is_archived=False)

    def people(self):
        return self.filter(kind="person")


class SkillQuerySet(OrganisationQuerySet):
    def active(self):
        return self.filter(is_archived=False)


class ResourceDetailQuerySet(OrganisationQuerySet):
    """Skills held, rates and absences: read and changed as their resource."""


class AssignmentQuerySet(ProjectRelatedQuerySet):
    pass


class AllocationQuerySet(ProjectRelatedQuerySet):
    pass


class ProposalQuerySet(ProjectRelatedQuerySet):
    pass


def _project_scope(grants, action: str, prefix: str) -> Q:
    return (
        Q(**{f"{prefix}__portfolio_id__in": grants.ids(ScopeType.PORTFOLIO, action)})
        | Q(**{f"{prefix}__programme_id__in": grants.ids(ScopeType.PROGRAMME, action)})
        | Q(**{f"{prefix}_id__in": grants.ids(ScopeType.PROJECT, action)})
    )


class TimesheetQuerySet(RestrictedQuerySet):
    """The owner may read and change their timesheets; a role with the action across the
    organisation reaches every timesheet; whoever may change a project (its manager) reads, never
    changes, the timesheets that book time to it. Teammates do not read each other's weeks."""

    def visible_to(self, user, action: str = Action.VIEW):
        grants = grants_for(user)
        if grants.allows_everywhere(action):
            return self
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        condition = Q(resource__person__user=user)
        if action == Action.VIEW and grants.has_any_role:
            approvals = self.model.approvals.rel.related_model.objects.filter(
                _project_scope(grants, Action.CHANGE, "project")
            )
            condition |= Q(pk__in=approvals.values("timesheet_id"))
        return self.filter(condition)


class TimesheetApprovalQuerySet(RestrictedQuerySet):
    """A project's part of a timesheet is read and decided by whoever may change the project (and
    read by the timesheet's owner); the part that books no project time (``project`` empty) by a
    role across the organisation."""

    def visible_to(self, user, action: str = Action.VIEW):
        grants = grants_for(user)
        if grants.allows_everywhere(action):
            return self
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        condition = Q(project__isnull=False) & _project_scope(grants, Action.CHANGE, "project")
        if action == Action.VIEW:
            condition |= Q(timesheet__resource__person__user=user)
        return self.filter(condition)


class TrainingRecordQuerySet(OrganisationQuerySet):
    pass


class RebalanceRunQuerySet(RestrictedQuerySet):
    """A run is read by whoever asked for it and by a role that reads across the organisation;
    its proposals follow their projects (``ProposalQuerySet``)."""

    def visible_to(self, user, action: str = Action.VIEW):
        grants = grants_for(user)
        if grants.allows_everywhere(action):
            return self
        if user is None or not user.is_authenticated or not user.is_active or not grants.has_any_role:
            return self.none()
        return self.filter(requested_by=user) if action == Action.VIEW else self.none()
