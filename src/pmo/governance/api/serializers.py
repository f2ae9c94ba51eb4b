"""Serializers of the governance API: shapes and types only; the services apply the rules."""

from rest_framework import serializers

from pmo.core.api.serializers import RESOURCE_READ_ONLY, ResourceSerializer
from pmo.governance.choices import EscalationState
from pmo.governance.models import (
    ActionItem,
    Assumption,
    Decision,
    Dependency,
    Escalation,
    EscalationRule,
    ExposureSnapshot,
    Issue,
    Notification,
    Risk,
    RiskScale,
)

REGISTER_FIELDS = ("project", "programme", "portfolio")
READ_ONLY = (*RESOURCE_READ_ONLY, "raised_by", "created_by")


class RegisterSerializer(ResourceSerializer):
    """An entry names its register when it is made; it stays on that register afterwards."""

    level = serializers.CharField(read_only=True, help_text="project, programme or portfolio")

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None:
            for name in REGISTER_FIELDS:
                fields[name].read_only = True
        return fields


class EscalationStateMixin(serializers.Serializer):
    is_escalated = serializers.SerializerMethodField(help_text="Escalated to a programme or portfolio now.")

    def get_is_escalated(self, entry) -> bool:
        count = getattr(entry, "active_escalations", None)
        if count is not None:
            return bool(count)
        # Read from the prefetched escalations, so that a list costs no query per row.
        return any(escalation.state == EscalationState.ACTIVE for escalation in entry.escalations.all())


ENTRY_COMMON = ["id", "url", "display", "reference", "level", *REGISTER_FIELDS, "title", "description", "owner"]


class RiskSerializer(EscalationStateMixin, RegisterSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:risk-detail")
    reference = serializers.CharField(read_only=True)

    class Meta:
        model = Risk
        fields = [
            *ENTRY_COMMON,
            "nature",
            "category",
            "cause",
            "event",
            "effect",
            "probability",
            "impact",
            "score",
            "proximity_on",
            "proximity",
            "response",
            "response_plan",
            "residual_probability",
            "residual_impact",
            "residual_score",
            "status",
            "closed_on",
            "raised_on",
            "raised_by",
            "is_escalated",
            "created_at",
            "updated_at",
            "reason",
        ]
        read_only_fields = (*READ_ONLY, "score", "residual_score")
        extra_kwargs = {"raised_on": {"required": False}}


class AssumptionSerializer(RegisterSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:assumption-detail")
    reference = serializers.CharField(read_only=True)

    class Meta:
        model = Assumption
        fields = [
            *ENTRY_COMMON,
            "validate_by",
            "status",
            "validated_on",
            "notes",
            "raised_on",
            "raised_by",
            "created_at",
            "updated_at",
            "reason",
        ]
        read_only_fields = READ_ONLY
        extra_kwargs = {"raised_on": {"required": False}}


class RaidIssueSerializer(EscalationStateMixin, RegisterSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:issue-detail")
    reference = serializers.CharField(read_only=True)

    class Meta:
        model = Issue
        fields = [
            *ENTRY_COMMON,
            "priority",
            "severity",
            "due_on",
            "resolution",
            "status",
            "resolved_on",
            "risk",
            "raised_on",
            "raised_by",
            "is_escalated",
            "created_at",
            "updated_at",
            "reason",
        ]
        read_only_fields = READ_ONLY
        extra_kwargs = {"raised_on": {"required": False}}


class RaidDependencySerializer(RegisterSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:dependency-detail")
    reference = serializers.CharField(read_only=True)
    counterpart = serializers.CharField(read_only=True, help_text="The other project, or the outside party.")

    class Meta:
        model = Dependency
        fields = [
            *ENTRY_COMMON,
            "nature",
            "project_dependency",
            "party",
            "counterpart",
            "needed_by",
            "status",
            "raised_on",
            "raised_by",
            "created_at",
            "updated_at",
            "reason",
        ]
        read_only_fields = READ_ONLY
        extra_kwargs = {"raised_on": {"required": False}}


class SourceMixin(serializers.Serializer):
    source_type = serializers.SerializerMethodField(help_text="app_label.model of what it came from, if anything.")
    source_label = serializers.CharField(read_only=True)

    def get_source_type(self, obj) -> str | None:
        if obj.source_type_id is None:
            return None
        return f"{obj.source_type.app_label}.{obj.source_type.model}"


class ActionItemSerializer(SourceMixin, RegisterSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:action-detail")

    class Meta:
        model = ActionItem
        fields = [
            "id",
            "url",
            "display",
            "level",
            *REGISTER_FIELDS,
            "title",
            "description",
            "owner",
            "due_on",
            "status",
            "completed_on",
            "source_type",
            "source_id",
            "source_label",
            "created_by",
            "created_at",
            "updated_at",
            "reason",
        ]
        read_only_fields = (*READ_ONLY, "status", "completed_on", "source_id")


class DecisionLogSerializer(SourceMixin, RegisterSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:decision-detail")

    class Meta:
        model = Decision
        fields = [
            "id",
            "url",
            "display",
            "level",
            *REGISTER_FIELDS,
            "title",
            "description",
            "decided_on",
            "decided_by",
            "body",
            "source_type",
            "source_id",
            "source_label",
            "created_by",
            "created_at",
            "updated_at",
            "reason",
        ]
        read_only_fields = (*READ_ONLY, "source_id")
        extra_kwargs = {"decided_on": {"required": False}}


class NotificationSerializer(serializers.ModelSerializer):
    is_read = serializers.BooleanField(read_only=True)

    class Meta:
        model = Notification
        fields = ["id", "kind", "message", "url", "created_at", "read_at", "is_read"]
        read_only_fields = fields


class EscalationSerializer(serializers.ModelSerializer):
    is_active = serializers.BooleanField(read_only=True)

    class Meta:
        model = Escalation
        fields = [
            "id",
            "risk",
            "issue",
            "programme",
            "portfolio",
            "state",
            "is_active",
            "is_automatic",
            "reason",
            "escalated_at",
            "escalated_by",
            "withdrawn_at",
            "withdrawn_by",
            "withdrawal_reason",
        ]
        read_only_fields = fields


class ExposureSnapshotSerializer(serializers.ModelSerializer):
    class Meta:
        model = ExposureSnapshot
        fields = [
            "id",
            *REGISTER_FIELDS,
            "taken_on",
            "open_risks",
            "exposure",
            "residual_exposure",
            "red",
            "amber",
            "green",
        ]
        read_only_fields = fields


class EscalationRequestSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, help_text="Why it goes up (or down); kept with the escalation.")


class ActionStatusRequestSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class HeatCellSerializer(serializers.Serializer):
    probability = serializers.IntegerField()
    impact = serializers.IntegerField()
    score = serializers.IntegerField()
    band = serializers.CharField()
    count = serializers.IntegerField()


class HeatMapSerializer(serializers.Serializer):
    is_residual = serializers.BooleanField()
    levels = serializers.IntegerField()
    total = serializers.IntegerField()
    cells = HeatCellSerializer(many=True)


class ReadCountSerializer(serializers.Serializer):
    marked = serializers.IntegerField(help_text="How many notifications were marked as read.")


class RiskScaleSerializer(serializers.ModelSerializer):
    reason = serializers.CharField(
        write_only=True, required=False, allow_blank=True, help_text="Why this change is made; kept in the audit trail."
    )
    probability_labels = serializers.ListField(child=serializers.CharField(max_length=40), required=False)
    impact_labels = serializers.ListField(child=serializers.CharField(max_length=40), required=False)

    class Meta:
        model = RiskScale
        fields = ["levels", "probability_labels", "impact_labels", "amber_from", "red_from", "updated_at", "reason"]
        read_only_fields = ["updated_at"]


class EscalationRuleSerializer(serializers.ModelSerializer):
    reason = serializers.CharField(
        write_only=True, required=False, allow_blank=True, help_text="Why this change is made; kept in the audit trail."
    )

    class Meta:
        model = EscalationRule
        fields = ["risk_score", "issue_severity", "issue_priority", "updated_at", "reason"]
        read_only_fields = ["updated_at"]
