"""Serializers of the portfolio API: shapes and types only; the services apply the rules."""

from rest_framework import serializers

from pmo.core.api.serializers import RESOURCE_READ_ONLY, ResourceSerializer, VisibleRelatedField
from pmo.portfolio.choices import LifecycleStage
from pmo.portfolio.models import (
    Portfolio,
    Programme,
    Project,
    ProjectDependency,
    ProjectObjective,
    StrategicObjective,
)


class StrategicObjectiveSerializer(ResourceSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:objective-detail")

    class Meta:
        model = StrategicObjective
        fields = [
            "id", "url", "display", "code", "name", "description", "weight", "owner", "active_from", "active_to",
            "is_archived", "created_at", "updated_at", "reason",
        ]
        read_only_fields = RESOURCE_READ_ONLY


class PortfolioSerializer(ResourceSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:portfolio-detail")

    class Meta:
        model = Portfolio
        fields = [
            "id", "url", "display", "code", "name", "description", "manager", "is_archived", "created_at", "updated_at",
            "reason",
        ]
        read_only_fields = RESOURCE_READ_ONLY


class ProgrammeSerializer(ResourceSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:programme-detail")

    class Meta:
        model = Programme
        fields = [
            "id", "url", "display", "portfolio", "code", "name", "description", "manager", "sro", "is_archived",
            "created_at", "updated_at", "reason",
        ]
        read_only_fields = RESOURCE_READ_ONLY


class ProjectObjectiveSerializer(serializers.ModelSerializer):
    """One strategic objective a project serves, and the share of the project's value it gets."""

    objective = VisibleRelatedField(queryset=StrategicObjective.objects.all())

    class Meta:
        model = ProjectObjective
        fields = ["objective", "contribution_weight"]
        extra_kwargs = {"contribution_weight": {"required": True}}


class ProjectSerializer(ResourceSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:project-detail")
    objectives = ProjectObjectiveSerializer(
        source="objective_links", many=True, read_only=True,
        help_text="The objectives the project serves; set them with POST {id}/objectives/.",
    )

    class Meta:
        model = Project
        fields = [
            "id", "url", "display", "portfolio", "programme", "code", "name", "scope_statement", "sro", "manager",
            "stage", "planned_start", "planned_finish", "budget", "rag", "objectives", "is_archived",
            "created_at", "updated_at", "reason",
        ]
        read_only_fields = RESOURCE_READ_ONLY


class ProjectStageSerializer(serializers.Serializer):
    """The body of ``POST projects/{id}/stage/``."""

    stage = serializers.ChoiceField(choices=LifecycleStage.choices)
    reason = serializers.CharField(required=False, allow_blank=True, help_text="Why; kept in the audit trail.")


class ProjectObjectivesSerializer(serializers.Serializer):
    """The body of ``POST projects/{id}/objectives/``: the whole new list, replacing the old one."""

    objectives = ProjectObjectiveSerializer(many=True)
    reason = serializers.CharField(required=False, allow_blank=True, help_text="Why; kept in the audit trail.")

    def validate_objectives(self, contributions):
        seen = set()
        for contribution in contributions:
            objective = contribution["objective"]
            if objective.pk in seen:
                raise serializers.ValidationError(f"Objective {objective.code} is listed more than once.")
            seen.add(objective.pk)
        return contributions


class ProjectDependencySerializer(ResourceSerializer):
    """A dependency as read and changed; the dependent project is fixed once it is made."""

    url = serializers.HyperlinkedIdentityField(view_name="api:project-dependency-detail")

    class Meta:
        model = ProjectDependency
        fields = [
            "id", "url", "display", "dependent", "provider", "output", "needed_by", "status", "notes",
            "created_at", "updated_at", "reason",
        ]
        read_only_fields = ("id", "url", "display", "dependent", "created_at", "updated_at")


class ProjectDependencyCreateSerializer(ProjectDependencySerializer):
    """A new dependency names the project that depends."""

    class Meta(ProjectDependencySerializer.Meta):
        read_only_fields = ("id", "url", "display", "created_at", "updated_at")
