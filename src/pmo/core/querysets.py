"""Row-level permission querysets: every read goes through ``visible_to(user, action)``."""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q

from pmo.core.choices import Action
from pmo.core.permissions import grants_for


class RestrictedQuerySet(models.QuerySet):
    """A queryset that knows how to keep only the rows a user may act on.

    Subclasses implement ``scope_filter(grants, action)``, returning a ``Q`` for a user without the
    action across the whole organisation. Global grants short-cut to every row.
    """

    def visible_to(self, user, action: str = Action.VIEW):
        grants = grants_for(user)
        if grants.allows_everywhere(action):
            return self
        if not grants.has_any_role:
            return self.none()
        condition = self.scope_filter(grants, action)
        if condition is None:
            return self.none()
        return self.filter(condition)

    def scope_filter(self, grants, action: str) -> Q | None:
        """Rows the user may act on when the action is not granted everywhere; None for none."""
        return None


class OrganisationQuerySet(RestrictedQuerySet):
    """Organisation-wide records (people, units, offices, objectives).

    Anyone holding a role may read them; changing them needs the action across the organisation.
    """

    def scope_filter(self, grants, action: str) -> Q | None:
        return Q() if action == Action.VIEW else None


class AuditEventQuerySet(models.QuerySet):
    def for_object(self, obj):
        return self.filter(content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk))
