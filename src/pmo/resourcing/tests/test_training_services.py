"""Services and selectors of the training register: courses and the skills they teach, places
planned, completed (skills raised, never lowered) and cancelled, and course suggestions."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from pmo.core.choices import Role
from pmo.core.errors import DomainError, InvalidData, PermissionRefused
from pmo.core.models import AuditEvent
from pmo.core.testing.logins import make_login
from pmo.resourcing.models import Absence, CourseSkill, ResourceSkill, TrainingCourse, TrainingRecord
from pmo.resourcing.selectors import training as selectors
from pmo.resourcing.services import resources as resource_services
from pmo.resourcing.services import training as services
from pmo.resourcing.testing import make_resource, skill

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 3, 2)


def course(world, name="Python for analysts", provider="Acme Learning", skills=None, **fields):
    levels = skills if skills is not None else {"Python": 3}
    return services.create_course(
        actor=world.admin,
        name=name,
        provider=provider,
        skills=[(skill(world.admin, skill_name), level) for skill_name, level in levels.items()],
        **fields,
    )


def held(resource) -> dict[str, int]:
    return dict(ResourceSkill.objects.filter(resource=resource).values_list("skill__name", "level"))


# --- courses --------------------------------------------------------------------------------


def test_a_course_is_created_with_the_skills_it_teaches_and_audited(world):
    created = course(
        world, skills={"Python": 3, "SQL": 2}, cost=Decimal("950"), duration_days=Decimal("2.5"), description="Hands on"
    )
    assert dict(created.taught.values_list("skill__name", "level")) == {"Python": 3, "SQL": 2}
    assert (created.cost, created.duration_days) == (Decimal("950"), Decimal("2.5"))
    actions = list(AuditEvent.objects.for_object(created).order_by("id").values_list("action", flat=True))
    assert actions == ["trainingcourse.created", "trainingcourse.skills_set"]
    event = AuditEvent.objects.for_object(created).get(action="trainingcourse.skills_set")
    assert event.after == {"skills": {"Python": 3, "SQL": 2}}


def test_a_skill_listed_twice_is_refused_and_nothing_is_stored(world):
    python = skill(world.admin, "Python")
    with pytest.raises(InvalidData, match="Python is listed twice") as refused:
        services.create_course(actor=world.admin, name="Python", provider="Acme", skills=[(python, 2), (python, 4)])
    assert "skills" in refused.value.errors
    assert not TrainingCourse.objects.exists()
    assert not CourseSkill.objects.exists()


@pytest.mark.parametrize("level", [0, 6, "3", None, True])
def test_a_level_outside_1_to_5_is_refused(world, level):
    with pytest.raises(InvalidData, match="from 1 \\(novice\\) to 5 \\(expert\\)"):
        services.create_course(
            actor=world.admin, name="Python", provider="Acme", skills=[(skill(world.admin, "Python"), level)]
        )
    assert not TrainingCourse.objects.exists()


def test_an_archived_skill_cannot_be_added_but_may_stay(world):
    created = course(world, skills={"COBOL": 3})
    cobol = skill(world.admin, "COBOL")
    resource_services.archive_skill(actor=world.admin, skill=cobol)
    cobol.refresh_from_db()
    services.set_course_skills(actor=world.admin, course=created, skills=[(cobol, 4)])
    assert created.taught.get().level == 4
    other = course(world, name="Mainframe basics", skills={})
    with pytest.raises(InvalidData, match="COBOL is archived"):
        services.set_course_skills(actor=world.admin, course=other, skills=[(cobol, 2)])


def test_the_same_course_from_the_same_provider_is_refused_whatever_the_case(world):
    course(world)
    with pytest.raises(InvalidData, match="already has 'python for analysts' from 'ACME learning'"):
        services.create_course(actor=world.admin, name="python for analysts ", provider="ACME learning")
    course(world, provider="Other School")
    assert TrainingCourse.objects.count() == 2


def test_updating_replaces_the_skills_and_audits_only_what_changed(world):
    created = course(world, skills={"Python": 2, "SQL": 2})
    services.update_course(
        actor=world.admin,
        course=created,
        changes={"cost": Decimal("1200")},
        skills=[(skill(world.admin, "Python"), 4), (skill(world.admin, "Pandas"), 3)],
        reason="New syllabus",
    )
    assert dict(created.taught.values_list("skill__name", "level")) == {"Pandas": 3, "Python": 4}
    event = AuditEvent.objects.for_object(created).filter(action="trainingcourse.skills_set").order_by("id").last()
    assert event.before == {"skills": {"Python": 2, "SQL": 2}}
    assert event.after == {"skills": {"Pandas": 3, "Python": 4}}
    assert event.reason == "New syllabus"
    events_before = AuditEvent.objects.count()
    services.update_course(
        actor=world.admin,
        course=created,
        changes={},
        skills=[(skill(world.admin, "Pandas"), 3), (skill(world.admin, "Python"), 4)],
    )
    assert AuditEvent.objects.count() == events_before


def test_only_a_role_across_the_organisation_changes_the_register(world):
    with pytest.raises(PermissionRefused, match="across the whole organisation"):
        services.create_course(actor=world.permitted, name="Python", provider="Acme")
    analyst = make_login("pmo.analyst", Role.PMO_ANALYST)
    created = course(world)
    with pytest.raises(PermissionRefused):
        services.update_course(actor=analyst, course=created, changes={"cost": Decimal("1")})
    pmo_admin = make_login("pmo.admin", Role.PMO_ADMINISTRATOR)
    services.update_course(actor=pmo_admin, course=created, changes={"cost": Decimal("10")})
    with pytest.raises(PermissionRefused):
        services.archive_course(actor=pmo_admin, course=created)
    created.refresh_from_db()
    assert created.cost == Decimal("10") and not created.is_archived


# --- planning a place -----------------------------------------------------------------------


def test_an_archived_course_cannot_be_planned(world):
    created = course(world)
    ada = make_resource(world.admin, "Ada Lovelace")
    services.archive_course(actor=world.admin, course=created, reason="Provider closed")
    with pytest.raises(InvalidData, match="archived; choose a course that is still in the register"):
        services.plan_training(actor=world.admin, resource=ada, course=created, start=MONDAY)
    assert not TrainingRecord.objects.exists()


def test_a_person_is_planned_once_on_a_course_and_a_role_never(world):
    created = course(world)
    ada = make_resource(world.admin, "Ada Lovelace")
    services.plan_training(actor=world.admin, resource=ada, course=created, start=MONDAY)
    with pytest.raises(InvalidData, match=r"Ada Lovelace is already planned on .* starting 2026-03-02"):
        services.plan_training(actor=world.admin, resource=ada, course=created, start=MONDAY + timedelta(days=7))
    role = resource_services.create_resource(
        actor=world.admin, kind="role", name="Data engineer", role_skill=skill(world.admin, "SQL")
    )
    with pytest.raises(InvalidData, match="generic role"):
        services.plan_training(actor=world.admin, resource=role, course=created, start=MONDAY)
    assert TrainingRecord.objects.count() == 1


def test_training_after_a_contract_ends_is_refused(world):
    created = course(world)
    contractor = make_resource(
        world.admin, "Kim Contractor", employment_type="contingent", contract_end=date(2026, 2, 27)
    )
    with pytest.raises(InvalidData, match="contract ends on 2026-02-27, before the course starts on 2026-03-02"):
        services.plan_training(actor=world.admin, resource=contractor, course=created, start=MONDAY)


def test_planning_needs_the_register_role_and_leaves_nothing_when_refused(world):
    created = course(world)
    ada = make_resource(world.admin, "Ada Lovelace")
    events = AuditEvent.objects.count()
    with pytest.raises(PermissionRefused):
        services.plan_training(actor=world.permitted, resource=ada, course=created, start=MONDAY)
    assert not TrainingRecord.objects.exists() and AuditEvent.objects.count() == events


@pytest.mark.parametrize(
    ("weekday_hours", "duration", "start", "end"),
    [
        ([8, 8, 8, 8, 8, 0, 0], "2.5", date(2026, 3, 5), date(2026, 3, 9)),  # Thu, Fri, Mon
        ([8, 8, 8, 8, 8, 0, 0], "1", MONDAY, MONDAY),
        ([8, 8, 8, 0, 0, 0, 0], "2", date(2026, 3, 4), date(2026, 3, 9)),  # Wed, then next Mon
        ([0, 0, 0, 0, 0, 0, 0], "2", MONDAY, date(2026, 3, 3)),
    ],
)
def test_booking_absence_covers_the_course_days_of_the_persons_week(world, weekday_hours, duration, start, end):
    created = course(world, duration_days=Decimal(duration))
    ada = make_resource(world.admin, "Ada Lovelace", weekday_hours=weekday_hours)
    services.plan_training(actor=world.admin, resource=ada, course=created, start=start, book_absence=True)
    absence = Absence.objects.get(resource=ada)
    assert (absence.kind, absence.start, absence.end) == ("training", start, end)
    assert absence.note == "Training: Python for analysts"


def test_a_place_whose_days_clash_with_leave_is_not_planned_at_all(world):
    created = course(world, duration_days=Decimal("3"))
    ada = make_resource(world.admin, "Ada Lovelace")
    resource_services.add_absence(actor=world.admin, resource=ada, start=date(2026, 3, 4), end=date(2026, 3, 6))
    with pytest.raises(InvalidData, match="already absent"):
        services.plan_training(actor=world.admin, resource=ada, course=created, start=MONDAY, book_absence=True)
    assert not TrainingRecord.objects.exists()
    assert Absence.objects.count() == 1


def test_moving_a_place_moves_its_booked_absence(world):
    created = course(world, duration_days=Decimal("2"))
    ada = make_resource(world.admin, "Ada Lovelace")
    record = services.plan_training(actor=world.admin, resource=ada, course=created, start=MONDAY, book_absence=True)
    services.update_training(
        actor=world.admin, record=record, changes={"start": date(2026, 3, 12), "note": "Moved by the provider"}
    )
    record.refresh_from_db()
    assert (record.start, record.note) == (date(2026, 3, 12), "Moved by the provider")
    assert list(Absence.objects.values_list("start", "end")) == [(date(2026, 3, 12), date(2026, 3, 13))]
    with pytest.raises(InvalidData, match="cannot be changed here"):
        services.update_training(actor=world.admin, record=record, changes={"status": "completed"})


# --- completing and cancelling --------------------------------------------------------------


def test_completion_raises_skills_to_the_course_level_but_never_lowers_them(world):
    created = course(world, skills={"Python": 3, "SQL": 3, "Pandas": 2})
    ada = make_resource(world.admin, "Ada Lovelace", skills={"Python": 1, "SQL": 5})
    record = services.plan_training(actor=world.admin, resource=ada, course=created, start=MONDAY)
    mark = AuditEvent.objects.order_by("-id").first().pk
    services.complete_training(actor=world.admin, record=record, completed_on=date(2026, 3, 4))
    record.refresh_from_db()
    assert (record.status, record.completed_on) == ("completed", date(2026, 3, 4))
    assert held(ada) == {"Python": 3, "SQL": 5, "Pandas": 2}
    raised = AuditEvent.objects.filter(pk__gt=mark, action__startswith="resourceskill.")
    assert sorted((event.action, event.after["level"]) for event in raised) == [
        ("resourceskill.changed", 3),
        ("resourceskill.created", 2),
    ]
    assert {event.reason for event in raised} == {"Completed Python for analysts (Acme Learning) on 2026-03-04."}
    assert AuditEvent.objects.filter(action="trainingrecord.completed").count() == 1


def test_completion_date_before_the_start_or_in_the_future_is_refused(world):
    created = course(world)
    ada = make_resource(world.admin, "Ada Lovelace", skills={"Python": 1})
    record = services.plan_training(actor=world.admin, resource=ada, course=created, start=MONDAY)
    with pytest.raises(InvalidData, match="Completion on 2026-03-01 is before the start on 2026-03-02") as refused:
        services.complete_training(actor=world.admin, record=record, completed_on=date(2026, 3, 1))
    assert "completed_on" in refused.value.errors
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(InvalidData, match="is in the future"):
        services.complete_training(actor=world.admin, record=record, completed_on=tomorrow)
    record.refresh_from_db()
    assert record.status == "planned" and held(ada) == {"Python": 1}


def test_completion_defaults_to_today_and_happens_once(world):
    created = course(world)
    ada = make_resource(world.admin, "Ada Lovelace")
    record = services.plan_training(actor=world.admin, resource=ada, course=created, start=MONDAY)
    services.complete_training(actor=world.admin, record=record)
    record.refresh_from_db()
    assert record.completed_on == timezone.localdate()
    with pytest.raises(DomainError, match="is completed; only planned training can be completed"):
        services.complete_training(actor=world.admin, record=record)
    with pytest.raises(DomainError, match="only planned training can be cancelled"):
        services.cancel_training(actor=world.admin, record=record, reason="Too late")


def test_an_archived_course_can_still_be_completed_by_those_planned(world):
    created = course(world)
    ada = make_resource(world.admin, "Ada Lovelace")
    record = services.plan_training(actor=world.admin, resource=ada, course=created, start=MONDAY)
    services.archive_course(actor=world.admin, course=created)
    services.complete_training(actor=world.admin, record=record, completed_on=MONDAY)
    assert held(ada) == {"Python": 3}


def test_completion_needs_change_across_the_organisation(world):
    created = course(world)
    ada = make_resource(world.admin, "Ada Lovelace")
    record = services.plan_training(actor=world.admin, resource=ada, course=created, start=MONDAY)
    for refused in (world.permitted, world.elsewhere_user, make_login("pmo.analyst", Role.PMO_ANALYST)):
        with pytest.raises(PermissionRefused):
            services.complete_training(actor=refused, record=record, completed_on=MONDAY)
    record.refresh_from_db()
    assert record.status == "planned" and held(ada) == {}


def test_cancelling_needs_a_reason_and_removes_the_booked_absence(world):
    created = course(world)
    ada = make_resource(world.admin, "Ada Lovelace")
    resource_services.add_absence(actor=world.admin, resource=ada, start=date(2026, 4, 6), end=date(2026, 4, 10))
    record = services.plan_training(actor=world.admin, resource=ada, course=created, start=MONDAY, book_absence=True)
    with pytest.raises(InvalidData, match="Say why") as refused:
        services.cancel_training(actor=world.admin, record=record, reason="  ")
    assert "reason" in refused.value.errors
    services.cancel_training(actor=world.admin, record=record, reason="Project go-live moved into that week")
    record.refresh_from_db()
    assert record.status == "cancelled"
    assert list(Absence.objects.values_list("kind", flat=True)) == ["leave"]
    [listed] = selectors.training_records(world.admin)
    assert listed.cancel_reason == "Project go-live moved into that week"
    # A new place can be planned once the old one is cancelled.
    services.plan_training(actor=world.admin, resource=ada, course=created, start=date(2026, 5, 4))


def test_the_booked_absence_is_found_again_after_the_course_is_renamed(world):
    created = course(world)
    ada = make_resource(world.admin, "Ada Lovelace")
    record = services.plan_training(actor=world.admin, resource=ada, course=created, start=MONDAY, book_absence=True)
    services.update_course(actor=world.admin, course=created, changes={"name": "Python for data analysts"})
    record.refresh_from_db()
    services.cancel_training(actor=world.admin, record=record, reason="Not needed any more")
    assert not Absence.objects.exists()
    assert AuditEvent.objects.filter(action="absence.removed", reason="Not needed any more").count() == 1


# --- reads ----------------------------------------------------------------------------------


def test_suggestions_teach_the_skill_to_the_level_closest_level_then_cheapest(world):
    cheap_3 = course(world, name="Python basics", skills={"Python": 3}, cost=Decimal("200"))
    dear_3 = course(world, name="Python bootcamp", skills={"Python": 3, "SQL": 2}, cost=Decimal("500"))
    short_3 = course(
        world, name="Python sprint", skills={"Python": 3}, cost=Decimal("200"), duration_days=Decimal("0.5")
    )
    cheap_4 = course(world, name="Python advanced", skills={"Python": 4}, cost=Decimal("100"))
    archived_5 = course(world, name="Python mastery", skills={"Python": 5}, cost=Decimal("50"))
    course(world, name="Python taster", skills={"Python": 2}, cost=Decimal("10"))
    course(world, name="SQL deep dive", skills={"SQL": 5}, cost=Decimal("10"))
    services.archive_course(actor=world.admin, course=archived_5)
    python = skill(world.admin, "Python")

    suggested = list(selectors.suggest_courses(world.permitted, python, 3))

    assert suggested == [short_3, cheap_3, dear_3, cheap_4]
    assert [suggestion.level_taught for suggestion in suggested] == [3, 3, 3, 4]
    assert list(selectors.suggest_courses(world.permitted, python, 5)) == []
    assert list(selectors.suggest_courses(world.nobody, python, 1)) == []


def test_the_register_counts_distinct_people_planned_and_trained(world):
    created = course(world)
    other = course(world, name="SQL", skills={"SQL": 2})
    ada, grace, alan = (make_resource(world.admin, name) for name in ("Ada", "Grace", "Alan"))
    first = services.plan_training(actor=world.admin, resource=ada, course=created, start=MONDAY)
    services.complete_training(actor=world.admin, record=first, completed_on=MONDAY)
    again = services.plan_training(actor=world.admin, resource=ada, course=created, start=date(2026, 6, 1))
    services.complete_training(actor=world.admin, record=again, completed_on=date(2026, 6, 1))
    services.plan_training(actor=world.admin, resource=grace, course=created, start=date(2026, 6, 1))
    dropped = services.plan_training(actor=world.admin, resource=alan, course=created, start=date(2026, 6, 1))
    services.cancel_training(actor=world.admin, record=dropped, reason="Left the company")

    counts = {c.name: (c.people_planned, c.people_trained) for c in selectors.course_register(world.permitted)}

    assert counts == {created.name: (1, 1), other.name: (0, 0)}
    assert [record.course for record in selectors.training_for(world.permitted, ada)] == [created, created]


def test_completion_preview_says_which_skills_rise(world):
    created = course(world, skills={"Python": 3, "SQL": 2})
    ada = make_resource(world.admin, "Ada Lovelace", skills={"SQL": 4})
    record = services.plan_training(actor=world.admin, resource=ada, course=created, start=MONDAY)
    rows = [
        (row["skill"].name, row["held"], row["after"], row["rises"]) for row in selectors.completion_preview(record)
    ]
    assert rows == [("Python", None, 3, True), ("SQL", 4, 4, False)]
