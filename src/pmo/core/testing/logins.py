"""Logins for tests, made the way the server's owner makes them (``pmo createuser``)."""

from django.contrib.auth import get_user_model

from pmo.core import services
from pmo.core.choices import ScopeType

PASSWORD = "correct-horse-battery-9"


def make_login(username: str, role: str | None = None, scope_type: str = ScopeType.ORGANISATION, scope_id=None):
    """A login with its person and, optionally, one role."""
    person = services.create_login(
        actor=None, person=None, username=username, password=PASSWORD, full_name=username.title()
    )
    if role is not None:
        services.assign_role(actor=None, person=person, role=role, scope_type=scope_type, scope_id=scope_id)
    return get_user_model().objects.get(pk=person.user_id)
