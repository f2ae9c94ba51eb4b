"""The import page in a real browser (the system's Chromium): a bad CSV file is answered with a
table of its problems and nothing is imported; the corrected workbook is then imported."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from pmo.core.testing.logins import PASSWORD
from pmo.resourcing.models import Resource
from pmo.resourcing.tests.test_transfer_import import csv_bytes, good_register

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, username="root.admin"):
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Welcome")).to_be_visible()


def test_bad_rows_are_listed_then_the_corrected_file_is_imported(live_server, page, world, tmp_path):
    bad = tmp_path / "people.csv"
    bad.write_bytes(csv_bytes(["full_name;email;hours_per_day", "Ada Lovelace;ada@example.org;8", "Alan;alan;99"]))
    good = tmp_path / "register.xlsx"
    good.write_bytes(good_register())
    sign_in(page, live_server)
    page.goto(f"{live_server.url}{reverse('resourcing:resource_import')}")

    page.get_by_label("Register file").set_input_files(str(bad))
    page.get_by_role("button", name="Import").click()

    problems = page.locator("#problems")
    expect(problems.get_by_role("heading")).to_have_text("2 problems in people.csv: nothing was imported")
    rows = problems.locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("People")
    expect(rows.nth(0).locator("td").nth(1)).to_have_text("3")
    expect(rows.nth(0).locator("td").nth(2)).to_have_text("email")
    expect(rows.nth(1).locator("td").nth(2)).to_have_text("hours_per_day")
    assert not Resource.objects.exists()

    page.get_by_label("Register file").set_input_files(str(good))
    page.get_by_role("button", name="Import").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("register.xlsx imported")
    expect(page.locator("table tbody tr").first).to_contain_text("People")
    assert Resource.objects.count() == 2
