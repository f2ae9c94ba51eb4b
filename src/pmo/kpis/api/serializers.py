"""Serializers of the KPI API. They check shapes and turn ids into visible objects; the services
check permission, apply the rules, save and audit."""

from rest_framework import serializers

from pmo.core.api.serializers import ResourceSerializer, VisibleRelatedField
from pmo.core.models import Person
from pmo.kpis.models import KPI, Measurement, Recommendation

TIMESTAMPS = ("created_at", "updated_at")


class KPISerializer(ResourceSerializer):
    """A KPI's definition. ``formula`` is read when saved: a mistake answers 400 naming the column."""

    url = serializers.HyperlinkedIdentityField(view_name="api:kpi-detail")

    class Meta:
        model = KPI
        fields = [
            "id",
            "url",
            "display",
            "code",
            "name",
            "description",
            "level",
            "project",
            "programme",
            "portfolio",
            "formula",
            "unit",
            "target",
            "amber",
            "red",
            "direction",
            "frequency",
            "owner",
            "is_active",
            *TIMESTAMPS,
            "reason",
        ]
        read_only_fields = ("id", "url", "display", *TIMESTAMPS)
        extra_kwargs = {
            "project": {"required": False},
            "programme": {"required": False},
            "portfolio": {"required": False},
            "owner": {"required": False},
        }
        # The service checks uniqueness and the rules, naming the field.
        validators = []

    def get_fields(self):
        fields = super().get_fields()
        fields["code"].validators = []
        return fields


class MeasurementSerializer(ResourceSerializer):
    """A KPI's value for one project, programme or portfolio at the end of one period (a Sunday).
    POST enters a value by hand (correcting the one there, if any); ``flags`` are the patterns
    found at that point."""

    url = serializers.HyperlinkedIdentityField(view_name="api:kpi-measurement-detail")
    kpi = VisibleRelatedField(queryset=KPI.objects.all())
    flags = serializers.JSONField(read_only=True)

    class Meta:
        model = Measurement
        fields = [
            "id",
            "url",
            "display",
            "kpi",
            "project",
            "programme",
            "portfolio",
            "period_end",
            "value",
            "status",
            "source",
            "note",
            "recorded_by",
            "recorded_at",
            "flags",
            "reason",
        ]
        read_only_fields = ("id", "url", "display", "status", "source", "recorded_by", "recorded_at", "flags")
        extra_kwargs = {
            "project": {"required": False},
            "programme": {"required": False},
            "portfolio": {"required": False},
            "note": {"required": False},
        }
        validators = []


class RecommendationSerializer(ResourceSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:kpi-recommendation-detail")

    class Meta:
        model = Recommendation
        fields = [
            "id",
            "url",
            "display",
            "kpi",
            "project",
            "programme",
            "portfolio",
            "measurement",
            "rule",
            "since",
            "evidence",
            "text",
            "rationale",
            "status",
            "action",
            "decided_by",
            "decided_at",
            "decision_reason",
            *TIMESTAMPS,
        ]
        read_only_fields = fields


class AcceptSerializer(serializers.Serializer):
    owner = VisibleRelatedField(
        queryset=Person.objects.all(),
        required=False,
        allow_null=True,
        help_text="Who owns the action (default: the KPI's owner).",
    )
    due_on = serializers.DateField(required=False, allow_null=True, help_text="Default: in two weeks.")
    reason = serializers.CharField(required=False, allow_blank=True)


class DismissSerializer(serializers.Serializer):
    reason = serializers.CharField(help_text="Why the recommendation is dismissed.")
