"""The Insights page in Chromium: numbers for a fresh history, window switching, phone and dark."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, expect

from tests.e2e.test_walking_skeleton import sign_in_with_dev_provider
from tests.support.live_app import LiveApp


def add_habit(page: Page, name: str) -> None:
    page.get_by_label("New habit name").fill(name)
    page.get_by_role("button", name="Add habit").click()
    expect(page.get_by_role("checkbox", name=f"Done today: {name}")).to_be_visible()


def choose_window(page: Page, label: str) -> None:
    page.locator("#window-picker").click()
    page.get_by_role("option", name=label).click()


def test_insights_show_completion_and_chart_text_for_each_window(
    page: Page, live_app: LiveApp, console_errors: list[str]
) -> None:
    sign_in_with_dev_provider(page, live_app)
    page.goto(f"{live_app.base_url}/insights")
    expect(page.locator("#empty-insights")).to_be_visible()

    page.goto(f"{live_app.base_url}/")
    add_habit(page, "Read")
    add_habit(page, "Stretch")
    check = page.get_by_role("checkbox", name="Done today: Read")
    check.click()
    expect(check).to_be_checked()

    page.get_by_role("link", name="Insights").click()
    expect(page).to_have_url(f"{live_app.base_url}/insights")
    # Both habits started today: Read done (1 of 1), Stretch not yet (0 of 1).
    expect(page.locator("#stat-completion")).to_have_text("50%")
    expect(page.locator("#stat-check-ins")).to_have_text("1")
    expect(page.locator("#stat-change")).to_have_text("–")
    expect(page.locator("#window-label")).to_contain_text("(30 days)")
    expect(page.locator(".habit-completion")).to_have_text(["100% · – · 1 check-in", "0% · – · 0 check-ins"])
    expect(page.locator("#summary-text")).to_contain_text("You completed 50% of what your habits asked")
    expect(page.locator("#categories-text")).to_have_text(
        "Completion by category: Other 50% (– against the window before)."
    )
    expect(page.locator("#trend-text")).to_contain_text("Average habit strength went from")
    expect(page.locator("#heatmap-text")).to_contain_text("1 check-in on 1 of the last")
    expect(page.locator("#hours-text")).to_contain_text("1 check-in. Most often at")
    expect(page.locator("#mood-text")).to_have_text(
        "No moods recorded in this window. Add one with a check-in's details."
    )
    expect(page.locator("#streak-leaderboard")).to_contain_text("Read")

    choose_window(page, "Last 7 days")
    expect(page.locator("#window-label")).to_contain_text("(7 days)")
    expect(page.locator("#stat-completion")).to_have_text("50%")

    choose_window(page, "All time")
    expect(page.locator("#window-label")).to_contain_text("(1 day)")
    expect(page.locator("#stat-check-ins")).to_have_text("1")

    choose_window(page, "Custom range")
    page.locator("#custom-range input[name=start]").fill("2020-01-01")
    page.locator("#custom-range input[name=end]").fill("2020-01-31")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("#window-label")).to_contain_text("Jan 1, 2020 – Jan 31, 2020 (31 days)")
    expect(page.locator("#stat-check-ins")).to_have_text("0")
    expect(page.locator("#stat-completion")).to_have_text("–")

    page.locator("#custom-range input[name=start]").fill("2020-02-01")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("[data-sonner-toast][data-type=error]")).to_contain_text(re.compile("after it ends"))
    expect(page.locator("#insights-error")).to_contain_text("after it ends")
    choose_window(page, "Last 90 days")  # a valid window clears the error
    expect(page.locator("#window-label")).to_contain_text("(90 days)")
    expect(page.locator("#insights-error")).to_have_count(0)
    assert console_errors == []


def test_phone_width_and_dark_mode_do_not_overflow(browser: Browser, live_app: LiveApp) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 740}, color_scheme="dark")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console",
        lambda message: (
            errors.append(message.text)
            if message.type == "error" and page.url.startswith(live_app.base_url)
            else None
        ),
    )
    try:
        sign_in_with_dev_provider(page, live_app)
        page.goto(f"{live_app.base_url}/")
        add_habit(page, "Walk the dog around the block")
        page.get_by_role("checkbox", name="Done today: Walk the dog around the block").click()
        page.goto(f"{live_app.base_url}/insights")
        expect(page.locator("#stat-check-ins")).to_have_text(re.compile(r"\d+"))
        expect(page.locator("#hour-pattern")).to_be_attached()
        assert page.evaluate("document.documentElement.classList.contains('dark')")
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        choose_window(page, "Custom range")
        expect(page.locator("#custom-range")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        assert errors == []
    finally:
        context.close()
