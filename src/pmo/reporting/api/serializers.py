"""Serializers of the highlight reporting API. They check shapes and turn ids into visible
objects; the services check permission, apply the rules, save and audit."""

from django.urls import reverse
from rest_framework import serializers

from pmo.core.api.serializers import ResourceSerializer, VisibleRelatedField
from pmo.portfolio.models import Portfolio, Programme, Project
from pmo.reporting.models import HighlightReport, ReportPack
from pmo.reporting.services import NARRATIVE_FIELDS

TIMESTAMPS = ("created_at", "updated_at")
RAG_HELP = "red, amber or green."
FLOW_FIELDS = (
    "status",
    "period_start",
    "period_end",
    "frequency",
    "facts",
    "facts_taken_at",
    "created_by",
    "submitted_by",
    "submitted_at",
    "reviewed_by",
    "reviewed_at",
    "review_comment",
)


class HighlightReportSerializer(ResourceSerializer):
    """A project's highlight report for one period: the facts taken from the project's data
    (read only), the manager's narrative, RAG and comments (writable while draft or returned)."""

    url = serializers.HyperlinkedIdentityField(view_name="api:highlight-report-detail")
    period_label = serializers.CharField(read_only=True)
    facts = serializers.JSONField(read_only=True, help_text="Progress, milestones, EVM, RAID, changes and health.")
    pdf = serializers.SerializerMethodField(help_text="The report as a PDF.")
    # Text rather than choices: the same values as other apps' RAG, status and frequency sets,
    # whose names would clash in the schema; the service refuses a value outside them by name.
    status = serializers.CharField(read_only=True, help_text="draft, submitted, returned or approved.")
    frequency = serializers.CharField(read_only=True, help_text="weekly or monthly.")
    rag_overall = serializers.CharField(required=False, help_text=RAG_HELP)
    rag_schedule = serializers.CharField(required=False, help_text=RAG_HELP)
    rag_cost = serializers.CharField(required=False, help_text=RAG_HELP)
    rag_scope = serializers.CharField(required=False, help_text=RAG_HELP)
    rag_risk = serializers.CharField(required=False, help_text=RAG_HELP)
    rag_resources = serializers.CharField(required=False, help_text=RAG_HELP)
    rag_governance = serializers.CharField(required=False, help_text=RAG_HELP)

    class Meta:
        model = HighlightReport
        fields = [
            "id",
            "url",
            "display",
            "project",
            "period_label",
            *FLOW_FIELDS,
            *NARRATIVE_FIELDS,
            "pdf",
            *TIMESTAMPS,
            "reason",
        ]
        read_only_fields = ("id", "url", "display", "project", *FLOW_FIELDS, *TIMESTAMPS)

    def get_pdf(self, report) -> str:
        request = self.context.get("request")
        path = reverse("reporting:report_pdf", args=[report.pk])
        return request.build_absolute_uri(path) if request else path


class HighlightReportCreateSerializer(serializers.Serializer):
    project = VisibleRelatedField(queryset=Project.objects.all())
    period_day = serializers.DateField(
        required=False, allow_null=True, help_text="Any day of the period; the period that ended last when omitted."
    )
    reason = serializers.CharField(required=False, allow_blank=True)


class ReportStepSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, help_text="Why; kept in the audit trail.")


class ReportReviewSerializer(serializers.Serializer):
    comment = serializers.CharField(
        required=False, allow_blank=True, help_text="The reviewer's comment (needed when returning)."
    )


class ReportPackSerializer(ResourceSerializer):
    """A programme's or a portfolio's reports for one period with their summary table; frozen once
    issued. Downloads: ``pdf`` and ``xlsx``."""

    url = serializers.HyperlinkedIdentityField(view_name="api:report-pack-detail")
    period_label = serializers.CharField(read_only=True)
    content = serializers.JSONField(read_only=True)
    pdf = serializers.SerializerMethodField()
    xlsx = serializers.SerializerMethodField()
    status = serializers.CharField(read_only=True, help_text="draft or issued (frozen).")
    frequency = serializers.CharField(read_only=True, help_text="weekly or monthly.")

    class Meta:
        model = ReportPack
        fields = [
            "id",
            "url",
            "display",
            "portfolio",
            "programme",
            "period_start",
            "period_end",
            "period_label",
            "frequency",
            "title",
            "status",
            "content",
            "gathered_at",
            "created_by",
            "issued_by",
            "issued_at",
            "pdf",
            "xlsx",
            *TIMESTAMPS,
        ]
        read_only_fields = fields

    def _link(self, pack, name: str) -> str:
        request = self.context.get("request")
        path = reverse(f"reporting:pack_{name}", args=[pack.pk])
        return request.build_absolute_uri(path) if request else path

    def get_pdf(self, pack) -> str:
        return self._link(pack, "pdf")

    def get_xlsx(self, pack) -> str:
        return self._link(pack, "xlsx")


class ReportPackCreateSerializer(serializers.Serializer):
    programme = VisibleRelatedField(queryset=Programme.objects.all(), required=False, allow_null=True)
    portfolio = VisibleRelatedField(queryset=Portfolio.objects.all(), required=False, allow_null=True)
    period_day = serializers.DateField(required=False, allow_null=True)
    title = serializers.CharField(required=False, allow_blank=True, max_length=200)
    reason = serializers.CharField(required=False, allow_blank=True)
