"""Reads of the training register: the courses with how many people they trained, course
suggestions for a skill gap, and people's training. Each read costs a fixed number of queries
whatever the number of rows."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Cast

from pmo.core.choices import Action
from pmo.core.models import AuditEvent
from pmo.resourcing.choices import TrainingStatus
from pmo.resourcing.models import CourseSkill, Resource, ResourceSkill, Skill, TrainingCourse, TrainingRecord


def _taught_prefetch() -> Prefetch:
    return Prefetch("taught", queryset=CourseSkill.objects.select_related("skill").order_by("skill__name"))


def course_register(user) -> QuerySet[TrainingCourse]:
    """The courses ``user`` may see, each with ``people_planned`` (distinct people with a planned
    place) and ``people_trained`` (distinct people who completed it), and the skills it teaches
    prefetched (``course.taught``, skill loaded). Two queries for any number of courses."""
    return (
        TrainingCourse.objects.visible_to(user, Action.VIEW)
        .annotate(
            people_planned=Count("records__resource", filter=Q(records__status=TrainingStatus.PLANNED), distinct=True),
            people_trained=Count(
                "records__resource", filter=Q(records__status=TrainingStatus.COMPLETED), distinct=True
            ),
        )
        .prefetch_related(_taught_prefetch())
    )


def suggest_courses(user, skill: Skill, level: int) -> QuerySet[TrainingCourse]:
    """Courses in the register that teach ``skill`` to ``level`` or higher, for a gap in that
    skill: the lowest level that meets the need first (``level_taught``), and within a level the
    cheapest, then the shortest. Archived courses are left out."""
    level_taught = CourseSkill.objects.filter(course=OuterRef("pk"), skill=skill).values("level")[:1]
    return (
        TrainingCourse.objects.visible_to(user, Action.VIEW)
        .filter(is_archived=False)
        .annotate(level_taught=Subquery(level_taught))
        .filter(level_taught__gte=level)
        .prefetch_related(_taught_prefetch())
        .order_by("level_taught", "cost", "duration_days", "name", "id")
    )


def _cancel_reason() -> Subquery:
    """Why a cancelled place was cancelled: the reason of its cancellation event."""
    events = AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(TrainingRecord),
        object_id=Cast(OuterRef("pk"), output_field=CharField()),
        action="trainingrecord.cancelled",
    ).order_by("-occurred_at", "-id")
    return Subquery(events.values("reason")[:1])


def training_records(user) -> QuerySet[TrainingRecord]:
    """Every place on a course ``user`` may see, with its person and course loaded and, for a
    cancelled place, ``cancel_reason``."""
    return (
        TrainingRecord.objects.visible_to(user, Action.VIEW)
        .select_related("resource", "course")
        .annotate(cancel_reason=_cancel_reason())
    )


def course_records(user, course: TrainingCourse) -> QuerySet[TrainingRecord]:
    """The places on one course: planned first (soonest first), then completed and cancelled
    (latest first)."""
    return training_records(user).filter(course=course).order_by("-status", "-start", "resource__name")


def training_for(user, resource: Resource) -> QuerySet[TrainingRecord]:
    """One person's training, latest start first, each course's skills prefetched."""
    return (
        training_records(user)
        .filter(resource=resource)
        .prefetch_related(Prefetch("course__taught", queryset=CourseSkill.objects.select_related("skill")))
        .order_by("-start", "-id")
    )


def completion_preview(record: TrainingRecord) -> list[dict]:
    """What completing ``record`` would do to the person's skills: per skill taught, the level held
    now (None when not held), the level after, and whether it rises."""
    held = {row.skill_id: row.level for row in ResourceSkill.objects.filter(resource_id=record.resource_id)}
    rows = []
    for taught in record.course.taught.select_related("skill").order_by("skill__name"):
        now = held.get(taught.skill_id)
        after = max(now or 0, taught.level)
        rows.append({"skill": taught.skill, "held": now, "taught": taught.level, "after": after, "rises": after != now})
    return rows
