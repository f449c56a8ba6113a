"""The habit detail page in Chromium: edit past days from the calendar, see streaks and notes."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Locator, Page, expect
from sqlalchemy import Engine
from sqlmodel import select

from app.db.engine import build_engine, session_scope
from app.db.tables import Habit
from tests.e2e.test_walking_skeleton import sign_in_with_dev_provider
from tests.support.live_app import LiveApp

CELL_LABEL = re.compile(r"^(\d{1,2} [A-Z][a-z]+ \d{4}): (.+)$")


@pytest.fixture(scope="module")
def app_db(live_app: LiveApp) -> Iterator[Engine]:
    """The live app's own SQLite database, to look up the id of a habit created in the browser."""
    engine = build_engine(f"sqlite:///{live_app.log_path.parent / 'habit-wizard.db'}")
    yield engine
    engine.dispose()


def create_habit_and_open_detail(page: Page, live_app: LiveApp, app_db: Engine, name: str) -> None:
    page.get_by_label("New habit name").fill(name)
    page.get_by_role("button", name="Add habit").click()
    expect(page.get_by_role("checkbox", name=f"Done today: {name}")).to_be_visible()
    with session_scope(app_db) as db:
        habit_id = db.exec(select(Habit.id).where(Habit.name == name)).one()
    page.goto(f"{live_app.base_url}/habits/{habit_id}")
    expect(page.get_by_role("heading", name=name, level=1)).to_be_visible()


def day_cells(page: Page) -> Locator:
    return page.locator("#heatmap").get_by_role("button")


def day_of(cell: Locator) -> str:
    """The day a calendar cell stands for, as the page writes it, e.g. "12 March 2026"."""
    match = CELL_LABEL.match(cell.get_attribute("aria-label") or "")
    assert match is not None
    return match.group(1)


def test_mark_past_days_done_with_note_and_see_streak_and_notes(
    page: Page, live_app: LiveApp, app_db: Engine, console_errors: list[str]
):
    sign_in_with_dev_provider(page, live_app)
    create_habit_and_open_detail(page, live_app, app_db, "Journal for the detail page")

    cells = day_cells(page)
    assert cells.count() >= 365  # at least a year, one button per day
    today, yesterday, day_before = day_of(cells.last), day_of(cells.nth(-2)), day_of(cells.nth(-3))
    expect(cells.last).to_have_attribute("aria-label", f"{today}: no entry")
    expect(page.locator("#current-streak")).to_have_text("No current streak.")
    expect(page.get_by_text("No notes yet.")).to_be_visible()

    # Click yesterday and record it as done with a note.
    cells.nth(-2).click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_role("heading", name=yesterday)).to_be_visible()
    expect(dialog.get_by_role("radio", name="Done", exact=True)).to_be_checked()
    dialog.get_by_label("Note").fill("Wrote two pages")
    dialog.get_by_role("button", name="Save").click()
    expect(dialog).to_have_count(0)
    expect(page.get_by_role("button", name=f"{yesterday}: done")).to_be_visible()
    expect(page.locator("#current-streak")).to_have_text(f"Current streak: 1 day, since {yesterday}.")
    expect(page.locator("#notes .note-item")).to_have_count(1)
    expect(page.locator("#notes .note-item").first).to_contain_text(yesterday)
    expect(page.locator("#notes .note-item").first).to_contain_text("Wrote two pages")

    # The day before, by keyboard: focus its cell, Enter opens the editor.
    cells.nth(-3).focus()
    page.keyboard.press("Enter")
    expect(dialog.get_by_role("heading", name=day_before)).to_be_visible()
    dialog.get_by_label("Note").fill("Short one")
    dialog.get_by_label("Mood").select_option("4")
    dialog.get_by_role("button", name="Save").click()
    expect(page.get_by_role("button", name=f"{day_before}: done")).to_be_visible()
    expect(page.locator("#current-streak")).to_have_text(f"Current streak: 2 days, since {day_before}.")
    expect(page.locator("#best-streaks").get_by_role("row")).to_have_count(2)  # header + one streak
    expect(page.locator("#stat-check-ins")).to_have_text("2")
    expect(page.locator("#stat-last-check-in")).to_have_text(yesterday)

    page.reload()
    expect(page.get_by_role("button", name=f"{yesterday}: done")).to_be_visible()
    expect(page.get_by_role("button", name=f"{day_before}: done")).to_be_visible()
    expect(page.locator("#current-streak")).to_have_text(f"Current streak: 2 days, since {day_before}.")
    notes = page.locator("#notes .note-item")
    expect(notes).to_have_count(2)
    expect(notes.nth(0)).to_contain_text("Wrote two pages")  # newest first
    expect(notes.nth(1)).to_contain_text("Short one")

    # The editor shows what was saved; skipping the day keeps the streak (skips are neutral).
    page.get_by_role("button", name=f"{day_before}: done").click()
    expect(dialog.get_by_label("Note")).to_have_value("Short one")
    expect(dialog.get_by_label("Mood")).to_have_value("4")
    dialog.get_by_role("radio", name="Skipped", exact=True).click()
    dialog.get_by_role("button", name="Save").click()
    expect(page.get_by_role("button", name=f"{day_before}: skipped")).to_be_visible()
    expect(page.locator("#current-streak")).to_have_text(f"Current streak: 1 day, since {yesterday}.")

    # Clearing yesterday removes its entry and its note.
    page.get_by_role("button", name=f"{yesterday}: done").click()
    dialog.get_by_role("button", name="Clear entry").click()
    expect(page.get_by_role("button", name=f"{yesterday}: no entry")).to_be_visible()
    expect(page.locator("#current-streak")).to_have_text("No current streak.")
    expect(page.locator("#notes .note-item")).to_have_count(1)
    assert console_errors == []


def test_strength_resolution_switch_and_text_alternatives(
    page: Page, live_app: LiveApp, app_db: Engine, console_errors: list[str]
):
    sign_in_with_dev_provider(page, live_app)
    create_habit_and_open_detail(page, live_app, app_db, "Stretch for the detail page")
    page.get_by_role("button", name=re.compile(r": no entry$")).last.click()  # today
    page.get_by_role("dialog").get_by_role("button", name="Save").click()

    expect(page.locator("#strength-summary")).to_have_text(
        re.compile(r"^Strength is 5% today, up from 0% when you started on ")
    )
    expect(page.locator("#stat-strength")).to_have_text("5%")
    strength_table = page.get_by_role("table", name="Strength over time")
    expect(strength_table.get_by_role("row")).to_have_count(2)  # header + today
    page.get_by_role("radio", name="Month").click()
    expect(strength_table.get_by_role("cell").first).to_have_text(re.compile(r"^[A-Z][a-z]+ \d{4}$"))
    page.get_by_role("radio", name="Week").click()
    expect(strength_table.get_by_role("cell").first).to_have_text(re.compile(r"^Week of "))

    weekday_table = page.get_by_role("table", name="Check-ins by weekday")
    expect(weekday_table.get_by_role("row")).to_have_count(8)
    expect(page.locator("#weekday-summary")).to_have_text(
        re.compile(r"^Most check-ins on [A-Z][a-z]+days \(1\)\.$")
    )
    assert console_errors == []


def test_unknown_or_malformed_habit_id_shows_not_found(
    page: Page, live_app: LiveApp, console_errors: list[str]
):
    sign_in_with_dev_provider(page, live_app)
    for habit_id in ("999999", "not-a-number"):
        page.goto(f"{live_app.base_url}/habits/{habit_id}")
        expect(page.get_by_role("heading", name="Habit not found")).to_be_visible()
        expect(page.locator("#heatmap")).to_have_count(0)
    assert console_errors == []


def test_phone_width_and_dark_mode_do_not_overflow(browser: Browser, live_app: LiveApp, app_db: Engine):
    context = browser.new_context(viewport={"width": 375, "height": 740}, color_scheme="dark")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    try:
        sign_in_with_dev_provider(page, live_app)
        errors.clear()  # only the detail page is judged here
        create_habit_and_open_detail(page, live_app, app_db, "Walk for the phone check")
        assert page.evaluate("document.documentElement.classList.contains('dark')")
        expect(day_cells(page).last).to_be_in_viewport()  # the calendar starts scrolled to today
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        day_cells(page).last.click()
        expect(page.get_by_role("dialog")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        assert errors == []
    finally:
        context.close()
