"""Views of the governance API: the RAID registers, actions, decisions, escalations, exposure
snapshots and the signed-in user's notifications."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, mixins
from rest_framework.decorators import action
from rest_framework.response import Response

from pmo.core.api.views import (
    ApiAutoSchema,
    ApiViewSet,
    CreateThroughServiceMixin,
    ReadViewSet,
    UpdateThroughServiceMixin,
)
from pmo.core.errors import PermissionRefused
from pmo.core.permissions import grants_for
from pmo.governance import selectors, services
from pmo.governance.api.serializers import (
    ActionItemSerializer,
    ActionStatusRequestSerializer,
    AssumptionSerializer,
    DecisionLogSerializer,
    EscalationRequestSerializer,
    EscalationRuleSerializer,
    EscalationSerializer,
    ExposureSnapshotSerializer,
    HeatMapSerializer,
    NotificationSerializer,
    RaidDependencySerializer,
    RaidIssueSerializer,
    ReadCountSerializer,
    RiskScaleSerializer,
    RiskSerializer,
)
from pmo.governance.filtersets import (
    ActionItemFilterSet,
    AssumptionFilterSet,
    DecisionFilterSet,
    DependencyFilterSet,
    EscalationFilterSet,
    ExposureSnapshotFilterSet,
    IssueFilterSet,
    NotificationFilterSet,
    RiskFilterSet,
)
from pmo.governance.models import (
    ActionItem,
    Assumption,
    Decision,
    Dependency,
    Escalation,
    EscalationRule,
    ExposureSnapshot,
    Issue,
    Notification,
    Risk,
    RiskScale,
)

TIMESTAMPS = ("created_at", "updated_at")
REGISTER_RELATIONS = ("owner", "project", "programme", "portfolio")


class WritableViewSet(UpdateThroughServiceMixin, CreateThroughServiceMixin, ReadViewSet):
    """Create, read, update; no DELETE: entries are closed, not removed (405)."""


def _entry_service(kind: str):
    def create(*, actor, reason="", **fields):
        return services.create_entry(actor=actor, kind=kind, reason=reason, **fields)

    return create


class EscalationActionsMixin:
    @extend_schema(summary="Escalate to the programme (or portfolio)", request=EscalationRequestSerializer)
    @action(detail=True, methods=["post"])
    def escalate(self, request, pk=None):
        entry = self.get_object()
        ask = EscalationRequestSerializer(data=request.data)
        ask.is_valid(raise_exception=True)
        services.escalate_entry(actor=request.user, entry=entry, reason=ask.validated_data["reason"])
        return Response(self.representation(entry))

    @extend_schema(summary="De-escalate", request=EscalationRequestSerializer)
    @action(detail=True, methods=["post"])
    def deescalate(self, request, pk=None):
        entry = self.get_object()
        ask = EscalationRequestSerializer(data=request.data)
        ask.is_valid(raise_exception=True)
        services.deescalate_entry(actor=request.user, entry=entry, reason=ask.validated_data["reason"])
        return Response(self.representation(entry))


class RiskViewSet(EscalationActionsMixin, WritableViewSet):
    """Risks (threats and opportunities) of every register the user may see. A project's risk at
    or above the organisation's threshold is escalated to its programme when it is saved."""

    queryset = Risk.objects.none()
    serializer_class = RiskSerializer
    filterset_class = RiskFilterSet
    select_related_fields = REGISTER_RELATIONS
    ordering_fields = ("score", "residual_score", "probability", "impact", "raised_on", "proximity_on", *TIMESTAMPS)
    search_fields = ("title", "description", "cause", "event", "effect", "category")
    service_object_argument = "risk"
    create_service = staticmethod(_entry_service("risk"))
    update_service = staticmethod(services.update_risk)

    def get_queryset(self):
        return super().get_queryset().prefetch_related("escalations")

    @extend_schema(
        summary="Heat map of the risks chosen by the filters",
        parameters=[OpenApiParameter("residual", bool, description="Residual instead of inherent scores.")],
        responses=HeatMapSerializer,
    )
    @action(detail=False, methods=["get"], url_path="heat-map")
    def heat_map(self, request):
        risks = self.filter_queryset(self.get_queryset())
        is_residual = request.query_params.get("residual", "").lower() in ("1", "true", "yes")
        grid = selectors.heat_map(risks, scale=RiskScale.current(), is_residual=is_residual)
        cells = [cell for _, row in grid.rows for cell in row]
        data = {"is_residual": grid.is_residual, "levels": grid.levels, "total": grid.total, "cells": cells}
        return Response(HeatMapSerializer(data).data)


class AssumptionViewSet(WritableViewSet):
    """Assumptions, each to be validated by a date."""

    queryset = Assumption.objects.none()
    serializer_class = AssumptionSerializer
    filterset_class = AssumptionFilterSet
    select_related_fields = REGISTER_RELATIONS
    ordering_fields = ("validate_by", "raised_on", *TIMESTAMPS)
    search_fields = ("title", "description", "notes")
    service_object_argument = "assumption"
    create_service = staticmethod(_entry_service("assumption"))
    update_service = staticmethod(services.update_assumption)


class IssueViewSet(EscalationActionsMixin, WritableViewSet):
    """Issues with priority, severity, due date and resolution; severe or urgent ones of a project
    are escalated to its programme."""

    queryset = Issue.objects.none()
    serializer_class = RaidIssueSerializer
    filterset_class = IssueFilterSet
    select_related_fields = REGISTER_RELATIONS
    ordering_fields = ("due_on", "raised_on", "priority", "severity", *TIMESTAMPS)
    search_fields = ("title", "description", "resolution")
    service_object_argument = "issue"
    create_service = staticmethod(_entry_service("issue"))
    update_service = staticmethod(services.update_issue)

    def get_queryset(self):
        return super().get_queryset().prefetch_related("escalations")


class DependencyViewSet(WritableViewSet):
    """Dependencies on another project (linked to the portfolio's project dependency) or on an
    outside party."""

    queryset = Dependency.objects.none()
    serializer_class = RaidDependencySerializer
    filterset_class = DependencyFilterSet
    select_related_fields = (*REGISTER_RELATIONS, "project_dependency__dependent", "project_dependency__provider")
    ordering_fields = ("needed_by", "raised_on", *TIMESTAMPS)
    search_fields = ("title", "description", "party")
    service_object_argument = "dependency"
    create_service = staticmethod(_entry_service("dependency"))
    update_service = staticmethod(services.update_dependency)


class DecisionViewSet(WritableViewSet):
    """The decision logs of projects, programmes and portfolios."""

    queryset = Decision.objects.none()
    serializer_class = DecisionLogSerializer
    filterset_class = DecisionFilterSet
    select_related_fields = ("decided_by", "project", "programme", "portfolio", "source_type")
    prefetch_related_lookups = ("source",)
    ordering_fields = ("decided_on", *TIMESTAMPS)
    search_fields = ("title", "description", "body")
    service_object_argument = "decision"
    create_service = staticmethod(services.record_decision)
    update_service = staticmethod(services.update_decision)


class ActionItemViewSet(WritableViewSet):
    """Actions on every register the user may see, and the user's own wherever they are."""

    queryset = ActionItem.objects.none()
    serializer_class = ActionItemSerializer
    filterset_class = ActionItemFilterSet
    select_related_fields = (*REGISTER_RELATIONS, "source_type")
    prefetch_related_lookups = ("source",)
    ordering_fields = ("due_on", "status", *TIMESTAMPS)
    search_fields = ("title", "description")
    service_object_argument = "action"
    create_service = staticmethod(services.create_action)
    update_service = staticmethod(services.update_action)

    def _status(self, request, service):
        item = self.get_object()
        ask = ActionStatusRequestSerializer(data=request.data)
        ask.is_valid(raise_exception=True)
        item = service(actor=request.user, action=item, reason=ask.validated_data.get("reason", ""))
        return Response(self.representation(item))

    @extend_schema(summary="Mark done (the owner may)", request=ActionStatusRequestSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        return self._status(request, services.complete_action)

    @extend_schema(summary="Cancel", request=ActionStatusRequestSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self._status(request, services.cancel_action)

    @extend_schema(summary="Reopen", request=ActionStatusRequestSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        return self._status(request, services.reopen_action)


class EscalationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """The escalation history of the risks and issues the user may see."""

    queryset = Escalation.objects.none()
    serializer_class = EscalationSerializer
    filterset_class = EscalationFilterSet
    ordering_fields = ("escalated_at",)


class ExposureSnapshotViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Each register's open-risk exposure day by day, for the trend."""

    queryset = ExposureSnapshot.objects.none()
    serializer_class = ExposureSnapshotSerializer
    filterset_class = ExposureSnapshotFilterSet
    ordering_fields = ("taken_on",)


class NotificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """The signed-in user's notifications (nobody else's)."""

    queryset = Notification.objects.none()
    serializer_class = NotificationSerializer
    filterset_class = NotificationFilterSet
    ordering_fields = ("created_at",)

    @extend_schema(summary="Mark as read", request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        notification = self.get_object()
        services.mark_read(actor=request.user, notification=notification)
        notification.refresh_from_db()
        return Response(self.get_serializer(notification).data)

    @extend_schema(summary="Mark every unread notification as read", request=None, responses=ReadCountSerializer)
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        return Response({"marked": services.mark_read(actor=request.user, every=True)})


class SettingView(generics.GenericAPIView):
    """One organisation-wide setting: read by anyone with a role, changed (PATCH) by a role across
    the organisation."""

    schema = ApiAutoSchema()
    model = RiskScale
    update_service = staticmethod(services.update_risk_scale)

    def get_object(self):
        if not grants_for(self.request.user).has_any_role:
            raise PermissionRefused("The governance settings are for people with a role.")
        return self.model.current()

    def get(self, request):
        return Response(self.get_serializer(self.get_object()).data)

    def patch(self, request):
        instance = self.get_object()
        serializer = self.get_serializer(instance, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        reason = changes.pop("reason", "")
        updated = self.update_service(actor=request.user, changes=changes, reason=reason)
        return Response(self.get_serializer(updated).data)


class RiskScaleView(SettingView):
    """The organisation's risk scale: steps of probability and impact, their labels, the bands."""

    serializer_class = RiskScaleSerializer


class EscalationRuleView(SettingView):
    """The thresholds at which a project's risks and issues go up to its programme."""

    serializer_class = EscalationRuleSerializer
    model = EscalationRule
    update_service = staticmethod(services.update_escalation_rule)


def register(router) -> None:
    router.register("risks", RiskViewSet, basename="risk")
    router.register("assumptions", AssumptionViewSet, basename="assumption")
    router.register("issues", IssueViewSet, basename="issue")
    router.register("raid-dependencies", DependencyViewSet, basename="dependency")
    router.register("decisions", DecisionViewSet, basename="decision")
    router.register("actions", ActionItemViewSet, basename="action")
    router.register("escalations", EscalationViewSet, basename="escalation")
    router.register("exposure-snapshots", ExposureSnapshotViewSet, basename="exposure-snapshot")
    router.register("notifications", NotificationViewSet, basename="notification")
