"""Serializers of the KPI API. They check shapes and turn ids into visible objects; the services
check permission, apply the rules, save and audit."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from pmo.core.api.serializers import ResourceSerializer, VisibleRelatedField
from pmo.core.models import Person
from pmo.kpis.choices import Frequency
from pmo.kpis.models import KPI, Measurement, Recommendation

TIMESTAMPS = ("created_at", "updated_at")


@extend_schema_field({"type": "string", "enum": Frequency.values, "description": "weekly or monthly."})
class FrequencyField(serializers.ChoiceField):
    """How often a KPI is measured; described inline in the schema, as other apps have a
    ``frequency`` with other values."""

    def __init__(self, **kwargs):
        super().__init__(choices=Frequency.choices, **kwargs)


class KPISerializer(ResourceSerializer):
    """A KPI's definition. ``formula`` is read when saved: a mistake answers 400 naming the column."""

    url = serializers.HyperlinkedIdentityField(view_name="api:kpi-detail")
    frequency = FrequencyField(required=False)

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
    # Plain text rather than a choice: the same four values as a health check's statuses.
    status = serializers.CharField(read_only=True, help_text="red, amber, green or not_assessed.")
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
