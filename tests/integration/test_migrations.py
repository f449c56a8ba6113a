"""Migrations build the schema the tables describe, on PostgreSQL and SQLite, both ways."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect

from alembic import command
from app.db.engine import build_engine
from app.db.tables import metadata
from tests.support.databases import fresh_postgres_database, sqlite_url

PROJECT_ROOT = Path(__file__).resolve().parents[2]
APP_TABLES = {"users", "identities", "web_sessions", "habits", "entries", "progress_checkpoints"}


def alembic_config() -> Config:
    return Config(str(PROJECT_ROOT / "alembic.ini"))


def migrate(engine: Engine, action: str, revision: str) -> None:
    """Run `alembic <action> <revision>` over a connection of `engine` (env.py uses it)."""
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        getattr(command, action)(config, revision)


def table_names(engine: Engine) -> set[str]:
    return set(inspect(engine).get_table_names())


def schema_drift(engine: Engine) -> list[object]:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, metadata))


def postgres_psycopg(url: str) -> str:
    return url.replace("postgresql://", "postgresql+psycopg://", 1)


def test_the_tables_module_names_the_five_tables() -> None:
    assert set(metadata.tables) == APP_TABLES


def test_postgres_upgrade_downgrade_and_upgrade_again() -> None:
    with fresh_postgres_database() as url:
        engine = build_engine(postgres_psycopg(url))
        try:
            assert table_names(engine) == set()

            migrate(engine, "upgrade", "head")
            assert table_names(engine) == APP_TABLES | {"alembic_version"}

            migrate(engine, "downgrade", "base")
            assert table_names(engine) - {"alembic_version"} == set()

            migrate(engine, "upgrade", "head")
            assert table_names(engine) == APP_TABLES | {"alembic_version"}
        finally:
            engine.dispose()


def test_postgres_upgrade_reads_database_url_from_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    with fresh_postgres_database() as url:
        monkeypatch.setenv("DATABASE_URL", url)
        command.upgrade(alembic_config(), "head")

        engine = build_engine(postgres_psycopg(url))
        try:
            assert table_names(engine) == APP_TABLES | {"alembic_version"}
        finally:
            engine.dispose()


def test_sqlite_upgrade_downgrade_and_upgrade_again(tmp_path: Path) -> None:
    engine = build_engine(sqlite_url(tmp_path))

    migrate(engine, "upgrade", "head")
    assert table_names(engine) == APP_TABLES | {"alembic_version"}

    migrate(engine, "downgrade", "base")
    assert table_names(engine) - {"alembic_version"} == set()

    migrate(engine, "upgrade", "head")
    assert table_names(engine) == APP_TABLES | {"alembic_version"}
    engine.dispose()


def test_postgres_migrations_match_the_tables() -> None:
    with fresh_postgres_database() as url:
        engine = build_engine(postgres_psycopg(url))
        try:
            migrate(engine, "upgrade", "head")

            assert schema_drift(engine) == []
        finally:
            engine.dispose()


def test_sqlite_migrations_match_the_tables(tmp_path: Path) -> None:
    engine = build_engine(sqlite_url(tmp_path))
    migrate(engine, "upgrade", "head")

    assert schema_drift(engine) == []
    engine.dispose()


def test_drift_check_notices_a_missing_table(tmp_path: Path) -> None:
    """Guards the drift tests themselves: a schema that differs must give a non-empty diff."""
    engine = build_engine(sqlite_url(tmp_path))
    migrate(engine, "upgrade", "head")
    with engine.begin() as connection:
        connection.exec_driver_sql("DROP TABLE entries")

    drift = schema_drift(engine)

    assert [(change[0], change[1].name) for change in drift if change[0] == "add_table"] == [
        ("add_table", "entries")
    ]
    engine.dispose()
