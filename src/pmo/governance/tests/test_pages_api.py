"""Governance as people and programs meet it: the registers' pages (tabs, filters, heat map,
trend, export), entry pages and forms, escalation by hand, my actions, notifications, and the API."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from rest_framework.test import APIClient

from pmo.core.choices import Role, ScopeType
from pmo.core.models import AuditEvent
from pmo.core.testing.logins import make_login
from pmo.governance import services
from pmo.governance.models import ActionItem, Escalation, Notification, Risk

pytestmark = pytest.mark.django_db


def client(user, api=False):
    made = APIClient() if api else Client()
    made.force_login(user)
    return made


def register_url(level, target, **query):
    url = reverse("governance:register", args=[level, target.pk])
    return url + ("?" + "&".join(f"{key}={value}" for key, value in query.items()) if query else "")


def filled_register(world):
    small = services.create_risk(actor=world.admin, project=world.project, title="Small risk", probability=1, impact=2)
    big = services.create_risk(
        actor=world.admin,
        project=world.project,
        title="=SUM(A1:A9) outage",
        probability=5,
        impact=4,
        residual_probability=2,
        residual_impact=2,
    )
    services.create_issue(actor=world.admin, project=world.project, title="Build server down", severity="severe")
    services.create_assumption(actor=world.admin, project=world.project, title="Rates hold")
    services.create_dependency(
        actor=world.admin,
        project=world.project,
        title="Customer data model",
        nature="internal",
        project_dependency=world.dependency,
    )
    services.record_decision(actor=world.admin, project=world.project, title="Buy, not build", body="Project board")
    return small, big


def test_the_project_register_shows_each_tab_the_heat_map_and_the_trend(world, django_assert_max_num_queries):
    small, big = filled_register(world)
    pm = client(world.permitted)
    with django_assert_max_num_queries(40):
        page = pm.get(register_url("project", world.project))
    assert page.status_code == 200
    assert {row.pk for row in page.context["rows"]} == {small.pk, big.pk}
    cells = {(c.probability, c.impact): c.count for _, row in page.context["heat_map"].rows for c in row}
    assert cells[(5, 4)] == 1 and cells[(1, 2)] == 1
    assert b"<polyline" in page.content and b"Escalated" in page.content
    for tab in ("assumption", "issue", "dependency", "decision", "action"):
        assert pm.get(register_url("project", world.project, tab=tab)).status_code == 200
    filtered = pm.get(register_url("project", world.project, tab="risk", score_min=10))
    assert [row.pk for row in filtered.context["rows"]] == [big.pk]
    cell = pm.get(register_url("project", world.project, tab="risk", probability=5, impact=4))
    assert [row.pk for row in cell.context["rows"]] == [big.pk]
    heat = pm.get(reverse("governance:heat_map", args=["project", world.project.pk]))
    assert heat.status_code == 200 and len(heat.context["maps"]) == 2 and heat.context["maps"][1].total == 1
    assert client(world.elsewhere_user).get(register_url("project", world.project)).status_code == 404
    assert pm.get(reverse("governance:register", args=["team", world.project.pk])).status_code == 404


def test_the_programme_register_marks_what_was_escalated_from_a_project(world):
    _, big = filled_register(world)
    page = client(world.permitted).get(register_url("programme", world.programme))
    assert [row.pk for row in page.context["rows"]] == [big.pk]
    assert f"escalated from {world.project.code}".encode() in page.content
    issues = client(world.permitted).get(register_url("programme", world.programme, tab="issue"))
    assert len(issues.context["rows"]) == 1
    detail = client(world.permitted).get(reverse("governance:risk_detail", args=[big.pk]))
    assert b"escalation-history" in detail.content and b"the threshold rule" in detail.content


def test_the_export_has_one_sheet_per_kind_with_what_the_user_sees(world):
    filled_register(world)
    response = client(world.permitted).get(reverse("governance:register_export", args=["project", world.project.pk]))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(BytesIO(response.content))
    assert workbook.sheetnames == ["Risks", "Assumptions", "Issues", "Dependencies", "Decisions"]
    risks = list(workbook["Risks"].iter_rows(values_only=True))
    header = risks[0]
    titles = {row[header.index("Title")]: row for row in risks[1:]}
    assert set(titles) == {"Small risk", "'=SUM(A1:A9) outage"}  # a formula is written as text
    assert titles["'=SUM(A1:A9) outage"][header.index("Score")] == 20
    assert titles["'=SUM(A1:A9) outage"][header.index("Escalated")] == "yes"
    assert len(list(workbook["Decisions"].iter_rows(values_only=True))) == 2
    programme = load_workbook(
        BytesIO(
            client(world.permitted)
            .get(reverse("governance:register_export", args=["programme", world.programme.pk]))
            .content
        )
    )
    assert len(list(programme["Risks"].iter_rows(values_only=True))) == 2  # the escalated risk only
    assert (
        client(world.elsewhere_user)
        .get(reverse("governance:register_export", args=["project", world.project.pk]))
        .status_code
        == 404
    )
    export = reverse("governance:register_export", args=["project", world.project.pk])
    page = client(world.permitted).get(register_url("project", world.project, tab="risk", score_min=10))
    assert f"{export}?tab=risk&amp;score_min=10" in page.content.decode()  # the page links its filtered view
    kept = load_workbook(BytesIO(client(world.permitted).get(f"{export}?tab=risk&score_min=10").content))
    rows = list(kept["Risks"].iter_rows(values_only=True))
    assert [row[rows[0].index("Title")] for row in rows[1:]] == ["'=SUM(A1:A9) outage"]
    assert len(list(kept["Decisions"].iter_rows(values_only=True))) == 2  # other sheets stay whole
    refused = client(world.permitted).get(f"{export}?tab=risk&score_min=lots")
    assert refused.status_code == 400 and "score_min" in refused.content.decode()


def test_entries_are_created_and_escalated_through_the_pages(world):
    pm = client(world.permitted)
    url = reverse("governance:entry_create", args=["project", world.project.pk, "risk"])
    assert pm.get(url).status_code == 200
    bad = pm.post(url, {"title": "No scores", "nature": "threat", "raised_on": "2026-01-05", "status": "open"})
    assert bad.status_code == 200 and "probability" in bad.context["form"].errors
    assert not Risk.objects.exists()
    response = pm.post(
        url,
        {
            "title": "Key engineer leaves",
            "nature": "threat",
            "probability": "3",
            "impact": "3",
            "raised_on": "2026-01-05",
            "status": "open",
            "response": "reduce",
        },
    )
    risk = Risk.objects.get()
    assert response.status_code == 302 and response["Location"] == risk.get_absolute_url()
    assert risk.score == 9 and risk.raised_by == world.permitted
    escalate = pm.post(reverse("governance:risk_escalate", args=[risk.pk]), {"reason": "Needs the programme"})
    assert escalate.status_code == 302
    assert Escalation.objects.get(risk=risk).escalated_by == world.permitted
    down = pm.post(reverse("governance:risk_deescalate", args=[risk.pk]), {"reason": "Handled in the project"})
    assert down.status_code == 302 and not Escalation.objects.filter(state="active").exists()
    viewer = make_login("viewer", Role.TEAM_MEMBER, ScopeType.PROJECT, world.project.pk)
    assert client(viewer).post(url, {"title": "x"}).status_code == 403
    action_url = reverse("governance:risk_action_create", args=[risk.pk])
    made = pm.post(action_url, {"title": "Pair with a second engineer", "owner": world.person.pk, "due_on": ""})
    assert made.status_code == 302 and ActionItem.objects.get().source == risk
    decision = pm.post(
        reverse("governance:entry_create", args=["programme", world.programme.pk, "decision"]),
        {"title": "Fund a second team", "decided_on": timezone.localdate().isoformat(), "body": "Programme board"},
    )
    assert decision.status_code == 302


def test_my_actions_and_notifications(world):
    owner = make_login("owner.one")
    today = timezone.localdate()
    late = services.create_action(
        actor=world.admin, title="Late one", owner=owner.person, due_on=today - timedelta(days=3), project=world.project
    )
    services.create_action(
        actor=world.admin,
        title="Next week",
        owner=owner.person,
        due_on=today + timedelta(days=7),
        project=world.project,
    )
    services.notify(recipients=[owner], kind="escalation", message="Something went up", url="/", email=False)
    mine = client(owner)
    page = mine.get(reverse("governance:my_actions"))
    assert [action.title for action in page.context["overdue"]] == ["Late one"]
    assert [action.title for action in page.context["upcoming"]] == ["Next week"]
    assert b'title="Unread notifications">1<' in page.content
    done = mine.post(
        reverse("governance:action_status", args=[late.pk, "done"]), {"next": reverse("governance:my_actions")}
    )
    assert done.status_code == 302 and done["Location"] == reverse("governance:my_actions")
    late.refresh_from_db()
    assert late.status == "done"
    assert (
        client(world.elsewhere_user).post(reverse("governance:action_status", args=[late.pk, "reopen"])).status_code
        == 404
    )
    listing = mine.get(reverse("governance:notifications"))
    (note,) = listing.context["notifications"]
    assert mine.post(reverse("governance:notification_read", args=[note.pk])).status_code == 302
    note.refresh_from_db()
    assert note.read_at is not None
    assert client(world.permitted).post(reverse("governance:notification_read", args=[note.pk])).status_code == 404


def test_settings_pages_change_the_scale_for_the_organisation_only(world):
    assert client(world.permitted).get(reverse("governance:settings")).status_code == 200
    assert client(world.permitted).post(reverse("governance:settings_escalation"), {}).status_code == 403
    response = client(world.admin).post(
        reverse("governance:settings_escalation"), {"risk_score": "10", "issue_severity": "", "issue_priority": ""}
    )
    assert response.status_code == 302
    services.create_risk(actor=world.admin, project=world.project, title="Ten", probability=2, impact=5)
    assert Escalation.objects.count() == 1


def test_the_api_creates_filters_escalates_and_maps(world):
    api = client(world.permitted, api=True)
    created = api.post(
        reverse("api:risk-list"),
        {"project": world.project.pk, "title": "Vendor fails", "probability": 4, "impact": 4, "reason": "Workshop"},
        format="json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["score"] == 16 and body["is_escalated"] is True and body["level"] == "project"
    bad = api.post(reverse("api:risk-list"), {"project": world.project.pk, "title": "x", "probability": 9, "impact": 1})
    assert bad.status_code == 400 and "probability" in bad.json()["errors"]
    moved = api.patch(reverse("api:risk-detail", args=[body["id"]]), {"project": world.other_project.pk}, format="json")
    assert moved.status_code == 200 and moved.json()["project"] == world.project.pk  # the register stays
    listed = api.get(reverse("api:risk-list"), {"is_escalated": "true", "programme": ""})
    assert listed.json()["count"] == 1
    heat = api.get(reverse("api:risk-heat-map"), {"project": world.project.pk})
    assert heat.status_code == 200 and heat.json()["total"] == 1
    assert {cell["count"] for cell in heat.json()["cells"] if cell["probability"] == 4 and cell["impact"] == 4} == {1}
    history = api.get(reverse("api:escalation-list"), {"risk": body["id"]})
    assert history.json()["count"] == 1
    down = api.post(reverse("api:risk-deescalate", args=[body["id"]]), {"reason": "Contract signed"}, format="json")
    assert down.status_code == 200 and down.json()["is_escalated"] is False
    assert (
        api.post(reverse("api:risk-deescalate", args=[body["id"]]), {"reason": "x"}, format="json").status_code == 400
    )
    action = api.post(
        reverse("api:action-list"), {"project": world.project.pk, "title": "Sign the contract"}, format="json"
    )
    assert action.status_code == 201
    done = api.post(reverse("api:action-complete", args=[action.json()["id"]]), {}, format="json")
    assert done.json()["status"] == "done"
    decision = api.post(
        reverse("api:decision-list"), {"programme": world.programme.pk, "title": "Go with vendor B"}, format="json"
    )
    assert decision.status_code == 201 and decision.json()["level"] == "programme"
    refused = client(world.elsewhere_user, api=True).post(
        reverse("api:risk-list"), {"project": world.project.pk, "title": "x", "probability": 1, "impact": 1}
    )
    assert refused.status_code == 400  # the project is not one they can name
    services.notify(recipients=[world.permitted], kind="other", message="Read me", email=False)
    # The escalation told the programme's portfolio manager too.
    kinds = [row["kind"] for row in api.get(reverse("api:notification-list")).json()["results"]]
    assert sorted(kinds) == ["escalation", "other"]
    assert api.post(reverse("api:notification-read-all")).json() == {"marked": 2}
    assert Notification.objects.unread().filter(recipient=world.permitted).count() == 0
    assert AuditEvent.objects.filter(action="risk.deescalated").count() == 1


def test_the_settings_api_reads_for_roles_and_changes_for_the_organisation(world):
    scale = client(world.permitted, api=True).get(reverse("api:risk-scale"))
    assert scale.status_code == 200 and scale.json()["levels"] == 5
    assert client(world.nobody, api=True).get(reverse("api:risk-scale")).status_code == 403
    refused = client(world.permitted, api=True).patch(reverse("api:escalation-rule"), {"risk_score": 9}, format="json")
    assert refused.status_code == 403
    bad = client(world.admin, api=True).patch(
        reverse("api:risk-scale"), {"probability_labels": ["Low", "High"]}, format="json"
    )
    assert bad.status_code == 400 and "probability_labels" in bad.json()["errors"]
    changed = client(world.admin, api=True).patch(
        reverse("api:escalation-rule"), {"risk_score": 9, "reason": "Tighter control"}, format="json"
    )
    assert changed.status_code == 200 and changed.json()["risk_score"] == 9
    assert AuditEvent.objects.filter(action="escalationrule.changed", reason="Tighter control").exists()


def test_lists_cost_the_same_for_any_number_of_rows(world):
    def add(numbers):
        for number in numbers:
            risk = services.create_risk(
                actor=world.admin, project=world.project, title=f"Risk {number}", probability=5, impact=3 + number % 3
            )
            services.add_response_action(actor=world.admin, risk=risk, title=f"Answer {number}", owner=world.person)
            services.create_dependency(
                actor=world.admin,
                project=world.project,
                title=f"Needs {number}",
                nature="internal",
                project_dependency=world.dependency,
            )

    pm, api = client(world.permitted), client(world.permitted, api=True)
    urls = [reverse(f"governance:{name}") for name in ("risk_list", "action_list", "dependency_list")]
    urls += [register_url("programme", world.programme, tab=tab) for tab in ("risk", "action", "dependency")]
    urls += [register_url("project", world.project, tab=tab) for tab in ("risk", "action", "dependency")]
    urls += [reverse("governance:my_actions")]
    api_urls = [reverse(f"api:{basename}-list") for basename in ("risk", "action", "dependency", "escalation")]

    def costs() -> list[int]:
        counted = []
        for url in urls + api_urls:
            with CaptureQueriesContext(connection) as queries:
                assert (api if url.startswith("/api/") else pm).get(url).status_code == 200
            counted.append(len(queries))
        return counted

    add(range(1))
    one = costs()
    add(range(1, 6))
    assert costs() == one
