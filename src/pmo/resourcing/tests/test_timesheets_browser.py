"""The timesheet in a real browser (the system's Chromium).

A team member fills a week with the keyboard alone (hours typed as 7,5 or 7:30, arrow keys and
Enter to move, a row added in the page), saves it and submits it; the project manager approves it
in the queue; the member's week is then shown locked, and the project page's resources panel
shows the actual hours.
"""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from pmo.core.testing.logins import PASSWORD
from pmo.resourcing.tests.timesheet_builders import MONDAY, make_crew

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def sign_in(page, live_server, username: str):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Welcome")).to_be_visible()


def cell(page, label: str, day: str):
    return page.get_by_role("textbox", name=f"Hours of {label} on {day}")


def fill_and_submit_the_week(page, crew):
    """Type the week with the keyboard (the grid is open), add a row, save and submit."""
    build, test = "HERE-1 · Build API", "HERE-1 · Test"
    # Monday to Friday on Build API, typed as people type them; Enter goes down to Test.
    cell(page, build, "Monday").click()
    for typed in ("7,5", "8", "7:30", "8"):
        page.keyboard.type(typed)
        page.keyboard.press("ArrowRight")
    page.keyboard.type("6")
    page.keyboard.press("Enter")
    expect(cell(page, test, "Friday")).to_be_focused()
    page.keyboard.type("2")
    page.keyboard.press("ArrowLeft")
    expect(cell(page, test, "Thursday")).to_be_focused()

    expect(cell(page, build, "Monday")).to_have_value("7.5")
    expect(cell(page, build, "Wednesday")).to_have_value("7.5")
    expect(page.locator(f'tr[data-key="a:{crew.build.pk}"] .ts-row-total')).to_have_text("37")
    expect(page.locator('.ts-day-total[data-day="4"]')).to_have_text("8")
    expect(page.locator("#timesheet-total")).to_have_text("39")

    # A row for training, added in the page; the cell is marked while the hours are wrong.
    page.get_by_label("Add a row for").select_option(label="Training")
    page.get_by_role("button", name="Add row").click()
    expect(cell(page, "Training", "Monday")).to_be_focused()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.keyboard.type("30")
    expect(cell(page, "Training", "Wednesday")).to_have_attribute("aria-invalid", "true")
    page.keyboard.press("Control+a")
    page.keyboard.type("1")
    expect(cell(page, "Training", "Wednesday")).not_to_have_attribute("aria-invalid", "true")
    expect(page.locator("#timesheet-total")).to_have_text("40")

    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("status").filter(has_text="Saved the week of 2026-03-02: 40 hours.")).to_be_visible()
    expect(cell(page, "Training", "Wednesday")).to_have_value("1")
    page.get_by_role("button", name="Submit for approval").click()
    expect(page.locator('.ts-banner[data-status="submitted"]')).to_contain_text("waiting for HERE-1 CRM replacement")


def test_a_week_is_filled_with_the_keyboard_submitted_and_approved(live_server, page, world):
    crew = make_crew(world)
    week_url = f"{live_server.url}{reverse('resourcing:timesheet_week')}?week={MONDAY.isoformat()}"

    sign_in(page, live_server, "member.here")
    page.goto(week_url)
    expect(page.get_by_role("heading", name="Timesheet of Member.Here")).to_be_visible()
    fill_and_submit_the_week(page, crew)

    # The project manager approves the week's part in the queue.
    sign_in(page, live_server, "pm.here")
    page.goto(f"{live_server.url}{reverse('resourcing:timesheet_approvals')}")
    part = page.locator("article.ts-part").filter(has_text="Member.Here, week of 2026-03-02")
    expect(part).to_contain_text("39 h")
    part.get_by_role("button", name="Approve").click()
    expect(page.get_by_text("Approved Member.Here's hours on HERE-1 CRM replacement")).to_be_visible()
    expect(page.get_by_role("heading", name="Nothing waits for your decision")).to_be_visible()

    # The member's week is locked, and the project shows the actual hours.
    sign_in(page, live_server, "member.here")
    page.goto(week_url)
    expect(page.locator('.ts-banner[data-status="approved"]')).to_contain_text("Approved and locked")
    expect(page.locator("input.ts-hours")).to_have_count(0)
    expect(page.get_by_role("button", name="Submit for approval")).to_have_count(0)
    page.goto(f"{live_server.url}{world.project.get_absolute_url()}")
    panel = page.locator("#project-resources")
    expect(panel.get_by_role("heading", name="Resources and actuals")).to_be_visible()
    # The page loads its panels in parallel; the test server's request threads share one
    # in-memory SQLite connection, which can fail one of them. Load the page once more then.
    try:
        expect(panel.locator("#project-actual-hours")).to_have_text("39")
    except AssertionError:
        page.reload()
        expect(panel.locator("#project-actual-hours")).to_have_text("39", timeout=15000)
