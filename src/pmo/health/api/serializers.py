"""Serializers of the health API: shapes and types only; the services apply the rules."""

from rest_framework import serializers

from pmo.core.api.serializers import ResourceSerializer
from pmo.health.models import HealthCheck, HealthRuleSetting, ProjectSnapshot
from pmo_engine.health import RULES


class FindingSerializer(serializers.Serializer):
    rule = serializers.CharField()
    label = serializers.CharField()
    dimension = serializers.CharField()
    figure = serializers.CharField(help_text="The figure of the project the rule reads.")
    direction = serializers.CharField(help_text="below: low values are bad; above: high values are bad.")
    value = serializers.FloatField(allow_null=True)
    amber = serializers.FloatField()
    red = serializers.FloatField()
    status = serializers.CharField(help_text="red, amber, green or not_assessed")
    message = serializers.CharField(help_text="Why, in plain words.")
    enabled = serializers.BooleanField()


class HealthCheckSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:health-check-detail")
    project_code = serializers.CharField(source="project.code", read_only=True)
    findings = FindingSerializer(many=True, read_only=True)

    class Meta:
        model = HealthCheck
        fields = [
            "id",
            "url",
            "project",
            "project_code",
            "period_end",
            "checked_at",
            "is_latest",
            "overall",
            "schedule",
            "cost",
            "scope",
            "risk",
            "resources",
            "governance",
            "findings",
        ]
        read_only_fields = fields


class ProjectSnapshotSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:project-snapshot-detail")
    project_code = serializers.CharField(source="project.code", read_only=True)

    class Meta:
        model = ProjectSnapshot
        fields = [
            "id",
            "url",
            "project",
            "project_code",
            "period_end",
            "recorded_at",
            "is_latest",
            "bac",
            "pv",
            "ev",
            "ac",
            "spi",
            "cpi",
            "figures",
        ]
        read_only_fields = fields


class MeasureSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    unit = serializers.CharField()
    value = serializers.FloatField(allow_null=True)
    description = serializers.CharField()


class ProjectHealthSerializer(serializers.Serializer):
    """One project's health (the latest check, or judged now when none is recorded) and its
    earned value measures now."""

    project = serializers.IntegerField(source="project.pk")
    project_code = serializers.CharField(source="project.code")
    period_end = serializers.DateField()
    is_live = serializers.BooleanField(help_text="True: judged now, not recorded.")
    overall = serializers.CharField()
    dimensions = serializers.DictField(child=serializers.CharField())
    findings = FindingSerializer(many=True)
    measures = MeasureSerializer(many=True)


class HealthRuleSettingSerializer(ResourceSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:health-rule-detail")
    rule = serializers.ChoiceField(choices=sorted(RULES))

    class Meta:
        model = HealthRuleSetting
        fields = ["id", "url", "display", "rule", "amber", "red", "enabled", "updated_by", "updated_at", "reason"]
        read_only_fields = ["id", "url", "display", "updated_by", "updated_at"]

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None:
            fields["rule"].read_only = True
        return fields
