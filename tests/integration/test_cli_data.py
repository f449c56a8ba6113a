"""`habit-wizard export loop|json` and `import json`, run as an operator runs them."""

from __future__ import annotations

import json
from pathlib import Path

from sqlmodel import func, select

from app.db.engine import build_engine, session_scope
from app.db.tables import Entry, Habit
from app.domain.loop import read_loop_csv_zip, read_loop_path
from tests.integration.test_cli import run_cli, sqlite_database

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "loop" / "loop-v22-backup.db"


def prepared(folder: Path) -> str:
    """A migrated database holding the Loop fixture in ada@example.org's account."""
    url = sqlite_database(folder)
    assert run_cli(folder, "db", "upgrade", DATABASE_URL=url).returncode == 0
    imported = run_cli(folder, "import", "loop", str(FIXTURE), "--user", "ada@example.org", DATABASE_URL=url)
    assert imported.returncode == 0, imported.stderr
    return url


def stored_counts(url: str) -> tuple[int, int]:
    engine = build_engine(url)
    with session_scope(engine) as db:
        counts = (
            db.exec(select(func.count()).select_from(Habit)).one(),
            db.exec(select(func.count()).select_from(Entry)).one(),
        )
    engine.dispose()
    return counts


def test_export_json_then_import_json_into_a_new_account_and_again(tmp_path: Path):
    url = prepared(tmp_path)
    loop = read_loop_path(FIXTURE)
    habits, entries = len(loop.habits), loop.report.entries_imported
    out = tmp_path / "ada.json"

    exported = run_cli(
        tmp_path, "export", "json", "--user", "ada@example.org", "--out", str(out), DATABASE_URL=url
    )

    assert exported.returncode == 0, exported.stderr
    assert exported.stdout == f"Wrote the JSON export of ada@example.org to {out}.\n"
    document = json.loads(out.read_text())
    assert [habit["name"] for habit in document["habits"]] == [habit.name for habit in loop.habits]
    assert sum(len(habit["entries"]) for habit in document["habits"]) == entries

    first = run_cli(tmp_path, "import", "json", str(out), "--user", "new@example.org", DATABASE_URL=url)
    assert first.returncode == 0, first.stderr
    assert first.stdout == (
        f"Habits: {habits} created, 0 already imported.\n"
        f"Entries: {entries} created, 0 updated, 0 unchanged.\n"
    )
    second = run_cli(tmp_path, "import", "json", str(out), "--user", "new@example.org", DATABASE_URL=url)
    assert second.returncode == 0, second.stderr
    assert second.stdout == (
        f"Habits: 0 created, {habits} already imported.\n"
        f"Entries: 0 created, 0 updated, {entries} unchanged.\n"
    )
    assert stored_counts(url) == (2 * habits, 2 * entries)


def test_export_loop_writes_a_zip_the_loop_reader_reads_back(tmp_path: Path):
    url = prepared(tmp_path)
    loop = read_loop_path(FIXTURE)
    out = tmp_path / "ada.zip"

    result = run_cli(
        tmp_path, "export", "loop", "--user", "ada@example.org", "--out", str(out), DATABASE_URL=url
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout == f"Wrote the Loop CSV export of ada@example.org to {out}.\n"
    read = read_loop_csv_zip(out.read_bytes())
    assert [habit.name for habit in read.habits] == [habit.name for habit in loop.habits]
    assert [habit.entries for habit in read.habits] == [habit.entries for habit in loop.habits]


def test_exporting_an_unknown_user_fails_with_one_line(tmp_path: Path):
    url = prepared(tmp_path)
    for kind, name in (("json", "x.json"), ("loop", "x.zip")):
        out = tmp_path / name
        result = run_cli(
            tmp_path, "export", kind, "--user", "nobody@example.org", "--out", str(out), DATABASE_URL=url
        )
        assert result.returncode == 1
        assert result.stderr == "habit-wizard: No user with email nobody@example.org.\n"
        assert not out.exists()


def test_export_into_a_missing_folder_fails_with_one_line(tmp_path: Path):
    url = prepared(tmp_path)
    out = tmp_path / "missing" / "ada.json"
    result = run_cli(
        tmp_path, "export", "json", "--user", "ada@example.org", "--out", str(out), DATABASE_URL=url
    )
    assert result.returncode == 1
    assert result.stderr.startswith(f"habit-wizard: Cannot write {out}: ")
    assert result.stderr.count("\n") == 1


def test_importing_a_bad_json_file_fails_with_one_line_and_stores_nothing(tmp_path: Path):
    url = prepared(tmp_path)
    before = stored_counts(url)
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "habit-wizard", "version": 7}')
    missing = tmp_path / "missing.json"

    result = run_cli(tmp_path, "import", "json", str(bad), "--user", "new@example.org", DATABASE_URL=url)
    assert result.returncode == 1
    assert result.stderr == "habit-wizard: This export has version 7; this Habit Wizard reads version 1.\n"

    result = run_cli(tmp_path, "import", "json", str(missing), "--user", "new@example.org", DATABASE_URL=url)
    assert result.returncode == 1
    assert result.stderr == f"habit-wizard: There is no file at {missing}.\n"
    assert stored_counts(url) == before
