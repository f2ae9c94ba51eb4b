"""The capacity pages as a PMO user meets them: the heatmap marks the overloaded cells, a cell opens
what fills it (htmx fragment or whole page), filters and paging, skills with gaps and courses,
utilisation, the permanent/contingent mix, wrong parameters named, and who may see what."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pmo.core import services as core_services
from pmo.resourcing.services import resources as services
from pmo.resourcing.testing import make_resource, skill
from pmo.resourcing.tests.test_capacity_selectors import MONDAY, build_capacity_world

pytestmark = pytest.mark.django_db

WEEKS = "start=2026-03-02&periods=4"


@pytest.fixture
def cw(world):
    return build_capacity_world(world)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def get(user, name: str, query: str = WEEKS, **headers):
    return client_for(user).get(f"{reverse(name)}?{query}", **headers)


def cells_of(html: str, person: str) -> list[tuple[str, str]]:
    """(band, text) of each period cell in the row of ``person``."""
    row = re.search(rf"<tr[^>]*>\s*<th scope=\"row\" class=\"rowhead\"><a [^>]*>{person}</a>.*?</tr>", html, re.S)
    assert row, f"no row for {person}"
    return [
        (band, re.sub(r"<[^>]+>", "", text).strip())
        for band, text in re.findall(r'<td class="cell band-(\w+)">(.*?)</td>', row.group(0), re.S)
    ]


def test_heatmap_marks_exactly_the_overloaded_cells(cw):
    response = get(cw.world.admin, "resourcing:capacity_heatmap")
    assert response.status_code == 200
    html = response.content.decode()
    assert cells_of(html, "Ada Lovelace") == [("over", "150"), ("high", "100"), ("mid", "75"), ("low", "0")]
    assert cells_of(html, "Bob Babbage") == [("mid", "71"), ("mid", "71"), ("low", "0"), ("low", "0")]
    assert html.count('class="cell band-over"') == 1
    # Overloaded people come first; the summary counts them; the legend explains the colours.
    assert html.index("Ada Lovelace") < html.index("Bob Babbage") < html.index("Carol Codd")
    assert response.context["summary"]["overloaded_people"] == 1
    assert "Overloaded: above 100 %" in html and "No capacity" in html
    # The unassigned row: 40 h of generic-role work in the first week.
    assert "Unassigned demand" in html and "40 h" in html


def test_a_cell_opens_what_fills_it_as_a_fragment_or_a_page(cw):
    query = f"resource={cw.ada.pk}&period=2026-03-02&{WEEKS}"
    fragment = get(cw.world.admin, "resourcing:capacity_cell", query, HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200
    html = fragment.content.decode()
    assert "<html" not in html
    assert "CRM replacement" in html and "Warehouse support" in html
    assert "60.0 h" in html and "overloaded" in html
    export = client_for(cw.world.admin).get(fragment.context["export_url"])
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")
    page = get(cw.world.admin, "resourcing:capacity_cell", query)
    assert page.status_code == 200 and "<html" in page.content.decode()
    assert "Capacity heatmap" in page.content.decode()
    # Every heatmap cell links there, for htmx and as a plain link.
    heatmap = get(cw.world.admin, "resourcing:capacity_heatmap").content.decode()
    link = f"resource={cw.ada.pk}&amp;period=2026-03-02"
    assert f'hx-get="/capacity/cell/?{WEEKS.replace("&", "&amp;")}&amp;{link}"' in heatmap
    assert f'href="/capacity/cell/?{WEEKS.replace("&", "&amp;")}&amp;{link}"' in heatmap


def test_the_cell_of_someone_working_on_a_hidden_project_does_not_name_it(cw):
    html = get(cw.world.permitted, "resourcing:capacity_cell", f"resource={cw.ada.pk}&period=2026-03-02").content
    html = html.decode()
    assert "CRM replacement" in html
    assert "Warehouse" not in html and "ELSE-1" not in html
    assert "A project you cannot see" in html


def test_filters_only_overloaded_sort_and_skill_rows(cw):
    html = get(cw.world.admin, "resourcing:capacity_heatmap", f"{WEEKS}&overloaded=on").content.decode()
    assert "Ada Lovelace" in html and "Bob Babbage" not in html
    html = get(cw.world.admin, "resourcing:capacity_heatmap", f"{WEEKS}&unit={cw.finance.pk}").content.decode()
    assert "Dan Debit" in html and "Ada Lovelace" not in html
    html = get(cw.world.admin, "resourcing:capacity_heatmap", f"{WEEKS}&sort=name").content.decode()
    assert html.index("Ada Lovelace") < html.index("Bob Babbage") < html.index("Carol Codd") < html.index("Dan Debit")
    response = get(cw.world.admin, "resourcing:capacity_heatmap", f"{WEEKS}&rows=skills&level=3")
    html = response.content.decode()
    sql = skill(cw.world.admin, "SQL")
    assert f"skill={sql.pk}" in html
    # Nobody holds SQL at level 3: the first week's 40 h are on no capacity.
    assert response.context["rows"][0].name == "SQL"
    assert response.context["rows"][0].cells[0].band == "over"


def test_a_lower_threshold_overloads_more_and_relabels_the_legend(cw):
    response = get(cw.world.admin, "resourcing:capacity_heatmap", f"{WEEKS}&threshold=70")
    html = response.content.decode()
    assert cells_of(html, "Ada Lovelace") == [("over", "150"), ("over", "100"), ("over", "75"), ("low", "0")]
    assert cells_of(html, "Bob Babbage") == [("over", "71"), ("over", "71"), ("low", "0"), ("low", "0")]
    assert [label for _, label in response.context["legend"]][:3] == [
        "Under 50 %",
        "50 to 70 %",
        "Overloaded: above 70 %",
    ]


def test_monthly_columns(cw):
    response = get(cw.world.admin, "resourcing:capacity_heatmap", "start=2026-03-18&periods=2&kind=month")
    assert response.status_code == 200
    assert [column.label for column in response.context["columns"]] == ["Mar 2026", "Apr 2026"]


def test_people_are_paginated(cw, settings):
    for index in range(55):
        make_resource(cw.world.admin, f"Zed {index:02}", unit=cw.finance)
    first = get(cw.world.admin, "resourcing:capacity_heatmap", f"{WEEKS}&sort=name")
    assert len(first.context["rows"]) == 50 and first.context["paginator"].count == 59
    second = get(cw.world.admin, "resourcing:capacity_heatmap", f"{WEEKS}&sort=name&page=2")
    assert [row.name for row in second.context["rows"]] == [f"Zed {index:02}" for index in range(46, 55)]
    assert "Unassigned demand" in second.content.decode()
    assert "Unassigned demand" not in first.content.decode()


def test_wrong_parameters_are_named_and_show_nothing(cw):
    for query, field, message in (
        ("periods=105", "periods", "less than or equal to 104"),
        ("periods=two", "periods", "whole number"),
        ("start=2026-13-01", "start", "valid date"),
        ("kind=fortnight", "kind", "valid choice"),
        ("threshold=0", "threshold", "greater than or equal to 1"),
        ("unit=999999", "unit", "valid choice"),
        ("rows=projects", "rows", "valid choice"),
    ):
        response = get(cw.world.admin, "resourcing:capacity_heatmap", query)
        assert response.status_code == 400, query
        assert message in " ".join(response.context["form"].errors[field]), query
        assert f'id="id_{field}_errors"' in response.content.decode()
        assert "Ada Lovelace" not in response.content.decode()
    response = get(cw.world.admin, "resourcing:capacity_cell", "resource=abc&period=2026-03-02")
    assert response.status_code == 400 and "person resource" in response.content.decode()
    response = get(cw.world.admin, "resourcing:capacity_cell", f"resource={cw.role.pk}&period=2026-03-02")
    assert response.status_code == 400 and "No active person resource" in response.content.decode()
    # In the side panel (htmx swaps no 4xx answer), the same message.
    panel = get(cw.world.admin, "resourcing:capacity_cell", "resource=abc&period=2026-03-02", HTTP_HX_REQUEST="true")
    assert panel.status_code == 200 and 'role="alert"' in panel.content.decode()
    assert "person resource" in panel.content.decode()


def test_only_signed_in_people_with_a_role_see_capacity(cw):
    for name in (
        "resourcing:capacity_heatmap",
        "resourcing:capacity_skills",
        "resourcing:capacity_utilisation",
        "resourcing:capacity_mix",
        "resourcing:capacity_heatmap_export",
    ):
        anonymous = Client().get(reverse(name))
        assert anonymous.status_code == 302 and reverse("web:login") in anonymous["Location"]
        assert get(cw.world.nobody, name).status_code == 403
        assert get(cw.world.elsewhere_user, name).status_code == 200
    query = f"resource={cw.ada.pk}&period=2026-03-02"
    assert get(cw.world.nobody, "resourcing:capacity_cell", query).status_code == 403


def test_skills_page_shows_the_chart_the_gap_the_recommendation_and_courses(cw):
    response = get(cw.world.admin, "resourcing:capacity_skills")
    assert response.status_code == 200
    html = response.content.decode()
    sections = response.context["sections"]
    assert sections[0]["row"].name == "SQL"  # the biggest gap first
    assert "<svg" in html and "capacity-line" in html and 'class="bar bar-over"' not in html
    assert "Train people who hold it at a lower level" in html
    assert "SQL: short of 40.0 h" in html
    assert "Advanced SQL" in html and "SQL masterclass" in html
    assert "SQL basics" not in html and "Old SQL course" not in html
    assert html.index("Advanced SQL") < html.index("SQL masterclass")
    python = get(cw.world.admin, "resourcing:capacity_skills", f"{WEEKS}&skill={skill(cw.world.admin, 'Python').pk}")
    assert [section["row"].name for section in python.context["sections"]] == ["Python"]
    assert "No gap" in python.content.decode()


def test_skills_page_says_when_no_course_teaches_the_skill(cw):
    python = skill(cw.world.admin, "Python")
    services.update_assignment(
        actor=cw.world.admin, assignment=cw.build_ada, changes={"required_skill": python, "required_level": 4}
    )
    services.update_assignment(
        actor=cw.world.admin, assignment=cw.support_ada, changes={"required_skill": python, "required_level": 4}
    )
    html = get(cw.world.admin, "resourcing:capacity_skills", f"{WEEKS}&skill={python.pk}").content.decode()
    assert "No course in the register teaches it at level 4." in html


def test_utilisation_per_person_and_unit_sortable(cw):
    response = get(cw.world.admin, "resourcing:capacity_utilisation", f"{WEEKS}&sort=-utilisation")
    assert response.status_code == 200
    people = response.context["people"]
    assert people[0].name == "Ada Lovelace"
    assert (people[0].capacity_hours, people[0].demand_hours, people[0].billable_hours) == pytest.approx((160, 130, 80))
    assert round(100 * people[0].utilisation) == 81 and round(100 * people[0].billable_utilisation) == 50
    units = {row.name: row for row in response.context["units"]}
    assert units["Information Technology"].people == 2 and units["Data"].people == 1
    by_name = get(cw.world.admin, "resourcing:capacity_utilisation", f"{WEEKS}&sort=name").context["people"]
    assert [row.name for row in by_name] == ["Ada Lovelace", "Bob Babbage", "Carol Codd", "Dan Debit"]


def test_mix_by_unit_and_contracts_ending(cw):
    response = get(cw.world.admin, "resourcing:capacity_mix", "start=2026-03-02&periods=12")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Carol Codd" in html and "2026-04-30" in html
    mix = {row.name: row for row in response.context["units"]}
    assert mix["Data"].contingent_share == 1.0
    empty = get(cw.world.admin, "resourcing:capacity_mix", "start=2026-06-01&periods=4")
    assert "No contingent contract ends" in empty.content.decode()


def test_an_organisation_without_resources_gets_helpful_empty_states(world):
    html = get(world.admin, "resourcing:capacity_heatmap").content.decode()
    assert "No active person resource in this scope" in html
    html = get(world.admin, "resourcing:capacity_skills").content.decode()
    assert "Record required skills" in html


def test_heatmap_queries_do_not_grow_with_people(cw):
    client = client_for(cw.world.admin)
    url = f"{reverse('resourcing:capacity_heatmap')}?{WEEKS}"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    sql = skill(cw.world.admin, "SQL")
    for index in range(30):
        person = make_resource(cw.world.admin, f"Extra {index:02}", unit=cw.finance, skills={"SQL": 1 + index % 5})
        services.add_absence(actor=cw.world.admin, resource=person, start=date(2026, 3, 3), end=date(2026, 3, 4))
        services.create_allocation(
            actor=cw.world.admin,
            project=cw.world.project,
            resource=person,
            period_start=MONDAY,
            hours=Decimal("12"),
            required_skill=sql,
        )
    core_services.create_unit(actor=cw.world.admin, name="Extra unit", code="extra")
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.context["paginator"].count == 34
    assert len(many) == len(few), [query["sql"] for query in many.captured_queries]
    for name in ("resourcing:capacity_utilisation", "resourcing:capacity_mix", "resourcing:capacity_skills"):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"{reverse(name)}?{WEEKS}").status_code == 200
        assert len(queries) <= len(few) + 2, name
