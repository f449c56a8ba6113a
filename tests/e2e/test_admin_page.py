"""The admin page in a browser: admins (from verified ADMIN_EMAILS) see accounts, others don't."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.test_walking_skeleton import sign_in_with_dev_provider
from tests.support.live_app import LiveApp, running_app


@pytest.fixture(scope="module")
def live_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveApp]:
    # The development provider's predefined user "ada" has the verified email ada@example.org.
    with running_app(
        tmp_path_factory.mktemp("admin-app"), extra_env={"ADMIN_EMAILS": "ada@example.org"}
    ) as app:
        yield app


def sign_in_as(page: Page, app: LiveApp, subject: str) -> None:
    page.goto(f"{app.base_url}/signin")
    page.get_by_role("link", name="Sign in with Development sign-in").click()
    page.locator("input[name=sub]").fill(subject)
    page.get_by_role("button", name="Authorize").click()
    expect(page.locator("#display-name")).to_have_text(subject)


def test_non_admin_is_refused_and_sees_no_accounts(browser: Browser, live_app: LiveApp):
    context = browser.new_context()
    page = context.new_page()
    try:
        sign_in_as(page, live_app, "mallory")
        expect(page.get_by_role("link", name="Admin")).to_have_count(0)
        page.goto(f"{live_app.base_url}/admin")
        expect(page.locator("#admins-only")).to_be_visible()
        expect(page.get_by_role("cell")).to_have_count(0)
    finally:
        context.close()


def test_admin_sees_accounts_and_disables_one(
    page: Page, browser: Browser, live_app: LiveApp, console_errors
):
    other = browser.new_context()
    other_page = other.new_page()
    try:
        sign_in_as(other_page, live_app, "eve")
        sign_in_with_dev_provider(page, live_app)
        page.get_by_role("link", name="Admin").click()
        expect(page.get_by_role("cell", name="eve", exact=True).first).to_be_visible()

        page.get_by_role("button", name="Disable eve").click()
        expect(page.get_by_role("button", name="Enable eve")).to_be_visible()

        # Eve's open page loses access on her very next event.
        other_page.get_by_label("New habit name").fill("Anything")
        other_page.get_by_role("button", name="Add habit").click()
        expect(other_page).to_have_url(f"{live_app.base_url}/signin")
    finally:
        other.close()
    assert console_errors == []
