"""Levelling the demo portfolio in a real browser (the system's Chromium): the PMO head opens the
levelling of the whole organisation, sees the overloaded people, levels every project together,
reads the scenario (no overload after), accepts it, and the load histogram then shows nobody above
100 %."""

from datetime import date

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from pmo.demo.build import build_demo
from pmo.demo.logins import DEMO_PASSWORD
from pmo.levelling.models import LevellingRun
from pmo.planning.models import Activity

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def test_the_pmo_head_levels_the_demo_portfolio(live_server, page, settings):
    settings.TASKS = IMMEDIATE  # the run computes when its request commits, as a worker would
    build_demo(size="small", seed=2026, today=date.today())

    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Username").fill("pmo.head")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Welcome")).to_be_visible()

    page.get_by_role("link", name="Levelling").click()
    page.get_by_role("link", name="level the whole organisation").click()
    overloaded = page.locator("#overloaded-people")
    expect(overloaded).to_be_visible(timeout=30_000)
    assert int(overloaded.inner_text()) > 0
    expect(page.locator("#current-load .bar-over").first).to_be_visible()

    page.get_by_label("Time limit (seconds)").fill("10")
    with page.expect_navigation(timeout=180_000):  # the run computes inside this request here
        page.get_by_role("button", name="Level resources").click(no_wait_after=True)
    expect(page.locator("#scenario")).to_be_visible()
    expect(page.locator("#overload-after")).to_have_text("0.0")
    run = LevellingRun.objects.get()
    assert run.moved_count > 0
    assert page.locator(".after-overloaded-days").all_inner_texts() == ["0"] * page.locator(".load-row").count()

    with page.expect_navigation(timeout=120_000):
        page.get_by_role("button", name="Accept: write these dates").click(no_wait_after=True)
    expect(page.locator("#run-state")).to_contain_text("Accepted", timeout=60_000)
    assert Activity.objects.filter(levelling_delay_minutes__gt=0).exists()

    page.goto(f"{live_server.url}{reverse('levelling:level_organisation')}")
    expect(page.locator("#overloaded-people")).to_have_text("0", timeout=30_000)
    expect(page.locator("#current-load .bar-over")).to_have_count(0)
