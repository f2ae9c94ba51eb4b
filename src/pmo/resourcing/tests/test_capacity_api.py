"""The capacity API: the same figures as the pages as JSON, null for utilisation without capacity,
a 400 naming the bad parameter, 403 without a role, hidden projects unnamed, and a number of
queries that does not grow with people."""

from datetime import date
from decimal import Decimal
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from pmo.resourcing.services import resources as services
from pmo.resourcing.testing import make_resource, skill
from pmo.resourcing.tests.test_capacity_selectors import MONDAY, build_capacity_world

pytestmark = pytest.mark.django_db

WEEKS = {"start": "2026-03-02", "periods": 4}


@pytest.fixture
def cw(world):
    return build_capacity_world(world)


def endpoint(route: str, **query) -> str:
    return reverse(f"api:capacity-{route}") + ("?" + urlencode(query) if query else "")


def api(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def test_heatmap_rows_figures_and_overloads(cw):
    response = api(cw.world.admin).get(endpoint("heatmap", **WEEKS))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["period_starts"] == ["2026-03-02", "2026-03-09", "2026-03-16", "2026-03-23"]
    assert (body["start"], body["end"], body["kind"], body["threshold"]) == ("2026-03-02", "2026-03-29", "week", 100)
    assert body["count"] == 4 and body["page"] == 1 and body["pages"] == 1
    ada = body["results"][0]
    assert (ada["name"], ada["resource"], ada["unit"]) == ("Ada Lovelace", cw.ada.pk, "Information Technology")
    assert ada["demand_hours"] == [60.0, 40.0, 30.0, 0.0]
    assert ada["capacity_hours"] == [40.0, 40.0, 40.0, 40.0]
    assert ada["utilisation"] == [1.5, 1.0, 0.75, 0.0]
    assert ada["overloaded"] == [True, False, False, False]
    assert ada["bands"] == ["over", "high", "mid", "low"]
    assert ada["peak_utilisation"] == 1.5 and ada["is_overloaded"]
    assert sum(row["overloaded"].count(True) for row in body["results"]) == 1
    assert body["unassigned_demand_hours"] == [40.0, 0.0, 0.0, 0.0]
    assert body["summary"]["overloaded_people"] == 1 and body["summary"]["people"] == 4
    assert body["burnout_risks"] == []


def test_heatmap_burnout_risks_and_null_utilisation(cw):
    # Ada away 9 to 20 March: Build's 80 h fall on her five days of the first week, and the
    # allocation of the week of 16 March lands on a week without capacity.
    services.add_absence(actor=cw.world.admin, resource=cw.ada, start=date(2026, 3, 9), end=date(2026, 3, 20))
    body = api(cw.world.admin).get(endpoint("heatmap", burnout_weeks=1, **WEEKS)).json()
    ada = next(row for row in body["results"] if row["name"] == "Ada Lovelace")
    assert ada["capacity_hours"] == [40.0, 0.0, 0.0, 40.0]
    assert ada["demand_hours"] == [100.0, 0.0, 30.0, 0.0]
    assert ada["utilisation"] == [2.5, None, None, 0.0]
    assert ada["overloaded"] == [True, False, True, False]
    assert ada["bands"] == ["over", "none", "over", "low"]
    assert ada["peak_utilisation"] is None
    risks = [(risk["first_period_start"], risk["periods"], risk["peak_utilisation"]) for risk in body["burnout_risks"]]
    assert risks == [("2026-03-02", 1, 2.5), ("2026-03-16", 1, None)]
    assert {risk["resource"] for risk in body["burnout_risks"]} == {cw.ada.pk}
    three = api(cw.world.admin).get(endpoint("heatmap", **WEEKS)).json()
    assert three["burnout_risks"] == []


def test_heatmap_skill_rows_pages_and_filters(cw):
    client = api(cw.world.admin)
    body = client.get(endpoint("heatmap", rows="skills", level=3, **WEEKS)).json()
    sql = next(row for row in body["results"] if row["name"] == "SQL")
    assert sql["skill"] == skill(cw.world.admin, "SQL").pk and sql["holders"] == 0
    assert sql["demand_hours"][0] == 40.0 and sql["utilisation"][0] is None and sql["overloaded"][0]
    page = client.get(endpoint("heatmap", sort="name", page=2, page_size=3, **WEEKS)).json()
    assert [row["name"] for row in page["results"]] == ["Dan Debit"]
    assert (page["count"], page["pages"], page["page_size"]) == (4, 2, 3)
    only = client.get(endpoint("heatmap", overloaded="true", **WEEKS)).json()
    assert [row["name"] for row in only["results"]] == ["Ada Lovelace"]
    finance = client.get(endpoint("heatmap", unit=cw.finance.pk, **WEEKS)).json()
    assert [row["name"] for row in finance["results"]] == ["Dan Debit"] and finance["unit"] == cw.finance.pk


@pytest.mark.parametrize(
    ("query", "field", "words"),
    [
        ({"periods": 105}, "periods", "less than or equal to 104"),
        ({"periods": "x"}, "periods", "whole number"),
        ({"start": "2026-02-30"}, "start", "valid date"),
        ({"kind": "day"}, "kind", "valid choice"),
        ({"threshold": 0}, "threshold", "greater than or equal to 1"),
        ({"unit": 987654}, "unit", "valid choice"),
        ({"skill": "python"}, "skill", "valid choice"),
        ({"rows": "teams"}, "rows", "valid choice"),
        ({"page": 9}, "page", "page 9 does not exist"),
        ({"page_size": 500}, "page_size", "less than or equal to 200"),
    ],
)
def test_bad_parameters_answer_400_naming_them(cw, query, field, words):
    response = api(cw.world.admin).get(endpoint("heatmap", **{**WEEKS, **query}))
    assert response.status_code == 400
    body = response.json()
    assert field in body["errors"] and words in " ".join(body["errors"][field])
    assert field in body["detail"]


def test_cell_lists_what_fills_it_and_hides_other_projects(cw):
    query = {"resource": cw.ada.pk, "period": "2026-03-02"}
    body = api(cw.world.admin).get(endpoint("cell", **query)).json()
    assert (body["demand_hours"], body["capacity_hours"], body["utilisation"]) == (60.0, 40.0, 1.5)
    assert [(line["project_name"], line["label"], line["hours"]) for line in body["lines"]] == [
        ("HERE-1 CRM replacement", "Build", 40.0),
        ("ELSE-1 Warehouse automation", "Warehouse support", 20.0),
    ]
    hidden = api(cw.world.permitted).get(endpoint("cell", **query))
    assert hidden.status_code == 200
    text = hidden.content.decode()
    assert "Warehouse" not in text and "ELSE-1" not in text
    lines = hidden.json()["lines"]
    assert lines[1] == {
        "source": "assignment",
        "source_id": None,
        "project": None,
        "project_name": "a project you cannot see",
        "label": "",
        "hours": 20.0,
        "is_billable": False,
    }
    unassigned = api(cw.world.admin).get(endpoint("cell", resource="unassigned", period="2026-03-04"))
    assert unassigned.json()["resource"] is None and unassigned.json()["demand_hours"] == 40.0
    wrong = api(cw.world.admin).get(endpoint("cell", resource="ada", period="2026-03-02"))
    assert wrong.status_code == 400 and "resource" in wrong.json()["errors"]
    missing = api(cw.world.admin).get(endpoint("cell", resource=cw.ada.pk))
    assert missing.status_code == 400 and "period" in missing.json()["errors"]


def test_skills_gaps_recommendation_and_courses(cw):
    body = api(cw.world.admin).get(endpoint("skills", **WEEKS)).json()
    sql = next(entry for entry in body["skills"] if entry["name"] == "SQL")
    (gap,) = sql["gaps"]
    assert gap["recommendation"] == "training" and gap["required_level"] == 3
    assert gap["reason"].startswith("SQL: short of 40.0 h")
    assert [course["name"] for course in gap["courses"]] == ["Advanced SQL", "SQL masterclass"]
    assert gap["courses"][0]["cost"] == "900.00"
    python = next(entry for entry in body["skills"] if entry["name"] == "Python")
    assert python["gaps"] == [] and python["holders"] == 2


def test_utilisation_and_mix(cw):
    client = api(cw.world.admin)
    body = client.get(endpoint("utilisation", sort="-utilisation", **WEEKS)).json()
    assert body["results"][0]["name"] == "Ada Lovelace"
    assert body["results"][0]["utilisation"] == pytest.approx(130 / 160, abs=1e-4)
    assert body["results"][0]["billable_utilisation"] == 0.5
    assert {unit["name"]: unit["people"] for unit in body["units"]} == {
        "Data": 1,
        "Finance": 1,
        "Information Technology": 2,
    }
    mix = client.get(endpoint("mix", start="2026-03-02", periods=12)).json()
    assert mix["contracts_ending"][0]["name"] == "Carol Codd"
    assert mix["contracts_ending"][0]["contract_end"] == "2026-04-30"
    data = next(unit for unit in mix["units"] if unit["name"] == "Data")
    assert data["contingent_share"] == 1.0
    assert mix["by_period"][-1]["contingent_hours"] == 0.0


def test_who_may_call(cw):
    anonymous = APIClient().get(endpoint("heatmap"))
    assert anonymous.status_code in (401, 403)
    for route in ("heatmap", "skills", "utilisation", "mix"):
        assert api(cw.world.nobody).get(endpoint(route)).status_code == 403
        assert api(cw.world.elsewhere_user).get(endpoint(route, **WEEKS)).status_code == 200
    refused = api(cw.world.nobody).get(endpoint("cell", resource=cw.ada.pk, period="2026-03-02"))
    assert refused.status_code == 403 and "role" in refused.json()["detail"]


def test_heatmap_endpoint_queries_do_not_grow_with_people(cw):
    client = api(cw.world.admin)
    address = endpoint("heatmap", **WEEKS)
    client.get(address)
    with CaptureQueriesContext(connection) as few:
        assert client.get(address).status_code == 200
    for index in range(25):
        person = make_resource(cw.world.admin, f"More {index:02}", unit=cw.finance, skills={"SQL": 2})
        services.create_allocation(
            actor=cw.world.admin, project=cw.world.project, resource=person, period_start=MONDAY, hours=Decimal("8")
        )
    with CaptureQueriesContext(connection) as many:
        body = client.get(address).json()
    assert body["count"] == 29
    assert len(many) == len(few)
