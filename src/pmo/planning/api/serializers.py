"""Serializers of the planning API: shapes and types only; the services apply the rules."""

from rest_framework import serializers

from pmo.core.api.serializers import RESOURCE_READ_ONLY, ResourceSerializer, VisibleRelatedField
from pmo.planning.forms import MAX_UPLOAD_BYTES
from pmo.planning.models import Activity, Baseline, BaselineActivity, Calendar, CalendarException, Link, ProjectPlan
from pmo.planning.services import COMPUTED_FIELDS
from pmo.portfolio.models import Programme, Project


class ActivitySerializer(ResourceSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:activity-detail")

    class Meta:
        model = Activity
        fields = [
            "id",
            "url",
            "display",
            "project",
            "parent",
            "position",
            "wbs_code",
            "name",
            "is_milestone",
            "duration_minutes",
            "calendar",
            "constraint_type",
            "constraint_date",
            "deadline",
            "actual_start",
            "actual_finish",
            "percent_complete",
            "remaining_duration_minutes",
            "levelling_delay_minutes",
            "cost",
            "notes",
            "external_uid",
            *COMPUTED_FIELDS,
            "created_at",
            "updated_at",
            "reason",
        ]
        # The levelling delay is set by accepting (or clearing) a levelled schedule, not edited here.
        read_only_fields = (*RESOURCE_READ_ONLY, "external_uid", "levelling_delay_minutes", *COMPUTED_FIELDS)

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            fields["project"].read_only = True  # an activity does not move between projects
        return fields


class LinkSerializer(ResourceSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:link-detail")
    predecessor = VisibleRelatedField(queryset=Activity.objects.all())
    successor = VisibleRelatedField(queryset=Activity.objects.all())

    class Meta:
        model = Link
        fields = [
            "id",
            "url",
            "display",
            "predecessor",
            "successor",
            "link_type",
            "lag_minutes",
            "created_at",
            "updated_at",
            "reason",
        ]
        read_only_fields = RESOURCE_READ_ONLY

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            fields["predecessor"].read_only = True
            fields["successor"].read_only = True
        return fields


class CalendarExceptionSerializer(serializers.ModelSerializer):
    class Meta:
        model = CalendarException
        fields = ["date", "is_working", "name"]


class CalendarSerializer(ResourceSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:calendar-detail")
    exceptions = CalendarExceptionSerializer(many=True, required=False)
    project = VisibleRelatedField(queryset=Project.objects.all(), required=False, allow_null=True)

    class Meta:
        model = Calendar
        fields = [
            "id",
            "url",
            "display",
            "project",
            "name",
            "working_weekdays",
            "working_periods",
            "exceptions",
            "created_at",
            "updated_at",
            "reason",
        ]
        read_only_fields = RESOURCE_READ_ONLY


class BaselineEntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = BaselineActivity
        fields = ["activity", "wbs_code", "name", "start", "finish", "duration_minutes", "cost"]


class BaselineSerializer(ResourceSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:baseline-detail")
    project = VisibleRelatedField(queryset=Project.objects.all())
    entries = BaselineEntrySerializer(many=True, read_only=True)

    class Meta:
        model = Baseline
        fields = [
            "id",
            "url",
            "display",
            "project",
            "number",
            "name",
            "is_primary",
            "taken_by",
            "entries",
            "created_at",
            "updated_at",
            "reason",
        ]
        read_only_fields = (*RESOURCE_READ_ONLY, "is_primary", "taken_by")


class ProjectPlanSerializer(ResourceSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:plan-detail")

    class Meta:
        model = ProjectPlan
        fields = [
            "id",
            "url",
            "display",
            "project",
            "calendar",
            "start",
            "status_date",
            "scheduled_at",
            "early_finish",
            "critical_paths",
            "conflicts",
            "created_at",
            "updated_at",
            "reason",
        ]
        read_only_fields = (
            *RESOURCE_READ_ONLY,
            "project",
            "scheduled_at",
            "early_finish",
            "critical_paths",
            "conflicts",
        )


class RescheduleSerializer(serializers.Serializer):
    """The body of ``POST plans/reschedule/``: the projects (or a programme) to schedule together."""

    projects = serializers.ListField(child=VisibleRelatedField(queryset=Project.objects.all()), required=False)
    programme = VisibleRelatedField(queryset=Programme.objects.all(), required=False)
    status_date = serializers.DateField(
        required=False, help_text="The progress date; kept as the projects' status date."
    )
    reason = serializers.CharField(required=False, allow_blank=True)

    def validate(self, attrs):
        if bool(attrs.get("projects")) == bool(attrs.get("programme")):
            raise serializers.ValidationError("Give either a list of projects or a programme.")
        return attrs


class RescheduleResultSerializer(serializers.Serializer):
    activities = serializers.IntegerField(help_text="Activities scheduled (with those of feeding projects).")
    seconds = serializers.FloatField()
    plans = ProjectPlanSerializer(many=True)


class PlanImportSerializer(serializers.Serializer):
    """The multipart body of ``POST plans/import/``."""

    project = VisibleRelatedField(queryset=Project.objects.all())
    file = serializers.FileField(help_text="MS Project (.xml, .mpp), Primavera (.xer), Planner, GanttProject...")
    replace = serializers.BooleanField(default=False, help_text="Replace the project's plan if it has one.")
    reason = serializers.CharField(required=False, allow_blank=True)

    def validate_file(self, upload):
        if upload.size > MAX_UPLOAD_BYTES:
            raise serializers.ValidationError("The largest file accepted is 50 MB.")
        return upload


class PlanImportResultSerializer(serializers.Serializer):
    activities = serializers.IntegerField()
    links = serializers.IntegerField()
    calendars = serializers.IntegerField()
    baselines = serializers.IntegerField()
    resources = serializers.IntegerField()
    assignments = serializers.IntegerField()
    skipped_inactive = serializers.IntegerField()
    conflicts = serializers.ListField(child=serializers.DictField())
    differences = serializers.ListField(
        child=serializers.DictField(), help_text="Activities whose dates differ from the file's."
    )
    plan = ProjectPlanSerializer()
