"""KPIs in a real browser (the system's Chromium): the PMO head defines a KPI, the formula checked
as it is typed; the project's page loads its KPI panel; the KPI's trend chart is drawn; a
recommendation is accepted into an action."""

import pytest
from playwright.sync_api import expect

from pmo.core.testing.logins import PASSWORD
from pmo.governance.models import ActionItem
from pmo.kpis import services
from pmo.kpis.models import KPI
from pmo.kpis.tests.conftest import add_snapshots, period
from pmo.portfolio.testing import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Welcome")).to_be_visible()


def test_a_kpi_is_defined_measured_charted_and_acted_on(live_server, page, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    world = build_world()
    add_snapshots(world.project, [1.0, 0.97, 0.94, 0.91])
    base = live_server.url
    _sign_in(page, base, "org.head")

    page.goto(f"{base}/kpis/new/")
    page.get_by_label("Code").fill("CPI")
    page.get_by_label("Name").fill("Cost performance index")
    page.get_by_label("Formula").press_sequentially("ev / spj")
    expect(page.locator("#formula-check")).to_contain_text("Unknown figure 'spj' at column 6 (did you mean 'spi'?)")
    page.get_by_label("Formula").fill("ev / ac")
    page.get_by_label("Formula").press("End")
    expect(page.locator("#formula-check")).to_contain_text("Reads ev (Earned value), ac (Actual cost)")
    page.get_by_label("Target").fill("1")
    page.get_by_label("Amber").fill("0.95")
    page.get_by_label("Red").fill("0.9")
    page.get_by_role("button", name="Save").click()
    kpi = KPI.objects.get(code="CPI")
    expect(page).to_have_url(f"{base}{kpi.get_absolute_url()}")

    for index in range(4):
        services.measure_kpis(period_end=period(index))
    page.goto(f"{base}{world.project.get_absolute_url()}")
    panel = page.locator("#project-kpis")
    expect(panel).to_contain_text("Cost performance index")
    expect(panel).to_contain_text("Fell 3 periods in a row")
    panel.get_by_role("link", name="CPI").click()
    chart = page.locator(f"#kpi-trend-project-{world.project.pk}")
    expect(chart).to_have_attribute("data-ready", "")

    page.goto(f"{base}/kpis/recommendations/")
    row = page.locator("tr", has_text="Review the estimate to complete")
    row.get_by_role("button", name="Accept into an action").click()
    expect(page.locator("body")).to_contain_text("is on the register")
    action = ActionItem.objects.get(project=world.project)
    assert action.title.startswith("CPI on HERE-1: Review the estimate to complete")
