"""The portfolio dashboard in a real browser (the system's Chromium): a portfolio manager opens it,
every chart is drawn by plotly.js served from this server (no request leaves it), a filter
narrows the figures, a health bar opens the projects behind it and a point of the SPI-against-CPI
chart opens its project."""

import os
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from pmo.core.testing.logins import PASSWORD
from pmo.dashboards.testing import add_projects
from pmo.portfolio.choices import LifecycleStage
from pmo.portfolio.models import Project

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHARTS = ("chart-rag", "chart-dimensions", "chart-performance", "chart-s-curve", "chart-value-risk-cost")


def shot(page, name: str) -> None:
    """Keep a picture of the page when PMO_SCREENSHOTS names a folder (for reviewing the layout)."""
    folder = os.environ.get("PMO_SCREENSHOTS")
    if folder:
        page.screenshot(path=os.path.join(folder, f"{name}.png"), full_page=True)


def _click_centre(page, locator) -> None:
    """Click where a chart draws the element: plotly listens on the layer above its shapes."""
    locator.scroll_into_view_if_needed()
    box = locator.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def _wait_for_charts(page) -> None:
    for chart in CHARTS:
        expect(page.locator(f"#{chart}")).to_have_attribute("data-ready", "")


def test_a_portfolio_manager_reads_filters_and_clicks_through_the_dashboard(live_server, page, world):
    add_projects(world, 6)
    Project.objects.filter(code="DASH-5").update(stage=LifecycleStage.PLANNING)
    requests = []
    page.on("request", lambda request: requests.append(request.url))

    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Username").fill("here.manager")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Welcome")).to_be_visible()

    page.goto(f"{live_server.url}/dashboard/")
    _wait_for_charts(page)
    expect(page.locator("#milestones")).to_contain_text("Go live 0")
    expect(page.locator("#top-risks")).to_contain_text("Supplier 4 fails")
    assert page.evaluate("typeof window.Plotly") == "object"
    live = urlparse(live_server.url).netloc
    assert requests and all(urlparse(url).netloc == live for url in requests if not url.startswith("data:"))
    assert any(url.endswith("/static/vendor/plotly.min.js") for url in requests)
    shot(page, "dashboard")

    page.locator("#id_stage").select_option("planning")
    page.get_by_role("button", name="Filter").click()
    _wait_for_charts(page)
    expect(page.locator("main")).to_contain_text("1 project")
    expect(page.locator("#milestones")).to_contain_text("Go live 5")
    expect(page.locator("#milestones")).not_to_contain_text("Go live 0")

    # DASH-5 is amber overall: its bar in the RAG chart opens the list of the planning projects.
    amber = page.locator("#chart-rag .trace.bars").nth(1)  # red, amber, green, not assessed
    _click_centre(page, amber.locator(".point path").first)
    page.wait_for_url("**/dashboard/projects/**")
    expect(page.locator("#object-table")).to_contain_text("DASH-5")
    expect(page.locator("#object-table")).not_to_contain_text("DASH-4")
    page.get_by_role("link", name="DASH-5").click()
    expect(page.get_by_role("heading", name="Dashboard project 5")).to_be_visible()

    page.goto(f"{live_server.url}/dashboard/?stage=planning")
    _wait_for_charts(page)
    _click_centre(page, page.locator("#chart-performance .point").first)
    page.wait_for_url(f"**/projects/{Project.objects.get(code='DASH-5').pk}/")
    expect(page.get_by_role("heading", name="Dashboard project 5")).to_be_visible()
