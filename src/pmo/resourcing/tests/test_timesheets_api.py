"""The timesheet API: the week of a resource, its lines, submission, the approvers' decisions and
reopening; refusals as 400 (naming line and day), 403 and 404; filters; lists in a fixed number
of queries; and the schema documenting it all."""

import json
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from pmo.core.choices import Role, ScopeType
from pmo.core.models import AuditEvent
from pmo.core.testing.logins import make_login
from pmo.portfolio import services as portfolio_services
from pmo.resourcing.choices import TimesheetStatus
from pmo.resourcing.models import Timesheet, TimesheetApproval
from pmo.resourcing.services import timesheets as services
from pmo.resourcing.tests.timesheet_builders import MONDAY, filled_week, hours, make_crew, submitted_week

pytestmark = pytest.mark.django_db

TIMESHEETS = reverse("api:timesheet-list")
APPROVALS = reverse("api:timesheet-approval-list")


@pytest.fixture
def crew(world):
    return make_crew(world)


def api(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def route(name: str, pk: int) -> str:
    return reverse(f"api:{name}", args=[pk])


def test_the_week_of_a_resource_is_made_once(crew):
    client = api(crew.member)
    made = client.post(TIMESHEETS, {"resource": crew.resource.pk, "week_start": "2026-03-04"}, format="json")
    assert made.status_code == 201, made.content
    assert made.data["week_start"] == "2026-03-02" and made.data["status"] == "draft"
    assert made["Location"].endswith(route("timesheet-detail", made.data["id"]))
    again = client.post(TIMESHEETS, {"resource": crew.resource.pk, "week_start": "2026-03-08"}, format="json")
    assert again.status_code == 200 and again.data["id"] == made.data["id"]


def test_lines_are_replaced_and_refused_by_line_and_day(world, crew):
    client = api(crew.member)
    timesheet = services.week_for(actor=crew.member, resource=crew.resource, week_start=MONDAY)
    url = route("timesheet-lines", timesheet.pk)
    body = {
        "lines": [
            {"activity": crew.build.pk, "hours": [8, 8, 7.5, 0, 0, 0, 0], "is_billable": True, "note": "API"},
            {"category": "admin", "hours": ["0.5", 0, 0, 0, 0, 0, 0]},
        ]
    }
    saved = client.put(url, body, format="json")
    assert saved.status_code == 200, saved.content
    assert saved.data["total_hours"] == "24.00"
    assert [line["label"] for line in saved.data["lines"]] == ["HERE-1 · Build API", "Administration"]
    assert saved.data["lines"][0]["project"] == world.project.pk

    events = AuditEvent.objects.count()
    refused = client.put(url, {"lines": [{"activity": crew.build.pk, "hours": [8, 8, 25, 0, 0, 0, 0]}]}, format="json")
    assert refused.status_code == 400
    assert refused.data["errors"]["lines"] == ["Line 1 (HERE-1 · Build API), Wednesday: 25 is more than 24 hours."]
    short = client.put(url, {"lines": [{"activity": crew.build.pk, "hours": [8, 8]}]}, format="json")
    assert short.status_code == 400 and "hours" in short.data["errors"]["lines"][0]
    assert Timesheet.objects.get().total_hours == Decimal("24.00")
    assert AuditEvent.objects.count() == events


def test_ids_of_projects_the_user_cannot_see_are_refused_as_unknown(world, crew):
    hidden = portfolio_services.create_project(
        actor=world.admin, portfolio=world.other_portfolio, code="ELSE-2", name="Hidden"
    )
    timesheet = services.week_for(actor=crew.member, resource=crew.resource, week_start=MONDAY)
    response = api(crew.member).put(
        route("timesheet-lines", timesheet.pk), {"lines": [{"project": hidden.pk, "hours": hours(1)}]}, format="json"
    )
    assert response.status_code == 400
    assert "ELSE-2" not in str(response.data)
    assert "Invalid pk" in str(response.data["errors"]["lines"])


def test_submit_approve_reject_and_reopen(world, crew):
    timesheet = filled_week(
        crew, [{"activity": crew.build, "hours": hours(8, 8)}, {"activity": crew.robots, "hours": hours(0, 0, 4)}]
    )
    member = api(crew.member)
    submitted = member.post(route("timesheet-submit", timesheet.pk), {}, format="json")
    assert submitted.status_code == 200 and submitted.data["status"] == "submitted"
    assert len(submitted.data["approvals"]) == 2
    assert member.put(route("timesheet-lines", timesheet.pk), {"lines": []}, format="json").status_code == 400

    manager = api(crew.manager)
    waiting = manager.get(APPROVALS, {"is_waiting_for_me": "true"})
    assert [row["project"] for row in waiting.data["results"]] == [world.project.pk]
    part = waiting.data["results"][0]
    assert (part["resource_name"], part["total_hours"], part["billable_hours"]) == ("Member.Here", "16.00", "16.00")
    assert [line["label"] for line in part["lines"]] == ["HERE-1 · Build API"]

    no_comment = manager.post(route("timesheet-approval-reject", part["id"]), {}, format="json")
    assert no_comment.status_code == 400 and "comment" in no_comment.data["errors"]
    approved = manager.post(route("timesheet-approval-approve", part["id"]), {"comment": "OK"}, format="json")
    assert approved.status_code == 200 and approved.data["status"] == "approved"
    # The PM of another project does not even see this part; its own is another matter.
    elsewhere = api(world.elsewhere_user)
    assert elsewhere.post(route("timesheet-approval-approve", part["id"]), {}, format="json").status_code == 404
    robots = TimesheetApproval.objects.get(project=world.other_project)
    decided = elsewhere.post(route("timesheet-approval-approve", robots.pk), {}, format="json")
    assert decided.status_code == 200 and decided.data["timesheet_status"] == "approved"

    assert member.get(route("timesheet-detail", timesheet.pk)).data["is_editable"] is False
    assert manager.post(route("timesheet-reopen", timesheet.pk), {"reason": "x"}, format="json").status_code == 403
    assert api(world.org_head).post(route("timesheet-reopen", timesheet.pk), {}, format="json").status_code == 400
    reopened = api(world.org_head).post(route("timesheet-reopen", timesheet.pk), {"reason": "Typo"}, format="json")
    assert reopened.status_code == 200 and reopened.data["status"] == "draft"


def test_the_owner_cannot_approve_and_others_cannot_see(world, crew):
    timesheet = submitted_week(crew, [{"activity": crew.build, "hours": hours(8)}])
    part = timesheet.approvals.get()
    member = api(crew.member)
    # The owner sees the part of their own week, but never decides it.
    assert member.get(route("timesheet-approval-detail", part.pk)).status_code == 200
    assert member.post(route("timesheet-approval-approve", part.pk), {}, format="json").status_code == 403
    teammate = api(make_login("team.mate", Role.TEAM_MEMBER, ScopeType.PROJECT, world.project.pk))
    assert teammate.get(route("timesheet-detail", timesheet.pk)).status_code == 404
    assert teammate.get(route("timesheet-approval-detail", part.pk)).status_code == 404
    assert teammate.get(TIMESHEETS).data["count"] == 0
    assert teammate.put(route("timesheet-lines", timesheet.pk), {"lines": []}, format="json").status_code == 404
    assert teammate.post(TIMESHEETS, {"resource": crew.resource.pk, "week_start": "2026-03-09"}).status_code == 403
    assert APIClient().get(TIMESHEETS).status_code in (401, 403)
    assert TimesheetApproval.objects.get().status == "pending"


def test_filters(world, crew):
    first = submitted_week(crew, [{"activity": crew.build, "hours": hours(8)}])
    filled_week(crew, [{"activity": crew.build, "hours": hours(4)}], week_start=MONDAY + timedelta(7))
    client = api(crew.member)

    def ids(**query):
        response = client.get(TIMESHEETS, query)
        assert response.status_code == 200, response.content
        return [row["id"] for row in response.data["results"]]

    assert ids(week="2026-03-05") == [first.pk]
    assert ids(status="submitted") == [first.pk]
    assert len(ids(resource=crew.resource.pk)) == 2
    assert client.get(TIMESHEETS, {"week": "not-a-date"}).status_code == 400
    assert client.get(TIMESHEETS, {"resource": 10**30}).status_code == 400
    manager = api(crew.manager)
    assert manager.get(APPROVALS, {"project": world.project.pk, "status": "pending"}).data["count"] == 1
    assert manager.get(APPROVALS, {"project": world.other_project.pk}).data["count"] == 0


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_lists_cost_the_same_queries_for_any_number_of_rows(world, crew):
    submitted_week(crew, [{"activity": crew.build, "hours": hours(8)}])
    org_head = api(world.org_head)
    few = (_count(org_head, TIMESHEETS), _count(org_head, APPROVALS))
    for week in range(1, 6):
        timesheet = submitted_week(
            crew,
            [
                {"activity": crew.build, "hours": hours(8)},
                {"activity": crew.robots, "hours": hours(0, 4)},
                {"category": "leave", "hours": hours(0, 0, 8)},
            ],
            week_start=MONDAY + timedelta(weeks=week),
        )
        services.decide(actor=crew.manager, approval=timesheet.approvals.get(project=world.project), approve=True)
    assert org_head.get(APPROVALS).data["count"] == 11
    assert (_count(org_head, TIMESHEETS), _count(org_head, APPROVALS)) == few


def test_the_schema_documents_timesheets_without_a_warning_of_its_own():
    GENERATOR_STATS.reset()
    schema = SchemaGenerator().get_schema(request=None, public=True)
    warnings = [*GENERATOR_STATS._warn_cache, *GENERATOR_STATS._error_cache]
    components = schema["components"]["schemas"]
    # Any warning left (an enum of another area renamed) must not touch a timesheet component.
    renamed = {name for warning in warnings for name in re.findall(r'resolved with "(\w+)"', warning)}
    for name, component in components.items():
        if name.startswith("Timesheet"):
            assert not any(f"/{enum}" in json.dumps(component) for enum in renamed), name
    assert components["TimesheetStatusEnum"]["enum"] == TimesheetStatus.values
    assert components["TimesheetApprovalStatusEnum"]["enum"] == ["pending", "approved", "rejected"]
    paths = schema["paths"]
    for path in (
        "/api/v1/timesheets/",
        "/api/v1/timesheets/{id}/",
        "/api/v1/timesheets/{id}/lines/",
        "/api/v1/timesheets/{id}/submit/",
        "/api/v1/timesheets/{id}/reopen/",
        "/api/v1/timesheet-approvals/",
        "/api/v1/timesheet-approvals/{id}/approve/",
        "/api/v1/timesheet-approvals/{id}/reject/",
    ):
        assert path in paths
    lines = paths["/api/v1/timesheets/{id}/lines/"]["put"]
    assert {"400", "403", "404"} <= set(lines["responses"])
