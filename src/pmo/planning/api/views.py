"""Views of the planning API: activities, links, calendars, baselines, plans and rescheduling."""

from django.db import transaction
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from pmo.core.api.views import (
    ApiViewSet,
    CreateThroughServiceMixin,
    DeleteThroughServiceMixin,
    HistoryMixin,
    ReadViewSet,
    RemovableViewSet,
    UpdateThroughServiceMixin,
)
from pmo.core.errors import InvalidData
from pmo.planning import services
from pmo.planning.api.serializers import (
    ActivitySerializer,
    BaselineSerializer,
    CalendarSerializer,
    LinkSerializer,
    PlanImportResultSerializer,
    PlanImportSerializer,
    ProjectPlanSerializer,
    RescheduleResultSerializer,
    RescheduleSerializer,
)
from pmo.planning.exports import EXPORT_WRITERS, export_plan
from pmo.planning.filtersets import ActivityFilterSet, BaselineFilterSet, CalendarFilterSet, LinkFilterSet
from pmo.planning.imports import import_plan, read_upload
from pmo.planning.models import Activity, Baseline, Calendar, Link, ProjectPlan

TIMESTAMPS = ("created_at", "updated_at")


class ActivityViewSet(UpdateThroughServiceMixin, RemovableViewSet):
    """The activities of project plans (WBS). Progress fields (actual start/finish, % complete,
    remaining duration) are recorded through the progress service; dates, floats and the
    critical flag are computed by ``plans/reschedule/``."""

    queryset = Activity.objects.none()
    serializer_class = ActivitySerializer
    filterset_class = ActivityFilterSet
    ordering_fields = ("position", "wbs_code", "name", "start", "finish", "total_float_minutes", *TIMESTAMPS)
    search_fields = ("name", "wbs_code")
    service_object_argument = "activity"
    create_service = staticmethod(services.create_activity)
    delete_service = staticmethod(services.delete_activity)

    @staticmethod
    @transaction.atomic
    def update_service(*, actor, activity, changes, reason=""):
        progress = {name: changes.pop(name) for name in services.PROGRESS_FIELDS if name in changes}
        if changes:
            activity = services.update_activity(actor=actor, activity=activity, changes=changes, reason=reason)
        if progress:
            activity = services.record_progress(actor=actor, activity=activity, changes=progress, reason=reason)
        return activity


class LinkViewSet(UpdateThroughServiceMixin, RemovableViewSet):
    """Links between activities (finish-to-start, start-to-start, finish-to-finish,
    start-to-finish, with a lag in working minutes), possibly across projects."""

    queryset = Link.objects.none()
    serializer_class = LinkSerializer
    # The display name reads both activities.
    select_related_fields = ("predecessor", "successor")
    filterset_class = LinkFilterSet
    ordering_fields = ("link_type", "lag_minutes", *TIMESTAMPS)
    service_object_argument = "link"
    create_service = staticmethod(services.create_link)
    update_service = staticmethod(services.update_link)
    delete_service = staticmethod(services.delete_link)


class CalendarViewSet(UpdateThroughServiceMixin, CreateThroughServiceMixin, ReadViewSet):
    """Working calendars: working weekdays, daily working periods (minutes after midnight) and
    exceptions (holidays, extra working days). Without a project, a calendar serves everyone."""

    queryset = Calendar.objects.none()
    serializer_class = CalendarSerializer
    filterset_class = CalendarFilterSet
    prefetch_related_lookups = ("exceptions",)
    ordering_fields = ("name", *TIMESTAMPS)
    service_object_argument = "calendar"

    @staticmethod
    def create_service(*, actor, reason="", exceptions=(), **fields):
        rows = [(row["date"], row.get("is_working", False), row.get("name", "")) for row in exceptions]
        return services.create_calendar(actor=actor, reason=reason, exceptions=rows, **fields)

    @staticmethod
    def update_service(*, actor, calendar, changes, reason=""):
        rows = changes.pop("exceptions", None)
        if rows is not None:
            rows = [(row["date"], row.get("is_working", False), row.get("name", "")) for row in rows]
        changes.pop("project", None)
        return services.update_calendar(actor=actor, calendar=calendar, changes=changes, exceptions=rows, reason=reason)


class BaselineViewSet(
    CreateThroughServiceMixin,
    DeleteThroughServiceMixin,
    HistoryMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    ApiViewSet,
):
    """Baselines: frozen copies of a project's dates, durations and costs. ``POST`` takes one
    (replacing the baseline of the same number); ``DELETE`` clears it."""

    queryset = Baseline.objects.none()
    serializer_class = BaselineSerializer
    filterset_class = BaselineFilterSet
    prefetch_related_lookups = ("entries",)
    ordering_fields = ("number", *TIMESTAMPS)
    service_object_argument = "baseline"
    create_service = staticmethod(services.set_baseline)
    delete_service = staticmethod(services.clear_baseline)


class ProjectPlanViewSet(UpdateThroughServiceMixin, ReadViewSet):
    """Each project's plan settings (start, status date, calendar) and the summary of its last
    schedule (finish, critical paths, conflicts)."""

    queryset = ProjectPlan.objects.none()
    serializer_class = ProjectPlanSerializer
    filterset_fields = ("project",)
    ordering_fields = ("early_finish", "scheduled_at", *TIMESTAMPS)
    service_object_argument = "plan"

    @staticmethod
    def update_service(*, actor, plan, changes, reason=""):
        return services.update_plan(actor=actor, project=plan.project, changes=changes, reason=reason)

    @extend_schema(
        summary="Reschedule projects",
        description=(
            "Run the critical path method on the projects (or every project of a programme you may change) "
            "together, with links across projects, at the status date; write the dates and return the plans."
        ),
        request=RescheduleSerializer,
        responses={200: RescheduleResultSerializer},
    )
    @action(detail=False, methods=["post"], filter_backends=[], pagination_class=None)
    def reschedule(self, request):
        body = RescheduleSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        data = body.validated_data
        if data.get("programme"):
            summary = services.reschedule_programme(
                actor=request.user,
                programme=data["programme"],
                status_date=data.get("status_date"),
                reason=data.get("reason", ""),
            )
        else:
            summary = services.reschedule(
                actor=request.user,
                projects=data["projects"],
                status_date=data.get("status_date"),
                reason=data.get("reason", ""),
            )
        plans = self.get_queryset().filter(project_id__in=summary["projects"])
        serializer = ProjectPlanSerializer(plans, many=True, context=self.get_serializer_context())
        return Response(
            {"activities": summary["activities"], "seconds": summary["seconds"], "plans": serializer.data},
            status=status.HTTP_200_OK,
        )

    @extend_schema(
        summary="Import a plan file into a project",
        description="Reads the file, stores its plan in the project, schedules it, and answers what was read "
        "and which activities pmo schedules on other dates than the file stores.",
        request={"multipart/form-data": PlanImportSerializer},
        responses={200: PlanImportResultSerializer},
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="import",
        filter_backends=[],
        pagination_class=None,
        parser_classes=[MultiPartParser],
    )
    def import_file(self, request):
        body = PlanImportSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        upload = body.validated_data["file"]
        plan = read_upload(upload, body.validated_data["project"])
        result = import_plan(
            actor=request.user,
            project=body.validated_data["project"],
            plan=plan,
            source=upload.name,
            replace=body.validated_data["replace"],
            reason=body.validated_data.get("reason", ""),
        )
        project_plan = self.get_queryset().get(project=result.project)
        return Response(
            {
                "activities": result.activities,
                "links": result.links,
                "calendars": result.calendars,
                "baselines": result.baselines,
                "resources": result.resources,
                "assignments": result.assignments,
                "skipped_inactive": result.skipped_inactive,
                "conflicts": result.conflicts,
                "differences": [
                    {
                        "name": d.name,
                        "file_start": d.file_start,
                        "file_finish": d.file_finish,
                        "start": d.start,
                        "finish": d.finish,
                    }
                    for d in result.differences
                ],
                "plan": ProjectPlanSerializer(project_plan, context=self.get_serializer_context()).data,
            }
        )

    @extend_schema(
        summary="Export the plan",
        description="``?format=xml``: Microsoft Project XML (the default); ``?format=xlsx``: the Excel plan template.",
        parameters=[OpenApiParameter("format", str, enum=list(EXPORT_WRITERS), required=False)],
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def export(self, request, pk=None):
        project_plan = self.get_object()
        chosen = request.query_params.get("format", "xml")
        if chosen not in EXPORT_WRITERS:
            raise InvalidData({"format": [f"Choose one of {', '.join(EXPORT_WRITERS)}."]})
        suffix, content_type, write = EXPORT_WRITERS[chosen]
        response = HttpResponse(write(export_plan(project_plan.project).plan), content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{project_plan.project.code}{suffix}"'
        return response
