"""API: resources, skills, the skills a resource holds, rates, absences, assignments and allocations."""

from decimal import Decimal

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from pmo.core.api.serializers import RESOURCE_READ_ONLY, ResourceSerializer, VisibleRelatedField
from pmo.core.api.views import ArchivableViewSet, RemovableViewSet, UpdateThroughServiceMixin
from pmo.core.models import Person
from pmo.planning.models import Activity
from pmo.resourcing.filtersets.resources import (
    AbsenceFilterSet,
    AllocationFilterSet,
    AssignmentFilterSet,
    ResourceFilterSet,
    ResourceRateFilterSet,
    ResourceSkillFilterSet,
    SkillFilterSet,
)
from pmo.resourcing.models import Absence, Allocation, Assignment, Resource, ResourceRate, ResourceSkill, Skill
from pmo.resourcing.services import resources as services

TIMESTAMPS = ("created_at", "updated_at")


class WeekdayHoursField(serializers.ListField):
    child = serializers.FloatField(min_value=0, max_value=24)

    def __init__(self, **kwargs):
        super().__init__(min_length=7, max_length=7, **kwargs)


# --- serializers ----------------------------------------------------------------------------


class SkillSerializer(ResourceSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:skill-detail")

    class Meta:
        model = Skill
        fields = ["id", "url", "display", "name", "category", "description", "is_archived", *TIMESTAMPS, "reason"]
        read_only_fields = (*RESOURCE_READ_ONLY, "is_archived")


class ResourceApiSerializer(ResourceSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:resource-detail")
    person = VisibleRelatedField(queryset=Person.objects.all(), required=False, allow_null=True)
    weekday_hours = WeekdayHoursField(required=False, help_text="Seven numbers of hours, Monday first.")
    name = serializers.CharField(max_length=200, required=False, allow_blank=True)

    class Meta:
        model = Resource
        fields = [
            "id",
            "url",
            "display",
            "kind",
            "person",
            "name",
            "unit",
            "employment_type",
            "contract_end",
            "hours_per_day",
            "weekday_hours",
            "calendar",
            "role_skill",
            "role_level",
            "is_archived",
            *TIMESTAMPS,
            "reason",
        ]
        read_only_fields = (*RESOURCE_READ_ONLY, "is_archived")

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            fields["kind"].read_only = True  # a person stays a person, a role a role
            fields["person"].read_only = True
        return fields


class ResourceSkillSerializer(ResourceSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:resource-skill-detail")
    resource = VisibleRelatedField(queryset=Resource.objects.all())
    skill = VisibleRelatedField(queryset=Skill.objects.all())

    class Meta:
        model = ResourceSkill
        fields = ["id", "url", "display", "resource", "skill", "level", "reason"]
        read_only_fields = RESOURCE_READ_ONLY


class ResourceRateSerializer(ResourceSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:resource-rate-detail")
    resource = VisibleRelatedField(queryset=Resource.objects.all())

    class Meta:
        model = ResourceRate
        fields = ["id", "url", "display", "resource", "effective_from", "cost_per_hour", "bill_rate_per_hour", "reason"]
        read_only_fields = RESOURCE_READ_ONLY


class AbsenceSerializer(ResourceSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:absence-detail")
    resource = VisibleRelatedField(queryset=Resource.objects.all())

    class Meta:
        model = Absence
        fields = ["id", "url", "display", "resource", "kind", "start", "end", "note", "reason"]
        read_only_fields = RESOURCE_READ_ONLY


ASSIGNMENT_COMPUTED = ("project", "planned_cost", "actual_hours", "actual_cost")


class AssignmentSerializer(ResourceSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:assignment-detail")
    activity = VisibleRelatedField(queryset=Activity.objects.all())
    resource = VisibleRelatedField(queryset=Resource.objects.all())
    planned_hours = serializers.DecimalField(
        max_digits=8,
        decimal_places=2,
        min_value=Decimal("0"),
        required=False,
        allow_null=True,
        help_text="Omit (or null) to plan the units times the activity's working time.",
    )

    class Meta:
        model = Assignment
        fields = [
            "id",
            "url",
            "display",
            "project",
            "activity",
            "resource",
            "units_percent",
            "planned_hours",
            "planned_cost",
            "required_skill",
            "required_level",
            "is_billable",
            "is_fixed",
            "actual_hours",
            "actual_cost",
            *TIMESTAMPS,
            "reason",
        ]
        read_only_fields = (*RESOURCE_READ_ONLY, *ASSIGNMENT_COMPUTED)

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            fields["activity"].read_only = True
            fields["resource"].read_only = True  # moved with the reassign action
        return fields


class ReassignSerializer(serializers.Serializer):
    resource = VisibleRelatedField(queryset=Resource.objects.all())
    reason = serializers.CharField(required=False, allow_blank=True)


class AllocationSerializer(ResourceSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:allocation-detail")
    resource = VisibleRelatedField(queryset=Resource.objects.all())

    class Meta:
        model = Allocation
        fields = [
            "id",
            "url",
            "display",
            "project",
            "resource",
            "period_kind",
            "period_start",
            "hours",
            "required_skill",
            "required_level",
            "is_billable",
            "note",
            *TIMESTAMPS,
            "reason",
        ]
        read_only_fields = RESOURCE_READ_ONLY

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            for name in ("project", "resource", "period_kind", "period_start"):
                fields[name].read_only = True
        return fields


# --- view sets ------------------------------------------------------------------------------


class SkillViewSet(ArchivableViewSet):
    """Skills the organisation plans for. Anyone with a role reads them; a role across the
    organisation changes them."""

    queryset = Skill.objects.none()
    serializer_class = SkillSerializer
    filterset_class = SkillFilterSet
    ordering_fields = ("name", "category", *TIMESTAMPS)
    search_fields = ("name", "category")
    service_object_argument = "skill"
    create_service = staticmethod(services.create_skill)
    update_service = staticmethod(services.update_skill)
    archive_service = staticmethod(services.archive_skill)


class ResourceViewSet(ArchivableViewSet):
    """Named people and generic roles whose hours are planned, with their working week."""

    queryset = Resource.objects.none()
    serializer_class = ResourceApiSerializer
    filterset_class = ResourceFilterSet
    ordering_fields = ("name", "kind", "employment_type", "contract_end", *TIMESTAMPS)
    search_fields = ("name",)
    service_object_argument = "resource"
    create_service = staticmethod(services.create_resource)
    update_service = staticmethod(services.update_resource)
    archive_service = staticmethod(services.archive_resource)


def _set_skill(*, actor, resource, skill, level, reason=""):
    return services.set_skill(actor=actor, resource=resource, skill=skill, level=level, reason=reason)


class ResourceSkillViewSet(UpdateThroughServiceMixin, RemovableViewSet):
    """The skills each resource holds. POST adds a skill or changes its level; PATCH changes the level."""

    queryset = ResourceSkill.objects.none()
    serializer_class = ResourceSkillSerializer
    filterset_class = ResourceSkillFilterSet
    select_related_fields = ("resource", "skill")
    ordering_fields = ("level",)
    service_object_argument = "held"
    create_service = staticmethod(_set_skill)
    delete_service = staticmethod(services.remove_skill)

    @staticmethod
    def update_service(*, actor, held, changes, reason=""):
        return services.set_skill(
            actor=actor, resource=held.resource, skill=held.skill, level=changes.get("level", held.level), reason=reason
        )


class ResourceRateViewSet(RemovableViewSet):
    """Hourly cost and charge-out rates of resources, each in force from its date to the next."""

    queryset = ResourceRate.objects.none()
    serializer_class = ResourceRateSerializer
    filterset_class = ResourceRateFilterSet
    select_related_fields = ("resource",)
    ordering_fields = ("effective_from",)
    service_object_argument = "rate"
    create_service = staticmethod(services.add_rate)
    delete_service = staticmethod(services.remove_rate)


class AbsenceViewSet(RemovableViewSet):
    """Leave, sickness, training and other days a resource does not work."""

    queryset = Absence.objects.none()
    serializer_class = AbsenceSerializer
    filterset_class = AbsenceFilterSet
    select_related_fields = ("resource",)
    ordering_fields = ("start", "end")
    service_object_argument = "absence"
    create_service = staticmethod(services.add_absence)
    delete_service = staticmethod(services.remove_absence)


def _create_assignment(*, actor, reason="", planned_hours=None, **fields):
    return services.create_assignment(actor=actor, reason=reason, planned_hours=planned_hours, **fields)


class AssignmentViewSet(UpdateThroughServiceMixin, RemovableViewSet):
    """Resources assigned to activities. Planned cost follows the rate; actual hours and cost come
    from approved timesheets. ``POST {id}/reassign/`` moves the work to another resource."""

    queryset = Assignment.objects.none()
    serializer_class = AssignmentSerializer
    filterset_class = AssignmentFilterSet
    select_related_fields = ("activity", "resource", "project")
    ordering_fields = ("planned_hours", "actual_hours", *TIMESTAMPS)
    service_object_argument = "assignment"
    create_service = staticmethod(_create_assignment)
    update_service = staticmethod(services.update_assignment)
    delete_service = staticmethod(services.delete_assignment)

    @extend_schema(summary="Reassign to another resource", request=ReassignSerializer, responses=AssignmentSerializer)
    @action(detail=True, methods=["post"])
    def reassign(self, request, pk=None):
        assignment = self.get_object()
        serializer = ReassignSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        assignment = services.reassign(actor=request.user, assignment=assignment, **serializer.validated_data)
        return Response(self.representation(assignment))


class AllocationViewSet(UpdateThroughServiceMixin, RemovableViewSet):
    """Hours expected from a resource on a project in a week or a month."""

    queryset = Allocation.objects.none()
    serializer_class = AllocationSerializer
    filterset_class = AllocationFilterSet
    select_related_fields = ("resource", "project")
    ordering_fields = ("period_start", "hours", *TIMESTAMPS)
    service_object_argument = "allocation"
    create_service = staticmethod(services.create_allocation)
    update_service = staticmethod(services.update_allocation)
    delete_service = staticmethod(services.delete_allocation)


def register(router) -> None:
    router.register("skills", SkillViewSet, basename="skill")
    router.register("resources", ResourceViewSet, basename="resource")
    router.register("resource-skills", ResourceSkillViewSet, basename="resource-skill")
    router.register("resource-rates", ResourceRateViewSet, basename="resource-rate")
    router.register("absences", AbsenceViewSet, basename="absence")
    router.register("assignments", AssignmentViewSet, basename="assignment")
    router.register("allocations", AllocationViewSet, basename="allocation")
