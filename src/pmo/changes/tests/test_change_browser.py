"""A change request in a real browser (the system's Chromium): the project manager raises it with
an affected activity and submits it; the page shows the engine's new finish and delay; the
project board's executive approves it with a reason."""

import pytest
from playwright.sync_api import expect

from pmo.changes.models import ChangeRequest
from pmo.changes.testing import build_change_world
from pmo.core.testing.logins import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Welcome")).to_be_visible()


def test_a_change_is_raised_analysed_and_approved_in_the_browser(live_server, page, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cw = build_change_world()
    _sign_in(page, live_server.url, "cw.manager")
    page.goto(f"{live_server.url}{cw.world.project.get_absolute_url()}")
    page.get_by_role("link", name="Raise a change").click()
    page.get_by_label("Title").fill("Document every interface")
    page.locator("select[name=activities-0-activity]").select_option(label="Documentation")
    page.locator("input[name=activities-0-new_duration_days]").fill("6")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#change-status")).to_have_text("Draft")
    page.get_by_role("button", name="Submit").click()
    expect(page.locator("#change-status")).to_have_text("Submitted")
    expect(page.locator("#delay-days")).to_have_text("3.00 working days")
    expect(page.locator("#routing")).to_contain_text("the project board decides it")
    change = ChangeRequest.objects.get(title="Document every interface")
    expect(page.locator("#finish-after")).to_contain_text(f"{change.finish_after:%Y-%m-%d}")

    page.context.clear_cookies()
    _sign_in(page, live_server.url, "cw.executive")
    page.goto(f"{live_server.url}{change.get_absolute_url()}")
    page.get_by_label("Reason").fill("Worth three days.")
    page.get_by_role("button", name="Approve").click()
    expect(page.locator("#change-status")).to_have_text("Approved")
    assert ChangeRequest.objects.get(pk=change.pk).decided_by.username == "cw.executive"
