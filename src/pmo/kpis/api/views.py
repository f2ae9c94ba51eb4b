"""Views of the KPI API: KPI definitions (the PMO writes), measurements (list, and entry by hand)
and recommendations (list; accept into an action or dismiss). Views validate and call services;
reads go through ``visible_to``."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from pmo.core.api.views import (
    CreateThroughServiceMixin,
    DeleteThroughServiceMixin,
    ReadViewSet,
    UpdateThroughServiceMixin,
)
from pmo.kpis import services
from pmo.kpis.api.serializers import (
    AcceptSerializer,
    DismissSerializer,
    KPISerializer,
    MeasurementSerializer,
    RecommendationSerializer,
)
from pmo.kpis.filtersets import KPIFilterSet, MeasurementFilterSet, RecommendationFilterSet
from pmo.kpis.models import KPI, Measurement, Recommendation

TIMESTAMPS = ("created_at", "updated_at")


class KPIViewSet(DeleteThroughServiceMixin, UpdateThroughServiceMixin, CreateThroughServiceMixin, ReadViewSet):
    """The KPI library: formulas over the named figures with their target, thresholds and direction.
    Anyone with a role reads the KPIs for every project, programme or portfolio; only the PMO (a
    role across the organisation) writes. DELETE removes a KPI never measured."""

    queryset = KPI.objects.none()
    serializer_class = KPISerializer
    filterset_class = KPIFilterSet
    select_related_fields = ()
    ordering_fields = ("code", "name", "level", *TIMESTAMPS)
    search_fields = ("code", "name", "formula")
    service_object_argument = "kpi"
    create_service = staticmethod(services.create_kpi)
    update_service = staticmethod(services.update_kpi)
    delete_service = staticmethod(services.delete_kpi)


class MeasurementViewSet(CreateThroughServiceMixin, ReadViewSet):
    """KPI values per target and period. POST enters one by hand (whoever may change the target);
    the scheduled ones come from the project snapshots. No PUT, PATCH or DELETE: POST again to
    correct a value (the audit trail keeps the old one)."""

    queryset = Measurement.objects.none()
    serializer_class = MeasurementSerializer
    filterset_class = MeasurementFilterSet
    select_related_fields = ("kpi", "project", "programme", "portfolio")
    ordering_fields = ("period_end", "value", "status")
    create_service = staticmethod(services.record_measurement)


class RecommendationViewSet(ReadViewSet):
    """Corrective actions proposed by the recommendation rules when a KPI shows a pattern;
    ``accept`` puts an action on the target's register, ``dismiss`` records why not."""

    queryset = Recommendation.objects.none()
    serializer_class = RecommendationSerializer
    filterset_class = RecommendationFilterSet
    select_related_fields = ("kpi", "project", "programme", "portfolio")
    ordering_fields = ("since", "status", *TIMESTAMPS)

    @extend_schema(summary="Accept into an action", request=AcceptSerializer, responses=RecommendationSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        recommendation = self.get_object()
        serializer = AcceptSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        done = services.accept_recommendation(
            actor=request.user, recommendation=recommendation, **serializer.validated_data
        )
        return Response(self.representation(done), status=status.HTTP_200_OK)

    @extend_schema(summary="Dismiss", request=DismissSerializer, responses=RecommendationSerializer)
    @action(detail=True, methods=["post"])
    def dismiss(self, request, pk=None):
        recommendation = self.get_object()
        serializer = DismissSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        done = services.dismiss_recommendation(
            actor=request.user, recommendation=recommendation, reason=serializer.validated_data["reason"]
        )
        return Response(self.representation(done))
