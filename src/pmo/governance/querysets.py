"""Querysets of governance: what each user may see and change.

Every record of a register (a RAID entry, an action, a decision) sits on exactly one project,
programme or portfolio and follows its permission: a role on a portfolio covers its programmes'
and projects' registers, a role on a programme covers its projects'. Seeing one project of a
programme is not enough to see the programme's own register.
"""

from django.db.models import Q

from pmo.core.choices import Action, ScopeType
from pmo.core.querysets import RestrictedQuerySet
from pmo.governance.choices import ActionStatus, EscalationState


def register_filter(grants, action: str, prefix: str = "") -> Q:
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


class RegisterQuerySet(RestrictedQuerySet):
    """Rows on one project's, programme's or portfolio's register."""

    def scope_filter(self, grants, action: str):
        return register_filter(grants, action)

    def on_register(self, target):
        """The rows of ``target``'s own register (a project, programme or portfolio)."""
        return self.filter(**{target._meta.model_name: target})

    def shown_on(self, target):
        """The rows shown on ``target``'s register: its own and, for risks and issues on a
        programme's or portfolio's, the projects' entries escalated to it."""
        field = target._meta.model_name
        own = Q(**{field: target})
        if field == "project" or not hasattr(self.model, "escalations"):
            return self.filter(own)
        escalated = self.model.objects.filter(
            escalations__state=EscalationState.ACTIVE, **{f"escalations__{field}": target}
        ).values("pk")
        return self.filter(own | Q(pk__in=escalated))


class ActionItemQuerySet(RegisterQuerySet):
    """An action is seen by whoever sees its register, and always by its owner."""

    def visible_to(self, user, action: str = Action.VIEW):
        permitted = super().visible_to(user, action)
        if action == Action.VIEW and user is not None and user.is_authenticated and user.is_active:
            return permitted | self.filter(owner__user_id=user.pk)
        return permitted

    def open(self):
        return self.filter(status=ActionStatus.OPEN)


class NotificationQuerySet(RestrictedQuerySet):
    """A notification is for its recipient alone, whatever roles anyone holds."""

    def visible_to(self, user, action: str = Action.VIEW):
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        return self.filter(recipient_id=user.pk)

    def unread(self):
        return self.filter(read_at__isnull=True)


class EscalationQuerySet(RestrictedQuerySet):
    """An escalation follows the risk or issue escalated (whoever sees the programme it went to
    sees the project's entry already: a role on the programme covers its projects)."""

    def scope_filter(self, grants, action: str):
        return register_filter(grants, action, prefix="risk__") | register_filter(grants, action, prefix="issue__")

    def active(self):
        return self.filter(state=EscalationState.ACTIVE)
