"""A stage gate in a real browser (the system's Chromium), in a controlling organisation: the
project manager tries to move the project from planning to delivery and is refused with what the
gate still needs; opens the review and adds the evidence (a document, a link, a figure); the
sponsor approves; the move then succeeds."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from pmo.core.testing.logins import PASSWORD
from pmo.lifecycle import services
from pmo.lifecycle.tests.gate_world import build_gate_world

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def sign_in(page, url: str, username: str) -> None:
    page.goto(f"{url}/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Welcome")).to_be_visible()


def test_a_controlling_gate_refuses_then_lets_the_project_into_delivery(live_server, page, settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
    settings.MEDIA_ROOT = tmp_path
    gw = build_gate_world()
    draft = services.start_charter_draft(actor=gw.head)
    services.update_charter(actor=gw.head, charter=draft, changes={"purpose": "Govern.", "pmo_model": "controlling"})
    services.publish_charter(actor=gw.head, charter=draft)
    # The project's gates page carries the same panel as the project page, without the project
    # page's parallel panels (the test server shares one SQLite connection between its threads).
    gates_url = f"{live_server.url}{reverse('lifecycle:project_gates', args=[gw.project.pk])}"

    sign_in(page, live_server.url, "pat.manager")
    page.goto(gates_url)
    page.get_by_role("button", name="Move to Delivery").click()
    refusal = page.locator(".message.error")
    expect(refusal).to_contain_text("Planning → Delivery needs an approved gate review")
    expect(refusal).to_contain_text("3 of 3 criteria have no evidence (Business case approved, Plan baselined")
    expect(page.locator("#project-stage")).to_have_text("Planning")

    page.goto(gates_url)
    page.get_by_role("button", name="Open the review of Planning → Delivery").click()
    expect(page.get_by_role("heading", name="Gate Planning → Delivery")).to_be_visible()
    page.get_by_role("link", name="Add evidence: Business case approved").click()
    page.get_by_label("Document").set_input_files(
        files=[{"name": "business-case.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 case"}]
    )
    page.get_by_role("button", name="Save evidence").click()
    page.get_by_role("link", name="Add evidence: Plan baselined").click()
    page.get_by_label("Link").fill("https://plans.example/crm/baseline")
    page.get_by_role("button", name="Save evidence").click()
    page.get_by_role("link", name="Add evidence: Budget confirmed").click()
    page.get_by_label("Figure").fill("480000")
    page.get_by_label("Unit").fill("EUR")
    page.get_by_role("button", name="Save evidence").click()
    checklist = page.locator("#checklist")
    expect(checklist).to_contain_text("business-case.pdf")
    expect(checklist).to_contain_text("480000.00 EUR")
    expect(checklist.get_by_text("Missing")).to_have_count(0)
    review_url = page.url
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, live_server.url, "sam.sponsor")
    page.goto(review_url)
    page.get_by_label("Decision").select_option("go")
    page.get_by_label("Comment").fill("The case holds.")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator("#review-status")).to_have_text("Approved")
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, live_server.url, "pat.manager")
    page.goto(gates_url)
    page.get_by_role("button", name="Move to Delivery").click()
    expect(page.locator(".message.success")).to_contain_text("HERE-1 moved to Delivery.")
    expect(page.locator("#project-stage")).to_have_text("Delivery")
