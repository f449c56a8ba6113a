"""The Habits page in Chromium: create, edit, validate, archive, reorder, delete, filter; phone and dark.

Every test in this module shares one live app and one signed-in person, so each test works on
habits with names of its own.
"""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from tests.e2e.test_walking_skeleton import DEV_USER_NAME, sign_in_with_dev_provider
from tests.support.live_app import LiveApp


def unique(prefix: str) -> str:
    return f"{prefix} {uuid.uuid4().hex[:6]}"


def open_habits(page: Page, app: LiveApp) -> None:
    page.goto(f"{app.base_url}/habits")
    expect(page.locator("#display-name")).to_have_text(DEV_USER_NAME)
    expect(page.get_by_role("heading", name="Habits", level=1)).to_be_visible()
    expect(page.get_by_label("Loading")).to_have_count(0)


def open_today(page: Page, app: LiveApp) -> None:
    page.goto(f"{app.base_url}/")
    expect(page.locator("#display-name")).to_have_text(DEV_USER_NAME)
    expect(page.get_by_label("Loading")).to_have_count(0)


def choose(page: Page, dialog: Locator, select_label: str, option: str) -> None:
    dialog.get_by_role("combobox", name=select_label).click()
    page.get_by_role("option", name=option, exact=True).click()


def new_habit_dialog(page: Page) -> Locator:
    page.get_by_role("button", name="New habit").click()
    dialog = page.get_by_role("dialog", name="New habit")
    expect(dialog).to_be_visible()
    return dialog


def save(dialog: Locator) -> None:
    dialog.get_by_role("button", name="Save habit").click()
    expect(dialog).to_be_hidden()


def create_simple(page: Page, name: str, category: str = "") -> None:
    dialog = new_habit_dialog(page)
    dialog.get_by_label("Name", exact=True).fill(name)
    if category:
        dialog.get_by_label("Category", exact=True).fill(category)
    save(dialog)
    expect(row_of(page, name)).to_be_visible()


def row_of(page: Page, name: str) -> Locator:
    return page.locator(".catalog-row").filter(has=page.get_by_role("link", name=name, exact=True))


def today_names(page: Page) -> list[str]:
    return page.locator(".habit-row .habit-name").all_inner_texts()


def test_create_a_measurable_at_most_habit_and_a_weekday_habit_with_every_field(
    page: Page, live_app: LiveApp, console_errors: list[str]
):
    sign_in_with_dev_provider(page, live_app)
    open_habits(page, live_app)
    coffee, gym, category = unique("Coffee"), unique("Gym"), unique("Health")

    dialog = new_habit_dialog(page)
    dialog.get_by_label("Name", exact=True).fill(coffee)
    dialog.get_by_label("Question", exact=True).fill("Did you keep it low?")
    dialog.get_by_role("textbox", name="Description").fill("Not after noon.")
    dialog.get_by_label("Category", exact=True).fill(category)
    choose(page, dialog, "Color", "Amber")
    choose(page, dialog, "Difficulty", "4 – hard")
    dialog.get_by_label("Target time (optional)").fill("11:45")
    dialog.get_by_role("radio", name="Measurable").click()
    dialog.get_by_label("Unit", exact=True).fill("cups")
    dialog.get_by_label("Target", exact=True).fill("2")
    choose(page, dialog, "Direction", "At most")
    choose(page, dialog, "How often", "Custom")
    dialog.get_by_label("Times (X)").fill("5")
    dialog.get_by_label("Per days (Y)").fill("10")
    save(dialog)
    expect(page.get_by_text(f"Saved “{coffee}”.")).to_be_visible()

    dialog = new_habit_dialog(page)
    dialog.get_by_label("Name", exact=True).fill(gym)
    dialog.get_by_label("Category", exact=True).fill(category)  # offered as a suggestion now
    dialog.get_by_role("radio", name="Specific weekdays").click()
    for day in ("Monday", "Wednesday", "Friday"):
        dialog.get_by_role("checkbox", name=day).click()
    save(dialog)

    coffee_row, gym_row = row_of(page, coffee), row_of(page, gym)
    expect(coffee_row.locator(".catalog-details")).to_have_text(
        "5 times per 10 days · at most 2 cups · around 11:45 · difficulty 4/5"
    )
    expect(coffee_row).to_contain_text("Did you keep it low?")
    expect(coffee_row).to_contain_text(category)
    expect(coffee_row).to_contain_text("0 check-ins")
    expect(gym_row.locator(".catalog-details")).to_have_text("Mon, Wed, Fri · difficulty 3/5")
    expect(gym_row.get_by_role("link", name=gym)).to_have_attribute("href", re.compile(r"^/habits/\d+$"))

    # Every field comes back in the edit form.
    gym_row.get_by_role("button", name=f"Edit: {gym}").click()
    dialog = page.get_by_role("dialog", name="Edit habit")
    expect(dialog.get_by_label("Name", exact=True)).to_have_value(gym)
    for day, checked in (("Monday", True), ("Tuesday", False), ("Wednesday", True), ("Friday", True)):
        expect(dialog.get_by_role("checkbox", name=day)).to_be_checked(checked=checked)
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_be_hidden()

    coffee_row.get_by_role("button", name=f"Edit: {coffee}").click()
    dialog = page.get_by_role("dialog", name="Edit habit")
    expect(dialog.get_by_label("Question", exact=True)).to_have_value("Did you keep it low?")
    expect(dialog.get_by_role("textbox", name="Description")).to_have_value("Not after noon.")
    expect(dialog.get_by_label("Category", exact=True)).to_have_value(category)
    expect(dialog.get_by_role("combobox", name="Color")).to_have_text("Amber")
    expect(dialog.get_by_role("combobox", name="Direction")).to_have_text("At most")
    expect(dialog.get_by_label("Target time (optional)")).to_have_value("11:45")
    expect(dialog.get_by_label("Unit", exact=True)).to_have_value("cups")
    expect(dialog.get_by_label("Target", exact=True)).to_have_value("2")
    expect(dialog.get_by_label("Times (X)")).to_have_value("5")
    expect(dialog.get_by_label("Per days (Y)")).to_have_value("10")
    expect(dialog.get_by_role("radio", name="Measurable")).to_be_checked()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()

    # Both are on Today too, in the order they were created.
    open_today(page, live_app)
    names = today_names(page)
    assert names.index(coffee) < names.index(gym)
    assert console_errors == []


def test_edit_changes_what_is_listed(page: Page, live_app: LiveApp, console_errors: list[str]):
    sign_in_with_dev_provider(page, live_app)
    open_habits(page, live_app)
    old, new = unique("Stretch"), unique("Yoga")
    create_simple(page, old)
    expect(row_of(page, old).locator(".catalog-details")).to_have_text("Every day · difficulty 3/5")

    row_of(page, old).get_by_role("button", name=f"Edit: {old}").click()
    dialog = page.get_by_role("dialog", name="Edit habit")
    dialog.get_by_label("Name", exact=True).fill(new)
    choose(page, dialog, "How often", "3 times a week (3 per 7 days)")
    save(dialog)

    expect(row_of(page, new).locator(".catalog-details")).to_have_text("3 times per week · difficulty 3/5")
    expect(row_of(page, old)).to_have_count(0)
    page.reload()
    expect(row_of(page, new)).to_be_visible()
    assert console_errors == []


def test_invalid_input_shows_the_domains_message_and_creates_nothing(
    page: Page, live_app: LiveApp, console_errors: list[str]
):
    sign_in_with_dev_provider(page, live_app)
    open_habits(page, live_app)
    name = unique("Impossible")

    dialog = new_habit_dialog(page)
    dialog.get_by_label("Name", exact=True).fill(name)
    choose(page, dialog, "How often", "Custom")
    dialog.get_by_label("Times (X)").fill("5")
    dialog.get_by_label("Per days (Y)").fill("3")
    dialog.get_by_role("button", name="Save habit").click()
    expect(
        page.get_by_text("A habit can be done at most once a day, so at most 3 times in 3 days (not 5).")
    ).to_be_visible()

    dialog.get_by_label("Times (X)").fill("0")
    dialog.get_by_role("button", name="Save habit").click()
    expect(page.get_by_text("A habit must be done at least once per period.")).to_be_visible()

    dialog.get_by_role("radio", name="Specific weekdays").click()
    dialog.get_by_role("button", name="Save habit").click()
    expect(page.get_by_text("Choose at least one weekday.")).to_be_visible()

    dialog.get_by_label("Name", exact=True).fill("x" * 121)
    dialog.get_by_role("button", name="Save habit").click()
    expect(page.get_by_text("Keep the name to 120 characters (this one has 121).")).to_be_visible()

    # The form stays open with what was typed; nothing was stored.
    expect(dialog).to_be_visible()
    page.reload()
    expect(page.get_by_role("heading", name="Habits", level=1)).to_be_visible()
    expect(page.get_by_label("Loading")).to_have_count(0)
    expect(row_of(page, name)).to_have_count(0)
    expect(page.locator(".catalog-row", has_text="x" * 121)).to_have_count(0)
    assert console_errors == []


def test_archive_hides_from_today_and_unarchive_brings_it_back(
    page: Page, live_app: LiveApp, console_errors: list[str]
):
    sign_in_with_dev_provider(page, live_app)
    open_habits(page, live_app)
    name = unique("Floss")
    create_simple(page, name)
    open_today(page, live_app)
    expect(page.locator(".habit-row", has_text=name)).to_have_count(1)

    open_habits(page, live_app)
    page.get_by_role("button", name=f"Archive: {name}").click()
    expect(page.locator("#archived-habits").get_by_role("link", name=name)).to_be_visible()
    expect(page.locator("#active-habits").get_by_role("link", name=name)).to_have_count(0)
    open_today(page, live_app)
    expect(page.locator(".habit-row", has_text=name)).to_have_count(0)

    open_habits(page, live_app)
    page.get_by_role("button", name=f"Unarchive: {name}").click()
    expect(page.locator("#active-habits").get_by_role("link", name=name)).to_be_visible()
    open_today(page, live_app)
    expect(page.locator(".habit-row", has_text=name)).to_have_count(1)
    assert console_errors == []


def test_reorder_by_keyboard_changes_the_order_on_today(
    page: Page, live_app: LiveApp, console_errors: list[str]
):
    sign_in_with_dev_provider(page, live_app)
    open_habits(page, live_app)
    category = unique("Order")
    first, second = unique("Walk"), unique("Journal")
    create_simple(page, first, category)
    create_simple(page, second, category)
    open_today(page, live_app)
    names = today_names(page)
    assert names.index(first) < names.index(second)

    open_habits(page, live_app)
    move_up = page.get_by_role("button", name=f"Move up: {second}")
    move_up.focus()
    page.keyboard.press("Enter")
    both = re.compile(f"^({re.escape(first)}|{re.escape(second)})$")
    expect(page.locator("#active-habits .catalog-name").filter(has_text=both)).to_have_text([second, first])

    open_today(page, live_app)
    names = today_names(page)
    assert names.index(second) < names.index(first)
    assert console_errors == []


def test_delete_states_what_is_lost_and_removes_the_habit(
    page: Page, live_app: LiveApp, console_errors: list[str]
):
    sign_in_with_dev_provider(page, live_app)
    open_habits(page, live_app)
    name = unique("Read")
    create_simple(page, name)
    open_today(page, live_app)
    check = page.get_by_role("checkbox", name=f"Done today: {name}")
    check.click()
    expect(check).to_be_checked()

    open_habits(page, live_app)
    expect(row_of(page, name)).to_contain_text("1 check-in")
    page.get_by_role("button", name=f"Delete: {name}").click()
    confirm = page.get_by_role("alertdialog")
    expect(confirm).to_contain_text(f"Delete “{name}” and its 1 check-in? This cannot be undone.")
    confirm.get_by_role("button", name="Keep it").click()
    expect(confirm).to_be_hidden()
    expect(row_of(page, name)).to_be_visible()

    page.get_by_role("button", name=f"Delete: {name}").click()
    page.get_by_role("alertdialog").get_by_role("button", name="Delete forever").click()
    expect(page.get_by_text("Deleted, with 1 check-in.")).to_be_visible()
    expect(row_of(page, name)).to_have_count(0)
    open_today(page, live_app)
    expect(page.locator(".habit-row", has_text=name)).to_have_count(0)
    assert console_errors == []


def test_filter_by_category(page: Page, live_app: LiveApp, console_errors: list[str]):
    sign_in_with_dev_provider(page, live_app)
    open_habits(page, live_app)
    tea, run = unique("Tea"), unique("Run")
    calm, body = unique("Calm"), unique("Body")
    create_simple(page, tea, calm)
    create_simple(page, run, body)

    page.get_by_role("combobox", name="Filter by category").click()
    page.get_by_role("option", name=calm, exact=True).click()
    expect(row_of(page, tea)).to_be_visible()
    expect(row_of(page, run)).to_have_count(0)

    page.get_by_role("combobox", name="Filter by category").click()
    page.get_by_role("option", name="All categories").click()
    expect(row_of(page, tea)).to_be_visible()
    expect(row_of(page, run)).to_be_visible()
    assert console_errors == []


@pytest.mark.parametrize(
    ("width", "scheme"), [(375, "light"), (375, "dark"), (1280, "dark")], ids=["phone", "phone-dark", "dark"]
)
def test_no_horizontal_overflow_in_light_and_dark(
    browser: Browser, live_app: LiveApp, width: int, scheme: str
):
    context = browser.new_context(viewport={"width": width, "height": 740}, color_scheme=scheme)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    try:
        sign_in_with_dev_provider(page, live_app)
        errors.clear()  # the identity provider's pages are not ours to judge
        open_habits(page, live_app)
        assert page.evaluate("document.documentElement.classList.contains('dark')") is (scheme == "dark")
        name = unique("A habit with a rather long name that has to wrap on a phone")
        create_simple(page, name, unique("Category"))
        assert page.evaluate("document.documentElement.scrollWidth") <= width

        dialog = new_habit_dialog(page)
        dialog.get_by_role("radio", name="Measurable").click()
        dialog.get_by_role("radio", name="Specific weekdays").click()
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        box = dialog.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width
        page.keyboard.press("Escape")
        expect(dialog).to_be_hidden()
        assert errors == []
    finally:
        context.close()
