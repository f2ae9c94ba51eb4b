"""State changes of the organisation: every function is atomic, checks permission inside its
transaction and writes an audit event. Other apps build their services on the helpers at the top.
"""

from collections.abc import Iterable, Mapping

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction

from pmo.core.audit import record_event, snapshot
from pmo.core.choices import Action, Role, ScopeType
from pmo.core.errors import DomainError, InvalidData, NotFound, PermissionRefused
from pmo.core.models import OfficeMembership, OrganisationUnit, Person, PMOOffice, RoleAssignment
from pmo.core.permissions import forget_grants, grants_for

# Where the scoped objects of each scope type live (looked up by label: they build on core).
SCOPE_MODELS = {
    ScopeType.PORTFOLIO: "portfolio.Portfolio",
    ScopeType.PROGRAMME: "portfolio.Programme",
    ScopeType.PROJECT: "portfolio.Project",
}


# --- helpers every app's services use -------------------------------------------------------


def locked_for(actor, model: type[models.Model], pk, action: str) -> models.Model:
    """Lock and return the row if ``actor`` may perform ``action`` on it; else refuse.

    The permission is checked inside the caller's transaction, on the locked row, so that a
    role revoked or an object moved between the page and the write is honoured.
    """
    queryset = model.objects.select_for_update()
    try:
        instance = queryset.visible_to(actor, action).get(pk=pk)
    except model.DoesNotExist:
        if model.objects.visible_to(actor, Action.VIEW).filter(pk=pk).exists():
            raise PermissionRefused(f"You may not {action} this {model._meta.verbose_name}.") from None
        raise NotFound(f"No {model._meta.verbose_name} with id {pk} is visible to you.") from None
    return instance


def require_global(actor, action: str, what: str) -> None:
    if not grants_for(actor).allows_everywhere(action):
        raise PermissionRefused(f"You may not {action} {what}: that needs a role across the whole organisation.")


def validated(instance: models.Model, *, exclude: Iterable[str] = ()) -> models.Model:
    """Run the model's own validation; turn its errors into ``InvalidData`` naming each field."""
    try:
        instance.full_clean(exclude=list(exclude))
    except ValidationError as error:
        raise InvalidData.from_validation_error(error) from None
    return instance


def save_checked(instance: models.Model) -> models.Model:
    """Save, turning a constraint the database refuses into a message instead of a 500."""
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as error:
        raise DomainError(f"The database refused this {instance._meta.verbose_name}: {error}") from None
    return instance


def create_audited(instance: models.Model, *, actor, reason: str = "") -> models.Model:
    """Validate, save and audit a new object. Call inside the caller's transaction."""
    validated(instance)
    save_checked(instance)
    record_event(
        actor=actor,
        action=f"{instance._meta.model_name}.created",
        obj=instance,
        after=snapshot(instance),
        reason=reason,
    )
    return instance


def change_audited(
    instance: models.Model,
    changes: Mapping[str, object],
    *,
    actor,
    allowed: Iterable[str],
    reason: str = "",
    action: str | None = None,
) -> models.Model:
    """Apply ``changes`` to a locked object, validate, save and audit what changed.

    Unknown or forbidden field names are refused rather than ignored, so no input is lost silently.
    """
    allowed = set(allowed)
    unknown = sorted(set(changes) - allowed)
    if unknown:
        raise InvalidData({name: ["This field cannot be changed here."] for name in unknown})
    before = snapshot(instance)
    for name, value in changes.items():
        setattr(instance, name, value)
    validated(instance)
    after = snapshot(instance)
    if after == before:
        return instance
    save_checked(instance)
    record_event(
        actor=actor,
        action=action or f"{instance._meta.model_name}.changed",
        obj=instance,
        before={k: v for k, v in before.items() if v != after[k]},
        after={k: v for k, v in after.items() if before[k] != v},
        reason=reason,
    )
    return instance


# --- organisation units ---------------------------------------------------------------------

UNIT_FIELDS = ("name", "code", "parent")


@transaction.atomic
def create_unit(
    *, actor, name: str, code: str, parent: OrganisationUnit | None = None, reason: str = ""
) -> OrganisationUnit:
    require_global(actor, Action.CREATE, "organisation units")
    return create_audited(OrganisationUnit(name=name, code=code, parent=parent), actor=actor, reason=reason)


@transaction.atomic
def update_unit(*, actor, unit: OrganisationUnit, changes: Mapping, reason: str = "") -> OrganisationUnit:
    require_global(actor, Action.CHANGE, "organisation units")
    unit = locked_for(actor, OrganisationUnit, unit.pk, Action.CHANGE)
    return change_audited(unit, changes, actor=actor, allowed=UNIT_FIELDS, reason=reason)


@transaction.atomic
def archive_unit(*, actor, unit: OrganisationUnit, reason: str = "") -> OrganisationUnit:
    require_global(actor, Action.ARCHIVE, "organisation units")
    unit = locked_for(actor, OrganisationUnit, unit.pk, Action.ARCHIVE)
    if unit.children.filter(is_archived=False).exists():
        raise DomainError("Archive or move this unit's sub-units first.")
    return change_audited(
        unit,
        {"is_archived": True},
        actor=actor,
        allowed={"is_archived"},
        reason=reason,
        action="organisationunit.archived",
    )


# --- people ---------------------------------------------------------------------------------

PERSON_FIELDS = ("full_name", "email", "job_title", "unit")


@transaction.atomic
def create_person(
    *,
    actor,
    full_name: str,
    email: str = "",
    job_title: str = "",
    unit: OrganisationUnit | None = None,
    reason: str = "",
) -> Person:
    require_global(actor, Action.CREATE, "people")
    return create_audited(
        Person(full_name=full_name, email=email, job_title=job_title, unit=unit), actor=actor, reason=reason
    )


@transaction.atomic
def update_person(*, actor, person: Person, changes: Mapping, reason: str = "") -> Person:
    require_global(actor, Action.CHANGE, "people")
    person = locked_for(actor, Person, person.pk, Action.CHANGE)
    return change_audited(person, changes, actor=actor, allowed=PERSON_FIELDS, reason=reason)


@transaction.atomic
def archive_person(*, actor, person: Person, reason: str = "") -> Person:
    require_global(actor, Action.ARCHIVE, "people")
    person = locked_for(actor, Person, person.pk, Action.ARCHIVE)
    return change_audited(
        person, {"is_archived": True}, actor=actor, allowed={"is_archived"}, reason=reason, action="person.archived"
    )


@transaction.atomic
def create_login(
    *,
    actor,
    person: Person | None,
    username: str,
    password: str,
    email: str = "",
    full_name: str = "",
    role: str | None = None,
) -> Person:
    """Create a login, link it to a person (a new one when none is given), and optionally grant
    an organisation-wide role. ``actor`` None means the command line, run by the server's owner."""
    if actor is not None:
        require_global(actor, Action.ASSIGN_ROLES, "logins")
    user_model = get_user_model()
    if not username or not username.strip():
        raise InvalidData({"username": ["A username is required."]})
    if user_model.objects.filter(username=username).exists():
        raise InvalidData({"username": [f"The username {username!r} is already taken."]})
    if role is not None and role not in Role.values:
        raise InvalidData({"role": [f"Unknown role {role!r}; choose one of {', '.join(Role.values)}."]})
    user = user_model(username=username, email=email)
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise InvalidData({"password": list(error.messages)}) from None
    user.set_password(password)
    user.is_staff = role == Role.ADMINISTRATOR
    user.save()
    if person is None:
        person = create_audited(Person(full_name=full_name or username, email=email), actor=actor)
    elif person.user_id is not None:
        raise InvalidData({"person": [f"{person} already has a login."]})
    person.user = user
    person.save(update_fields=["user", "updated_at"])
    record_event(actor=actor, action="person.login_created", obj=person, after={"user": user.pk, "username": username})
    if role is not None:
        assign_role(actor=actor, person=person, role=role)
    return person


# --- PMO offices ----------------------------------------------------------------------------

OFFICE_FIELDS = (
    "name",
    "kind",
    "is_permanent",
    "scope_type",
    "scope_id",
    "unit",
    "established_on",
    "closes_on",
    "mandate",
)


def _check_scope(scope_type: str, scope_id: int | None) -> None:
    if scope_type == ScopeType.ORGANISATION:
        if scope_id is not None:
            raise InvalidData({"scope_id": ["The whole organisation takes no scope object."]})
        return
    if scope_type not in SCOPE_MODELS:
        raise InvalidData({"scope_type": [f"Unknown scope {scope_type!r}."]})
    model = apps.get_model(SCOPE_MODELS[scope_type])
    if scope_id is None or not model.objects.filter(pk=scope_id).exists():
        raise InvalidData({"scope_id": [f"No {model._meta.verbose_name} with id {scope_id}."]})


@transaction.atomic
def create_office(*, actor, reason: str = "", **fields) -> PMOOffice:
    require_global(actor, Action.CREATE, "PMO offices")
    unknown = sorted(set(fields) - set(OFFICE_FIELDS))
    if unknown:
        raise InvalidData({name: ["Not a field of a PMO office."] for name in unknown})
    office = PMOOffice(**fields)
    _check_scope(office.scope_type, office.scope_id)
    return create_audited(office, actor=actor, reason=reason)


@transaction.atomic
def update_office(*, actor, office: PMOOffice, changes: Mapping, reason: str = "") -> PMOOffice:
    require_global(actor, Action.CHANGE, "PMO offices")
    office = locked_for(actor, PMOOffice, office.pk, Action.CHANGE)
    _check_scope(changes.get("scope_type", office.scope_type), changes.get("scope_id", office.scope_id))
    return change_audited(office, changes, actor=actor, allowed=OFFICE_FIELDS, reason=reason)


@transaction.atomic
def archive_office(*, actor, office: PMOOffice, reason: str = "") -> PMOOffice:
    require_global(actor, Action.ARCHIVE, "PMO offices")
    office = locked_for(actor, PMOOffice, office.pk, Action.ARCHIVE)
    return change_audited(
        office, {"is_archived": True}, actor=actor, allowed={"is_archived"}, reason=reason, action="pmooffice.archived"
    )


@transaction.atomic
def add_office_member(
    *, actor, office: PMOOffice, person: Person, staff_role: str, allocation_percent: int = 100, reason: str = ""
) -> OfficeMembership:
    require_global(actor, Action.CHANGE, "PMO offices")
    office = locked_for(actor, PMOOffice, office.pk, Action.CHANGE)
    if OfficeMembership.objects.filter(office=office, person=person, staff_role=staff_role).exists():
        raise InvalidData({"person": [f"{person} already holds that role in {office}."]})
    membership = OfficeMembership(
        office=office, person=person, staff_role=staff_role, allocation_percent=allocation_percent
    )
    return create_audited(membership, actor=actor, reason=reason)


@transaction.atomic
def remove_office_member(*, actor, membership: OfficeMembership, reason: str = "") -> None:
    require_global(actor, Action.CHANGE, "PMO offices")
    before = snapshot(membership)
    record_event(actor=actor, action="officemembership.removed", obj=membership, before=before, reason=reason)
    membership.delete()


# --- roles ----------------------------------------------------------------------------------


def may_assign_roles(actor, scope_type: str, scope_id: int | None) -> bool:
    grants = grants_for(actor)
    if grants.allows_everywhere(Action.ASSIGN_ROLES):
        return True
    return scope_type != ScopeType.ORGANISATION and scope_id in grants.ids(scope_type, Action.ASSIGN_ROLES)


@transaction.atomic
def assign_role(
    *,
    actor,
    person: Person,
    role: str,
    scope_type: str = ScopeType.ORGANISATION,
    scope_id: int | None = None,
    reason: str = "",
) -> RoleAssignment:
    """Grant ``role`` to ``person`` in a scope. ``actor`` None means the server's owner (CLI)."""
    if role not in Role.values:
        raise InvalidData({"role": [f"Unknown role {role!r}."]})
    _check_scope(scope_type, scope_id)
    if actor is not None and not may_assign_roles(actor, scope_type, scope_id):
        raise PermissionRefused("You may not assign roles in that scope.")
    if role == Role.ADMINISTRATOR and scope_type != ScopeType.ORGANISATION:
        raise InvalidData({"scope_type": ["The administrator role applies to the whole organisation only."]})
    if RoleAssignment.objects.filter(person=person, role=role, scope_type=scope_type, scope_id=scope_id).exists():
        raise InvalidData({"role": [f"{person} already holds this role in this scope."]})
    assignment = create_audited(
        RoleAssignment(person=person, role=role, scope_type=scope_type, scope_id=scope_id), actor=actor, reason=reason
    )
    if person.user_id:
        forget_grants(person.user)
    return assignment


@transaction.atomic
def revoke_role(*, actor, assignment: RoleAssignment, reason: str = "") -> None:
    if actor is not None and not may_assign_roles(actor, assignment.scope_type, assignment.scope_id):
        raise PermissionRefused("You may not revoke roles in that scope.")
    record_event(
        actor=actor, action="roleassignment.revoked", obj=assignment, before=snapshot(assignment), reason=reason
    )
    assignment.delete()
