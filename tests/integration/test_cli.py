"""The installed `habit-wizard` console script, run as an operator would run it."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import inspect
from sqlmodel import Session, select

from app.db.engine import build_engine, session_scope
from app.db.tables import Entry, Habit, ProgressCheckpoint, User, WebSession
from tests.integration.test_migrations import APP_TABLES
from tests.support.environment import without_app_variables

HABIT_WIZARD = Path(sys.executable).parent / "habit-wizard"
UNREACHABLE_POSTGRES = "postgresql://postgres:hunter2-password@127.0.0.1:1/nope"


def run_cli(cwd: Path, *arguments: str, **variables: str) -> subprocess.CompletedProcess[str]:
    """Run the console script from `cwd` with only `variables` among the app's settings."""
    env = without_app_variables(os.environ)
    env.update(variables)
    return subprocess.run(
        [str(HABIT_WIZARD), *arguments],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def sqlite_database(folder: Path) -> str:
    return f"sqlite:///{folder / 'x.db'}"


def test_console_script_is_installed() -> None:
    assert HABIT_WIZARD.is_file()


def test_db_upgrade_creates_the_tables(tmp_path: Path) -> None:
    url = sqlite_database(tmp_path)

    result = run_cli(tmp_path, "db", "upgrade", DATABASE_URL=url)

    assert result.returncode == 0, result.stderr
    assert result.stdout == f"Database at {url} is up to date.\n"
    engine = build_engine(url)
    assert set(inspect(engine).get_table_names()) == APP_TABLES | {"alembic_version"}
    engine.dispose()


def test_db_upgrade_twice_is_harmless(tmp_path: Path) -> None:
    url = sqlite_database(tmp_path)

    assert run_cli(tmp_path, "db", "upgrade", DATABASE_URL=url).returncode == 0
    second = run_cli(tmp_path, "db", "upgrade", DATABASE_URL=url)

    assert second.returncode == 0, second.stderr


def test_users_list_is_empty_for_a_new_database(tmp_path: Path) -> None:
    url = sqlite_database(tmp_path)
    assert run_cli(tmp_path, "db", "upgrade", DATABASE_URL=url).returncode == 0

    result = run_cli(tmp_path, "users", "list", DATABASE_URL=url)

    assert result.returncode == 0, result.stderr
    assert result.stdout == ""


def test_users_list_shows_each_user(tmp_path: Path) -> None:
    url = sqlite_database(tmp_path)
    assert run_cli(tmp_path, "db", "upgrade", DATABASE_URL=url).returncode == 0
    engine = build_engine(url)
    with session_scope(engine) as db:
        db.add(User(display_name="Ada Lovelace", email="ada@example.org"))
        db.add(User(display_name="Bob", role="admin", disabled=True))
    engine.dispose()

    result = run_cli(tmp_path, "users", "list", DATABASE_URL=url)

    assert result.returncode == 0, result.stderr
    assert result.stdout == "1\tada@example.org\tAda Lovelace\n2\t-\tBob\tadmin disabled\n"


def test_unreachable_database_gives_one_line_without_a_traceback(tmp_path: Path) -> None:
    result = run_cli(tmp_path, "db", "upgrade", DATABASE_URL=UNREACHABLE_POSTGRES)

    assert result.returncode == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("habit-wizard: cannot reach the database")
    assert "Traceback" not in result.stderr
    assert "hunter2-password" not in result.stderr


def test_users_list_on_an_unreachable_database_gives_one_line(tmp_path: Path) -> None:
    result = run_cli(tmp_path, "users", "list", DATABASE_URL=UNREACHABLE_POSTGRES)

    assert result.returncode == 1
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert result.stderr.startswith("habit-wizard: cannot reach the database")


def test_bad_setting_exits_2_with_one_line_naming_it(tmp_path: Path) -> None:
    url = sqlite_database(tmp_path)

    result = run_cli(tmp_path, "db", "upgrade", DATABASE_URL=url, PORT="abc")

    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Configuration error: PORT: ")
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "x.db").exists()


def test_serve_with_an_unreachable_database_stops_with_one_line(tmp_path: Path) -> None:
    """`make run` runs `habit-wizard serve`: a database that is down must not start a build."""
    result = run_cli(tmp_path, "serve", DATABASE_URL=UNREACHABLE_POSTGRES)

    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("habit-wizard: cannot reach the database")
    assert "Traceback" not in result.stderr


def test_serve_refuses_the_development_provider_in_production(tmp_path: Path) -> None:
    url = sqlite_database(tmp_path)

    result = run_cli(
        tmp_path,
        "serve",
        DATABASE_URL=url,
        APP_ENV="production",
        SECRET_KEY="k" * 48,
        METRICS_TOKEN="token",
    )

    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Configuration error: OAUTH_PROVIDERS:")
    assert "development provider is refused" in lines[0]


def test_promote_and_disable_by_email(tmp_path: Path) -> None:
    url = sqlite_database(tmp_path)
    assert run_cli(tmp_path, "db", "upgrade", DATABASE_URL=url).returncode == 0
    engine = build_engine(url)
    with session_scope(engine) as db:
        user = User(display_name="Ada Lovelace", email="ada@example.org")
        db.add(user)
        db.flush()
        expires = datetime.now(UTC) + timedelta(days=1)
        for token in ("a" * 64, "b" * 64):
            db.add(WebSession(token_hash=token, user_id=user.id, expires_at=expires))

    promoted = run_cli(tmp_path, "users", "promote", "ADA@example.org", DATABASE_URL=url)
    disabled = run_cli(tmp_path, "users", "disable", "ada@example.org", DATABASE_URL=url)
    missing = run_cli(tmp_path, "users", "disable", "nobody@example.org", DATABASE_URL=url)

    assert (promoted.returncode, promoted.stdout) == (0, "ada@example.org: promoted\n")
    assert (disabled.returncode, disabled.stdout) == (0, "ada@example.org: disabled\n")
    assert missing.returncode == 1
    assert missing.stderr == "habit-wizard: no user with email nobody@example.org\n"
    with session_scope(engine) as db:
        stored = db.exec(select(User)).one()
        assert (stored.role, stored.disabled) == ("admin", True)
        assert db.exec(select(WebSession)).all() == []  # every session ended at once
    engine.dispose()


def test_db_warm_builds_every_persons_checkpoints_once(tmp_path: Path) -> None:
    url = sqlite_database(tmp_path)
    assert run_cli(tmp_path, "db", "upgrade", DATABASE_URL=url).returncode == 0
    engine = build_engine(url)
    today = datetime.now(UTC).date()
    with session_scope(engine) as db:
        for name in ("Ada", "Bo"):
            user = User(display_name=name)
            db.add(user)
            db.flush()
            habit = Habit(user_id=user.id or 0, name=f"{name}'s habit")
            db.add_all([habit, Habit(user_id=user.id or 0, name="Old", archived=True)])
            db.flush()
            db.add_all(
                Entry(habit_id=habit.id or 0, day=today - timedelta(days=back)) for back in range(1, 400)
            )

    result = run_cli(tmp_path, "db", "warm", DATABASE_URL=url)

    assert result.returncode == 0, result.stderr
    assert result.stdout == "Progress checkpoints are up to date for 2 habits of 2 people.\n"
    with Session(engine) as db:
        saved = db.exec(select(ProgressCheckpoint)).all()
    assert len(saved) == 2 and all(row.first_day == today - timedelta(days=399) for row in saved)
    engine.dispose()


def test_db_warm_before_upgrade_fails_in_one_line(tmp_path: Path) -> None:
    result = run_cli(tmp_path, "db", "warm", DATABASE_URL=sqlite_database(tmp_path))
    assert result.returncode == 1
    assert result.stderr.startswith("habit-wizard: could not build the checkpoints (")
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
