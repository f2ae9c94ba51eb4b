"""Views of the core API, and the base every app's API views build on.

A view reads through ``Model.objects.visible_to(user, VIEW)`` and writes by calling a service with
``actor=request.user``; it parses and validates the request with a serializer and does nothing
else. Objects a user cannot see answer 404; visible objects the user may not change answer 403
(the service refuses, and ``pmo.api.errors`` turns the refusal into the answer).

These base classes live in ``pmo.core.api`` rather than in ``pmo.api`` because the apps' API
modules sit below ``pmo.api`` in the layers of import-linter: ``pmo.api`` only assembles them.
"""

from collections.abc import Callable

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.decorators import action
from rest_framework.response import Response

from pmo.core import services
from pmo.core.api.serializers import (
    AuditEventSerializer,
    ErrorSerializer,
    OfficeMembershipSerializer,
    OrganisationUnitSerializer,
    PersonSerializer,
    PMOOfficeSerializer,
    ReasonSerializer,
    RoleAssignmentSerializer,
)
from pmo.core.choices import Action
from pmo.core.filtersets import (
    AuditEventFilterSet,
    OfficeMembershipFilterSet,
    OrganisationUnitFilterSet,
    PersonFilterSet,
    PMOOfficeFilterSet,
    RoleAssignmentFilterSet,
)
from pmo.core.models import AuditEvent, OfficeMembership, OrganisationUnit, Person, PMOOffice, RoleAssignment
from pmo.core.permissions import grants_for
from pmo.core.querysets import RestrictedQuerySet

# --- the schema: document the errors every operation can answer with -----------------------



class ApiAutoSchema(AutoSchema):
    """drf-spectacular's schema, plus the error answers of ``pmo.api.errors`` on each operation."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code, description in self._error_codes():
            if code not in responses:
                responses[code] = {**self._get_response_for_code(ErrorSerializer, code), "description": description}
        return responses

    def _error_codes(self) -> list[tuple[str, str]]:
        codes = []
        is_filtered_list = self.method == "GET" and self._is_list_view() and self.get_filter_backends()
        if self.method in ("POST", "PUT", "PATCH") or is_filtered_list:
            codes.append(("400", "The request is not valid; errors names each field that is wrong."))
        if self.view.permission_classes:
            codes.append(("403", "Not signed in, or not permitted to do this."))
        if "{" in self.path:
            codes.append(("404", "No such object is visible to you."))
        return codes


# --- base view sets ---------------------------------------------------------------------------


class ApiViewSet(viewsets.GenericViewSet):
    """Reads every row through ``visible_to(user, VIEW)``.

    Subclasses set ``queryset = Model.objects.none()`` (it only tells the router and the schema
    which model this is: rows come from ``get_queryset``), and name the relations their
    serializer reads so that a list costs the same number of queries for any number of rows.
    """

    schema = ApiAutoSchema()
    select_related_fields: tuple[str, ...] = ()
    prefetch_related_lookups: tuple = ()

    def get_queryset(self):
        model = self.queryset.model
        queryset = model.objects.visible_to(self.request.user, Action.VIEW)
        if self.select_related_fields:
            queryset = queryset.select_related(*self.select_related_fields)
        return queryset.prefetch_related(*self.prefetch_related_lookups)

    def representation(self, instance) -> dict:
        """The object as a read answers it, read again through the visible queryset so that the
        answer after a write has the same shape and cost as a GET. (An object the user moved out
        of their own view is answered from the instance the service returned.)"""
        fresh = self.get_queryset().filter(pk=instance.pk).first()
        return self.get_serializer(fresh if fresh is not None else instance).data

    def validated_reason(self, request) -> str:
        serializer = ReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data.get("reason", "")


class HistoryMixin:
    """``GET {id}/history/``: the audit events about one object, newest first."""

    @extend_schema(
        summary="History of changes",
        description="The audit events about this object, newest first; visible to whoever can see the object.",
        responses=AuditEventSerializer(many=True),
    )
    @action(detail=True, methods=["get"], filter_backends=[])
    def history(self, request, pk=None):
        instance = self.get_object()
        events = AuditEvent.objects.for_object(instance).select_related("content_type")
        page = self.paginate_queryset(events)
        serializer = AuditEventSerializer(page, many=True, context=self.get_serializer_context())
        return self.get_paginated_response(serializer.data)


class CreateThroughServiceMixin:
    """``POST``: validate, then ``create_service(actor=..., reason=..., **fields)``."""

    create_service: Callable

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        reason = fields.pop("reason", "")
        instance = self.create_service(actor=request.user, reason=reason, **fields)
        data = self.representation(instance)
        # str(): DRF's hyperlink is a str subclass, which WSGI servers refuse as a header value.
        headers = {"Location": str(data["url"])} if "url" in data else {}
        return Response(data, status=status.HTTP_201_CREATED, headers=headers)


class UpdateThroughServiceMixin:
    """``PUT`` (every writable field) and ``PATCH`` (some): ``update_service(..., changes=...)``.

    ``service_object_argument`` names the keyword under which the service takes the object
    (``unit``, ``project``...).
    """

    update_service: Callable
    service_object_argument: str

    def update(self, request, *args, partial=False, **kwargs):
        instance = self.get_object()
        serializer = self.get_serializer(instance, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        reason = changes.pop("reason", "")
        instance = self.update_service(
            actor=request.user, **{self.service_object_argument: instance}, changes=changes, reason=reason
        )
        return Response(self.representation(instance))

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)


class ArchiveThroughServiceMixin:
    """``POST {id}/archive/`` instead of DELETE: archived things stay for the record."""

    archive_service: Callable
    service_object_argument: str

    @extend_schema(summary="Archive", request=ReasonSerializer)
    @action(detail=True, methods=["post"])
    def archive(self, request, pk=None):
        instance = self.get_object()
        reason = self.validated_reason(request)
        instance = self.archive_service(actor=request.user, **{self.service_object_argument: instance}, reason=reason)
        return Response(self.representation(instance))


class DeleteThroughServiceMixin:
    """``DELETE`` for things that are removed rather than archived; a JSON body may give a reason."""

    delete_service: Callable
    service_object_argument: str

    def destroy(self, request, *args, **kwargs):
        instance = self.get_object()
        reason = self.validated_reason(request)
        self.delete_service(actor=request.user, **{self.service_object_argument: instance}, reason=reason)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ReadViewSet(HistoryMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """List, retrieve and history."""


class ArchivableViewSet(ArchiveThroughServiceMixin, UpdateThroughServiceMixin, CreateThroughServiceMixin, ReadViewSet):
    """Create, read, update, archive; no DELETE (405)."""


class RemovableViewSet(DeleteThroughServiceMixin, CreateThroughServiceMixin, ReadViewSet):
    """Create, read, delete; no update (405)."""


# --- organisation ---------------------------------------------------------------------------

TIMESTAMPS = ("created_at", "updated_at")


class OrganisationUnitViewSet(ArchivableViewSet):
    """Departments, divisions and teams, in a tree. Anyone with a role reads them; changing them
    needs a role across the organisation."""

    queryset = OrganisationUnit.objects.none()
    serializer_class = OrganisationUnitSerializer
    filterset_class = OrganisationUnitFilterSet
    ordering_fields = ("name", "code", *TIMESTAMPS)
    search_fields = ("name", "code")
    service_object_argument = "unit"
    create_service = staticmethod(services.create_unit)
    update_service = staticmethod(services.update_unit)
    archive_service = staticmethod(services.archive_unit)


class PersonViewSet(ArchivableViewSet):
    """The people the PMO deals with, with or without a login."""

    queryset = Person.objects.none()
    serializer_class = PersonSerializer
    filterset_class = PersonFilterSet
    ordering_fields = ("full_name", "email", "job_title", *TIMESTAMPS)
    search_fields = ("full_name", "email", "job_title")
    service_object_argument = "person"
    create_service = staticmethod(services.create_person)
    update_service = staticmethod(services.update_person)
    archive_service = staticmethod(services.archive_person)


class PMOOfficeViewSet(ArchivableViewSet):
    """The portfolio, programme and project offices of the P3O model."""

    queryset = PMOOffice.objects.none()
    serializer_class = PMOOfficeSerializer
    filterset_class = PMOOfficeFilterSet
    ordering_fields = ("name", "kind", "established_on", "closes_on", *TIMESTAMPS)
    search_fields = ("name", "mandate")
    service_object_argument = "office"
    create_service = staticmethod(services.create_office)
    update_service = staticmethod(services.update_office)
    archive_service = staticmethod(services.archive_office)


class OfficeMembershipViewSet(RemovableViewSet):
    """Who staffs each PMO office, in which PMO role. Removing a member deletes the membership."""

    queryset = OfficeMembership.objects.none()
    serializer_class = OfficeMembershipSerializer
    filterset_class = OfficeMembershipFilterSet
    select_related_fields = ("office", "person")
    ordering_fields = ("staff_role", "allocation_percent", *TIMESTAMPS)
    service_object_argument = "membership"
    create_service = staticmethod(services.add_office_member)
    delete_service = staticmethod(services.remove_office_member)


class RoleAssignmentViewSet(RemovableViewSet):
    """The roles people hold, across the organisation or inside one portfolio, programme or
    project. Deleting an assignment revokes the role."""

    queryset = RoleAssignment.objects.none()
    serializer_class = RoleAssignmentSerializer
    filterset_class = RoleAssignmentFilterSet
    select_related_fields = ("person",)
    ordering_fields = ("role", "scope_type", *TIMESTAMPS)
    service_object_argument = "assignment"
    create_service = staticmethod(services.assign_role)
    delete_service = staticmethod(services.revoke_role)


# --- the audit trail ------------------------------------------------------------------------


def audit_events_visible_to(user):
    """The audit events ``user`` may read.

    Someone who may view everything reads every event. Anyone else reads the events about
    objects they can see now, for every model whose rows are guarded by ``visible_to``; the
    models are found through the app registry, so core names none of the apps built on it.
    Events about objects since deleted, or about unguarded models, are for the former only.
    """
    grants = grants_for(user)
    if grants.allows_everywhere(Action.VIEW):
        return AuditEvent.objects.all()
    if not grants.has_any_role:
        return AuditEvent.objects.none()
    condition = Q(pk__in=[])
    for model in apps.get_models():
        if not issubclass(model._default_manager._queryset_class, RestrictedQuerySet):
            continue
        # AuditEvent.object_id is text (it must hold any model's key), so compare it as text.
        visible_ids = (
            model._default_manager.visible_to(user, Action.VIEW)
            .annotate(object_id_text=Cast("pk", output_field=CharField()))
            .values("object_id_text")
        )
        content_type = ContentType.objects.get_for_model(model, for_concrete_model=True)
        condition |= Q(content_type=content_type, object_id__in=visible_ids)
    return AuditEvent.objects.filter(condition)


class AuditEventViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """The audit trail, read-only: events are written by the services that make the changes."""

    queryset = AuditEvent.objects.none()
    serializer_class = AuditEventSerializer
    filterset_class = AuditEventFilterSet
    ordering_fields = ("occurred_at", "action", "actor_name")
    search_fields = ("object_repr", "action", "actor_name", "reason")

    def get_queryset(self):
        return audit_events_visible_to(self.request.user).select_related("content_type")


# --- authentication -------------------------------------------------------------------------


@extend_schema(
    summary="Obtain an API token",
    description="Exchange a username and password for the token to send as 'Authorization: Token <token>'.",
)
class ObtainTokenView(ObtainAuthToken):
    # The credentials travel in the body; a session cookie must not turn this into a CSRF check.
    authentication_classes = ()
    schema = ApiAutoSchema()
