"""Serializers of the core API, and the base every app's API serializers build on.

Serializers here check shapes and types and turn ids into objects; they never write. The views
hand ``validated_data`` to a service, which checks permission, applies the domain's rules, saves
and audits.
"""

from django.apps import apps
from rest_framework import serializers

from pmo.core.choices import Action, ScopeType
from pmo.core.models import AuditEvent, OfficeMembership, OrganisationUnit, Person, PMOOffice, RoleAssignment
from pmo.core.services import SCOPE_MODELS

INVALID_PK = serializers.PrimaryKeyRelatedField.default_error_messages["does_not_exist"]
REQUIRED = serializers.Field.default_error_messages["required"]
SERIALIZERS_DO_NOT_WRITE = "{name} only validates; write through the service, which checks permission and audits."


def _request_user(context):
    request = context.get("request")
    return getattr(request, "user", None)


class VisibleRelatedField(serializers.PrimaryKeyRelatedField):
    """An id that must name an object the requesting user can see.

    An object outside the user's view gets the same "Invalid pk" answer as one that does not
    exist, so a payload cannot be used to find out what exists elsewhere.
    """

    def get_queryset(self):
        return super().get_queryset().visible_to(_request_user(self.context), Action.VIEW)


class ErrorSerializer(serializers.Serializer):
    """The body of every error answer (see ``pmo.api.errors``)."""

    detail = serializers.CharField(help_text="What went wrong, for a person to read.")
    errors = serializers.DictField(
        child=serializers.JSONField(),
        required=False,
        help_text=(
            "Messages by field name, each a list of messages (or, for a nested field, the same shape "
            "again); 'non_field_errors' holds those about the request as a whole."
        ),
    )


class ReasonSerializer(serializers.Serializer):
    """The body of an archive or delete request: only why, for the audit trail."""

    reason = serializers.CharField(required=False, allow_blank=True, help_text="Why; kept in the audit trail.")


class ResourceSerializer(serializers.ModelSerializer):
    """Base of the API's model serializers.

    - related ids resolve only among objects the user can see;
    - every write takes an optional ``reason`` that the service records in the audit event;
    - a PUT must carry every writable field (a PATCH carries those it changes);
    - ``save()`` is refused: services are the only writers.
    """

    serializer_related_field = VisibleRelatedField

    display = serializers.CharField(source="__str__", read_only=True, help_text="How the object is named on screen.")
    reason = serializers.CharField(
        write_only=True, required=False, allow_blank=True, help_text="Why this change is made; kept in the audit trail."
    )

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if self.instance is not None and not self.partial:
            missing = [
                name for name, field in self.fields.items()
                if not field.read_only and name != "reason" and name not in self.initial_data
            ]
            if missing:
                raise serializers.ValidationError({name: [REQUIRED] for name in missing})
        return attrs

    def create(self, validated_data):
        raise TypeError(SERIALIZERS_DO_NOT_WRITE.format(name=type(self).__name__))

    def update(self, instance, validated_data):
        raise TypeError(SERIALIZERS_DO_NOT_WRITE.format(name=type(self).__name__))


RESOURCE_READ_ONLY = ("id", "url", "display", "is_archived", "created_at", "updated_at")


class ScopeCheckMixin:
    """For objects scoped by ``scope_type`` + ``scope_id``: the scope object must be one the user
    can see. (A plain id, not a foreign key, because the scoped objects live in later apps.)"""

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if "scope_type" not in attrs and "scope_id" not in attrs:
            return attrs
        scope_type = attrs.get("scope_type", getattr(self.instance, "scope_type", ScopeType.ORGANISATION))
        scope_id = attrs.get("scope_id", getattr(self.instance, "scope_id", None))
        # Organisation-wide scopes, missing ids and unknown types are the service's to explain.
        if scope_type == ScopeType.ORGANISATION or scope_id is None or scope_type not in SCOPE_MODELS:
            return attrs
        model = apps.get_model(SCOPE_MODELS[scope_type])
        if not model.objects.visible_to(_request_user(self.context), Action.VIEW).filter(pk=scope_id).exists():
            raise serializers.ValidationError({"scope_id": [INVALID_PK.format(pk_value=scope_id)]})
        return attrs


class OrganisationUnitSerializer(ResourceSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:unit-detail")

    class Meta:
        model = OrganisationUnit
        fields = ["id", "url", "display", "name", "code", "parent", "is_archived", "created_at", "updated_at", "reason"]
        read_only_fields = RESOURCE_READ_ONLY


class PersonSerializer(ResourceSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:person-detail")
    has_login = serializers.SerializerMethodField(help_text="Whether the person can sign in.")

    class Meta:
        model = Person
        fields = [
            "id", "url", "display", "full_name", "email", "job_title", "unit", "has_login", "is_archived",
            "created_at", "updated_at", "reason",
        ]
        read_only_fields = RESOURCE_READ_ONLY

    def get_has_login(self, person: Person) -> bool:
        return person.user_id is not None


class PMOOfficeSerializer(ScopeCheckMixin, ResourceSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:office-detail")

    class Meta:
        model = PMOOffice
        fields = [
            "id", "url", "display", "name", "kind", "is_permanent", "scope_type", "scope_id", "unit", "established_on",
            "closes_on", "mandate", "is_archived", "created_at", "updated_at", "reason",
        ]
        read_only_fields = RESOURCE_READ_ONLY


class OfficeMembershipSerializer(ResourceSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:office-membership-detail")

    class Meta:
        model = OfficeMembership
        fields = [
            "id", "url", "display", "office", "person", "staff_role", "allocation_percent", "created_at", "updated_at",
            "reason",
        ]
        read_only_fields = ("id", "url", "display", "created_at", "updated_at")
        # The database's check constraint, stated here too so that the error names the field.
        extra_kwargs = {"allocation_percent": {"min_value": 1, "max_value": 100}}
        # Duplicates are the service's to refuse, with a message that names the person.
        validators = []


class RoleAssignmentSerializer(ScopeCheckMixin, ResourceSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:role-assignment-detail")

    class Meta:
        model = RoleAssignment
        fields = [
            "id", "url", "display", "person", "role", "scope_type", "scope_id", "created_at", "updated_at", "reason",
        ]
        read_only_fields = ("id", "url", "display", "created_at", "updated_at")
        validators = []


class AuditEventSerializer(serializers.ModelSerializer):
    object_type = serializers.SerializerMethodField(help_text="The changed object's type, as app_label.model.")

    class Meta:
        model = AuditEvent
        fields = [
            "id", "occurred_at", "actor", "actor_name", "action", "object_type", "object_id", "object_repr",
            "before", "after", "request_id", "reason",
        ]
        read_only_fields = fields

    def get_object_type(self, event: AuditEvent) -> str:
        return f"{event.content_type.app_label}.{event.content_type.model}"
