"""Your data: import from Loop or our JSON, export as Loop CSV or JSON.

Uploads go through Reflex's `/_upload` endpoint to `DataState.import_file`; the file is read
and parsed in a thread, imported in one transaction, and the outcome shown as a summary.
Downloads are plain links to the HTTP routes in app/api/exports.py, which resolve the person
from the session cookie.
"""

from __future__ import annotations

import asyncio
from typing import Any

import reflex as rx

from app.config import get_settings
from app.db.engine import run_in_session
from app.domain.loop import ImportLimits
from app.domain.loop.model import describe_size
from app.services.data_export import import_upload, read_upload, upload_format
from app.services.errors import InvalidInput, ServiceError
from app.services.loop_import import ImportOutcome
from app.ui.components.layout import page_frame
from app.ui.states.session import SIGN_IN_ROUTE, SessionState

ROUTE = "/settings/data"
UPLOAD_ID = "data-upload"
LOOP_ZIP_URL = "/api/v1/export/loop.zip"
JSON_URL = "/api/v1/export/habit-wizard.json"
ACCEPTED_FILES = {
    "application/zip": [".zip"],
    "application/json": [".json"],
    "application/vnd.sqlite3": [".db"],
    "application/octet-stream": [".db"],
}
FORMAT_LABELS = {"loop": "Loop Habit Tracker", "habit-wizard": "Habit Wizard JSON"}


def summary_lines(outcome: ImportOutcome) -> list[str]:
    return [
        f"Habits: {outcome.habits_created} created, {outcome.habits_matched} already there.",
        f"Entries: {outcome.entries_created} created, {outcome.entries_updated} updated, "
        f"{outcome.entries_unchanged} unchanged.",
    ]


def _read_upload_file(upload: Any, limit: int) -> bytes:
    """Read at most one byte past the limit, so an oversized file is refused without reading it all."""
    data: bytes = upload.file.read(limit + 1)
    if len(data) > limit:
        raise InvalidInput(f"The file is larger than the {describe_size(limit)} limit; nothing was imported.")
    return data


class DataState(rx.State):
    importing: bool = False
    upload_percent: int = 0
    result_title: str = ""
    result_lines: list[str] = []
    skipped: list[str] = []
    error: str = ""
    max_upload_bytes: int = 0

    @rx.event
    async def load(self):
        session = await self.get_state(SessionState)
        if await session.current_principal() is None:
            return rx.redirect(SIGN_IN_ROUTE)
        self.max_upload_bytes = get_settings().import_max_bytes
        return None

    def track_progress(self, progress: dict[str, Any]) -> None:
        fraction = progress.get("progress")
        if isinstance(fraction, int | float):
            self.upload_percent = max(0, min(100, round(fraction * 100)))

    @rx.event
    async def import_file(self, files: list[rx.UploadFile]):
        session = await self.get_state(SessionState)
        principal = await session.current_principal()
        if principal is None:
            yield rx.redirect(SIGN_IN_ROUTE)
            return
        if len(files) != 1:
            yield rx.toast.error("Choose one file to import.")
            return
        upload = files[0]
        name = upload.filename or "upload"
        limit = get_settings().import_max_bytes
        self.importing, self.error, self.result_title = True, "", ""
        self.result_lines, self.skipped = [], []
        yield
        try:
            data = await asyncio.to_thread(_read_upload_file, upload, limit)
            parsed = await asyncio.to_thread(read_upload, data, name, ImportLimits(max_file_bytes=limit))
            outcome = await run_in_session(lambda db: import_upload(db, principal, parsed))
        except ServiceError as error:
            self.error = f"{name}: {error}"
            yield rx.toast.error(self.error, duration=10000)
            return
        finally:
            self.importing, self.upload_percent = False, 0
        self.result_title = f"Imported {name} ({FORMAT_LABELS[upload_format(parsed)]})"
        self.result_lines = summary_lines(outcome)
        self.skipped = list(outcome.skipped)
        yield rx.clear_selected_files(UPLOAD_ID)
        yield rx.toast.success("Import finished.")


def _selected_file_names() -> rx.Component:
    return rx.foreach(
        rx.selected_files(UPLOAD_ID),
        lambda name: rx.hstack(
            rx.icon("file", size=14, aria_hidden="true"),
            rx.text(name, size="2", id="selected-file"),
            align="center",
        ),
    )


def _drop_zone() -> rx.Component:
    return rx.upload(
        rx.vstack(
            rx.icon("upload", size=28, aria_hidden="true"),
            rx.text("Drop a file here, or", size="2"),
            rx.button("Choose a file", type="button", variant="soft", id="choose-file"),
            rx.text(
                "Loop Habit Tracker CSV export (.zip) or backup (.db), or a Habit Wizard export (.json).",
                size="1",
                color_scheme="gray",
                text_align="center",
            ),
            align="center",
            spacing="2",
        ),
        id=UPLOAD_ID,
        multiple=False,
        max_files=1,
        accept=ACCEPTED_FILES,
        disabled=DataState.importing,
        border="1px dashed var(--gray-a7)",
        border_radius="var(--radius-3)",
        padding="var(--space-5) var(--space-3)",
        width="100%",
        aria_label="File to import",
    )


def _progress() -> rx.Component:
    return rx.cond(
        DataState.importing,
        rx.vstack(
            rx.hstack(rx.spinner(), rx.text("Importing… large backups can take a moment.", size="2")),
            rx.progress(value=DataState.upload_percent, max=100, aria_label="Upload progress"),
            width="100%",
            role="status",
            id="import-progress",
        ),
    )


def _result() -> rx.Component:
    return rx.fragment(
        rx.cond(
            DataState.error != "",
            rx.callout(
                DataState.error, icon="triangle-alert", color_scheme="red", role="alert", id="import-error"
            ),
        ),
        rx.cond(
            DataState.result_title != "",
            rx.card(
                rx.vstack(
                    rx.heading(DataState.result_title, size="3", as_="h3"),
                    rx.foreach(DataState.result_lines, lambda line: rx.text(line, size="2")),
                    rx.cond(
                        DataState.skipped.length() > 0,
                        rx.vstack(
                            rx.text("Not imported:", size="2", weight="medium"),
                            rx.el.ul(
                                rx.foreach(
                                    DataState.skipped, lambda reason: rx.el.li(rx.text(reason, size="2"))
                                ),
                                padding_left="1.2em",
                            ),
                            spacing="1",
                        ),
                    ),
                    spacing="2",
                ),
                id="import-summary",
                role="status",
                width="100%",
            ),
        ),
    )


def _import_section() -> rx.Component:
    return rx.vstack(
        rx.heading("Import", size="5", as_="h2"),
        rx.text(
            "Bring in your history from Loop Habit Tracker, or restore a Habit Wizard export. "
            "Importing the same file again changes nothing; a file that can't be read imports nothing.",
            size="2",
        ),
        _drop_zone(),
        _selected_file_names(),
        rx.button(
            rx.icon("import", size=16),
            "Import",
            on_click=DataState.import_file(
                rx.upload_files(upload_id=UPLOAD_ID, on_upload_progress=DataState.track_progress)
            ),
            loading=DataState.importing,
            disabled=rx.selected_files(UPLOAD_ID).length() == 0,
            id="import-button",
        ),
        _progress(),
        _result(),
        spacing="3",
        width="100%",
        as_="section",
    )


def _download(label: str, href: str, element_id: str) -> rx.Component:
    return rx.button(
        rx.el.a(
            rx.icon("download", size=16),
            label,
            href=href,
            download="",
            id=element_id,
            custom_attrs={"reloadDocument": True},
        ),
        as_child=True,
        variant="outline",
    )


def _export_section() -> rx.Component:
    return rx.vstack(
        rx.heading("Export", size="5", as_="h2"),
        rx.text(
            "Everything you track, to keep or to take elsewhere. The JSON export holds every detail "
            "(notes, moods, settings) and restores into an empty account; the Loop CSV export opens in "
            "Loop Habit Tracker and spreadsheets.",
            size="2",
        ),
        rx.hstack(
            _download("Habit Wizard JSON", JSON_URL, "download-json"),
            _download("Loop CSV (.zip)", LOOP_ZIP_URL, "download-loop"),
            spacing="3",
            wrap="wrap",
        ),
        spacing="3",
        width="100%",
        as_="section",
    )


def data_page() -> rx.Component:
    return page_frame(
        rx.vstack(
            rx.link("← Settings", href="/settings", size="2"),
            rx.heading("Your data", size="7", as_="h1"),
            _import_section(),
            rx.separator(size="4"),
            _export_section(),
            spacing="5",
            width="100%",
            padding_y="4",
        )
    )
