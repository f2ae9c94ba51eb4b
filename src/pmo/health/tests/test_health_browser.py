"""Health in a real browser (the system's Chromium): the project page loads the health card with
the rules that fired; the health page draws the S-curve; the manager recomputes the health."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from pmo.core.testing.logins import PASSWORD
from pmo.health.models import HealthCheck
from pmo.health.testing import build_health_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Welcome")).to_be_visible()


def test_health_card_page_and_recompute_in_the_browser(live_server, page, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    hw = build_health_world()
    # Load every app's URLs (and the engine they import) before the first page is asked for.
    reverse("health:health_list")
    project = hw.world.project
    _sign_in(page, live_server.url, "hw.manager")
    page.goto(f"{live_server.url}{project.get_absolute_url()}")
    card = page.locator("#project-health")
    expect(card.locator(".health-fired")).to_contain_text("Open high risks 2 is above the amber threshold 1")
    expect(card.locator("[data-dimension=risk]")).to_contain_text("Amber")
    card.get_by_role("link", name="Health and earned value").click()
    expect(page.locator("#evm-measures [data-measure=bac]")).to_contain_text("3,000")
    expect(page.locator("#evm-s-curve[data-ready]")).to_be_visible()
    page.get_by_role("button", name="Recompute now").click()
    expect(page.locator("#health-latest")).to_contain_text("Week ending")
    assert HealthCheck.objects.filter(project=project, is_latest=True).exists()
