"""Serializers of the lifecycle API: shapes and types only; the services apply the rules."""

from rest_framework import serializers

from pmo.core.api.serializers import RESOURCE_READ_ONLY, ResourceSerializer
from pmo.lifecycle.choices import GATE_STAGE_CHOICES, ApproverRole, GateDecision
from pmo.lifecycle.models import (
    GateApproval,
    GateCheckItem,
    GateCriterion,
    GateReview,
    PMOCharter,
    Standard,
    TermsOfReference,
)

VERSION_READ_ONLY = ("version", "status", "published_at", "published_by")


class PMOCharterSerializer(ResourceSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:pmo-charter-detail")

    class Meta:
        model = PMOCharter
        fields = [
            "id",
            "url",
            "display",
            "version",
            "status",
            "purpose",
            "authority",
            "reporting_lines",
            "resources",
            "budget",
            "pmo_model",
            "published_at",
            "published_by",
            "created_at",
            "updated_at",
            "reason",
        ]
        read_only_fields = (*RESOURCE_READ_ONLY, *VERSION_READ_ONLY)


class TermsOfReferenceSerializer(ResourceSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:terms-of-reference-detail")

    class Meta:
        model = TermsOfReference
        fields = [
            "id",
            "url",
            "display",
            "project",
            "version",
            "status",
            "objectives",
            "scope",
            "deliverables",
            "authority",
            "governance",
            "resources",
            "budget",
            "published_at",
            "published_by",
            "created_at",
            "updated_at",
            "reason",
        ]
        read_only_fields = (*RESOURCE_READ_ONLY, *VERSION_READ_ONLY, "project")


class NewTermsSerializer(serializers.Serializer):
    """The body of ``POST terms-of-reference/``: the project whose next draft to start."""

    project = serializers.IntegerField(min_value=1)
    reason = serializers.CharField(required=False, allow_blank=True)


class StandardSerializer(ResourceSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:standard-detail")
    project_types = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Standard
        fields = [
            "id",
            "url",
            "display",
            "title",
            "body",
            "version",
            "status",
            "applies_to",
            "project_types",
            "published_at",
            "created_at",
            "updated_at",
            "reason",
        ]
        read_only_fields = (*RESOURCE_READ_ONLY, "status", "published_at")


class GateCriterionSerializer(ResourceSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:gate-criterion-detail")
    stage = serializers.ChoiceField(choices=GATE_STAGE_CHOICES, help_text="The stage this gate lets a project enter.")

    class Meta:
        model = GateCriterion
        fields = [
            "id",
            "url",
            "display",
            "stage",
            "text",
            "evidence_required",
            "evidence_kind",
            "order",
            "is_archived",
            "created_at",
            "updated_at",
            "reason",
        ]
        read_only_fields = RESOURCE_READ_ONLY


class GateCheckItemSerializer(ResourceSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:gate-check-item-detail")
    has_evidence = serializers.BooleanField(read_only=True)
    document = serializers.FileField(
        write_only=True, required=False, help_text="Upload (multipart) a document as the evidence."
    )
    document_name = serializers.CharField(read_only=True)

    class Meta:
        model = GateCheckItem
        fields = [
            "id",
            "url",
            "display",
            "review",
            "text",
            "evidence_required",
            "evidence_kind",
            "order",
            "evidence_url",
            "document",
            "document_name",
            "evidence_figure",
            "evidence_unit",
            "evidence_note",
            "has_evidence",
            "evidenced_by",
            "evidenced_at",
            "reason",
        ]
        read_only_fields = (
            *RESOURCE_READ_ONLY,
            "review",
            "text",
            "evidence_required",
            "evidence_kind",
            "order",
            "evidenced_by",
            "evidenced_at",
        )


class GateApprovalSerializer(serializers.ModelSerializer):
    class Meta:
        model = GateApproval
        fields = ["id", "review", "role", "approver", "decision", "comment", "conditions", "created_at", "updated_at"]
        read_only_fields = fields


class GateReviewSerializer(ResourceSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:gate-review-detail")
    items = GateCheckItemSerializer(many=True, read_only=True)
    approvals = GateApprovalSerializer(many=True, read_only=True)

    class Meta:
        model = GateReview
        fields = [
            "id",
            "url",
            "display",
            "project",
            "from_stage",
            "to_stage",
            "pmo_model",
            "status",
            "opened_by",
            "decided_at",
            "items",
            "approvals",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class OpenReviewSerializer(serializers.Serializer):
    """The body of ``POST gate-reviews/``: the project, and the stage its gate lets it enter (the
    next one when not given)."""

    project = serializers.IntegerField(min_value=1)
    to_stage = serializers.ChoiceField(choices=GATE_STAGE_CHOICES, required=False)
    reason = serializers.CharField(required=False, allow_blank=True)


class GateDecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=GateDecision.choices)
    role = serializers.ChoiceField(
        choices=ApproverRole.choices, required=False, help_text="The approval given; the first one you may give."
    )
    comment = serializers.CharField(required=False, allow_blank=True)
    conditions = serializers.ListField(
        child=serializers.CharField(max_length=200),
        required=False,
        help_text="For go with conditions: each condition becomes an action for the project manager.",
    )
    reason = serializers.CharField(required=False, allow_blank=True)


class GateStateSerializer(serializers.Serializer):
    """What a project's next move needs under the PMO model in force."""

    project = serializers.IntegerField(source="project.pk")
    stage = serializers.CharField(source="project.stage")
    pmo_model = serializers.CharField()
    is_gated = serializers.BooleanField(help_text="Whether a gate stands before the project's next stage.")
    from_stage = serializers.CharField()
    to_stage = serializers.CharField()
    review = serializers.IntegerField(source="review.pk", allow_null=True, default=None)
    is_ready = serializers.BooleanField(help_text="Whether the move would be allowed now.")
    missing_evidence = serializers.ListField(child=serializers.CharField())
    missing_approvals = serializers.ListField(child=serializers.CharField())
    message = serializers.CharField()


class StopProjectSerializer(serializers.Serializer):
    reason = serializers.CharField(help_text="Why the PMO stops the project; kept in the decision log.")
