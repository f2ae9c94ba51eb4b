"""Importing the resource register: a good workbook or CSV file is imported through the services;
a file with any bad row is reported row by row and column by column, and nothing is imported."""

import io
from datetime import date, datetime
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pmo.core import services as core_services
from pmo.core.choices import Role
from pmo.core.errors import InvalidData, PermissionRefused
from pmo.core.models import AuditEvent, Person
from pmo.core.testing.logins import make_login
from pmo.resourcing.imports import FILE, MAXIMUM_FILE_BYTES, import_register, may_import
from pmo.resourcing.models import Resource, ResourceRate, ResourceSkill, Skill
from pmo.resourcing.services import resources as services
from pmo.resourcing.testing import make_resource, make_team, skill

pytestmark = pytest.mark.django_db

PEOPLE_HEADER = [
    "full_name",
    "email",
    "job_title",
    "unit_code",
    "employment_type",
    "contract_end",
    "hours_per_day",
    "weekday_hours",
    "skills",
]


def workbook(**sheets) -> bytes:
    """An .xlsx whose sheets (keyword = sheet name, underscores for spaces) hold the given rows."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name.replace("_", " "))
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_bytes(lines: list[str], encoding: str = "utf-8") -> bytes:
    return "\r\n".join(lines).encode(encoding)


def good_register() -> bytes:
    return workbook(
        People=[
            PEOPLE_HEADER,
            [
                "Ada Lovelace",
                "ada@example.org",
                "Data engineer",
                "it",
                "contingent",
                date(2027, 3, 31),
                7.5,
                "7.5,7.5,7.5,7.5,7.5,0,0",
                "Python:4; sql:3",
            ],
            ["Alan Turing", "alan@example.org", "Mathematician", None, "permanent", None, 8, None, "Python:5"],
        ],
        Skills=[["name", "category", "description"], ["Python", "Engineering", "Python code."], ["SQL", "Data", ""]],
        Rates=[
            ["email", "full_name", "effective_from", "cost_per_hour", "bill_rate_per_hour"],
            ["ada@example.org", None, date(2026, 1, 1), 65, 95.5],
            [None, "Alan Turing", "2026-01-01", "70,00", None],
            ["ada@example.org", None, date(2026, 7, 1), 68, 99],
        ],
    )


def stored_state() -> tuple:
    return (
        Person.objects.count(),
        Resource.objects.count(),
        Skill.objects.count(),
        ResourceSkill.objects.count(),
        ResourceRate.objects.count(),
        AuditEvent.objects.count(),
    )


def cells(report) -> set[tuple]:
    """Where each problem is: (sheet, row, column)."""
    return {(problem.sheet, problem.row, problem.column) for problem in report.problems}


# --- good files ------------------------------------------------------------------------------


def test_a_good_workbook_imports_people_skills_and_rates_with_audit(world):
    report = import_register(actor=world.admin, data=good_register(), name="register.xlsx")

    assert report.is_valid, report.problems
    assert [(sheet, c.created, c.updated, c.unchanged) for sheet, c in report.counts.items()] == [
        ("People", 2, 0, 0),
        ("Skills", 2, 0, 0),
        ("Rates", 3, 0, 0),
    ]
    ada = Resource.objects.get(person__email="ada@example.org")
    assert (ada.name, ada.unit, ada.employment_type, ada.contract_end) == (
        "Ada Lovelace",
        world.unit,
        "contingent",
        date(2027, 3, 31),
    )
    assert ada.person.job_title == "Data engineer" and ada.person.unit == world.unit
    assert ada.hours_per_day == Decimal("7.50")
    assert ada.weekday_hours == [7.5, 7.5, 7.5, 7.5, 7.5, 0.0, 0.0]
    assert sorted(ada.skills.values_list("skill__name", "level")) == [("Python", 4), ("SQL", 3)]
    assert list(ada.rates.values_list("effective_from", "cost_per_hour", "bill_rate_per_hour")) == [
        (date(2026, 1, 1), Decimal("65.00"), Decimal("95.50")),
        (date(2026, 7, 1), Decimal("68.00"), Decimal("99.00")),
    ]
    alan = Resource.objects.get(person__email="alan@example.org")
    assert alan.rates.get().cost_per_hour == Decimal("70.00")
    assert Skill.objects.get(name="Python").category == "Engineering"
    events = AuditEvent.objects.filter(reason="Imported from register.xlsx")
    assert events.filter(action="person.created").count() == 2
    assert events.filter(action="resource.created").count() == 2
    assert events.filter(action="resourcerate.created").count() == 3
    assert events.filter(actor=world.admin).count() == events.count() > 0


def test_a_csv_file_is_recognised_by_its_header_row(world):
    data = csv_bytes(
        [
            "Full name;Email;Hours per day;Weekday hours;Contract end;Employment type",
            "Ada Lovelace;ada@example.org;7,5;7,5;7,5;7,5;7,5;0;0;2027-03-31;Contingent",
        ]
    )
    # The weekday hours above are split by the delimiter: the file is refused naming the columns.
    report = import_register(actor=world.admin, data=data, name="people.csv")
    assert not report.is_valid

    data = csv_bytes(
        [
            "\ufeffFull name;Email;Hours per day;Weekday hours;Contract end;Employment type",
            'Ada Lovelace;ada@example.org;7,5;"7,5;7,5;7,5;7,5;7,5;0;0";2027-03-31;Contingent',
        ]
    )
    report = import_register(actor=world.admin, data=data, name="people.csv")

    assert report.is_valid, report.problems
    assert list(report.counts) == ["People"]
    ada = Resource.objects.get(person__email="ada@example.org")
    assert ada.hours_per_day == Decimal("7.50")
    assert ada.weekday_hours == [7.5, 7.5, 7.5, 7.5, 7.5, 0.0, 0.0]
    assert ada.contract_end == date(2027, 3, 31)


def test_csv_with_commas_windows_1252_and_excel_day_numbers(world):
    data = csv_bytes(
        [
            "email,full_name,effective_from,cost_per_hour,bill_rate_per_hour",
            "",
            'jose@example.org,José Müller,46023,"1.234,50",',
        ],
        encoding="cp1252",
    )
    people = csv_bytes(["full_name,email", "José Müller,jose@example.org"], encoding="cp1252")

    assert import_register(actor=world.admin, data=people, name="people.csv").is_valid
    report = import_register(actor=world.admin, data=data, name="rates.csv")

    assert report.is_valid, report.problems
    person = Person.objects.get(email="jose@example.org")
    assert person.full_name == "José Müller"
    rate = ResourceRate.objects.get(resource__person=person)
    assert (rate.effective_from, rate.cost_per_hour, rate.bill_rate_per_hour) == (
        date(2026, 1, 1),
        Decimal("1234.50"),
        None,
    )


def test_skills_csv_and_blank_lines(world):
    data = csv_bytes(["name,category", "", "Python,Engineering", "   ,  ", "Business analysis,Analysis", ""])

    report = import_register(actor=world.admin, data=data, name="skills.csv")

    assert report.counts["Skills"].created == 2
    assert set(Skill.objects.values_list("name", flat=True)) == {"Python", "Business analysis"}


def test_dates_as_iso_text_excel_dates_and_day_numbers(world):
    data = workbook(
        People=[
            ["full_name", "email", "employment_type", "contract_end"],
            ["A", "a@example.org", "contingent", "2027-01-31"],
            ["B", "b@example.org", "contingent", datetime(2027, 2, 28)],
            ["C", "c@example.org", "contingent", 46418],
            ["D", "d@example.org", "contingent", "31/12/2027"],
        ]
    )

    report = import_register(actor=world.admin, data=data, name="dates.xlsx")

    assert cells(report) == {("People", 5, "contract_end")}
    assert "2026-03-31" in report.problems[0].message
    data = workbook(People=[["full_name", "email", "employment_type", "contract_end"], *_rows_without_last(data)])
    assert import_register(actor=world.admin, data=data, name="dates.xlsx").is_valid
    ends = dict(Resource.objects.values_list("name", "contract_end"))
    assert ends == {"A": date(2027, 1, 31), "B": date(2027, 2, 28), "C": date(2027, 1, 31)}


def _rows_without_last(data: bytes) -> list:
    rows = list(openpyxl.load_workbook(io.BytesIO(data)).active.iter_rows(min_row=2, values_only=True))
    return [list(row) for row in rows[:-1]]


# --- bad files: every problem by row and column, nothing imported ---------------------------


def test_bad_csv_rows_are_reported_by_row_and_column_and_nothing_is_imported(world):
    skill(world.admin, "Python")
    before = stored_state()
    data = csv_bytes(
        [
            "full_name,email,unit_code,employment_type,contract_end,hours_per_day,weekday_hours,skills",
            'Ada Lovelace,ada@example.org,it,permanent,,8,"8,8,8,8,8,0,0",Python:4',
            "Alan Turing,not-an-email,,,,,,",
            "",
            'Grace Hopper,grace@example.org,nowhere,sometimes,,30,"8,8,8",Pyhton:4',
            "Edsger Dijkstra,ada@example.org,,permanent,2027-01-01,,,Python:9",
            ",nameless@example.org,,,,,,",
        ]
    )

    report = import_register(actor=world.admin, data=data, name="people.csv")

    assert not report.is_valid and report.counts == {}
    assert cells(report) == {
        ("People", 3, "email"),
        ("People", 5, "unit_code"),
        ("People", 5, "employment_type"),
        ("People", 5, "hours_per_day"),
        ("People", 5, "weekday_hours"),
        ("People", 5, "skills"),
        ("People", 6, "email"),
        ("People", 6, "contract_end"),
        ("People", 6, "skills"),
        ("People", 7, "full_name"),
    }
    by_place = {(p.row, p.column): p for p in report.problems}
    assert by_place[3, "email"].value == "not-an-email"
    assert "not an email address" in by_place[3, "email"].message
    assert "did you mean Python?" in by_place[5, "skills"].message
    assert "also on row 2" in by_place[6, "email"].message
    assert "from 1 to 5" in by_place[6, "skills"].message
    assert "permanent resource has no contract end" in by_place[6, "contract_end"].message
    assert "nothing was imported" in report.summary()
    assert stored_state() == before


def test_unknown_missing_and_repeated_columns_are_reported(world):
    before = stored_state()
    data = workbook(
        People=[["Full Name", "e-mail", "Job title", "job_title"], ["Ada", "ada@example.org", "x", "y"]],
        Skills=[["category"], ["Engineering"]],
        Rates=[["effective_from", "cost_per_hour"], ["2026-01-01", 10]],
        Notes=[["anything"]],
    )

    report = import_register(actor=world.admin, data=data, name="register.xlsx")

    assert cells(report) == {
        ("People", 1, "e-mail"),
        ("People", 1, "job_title"),
        ("Skills", 1, "name"),
        ("Rates", 1, "email"),
        ("Notes", None, ""),
    }
    unknown = next(p for p in report.problems if p.column == "e-mail")
    assert "Unknown column" in unknown.message and "Did you mean email?" in unknown.message
    assert stored_state() == before


def test_values_under_no_header_are_reported(world):
    data = workbook(People=[["full_name", "email"], ["Ada", "ada@example.org", "stray"]])

    report = import_register(actor=world.admin, data=data, name="register.xlsx")

    assert cells(report) == {("People", 1, "(column C)")}


def test_duplicates_within_the_file_are_reported(world):
    data = workbook(
        People=[["full_name", "email"], ["Ada", "ADA@example.org"], ["Ada L.", "ada@example.org"], ["Bob", None]],
        Skills=[["name"], ["Python"], ["python"]],
        Rates=[
            ["email", "full_name", "effective_from", "cost_per_hour"],
            [None, "Bob", "2026-01-01", 10],
            [None, "Bob", "2026-01-01", 12],
        ],
    )

    report = import_register(actor=world.admin, data=data, name="register.xlsx")

    assert cells(report) == {("People", 3, "email"), ("Skills", 3, "name"), ("Rates", 3, "effective_from")}


def test_a_row_with_a_problem_still_counts_for_duplicates_and_for_its_rates(world):
    data = workbook(
        People=[
            ["full_name", "email", "hours_per_day"],
            ["Ada", "ada@example.org", 99],
            ["Ada 2", "ada@example.org", 8],
        ],
        Rates=[["email", "effective_from", "cost_per_hour"], ["ada@example.org", "2026-01-01", 10]],
    )

    report = import_register(actor=world.admin, data=data, name="register.xlsx")

    assert cells(report) == {("People", 2, "hours_per_day"), ("People", 3, "email")}
    assert "also on row 2" in report.problems[1].message


def test_rates_need_a_known_resource(world):
    not_a_resource = core_services.create_person(actor=world.admin, full_name="Pat Jones", email="pat@example.org")
    make_resource(world.admin, "Sam Twin")
    make_resource(world.admin, "Sam Twin")
    data = workbook(
        Rates=[
            ["email", "full_name", "effective_from", "cost_per_hour"],
            [not_a_resource.email, None, "2026-01-01", 10],
            ["nobody@example.org", None, "2026-01-01", 10],
            [None, "Sam Twin", "2026-01-01", 10],
            [None, None, "2026-01-01", 10],
            [None, "Pat Jones", None, -3],
        ]
    )

    report = import_register(actor=world.admin, data=data, name="rates.xlsx")

    assert cells(report) == {
        ("Rates", 2, "email"),
        ("Rates", 3, "email"),
        ("Rates", 4, "full_name"),
        ("Rates", 5, "full_name"),
        ("Rates", 6, "effective_from"),
        ("Rates", 6, "cost_per_hour"),
        ("Rates", 6, "full_name"),
    }
    messages = {(p.row, p.column): p.message for p in report.problems}
    assert "not a resource yet" in messages[2, "email"]
    assert "give the email" in messages[4, "full_name"]
    assert not ResourceRate.objects.filter(cost_per_hour=10).exists()


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("register.pdf", b"%PDF-1.4", "neither"),
        ("register.xlsx", bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 100, "97-2003"),
        ("register.xlsx", b"not a zip at all", "not an Excel workbook"),
        ("people.csv", "full_name\r\nAda".encode("utf-16"), "UTF-16"),
        ("people.csv", b"colour,size\r\nred,3", "does not say which table"),
        ("people.csv", b"", "empty"),
        ("register.xlsx", None, "none of the sheets"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_with_a_reason(world, name, data, expected):
    if data is None:
        data = workbook(Skills_matrix=[["full_name"]])
    before = stored_state()

    report = import_register(actor=world.admin, data=data, name=name)

    assert [(p.sheet, p.row) for p in report.problems] == [(FILE, None)]
    assert expected in report.problems[0].message
    assert stored_state() == before


def test_files_above_the_size_or_row_limit_are_refused(world, monkeypatch):
    big = b"full_name\r\n" + b"x" * MAXIMUM_FILE_BYTES
    report = import_register(actor=world.admin, data=big, name="people.csv")
    assert "at most 5 MB" in report.problems[0].message

    monkeypatch.setattr("pmo.resourcing.imports.reading.MAXIMUM_ROWS", 3)
    rows = [["name"], *[[f"Skill {n}"] for n in range(4)]]
    for data, name in ((workbook(Skills=rows), "skills.xlsx"), (csv_bytes([r[0] for r in rows]), "skills.csv")):
        report = import_register(actor=world.admin, data=data, name=name)
        assert "more than 3 rows" in report.problems[0].message
    assert not Skill.objects.exists()


def test_checking_costs_the_same_queries_for_any_number_of_rows(world):
    for index in range(30):
        known = make_resource(world.admin, f"Known {index}", skills={"Python": 3})
        Person.objects.filter(pk=known.person_id).update(email=f"known{index}@example.org")

    def check(count: int) -> int:
        people = [[f"Known {n}", f"known{n}@example.org", "it", "Python:4"] for n in range(count)]
        rates = [[f"known{n}@example.org", "2026-01-01", 10] for n in range(count)]
        data = workbook(
            People=[["full_name", "email", "unit_code", "skills"], *people, ["Last", "not an email", None, None]],
            Rates=[["email", "effective_from", "cost_per_hour"], *rates],
        )
        with CaptureQueriesContext(connection) as queries:
            report = import_register(actor=world.admin, data=data, name="register.xlsx")
        assert cells(report) == {("People", count + 2, "email")}
        return len(queries)

    assert check(3) == check(30)


def test_a_refusal_of_a_service_is_reported_on_its_row_and_undoes_the_whole_import(world, monkeypatch):
    before = stored_state()
    add_rate = services.add_rate

    def refuse_high_rates(**kwargs):
        if kwargs["cost_per_hour"] > 66:
            raise InvalidData({"cost_per_hour": ["Rates above 66 need the finance director's approval."]})
        return add_rate(**kwargs)

    monkeypatch.setattr(services, "add_rate", refuse_high_rates)

    report = import_register(actor=world.admin, data=good_register(), name="register.xlsx")

    assert cells(report) == {("Rates", 3, "cost_per_hour"), ("Rates", 4, "cost_per_hour")}
    assert report.problems[0].value == "70,00"
    assert "finance director" in report.problems[0].message
    assert stored_state() == before


# --- existing people, re-imports, dry runs ---------------------------------------------------


def test_a_second_import_of_the_same_file_changes_nothing_and_says_so(world):
    import_register(actor=world.admin, data=good_register(), name="register.xlsx")
    before = stored_state()

    report = import_register(actor=world.admin, data=good_register(), name="register.xlsx")

    assert report.is_valid and not report.has_changes
    assert [(c.created, c.updated, c.unchanged) for c in report.counts.values()] == [(0, 0, 2), (0, 0, 2), (0, 0, 3)]
    assert "nothing to change" in report.summary()
    assert stored_state() == before


def test_existing_people_are_found_by_email_and_changed_only_where_the_file_has_a_value(world):
    python = skill(world.admin, "Python")
    resource = make_resource(
        world.admin, "Grace Hopper", unit=world.unit, skills={"Python": 2}, cost_per_hour=Decimal("50")
    )
    core_services.update_person(
        actor=world.admin, person=resource.person, changes={"email": "grace@example.org", "job_title": "Architect"}
    )
    data = workbook(
        People=[
            ["full_name", "email", "job_title", "employment_type", "skills"],
            ["Grace B. Hopper", "GRACE@example.org", None, "contingent", "python:5"],
        ],
        Rates=[["email", "effective_from", "cost_per_hour"], ["grace@example.org", date(2020, 1, 1), "55"]],
    )

    report = import_register(actor=world.admin, data=data, name="update.xlsx")

    assert report.counts["People"].updated == 1 and report.counts["Rates"].updated == 1
    resource.refresh_from_db()
    resource.person.refresh_from_db()
    assert (resource.person.full_name, resource.name) == ("Grace B. Hopper", "Grace B. Hopper")
    assert resource.person.job_title == "Architect"  # blank in the file: kept
    assert resource.person.email == "grace@example.org"
    assert resource.unit == world.unit
    assert resource.employment_type == "contingent"
    assert ResourceSkill.objects.get(resource=resource, skill=python).level == 5
    assert list(resource.rates.values_list("cost_per_hour", flat=True)) == [Decimal("55.00")]
    assert AuditEvent.objects.filter(action="resourcerate.removed", reason="Imported from update.xlsx").count() == 1


def test_a_person_made_permanent_loses_the_contract_end(world):
    resource = make_resource(world.admin, "Pat", employment_type="contingent", contract_end=date(2026, 12, 31))
    data = workbook(People=[["full_name", "employment_type"], ["Pat", "permanent"]])

    assert import_register(actor=world.admin, data=data, name="p.xlsx").counts["People"].updated == 1

    resource.refresh_from_db()
    assert (resource.employment_type, resource.contract_end) == ("permanent", None)


def test_people_without_email_are_found_by_name_unless_the_name_is_shared(world):
    make_resource(world.admin, "Sam Twin")
    make_resource(world.admin, "Sam Twin")
    make_resource(world.admin, "Kim Single")
    data = workbook(People=[["full_name", "job_title"], ["kim single", "Analyst"], ["Sam Twin", "Tester"]])

    report = import_register(actor=world.admin, data=data, name="p.xlsx")

    assert cells(report) == {("People", 3, "full_name")}
    assert "give the email" in report.problems[0].message


def test_a_person_held_without_an_email_is_found_by_name_and_given_the_files_email(world):
    kim = make_resource(world.admin, "Kim Single")
    make_resource(world.admin, "Sam Twin")
    make_resource(world.admin, "Sam Twin")
    data = workbook(People=[["full_name", "email"], ["Kim Single", "kim@example.org"], ["Sam Twin", "sam@example.org"]])

    report = import_register(actor=world.admin, data=data, name="p.xlsx")

    assert cells(report) == {("People", 3, "email")}
    assert "2 people in pmo have this name and no email" in report.problems[0].message
    data = workbook(People=[["full_name", "email"], ["Kim Single", "kim@example.org"]])
    assert import_register(actor=world.admin, data=data, name="p.xlsx").counts["People"].updated == 1
    kim.person.refresh_from_db()
    assert kim.person.email == "kim@example.org"
    assert Person.objects.filter(full_name="Kim Single").count() == 1
    assert not import_register(actor=world.admin, data=data, name="p.xlsx").has_changes


def test_a_dry_run_checks_and_counts_but_keeps_nothing(world):
    before = stored_state()

    report = import_register(actor=world.admin, data=good_register(), name="register.xlsx", dry_run=True)

    assert report.is_valid and report.dry_run and report.counts["People"].created == 2
    assert "nothing was imported" in report.summary()
    assert stored_state() == before


# --- permissions -----------------------------------------------------------------------------


def test_only_a_role_that_creates_and_changes_across_the_organisation_may_import(world):
    team = make_team(world)
    before = stored_state()
    for user in (world.nobody, world.permitted, world.elsewhere_user, team.manager, team.member):
        assert not may_import(user)
        with pytest.raises(PermissionRefused, match="across the whole organisation"):
            import_register(actor=user, data=good_register(), name="register.xlsx")
    assert stored_state() == before

    pmo_administrator = make_login("pmo.admin", Role.PMO_ADMINISTRATOR)
    assert may_import(pmo_administrator) and may_import(world.org_head)
    assert import_register(actor=pmo_administrator, data=good_register(), name="register.xlsx").is_valid
