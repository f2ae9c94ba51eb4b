"""Views of the health API: the latest health of every visible project, one project's health
with its findings and earned value measures (and recompute now), the snapshots, and the PMO's
rule settings. Reads go through ``visible_to``; writes through the services."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from pmo.core.api.views import ApiViewSet, ReadViewSet
from pmo.health import selectors, services
from pmo.health.api.serializers import (
    HealthCheckSerializer,
    HealthRuleSettingSerializer,
    ProjectHealthSerializer,
    ProjectSnapshotSerializer,
)
from pmo.health.filtersets import HealthCheckFilterSet, ProjectSnapshotFilterSet
from pmo.health.models import HealthCheck, HealthRuleSetting, ProjectSnapshot
from pmo.portfolio.models import Project


class HealthCheckViewSet(ReadViewSet):
    """Health checks: by default the latest of every visible project (``?history=true`` for every
    recorded week), filtered by status, dimension, portfolio, programme and project."""

    queryset = HealthCheck.objects.none()
    serializer_class = HealthCheckSerializer
    filterset_class = HealthCheckFilterSet
    select_related_fields = ("project",)
    ordering_fields = ("period_end", "overall", "project__code")
    ordering = ("project__code", "-period_end")

    def get_queryset(self):
        queryset = super().get_queryset().order_by("project__code", "-period_end")
        if self.action == "list" and self.request.query_params.get("history") not in ("true", "1"):
            queryset = queryset.filter(is_latest=True)
        return queryset


class ProjectSnapshotViewSet(ReadViewSet):
    """Weekly figures of the visible projects: the earned value core and every named figure."""

    queryset = ProjectSnapshot.objects.none()
    serializer_class = ProjectSnapshotSerializer
    filterset_class = ProjectSnapshotFilterSet
    select_related_fields = ("project",)
    ordering_fields = ("period_end", "project__code")

    def get_queryset(self):
        return super().get_queryset().order_by("project__code", "-period_end")


class ProjectHealthViewSet(mixins.RetrieveModelMixin, ApiViewSet):
    """One project's health by the project's id: the latest recorded check (or one judged now
    when nothing is recorded), every finding, and the earned value measures now."""

    queryset = Project.objects.none()
    serializer_class = ProjectHealthSerializer

    def retrieve(self, request, *args, **kwargs):
        project = self.get_object()
        return Response(self._answer(project))

    def _answer(self, project) -> dict:
        health = selectors.project_health(project)
        series = selectors.evm_series(project)
        data = {
            "project": project,
            "period_end": health.period_end,
            "is_live": health.is_live,
            "overall": health.overall,
            "dimensions": {dimension: status for dimension, _, status in health.dimensions},
            "findings": health.findings,
            "measures": series["measures"],
        }
        return ProjectHealthSerializer(data).data

    @extend_schema(summary="Recompute now", request=None, responses=ProjectHealthSerializer)
    @action(detail=True, methods=["post"])
    def refresh(self, request, pk=None):
        project = self.get_object()
        services.refresh_project(actor=request.user, project=project, reason=request.data.get("reason", ""))
        return Response(self._answer(project), status=status.HTTP_200_OK)


class HealthRuleSettingViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, ReadViewSet):
    """The PMO's tuning of the health rules (rules without a row use their defaults, listed on
    the settings page and in the user guide). POST tunes a rule, PATCH changes a tuning."""

    queryset = HealthRuleSetting.objects.none()
    serializer_class = HealthRuleSettingSerializer
    ordering_fields = ("rule",)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        setting = services.update_rule_setting(actor=request.user, **fields)
        data = self.representation(setting)
        return Response(data, status=status.HTTP_201_CREATED, headers={"Location": str(data["url"])})

    def update(self, request, *args, partial=False, **kwargs):
        setting = self.get_object()
        serializer = self.get_serializer(setting, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        setting = services.update_rule_setting(actor=request.user, rule=setting.rule, **fields)
        return Response(self.representation(setting))
