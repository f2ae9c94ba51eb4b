"""A person in a real browser (the system's Chromium): signs in, opens the portfolio, creates a
project through the form, and finds it in the list."""

import pytest
from playwright.sync_api import expect

from pmo.core.testing.logins import PASSWORD
from pmo.portfolio.models import Project

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_sign_in_open_portfolio_create_project_and_see_it_listed(live_server, page, world):
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(f"{live_server.url}/sign-in/?next=/")
    page.get_by_label("Username").fill("here.manager")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Welcome, Here.Manager")).to_be_visible()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Portfolios").click()
    page.get_by_role("link", name="Change portfolio").click()
    expect(page.get_by_role("heading", name="Change portfolio")).to_be_visible()

    page.get_by_role("link", name="New project").click()
    page.get_by_label("Code").fill("HERE-42")
    page.get_by_label("Name").fill("Customer self-service portal")
    page.get_by_label("Planned start").fill("2026-03-02")
    page.get_by_label("Planned finish").fill("2026-01-15")
    page.get_by_label("Budget").fill("180000")
    page.get_by_role("button", name="Save").click()
    # The form keeps what was typed and names the field at fault.
    expect(page.locator("#id_planned_finish_errors")).to_contain_text("cannot be before the planned start")
    expect(page.get_by_label("Name")).to_have_value("Customer self-service portal")
    assert not Project.objects.filter(code="HERE-42").exists()

    page.get_by_label("Planned finish").fill("2026-11-27")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Customer self-service portal")).to_be_visible()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Projects").click()
    page.get_by_placeholder("Search").fill("self-service")
    table = page.locator("#object-table")
    expect(table.get_by_role("link", name="Customer self-service portal")).to_be_visible()
    expect(table).not_to_contain_text("Warehouse automation")
