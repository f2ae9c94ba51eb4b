"""Who may do what, where.

A person holds roles (``RoleAssignment``), each scoped to the whole organisation, a portfolio,
a programme or a project. ``ROLE_ACTIONS`` says which actions each role allows inside its scope;
``grants_for(user)`` folds a user's assignments into a ``Grants`` value that querysets turn into
filters (see ``querysets.RestrictedQuerySet.visible_to``). It costs one query per request.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.apps import apps

from pmo.core.choices import Action, Role, ScopeType

_ALL = frozenset(Action)
ROLE_ACTIONS: dict[Role, frozenset[Action]] = {
    Role.ADMINISTRATOR: _ALL,
    Role.PMO_HEAD: _ALL,
    Role.PMO_ANALYST: frozenset({Action.VIEW}),
    Role.PMO_ADMINISTRATOR: frozenset({Action.VIEW, Action.CREATE, Action.CHANGE}),
    Role.PORTFOLIO_MANAGER: frozenset({Action.VIEW, Action.CREATE, Action.CHANGE, Action.ARCHIVE}),
    Role.PROJECT_MANAGER: frozenset({Action.VIEW, Action.CHANGE}),
    Role.TEAM_MEMBER: frozenset({Action.VIEW}),
    Role.EXECUTIVE: frozenset({Action.VIEW}),
}

_GRANTS_ATTRIBUTE = "_pmo_grants"


@dataclass(frozen=True)
class Grants:
    """The scopes in which a user may perform each action."""

    is_administrator: bool = False
    global_actions: frozenset[str] = frozenset()
    scoped: dict[tuple[str, str], frozenset[int]] = field(default_factory=dict)
    roles: frozenset[str] = frozenset()

    @property
    def has_any_role(self) -> bool:
        return bool(self.roles)

    def allows_everywhere(self, action: str) -> bool:
        return action in self.global_actions

    def ids(self, scope_type: str, action: str) -> frozenset[int]:
        return self.scoped.get((scope_type, action), frozenset())

    def has_any_scope_for(self, action: str) -> bool:
        return self.allows_everywhere(action) or any(key[1] == action and ids for key, ids in self.scoped.items())


NO_GRANTS = Grants()


def build_grants(assignments: list[tuple[str, str, int | None]], *, is_superuser: bool = False) -> Grants:
    """Fold ``(role, scope_type, scope_id)`` rows into a ``Grants`` value."""
    global_actions: set[str] = set()
    scoped: dict[tuple[str, str], set[int]] = defaultdict(set)
    roles = {role for role, _, _ in assignments}
    if is_superuser:
        roles.add(Role.ADMINISTRATOR)
        global_actions |= ROLE_ACTIONS[Role.ADMINISTRATOR]
    for role, scope_type, scope_id in assignments:
        actions = ROLE_ACTIONS[Role(role)]
        if scope_type == ScopeType.ORGANISATION:
            global_actions |= actions
        else:
            for action in actions:
                scoped[(scope_type, action)].add(scope_id)
    is_administrator = is_superuser or any(
        role == Role.ADMINISTRATOR and scope_type == ScopeType.ORGANISATION for role, scope_type, _ in assignments
    )
    return Grants(
        is_administrator=is_administrator,
        global_actions=frozenset(global_actions),
        scoped={key: frozenset(ids) for key, ids in scoped.items()},
        roles=frozenset(roles),
    )


def grants_for(user) -> Grants:
    """The user's grants, computed once and kept on the user object for the rest of the request."""
    if user is None or not user.is_authenticated or not user.is_active:
        return NO_GRANTS
    cached = getattr(user, _GRANTS_ATTRIBUTE, None)
    if cached is not None:
        return cached
    # Looked up by label: the models module builds on this one.
    role_assignment = apps.get_model("core", "RoleAssignment")
    rows = list(role_assignment.objects.filter(person__user=user).values_list("role", "scope_type", "scope_id"))
    grants = build_grants(rows, is_superuser=user.is_superuser)
    setattr(user, _GRANTS_ATTRIBUTE, grants)
    return grants


def forget_grants(user) -> None:
    """Drop the cached grants, after the user's role assignments change."""
    if user is not None and hasattr(user, _GRANTS_ATTRIBUTE):
        delattr(user, _GRANTS_ATTRIBUTE)
