"""Views of the highlight reporting API: reports and their flow (``submit``, ``approve``,
``return``, ``refresh``), and report packs (collate, ``refresh``, ``issue``, PDF and Excel).
Views validate and call services; reads go through ``visible_to``."""

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from pmo.core.api.views import ReadViewSet, UpdateThroughServiceMixin
from pmo.reporting import exports, services
from pmo.reporting.api.serializers import (
    HighlightReportCreateSerializer,
    HighlightReportSerializer,
    ReportPackCreateSerializer,
    ReportPackSerializer,
    ReportReviewSerializer,
    ReportStepSerializer,
)
from pmo.reporting.filtersets import HighlightReportFilterSet, ReportPackFilterSet
from pmo.reporting.models import HighlightReport, ReportPack

TIMESTAMPS = ("created_at", "updated_at")


class RepresentedMixin:
    """Answers a write with the read serializer (the create serializers only take input)."""

    def representation(self, instance) -> dict:
        fresh = self.get_queryset().filter(pk=instance.pk).first()
        return self.serializer_class(fresh or instance, context=self.get_serializer_context()).data


def _created(view, instance) -> Response:
    data = view.representation(instance)
    return Response(data, status=status.HTTP_201_CREATED, headers={"Location": str(data["url"])})


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class HighlightReportViewSet(RepresentedMixin, UpdateThroughServiceMixin, ReadViewSet):
    """Highlight reports. POST drafts one (pre-filled from the project's data); PATCH writes the
    narrative while it is a draft or returned; ``submit`` sends it to the PMO, who ``approve`` it
    or ``return`` it with a comment. No DELETE: reports stay on record."""

    queryset = HighlightReport.objects.none()
    serializer_class = HighlightReportSerializer
    filterset_class = HighlightReportFilterSet
    select_related_fields = ("project",)
    ordering_fields = ("period_start", "status", "submitted_at", "reviewed_at", *TIMESTAMPS)
    search_fields = ("summary",)
    service_object_argument = "report"
    update_service = staticmethod(services.update_report)

    def get_serializer_class(self):
        if self.action == "create":
            return HighlightReportCreateSerializer
        return self.serializer_class

    @extend_schema(request=HighlightReportCreateSerializer, responses={201: HighlightReportSerializer})
    def create(self, request, *args, **kwargs):
        serializer = HighlightReportCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        report = services.create_report(
            actor=request.user,
            project=data["project"],
            period_day=data.get("period_day"),
            reason=data.get("reason", ""),
        )
        return _created(self, report)

    def _step(self, request, service, serializer_class, **arguments):
        report = self.get_object()
        serializer = serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        report = service(actor=request.user, report=report, **serializer.validated_data, **arguments)
        return Response(self.representation(report))

    @extend_schema(summary="Submit for review", request=ReportStepSerializer, responses=HighlightReportSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._step(request, services.submit_report, ReportStepSerializer)

    @extend_schema(summary="Take the figures again", request=ReportStepSerializer, responses=HighlightReportSerializer)
    @action(detail=True, methods=["post"])
    def refresh(self, request, pk=None):
        return self._step(request, services.refresh_report, ReportStepSerializer)

    @extend_schema(summary="Approve", request=ReportReviewSerializer, responses=HighlightReportSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._step(request, services.approve_report, ReportReviewSerializer)

    @extend_schema(summary="Return to the manager", request=ReportReviewSerializer, responses=HighlightReportSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_to_manager(self, request, pk=None):
        return self._step(request, services.return_report, ReportReviewSerializer)

    @extend_schema(summary="The report as a PDF", responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], filter_backends=[])
    def pdf(self, request, pk=None):
        report = self.get_object()
        name = f"highlight-report-{report.project.code}-{report.period_start:%Y-%m-%d}.pdf"
        return _download(exports.report_pdf(report), exports.PDF_CONTENT_TYPE, name)


class ReportPackViewSet(RepresentedMixin, ReadViewSet):
    """Report packs of a programme or a portfolio for one period. POST collates one (the PMO or
    the programme's or portfolio's manager); ``refresh`` gathers a draft again; ``issue`` freezes
    it; ``pdf`` and ``xlsx`` download it."""

    queryset = ReportPack.objects.none()
    serializer_class = ReportPackSerializer
    filterset_class = ReportPackFilterSet
    select_related_fields = ("portfolio", "programme")
    ordering_fields = ("period_start", "title", "status", *TIMESTAMPS)
    search_fields = ("title",)

    def get_serializer_class(self):
        if self.action == "create":
            return ReportPackCreateSerializer
        return self.serializer_class

    @extend_schema(request=ReportPackCreateSerializer, responses={201: ReportPackSerializer})
    def create(self, request, *args, **kwargs):
        serializer = ReportPackCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        pack = services.create_pack(
            actor=request.user,
            programme=data.get("programme"),
            portfolio=None if data.get("programme") else data.get("portfolio"),
            period_day=data.get("period_day"),
            title=data.get("title", ""),
            reason=data.get("reason", ""),
        )
        return _created(self, pack)

    def _step(self, request, service):
        pack = self.get_object()
        serializer = ReportStepSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        pack = service(actor=request.user, pack=pack, **serializer.validated_data)
        return Response(self.representation(pack))

    @extend_schema(summary="Gather again", request=ReportStepSerializer, responses=ReportPackSerializer)
    @action(detail=True, methods=["post"])
    def refresh(self, request, pk=None):
        return self._step(request, services.refresh_pack)

    @extend_schema(summary="Issue (freeze)", request=ReportStepSerializer, responses=ReportPackSerializer)
    @action(detail=True, methods=["post"])
    def issue(self, request, pk=None):
        return self._step(request, services.issue_pack)

    @extend_schema(summary="The pack as a PDF", responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], filter_backends=[])
    def pdf(self, request, pk=None):
        pack = self.get_object()
        name = f"report-pack-{pack.scope.code}-{pack.period_start:%Y-%m-%d}.pdf"
        return _download(exports.pack_pdf(pack), exports.PDF_CONTENT_TYPE, name)

    @extend_schema(
        summary="The pack as an Excel workbook",
        responses={(200, exports.XLSX_CONTENT_TYPE): OpenApiTypes.BINARY},
    )
    @action(detail=True, methods=["get"], filter_backends=[])
    def xlsx(self, request, pk=None):
        pack = self.get_object()
        name = f"report-pack-{pack.scope.code}-{pack.period_start:%Y-%m-%d}.xlsx"
        return _download(exports.pack_workbook(pack), exports.XLSX_CONTENT_TYPE, name)
