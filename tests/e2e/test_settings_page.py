"""Settings in a real browser: the profile, the session list, revoking, signing out everywhere.

Each test signs in as its own user (a `sub` typed on the development provider's form, which
also becomes the display name), so tests sharing the module's live app never see each
other's sessions or profile changes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, expect

from tests.support.live_app import LiveApp

SIGN_IN_URL = re.compile(r"/signin/?(\?.*)?$")
SIGNED_OUT_URL = re.compile(r"/signin/?\?signed_out=1$")


def sign_in_as(page: Page, app: LiveApp, sub: str) -> None:
    page.goto(f"{app.base_url}/")
    expect(page).to_have_url(SIGN_IN_URL)
    page.get_by_role("link", name="Sign in with Development sign-in").click()
    page.locator("input[name=sub]").fill(sub)
    page.get_by_role("button", name="Authorize").click()
    expect(page.locator("#display-name")).to_have_text(sub)


def open_settings(page: Page, app: LiveApp) -> None:
    page.goto(f"{app.base_url}/settings")
    expect(page.get_by_role("heading", name="Profile")).to_be_visible()


def watch_console(page: Page, app: LiveApp, errors: list[str]) -> None:
    def record(message: ConsoleMessage) -> None:
        if message.type == "error" and page.url.startswith(app.base_url):
            errors.append(f"{message.text} at {message.location.get('url')}")

    page.on("console", record)
    page.on("pageerror", lambda error: errors.append(str(error)))


@pytest.fixture
def contexts(browser: Browser) -> Iterator[list[BrowserContext]]:
    """Extra browser contexts a test opens (separate cookie jars: separate sessions)."""
    opened: list[BrowserContext] = []
    yield opened
    for context in opened:
        context.close()


def new_page(
    browser: Browser, app: LiveApp, contexts: list[BrowserContext], errors: list[str], **options
) -> Page:
    context = browser.new_context(**options)
    contexts.append(context)
    page = context.new_page()
    watch_console(page, app, errors)
    return page


def choose_day_end(page: Page, label: str) -> None:
    page.get_by_label("Day ends at").click()
    page.get_by_role("option", name=label).click()
    expect(page.get_by_label("Day ends at")).to_have_text(label)


def test_profile_changes_are_saved_and_shown_after_reload(
    page: Page, live_app: LiveApp, console_errors: list[str]
):
    sign_in_as(page, live_app, "profile-person")
    open_settings(page, live_app)
    expect(page.get_by_label("Name")).to_have_value("profile-person")
    expect(page.get_by_label("Time zone")).to_have_value("UTC")
    expect(page.get_by_label("Day ends at")).to_have_text("00:00")
    expect(page.get_by_text("A day ends at 03:00 means check-ins before 3 am count")).to_be_visible()

    page.get_by_label("Name").fill("Grace Hopper")
    page.get_by_label("Time zone").fill("America/New_York")
    choose_day_end(page, "04:00")
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_text("Settings saved.")).to_be_visible()
    expect(page.locator("#display-name")).to_have_text("Grace Hopper")

    page.reload()
    expect(page.locator("#display-name")).to_have_text("Grace Hopper")
    expect(page.get_by_label("Name")).to_have_value("Grace Hopper")
    expect(page.get_by_label("Time zone")).to_have_value("America/New_York")
    expect(page.get_by_label("Day ends at")).to_have_text("04:00")
    expect(page.get_by_role("link", name="Import and export your data")).to_have_attribute(
        "href", "/settings/data"
    )
    assert console_errors == []


def test_an_unknown_time_zone_is_refused_and_nothing_is_stored(
    page: Page, live_app: LiveApp, console_errors: list[str]
):
    sign_in_as(page, live_app, "zone-person")
    open_settings(page, live_app)

    page.get_by_label("Name").fill("Renamed")
    page.get_by_label("Time zone").fill("Mars/Olympus_Mons")
    choose_day_end(page, "05:00")
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_text("Unknown time zone 'Mars/Olympus_Mons'.")).to_be_visible()

    page.reload()
    expect(page.locator("#display-name")).to_have_text("zone-person")
    expect(page.get_by_label("Name")).to_have_value("zone-person")
    expect(page.get_by_label("Time zone")).to_have_value("UTC")
    expect(page.get_by_label("Day ends at")).to_have_text("00:00")
    assert console_errors == []


def test_a_revoked_session_stops_at_its_next_event_and_sign_out_everywhere_ends_all(
    browser: Browser, live_app: LiveApp, contexts: list[BrowserContext]
):
    errors: list[str] = []
    first = new_page(browser, live_app, contexts, errors)
    second = new_page(browser, live_app, contexts, errors)
    sign_in_as(first, live_app, "two-browsers")
    sign_in_as(second, live_app, "two-browsers")
    # The second browser's Today page has loaded over its websocket, which stays open.
    expect(second.locator("#empty-habits")).to_be_visible()

    open_settings(first, live_app)
    sessions = first.locator(".session-row")
    expect(sessions).to_have_count(2)
    expect(sessions.filter(has_text="This browser")).to_have_count(1)
    other = sessions.filter(has_not_text="This browser")
    other.get_by_role("button", name=re.compile(r"^Revoke session: ")).click()
    expect(first.get_by_text("Session revoked: that browser is signed out.")).to_be_visible()
    expect(sessions).to_have_count(1)

    # The very next event on the already open websocket finds no session.
    second.get_by_label("New habit name").fill("Written after revoking")
    second.get_by_role("button", name="Add habit").click()
    expect(second).to_have_url(SIGN_IN_URL)
    expect(second.locator("#display-name")).to_have_count(0)
    expect(second.get_by_role("alert")).to_contain_text("Your session has ended")
    first.goto(f"{live_app.base_url}/")
    expect(first.locator("#empty-habits")).to_be_visible()  # the habit was not created

    open_settings(first, live_app)
    first.get_by_role("button", name="Sign out everywhere").click()
    dialog = first.get_by_role("alertdialog")
    expect(dialog).to_contain_text("including this browser's")
    dialog.get_by_role("button", name="Sign out everywhere").click()
    expect(first).to_have_url(SIGNED_OUT_URL)
    expect(first.locator("#signed-out")).to_be_visible()
    first.goto(f"{live_app.base_url}/settings")
    expect(first).to_have_url(SIGN_IN_URL)
    assert errors == []


def test_cancelling_sign_out_everywhere_keeps_the_session(
    page: Page, live_app: LiveApp, console_errors: list[str]
):
    sign_in_as(page, live_app, "cancel-person")
    open_settings(page, live_app)

    page.get_by_role("button", name="Sign out everywhere").click()
    page.get_by_role("alertdialog").get_by_role("button", name="Cancel").click()
    expect(page.get_by_role("alertdialog")).to_have_count(0)

    page.reload()
    expect(page.locator("#display-name")).to_have_text("cancel-person")
    expect(page.locator(".session-row")).to_have_count(1)
    assert console_errors == []


def test_revoking_this_browsers_own_session_signs_it_out(
    page: Page, live_app: LiveApp, console_errors: list[str]
):
    sign_in_as(page, live_app, "own-session-person")
    open_settings(page, live_app)

    page.get_by_role("button", name=re.compile(r"^Revoke this browser's session")).click()
    expect(page).to_have_url(SIGNED_OUT_URL)
    page.goto(f"{live_app.base_url}/")
    expect(page).to_have_url(SIGN_IN_URL)
    assert console_errors == []


def test_phone_width_and_dark_mode(browser: Browser, live_app: LiveApp, contexts: list[BrowserContext]):
    errors: list[str] = []
    page = new_page(
        browser, live_app, contexts, errors, viewport={"width": 375, "height": 740}, color_scheme="dark"
    )
    sign_in_as(page, live_app, "phone-person")
    open_settings(page, live_app)
    expect(page.locator(".session-row")).to_have_count(1)

    assert page.evaluate("document.documentElement.classList.contains('dark')")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.get_by_role("button", name="Sign out everywhere").click()
    expect(page.get_by_role("alertdialog")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert errors == []


def test_insights_opens_on_the_chosen_default_window(
    page: Page, live_app: LiveApp, console_errors: list[str]
):
    sign_in_as(page, live_app, "iris")
    page.goto(f"{live_app.base_url}/settings")
    page.locator("#insights-window").click()
    page.get_by_role("option", name="Last 90 days").click()
    expect(page.get_by_text("Insights will open on this window.")).to_be_visible()

    page.goto(f"{live_app.base_url}/insights")
    expect(page.locator("#window-picker")).to_have_text("Last 90 days")
    page.reload()
    expect(page.locator("#window-picker")).to_have_text("Last 90 days")
    assert console_errors == []
