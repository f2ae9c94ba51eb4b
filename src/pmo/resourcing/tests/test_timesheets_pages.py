"""Timesheet pages as people meet them: the weekly grid (input kept on every refusal), the
approvals queue (only the parts the user may decide), a week's page, reopening, and the
resources and actuals panel of the project page; each list in a fixed number of queries."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pmo.core.choices import Role, ScopeType
from pmo.core.testing.logins import make_login
from pmo.resourcing.choices import TimesheetStatus
from pmo.resourcing.models import Timesheet, TimesheetApproval
from pmo.resourcing.services import resources as resource_services
from pmo.resourcing.services import timesheets as services
from pmo.resourcing.testing import make_resource, scheduled_activity
from pmo.resourcing.tests.timesheet_builders import MONDAY, hours, make_crew, submitted_week

pytestmark = pytest.mark.django_db

WEEK_URL = reverse("resourcing:timesheet_week") + f"?week={MONDAY.isoformat()}"
QUEUE_URL = reverse("resourcing:timesheet_approvals")


@pytest.fixture
def crew(world):
    return make_crew(world)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def grid_post(rows: list[dict], action: str = "save", **more) -> dict:
    """The POST of the grid: each row a dict with target, cells (seven texts), billable, note."""
    data = {"action": action, **more}
    for index, row in enumerate(rows):
        data[f"row-{index}-target"] = row["target"]
        data[f"row-{index}-note"] = row.get("note", "")
        if row.get("billable"):
            data[f"row-{index}-billable"] = "on"
        for day, cell in enumerate(row.get("cells", [])):
            data[f"row-{index}-d{day}"] = cell
    return data


def approve_all(world, crew, timesheet):
    for approval in timesheet.approvals.all():
        approver = crew.manager if approval.project_id == world.project.pk else world.elsewhere_user
        services.decide(actor=approver, approval=approval, approve=True)


# --- the week --------------------------------------------------------------------------------


def test_the_grid_suggests_the_work_planned_that_week_without_storing_anything(crew):
    response = client_for(crew.member).get(WEEK_URL)
    assert response.status_code == 200
    labels = [row.label for row in response.context["grid"].rows]
    assert labels == ["ELSE-1 · Pick robots", "HERE-1 · Build API", "HERE-1 · Test"]
    assert response.context["can_edit"]
    content = response.content.decode()
    assert 'aria-label="Hours of HERE-1 · Build API on Wednesday"' in content
    assert "Not started." in content
    assert not Timesheet.objects.exists()


def test_a_week_is_saved_from_the_grid(world, crew):
    rows = [
        {"target": f"a:{crew.build.pk}", "cells": ["7,5", "8", "7:30", "", "", "", ""], "billable": True},
        {"target": "c:admin", "cells": ["0.5", "", "", "", "", "", ""], "note": "Team meeting"},
        {"target": f"a:{crew.test.pk}", "cells": [""] * 7},
    ]
    client = client_for(crew.member)
    response = client.post(WEEK_URL, grid_post(rows))
    assert response.status_code == 302
    timesheet = Timesheet.objects.get()
    assert timesheet.total_hours == Decimal("23.50")
    assert [(line.label, line.hours[:3], line.is_billable) for line in timesheet.lines.order_by("id")] == [
        ("HERE-1 · Build API", [7.5, 8.0, 7.5], True),
        ("Administration", [0.5, 0.0, 0.0], False),
    ]
    page = client.get(response["Location"])
    assert "Saved the week of 2026-03-02: 23.5 hours." in page.content.decode()
    assert [row.label for row in page.context["grid"].rows] == [
        "HERE-1 · Build API",
        "Administration",
        "ELSE-1 · Pick robots",
        "HERE-1 · Test",
    ]


def test_a_refused_week_shows_the_grid_again_with_what_was_typed(crew):
    client = client_for(crew.member)
    rows = [
        {"target": f"a:{crew.build.pk}", "cells": ["8", "8", "25", "", "", "", ""], "note": "Long day"},
        {"target": f"a:{crew.test.pk}", "cells": ["", "abc", "", "", "", "", ""]},
    ]
    response = client.post(WEEK_URL, grid_post(rows, action="submit"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "The week was not saved" in content
    assert "Not started." in content  # the week made for the save was undone with it
    assert "Line 1 (HERE-1 · Build API), Wednesday: 25 is more than 24 hours." in content
    assert "Line 2 (HERE-1 · Test), Tuesday: &#x27;abc&#x27; is not a number of hours" in content
    assert 'name="row-0-d2" value="25" data-day="2"' in content
    assert 'name="row-1-d1" value="abc"' in content
    assert 'value="Long day"' in content
    grid = response.context["grid"]
    assert grid.rows[0].invalid_days == {2} and grid.rows[1].invalid_days == {1}
    assert not Timesheet.objects.exists()


def test_a_day_over_24_hours_is_marked_on_its_total(crew):
    rows = [
        {"target": f"a:{crew.build.pk}", "cells": ["", "", "", "20", "", "", ""]},
        {"target": "c:leave", "cells": ["", "", "", "5", "", "", ""]},
    ]
    response = client_for(crew.member).post(WEEK_URL, grid_post(rows))
    assert "Thursday 2026-03-05: 25 hours in all is more than the 24 hours of a day." in response.content.decode()
    assert response.context["grid"].days[3]["problems"]
    assert not Timesheet.objects.exists()


def test_add_row_without_script_keeps_the_typed_hours_and_stores_nothing(crew):
    rows = [{"target": f"a:{crew.build.pk}", "cells": ["4", "", "", "", "", "", ""]}]
    response = client_for(crew.member).post(WEEK_URL, grid_post(rows, action="add", add_target="c:training"))
    assert response.status_code == 200
    grid_rows = response.context["grid"].rows
    assert [(row.label, row.cells[0]) for row in grid_rows] == [("HERE-1 · Build API", "4"), ("Training", "")]
    assert not Timesheet.objects.exists()


def test_submitting_from_the_page_waits_for_the_projects(world, crew):
    rows = [
        {"target": f"a:{crew.build.pk}", "cells": ["8", "", "", "", "", "", ""]},
        {"target": f"a:{crew.robots.pk}", "cells": ["", "4", "", "", "", "", ""]},
    ]
    client = client_for(crew.member)
    response = client.post(WEEK_URL, grid_post(rows, action="submit"), follow=True)
    content = response.content.decode()
    assert "Submitted the week of 2026-03-02 (12 hours) for approval by ELSE-1, HERE-1." in content
    assert 'data-status="submitted"' in content
    assert "waiting for ELSE-1 Warehouse automation, HERE-1 CRM replacement" in content
    assert not response.context["can_edit"]
    assert 'class="ts-hours' not in content
    # A submitted week refuses a save posted anyway, and keeps what it had.
    refused = client.post(WEEK_URL, grid_post([{"target": "c:leave", "cells": ["8"] + [""] * 6}]))
    assert "submitted and waiting for approval" in refused.content.decode()
    assert Timesheet.objects.get().total_hours == Decimal("12.00")


def test_an_approved_week_is_shown_locked(world, crew):
    timesheet = submitted_week(crew, [{"activity": crew.build, "hours": hours(8)}])
    approve_all(world, crew, timesheet)
    content = client_for(crew.member).get(WEEK_URL).content.decode()
    assert 'data-status="approved"' in content and "Approved and locked" in content
    assert 'class="ts-hours' not in content and 'value="submit"' not in content


def test_a_rejected_week_shows_why_and_can_be_corrected(world, crew):
    timesheet = submitted_week(crew, [{"activity": crew.build, "hours": hours(8, 8)}])
    services.decide(actor=crew.manager, approval=timesheet.approvals.get(), approve=False, comment="Tuesday was leave")
    client = client_for(crew.member)
    content = client.get(WEEK_URL).content.decode()
    assert 'data-status="rejected"' in content and "Tuesday was leave" in content
    rows = [
        {"target": f"a:{crew.build.pk}", "cells": ["8", "", "", "", "", "", ""]},
        {"target": "c:leave", "cells": ["", "8", "", "", "", "", ""]},
    ]
    assert client.post(WEEK_URL, grid_post(rows, action="submit")).status_code == 302
    timesheet.refresh_from_db()
    assert timesheet.status == TimesheetStatus.SUBMITTED and timesheet.total_hours == Decimal("16.00")


def test_a_login_without_a_resource_is_told_what_to_do(world):
    response = client_for(world.nobody).get(reverse("resourcing:timesheet_week"))
    assert response.status_code == 200
    assert "not linked to a person in the resource register" in response.content.decode()


def test_someone_elses_week_needs_an_organisation_role(world, crew):
    url = f"{WEEK_URL}&resource={crew.resource.pk}"
    teammate = make_login("team.mate", Role.TEAM_MEMBER, ScopeType.PROJECT, world.project.pk)
    assert client_for(teammate).get(url).status_code == 404
    assert client_for(crew.manager).get(url).status_code == 404
    assert client_for(teammate).post(url, grid_post([])).status_code == 404
    # The PMO head reads and fills it on the person's behalf.
    head = client_for(world.org_head)
    page = head.get(url)
    assert page.status_code == 200 and page.context["can_edit"]
    rows = [{"target": f"a:{crew.build.pk}", "cells": ["6", "", "", "", "", "", ""]}]
    assert head.post(url, grid_post(rows)).status_code == 302
    assert Timesheet.objects.get().resource == crew.resource
    # Someone who only reads across the organisation sees but cannot fill it.
    analyst = make_login("pmo.analyst", Role.PMO_ANALYST)
    page = client_for(analyst).get(url)
    assert page.status_code == 200 and not page.context["can_edit"]
    assert client_for(analyst).post(url, grid_post(rows)).status_code == 403


def test_week_and_resource_parameters_are_checked(crew):
    client = client_for(crew.member)
    response = client.get(reverse("resourcing:timesheet_week") + "?week=2026-13-45")
    assert "is not a date like 2026-03-02; showing this week" in response.content.decode()
    response = client.get(reverse("resourcing:timesheet_week") + "?week=2026-03-05")
    assert response.context["week_start"] == MONDAY


# --- one week, the queue, reopening -----------------------------------------------------------


def test_the_week_page_is_for_the_owner_and_its_approvers(world, crew):
    timesheet = submitted_week(crew, [{"activity": crew.build, "hours": hours(8)}])
    url = reverse("resourcing:timesheet_detail", args=[timesheet.pk])
    teammate = make_login("team.mate", Role.TEAM_MEMBER, ScopeType.PROJECT, world.project.pk)
    assert client_for(crew.member).get(url).status_code == 200
    page = client_for(crew.manager).get(url)
    assert page.status_code == 200 and page.context["decidable"]
    assert client_for(teammate).get(url).status_code == 404
    assert client_for(world.elsewhere_user).get(url).status_code == 404
    assert client_for(world.nobody).get(url).status_code == 404


def test_the_queue_lists_only_the_parts_the_user_may_decide(world, crew):
    submitted_week(crew, [{"activity": crew.build, "hours": hours(8)}, {"activity": crew.robots, "hours": hours(0, 4)}])

    def parts(user):
        response = client_for(user).get(QUEUE_URL)
        assert response.status_code == 200
        return [(item.timesheet.resource.name, item.part_name, item.total) for item in response.context["queue"]]

    assert parts(crew.manager) == [("Member.Here", "HERE-1 CRM replacement", Decimal("8.00"))]
    assert parts(world.elsewhere_user) == [("Member.Here", "ELSE-1 Warehouse automation", Decimal("4.00"))]
    assert parts(crew.member) == []
    assert "Nothing waits for your decision" in client_for(crew.member).get(QUEUE_URL).content.decode()
    assert len(parts(world.org_head)) == 2


def test_approving_from_the_queue_and_a_rejection_needs_a_comment(world, crew):
    timesheet = submitted_week(crew, [{"activity": crew.build, "hours": hours(8)}])
    part = timesheet.approvals.get()
    client = client_for(crew.manager)
    response = client.post(QUEUE_URL, {"decide": f"reject:{part.pk}", f"comment-{part.pk}": ""})
    assert response.status_code == 200
    assert "Say why the hours are rejected, so that Member.Here can correct them." in response.content.decode()
    assert TimesheetApproval.objects.get().status == "pending"

    response = client.post(QUEUE_URL, {"decide": f"approve:{part.pk}", f"comment-{part.pk}": "Fine"}, follow=True)
    assert "Approved Member.Here&#x27;s hours on HERE-1 CRM replacement, week of 2026-03-02." in (
        response.content.decode()
    )
    timesheet.refresh_from_db()
    assert timesheet.status == TimesheetStatus.APPROVED
    # Deciding again: the part is no longer waiting.
    response = client.post(QUEUE_URL, {"decide": f"approve:{part.pk}"})
    assert "no longer waiting for you" in response.content.decode()


def test_several_parts_are_approved_at_once(world, crew):
    other = make_resource(world.admin, "Other Person")
    resource_services.create_assignment(actor=world.admin, activity=crew.build, resource=other)
    first = submitted_week(crew, [{"activity": crew.build, "hours": hours(8)}])
    second = submitted_week(crew, [{"activity": crew.build, "hours": hours(4)}], week_start=MONDAY + timedelta(7))
    ids = [first.approvals.get().pk, second.approvals.get().pk]
    response = client_for(crew.manager).post(QUEUE_URL, {"decide": "approve-selected", "selected": ids})
    assert response.status_code == 302
    assert set(Timesheet.objects.values_list("status", flat=True)) == {TimesheetStatus.APPROVED}
    nothing_ticked = client_for(crew.manager).post(QUEUE_URL, {"decide": "approve-selected"})
    assert "Tick the parts to approve first." in nothing_ticked.content.decode()


def test_the_pmo_reopens_an_approved_week_from_its_page(world, crew):
    timesheet = submitted_week(crew, [{"activity": crew.build, "hours": hours(8)}])
    approve_all(world, crew, timesheet)
    url = reverse("resourcing:timesheet_reopen", args=[timesheet.pk])
    assert client_for(crew.manager).post(url, {"reason": "Wrong week"}).status_code == 403
    page = client_for(world.org_head).get(reverse("resourcing:timesheet_detail", args=[timesheet.pk]))
    assert page.context["can_reopen"]
    response = client_for(world.org_head).post(url, {"reason": "Hours belonged to the next week"}, follow=True)
    assert "Reopened Member.Here, week of 2026-03-02" in response.content.decode()
    timesheet.refresh_from_db()
    assert timesheet.status == TimesheetStatus.DRAFT
    content = client_for(crew.member).get(WEEK_URL).content.decode()
    assert "Reopened</strong> by org.head" in content and "Hours belonged to the next week" in content


# --- the project page's panel ----------------------------------------------------------------


def test_the_project_panel_shows_planned_and_actual_hours(world, crew):
    timesheet = submitted_week(crew, [{"activity": crew.build, "hours": hours(8, 8)}])
    approve_all(world, crew, timesheet)
    submitted_week(crew, [{"activity": crew.build, "hours": hours(3)}], week_start=MONDAY + timedelta(7))
    url = reverse("resourcing:project_resources_summary", args=[world.project.pk])
    response = client_for(crew.manager).get(url)
    assert response.status_code == 200
    [member] = response.context["resources"]
    assert (member.actual_hours, member.actual_cost, member.awaiting_hours) == (
        Decimal("16.00"),
        Decimal("800.00"),
        Decimal("3.00"),
    )
    content = response.content.decode()
    assert 'id="project-actual-hours">16<' in content and "800.00" in content
    assert "1 part waiting for your approval" in content
    # A team member sees the hours but not the cost, which would tell the rates.
    teammate = make_login("team.mate", Role.TEAM_MEMBER, ScopeType.PROJECT, world.project.pk)
    teammate_view = client_for(teammate).get(url)
    assert teammate_view.status_code == 200 and not teammate_view.context["show_costs"]
    assert "800.00" not in teammate_view.content.decode()
    assert client_for(world.elsewhere_user).get(url).status_code == 404


def test_the_project_page_loads_the_panel(world):
    content = client_for(world.permitted).get(world.project.get_absolute_url()).content.decode()
    assert reverse("resourcing:project_resources_summary", args=[world.project.pk]) in content
    panel = client_for(world.permitted).get(reverse("resourcing:project_resources_summary", args=[world.project.pk]))
    assert "Nobody is assigned to this project yet" in panel.content.decode()


# --- queries do not grow with rows -------------------------------------------------------------


def _more_assignments(world, crew, count: int, start: int = 0):
    for index in range(start, start + count):
        activity = scheduled_activity(world.admin, world.project, f"Task {index}", MONDAY, days=2)
        resource_services.create_assignment(actor=world.admin, activity=activity, resource=crew.resource)


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_grid_costs_the_same_queries_for_any_number_of_rows(world, crew):
    client = client_for(crew.member)
    submitted_week(crew, [{"activity": crew.build, "hours": hours(8)}], week_start=MONDAY - timedelta(7))
    few = _count(client, WEEK_URL)
    _more_assignments(world, crew, 6)
    lines = [{"activity": crew.build, "hours": hours(1)}, {"category": "admin", "hours": hours(1)}]
    services.save_lines(
        actor=crew.member,
        timesheet=services.week_for(actor=crew.member, resource=crew.resource, week_start=MONDAY),
        lines=lines,
    )
    for offset in (14, 21, 28):
        submitted_week(crew, [{"activity": crew.test, "hours": hours(2)}], week_start=MONDAY - timedelta(offset))
    many = _count(client, WEEK_URL)
    # The stored week adds its status queries (parts, reopening) once, whatever its size.
    assert many <= few + 2
    assert len(client.get(WEEK_URL).context["grid"].rows) == 10
    more_lines = [*lines, *({"activity": a.activity, "hours": hours(1)} for a in crew.resource.assignments.all()[3:])]
    timesheet = Timesheet.objects.get(week_start=MONDAY)
    services.save_lines(actor=crew.member, timesheet=timesheet, lines=more_lines)
    assert _count(client, WEEK_URL) == many


def test_the_queue_costs_the_same_queries_for_any_number_of_parts(world, crew):
    submitted_week(crew, [{"activity": crew.build, "hours": hours(8)}])
    few = _count(client_for(crew.manager), QUEUE_URL)
    for offset in range(1, 6):
        submitted_week(
            crew,
            [{"activity": crew.build, "hours": hours(8)}, {"activity": crew.test, "hours": hours(0, 4)}],
            week_start=MONDAY + timedelta(weeks=offset),
        )
    response = client_for(crew.manager).get(QUEUE_URL)
    assert len(response.context["queue"]) == 6
    assert _count(client_for(crew.manager), QUEUE_URL) == few


def test_the_project_panel_costs_the_same_queries_for_any_number_of_people(world, crew):
    url = reverse("resourcing:project_resources_summary", args=[world.project.pk])
    timesheet = submitted_week(crew, [{"activity": crew.build, "hours": hours(8)}])
    approve_all(world, crew, timesheet)
    few = _count(client_for(crew.manager), url)
    for index in range(5):
        person = make_resource(world.admin, f"Person {index}")
        resource_services.create_assignment(actor=world.admin, activity=crew.test, resource=person)
    assert _count(client_for(crew.manager), url) == few
