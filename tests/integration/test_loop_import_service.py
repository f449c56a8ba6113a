"""Importing Loop files into an account: every fixture, idempotent, all or nothing."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, event
from sqlmodel import func, select

from app.db.engine import session_scope
from app.db.tables import Entry, Habit, ProgressCheckpoint
from app.domain.analytics import WindowChoice, WindowKind
from app.domain.loop import LoopFormatError, read_loop_path
from app.services.insights import QUERY_COUNT, insights
from app.services.loop_import import import_loop, principal_for_email
from tests.integration.test_cli import run_cli

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures" / "loop"
SOURCES = ["csv_export", "loop-v12-backup.db", "loop-v21-backup.db", "loop-v22-backup.db"]


def counts(engine: Engine) -> tuple[int, int]:
    with session_scope(engine) as db:
        return db.exec(select(func.count()).select_from(Habit)).one(), db.exec(
            select(func.count()).select_from(Entry)
        ).one()


@pytest.mark.parametrize("source", SOURCES)
def test_each_fixture_imports_once_and_a_second_import_changes_nothing(engine: Engine, source: str):
    data = read_loop_path(FIXTURES / source)

    with session_scope(engine) as db:
        first = import_loop(db, principal_for_email(db, "ada@example.org", create=True), data)
    assert first.habits_created == len(data.habits) > 0
    assert first.entries_created == data.report.entries_imported
    assert counts(engine) == (len(data.habits), data.report.entries_imported)

    with session_scope(engine) as db:
        second = import_loop(db, principal_for_email(db, "ada@example.org", create=False), data)
    assert (second.habits_created, second.entries_created, second.entries_updated) == (0, 0, 0)
    assert second.habits_matched == len(data.habits)
    assert second.entries_unchanged == data.report.entries_imported
    assert counts(engine) == (len(data.habits), data.report.entries_imported)


def test_automatic_entries_are_not_imported_as_done(engine: Engine):
    data = read_loop_path(FIXTURES / "csv_export")
    with session_scope(engine) as db:
        outcome = import_loop(db, principal_for_email(db, "ada@example.org", create=True), data)
    if data.report.automatic_entries_skipped:
        assert any("YES_AUTO" in reason for reason in outcome.skipped)
    with session_scope(engine) as db:
        done = db.exec(select(func.count()).select_from(Entry).where(Entry.kind == "done")).one()
    expected_done = sum(1 for h in data.habits for e in h.entries if e.kind.value == "done")
    assert done == expected_done


def test_a_file_that_is_not_loops_imports_nothing(engine: Engine, tmp_path: Path):
    bogus = tmp_path / "backup.db"
    bogus.write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)
    with pytest.raises(LoopFormatError):
        read_loop_path(bogus)
    assert counts(engine) == (0, 0)


def test_cli_imports_twice_without_duplicates_and_rejects_bad_files(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    assert run_cli(tmp_path, "db", "upgrade", DATABASE_URL=url).returncode == 0
    source = str(FIXTURES / "loop-v21-backup.db")

    first = run_cli(tmp_path, "import", "loop", source, "--user", "Grace@Example.org", DATABASE_URL=url)
    again = run_cli(tmp_path, "import", "loop", source, "--user", "grace@example.org", DATABASE_URL=url)
    assert first.returncode == 0, first.stderr
    assert "0 already imported" in first.stdout
    assert again.returncode == 0, again.stderr
    assert "0 created" in again.stdout.splitlines()[0]
    assert "Entries: 0 created, 0 updated" in again.stdout

    bad = tmp_path / "notes.txt"
    bad.write_text("hello")
    result = run_cli(tmp_path, "import", "loop", str(bad), "--user", "grace@example.org", DATABASE_URL=url)
    assert result.returncode == 1
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith("habit-wizard: ")
    assert "Traceback" not in result.stderr
    users = run_cli(tmp_path, "users", "list", DATABASE_URL=url)
    assert users.stdout.count("grace@example.org") == 1


def test_an_import_leaves_the_first_visit_nothing_to_rebuild(engine: Engine):
    """Checkpoints are built during the import, so the next Insights visit only reads."""
    data = read_loop_path(FIXTURES / "loop-v22-backup.db")
    with session_scope(engine) as db:
        principal = principal_for_email(db, "ada@example.org", create=True)
        import_loop(db, principal, data)
    with session_scope(engine) as db:
        active = db.exec(select(func.count()).select_from(Habit).where(Habit.archived == False)).one()  # noqa: E712
        assert db.exec(select(func.count()).select_from(ProgressCheckpoint)).one() == active > 0
    statements: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    with session_scope(engine) as db:
        insights(db, principal, WindowChoice(WindowKind.ALL_TIME), datetime.now(UTC).date())
    assert len(statements) == QUERY_COUNT, statements
