"""Serializers of the change control API. They check shapes and turn ids into visible objects;
the services check permission, apply the rules, save and audit."""

from rest_framework import serializers

from pmo.changes.choices import CriterionOutcome, ReviewResult
from pmo.changes.models import (
    ActivityChange,
    ApprovalPolicy,
    ChangeRequest,
    ConfigurationItem,
    ConfigurationItemVersion,
    QualityReview,
    ReviewCriterion,
)
from pmo.core.api.serializers import ResourceSerializer, VisibleRelatedField
from pmo.core.models import Person

TIMESTAMPS = ("created_at", "updated_at")


class ActivityChangeSerializer(serializers.ModelSerializer):
    """What the change does to one activity of its project (durations and lags in working minutes)."""

    serializer_related_field = VisibleRelatedField

    class Meta:
        model = ActivityChange
        fields = [
            "activity",
            "new_duration_minutes",
            "predecessor",
            "lag_minutes",
            "constraint_type",
            "constraint_date",
            "note",
        ]
        # The service checks each row (one row per activity, activities of the change's project).
        validators = []


ANALYSIS_FIELDS = (
    "analysis",
    "analysed_at",
    "finish_before",
    "finish_after",
    "delay_days",
    "computed_cost_delta",
    "required_board",
)
DECISION_FIELDS = ("decided_by", "decided_at", "decided_board", "decision_reason", "implemented_at", "baseline_number")


class ChangeRequestSerializer(ResourceSerializer):
    """A change request. ``activity_changes`` and ``configuration_items``, when given, replace the
    ones it had; the analysis and decision fields are written by the flow's actions only."""

    url = serializers.HyperlinkedIdentityField(view_name="api:change-request-detail")
    reference = serializers.CharField(read_only=True)
    activity_changes = ActivityChangeSerializer(many=True, required=False)
    analysis = serializers.JSONField(read_only=True, help_text="The engine's impact analysis, as last computed.")

    class Meta:
        model = ChangeRequest
        fields = [
            "id",
            "url",
            "display",
            "project",
            "number",
            "reference",
            "title",
            "description",
            "justification",
            "requested_by",
            "raised_on",
            "status",
            "cost_impact",
            "time_impact_days",
            "scope_impact",
            "benefits_impact",
            "risk_impact",
            "risk_level",
            "activity_changes",
            "configuration_items",
            *ANALYSIS_FIELDS,
            *DECISION_FIELDS,
            *TIMESTAMPS,
            "reason",
        ]
        read_only_fields = (
            "id",
            "url",
            "display",
            "project",
            "number",
            "status",
            *ANALYSIS_FIELDS,
            *DECISION_FIELDS,
            *TIMESTAMPS,
        )
        extra_kwargs = {"raised_on": {"required": False}}


class ChangeRequestCreateSerializer(ChangeRequestSerializer):
    """A new change request names its project."""

    class Meta(ChangeRequestSerializer.Meta):
        read_only_fields = tuple(name for name in ChangeRequestSerializer.Meta.read_only_fields if name != "project")


class ChangeStepSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, help_text="Why; kept in the audit trail.")


class ChangeDecisionSerializer(ChangeStepSerializer):
    reason = serializers.CharField(help_text="Why the board decided so; goes to the decision log.")


class ChangeApprovalSerializer(ChangeDecisionSerializer):
    implement = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Apply the change to the plan at once (needs the right to change the project).",
    )
    rebaseline = serializers.BooleanField(
        required=False, default=False, help_text="Take a new baseline after applying it."
    )


class ChangeImplementationSerializer(ChangeStepSerializer):
    apply_to_plan = serializers.BooleanField(
        required=False, default=True, help_text="Write the activity changes to the plan and reschedule it."
    )
    rebaseline = serializers.BooleanField(required=False, default=False, help_text="Take a new baseline afterwards.")


class ChangeImpactSerializer(serializers.Serializer):
    analysis = serializers.JSONField(help_text="Finish before and after, delay, critical paths, moved activities.")
    analysed_at = serializers.DateTimeField(allow_null=True)
    is_stale = serializers.BooleanField(help_text="The plan (or the change) moved on since the analysis.")
    board = serializers.CharField(help_text="The board that decides the change now.")
    routing = serializers.CharField(help_text="Why that board decides it.")
    board_members = serializers.ListField(child=serializers.CharField())


class ConfigurationItemVersionSerializer(serializers.ModelSerializer):
    class Meta:
        model = ConfigurationItemVersion
        fields = ["id", "version", "status", "recorded_at", "recorded_by", "change_request", "note"]
        read_only_fields = fields


class ConfigurationItemSerializer(ResourceSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:configuration-item-detail")

    class Meta:
        model = ConfigurationItem
        fields = [
            "id",
            "url",
            "display",
            "project",
            "identifier",
            "name",
            "kind",
            "version",
            "status",
            "owner",
            "description",
            *TIMESTAMPS,
            "reason",
        ]
        read_only_fields = ("id", "url", "display", "project", *TIMESTAMPS)
        # The service names a clash of identifiers in the project.
        validators = []


class ConfigurationItemCreateSerializer(ConfigurationItemSerializer):
    class Meta(ConfigurationItemSerializer.Meta):
        read_only_fields = ("id", "url", "display", *TIMESTAMPS)


class ReviewCriterionSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReviewCriterion
        fields = ["id", "position", "text", "outcome", "note"]
        read_only_fields = fields


class QualityReviewSerializer(ResourceSerializer):
    """A quality review. ``checklist`` (criteria texts, one each) and ``reviewers``, when given,
    replace the ones it had; outcomes and the result are recorded with ``record-result``."""

    url = serializers.HyperlinkedIdentityField(view_name="api:quality-review-detail")
    criteria = ReviewCriterionSerializer(many=True, read_only=True)
    checklist = serializers.ListField(
        child=serializers.CharField(max_length=300),
        write_only=True,
        required=False,
        help_text="The criteria, in order.",
    )

    class Meta:
        model = QualityReview
        fields = [
            "id",
            "url",
            "display",
            "project",
            "title",
            "configuration_item",
            "deliverable",
            "planned_on",
            "held_on",
            "reviewers",
            "result",
            "summary",
            "criteria",
            "checklist",
            *TIMESTAMPS,
            "reason",
        ]
        read_only_fields = ("id", "url", "display", "project", "held_on", "result", *TIMESTAMPS)


class QualityReviewCreateSerializer(QualityReviewSerializer):
    class Meta(QualityReviewSerializer.Meta):
        read_only_fields = ("id", "url", "display", "held_on", "result", *TIMESTAMPS)


class CriterionOutcomeSerializer(serializers.Serializer):
    criterion = serializers.IntegerField(help_text="The criterion's id.")
    outcome = serializers.ChoiceField(choices=CriterionOutcome.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")


class FollowUpActionSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    owner = VisibleRelatedField(queryset=Person.objects.all(), required=False, allow_null=True)
    due_on = serializers.DateField(required=False, allow_null=True)
    description = serializers.CharField(required=False, allow_blank=True, default="")


class ReviewResultSerializer(serializers.Serializer):
    result = serializers.ChoiceField(choices=[c for c in ReviewResult.choices if c[0] != ReviewResult.PENDING])
    held_on = serializers.DateField()
    summary = serializers.CharField(required=False, allow_blank=True)
    outcomes = CriterionOutcomeSerializer(many=True, required=False)
    actions = FollowUpActionSerializer(many=True, required=False)
    reason = serializers.CharField(required=False, allow_blank=True)


class ApprovalPolicySerializer(ResourceSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:approval-policy-detail")

    class Meta:
        model = ApprovalPolicy
        fields = [
            "id",
            "url",
            "display",
            "programme",
            "project",
            "cost_limit",
            "delay_days_limit",
            "notes",
            *TIMESTAMPS,
            "reason",
        ]
        read_only_fields = ("id", "url", "display", "programme", "project", *TIMESTAMPS)
        validators = []


class ApprovalPolicyCreateSerializer(ApprovalPolicySerializer):
    class Meta(ApprovalPolicySerializer.Meta):
        read_only_fields = ("id", "url", "display", *TIMESTAMPS)
        extra_kwargs = {"programme": {"required": False}, "project": {"required": False}}
