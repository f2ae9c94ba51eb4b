"""Excel exports of the capacity pages: they open in openpyxl with the figures of the page, text
never becomes a formula, and projects the user cannot see stay unnamed."""

from datetime import date, datetime
from io import BytesIO

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from pmo.resourcing.services import resources as services
from pmo.resourcing.testing import make_resource
from pmo.resourcing.tests.test_capacity_selectors import build_capacity_world

pytestmark = pytest.mark.django_db

WEEKS = "start=2026-03-02&periods=4"


@pytest.fixture
def cw(world):
    return build_capacity_world(world)


def download(user, name: str, query: str = WEEKS):
    client = Client()
    client.force_login(user)
    response = client.get(f"{reverse(name)}?{query}")
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"].startswith("attachment; filename=")
    return openpyxl.load_workbook(BytesIO(response.content))


def rows_of(sheet) -> dict[str, list]:
    return {row[0]: list(row[1:]) for row in sheet.iter_rows(min_row=2, values_only=True) if row[0]}


def test_heatmap_workbook_has_utilisation_and_hours(cw):
    book = download(cw.world.admin, "resourcing:capacity_heatmap_export")
    assert book.sheetnames == ["About", "Utilisation (%)", "Demand hours", "Capacity hours"]
    utilisation = book["Utilisation (%)"]
    header = next(utilisation.iter_rows(max_row=1, values_only=True))
    assert header[:2] == ("Person", "Unit")
    assert [value.date() if isinstance(value, datetime) else value for value in header[2:]] == [
        date(2026, 3, 2),
        date(2026, 3, 9),
        date(2026, 3, 16),
        date(2026, 3, 23),
    ]
    assert rows_of(utilisation)["Ada Lovelace"] == ["Information Technology", 150, 100, 75, 0]
    demand = rows_of(book["Demand hours"])
    assert demand["Ada Lovelace"] == ["Information Technology", 60, 40, 30, 0]
    assert demand["Unassigned demand (generic roles)"][1:] == [40, 0, 0, 0]
    assert rows_of(book["Capacity hours"])["Bob Babbage"] == ["Information Technology", 32, 24, 40, 40]
    about = rows_of(book["About"])
    assert about["Overloaded above (%)"] == [100] and about["Unit"] == ["Whole organisation"]


def test_heatmap_workbook_follows_filters_and_skill_rows(cw):
    book = download(cw.world.admin, "resourcing:capacity_heatmap_export", f"{WEEKS}&overloaded=on")
    assert list(rows_of(book["Utilisation (%)"])) == ["Ada Lovelace"]
    book = download(cw.world.admin, "resourcing:capacity_heatmap_export", f"{WEEKS}&rows=skills&level=3")
    sql = rows_of(book["Utilisation (%)"])["SQL"]
    assert sql[0] == 0 and sql[1] == "no capacity"  # no holder at level 3, 40 h of demand


def test_text_is_never_a_formula(cw):
    for name in ('=HYPERLINK("http://example.invalid","x")', "+SUM(1,2)", "-2+3", "@cmd"):
        make_resource(cw.world.admin, name, unit=cw.finance)
    book = download(cw.world.admin, "resourcing:capacity_heatmap_export", f"{WEEKS}&sort=name")
    sheet = book["Demand hours"]
    names = {sheet.cell(row=row, column=1).value: sheet.cell(row=row, column=1) for row in range(2, sheet.max_row + 1)}
    for name in ('=HYPERLINK("http://example.invalid","x")', "+SUM(1,2)", "-2+3", "@cmd"):
        assert names[name].data_type == "s", name


def test_utilisation_workbook(cw):
    book = download(cw.world.admin, "resourcing:capacity_utilisation_export", f"{WEEKS}&sort=-utilisation")
    people = book["People"]
    header = next(people.iter_rows(max_row=1, values_only=True))
    assert header == (
        "Person",
        "Unit",
        "Capacity hours",
        "Demand hours",
        "Billable hours",
        "Utilisation (%)",
        "Billable utilisation (%)",
        "Periods overloaded",
    )
    first = next(people.iter_rows(min_row=2, max_row=2, values_only=True))
    assert first == ("Ada Lovelace", "Information Technology", 160, 130, 80, 81.2, 50, 1)
    units = rows_of(book["Units"])
    assert units["Information Technology"][:3] == [2, 296, 170]


def test_skill_gaps_workbook(cw):
    book = download(cw.world.admin, "resourcing:capacity_skills_export")
    gaps = list(book["Skill gaps"].iter_rows(min_row=2, values_only=True))
    assert len(gaps) == 1
    (skill_name, first_day, periods, _, open_ended, level, total, *_, recommendation, why, courses) = gaps[0]
    assert (skill_name, first_day.date(), periods, open_ended, level, total) == (
        "SQL",
        date(2026, 3, 2),
        1,
        "No",
        3,
        40,
    )
    assert recommendation == "Train people who hold it at a lower level"
    assert why.startswith("SQL: short of 40.0 h")
    assert courses == "Advanced SQL (Data Academy, level 3); SQL masterclass (Data Academy, level 4)"
    detail = list(book["Demand and capacity"].iter_rows(min_row=2, values_only=True))
    assert ("SQL", "Demand", 40, 0, 0, 0) in detail


def test_person_workbook_hides_projects_the_user_cannot_see(cw):
    query = f"{WEEKS}&resource={cw.ada.pk}"
    book = download(cw.world.permitted, "resourcing:capacity_person_export", query)
    lines = list(book["Demand"].iter_rows(min_row=2, values_only=True))
    assert [(line[2], line[3], line[5]) for line in lines] == [
        ("HERE-1 CRM replacement", "Build", 40),
        ("a project you cannot see", None, 20),
        ("HERE-1 CRM replacement", "Build", 40),
        ("HERE-1 CRM replacement", "Allocation for the week of 2026-03-16", 30),
    ]
    periods = list(book["Periods"].iter_rows(min_row=2, values_only=True))
    assert [(row[2], row[3], row[4], row[5]) for row in periods] == [
        (40, 60, 150, "Yes"),
        (40, 40, 100, "No"),
        (40, 30, 75, "No"),
        (40, 0, 0, "No"),
    ]
    assert "Warehouse" not in repr(lines)


def test_exports_refuse_bad_parameters_and_people_without_a_role(cw):
    client = Client()
    client.force_login(cw.world.admin)
    response = client.get(reverse("resourcing:capacity_heatmap_export") + "?periods=0")
    assert response.status_code == 400 and b"periods" in response.content
    response = client.get(reverse("resourcing:capacity_person_export") + "?resource=x")
    assert response.status_code == 400 and b"resource" in response.content
    services.archive_resource(actor=cw.world.admin, resource=cw.dan)
    response = client.get(reverse("resourcing:capacity_person_export") + f"?resource={cw.dan.pk}")
    assert response.status_code == 400 and b"No active person resource" in response.content
    nobody = Client()
    nobody.force_login(cw.world.nobody)
    assert nobody.get(reverse("resourcing:capacity_utilisation_export")).status_code == 403
