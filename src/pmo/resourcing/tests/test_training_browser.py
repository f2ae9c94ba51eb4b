"""The training register in a real browser (the system's Chromium): a PMO head adds a course with
the skills it teaches, plans a person on it with the course days booked as absence, and records
completion; the person then holds the skill at the course's level."""

import os

import pytest
from playwright.sync_api import expect

from pmo.core.testing.logins import PASSWORD
from pmo.resourcing.models import Absence, ResourceSkill
from pmo.resourcing.testing import make_resource, skill

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def sign_in(page, live_server, username: str):
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Welcome")).to_be_visible()


def shot(page, name: str) -> None:
    """Keep a picture of the page when PMO_SCREENSHOTS names a folder (for reviewing the layout)."""
    folder = os.environ.get("PMO_SCREENSHOTS")
    if folder:
        page.screenshot(path=os.path.join(folder, f"{name}.png"), full_page=True)


def test_a_course_is_added_planned_and_completed(live_server, page, world):
    ada = make_resource(world.admin, "Ada Lovelace", skills={"Python": 1})
    skill(world.admin, "SQL")
    sign_in(page, live_server, "org.head")

    page.goto(f"{live_server.url}/training/courses/")
    expect(page.get_by_text("The training register has no courses yet.")).to_be_visible()
    page.get_by_role("link", name="New course").click()
    page.get_by_label("Name").fill("Python for analysts")
    page.get_by_label("Provider").fill("Acme Learning")
    page.get_by_label("Cost per person").fill("1250")
    page.get_by_label("Duration (days)").fill("2")
    page.locator("#id_skills-0-skill").select_option(label="Python")
    page.locator("#id_skills-0-level").select_option(label="3 Competent")
    page.locator("#id_skills-1-skill").select_option(label="Python")
    page.locator("#id_skills-1-level").select_option(label="4 Proficient")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert").filter(has_text="Python is listed twice")).to_be_visible()
    expect(page.get_by_label("Name")).to_have_value("Python for analysts")
    shot(page, "course_form_refused")
    page.locator("#id_skills-1-skill").select_option(label="SQL")
    page.locator("#id_skills-1-level").select_option(label="2 Advanced beginner")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("heading", name="Python for analysts")).to_be_visible()
    expect(page.get_by_role("cell", name="3 Competent")).to_be_visible()
    page.get_by_role("link", name="Plan training").first.click()
    page.get_by_label("Person").select_option(label="Ada Lovelace")
    page.get_by_label("First day").fill("2026-03-05")
    shot(page, "training_plan")
    page.get_by_role("button", name="Plan training").click()
    expect(page.get_by_role("status").filter(has_text="Training planned.")).to_be_visible()
    planned = page.locator("section", has=page.get_by_role("heading", name="Planned"))
    expect(planned.get_by_role("cell", name="Ada Lovelace")).to_be_visible()
    shot(page, "course_detail")
    assert list(Absence.objects.filter(resource=ada).values_list("kind", flat=True)) == ["training"]

    planned.get_by_role("link", name="Complete").click()
    expect(page.get_by_role("heading", name="Skills after completion")).to_be_visible()
    page.get_by_label("Completed on").fill("2026-03-06")
    shot(page, "training_complete")
    page.get_by_role("button", name="Record completion").click()
    completed = page.locator("section", has=page.get_by_role("heading", name="Completed"))
    expect(completed.get_by_role("cell", name="2026-03-06")).to_be_visible()
    assert dict(ResourceSkill.objects.filter(resource=ada).values_list("skill__name", "level")) == {
        "Python": 3,
        "SQL": 2,
    }

    page.goto(f"{live_server.url}/training/courses/")
    row = page.get_by_role("row", name="Python for analysts")
    expect(row).to_contain_text("1,250")
    shot(page, "course_list")
    page.goto(f"{live_server.url}/training/records/")
    expect(page.get_by_role("cell", name="Completed", exact=True)).to_be_visible()
    shot(page, "training_records")
