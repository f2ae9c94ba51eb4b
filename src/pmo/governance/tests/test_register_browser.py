"""A RAID register in a real browser (the system's Chromium): the portfolio manager opens a
project's register from its page, records a risk above the escalation threshold, sees it marked
escalated, finds it on the programme's register and through the heat map's cell, and marks a
response action done from "my actions"."""

import os

import pytest
from playwright.sync_api import expect

from pmo.core.testing.logins import PASSWORD
from pmo.governance.models import ActionItem, Escalation, Risk

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def shot(page, name: str) -> None:
    """Keep a picture of the page when PMO_SCREENSHOTS names a folder (for reviewing the layout)."""
    folder = os.environ.get("PMO_SCREENSHOTS")
    if folder:
        page.screenshot(path=os.path.join(folder, f"{name}.png"), full_page=True)


def test_a_risk_goes_up_to_the_programme_and_its_action_is_done(live_server, page, world):
    world.permitted.person.full_name = "Here Manager"
    world.permitted.person.save()
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Username").fill("here.manager")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Welcome")).to_be_visible()

    page.goto(f"{live_server.url}{world.project.get_absolute_url()}")
    page.get_by_role("link", name="RAID register and decisions").click()
    expect(page.get_by_role("heading", name="RAID register")).to_be_visible()
    page.get_by_role("link", name="New risk").click()
    page.locator("#id_title").fill("Vendor goes out of business")
    page.locator("#id_cause").fill("The vendor lost its two largest customers")
    page.locator("#id_probability").select_option(label="4 High")
    page.locator("#id_impact").select_option(label="5 Very high")
    page.locator("#id_response").select_option(label="Transfer")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Escalated to Digital")).to_be_visible()
    risk = Risk.objects.get()
    assert risk.score == 20 and Escalation.objects.get(risk=risk).is_active
    shot(page, "risk")

    page.get_by_role("link", name="Add a response action").click()
    page.locator("#id_title").fill("Escrow the source code")
    page.locator("#id_owner").select_option(label="Here Manager")
    page.get_by_role("button", name="Save").click()

    page.goto(f"{live_server.url}{world.programme.get_absolute_url()}")
    page.get_by_role("link", name="RAID register and decisions").click()
    expect(page.locator("#register-table")).to_contain_text("escalated from HERE-1")
    page.get_by_role("link", name="Heat map").click()
    shot(page, "heat_map")
    page.locator("figure[aria-label='Inherent risk heat map'] td.red a").first.click()
    expect(page.locator("#register-table")).to_contain_text("Vendor goes out of business")

    page.get_by_role("link", name="My actions").click()
    expect(page.locator("#open-actions")).to_contain_text("Escrow the source code")
    shot(page, "my_actions")
    page.locator("#open-actions").get_by_role("button", name="Done").click()
    expect(page.locator("#open-actions")).to_contain_text("No other open action.")
    assert ActionItem.objects.get().status == "done"
