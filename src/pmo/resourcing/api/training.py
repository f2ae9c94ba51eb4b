"""API: the training register (``training-courses``, with the skills each teaches as a nested
list) and people's places on courses (``training-records``: create plans a place; ``complete``
and ``cancel`` actions). Serializers only validate; ``services.training`` writes."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from pmo.core.api.serializers import RESOURCE_READ_ONLY, ResourceSerializer, VisibleRelatedField
from pmo.core.api.views import ArchivableViewSet, CreateThroughServiceMixin, ReadViewSet, UpdateThroughServiceMixin
from pmo.resourcing.choices import PROFICIENCY_LEVELS
from pmo.resourcing.forms.training import TrainingCourseFilterSet, TrainingRecordFilterSet
from pmo.resourcing.models import Resource, Skill, TrainingCourse, TrainingRecord
from pmo.resourcing.selectors import training as selectors
from pmo.resourcing.services import training as services

TIMESTAMPS = ("created_at", "updated_at")

# --- serializers ----------------------------------------------------------------------------


class CourseSkillSerializer(serializers.Serializer):
    skill = VisibleRelatedField(queryset=Skill.objects.all())
    skill_name = serializers.CharField(source="skill.name", read_only=True)
    level = serializers.ChoiceField(choices=PROFICIENCY_LEVELS, help_text="The level a participant reaches, 1 to 5.")


class TrainingCourseSerializer(ResourceSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:training-course-detail")
    skills = CourseSkillSerializer(
        many=True,
        required=False,
        source="taught",
        help_text="The skills taught, each once; a write replaces the whole list.",
    )
    people_planned = serializers.IntegerField(read_only=True, help_text="People with a planned place.")
    people_trained = serializers.IntegerField(read_only=True, help_text="People who completed the course.")

    class Meta:
        model = TrainingCourse
        fields = [
            "id",
            "url",
            "display",
            "name",
            "provider",
            "cost",
            "duration_days",
            "description",
            "skills",
            "people_planned",
            "people_trained",
            "is_archived",
            "created_at",
            "updated_at",
            "reason",
        ]
        read_only_fields = RESOURCE_READ_ONLY
        # The same name from the same provider is the service's to refuse, with a message naming both.
        validators = []


class TrainingSuggestionSerializer(TrainingCourseSerializer):
    level_taught = serializers.IntegerField(
        read_only=True, help_text="The level of the asked skill the course reaches."
    )
    people_planned = None
    people_trained = None
    reason = None

    class Meta(TrainingCourseSerializer.Meta):
        fields = [
            "id",
            "url",
            "display",
            "name",
            "provider",
            "cost",
            "duration_days",
            "level_taught",
            "skills",
        ]


class SuggestionQuerySerializer(serializers.Serializer):
    skill = VisibleRelatedField(queryset=Skill.objects.all())
    level = serializers.ChoiceField(choices=PROFICIENCY_LEVELS, default=1)


class TrainingRecordSerializer(ResourceSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:training-record-detail")
    resource = VisibleRelatedField(queryset=Resource.objects.all(), help_text="The person (a named resource).")
    resource_name = serializers.CharField(source="resource.name", read_only=True)
    course = VisibleRelatedField(queryset=TrainingCourse.objects.all())
    course_name = serializers.CharField(source="course.name", read_only=True)
    book_absence = serializers.BooleanField(
        write_only=True,
        required=False,
        default=False,
        help_text="Also book the course days as a training absence, taking them out of the person's capacity.",
    )
    cancel_reason = serializers.CharField(read_only=True, allow_null=True, help_text="Why a place was cancelled.")

    class Meta:
        model = TrainingRecord
        fields = [
            "id",
            "url",
            "display",
            "resource",
            "resource_name",
            "course",
            "course_name",
            "status",
            "start",
            "completed_on",
            "note",
            "book_absence",
            "cancel_reason",
            "created_at",
            "updated_at",
            "reason",
        ]
        read_only_fields = ("id", "url", "display", "status", "completed_on", "created_at", "updated_at")

    def get_fields(self):
        fields = super().get_fields()
        # A place stays the same person's on the same course; only its start and note move.
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            fields["resource"].read_only = True
            fields["course"].read_only = True
            fields.pop("book_absence")
        return fields


class TrainingCompleteSerializer(serializers.Serializer):
    completed_on = serializers.DateField(required=False, help_text="When it was completed; today when left out.")
    reason = serializers.CharField(required=False, allow_blank=True, help_text="Kept in the audit trail.")


class TrainingCancelSerializer(serializers.Serializer):
    reason = serializers.CharField(help_text="Why the training is cancelled; kept in the audit trail.")


# --- views ----------------------------------------------------------------------------------


def _skill_levels(rows) -> list:
    return [(row["skill"], row["level"]) for row in rows]


class TrainingCourseViewSet(ArchivableViewSet):
    """The register of approved training courses: provider, cost, duration, and the skills each
    teaches with the level reached. Anyone with a role reads it; changing it needs a role across
    the organisation. ``suggestions/`` lists the courses for a skill gap."""

    queryset = TrainingCourse.objects.none()
    serializer_class = TrainingCourseSerializer
    filterset_class = TrainingCourseFilterSet
    ordering_fields = ("name", "provider", "cost", "duration_days", "people_planned", "people_trained", *TIMESTAMPS)
    search_fields = ("name", "provider", "description")
    service_object_argument = "course"
    archive_service = staticmethod(services.archive_course)

    def get_queryset(self):
        return selectors.course_register(self.request.user).order_by("name", "provider", "id")

    @staticmethod
    def create_service(*, actor, reason="", taught=(), **fields):
        return services.create_course(actor=actor, reason=reason, skills=_skill_levels(taught), **fields)

    @staticmethod
    def update_service(*, actor, course, changes, reason=""):
        taught = changes.pop("taught", None)
        skills = _skill_levels(taught) if taught is not None else None
        return services.update_course(actor=actor, course=course, changes=changes, skills=skills, reason=reason)

    @extend_schema(
        summary="Courses for a skill gap",
        description=(
            "The courses still in the register that teach the skill to the level or higher: the lowest "
            "level that meets the need first, then the cheapest, then the shortest."
        ),
        parameters=[
            OpenApiParameter("skill", OpenApiTypes.INT, required=True, description="The skill's id."),
            OpenApiParameter("level", OpenApiTypes.INT, description="The level needed, 1 to 5 (1 when left out)."),
        ],
        responses=TrainingSuggestionSerializer(many=True),
    )
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def suggestions(self, request):
        query = SuggestionQuerySerializer(data=request.query_params, context=self.get_serializer_context())
        query.is_valid(raise_exception=True)
        courses = selectors.suggest_courses(request.user, query.validated_data["skill"], query.validated_data["level"])
        return Response(TrainingSuggestionSerializer(courses, many=True, context=self.get_serializer_context()).data)


class TrainingRecordViewSet(UpdateThroughServiceMixin, CreateThroughServiceMixin, ReadViewSet):
    """People's places on courses. ``POST`` plans a place (optionally booking the course days as
    a training absence); a planned place can be moved (``PATCH`` start or note), ``complete``d (the
    person then holds every skill taught at least at the course's level) or ``cancel``led with a
    reason. Records are kept, never deleted."""

    queryset = TrainingRecord.objects.none()
    serializer_class = TrainingRecordSerializer
    filterset_class = TrainingRecordFilterSet
    ordering_fields = ("start", "completed_on", "status", "resource__name", "course__name", *TIMESTAMPS)
    search_fields = ("resource__name", "course__name", "note")
    service_object_argument = "record"
    create_service = staticmethod(services.plan_training)
    update_service = staticmethod(services.update_training)

    def get_queryset(self):
        return selectors.training_records(self.request.user).order_by("-start", "resource__name", "id")

    @extend_schema(summary="Record completion", request=TrainingCompleteSerializer, responses=TrainingRecordSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        record = self.get_object()
        body = TrainingCompleteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        record = services.complete_training(actor=request.user, record=record, **body.validated_data)
        return Response(self.representation(record))

    @extend_schema(summary="Cancel", request=TrainingCancelSerializer, responses=TrainingRecordSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        record = self.get_object()
        body = TrainingCancelSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        record = services.cancel_training(actor=request.user, record=record, reason=body.validated_data["reason"])
        return Response(self.representation(record))


def register(router) -> None:
    router.register("training-courses", TrainingCourseViewSet, basename="training-course")
    router.register("training-records", TrainingRecordViewSet, basename="training-record")
