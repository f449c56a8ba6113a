"""The newcomer's path in a real browser: sign in, add a habit, check in, reload, sign out."""

from __future__ import annotations

import re
import sqlite3

from playwright.sync_api import Page, expect

from tests.support.live_app import LiveApp

DEV_USER_NAME = "Ada Lovelace"


def sign_in_with_dev_provider(page: Page, app: LiveApp) -> None:
    page.goto(f"{app.base_url}/")
    expect(page).to_have_url(re.compile(r"/signin"))
    page.get_by_role("link", name="Sign in with Development sign-in").click()
    # The development provider's own form: pick the predefined user.
    page.get_by_role("button", name="ada").click()
    expect(page.locator("#display-name")).to_have_text(DEV_USER_NAME)


def test_sign_in_create_check_in_reload_sign_out(page: Page, live_app: LiveApp, console_errors: list[str]):
    sign_in_with_dev_provider(page, live_app)
    expect(page).to_have_url(f"{live_app.base_url}/")

    page.get_by_label("New habit name").fill("Read 10 pages")
    page.get_by_role("button", name="Add habit").click()
    check = page.get_by_role("checkbox", name="Done today: Read 10 pages")
    expect(check).not_to_be_checked()

    check.click()
    expect(check).to_be_checked()

    page.reload()
    expect(page.locator("#display-name")).to_have_text(DEV_USER_NAME)
    expect(page.get_by_role("checkbox", name="Done today: Read 10 pages")).to_be_checked()

    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/signin/?\?signed_out=1"))
    expect(page.locator("#signed-out")).to_be_visible()

    # Signed out for real: the Today page sends us back to sign in.
    page.goto(f"{live_app.base_url}/")
    expect(page).to_have_url(re.compile(r"/signin"))
    assert console_errors == []


def test_habit_name_validation_shows_message_and_stores_nothing(page: Page, live_app: LiveApp):
    sign_in_with_dev_provider(page, live_app)
    rows_before = page.locator(".habit-row").count()

    page.get_by_label("New habit name").fill("x" * 121)
    page.get_by_role("button", name="Add habit").click()
    expect(page.get_by_text("Keep the name to 120 characters")).to_be_visible()

    page.get_by_label("New habit name").fill("   ")
    page.get_by_role("button", name="Add habit").click()
    expect(page.get_by_text("Give the habit a name.")).to_be_visible()

    page.reload()
    expect(page.locator("#display-name")).to_have_text(DEV_USER_NAME)
    expect(page.locator(".habit-row")).to_have_count(rows_before)


def test_denied_consent_lands_on_sign_in_with_message(page: Page, live_app: LiveApp):
    page.goto(f"{live_app.base_url}/signin")
    page.get_by_role("link", name="Sign in with Development sign-in").click()
    page.get_by_role("button", name="Deny").click()
    expect(page).to_have_url(re.compile(r"/signin/?\?error="))
    expect(page.get_by_role("alert")).to_contain_text("cancelled")
    expect(page.locator("#display-name")).to_have_count(0)


def test_skip_undo_and_details_survive_reload(page: Page, live_app: LiveApp, console_errors: list[str]):
    sign_in_with_dev_provider(page, live_app)
    page.get_by_label("New habit name").fill("Meditate")
    page.get_by_role("button", name="Add habit").click()
    row = page.locator(".habit-row", has_text="Meditate")

    page.get_by_role("button", name="Skip today: Meditate").click()
    expect(row.get_by_text("Skipped")).to_be_visible()
    page.get_by_role("button", name="Skip today: Meditate").click()  # now reads "Unskip"
    expect(row.get_by_text("Due", exact=True)).to_be_visible()

    page.get_by_role("button", name="Details: Meditate").click()
    page.get_by_label("Note").fill("Ten calm minutes")
    page.get_by_role("button", name="Save").click()
    expect(row.get_by_text("Done", exact=True)).to_be_visible()

    page.reload()
    row = page.locator(".habit-row", has_text="Meditate")
    expect(row.get_by_text("Done", exact=True)).to_be_visible()
    expect(page.get_by_role("checkbox", name="Done today: Meditate")).to_be_checked()
    assert console_errors == []


def test_phone_width_and_dark_mode(browser, live_app: LiveApp):
    context = browser.new_context(viewport={"width": 375, "height": 740}, color_scheme="dark")
    page = context.new_page()
    try:
        sign_in_with_dev_provider(page, live_app)
        assert page.evaluate("document.documentElement.classList.contains('dark')")
        # Nothing overflows the phone's width.
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
    finally:
        context.close()


def test_keyboard_alone_reaches_and_checks_a_habit_with_visible_focus(page: Page, live_app: LiveApp):
    sign_in_with_dev_provider(page, live_app)
    page.get_by_label("New habit name").fill("Stretch by keyboard")
    page.keyboard.press("Enter")
    box = page.get_by_role("checkbox", name="Done today: Stretch by keyboard")
    expect(box).to_be_visible()

    page.get_by_label("New habit name").focus()
    for _ in range(40):
        page.keyboard.press("Tab")
        if box.evaluate("element => element === document.activeElement"):
            break
    else:
        raise AssertionError("Tab never reached the habit's checkbox")
    # Keyboard focus is visible: an outline is drawn on the control or (Radix) its ::before.
    outlines = box.evaluate(
        "e => [null, '::before', '::after'].map(p => getComputedStyle(e, p).outlineStyle)"
    )
    assert any(style not in ("none", "") for style in outlines), outlines

    page.keyboard.press("Space")
    expect(box).to_be_checked()


def test_a_check_in_shows_at_once_and_a_refused_one_flips_back(page: Page, live_app: LiveApp):
    """The box ticks on click, before the server answers; a refusal unticks it with a message."""
    sign_in_with_dev_provider(page, live_app)
    page.get_by_label("New habit name").fill("Deleted elsewhere")
    page.get_by_role("button", name="Add habit").click()
    check = page.get_by_role("checkbox", name="Done today: Deleted elsewhere")
    expect(check).not_to_be_checked()
    card = page.locator(".habit-row", has=check)
    revision = card.get_attribute("data-revision")

    # Another tab deletes the habit: this page still shows it, and the server will refuse.
    with sqlite3.connect(live_app.log_path.parent / "habit-wizard.db") as db:
        db.execute("DELETE FROM habits WHERE name = 'Deleted elsewhere'")
    check.evaluate(
        """box => { window.seen = [];
          new MutationObserver(() => window.seen.push(box.getAttribute('aria-checked')))
            .observe(box, {attributes: true, attributeFilter: ['aria-checked']}); }"""
    )
    check.click()
    expect(page.get_by_text("That habit does not exist.")).to_be_visible()
    expect(card).not_to_have_attribute("data-revision", revision or "")
    expect(check).not_to_be_checked()
    # Ticked before the answer (the refusal changes nothing stored), then unticked by it.
    assert page.evaluate("window.seen") == ["true", "false"]
