"""Levelling as people and programs meet it: the pages and the API, with the background task run
at once (the immediate task backend) when the request's transaction commits."""

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from pmo.levelling import services
from pmo.levelling.choices import RunState
from pmo.levelling.models import LevellingRun
from pmo.levelling.tests.test_services import LEVEL_FROM, overloaded_plan
from pmo.planning.models import Activity

pytestmark = pytest.mark.django_db

IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = IMMEDIATE


def client(user, api=False):
    made = APIClient() if api else Client()
    made.force_login(user)
    return made


def test_the_level_page_offers_the_form_and_shows_the_load(world):
    overloaded_plan(world)
    page = client(world.permitted).get(reverse("levelling:level", args=["project", world.project.pk]))
    assert page.status_code == 200
    assert b'id="level-form"' in page.content
    panel = client(world.permitted).get(
        reverse("levelling:load", args=["project", world.project.pk]), {"from": LEVEL_FROM.isoformat()}
    )
    assert b'id="overloaded-people">1<' in panel.content
    assert b"Ada Lovelace" in panel.content and b"bar-over" in panel.content

    for scope, target in (("programme", world.programme), ("portfolio", world.portfolio)):
        assert client(world.permitted).get(reverse("levelling:level", args=[scope, target.pk])).status_code == 200
    assert client(world.permitted).get(reverse("levelling:level", args=["team", world.project.pk])).status_code == 404
    elsewhere = client(world.elsewhere_user).get(reverse("levelling:level", args=["project", world.project.pk]))
    assert elsewhere.status_code == 404


def test_a_bad_form_names_the_field_and_starts_nothing(world):
    overloaded_plan(world)
    response = client(world.permitted).post(
        reverse("levelling:level", args=["project", world.project.pk]),
        {"goal": "makespan", "time_limit_seconds": "0"},
    )
    assert response.status_code == 200
    assert "time_limit_seconds" in response.context["form"].errors
    assert not LevellingRun.objects.exists()


def test_level_compare_and_accept_through_the_pages(world, immediate_tasks, django_capture_on_commit_callbacks):
    overloaded_plan(world)
    with django_capture_on_commit_callbacks(execute=True):
        response = client(world.permitted).post(
            reverse("levelling:level", args=["project", world.project.pk]),
            {"level_from": "2027-02-01", "goal": "makespan", "keep_plan": "on", "time_limit_seconds": "10"},
        )
    run = LevellingRun.objects.get()
    assert response.status_code == 302 and response["Location"] == run.get_absolute_url()
    page = client(world.permitted).get(run.get_absolute_url())
    assert page.status_code == 200
    assert b"Proven optimal" in page.content
    assert b'id="overload-after">0.0<' in page.content
    assert page.content.count(b'class="after-overloaded-days">0<') == 1

    status = client(world.permitted).get(reverse("levelling:run_status", args=[run.pk]), HTTP_HX_REQUEST="true")
    assert status.status_code == 204 and status["HX-Refresh"] == "true"

    accepted = client(world.permitted).post(reverse("levelling:accept", args=[run.pk]), {"reason": "Sequence Ada"})
    assert accepted.status_code == 302
    assert LevellingRun.objects.get().state == RunState.ACCEPTED
    assert Activity.objects.filter(levelling_delay_minutes__gt=0).count() == 1
    again = client(world.permitted).post(reverse("levelling:accept", args=[run.pk]), follow=True)
    assert b"nothing to decide" in again.content


def test_the_api_starts_polls_reads_and_accepts(world, immediate_tasks, django_capture_on_commit_callbacks):
    overloaded_plan(world)
    api = client(world.permitted, api=True)
    refused = api.post(
        "/api/v1/levelling-runs/",
        {"scope": "galaxy", "target": world.project.pk, "time_limit_seconds": 0},
        format="json",
    )
    assert refused.status_code == 400
    assert set(refused.json()["errors"]) >= {"scope", "time_limit_seconds"}
    hidden = api.post("/api/v1/levelling-runs/", {"scope": "project", "target": world.other_project.pk}, format="json")
    assert hidden.status_code == 404
    assert not LevellingRun.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        started = api.post(
            "/api/v1/levelling-runs/",
            {"scope": "project", "target": world.project.pk, "level_from": "2027-02-01"},
            format="json",
        )
    assert started.status_code == 202
    run_id = started.json()["id"]
    polled = api.get(f"/api/v1/levelling-runs/{run_id}/").json()
    assert polled["state"] == "ready" and polled["solver_status"] == "optimal"
    scenario = api.get(f"/api/v1/levelling-runs/{run_id}/scenario/").json()
    assert len(scenario["moves"]) == 3
    assert sum(1 for move in scenario["moves"] if move["shift_hours"]) == 1
    assert max(max(row["after"]) for row in scenario["load"]["resources"]) == 100

    accepted = api.post(f"/api/v1/levelling-runs/{run_id}/accept/", {"reason": "fine"}, format="json")
    assert accepted.status_code == 200 and accepted.json()["state"] == "accepted"
    assert client(world.elsewhere_user, api=True).get(f"/api/v1/levelling-runs/{run_id}/").status_code == 404


def test_the_run_list_costs_the_same_for_any_number_of_runs(world, django_assert_max_num_queries):
    overloaded_plan(world)
    services.start_run(actor=world.permitted, scope="project", target=world.project)
    viewer = client(world.permitted)
    with django_assert_max_num_queries(12) as few:
        viewer.get(reverse("levelling:run_list"))
    for _ in range(5):
        services.start_run(actor=world.permitted, scope="programme", target=world.programme)
    with django_assert_max_num_queries(len(few.captured_queries)):
        viewer.get(reverse("levelling:run_list"))


def test_the_whole_organisation_through_the_api_and_the_pages(world):
    api = client(world.admin, api=True)
    refused = api.post("/api/v1/levelling-runs/", {"scope": "organisation", "target": 1}, format="json")
    assert refused.status_code == 400 and "target" in refused.json()["errors"]
    missing = api.post("/api/v1/levelling-runs/", {"scope": "project"}, format="json")
    assert missing.status_code == 400 and "target" in missing.json()["errors"]
    assert api.post("/api/v1/levelling-runs/", {"scope": "organisation"}, format="json").status_code == 202

    assert client(world.admin).get(reverse("levelling:level_organisation")).status_code == 200
    assert client(world.permitted).get(reverse("levelling:level_organisation")).status_code == 404
    listing = client(world.admin).get(reverse("levelling:run_list"))
    assert b"level the whole organisation" in listing.content
    assert b"level the whole organisation" not in client(world.permitted).get(reverse("levelling:run_list")).content
