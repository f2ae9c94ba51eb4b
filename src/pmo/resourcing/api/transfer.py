"""API: importing the resource register (``POST resource-imports/``, a multipart file) and
exporting it (``GET resource-exports/``, an Excel workbook; ``GET resource-exports/template/``,
the blank template)."""

from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from pmo.core.api.views import ApiViewSet
from pmo.resourcing.exports.register import XLSX_CONTENT_TYPE, register_template, register_workbook
from pmo.resourcing.imports import REGISTER_COLUMNS, column_notes, file_too_large, import_register
from pmo.resourcing.models import Resource

# The 400 answer's ``errors.file`` repeats this many problems as sentences; ``problems`` has them all.
SUMMARISED_PROBLEMS = 50


class ResourceImportSerializer(serializers.Serializer):
    """The multipart body of ``POST resource-imports/``."""

    file = serializers.FileField(
        help_text="An Excel workbook (.xlsx) with the sheets People, Skills and Rates, or a CSV file holding one "
        "of them; at most 5 MB."
    )
    dry_run = serializers.BooleanField(
        default=False, help_text="Check the file and answer what importing it would do, importing nothing."
    )
    reason = serializers.CharField(
        required=False, allow_blank=True, max_length=2000, help_text="Kept in the audit trail of each change."
    )

    def validate_file(self, upload):
        too_large = file_too_large(upload.size)
        if too_large:
            raise serializers.ValidationError(too_large)
        return upload


class ImportProblemSerializer(serializers.Serializer):
    sheet = serializers.CharField(help_text="People, Skills, Rates, or File for the file as a whole.")
    row = serializers.IntegerField(allow_null=True, help_text="As Excel numbers it (the header is row 1).")
    column = serializers.CharField(allow_blank=True)
    value = serializers.CharField(allow_blank=True, help_text="The value as the file has it.")
    message = serializers.CharField()


class SheetCountsSerializer(serializers.Serializer):
    sheet = serializers.CharField()
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()


class ResourceImportResultSerializer(serializers.Serializer):
    source = serializers.CharField(help_text="The file's name.")
    dry_run = serializers.BooleanField()
    changed = serializers.BooleanField(help_text="False when pmo already held everything in the file.")
    summary = serializers.CharField()
    sheets = SheetCountsSerializer(many=True)
    problems = ImportProblemSerializer(many=True, help_text="Always empty in a 200 answer.")


class ResourceImportErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))
    problems = ImportProblemSerializer(many=True, required=False, help_text="Every problem, by sheet, row and column.")


class ResourceImportViewSet(ApiViewSet):
    """Import people, skills and rates; all of the file or, if any row is wrong, none of it."""

    queryset = Resource.objects.none()
    serializer_class = ResourceImportSerializer
    parser_classes = [MultiPartParser]
    filter_backends = []
    pagination_class = None

    @extend_schema(
        summary="Import the resource register",
        description=(
            "Reads every row of the file first. When any is wrong, answers 400 with every problem (sheet, row, "
            "column, value, message) and imports nothing; otherwise imports the file in one transaction and answers "
            "the rows created, updated and unchanged per sheet. People are matched by email (by full name when "
            "the email is blank) and changed only in the columns that have a value. Needs the rights to create "
            "and change across the organisation. Columns: "
            + "; ".join(
                f"{sheet}: {', '.join(column.name for column in columns)}"
                for sheet, columns in REGISTER_COLUMNS.items()
            )
            + "."
        ),
        request={"multipart/form-data": ResourceImportSerializer},
        responses={200: ResourceImportResultSerializer, 400: ResourceImportErrorSerializer},
    )
    def create(self, request):
        body = ResourceImportSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        upload = body.validated_data["file"]
        report = import_register(
            actor=request.user,
            data=upload.read(),
            name=upload.name,
            dry_run=body.validated_data["dry_run"],
            reason=body.validated_data.get("reason", ""),
        )
        if report.problems:
            answer = report.as_dict()
            return Response(
                {
                    "detail": report.summary(),
                    "errors": {"file": [str(problem) for problem in report.problems[:SUMMARISED_PROBLEMS]]},
                    "problems": answer["problems"],
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        return Response(report.as_dict())


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class ResourceExportViewSet(ApiViewSet):
    """The resource register as an Excel workbook that ``resource-imports`` reads back."""

    queryset = Resource.objects.none()
    filter_backends = []
    pagination_class = None

    @extend_schema(
        summary="Export the resource register",
        description="The people, skills and rates you may see, as an Excel workbook (sheets People, Skills, Rates "
        "and a read-only Skills matrix) in the layout the import reads.",
        responses={(200, XLSX_CONTENT_TYPE): OpenApiTypes.BINARY},
    )
    def list(self, request):
        return _xlsx(register_workbook(request.user), f"resource-register-{timezone.localdate().isoformat()}.xlsx")

    @extend_schema(
        summary="The blank register template",
        description="The register's sheets and headers with one example row each.",
        responses={(200, XLSX_CONTENT_TYPE): OpenApiTypes.BINARY},
    )
    @action(detail=False, methods=["get"])
    def template(self, request):
        return _xlsx(register_template(column_notes()), "resource-register-template.xlsx")


def register(router) -> None:
    router.register("resource-imports", ResourceImportViewSet, basename="resource-import")
    router.register("resource-exports", ResourceExportViewSet, basename="resource-export")
