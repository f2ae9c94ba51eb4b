"""The training register through the API: courses with their skills as a nested list, places
planned, moved, completed and cancelled, suggestions for a skill gap, refusals as 400/403 that
name the problem and change nothing, and lists whose cost does not grow with their rows."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from pmo.core.models import AuditEvent
from pmo.resourcing.models import Absence, ResourceSkill, TrainingCourse, TrainingRecord
from pmo.resourcing.services import training as services
from pmo.resourcing.testing import make_resource, skill

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 3, 2)
COURSES = reverse("api:training-course-list")
RECORDS = reverse("api:training-record-list")


def api(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def course_url(pk, route: str | None = None) -> str:
    return reverse(f"api:training-course-{route or 'detail'}", args=[pk])


def record_url(pk, route: str | None = None) -> str:
    return reverse(f"api:training-record-{route or 'detail'}", args=[pk])


def course(world, name="Python for analysts", provider="Acme Learning", skills=None, **fields):
    levels = skills if skills is not None else {"Python": 3}
    return services.create_course(
        actor=world.admin,
        name=name,
        provider=provider,
        skills=[(skill(world.admin, skill_name), level) for skill_name, level in levels.items()],
        **fields,
    )


# --- courses --------------------------------------------------------------------------------


def test_a_course_is_created_with_its_skills(world):
    python, sql = skill(world.admin, "Python"), skill(world.admin, "SQL")
    body = {
        "name": "Data engineering",
        "provider": "Acme Learning",
        "cost": "1500.00",
        "duration_days": "2.5",
        "skills": [{"skill": python.pk, "level": 4}, {"skill": sql.pk, "level": 2}],
        "reason": "Approved by the training board",
    }
    response = api(world.org_head).post(COURSES, body, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["skills"] == [
        {"skill": python.pk, "skill_name": "Python", "level": 4},
        {"skill": sql.pk, "skill_name": "SQL", "level": 2},
    ]
    assert (data["people_planned"], data["people_trained"], data["duration_days"]) == (0, 0, "2.5")
    assert response["Location"] == data["url"]
    created = TrainingCourse.objects.get()
    assert AuditEvent.objects.for_object(created).filter(reason="Approved by the training board").count() == 2


@pytest.mark.parametrize(
    ("skills", "message"),
    [
        ("twice", "Python is listed twice"),
        ("unknown", "Invalid pk"),
        ("level 7", '"7" is not a valid choice.'),
    ],
)
def test_bad_skill_lists_are_refused_naming_the_skills(world, skills, message):
    python = skill(world.admin, "Python")
    rows = {
        "twice": [{"skill": python.pk, "level": 3}, {"skill": python.pk, "level": 4}],
        "level 7": [{"skill": python.pk, "level": 7}],
        "unknown": [{"skill": 999999, "level": 3}],
    }[skills]
    response = api(world.org_head).post(COURSES, {"name": "Python", "provider": "Acme", "skills": rows}, format="json")
    assert response.status_code == 400
    assert message in str(response.json()["errors"]["skills"])
    assert not TrainingCourse.objects.exists()


def test_the_same_course_twice_is_refused_on_the_name(world):
    course(world)
    response = api(world.org_head).post(
        COURSES, {"name": "PYTHON for analysts", "provider": "acme learning"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"]["name"] == ["The register already has 'PYTHON for analysts' from 'acme learning'."]


def test_patch_keeps_the_skills_unless_given_and_put_needs_every_field(world):
    created = course(world, skills={"Python": 2})
    client = api(world.org_head)
    response = client.patch(course_url(created.pk), {"provider": "Acme Academy"}, format="json")
    assert response.status_code == 200, response.content
    assert [row["level"] for row in response.json()["skills"]] == [2]
    sql = skill(world.admin, "SQL")
    response = client.patch(course_url(created.pk), {"skills": [{"skill": sql.pk, "level": 3}]}, format="json")
    assert [row["skill_name"] for row in response.json()["skills"]] == ["SQL"]
    response = client.put(course_url(created.pk), {"name": "Python", "provider": "Acme"}, format="json")
    assert response.status_code == 400
    assert "skills" in response.json()["errors"]
    created.refresh_from_db()
    assert created.name == "Python for analysts"


def test_archive_instead_of_delete(world):
    created = course(world)
    client = api(world.org_head)
    assert client.delete(course_url(created.pk)).status_code == 405
    response = client.post(course_url(created.pk, "archive"), {"reason": "Provider closed"}, format="json")
    assert response.status_code == 200 and response.json()["is_archived"] is True


def test_the_register_filters_orders_and_searches(world):
    python = course(world, skills={"Python": 3}, cost=Decimal("900"))
    sql = course(world, name="SQL foundations", provider="Data School", skills={"SQL": 2}, cost=Decimal("300"))
    deep = course(world, name="Advanced Python", provider="Data School", skills={"Python": 5}, cost=Decimal("2000"))
    services.archive_course(actor=world.admin, course=deep)
    client = api(world.permitted)

    def names(**query):
        response = client.get(COURSES, query)
        assert response.status_code == 200, response.content
        return [row["name"] for row in response.json()["results"]]

    assert names() == ["Advanced Python", "Python for analysts", "SQL foundations"]
    assert names(skill=skill(world.admin, "Python").pk) == ["Advanced Python", "Python for analysts"]
    assert names(skill=skill(world.admin, "Python").pk, level=4) == ["Advanced Python"]
    assert names(provider="school", is_archived="false") == ["SQL foundations"]
    assert names(search="foundations") == ["SQL foundations"]
    assert names(ordering="-cost") == ["Advanced Python", "Python for analysts", "SQL foundations"]
    assert names(q="sql") == [sql.name]
    assert python.name in names(is_archived="false")


def test_the_register_costs_the_same_queries_for_few_and_many(world):
    client = api(world.permitted)
    people = [make_resource(world.admin, f"Person {n}") for n in range(2)]

    def add(first: int, count: int):
        for n in range(first, first + count):
            created = course(world, name=f"Course {n:02}", skills={"Python": 3, f"Skill {n}": 2})
            for person in people:
                services.plan_training(actor=world.admin, resource=person, course=created, start=MONDAY)

    add(0, 2)
    with CaptureQueriesContext(connection) as few:
        assert client.get(COURSES).json()["count"] == 2
    add(2, 10)
    with CaptureQueriesContext(connection) as many:
        data = client.get(COURSES).json()
    assert data["count"] == 12 and data["results"][0]["people_planned"] == 2
    assert len(many) == len(few)


def test_only_a_role_across_the_organisation_writes_the_register(world):
    created = course(world)
    events = AuditEvent.objects.count()
    client = api(world.permitted)
    assert client.post(COURSES, {"name": "X", "provider": "Y"}, format="json").status_code == 403
    assert client.patch(course_url(created.pk), {"cost": "1"}, format="json").status_code == 403
    assert client.post(course_url(created.pk, "archive"), {}, format="json").status_code == 403
    assert TrainingCourse.objects.count() == 1 and AuditEvent.objects.count() == events
    assert api(world.nobody).get(COURSES).json()["count"] == 0


# --- suggestions ----------------------------------------------------------------------------


def test_suggestions_for_a_skill_gap(world):
    course(world, name="Python bootcamp", skills={"Python": 3}, cost=Decimal("500"))
    course(world, name="Python basics", skills={"Python": 3}, cost=Decimal("200"))
    course(world, name="Python advanced", skills={"Python": 4}, cost=Decimal("100"))
    course(world, name="Python taster", skills={"Python": 2}, cost=Decimal("10"))
    python = skill(world.admin, "Python")
    response = api(world.permitted).get(reverse("api:training-course-suggestions"), {"skill": python.pk, "level": 3})
    assert response.status_code == 200, response.content
    assert [(row["name"], row["level_taught"]) for row in response.json()] == [
        ("Python basics", 3),
        ("Python bootcamp", 3),
        ("Python advanced", 4),
    ]


@pytest.mark.parametrize(
    ("query", "field"),
    [({}, "skill"), ({"skill": 999999}, "skill"), ({"skill": "1", "level": "9"}, "level")],
)
def test_suggestions_refuse_bad_parameters(world, query, field):
    skill(world.admin, "Python")
    response = api(world.permitted).get(reverse("api:training-course-suggestions"), query)
    assert response.status_code == 400
    assert field in response.json()["errors"]


# --- places ---------------------------------------------------------------------------------


def test_planning_a_place_with_its_absence(world):
    created = course(world, duration_days=Decimal("2"))
    ada = make_resource(world.admin, "Ada Lovelace")
    body = {"resource": ada.pk, "course": created.pk, "start": "2026-03-05", "book_absence": True, "note": "HR ok"}
    response = api(world.org_head).post(RECORDS, body, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["status"], data["resource_name"], data["course_name"]) == ("planned", "Ada Lovelace", created.name)
    assert "book_absence" not in data
    assert list(Absence.objects.values_list("start", "end")) == [(date(2026, 3, 5), date(2026, 3, 6))]


def test_planning_an_archived_course_is_refused(world):
    created = course(world)
    ada = make_resource(world.admin, "Ada Lovelace")
    services.archive_course(actor=world.admin, course=created)
    body = {"resource": ada.pk, "course": created.pk, "start": "2026-03-02"}
    response = api(world.org_head).post(RECORDS, body, format="json")
    assert response.status_code == 400
    assert "archived" in response.json()["errors"]["course"][0]
    assert not TrainingRecord.objects.exists()


def test_moving_completing_and_cancelling_places(world):
    created = course(world, skills={"Python": 3})
    ada, grace = make_resource(world.admin, "Ada Lovelace", skills={"Python": 1}), make_resource(world.admin, "Grace")
    first = services.plan_training(actor=world.admin, resource=ada, course=created, start=MONDAY)
    second = services.plan_training(actor=world.admin, resource=grace, course=created, start=MONDAY)
    client = api(world.org_head)

    moved = client.patch(record_url(first.pk), {"start": "2026-03-09", "resource": grace.pk}, format="json")
    assert moved.status_code == 200, moved.content
    assert (moved.json()["start"], moved.json()["resource"]) == ("2026-03-09", ada.pk)

    early = client.post(record_url(first.pk, "complete"), {"completed_on": "2026-03-02"}, format="json")
    assert early.status_code == 400
    assert "before the start on 2026-03-09" in early.json()["errors"]["completed_on"][0]
    done = client.post(record_url(first.pk, "complete"), {"completed_on": "2026-03-10"}, format="json")
    assert done.status_code == 200 and done.json()["status"] == "completed"
    assert ResourceSkill.objects.get(resource=ada).level == 3
    again = client.post(record_url(first.pk, "complete"), {}, format="json")
    assert again.status_code == 400 and "only planned training can be completed" in again.json()["detail"]

    no_reason = client.post(record_url(second.pk, "cancel"), {}, format="json")
    assert no_reason.status_code == 400 and "reason" in no_reason.json()["errors"]
    cancelled = client.post(record_url(second.pk, "cancel"), {"reason": "Budget frozen"}, format="json")
    assert cancelled.status_code == 200
    assert (cancelled.json()["status"], cancelled.json()["cancel_reason"]) == ("cancelled", "Budget frozen")
    assert client.delete(record_url(second.pk)).status_code == 405


def test_places_are_changed_only_by_a_role_across_the_organisation(world):
    created = course(world)
    ada = make_resource(world.admin, "Ada Lovelace")
    record = services.plan_training(actor=world.admin, resource=ada, course=created, start=MONDAY)
    events = AuditEvent.objects.count()
    client = api(world.permitted)
    assert client.post(record_url(record.pk, "complete"), {}, format="json").status_code == 403
    assert client.post(record_url(record.pk, "cancel"), {"reason": "x"}, format="json").status_code == 403
    body = {"resource": ada.pk, "course": created.pk, "start": "2026-05-04"}
    assert client.post(RECORDS, body, format="json").status_code == 403
    nobody = api(world.nobody)
    assert nobody.post(record_url(record.pk, "complete"), {}, format="json").status_code == 404
    assert TrainingRecord.objects.get().status == "planned" and AuditEvent.objects.count() == events


def test_the_records_filter_and_cost_the_same_queries_for_few_and_many(world):
    client = api(world.permitted)

    def add(first: int, count: int):
        for n in range(first, first + count):
            person = make_resource(world.admin, f"Person {n:02}")
            created = course(world, name=f"Course {n:02}")
            record = services.plan_training(actor=world.admin, resource=person, course=created, start=MONDAY)
            if n % 2:
                services.cancel_training(actor=world.admin, record=record, reason=f"Reason {n}")

    add(0, 2)
    with CaptureQueriesContext(connection) as few:
        assert client.get(RECORDS).json()["count"] == 2
    add(2, 10)
    with CaptureQueriesContext(connection) as many:
        data = client.get(RECORDS).json()
    assert data["count"] == 12
    assert len(many) == len(few)
    assert client.get(RECORDS, {"status": "cancelled"}).json()["count"] == 6
    assert client.get(RECORDS, {"search": "Person 03"}).json()["results"][0]["cancel_reason"] == "Reason 3"


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/training-records/?resource=99999999999999999999999",
        "/api/v1/training-records/?course=1e400",
        "/api/v1/training-courses/?skill=99999999999999999999999",
        "/api/v1/training-courses/99999999999999999999999/",
        "/api/v1/training-courses/suggestions/?skill=99999999999999999999999",
    ],
)
def test_numbers_the_database_cannot_hold_are_refused_not_a_500(world, path):
    assert api(world.permitted).get(path).status_code in (400, 404)
