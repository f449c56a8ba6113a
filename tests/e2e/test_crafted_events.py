"""Crafted websocket events: a signed-in attacker sends events carrying another person's ids.

The browser is never trusted: these events go straight to the `/_event` socket with the
attacker's own session cookie, bypassing the UI, and must change nothing of the victim's.
"""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from app.ui.pages.admin import AdminState
from app.ui.pages.habit_detail import HabitDetailState
from app.ui.pages.habits import HabitsState
from app.ui.pages.today import TodayState
from tests.support.event_socket import EventSocket
from tests.support.live_app import LiveApp


def signed_in_cookie(browser: Browser, app: LiveApp, subject: str, habit: str | None = None) -> str:
    """Sign in through the dev provider's form; optionally add a habit; return the cookie."""
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto(f"{app.base_url}/signin")
        page.get_by_role("link", name="Sign in with Development sign-in").click()
        page.locator("input[name=sub]").fill(subject)
        page.get_by_role("button", name="Authorize").click()
        expect(page.locator("#display-name")).to_have_text(subject)
        if habit:
            page.get_by_label("New habit name").fill(habit)
            page.get_by_role("button", name="Add habit").click()
            expect(page.get_by_role("checkbox", name=f"Done today: {habit}")).to_be_visible()
        return next(c["value"] for c in context.cookies() if c["name"] == "hw_session")
    finally:
        context.close()


def query(app: LiveApp, sql: str, *args: object) -> list[tuple[Any, ...]]:
    with sqlite3.connect(app.log_path.parent / "habit-wizard.db") as db:
        return db.execute(sql, args).fetchall()


def send_events(app: LiveApp, cookie: str, events: list[tuple[str, dict[str, Any]]], path: str = "/") -> int:
    """Send each event over a real websocket with `cookie`; return how many got a reply."""
    client = EventSocket(app.port, app.base_url, f"hw_session={cookie}")
    query = {"habit_id": path.rsplit("/", 1)[-1]} if path.startswith("/habits/") else {}
    try:
        return sum(1 for name, payload in events if client.send_event(name, payload, path, query) is not None)
    finally:
        client.close()


@pytest.fixture(scope="module")
def victim(browser: Browser, live_app: LiveApp) -> tuple[int, int]:
    signed_in_cookie(browser, live_app, "victim", habit="Private habit")
    [(habit_id, user_id)] = query(live_app, "SELECT id, user_id FROM habits WHERE name = 'Private habit'")
    return habit_id, user_id


def test_crafted_events_with_another_persons_ids_change_nothing(
    browser: Browser, live_app: LiveApp, victim: tuple[int, int]
):
    habit_id, user_id = victim
    attacker = signed_in_cookie(browser, live_app, "mallory")
    today = TodayState.get_full_name()
    events = [
        (f"{today}.toggle_done", {"habit_id": habit_id}),
        (f"{today}.toggle_skip", {"habit_id": habit_id}),
        (f"{today}.save_amount", {"habit_id": habit_id, "text": "5"}),
        (f"{today}.save_details", {"form_data": {"habit_id": str(habit_id), "note": "pwned", "mood": "1"}}),
        (f"{AdminState.get_full_name()}.set_disabled", {"user_id": user_id, "disabled": True}),
    ]

    answered = send_events(live_app, attacker, events)

    assert answered == len(events)  # the server processed every event (and refused it)
    assert query(live_app, "SELECT COUNT(*) FROM entries WHERE habit_id = ?", habit_id) == [(0,)]
    assert query(live_app, "SELECT disabled FROM users WHERE id = ?", user_id) == [(0,)]
    assert query(live_app, "SELECT name FROM habits WHERE id = ?", habit_id) == [("Private habit",)]


def test_crafted_habits_page_and_detail_events_change_nothing(
    browser: Browser, live_app: LiveApp, victim: tuple[int, int]
):
    habit_id, _ = victim
    attacker = signed_in_cookie(browser, live_app, "trudy", habit="Trudy's own")
    habits_state = HabitsState.get_full_name()
    detail_state = HabitDetailState.get_full_name()
    page_events = [
        (f"{habits_state}.edit_habit", {"habit_id": habit_id}),
        (f"{habits_state}.set_archived", {"habit_id": habit_id, "archived": True}),
        (f"{habits_state}.move", {"habit_id": habit_id, "step": 1}),
        (f"{habits_state}.ask_delete", {"habit_id": habit_id}),
        (f"{habits_state}.confirm_delete", {}),
    ]
    detail_events = [
        (f"{detail_state}.load", {}),
        (f"{detail_state}.open_day", {"iso": query(live_app, "SELECT date('now')")[0][0]}),
        (f"{detail_state}.save_day", {"form_data": {"note": "pwned"}}),
        (f"{detail_state}.clear_day", {}),
    ]

    assert send_events(live_app, attacker, page_events, path="/habits") == len(page_events)
    assert send_events(live_app, attacker, detail_events, path=f"/habits/{habit_id}") == len(detail_events)

    assert query(live_app, "SELECT name, archived FROM habits WHERE id = ?", habit_id) == [
        ("Private habit", 0)
    ]
    assert query(live_app, "SELECT COUNT(*) FROM entries WHERE habit_id = ?", habit_id) == [(0,)]


def test_events_without_a_session_change_nothing(live_app: LiveApp, victim: tuple[int, int]):
    habit_id, _ = victim
    events = [(f"{TodayState.get_full_name()}.toggle_done", {"habit_id": habit_id})]

    send_events(live_app, "not-a-session", events)

    assert query(live_app, "SELECT COUNT(*) FROM entries WHERE habit_id = ?", habit_id) == [(0,)]
