"""Settings -> Data in a real browser: upload a Loop backup, download both exports, a corrupt file."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect

from app.domain.loop import read_loop_csv_zip, read_loop_path
from tests.e2e.test_walking_skeleton import sign_in_with_dev_provider
from tests.support.live_app import LiveApp

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "loop" / "loop-v22-backup.db"


def open_data_page(page: Page, app: LiveApp) -> None:
    sign_in_with_dev_provider(page, app)
    page.goto(f"{app.base_url}/settings/data")
    expect(page.get_by_role("heading", name="Your data", level=1)).to_be_visible()


def download(page: Page, link_id: str) -> tuple[str, bytes]:
    with page.expect_download() as info:
        page.locator(f"#{link_id}").click()
    downloaded = info.value
    path = downloaded.path()
    return downloaded.suggested_filename, Path(path).read_bytes()


def exported_document(page: Page) -> dict[str, Any]:
    _, data = download(page, "download-json")
    document: dict[str, Any] = json.loads(data)
    return document


def choose(page: Page, files: Any) -> None:
    """As a person does it: the button opens the browser's file chooser."""
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Choose a file").click()
    chooser.value.set_files(files)


def test_upload_a_loop_backup_then_download_both_exports(
    page: Page, live_app: LiveApp, console_errors: list[str]
):
    expected = read_loop_path(FIXTURE)
    names = [habit.name for habit in expected.habits]
    entries = expected.report.entries_imported
    open_data_page(page, live_app)

    choose(page, FIXTURE)
    expect(page.locator("#selected-file")).to_have_text(FIXTURE.name)
    page.get_by_role("button", name="Import").click()

    summary = page.locator("#import-summary")
    expect(summary).to_contain_text(f"Imported {FIXTURE.name} (Loop Habit Tracker)")
    expect(summary).to_contain_text(f"Habits: {len(names)} created, 0 already there.")
    expect(summary).to_contain_text(f"Entries: {entries} created, 0 updated, 0 unchanged.")
    expect(page.get_by_text("Import finished.")).to_be_visible()
    expect(page.locator("#selected-file")).to_have_count(0)

    filename, data = download(page, "download-json")
    assert re.fullmatch(r"habit-wizard-\d{4}-\d{2}-\d{2}\.json", filename)
    document = json.loads(data)
    assert document["format"] == "habit-wizard"
    assert [habit["name"] for habit in document["habits"]] == names
    assert sum(len(habit["entries"]) for habit in document["habits"]) == entries

    filename, data = download(page, "download-loop")
    assert re.fullmatch(r"habit-wizard-loop-\d{4}-\d{2}-\d{2}\.zip", filename)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert "Habits.csv" in archive.namelist()
    read = read_loop_csv_zip(data)
    assert [habit.name for habit in read.habits] == names
    assert [habit.entries for habit in read.habits] == [habit.entries for habit in expected.habits]

    # The same file again: nothing new.
    choose(page, FIXTURE)
    page.get_by_role("button", name="Import").click()
    expect(summary).to_contain_text(f"Habits: 0 created, {len(names)} already there.")
    expect(summary).to_contain_text(f"Entries: 0 created, 0 updated, {entries} unchanged.")
    assert console_errors == []


def test_a_corrupt_file_shows_a_clear_message_and_imports_nothing(
    page: Page, live_app: LiveApp, console_errors: list[str]
):
    open_data_page(page, live_app)
    before = exported_document(page)["habits"]

    choose(page, {"name": "corrupt.zip", "mimeType": "application/zip", "buffer": b"PK\x03\x04 not a zip"})
    page.get_by_role("button", name="Import").click()

    message = "corrupt.zip: The file is not a readable zip archive"
    expect(page.locator("#import-error")).to_contain_text(message)
    expect(page.locator("[data-sonner-toast]", has_text=message)).to_be_visible()
    expect(page.locator("#import-summary")).to_have_count(0)
    assert exported_document(page)["habits"] == before

    # A phone-sized screen: everything fits without sideways scrolling.
    page.set_viewport_size({"width": 375, "height": 800})
    expect(page.locator("#download-loop")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert console_errors == []
