"""The training register: approved courses and the skills they teach, and people's places on them.

The register belongs to the whole organisation: changing it needs the action across the
organisation (CREATE for a new course or a planned place, CHANGE to edit, complete or cancel,
ARCHIVE to take a course out of the register).

A place is planned, then completed or cancelled. Completing it makes the person hold every skill
the course teaches at least at the level the course reaches: a lower level is raised, a higher one
is kept (``services.resources.set_skill``, audited per skill).

Planning may also book the course days as a training ``Absence`` (``book_absence=True``), so that
the person's capacity drops on those days. The absence runs from the start over as many of the
person's working days (weekdays with hours in their pattern) as the course lasts, a half day
counting as a whole one; public holidays inside that span are not skipped. It is found again by
its first day and its note (``"Training: <course>"``): moving the start moves it, cancelling the
place removes it.
"""

import math
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from pmo.core.audit import record_event
from pmo.core.choices import Action
from pmo.core.errors import DomainError, InvalidData
from pmo.core.services import change_audited, create_audited, locked_for, require_global
from pmo.resourcing.choices import PROFICIENCY_LEVELS, AbsenceKind, EmploymentType, TrainingStatus
from pmo.resourcing.models import Absence, CourseSkill, Resource, ResourceSkill, Skill, TrainingCourse, TrainingRecord
from pmo.resourcing.services import resources as resource_services

REGISTER = "the training register"
COURSE_FIELDS = ("name", "provider", "cost", "duration_days", "description")
RECORD_FIELDS = ("start", "note")
LEVELS = dict(PROFICIENCY_LEVELS)
ABSENCE_NOTE_LENGTH = 200

SkillLevels = Iterable[tuple[Skill, int]]


# --- courses --------------------------------------------------------------------------------


def _check_unique(name: str, provider: str, *, exclude: int | None = None) -> None:
    clash = TrainingCourse.objects.filter(name__iexact=name.strip(), provider__iexact=provider.strip())
    if exclude is not None:
        clash = clash.exclude(pk=exclude)
    if clash.exists():
        raise InvalidData({"name": [f"The register already has {name.strip()!r} from {provider.strip()!r}."]})


def _taught(course: TrainingCourse) -> dict[str, int]:
    return {row.skill.name: row.level for row in course.taught.select_related("skill").order_by("skill__name")}


def _checked_skill_levels(course: TrainingCourse | None, skills: SkillLevels) -> list[tuple[Skill, int]]:
    """The pairs as given, refused with a message naming the skill when one is listed twice, has no
    level from 1 to 5, or is archived (a skill the course already teaches may stay)."""
    already = set(course.taught.values_list("skill_id", flat=True)) if course is not None else set()
    pairs, seen, errors = [], set(), []
    for skill, level in skills:
        if skill.pk in seen:
            errors.append(f"{skill} is listed twice; list each skill once, with the level the course reaches.")
            continue
        seen.add(skill.pk)
        if isinstance(level, bool) or not isinstance(level, int) or level not in LEVELS:
            errors.append(f"The level for {skill} must be a whole number from 1 (novice) to 5 (expert), not {level!r}.")
            continue
        if skill.is_archived and skill.pk not in already:
            errors.append(f"{skill} is archived; choose a skill the organisation still plans for.")
            continue
        pairs.append((skill, level))
    if errors:
        raise InvalidData({"skills": errors})
    return pairs


def _replace_skills(course: TrainingCourse, pairs: list[tuple[Skill, int]], *, actor, reason: str) -> None:
    before = _taught(course)
    after = {skill.name: level for skill, level in sorted(pairs, key=lambda pair: pair[0].name)}
    if before == after:
        return
    course.taught.all().delete()
    CourseSkill.objects.bulk_create([CourseSkill(course=course, skill=skill, level=level) for skill, level in pairs])
    record_event(
        actor=actor,
        action="trainingcourse.skills_set",
        obj=course,
        before={"skills": before},
        after={"skills": after},
        reason=reason,
    )


@transaction.atomic
def create_course(
    *,
    actor,
    name: str,
    provider: str,
    cost: Decimal = Decimal("0"),
    duration_days: Decimal = Decimal("1"),
    description: str = "",
    skills: SkillLevels = (),
    reason: str = "",
) -> TrainingCourse:
    """Add an approved course to the register, with the skills it teaches and the level reached."""
    require_global(actor, Action.CREATE, REGISTER)
    pairs = _checked_skill_levels(None, skills)
    _check_unique(name, provider)
    course = TrainingCourse(
        name=name.strip(), provider=provider.strip(), cost=cost, duration_days=duration_days, description=description
    )
    create_audited(course, actor=actor, reason=reason)
    _replace_skills(course, pairs, actor=actor, reason=reason)
    return course


@transaction.atomic
def update_course(
    *,
    actor,
    course: TrainingCourse,
    changes: Mapping,
    skills: SkillLevels | None = None,
    reason: str = "",
) -> TrainingCourse:
    """Change a course's fields and, when ``skills`` is given, replace the skills it teaches."""
    require_global(actor, Action.CHANGE, REGISTER)
    course = locked_for(actor, TrainingCourse, course.pk, Action.CHANGE)
    changes = dict(changes)
    for name in ("name", "provider"):
        if isinstance(changes.get(name), str):
            changes[name] = changes[name].strip()
    if "name" in changes or "provider" in changes:
        _check_unique(changes.get("name", course.name), changes.get("provider", course.provider), exclude=course.pk)
    pairs = _checked_skill_levels(course, skills) if skills is not None else None
    course = change_audited(course, changes, actor=actor, allowed=COURSE_FIELDS, reason=reason)
    if pairs is not None:
        _replace_skills(course, pairs, actor=actor, reason=reason)
    return course


@transaction.atomic
def set_course_skills(*, actor, course: TrainingCourse, skills: SkillLevels, reason: str = "") -> TrainingCourse:
    """Replace the skills a course teaches (each skill once, with the level the course reaches)."""
    require_global(actor, Action.CHANGE, REGISTER)
    course = locked_for(actor, TrainingCourse, course.pk, Action.CHANGE)
    _replace_skills(course, _checked_skill_levels(course, skills), actor=actor, reason=reason)
    return course


@transaction.atomic
def archive_course(*, actor, course: TrainingCourse, reason: str = "") -> TrainingCourse:
    """Take a course out of the register: nobody can be planned on it any more; places already
    planned stay and can still be completed or cancelled."""
    require_global(actor, Action.ARCHIVE, REGISTER)
    course = locked_for(actor, TrainingCourse, course.pk, Action.ARCHIVE)
    return change_audited(
        course,
        {"is_archived": True},
        actor=actor,
        allowed={"is_archived"},
        reason=reason,
        action="trainingcourse.archived",
    )


# --- places on courses ----------------------------------------------------------------------


def course_days(resource: Resource, course: TrainingCourse, start: date) -> tuple[date, date]:
    """The first and last day of the course for ``resource`` starting on ``start``: as many of the
    resource's working weekdays as the course lasts (a part day counts as a whole one)."""
    days_needed = max(1, math.ceil(Decimal(course.duration_days)))
    working = [hours > 0 for hours in resource.weekday_hours]
    if not any(working):
        return start, start + timedelta(days=days_needed - 1)
    day, counted = start, 0
    while True:
        if working[day.weekday()]:
            counted += 1
            if counted == days_needed:
                return start, day
        day += timedelta(days=1)


def _absence_note(course: TrainingCourse) -> str:
    return f"Training: {course.name}"[:ABSENCE_NOTE_LENGTH]


def _booked_absence(record: TrainingRecord) -> Absence | None:
    """The absence booked for ``record``: its person's training absence from its first day, noted
    with the course's name (or with any course's, should the course have been renamed since)."""
    candidates = Absence.objects.filter(
        resource_id=record.resource_id, kind=AbsenceKind.TRAINING, start=record.start, note__startswith="Training: "
    )
    exact = candidates.filter(note=_absence_note(record.course)).first()
    return exact or candidates.first()


def _book_absence(*, actor, resource: Resource, course: TrainingCourse, start: date, reason: str) -> Absence:
    first, last = course_days(resource, course, start)
    return resource_services.add_absence(
        actor=actor,
        resource=resource,
        start=first,
        end=last,
        kind=AbsenceKind.TRAINING,
        note=_absence_note(course),
        reason=reason,
    )


def _check_attendable(resource: Resource, start: date) -> None:
    if resource.is_role:
        raise InvalidData({"resource": [f"{resource} is a generic role; plan training for a named person."]})
    if resource.is_archived:
        raise InvalidData({"resource": [f"{resource} is archived."]})
    if (
        resource.employment_type == EmploymentType.CONTINGENT
        and resource.contract_end
        and resource.contract_end < start
    ):
        raise InvalidData(
            {
                "start": [
                    f"{resource}'s contract ends on {resource.contract_end.isoformat()}, "
                    f"before the course starts on {start.isoformat()}."
                ]
            }
        )


@transaction.atomic
def plan_training(
    *,
    actor,
    resource: Resource,
    course: TrainingCourse,
    start: date,
    note: str = "",
    book_absence: bool = False,
    reason: str = "",
) -> TrainingRecord:
    """Plan a place for ``resource`` on ``course`` from ``start``; with ``book_absence`` the course
    days are also booked as a training absence (which needs CHANGE on resources)."""
    require_global(actor, Action.CREATE, REGISTER)
    resource = locked_for(actor, Resource, resource.pk, Action.VIEW)
    course = locked_for(actor, TrainingCourse, course.pk, Action.VIEW)
    if course.is_archived:
        raise InvalidData({"course": [f"{course} is archived; choose a course that is still in the register."]})
    _check_attendable(resource, start)
    already = TrainingRecord.objects.filter(resource=resource, course=course, status=TrainingStatus.PLANNED).first()
    if already is not None:
        raise InvalidData(
            {"resource": [f"{resource} is already planned on {course}, starting {already.start.isoformat()}."]}
        )
    record = create_audited(
        TrainingRecord(resource=resource, course=course, start=start, note=note), actor=actor, reason=reason
    )
    if book_absence:
        _book_absence(actor=actor, resource=resource, course=course, start=start, reason=reason)
    return record


def _planned_record(actor, record: TrainingRecord, doing: str) -> TrainingRecord:
    require_global(actor, Action.CHANGE, REGISTER)
    record = locked_for(actor, TrainingRecord, record.pk, Action.CHANGE)
    if record.status != TrainingStatus.PLANNED:
        raise DomainError(f"{record} is {record.get_status_display().lower()}; only planned training can be {doing}.")
    return record


@transaction.atomic
def update_training(*, actor, record: TrainingRecord, changes: Mapping, reason: str = "") -> TrainingRecord:
    """Move a planned place to another start, or change its note. A training absence booked for
    the old start moves with it."""
    record = _planned_record(actor, record, "changed")
    unknown = sorted(set(changes) - set(RECORD_FIELDS))
    if unknown:
        raise InvalidData({name: ["This field cannot be changed here."] for name in unknown})
    new_start = changes.get("start", record.start)
    moved = new_start != record.start
    booked = _booked_absence(record) if moved else None
    if moved:
        _check_attendable(record.resource, new_start)
    record = change_audited(record, changes, actor=actor, allowed=RECORD_FIELDS, reason=reason)
    if booked is not None:
        resource_services.remove_absence(actor=actor, absence=booked, reason=reason)
        _book_absence(actor=actor, resource=record.resource, course=record.course, start=new_start, reason=reason)
    return record


@transaction.atomic
def complete_training(
    *, actor, record: TrainingRecord, completed_on: date | None = None, reason: str = ""
) -> TrainingRecord:
    """Record that the person completed the course on ``completed_on`` (today when not given):
    every skill the course teaches is then held at least at the course's level, never lowered."""
    record = _planned_record(actor, record, "completed")
    completed_on = completed_on or timezone.localdate()
    if completed_on < record.start:
        raise InvalidData(
            {
                "completed_on": [
                    f"Completion on {completed_on.isoformat()} is before the start on {record.start.isoformat()}."
                ]
            }
        )
    if completed_on > timezone.localdate():
        raise InvalidData({"completed_on": [f"{completed_on.isoformat()} is in the future; record it once done."]})
    record = change_audited(
        record,
        {"status": TrainingStatus.COMPLETED, "completed_on": completed_on},
        actor=actor,
        allowed={"status", "completed_on"},
        reason=reason,
        action="trainingrecord.completed",
    )
    held = {row.skill_id: row.level for row in ResourceSkill.objects.filter(resource_id=record.resource_id)}
    why = reason or f"Completed {record.course} on {completed_on.isoformat()}."
    for taught in record.course.taught.select_related("skill"):
        if held.get(taught.skill_id, 0) < taught.level:
            resource_services.set_skill(
                actor=actor, resource=record.resource, skill=taught.skill, level=taught.level, reason=why
            )
    return record


@transaction.atomic
def cancel_training(*, actor, record: TrainingRecord, reason: str) -> TrainingRecord:
    """Cancel a planned place, saying why (kept in the audit trail); a training absence booked
    for it is removed."""
    record = _planned_record(actor, record, "cancelled")
    if not reason or not reason.strip():
        raise InvalidData({"reason": ["Say why the training is cancelled; the reason is kept in the audit trail."]})
    booked = _booked_absence(record)
    record = change_audited(
        record,
        {"status": TrainingStatus.CANCELLED},
        actor=actor,
        allowed={"status"},
        reason=reason.strip(),
        action="trainingrecord.cancelled",
    )
    if booked is not None:
        resource_services.remove_absence(actor=actor, absence=booked, reason=reason.strip())
    return record
