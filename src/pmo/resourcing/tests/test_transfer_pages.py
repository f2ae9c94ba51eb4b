"""The import and export of the resource register as a user meets them: the pages, the API and
the management commands."""

import io
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command, execute_from_command_line
from django.core.management.base import CommandError
from django.db import connections
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from pmo.core.models import AuditEvent
from pmo.resourcing.exports.register import XLSX_CONTENT_TYPE
from pmo.resourcing.models import Resource, ResourceRate
from pmo.resourcing.testing import make_resource, make_team
from pmo.resourcing.tests.test_transfer_import import csv_bytes, good_register, stored_state

pytestmark = pytest.mark.django_db

BAD_PEOPLE = csv_bytes(
    [
        "full_name,email,hours_per_day",
        "Ada Lovelace,ada@example.org,8",
        "Alan Turing,alan-at-example.org,40",
    ]
)


def client(user, api=False):
    made = APIClient() if api else Client()
    if user is not None:
        made.force_login(user)
    return made


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


# --- pages -----------------------------------------------------------------------------------


def test_the_import_page_explains_the_columns(world):
    response = client(world.admin).get(reverse("resourcing:resource_import"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Import the resource register" in page
    for column in ("full_name", "weekday_hours", "effective_from", "bill_rate_per_hour"):
        assert f"<code>{column}</code>" in page
    assert reverse("resourcing:resource_import_template") in page


def test_the_import_page_lists_bad_rows_by_row_and_column_and_imports_nothing(world):
    before = stored_state()

    response = client(world.admin).post(
        reverse("resourcing:resource_import"), {"file": upload("people.csv", BAD_PEOPLE)}
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "2 problems in people.csv: nothing was imported" in page
    problems = [(p.sheet, p.row, p.column) for p in response.context["problems"]]
    assert problems == [("People", 3, "email"), ("People", 3, "hours_per_day")]
    assert "<code>alan-at-example.org</code>" in page
    assert stored_state() == before


def test_the_import_page_imports_a_good_workbook_and_shows_the_counts(world):
    response = client(world.admin).post(
        reverse("resourcing:resource_import"), {"file": upload("register.xlsx", good_register())}
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "register.xlsx imported" in page
    assert response.context["report"].counts["People"].created == 2
    assert Resource.objects.count() == 2


def test_check_only_imports_nothing(world):
    before = stored_state()

    response = client(world.admin).post(
        reverse("resourcing:resource_import"), {"file": upload("register.xlsx", good_register()), "dry_run": "on"}
    )

    assert "checked: nothing was imported" in response.content.decode()
    assert response.context["report"].counts["Rates"].created == 3
    assert stored_state() == before


def test_the_import_page_refuses_users_without_an_organisation_role(world):
    team = make_team(world)
    before = stored_state()
    for user in (world.nobody, world.permitted, team.manager):
        browser = client(user)
        assert browser.get(reverse("resourcing:resource_import")).status_code == 403
        response = browser.post(reverse("resourcing:resource_import"), {"file": upload("r.xlsx", good_register())})
        assert response.status_code == 403
        assert "across the organisation" in response.content.decode()
    assert stored_state() == before


def test_anonymous_visitors_are_sent_to_sign_in(world):
    for name in ("resourcing:resource_import", "resourcing:resource_export", "resourcing:resource_import_template"):
        response = Client().get(reverse(name))
        assert response.status_code == 302 and reverse("web:login") in response["Location"]


def test_export_and_template_downloads(world):
    make_resource(world.admin, "Ada Lovelace", skills={"Python": 4})

    export = client(world.permitted).get(reverse("resourcing:resource_export"))
    template = client(world.nobody).get(reverse("resourcing:resource_import_template"))

    assert export.status_code == 200 and export["Content-Type"] == XLSX_CONTENT_TYPE
    assert 'filename="resource-register-' in export["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(export.content))
    assert book["People"]["A2"].value == "Ada Lovelace"
    assert template.status_code == 200 and template["Content-Type"] == XLSX_CONTENT_TYPE
    assert openpyxl.load_workbook(io.BytesIO(template.content)).sheetnames == ["People", "Skills", "Rates"]


# --- API -------------------------------------------------------------------------------------


def test_api_import_answers_the_counts(world):
    response = client(world.admin, api=True).post(
        reverse("api:resource-import-list"),
        {"file": upload("register.xlsx", good_register()), "reason": "Annual refresh"},
        format="multipart",
    )

    assert response.status_code == 200, response.content
    assert response.data["sheets"] == [
        {"sheet": "People", "created": 2, "updated": 0, "unchanged": 0},
        {"sheet": "Skills", "created": 2, "updated": 0, "unchanged": 0},
        {"sheet": "Rates", "created": 3, "updated": 0, "unchanged": 0},
    ]
    assert response.data["changed"] is True and response.data["problems"] == []
    assert AuditEvent.objects.filter(reason="Annual refresh", action="resource.created").count() == 2


def test_api_import_of_a_bad_file_answers_400_with_every_problem_and_imports_nothing(world):
    before = stored_state()

    response = client(world.admin, api=True).post(
        reverse("api:resource-import-list"), {"file": upload("people.csv", BAD_PEOPLE)}, format="multipart"
    )

    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == "people.csv: 2 problems found; nothing was imported."
    assert [(p["sheet"], p["row"], p["column"], p["value"]) for p in body["problems"]] == [
        ("People", 3, "email", "alan-at-example.org"),
        ("People", 3, "hours_per_day", "40"),
    ]
    assert body["errors"]["file"][0].startswith("People row 3, email ('alan-at-example.org'): ")
    assert stored_state() == before


def test_api_import_is_refused_without_an_organisation_role_and_without_a_file(world):
    before = stored_state()
    for user in (world.nobody, world.permitted):
        response = client(user, api=True).post(
            reverse("api:resource-import-list"), {"file": upload("r.xlsx", good_register())}, format="multipart"
        )
        assert response.status_code == 403
        assert "across the whole organisation" in response.json()["detail"]
    assert client(None, api=True).post(reverse("api:resource-import-list"), {}).status_code in (401, 403)
    missing = client(world.admin, api=True).post(reverse("api:resource-import-list"), {}, format="multipart")
    assert missing.status_code == 400 and "file" in missing.json()["errors"]
    assert stored_state() == before


def test_api_export_and_template(world):
    make_resource(world.admin, "Ada Lovelace")
    api = client(world.permitted, api=True)

    export = api.get(reverse("api:resource-export-list"))
    template = api.get(reverse("api:resource-export-template"))

    assert export.status_code == 200 and export["Content-Type"] == XLSX_CONTENT_TYPE
    assert openpyxl.load_workbook(io.BytesIO(export.content))["People"]["A2"].value == "Ada Lovelace"
    assert template.status_code == 200 and template["Content-Type"] == XLSX_CONTENT_TYPE
    assert client(None, api=True).get(reverse("api:resource-export-list")).status_code in (401, 403)


def test_the_api_paths_are_in_the_schema(world):
    schema = client(world.admin).get(reverse("api:schema") + "?format=json").json()

    imports = schema["paths"]["/api/v1/resource-imports/"]["post"]
    assert "multipart/form-data" in imports["requestBody"]["content"]
    assert {"200", "400", "403"} <= set(imports["responses"])
    assert XLSX_CONTENT_TYPE in schema["paths"]["/api/v1/resource-exports/"]["get"]["responses"]["200"]["content"]


# --- management commands ---------------------------------------------------------------------


def test_import_command_imports_and_reports(world, tmp_path: Path, capsys):
    register = tmp_path / "register.xlsx"
    register.write_bytes(good_register())

    call_command("import_resources", str(register), "--user", world.admin.username, "--dry-run")
    assert Resource.objects.count() == 0
    call_command("import_resources", str(register), "--user", world.admin.username)

    output = capsys.readouterr().out
    assert "checked and nothing was imported" in output
    assert "People: 2 created, 0 updated, 0 unchanged" in output
    assert Resource.objects.count() == 2 and ResourceRate.objects.count() == 3


def test_import_command_prints_every_problem_and_exits_non_zero(world, tmp_path: Path, capsys):
    bad = tmp_path / "people.csv"
    bad.write_bytes(BAD_PEOPLE)
    before = stored_state()

    with pytest.raises(CommandError, match="2 problems found; nothing was imported") as raised:
        call_command("import_resources", str(bad), "--user", world.admin.username)
    assert raised.value.returncode == 1
    errors = capsys.readouterr().err
    assert "People row 3, email ('alan-at-example.org'): This is not an email address." in errors
    assert "People row 3, hours_per_day ('40')" in errors
    for arguments, message in (
        ([str(bad), "--user", "ghost"], "No active login"),
        ([str(tmp_path / "missing.csv"), "--user", world.admin.username], "no such file"),
        ([str(bad), "--user", world.nobody.username], "across the whole organisation"),
    ):
        with pytest.raises(CommandError, match=message):
            call_command("import_resources", *arguments)
    with pytest.raises(CommandError, match="--user"):
        call_command("import_resources", str(bad))
    assert stored_state() == before


def test_import_command_exit_status_from_the_command_line(world, tmp_path: Path, monkeypatch):
    # The command line closes every database connection when a command ends, which would end the
    # test's transaction on PostgreSQL; the test keeps its connection open instead.
    monkeypatch.setattr(connections, "close_all", lambda: None)
    good, bad = tmp_path / "register.xlsx", tmp_path / "people.csv"
    good.write_bytes(good_register())
    bad.write_bytes(BAD_PEOPLE)

    with pytest.raises(SystemExit) as exited:
        execute_from_command_line(["pmo", "import_resources", str(bad), "--user", world.admin.username])
    assert exited.value.code == 1
    execute_from_command_line(["pmo", "import_resources", str(good), "--user", world.admin.username])
    assert Resource.objects.count() == 2


def test_export_command_writes_a_register_the_import_reads_back(world, tmp_path: Path):
    make_resource(world.admin, "Ada Lovelace", skills={"Python": 4})
    target = tmp_path / "register.xlsx"

    call_command("export_resources", str(target))
    with pytest.raises(CommandError, match=r"\.xlsx"):
        call_command("export_resources", str(tmp_path / "register.csv"))

    events = AuditEvent.objects.count()
    call_command("import_resources", str(target), "--user", world.admin.username)
    assert AuditEvent.objects.count() == events
    assert openpyxl.load_workbook(target)["People"]["A2"].value == "Ada Lovelace"
