"""The export downloads and the import upload over HTTP (in-process ASGI, real SQLite database)."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import func, select

from app.api import exports
from app.api.problems import install_problem_handlers
from app.auth.sessions import start_session
from app.cli import upgrade_database
from app.config import get_settings
from app.db.engine import get_engine, session_scope
from app.db.tables import Entry, Habit, User
from app.domain.loop import read_loop_csv_zip, read_loop_path
from app.services.habits import today_for
from app.services.principals import Principal

FIXTURES = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "loop"
ORIGIN = "http://localhost:3000"
LIMIT = 64 * 1024
PROBLEM = "application/problem+json"


@pytest.fixture
def client(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'routes.db'}")
    monkeypatch.setenv("APP_BASE_URL", ORIGIN)
    monkeypatch.setenv("IMPORT_MAX_BYTES", str(LIMIT))
    monkeypatch.delenv("CORS_ORIGINS", raising=False)
    get_settings.cache_clear()
    get_engine.cache_clear()
    upgrade_database()
    app = FastAPI()
    install_problem_handlers(app)
    app.include_router(exports.router)
    with TestClient(app, base_url=ORIGIN) as test_client:
        yield test_client
    get_engine().dispose()
    get_settings.cache_clear()
    get_engine.cache_clear()


def signed_in(client: TestClient, email: str, habit_names: list[str]) -> Principal:
    """A user with habits (one done entry each) and a real session cookie on the client."""
    with session_scope() as db:
        user = User(display_name=email.split("@")[0], email=email)
        db.add(user)
        db.flush()
        assert user.id is not None
        for position, name in enumerate(habit_names, start=1):
            habit = Habit(user_id=user.id, name=name, position=position)
            db.add(habit)
            db.flush()
            assert habit.id is not None
            db.add(Entry(habit_id=habit.id, day=date(2026, 1, position), kind="done", note=f"{name} note"))
        session_id = start_session(
            db,
            user,
            settings=get_settings(),
            now=datetime.now(UTC),
            user_agent="pytest",
            provider="dev",
            id_token_hint=None,
        )
        principal = Principal(user.id, user.display_name, user.role, user.timezone, user.day_start_hour)
    client.cookies.set("hw_session", session_id)
    return principal


def stored_counts() -> tuple[int, int]:
    with session_scope() as db:
        habits = db.exec(select(func.count()).select_from(Habit)).one()
        entries = db.exec(select(func.count()).select_from(Entry)).one()
    return habits, entries


def post_file(client: TestClient, name: str, data: bytes, origin: str | None = ORIGIN) -> httpx.Response:
    headers = {"Origin": origin} if origin else {}
    return client.post("/api/v1/import", files={"file": (name, data)}, headers=headers)


def assert_problem(response: httpx.Response, status: int, detail_start: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    body = response.json()
    assert body["status"] == status
    assert body["detail"].startswith(detail_start), body["detail"]


@pytest.mark.parametrize("path", ["/api/v1/export/loop.zip", "/api/v1/export/habit-wizard.json"])
def test_downloads_need_a_session(client: TestClient, path: str):
    assert_problem(client.get(path), 401, "Sign in to export or import your data.")
    client.cookies.set("hw_session", "not-a-session")
    assert_problem(client.get(path), 401, "Sign in to export or import your data.")


def test_upload_needs_a_session(client: TestClient):
    assert_problem(post_file(client, "x.json", b"{}"), 401, "Sign in to export or import your data.")


def test_json_download_holds_only_the_signed_in_persons_data(client: TestClient):
    signed_in(client, "bo@example.org", ["Bo secret"])
    ada = signed_in(client, "ada@example.org", ["Read", "Walk"])

    response = client.get("/api/v1/export/habit-wizard.json")

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    today = today_for(ada, datetime.now(UTC)).isoformat()
    assert response.headers["content-disposition"] == f'attachment; filename="habit-wizard-{today}.json"'
    assert response.headers["cache-control"] == "no-store"
    document = response.json()
    assert document["profile"]["email"] == "ada@example.org"
    assert [habit["name"] for habit in document["habits"]] == ["Read", "Walk"]
    assert [entry["note"] for habit in document["habits"] for entry in habit["entries"]] == [
        "Read note",
        "Walk note",
    ]
    assert "Bo secret" not in response.text


def test_loop_zip_download_holds_only_the_signed_in_persons_data(client: TestClient):
    signed_in(client, "bo@example.org", ["Bo secret"])
    ada = signed_in(client, "ada@example.org", ["Read", "Walk"])

    response = client.get("/api/v1/export/loop.zip")

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/zip"
    today = today_for(ada, datetime.now(UTC)).isoformat()
    assert response.headers["content-disposition"] == f'attachment; filename="habit-wizard-loop-{today}.zip"'
    read = read_loop_csv_zip(response.content)
    assert [habit.name for habit in read.habits] == ["Read", "Walk"]
    assert [[entry.day for entry in habit.entries] for habit in read.habits] == [
        [date(2026, 1, 1)],
        [date(2026, 1, 2)],
    ]
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert not any("Bo" in name for name in archive.namelist())


def test_uploading_a_loop_backup_imports_it_and_returns_the_summary(client: TestClient):
    signed_in(client, "ada@example.org", [])
    fixture = FIXTURES / "loop-v22-backup.db"
    expected = read_loop_path(fixture)

    response = post_file(client, "renamed.bin", fixture.read_bytes())

    assert response.status_code == 200, response.text
    summary = response.json()
    assert summary["format"] == "loop"
    assert summary["habits_created"] == len(expected.habits)
    assert summary["entries_created"] == expected.report.entries_imported
    assert (summary["habits_matched"], summary["entries_updated"], summary["entries_unchanged"]) == (0, 0, 0)
    assert summary["skipped"] == list(expected.report.skipped)
    assert stored_counts() == (len(expected.habits), expected.report.entries_imported)

    again = post_file(client, "renamed.bin", fixture.read_bytes()).json()
    assert (again["habits_created"], again["entries_created"]) == (0, 0)
    assert again["entries_unchanged"] == expected.report.entries_imported


def test_uploading_our_json_restores_it_into_another_account(client: TestClient):
    signed_in(client, "ada@example.org", ["Read", "Walk"])
    exported = client.get("/api/v1/export/habit-wizard.json").content
    signed_in(client, "new@example.org", [])

    response = post_file(client, "export.json", exported)

    assert response.status_code == 200, response.text
    summary = response.json()
    assert summary["format"] == "habit-wizard"
    assert (summary["habits_created"], summary["entries_created"], summary["skipped"]) == (2, 2, [])
    restored = client.get("/api/v1/export/habit-wizard.json").json()
    assert [habit["name"] for habit in restored["habits"]] == ["Read", "Walk"]
    assert restored["profile"]["email"] == "new@example.org"


@pytest.mark.parametrize(
    ("name", "data", "detail"),
    [
        ("broken.zip", b"PK\x03\x04 not really a zip", "The file is not a readable zip"),
        ("notes.txt", b"hello", '"notes.txt" is neither a Loop CSV export (.zip) nor a Loop backup (.db)'),
        ("export.json", b'{"format": "habit-wizard", "version": 9}', "This export has version 9"),
        ("export.json", b'{"format": "habit-wizard",', "The file is not valid JSON"),
    ],
)
def test_a_bad_file_is_refused_with_the_reason_and_stores_nothing(
    client: TestClient, name: str, data: bytes, detail: str
):
    signed_in(client, "ada@example.org", ["Read"])
    before = stored_counts()

    assert_problem(post_file(client, name, data), 422, detail)
    assert stored_counts() == before


def test_a_file_over_the_limit_is_refused_with_413(client: TestClient):
    signed_in(client, "ada@example.org", [])

    just_over = b"{" + b" " * LIMIT
    assert_problem(
        post_file(client, "big.json", just_over), 413, "The file is larger than the 65536 bytes limit."
    )
    far_over = b"{" + b" " * (4 * LIMIT)
    assert_problem(
        post_file(client, "big.json", far_over), 413, "The file is larger than the 65536 bytes limit."
    )
    assert stored_counts() == (0, 0)


def test_a_body_that_is_not_a_file_upload_is_refused(client: TestClient):
    signed_in(client, "ada@example.org", [])
    response = client.post("/api/v1/import", content=b"{}", headers={"Origin": ORIGIN})
    assert_problem(response, 422, 'Send the file as multipart form data in the field "file".')


@pytest.mark.parametrize("origin", ["https://evil.example", None, "null"])
def test_an_upload_from_another_origin_is_forbidden(client: TestClient, origin: str | None):
    signed_in(client, "ada@example.org", [])
    document = json.dumps({"format": "habit-wizard"}).encode()

    response = post_file(client, "x.json", document, origin=origin)

    assert_problem(response, 403, "Imports are only accepted from this site's own pages.")
    assert stored_counts() == (0, 0)
