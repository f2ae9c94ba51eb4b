"""API: the dashboards' figures, read-only, from the same selectors as the pages.

``GET /api/v1/dashboards/portfolio/`` takes the page's filters (``portfolio``, ``programme``,
``objective``, ``stage`` (repeatable), ``manager``); ``/dashboards/programmes/<id>/`` takes
``objective``, ``stage`` and ``manager``; ``/dashboards/projects/<id>/`` none. A wrong parameter
answers 400 naming it; a programme or project the user cannot see, 404.
"""

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.response import Response

from pmo.core.api.views import ApiAutoSchema
from pmo.core.choices import Action
from pmo.core.errors import InvalidData
from pmo.dashboards import selectors
from pmo.dashboards.api.serializers import GroupDashboardSerializer, ProjectDashboardSerializer
from pmo.dashboards.filtersets import group_selection
from pmo.portfolio.models import Programme, Project


def _parameter(name: str, kind, description: str, many: bool = False) -> OpenApiParameter:
    return OpenApiParameter(
        name, kind, OpenApiParameter.QUERY, required=False, description=description, many=many or None
    )


SCOPE_PARAMETERS = [
    _parameter("portfolio", OpenApiTypes.INT, "A portfolio's id."),
    _parameter("programme", OpenApiTypes.INT, "A programme's id."),
]
SELECTION_PARAMETERS = [
    _parameter("objective", OpenApiTypes.INT, "A strategic objective's id: the projects serving it."),
    _parameter(
        "stage", OpenApiTypes.STR, "Lifecycle stages (repeat); default: all but closed and cancelled.", many=True
    ),
    _parameter("manager", OpenApiTypes.INT, "A person's id: the projects they manage."),
]


class _GroupDashboardView(generics.GenericAPIView):
    schema = ApiAutoSchema()
    serializer_class = GroupDashboardSerializer
    pagination_class = None
    filter_backends = []

    def answer(self, request, programme=None):
        filterset, projects, registers = group_selection(request, request.query_params, programme=programme)
        if projects is None:
            raise InvalidData({name: list(errors) for name, errors in filterset.errors.items()})
        return Response(selectors.group_dashboard(request.user, projects, registers=registers))


class PortfolioDashboardView(_GroupDashboardView):
    @extend_schema(
        summary="Portfolio dashboard",
        description="Health, earned value, S-curve, milestones, risks, value against risk and cost, and capacity "
        "of the projects the user may see, filtered.",
        parameters=[*SCOPE_PARAMETERS, *SELECTION_PARAMETERS],
    )
    def get(self, request):
        return self.answer(request)


class ProgrammeDashboardView(_GroupDashboardView):
    @extend_schema(
        summary="Programme dashboard",
        description="The portfolio dashboard's figures over one programme's projects.",
        parameters=SELECTION_PARAMETERS,
    )
    def get(self, request, pk: int):
        programme = get_object_or_404(Programme.objects.visible_to(request.user, Action.VIEW), pk=pk)
        return self.answer(request, programme=programme)


class ProjectDashboardView(generics.GenericAPIView):
    schema = ApiAutoSchema()
    serializer_class = ProjectDashboardSerializer
    pagination_class = None
    filter_backends = []

    @extend_schema(
        summary="Project dashboard",
        description="One project's health, earned value and S-curve, "
        "milestones in the next 90 days, top risks and capacity.",
    )
    def get(self, request, pk: int):
        project = get_object_or_404(Project.objects.visible_to(request.user, Action.VIEW), pk=pk)
        return Response(selectors.project_dashboard(request.user, project))
