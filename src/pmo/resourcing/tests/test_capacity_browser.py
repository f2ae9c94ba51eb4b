"""The capacity heatmap in a real browser (the system's Chromium): a portfolio manager opens it,
sees the overloaded cell, opens what fills it in the side panel (the project they cannot see is
counted, not named), closes it with Escape, and narrows the page to the overloaded people."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from pmo.core.testing.logins import PASSWORD
from pmo.resourcing.tests.test_capacity_selectors import build_capacity_world

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_heatmap_drill_down_and_only_overloaded(live_server, page, world):
    build_capacity_world(world)
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Username").fill("here.manager")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Welcome")).to_be_visible()
    page.goto(f"{live_server.url}{reverse('resourcing:capacity_heatmap')}?start=2026-03-02&periods=6")

    ada = page.get_by_role("row").filter(has=page.get_by_role("link", name="Ada Lovelace"))
    overloaded = ada.locator("td.band-over")
    expect(overloaded).to_have_count(1)
    expect(overloaded).to_have_text("150")

    overloaded.get_by_role("link").click()
    panel = page.locator("#capacity-cell")
    expect(panel).to_contain_text("60.0 h of work on 40.0 h of capacity")
    expect(panel).to_contain_text("CRM replacement")
    expect(panel).to_contain_text("A project you cannot see")
    expect(panel).not_to_contain_text("Warehouse")
    assert page.url.endswith("periods=6"), "the drill-down opens in place"

    page.keyboard.press("Escape")
    expect(panel).to_be_empty()

    page.get_by_label("Only overloaded").check()
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("link", name="Ada Lovelace")).to_be_visible()
    expect(page.get_by_role("link", name="Bob Babbage")).to_have_count(0)
