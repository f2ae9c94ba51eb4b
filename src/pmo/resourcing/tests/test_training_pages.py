"""Pages of the training register as a PMO user meets them: the register with its filters and
counts, a course's page, the course form with its rows of skills, and planning, moving,
completing and cancelling places, with refusals shown beside the input that caused them."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pmo.core.choices import Role
from pmo.core.models import AuditEvent
from pmo.core.testing.logins import make_login
from pmo.resourcing.models import Absence, ResourceSkill, TrainingCourse, TrainingRecord
from pmo.resourcing.selectors import training as selectors
from pmo.resourcing.services import training as services
from pmo.resourcing.testing import make_resource, skill
from pmo.resourcing.tests.permission_resources_training import course_form

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 3, 2)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def course(world, name="Python for analysts", provider="Acme Learning", skills=None, **fields):
    levels = skills if skills is not None else {"Python": 3}
    return services.create_course(
        actor=world.admin,
        name=name,
        provider=provider,
        skills=[(skill(world.admin, skill_name), level) for skill_name, level in levels.items()],
        **fields,
    )


def new_course_data(**overrides) -> dict:
    data = {
        "name": "Data engineering",
        "provider": "Acme Learning",
        "cost": "1500",
        "duration_days": "2.5",
        "description": "",
        "skills-TOTAL_FORMS": "3",
        "skills-INITIAL_FORMS": "0",
        "skills-0-skill": "",
        "skills-0-level": "",
        "skills-1-skill": "",
        "skills-1-level": "",
        "skills-2-skill": "",
        "skills-2-level": "",
    }
    data.update(overrides)
    return data


# --- the register ---------------------------------------------------------------------------


def test_the_register_lists_courses_with_skills_and_people_counts(world):
    python = course(world, skills={"Python": 3, "SQL": 2}, cost=Decimal("1250.50"), duration_days=Decimal("1.5"))
    ada = make_resource(world.admin, "Ada Lovelace")
    record = services.plan_training(actor=world.admin, resource=ada, course=python, start=MONDAY)
    services.complete_training(actor=world.admin, record=record, completed_on=MONDAY)

    response = signed_in(world.permitted).get(reverse("resourcing:course_list"))

    assert response.status_code == 200
    [row] = response.context["object_list"]
    assert (row.people_planned, row.people_trained) == (0, 1)
    page = response.content.decode()
    assert 'Python <span class="muted">(3)</span>, SQL <span class="muted">(2)</span>' in page
    assert "1,250.50" in page and ">1.5<" in page
    # A portfolio manager reads the register but does not add to it.
    assert reverse("resourcing:course_create") not in page


def test_the_register_filters_by_skill_provider_and_search(world):
    python = course(world, skills={"Python": 3})
    sql = course(world, name="SQL foundations", provider="Data School", skills={"SQL": 2})
    pandas = course(world, name="Wrangling data", provider="Acme Learning", skills={"Pandas": 4})
    client = signed_in(world.org_head)
    url = reverse("resourcing:course_list")

    def listed(**query):
        return {row.pk for row in client.get(url, query).context["object_list"]}

    assert listed(skill=skill(world.admin, "SQL").pk) == {sql.pk}
    assert listed(provider="acme") == {python.pk, pandas.pk}
    assert listed(q="pandas") == {pandas.pk}
    assert listed(skill=skill(world.admin, "Python").pk, level=4) == set()
    assert listed(skill=skill(world.admin, "Pandas").pk, level=4) == {pandas.pk}
    assert listed(sort="-provider") == {python.pk, sql.pk, pandas.pk}
    services.archive_course(actor=world.admin, course=sql)
    assert listed(is_archived="false") == {python.pk, pandas.pk}
    assert listed(is_archived="true") == {sql.pk}
    page = client.get(url, {"is_archived": "true"}).content.decode()
    assert '<option value="true" selected>Archived only</option>' in page


def test_empty_register_says_what_to_do(world):
    client = signed_in(world.org_head)
    page = client.get(reverse("resourcing:course_list")).content.decode()
    assert "The training register has no courses yet." in page and "Add the first approved course" in page
    course(world)
    page = client.get(reverse("resourcing:course_list"), {"q": "cobol"}).content.decode()
    assert "No course matches these filters." in page


def test_the_register_costs_the_same_queries_for_few_and_many_courses(world):
    client = signed_in(world.org_head)
    url = reverse("resourcing:course_list")
    people = [make_resource(world.admin, f"Person {n}") for n in range(3)]

    def add_courses(first: int, count: int):
        for n in range(first, first + count):
            created = course(world, name=f"Course {n:02}", skills={"Python": 3, f"Skill {n}": 2})
            for person in people:
                services.plan_training(actor=world.admin, resource=person, course=created, start=MONDAY)

    add_courses(0, 2)
    with CaptureQueriesContext(connection) as few:
        assert len(client.get(url).context["object_list"]) == 2
    add_courses(2, 10)
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(url).context["object_list"]) == 12
    assert len(many) == len(few)


def test_numbers_the_database_cannot_hold_do_not_break_the_lists(world):
    client = signed_in(world.org_head)
    for path in (
        "/training/courses/?skill=99999999999999999999999&level=9",
        "/training/records/?resource=99999999999999999999999&course=1e400&start_from=soon",
    ):
        assert client.get(path).status_code == 200


# --- a course's page ------------------------------------------------------------------------


def test_the_course_page_shows_skills_people_and_why_places_were_cancelled(world):
    python = course(world, skills={"Python": 3})
    ada, grace, alan = (make_resource(world.admin, name) for name in ("Ada Lovelace", "Grace Hopper", "Alan Turing"))
    services.plan_training(actor=world.admin, resource=ada, course=python, start=MONDAY)
    done = services.plan_training(actor=world.admin, resource=grace, course=python, start=MONDAY)
    services.complete_training(actor=world.admin, record=done, completed_on=date(2026, 3, 3))
    dropped = services.plan_training(actor=world.admin, resource=alan, course=python, start=MONDAY)
    services.cancel_training(actor=world.admin, record=dropped, reason="Moved to the warehouse project")

    response = signed_in(world.org_head).get(reverse("resourcing:course_detail", args=[python.pk]))

    assert response.status_code == 200
    assert [r.resource.name for r in response.context["planned"]] == ["Ada Lovelace"]
    assert [r.resource.name for r in response.context["completed"]] == ["Grace Hopper"]
    page = response.content.decode()
    assert "3 Competent" in page and "Moved to the warehouse project" in page
    assert reverse("resourcing:training_complete", args=[done.pk - 1]) in page
    assert reverse("resourcing:training_plan", args=[python.pk]) in page
    history = signed_in(world.org_head).get(reverse("resourcing:course_history", args=[python.pk]))
    assert "trainingcourse.skills_set" in history.content.decode()


def test_readers_see_no_actions_on_the_course_page(world):
    python = course(world)
    ada = make_resource(world.admin, "Ada Lovelace")
    record = services.plan_training(actor=world.admin, resource=ada, course=python, start=MONDAY)
    page = signed_in(world.permitted).get(reverse("resourcing:course_detail", args=[python.pk])).content.decode()
    assert reverse("resourcing:training_complete", args=[record.pk]) not in page
    assert reverse("resourcing:training_plan", args=[python.pk]) not in page
    assert reverse("resourcing:course_edit", args=[python.pk]) not in page


# --- the course form ------------------------------------------------------------------------


def test_a_course_is_created_with_its_skills_from_the_form(world):
    python, sql = skill(world.admin, "Python"), skill(world.admin, "SQL")
    data = new_course_data(
        **{"skills-0-skill": python.pk, "skills-0-level": "4", "skills-1-skill": sql.pk, "skills-1-level": "2"}
    )
    response = signed_in(world.org_head).post(reverse("resourcing:course_create"), data)
    created = TrainingCourse.objects.get()
    assert response.status_code == 302 and response["Location"] == created.get_absolute_url()
    assert dict(created.taught.values_list("skill__name", "level")) == {"Python": 4, "SQL": 2}
    assert created.duration_days == Decimal("2.5")


def test_a_skill_twice_on_the_form_is_refused_beside_the_skills_and_the_input_kept(world):
    python = skill(world.admin, "Python")
    data = new_course_data(
        **{"skills-0-skill": python.pk, "skills-0-level": "4", "skills-1-skill": python.pk, "skills-1-level": "2"}
    )
    response = signed_in(world.org_head).post(reverse("resourcing:course_create"), data)
    assert response.status_code == 200
    assert response.context["skill_errors"] == [
        "Python is listed twice; list each skill once, with the level the course reaches."
    ]
    page = response.content.decode()
    assert "Python is listed twice" in page and 'value="Data engineering"' in page
    assert not TrainingCourse.objects.exists()


def test_a_skill_without_a_level_and_a_bad_duration_are_named(world):
    python = skill(world.admin, "Python")
    data = new_course_data(duration_days="0", **{"skills-0-skill": python.pk})
    response = signed_in(world.org_head).post(reverse("resourcing:course_create"), data)
    assert response.status_code == 200
    assert response.context["form"].errors["duration_days"]
    assert response.context["form"].skills.forms[0].errors["level"] == ["Give the level the course reaches in Python."]
    assert not TrainingCourse.objects.exists()


def test_the_same_course_twice_is_refused_on_the_name(world):
    course(world, name="Data engineering", skills={})
    response = signed_in(world.org_head).post(
        reverse("resourcing:course_create"), new_course_data(name="data engineering")
    )
    assert response.status_code == 200
    assert "already has 'data engineering' from 'Acme Learning'" in " ".join(response.context["form"].errors["name"])


def test_only_a_role_across_the_organisation_opens_the_course_form(world):
    response = signed_in(world.permitted).get(reverse("resourcing:course_create"))
    assert response.status_code == 403
    response = signed_in(world.permitted).post(reverse("resourcing:course_create"), new_course_data())
    assert response.status_code == 403
    assert not TrainingCourse.objects.exists()


def test_editing_changes_a_skill_level_and_removes_a_cleared_row(world):
    python = course(world, skills={"Python": 2, "SQL": 2})
    data = course_form(python, cost="900")
    # Rows are in skill order: Python, then SQL.
    data.update({"skills-0-level": "4", "skills-1-skill": "", "skills-1-level": ""})
    response = signed_in(world.org_head).post(reverse("resourcing:course_edit", args=[python.pk]), data)
    assert response.status_code == 302
    python.refresh_from_db()
    assert python.cost == Decimal("900")
    assert dict(python.taught.values_list("skill__name", "level")) == {"Python": 4}


def test_archiving_a_course_from_its_page(world):
    python = course(world)
    client = signed_in(world.org_head)
    assert client.get(reverse("resourcing:course_archive", args=[python.pk])).status_code == 200
    response = client.post(reverse("resourcing:course_archive", args=[python.pk]), {"reason": "Provider closed"})
    assert response.status_code == 302
    python.refresh_from_db()
    assert python.is_archived
    assert AuditEvent.objects.for_object(python).first().reason == "Provider closed"
    page = client.get(reverse("resourcing:course_detail", args=[python.pk])).content.decode()
    assert "This course is archived" in page and reverse("resourcing:training_plan", args=[python.pk]) not in page


# --- places ---------------------------------------------------------------------------------


def test_planning_from_a_persons_page_books_the_days_and_returns_there(world):
    python = course(world, duration_days=Decimal("2"))
    ada = make_resource(world.admin, "Ada Lovelace")
    client = signed_in(world.org_head)
    url = reverse("resourcing:training_plan", args=[python.pk]) + f"?resource={ada.pk}&next=/training/records/"
    form = client.get(url).context["form"]
    assert form["resource"].value() == str(ada.pk) and "course" not in form.fields
    response = client.post(url, {"resource": ada.pk, "start": "2026-03-05", "book_absence": "on", "note": "Budget ok"})
    assert response.status_code == 302 and response["Location"] == "/training/records/"
    record = TrainingRecord.objects.get()
    assert (record.resource, record.start, record.note) == (ada, date(2026, 3, 5), "Budget ok")
    assert list(Absence.objects.values_list("start", "end")) == [(date(2026, 3, 5), date(2026, 3, 6))]


def test_planning_ignores_a_next_address_on_another_site(world):
    python = course(world)
    ada = make_resource(world.admin, "Ada Lovelace")
    url = reverse("resourcing:training_plan", args=[python.pk]) + "?next=https://elsewhere.example/"
    assert signed_in(world.org_head).get(url).context["cancel_url"] == python.get_absolute_url()
    unsafe = reverse("resourcing:training_record_create") + "?next=javascript:alert(1)"
    assert signed_in(world.org_head).get(unsafe).context["cancel_url"] == reverse("resourcing:training_records")
    response = signed_in(world.org_head).post(url, {"resource": ada.pk, "start": "2026-03-05"})
    assert response.status_code == 302 and response["Location"] == python.get_absolute_url()


def test_planning_a_refused_place_keeps_the_input_and_names_the_problem(world):
    python = course(world)
    ada = make_resource(world.admin, "Ada Lovelace")
    services.plan_training(actor=world.admin, resource=ada, course=python, start=MONDAY)
    url = reverse("resourcing:training_plan", args=[python.pk])
    response = signed_in(world.org_head).post(url, {"resource": ada.pk, "start": "2026-04-06", "note": "Second go"})
    assert response.status_code == 200
    assert "Ada Lovelace is already planned on" in " ".join(response.context["form"].errors["resource"])
    assert response.context["form"]["note"].value() == "Second go"
    assert TrainingRecord.objects.count() == 1


def test_planning_on_any_course_from_the_records_page(world):
    python = course(world)
    ada = make_resource(world.admin, "Ada Lovelace")
    client = signed_in(world.org_head)
    url = reverse("resourcing:training_record_create") + f"?resource={ada.pk}&course={python.pk}"
    form = client.get(url).context["form"]
    assert (form["course"].value(), form["resource"].value()) == (str(python.pk), str(ada.pk))
    response = client.post(url, {"course": python.pk, "resource": ada.pk, "start": "2026-03-02"})
    assert response.status_code == 302 and response["Location"] == python.get_absolute_url()
    assert TrainingRecord.objects.get().course == python


def test_planning_needs_a_role_across_the_organisation(world):
    python = course(world)
    assert signed_in(world.permitted).get(reverse("resourcing:training_plan", args=[python.pk])).status_code == 403
    assert signed_in(world.nobody).get(reverse("resourcing:training_plan", args=[python.pk])).status_code == 404
    assert signed_in(world.permitted).get(reverse("resourcing:training_record_create")).status_code == 403


def test_completing_shows_the_skills_that_rise_and_refuses_a_date_before_the_start(world):
    python = course(world, skills={"Python": 3, "SQL": 2})
    ada = make_resource(world.admin, "Ada Lovelace", skills={"SQL": 4})
    record = services.plan_training(actor=world.admin, resource=ada, course=python, start=MONDAY)
    client = signed_in(world.org_head)
    url = reverse("resourcing:training_complete", args=[record.pk])
    page = client.get(url).content.decode()
    assert "Skills after completion" in page and "not held" in page and "(kept)" in page

    refused = client.post(url, {"completed_on": "2026-03-01", "reason": "Certificate received"})
    assert refused.status_code == 200
    assert "before the start on 2026-03-02" in " ".join(refused.context["form"].errors["completed_on"])
    assert refused.context["form"]["reason"].value() == "Certificate received"

    done = client.post(url, {"completed_on": "2026-03-03", "reason": "Certificate received"})
    assert done.status_code == 302 and done["Location"] == python.get_absolute_url()
    assert dict(ResourceSkill.objects.filter(resource=ada).values_list("skill__name", "level")) == {
        "Python": 3,
        "SQL": 4,
    }


def test_cancelling_needs_a_reason(world):
    python = course(world)
    ada = make_resource(world.admin, "Ada Lovelace")
    record = services.plan_training(actor=world.admin, resource=ada, course=python, start=MONDAY)
    client = signed_in(world.org_head)
    url = reverse("resourcing:training_cancel", args=[record.pk])
    assert client.post(url, {"reason": ""}).context["form"].errors["reason"]
    assert client.post(url, {"reason": "Budget frozen"}).status_code == 302
    record.refresh_from_db()
    assert record.status == "cancelled"
    page = client.get(url).content.decode()
    assert "only planned training can be changed, completed or cancelled" in page
    assert "Cancel the training</button>" not in page


def test_changing_places_needs_a_role_across_the_organisation(world):
    python = course(world)
    ada = make_resource(world.admin, "Ada Lovelace")
    record = services.plan_training(actor=world.admin, resource=ada, course=python, start=MONDAY)
    analyst = make_login("pmo.analyst", Role.PMO_ANALYST)
    for name in ("training_complete", "training_cancel", "training_record_edit"):
        url = reverse(f"resourcing:{name}", args=[record.pk])
        assert signed_in(analyst).post(url, {"reason": "x", "completed_on": "2026-03-03"}).status_code == 403
        assert signed_in(world.nobody).get(url).status_code == 404
        assert Client().get(url).status_code == 302
    record.refresh_from_db()
    assert record.status == "planned"


# --- training records -----------------------------------------------------------------------


def test_the_records_list_filters_and_offers_actions_to_deciders_only(world):
    python, sql = course(world), course(world, name="SQL", skills={"SQL": 2})
    ada, grace = make_resource(world.admin, "Ada Lovelace"), make_resource(world.admin, "Grace Hopper")
    planned = services.plan_training(actor=world.admin, resource=ada, course=python, start=MONDAY)
    done = services.plan_training(actor=world.admin, resource=grace, course=sql, start=date(2026, 4, 6))
    services.complete_training(actor=world.admin, record=done, completed_on=date(2026, 4, 7))
    url = reverse("resourcing:training_records")
    client = signed_in(world.org_head)

    def listed(**query):
        return [row.pk for row in client.get(url, query).context["object_list"]]

    assert listed() == [done.pk, planned.pk]
    assert listed(status="planned") == [planned.pk]
    assert listed(resource=grace.pk) == [done.pk]
    assert listed(course=python.pk) == [planned.pk]
    assert listed(q="sql") == [done.pk]
    assert listed(start_from="2026-04-01") == [done.pk]
    assert reverse("resourcing:training_complete", args=[planned.pk]) in client.get(url).content.decode()
    reader_page = signed_in(world.permitted).get(url).content.decode()
    assert "Ada Lovelace" in reader_page
    assert reverse("resourcing:training_complete", args=[planned.pk]) not in reader_page
    empty = client.get(url, {"status": "cancelled"}).content.decode()
    assert "No training record matches these filters." in empty


def test_the_records_list_costs_the_same_queries_for_few_and_many(world):
    client = signed_in(world.org_head)
    url = reverse("resourcing:training_records")

    def add(first: int, count: int):
        for n in range(first, first + count):
            person = make_resource(world.admin, f"Person {n:02}")
            created = course(world, name=f"Course {n:02}")
            record = services.plan_training(actor=world.admin, resource=person, course=created, start=MONDAY)
            if n % 2:
                services.cancel_training(actor=world.admin, record=record, reason=f"Reason {n}")

    add(0, 2)
    with CaptureQueriesContext(connection) as few:
        assert len(client.get(url).context["object_list"]) == 2
    add(2, 10)
    with CaptureQueriesContext(connection) as many:
        page = client.get(url)
    assert len(page.context["object_list"]) == 12
    assert "Cancelled: Reason 11" in page.content.decode()
    assert len(many) == len(few)


def test_the_training_panel_of_a_persons_page(world):
    python = course(world, skills={"Python": 3})
    ada = make_resource(world.admin, "Ada Lovelace")
    services.plan_training(actor=world.admin, resource=ada, course=python, start=MONDAY)
    request = RequestFactory().get("/resources/1/")
    html = render_to_string(
        "resourcing/training_panel.html",
        {
            "resource": ada,
            "training": selectors.training_for(world.org_head, ada),
            "can_plan_training": True,
            "request": request,
        },
    )
    assert "Python for analysts" in html and "Python (3)" in html and "2026-03-02" in html
    assert f"{reverse('resourcing:training_record_create')}?resource={ada.pk}" in html
    empty = render_to_string("resourcing/training_panel.html", {"resource": ada, "training": [], "request": request})
    assert "No training planned or completed." in empty and "Plan training" not in empty
