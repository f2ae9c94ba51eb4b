"""Plan pages and the planning API as a user meets them: the Gantt data in a constant number of
queries, the schedule panel of the project page, rescheduling and baselines from the page, and
the API's reschedule action and refusals."""

import itertools
from datetime import date, datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from pmo.core.choices import Role, ScopeType
from pmo.core.models import AuditEvent
from pmo.core.testing.logins import make_login
from pmo.planning import services
from pmo.planning.models import Activity, Baseline, Calendar, Link

DAY = 480


def at(year, month, day, hour=8) -> datetime:
    return timezone.make_aware(datetime(year, month, day, hour))


def _client(user, api=False):
    client = APIClient() if api else Client()
    client.force_login(user)
    return client


def _chain(world, count: int, start: int = 0) -> list[Activity]:
    services.update_plan(actor=world.admin, project=world.project, changes={"start": at(2026, 3, 2)})
    activities = [
        services.create_activity(actor=world.admin, project=world.project, name=f"Task {n}", duration_minutes=DAY)
        for n in range(start, start + count)
    ]
    for before, after in itertools.pairwise(activities):
        services.create_link(actor=world.admin, predecessor=before, successor=after)
    return activities


def test_gantt_data_costs_the_same_queries_for_any_size(world):
    client = _client(world.permitted)
    url = reverse("planning:gantt_data") + f"?project={world.project.pk}"
    _chain(world, 3)
    services.reschedule(actor=world.admin, projects=[world.project])
    services.set_baseline(actor=world.admin, project=world.project)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _chain(world, 40, start=3)
    services.reschedule(actor=world.admin, projects=[world.project])
    services.set_baseline(actor=world.admin, project=world.project)
    with CaptureQueriesContext(connection) as many:
        data = client.get(url).json()
    assert len(many) == len(few)
    assert len(data["activities"]) == 43 and len(data["links"]) == 41
    last = data["activities"][-1]
    assert last["finish"] == "2026-04-24T17:00" and last["baseline_finish"] == "2026-04-24T17:00"
    assert last["is_critical"] and last["can_edit"]


def test_gantt_data_refuses_what_the_user_cannot_see(world):
    client = _client(world.elsewhere_user)
    assert client.get(reverse("planning:gantt_data") + f"?project={world.project.pk}").status_code == 404
    assert client.get(reverse("planning:gantt_data")).status_code == 400
    assert client.get(reverse("planning:project_gantt", args=[world.project.pk])).status_code == 404


def test_reschedule_and_baseline_from_the_page(world):
    _chain(world, 3)
    client = _client(world.permitted)
    response = client.post(
        reverse("planning:project_reschedule", args=[world.project.pk]), {"status_date": "2026-03-01"}
    )
    assert response.status_code == 302
    assert Activity.objects.get(name="Task 2").finish == at(2026, 3, 4, 17)
    assert (
        client.post(
            reverse("planning:baseline_set", args=[world.project.pk]), {"number": "0", "name": "Approved"}
        ).status_code
        == 302
    )
    assert Baseline.objects.get(project=world.project).name == "Approved"
    panel = client.get(reverse("planning:project_summary", args=[world.project.pk])).content.decode()
    assert "2026-03-04" in panel and "Approved" in panel


def test_bad_status_date_is_reported_not_a_500(world):
    _chain(world, 2)
    client = _client(world.permitted)
    response = client.post(
        reverse("planning:project_reschedule", args=[world.project.pk]), {"status_date": "31/02/2026"}, follow=True
    )
    assert response.status_code == 200
    assert "Status date" in response.content.decode()


def test_a_team_member_cannot_reschedule(world):
    member = make_login("team.one", Role.TEAM_MEMBER, ScopeType.PROJECT, world.project.pk)
    _chain(world, 2)
    response = _client(member).post(reverse("planning:project_reschedule", args=[world.project.pk]), {})
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action="project.rescheduled").exists()


def test_api_reschedule_returns_the_plans(world):
    _chain(world, 4)
    response = _client(world.permitted, api=True).post(
        reverse("api:plan-reschedule"), {"projects": [world.project.pk], "status_date": "2026-03-01"}, format="json"
    )
    assert response.status_code == 200, response.content
    [plan] = response.json()["plans"]
    assert plan["early_finish"].startswith("2026-03-05T17:00")
    assert plan["status_date"] == "2026-03-01"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "non_field_errors"),
        ({"projects": [999999]}, "projects"),
        ({"projects": [1], "status_date": "soon"}, "status_date"),
    ],
)
def test_api_reschedule_refuses_bad_input(world, body, field):
    response = _client(world.permitted, api=True).post(reverse("api:plan-reschedule"), body, format="json")
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_api_link_loop_is_refused_naming_the_activities(world):
    first, _, third = _chain(world, 3)
    response = _client(world.permitted, api=True).post(
        reverse("api:link-list"), {"predecessor": third.pk, "successor": first.pk, "link_type": "FS"}, format="json"
    )
    assert response.status_code == 400
    assert "Task 0 → Task 1 → Task 2 → Task 0" in response.json()["detail"]
    assert Link.objects.count() == 2


def test_api_progress_through_activity_patch(world):
    first, *_ = _chain(world, 2)
    client = _client(world.permitted, api=True)
    response = client.patch(
        reverse("api:activity-detail", args=[first.pk]),
        {"actual_start": "2026-03-02T08:00:00Z", "percent_complete": "50"},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert AuditEvent.objects.for_object(first).first().action == "activity.progress_recorded"
    response = client.patch(reverse("api:activity-detail", args=[first.pk]), {"percent_complete": "150"}, format="json")
    assert response.status_code == 400 and "percent_complete" in response.json()["errors"]


def test_add_an_activity_and_compare_with_a_baseline(world):
    _, second = _chain(world, 2)
    services.reschedule(actor=world.admin, projects=[world.project])
    services.set_baseline(actor=world.admin, project=world.project, number=1, name="Approved")
    client = _client(world.permitted)
    response = client.post(
        reverse("planning:activity_create", args=[world.project.pk]),
        {"name": "Security review", "duration_days": "2", "constraint_type": "ASAP", "cost": "0"},
    )
    assert response.status_code == 302 and response["Location"] == reverse(
        "planning:project_gantt", args=[world.project.pk]
    )
    services.update_activity(actor=world.admin, activity=second, changes={"duration_minutes": 3 * DAY})
    services.reschedule(actor=world.admin, projects=[world.project])
    page = client.get(reverse("planning:baseline_comparison", args=[world.project.pk]) + "?number=1")
    rows = {row["activity"].name: row for row in page.context["rows"]}
    assert rows["Task 1"]["finish_variance_days"] == 2.0
    assert rows["Security review"]["is_new"]
    assert page.context["late_count"] == 1


def test_activity_form_refuses_a_bad_duration(world):
    response = _client(world.permitted).post(
        reverse("planning:activity_create", args=[world.project.pk]),
        {"name": "Oops", "duration_days": "-1", "constraint_type": "ASAP", "cost": "0"},
    )
    assert response.status_code == 200 and "duration_days" in response.context["form"].errors
    assert not Activity.objects.filter(name="Oops").exists()


def test_calendars_typed_as_people_think_of_them(world):
    client = _client(world.org_head)
    response = client.post(
        reverse("planning:calendar_create"),
        {
            "name": "Four-day week",
            "working_weekdays": ["0", "1", "2", "3"],
            "working_hours": "08:30-12:30, 13:30-17:30",
            "exceptions": "2026-12-25 Christmas Day\n2026-12-27 working Stock-take",
        },
    )
    assert response.status_code == 302
    calendar = Calendar.objects.get(name="Four-day week")
    assert calendar.working_weekdays == [0, 1, 2, 3] and calendar.working_periods == [[510, 750], [810, 1050]]
    assert [(e.date.isoformat(), e.is_working, e.name) for e in calendar.exceptions.all()] == [
        ("2026-12-25", False, "Christmas Day"),
        ("2026-12-27", True, "Stock-take"),
    ]
    edit = client.get(reverse("planning:calendar_edit", args=[calendar.pk]))
    assert "08:30-12:30, 13:30-17:30" in edit.content.decode()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("working_hours", "8 to 12", "not a period like 08:00-12:00"),
        ("working_hours", "13:00-12:00", "Give working periods"),
        ("exceptions", "Christmas", "Line 1"),
        ("exceptions", "2026-02-31 Nonsense", "Line 1"),
    ],
)
def test_calendar_form_names_the_problem_and_saves_nothing(world, field, value, message):
    data = {"name": "Bad", "working_weekdays": ["0"], "working_hours": "08:00-12:00", "exceptions": ""}
    data[field] = value
    response = _client(world.org_head).post(reverse("planning:calendar_create"), data)
    assert response.status_code == 200
    assert message in str(response.context["form"].errors)
    assert not Calendar.objects.filter(name="Bad").exists()


def test_project_manager_cannot_make_organisation_calendars(world):
    response = _client(world.permitted).post(
        reverse("planning:calendar_create"), {"name": "Mine", "working_weekdays": ["0"], "working_hours": "08:00-12:00"}
    )
    assert response.status_code == 403
    response = _client(world.permitted).post(
        reverse("planning:calendar_create") + f"?project={world.project.pk}",
        {"name": "Project week", "working_weekdays": ["0", "1"], "working_hours": "08:00-12:00"},
    )
    assert response.status_code == 302 and Calendar.objects.get(name="Project week").project == world.project


@pytest.mark.parametrize("basename", ["activity", "link", "calendar", "baseline", "plan"])
def test_planning_list_endpoints_cost_the_same_queries_for_any_size(world, basename):
    client = _client(world.permitted, api=True)
    url = reverse(f"api:{basename}-list")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    _chain(world, 3)
    services.create_calendar(
        actor=world.admin, project=world.project, name="Week A", exceptions=[(date(2026, 12, 25), False, "")]
    )
    services.reschedule(actor=world.admin, projects=[world.project])
    services.set_baseline(actor=world.admin, project=world.project, number=0)
    few = queries()
    _chain(world, 30, start=3)
    services.create_calendar(
        actor=world.admin, project=world.project, name="Week B", exceptions=[(date(2026, 12, 26), False, "")]
    )
    services.reschedule(actor=world.admin, projects=[world.project])
    services.set_baseline(actor=world.admin, project=world.project, number=1)
    assert queries() == few
