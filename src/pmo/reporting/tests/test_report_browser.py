"""A highlight report's whole cycle in a real browser (the system's Chromium): the manager drafts
the report from the project's page (the figures are pre-filled), writes the narrative and submits
it; the PMO analyst returns it with a comment; the manager answers and submits again; the analyst
approves it, collates the programme's pack, issues it and downloads its PDF."""

import os
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from playwright.sync_api import expect

from pmo.core.testing.logins import PASSWORD
from pmo.reporting.models import HighlightReport, ReportPack
from pmo.reporting.testing import build_reporting_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shot(page, name: str) -> None:
    """Keep a picture of the page when PMO_SCREENSHOTS names a folder (for reviewing the layout)."""
    folder = os.environ.get("PMO_SCREENSHOTS")
    if folder:
        page.screenshot(path=os.path.join(folder, f"{name}.png"), full_page=True)


def _sign_in(page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Welcome")).to_be_visible()


def _draft_and_submit(page, base: str, rw) -> None:
    page.goto(f"{base}{rw.project.get_absolute_url()}")
    page.locator("#highlight-reports").get_by_role("link", name="Highlight reports").click()
    page.get_by_role("link", name="Draft a report").click()
    page.get_by_label("Period").fill("2026-03-15")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#report-status")).to_have_text("Draft")
    expect(page.locator("#fact-indices")).to_have_text("0.75 / 0.83")
    expect(page.locator("#fact-milestones")).to_contain_text("Go live")
    expect(page.locator("#fact-milestones")).to_contain_text("2026-04-03")
    shot(page, "report-draft")
    page.get_by_role("link", name="Write").click()
    page.get_by_label("Summary").fill("Build is a week late; go-live moves to 3 April.")
    page.get_by_label("Achievements this period").fill("Design signed off.")
    for dimension, text in (
        ("schedule", "Build slipped a week."),
        ("cost", "Overtime to recover."),
        ("scope", "One change approved."),
        ("resources", "Ada is overbooked."),
        ("governance", "Earlier reports were late."),
    ):
        page.locator(f"#id_comment_{dimension}").fill(text)
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Submit").click()
    page.get_by_role("button", name="Submit").click()
    expect(page.locator("#report-status")).to_have_text("Submitted")


def _answer_and_resubmit(page, base: str, report) -> None:
    page.goto(f"{base}{report.get_absolute_url()}")
    expect(page.locator("#review-comment")).to_contain_text("Say what the board must decide")
    page.get_by_role("link", name="Write").click()
    page.get_by_label("Decisions needed from the board").fill("Accept the new go-live date of 3 April.")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Submit").click()
    page.get_by_role("button", name="Submit").click()
    expect(page.locator("#report-status")).to_have_text("Submitted")


def _collate_issue_and_download(page, base: str, rw) -> bytes:
    page.goto(f"{base}/highlight-reports/?period=2026-03-15")
    expect(page.locator("#report-board")).to_contain_text("HERE-2")
    page.get_by_role("link", name="Collate a pack").click()
    page.get_by_label("Programme").select_option(label=str(rw.world.programme))
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#pack-summary")).to_contain_text("HERE-1")
    page.get_by_role("button", name="Issue").click()
    expect(page.locator("#pack-status")).to_have_text("Issued")
    shot(page, "report-pack")
    with page.expect_download() as download:
        page.get_by_role("link", name="PDF").click()
    return Path(download.value.path()).read_bytes()


def test_a_report_is_drafted_returned_approved_and_collated_in_the_browser(live_server, page, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.TIME_ZONE = "UTC"
    rw = build_reporting_world()
    base = live_server.url

    _sign_in(page, base, "hw.manager")
    _draft_and_submit(page, base, rw)

    _sign_in(page, base, "hw.analyst")
    report = HighlightReport.objects.get(project=rw.project)
    page.goto(f"{base}{report.get_absolute_url()}")
    page.get_by_label("Comment").fill("Say what the board must decide about go-live.")
    page.get_by_role("button", name="Return to the manager").click()
    expect(page.locator("#report-status")).to_have_text("Returned")

    _sign_in(page, base, "hw.manager")
    _answer_and_resubmit(page, base, report)

    _sign_in(page, base, "hw.analyst")
    page.goto(f"{base}{report.get_absolute_url()}")
    page.get_by_role("button", name="Approve").click()
    expect(page.locator("#report-status")).to_have_text("Approved")

    content = _collate_issue_and_download(page, base, rw)
    assert content.startswith(b"%PDF")
    document = pdfium.PdfDocument(content)
    assert "HERE-P highlight reports 2026-03" in document[0].get_textpage().get_text_range()
    pixels = document[1].render(scale=1).to_numpy()
    assert pixels.shape[0] > pixels.shape[1] and (pixels[..., :3].mean(axis=2) < 128).mean() > 0.005
    assert ReportPack.objects.get().content["counts"]["approved"] == 1
