"""Views of the portfolio API: objectives, portfolios, programmes, projects and dependencies."""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from pmo.core.api.views import ArchivableViewSet, RemovableViewSet, UpdateThroughServiceMixin
from pmo.portfolio import services
from pmo.portfolio.api.serializers import (
    PortfolioSerializer,
    ProgrammeSerializer,
    ProjectDependencyCreateSerializer,
    ProjectDependencySerializer,
    ProjectObjectivesSerializer,
    ProjectSerializer,
    ProjectStageSerializer,
    StrategicObjectiveSerializer,
)
from pmo.portfolio.filtersets import (
    PortfolioFilterSet,
    ProgrammeFilterSet,
    ProjectDependencyFilterSet,
    ProjectFilterSet,
    StrategicObjectiveFilterSet,
)
from pmo.portfolio.models import (
    Portfolio,
    Programme,
    Project,
    ProjectDependency,
    ProjectObjective,
    StrategicObjective,
)

TIMESTAMPS = ("created_at", "updated_at")


class StrategicObjectiveViewSet(ArchivableViewSet):
    """The organisation's strategic objectives and their weights, which projects serve."""

    queryset = StrategicObjective.objects.none()
    serializer_class = StrategicObjectiveSerializer
    filterset_class = StrategicObjectiveFilterSet
    ordering_fields = ("code", "name", "weight", "active_from", "active_to", *TIMESTAMPS)
    search_fields = ("code", "name", "description")
    service_object_argument = "objective"
    create_service = staticmethod(services.create_objective)
    update_service = staticmethod(services.update_objective)
    archive_service = staticmethod(services.archive_objective)


class PortfolioViewSet(ArchivableViewSet):
    """Portfolios: the top of the portfolio -> programme -> project hierarchy."""

    queryset = Portfolio.objects.none()
    serializer_class = PortfolioSerializer
    filterset_class = PortfolioFilterSet
    ordering_fields = ("code", "name", *TIMESTAMPS)
    search_fields = ("code", "name", "description")
    service_object_argument = "portfolio"
    create_service = staticmethod(services.create_portfolio)
    update_service = staticmethod(services.update_portfolio)
    archive_service = staticmethod(services.archive_portfolio)


class ProgrammeViewSet(ArchivableViewSet):
    """Programmes, each inside one portfolio."""

    queryset = Programme.objects.none()
    serializer_class = ProgrammeSerializer
    filterset_class = ProgrammeFilterSet
    ordering_fields = ("code", "name", *TIMESTAMPS)
    search_fields = ("code", "name", "description")
    service_object_argument = "programme"
    create_service = staticmethod(services.create_programme)
    update_service = staticmethod(services.update_programme)
    archive_service = staticmethod(services.archive_programme)


class ProjectViewSet(ArchivableViewSet):
    """Projects, inside a portfolio and optionally a programme. The lifecycle stage moves through
    ``{id}/stage/`` (or an update); the objectives served are set with ``{id}/objectives/``."""

    queryset = Project.objects.none()
    serializer_class = ProjectSerializer
    filterset_class = ProjectFilterSet
    prefetch_related_lookups = (
        Prefetch("objective_links", queryset=ProjectObjective.objects.order_by("objective__code")),
    )
    ordering_fields = ("code", "name", "stage", "rag", "planned_start", "planned_finish", "budget", *TIMESTAMPS)
    search_fields = ("code", "name", "scope_statement")
    service_object_argument = "project"
    create_service = staticmethod(services.create_project)
    update_service = staticmethod(services.update_project)
    archive_service = staticmethod(services.archive_project)

    @extend_schema(summary="Move to another lifecycle stage", request=ProjectStageSerializer)
    @action(detail=True, methods=["post"])
    def stage(self, request, pk=None):
        project = self.get_object()
        body = ProjectStageSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        project = services.move_project_stage(
            actor=request.user, project=project, stage=body.validated_data["stage"],
            reason=body.validated_data.get("reason", ""),
        )
        return Response(self.representation(project))

    @extend_schema(
        summary="Set the objectives the project serves",
        description="Replaces the whole list; an empty list removes every link.",
        request=ProjectObjectivesSerializer,
    )
    @action(detail=True, methods=["post"])
    def objectives(self, request, pk=None):
        project = self.get_object()
        body = ProjectObjectivesSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        contributions = {item["objective"]: item["contribution_weight"] for item in body.validated_data["objectives"]}
        project = services.set_project_objectives(
            actor=request.user, project=project, contributions=contributions,
            reason=body.validated_data.get("reason", ""),
        )
        return Response(self.representation(project))


class ProjectDependencyViewSet(UpdateThroughServiceMixin, RemovableViewSet):
    """One project needs an output of another by a date. Seen by whoever sees either project,
    changed by whoever may change the dependent one. Deleted rather than archived: a dependency
    that no longer holds is gone, and its history stays in the audit trail."""

    queryset = ProjectDependency.objects.none()
    serializer_class = ProjectDependencySerializer
    filterset_class = ProjectDependencyFilterSet
    # The display name reads both projects' codes.
    select_related_fields = ("dependent", "provider")
    ordering_fields = ("needed_by", "status", *TIMESTAMPS)
    search_fields = ("output", "notes")
    service_object_argument = "dependency"
    create_service = staticmethod(services.create_dependency)
    update_service = staticmethod(services.update_dependency)
    delete_service = staticmethod(services.delete_dependency)

    def get_serializer_class(self):
        if self.action == "create":
            return ProjectDependencyCreateSerializer
        return ProjectDependencySerializer
