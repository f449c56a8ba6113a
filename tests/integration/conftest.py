"""Integration fixtures: a freshly migrated database of each kind we support."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.config import Config
from sqlalchemy import Engine

from alembic import command
from app.db.engine import build_engine
from tests.support.databases import fresh_postgres_database, sqlite_url

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def upgrade_head(engine: Engine) -> None:
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An engine on a freshly migrated SQLite file, then on a fresh PostgreSQL database."""
    if request.param == "sqlite":
        engine = build_engine(sqlite_url(tmp_path))
        upgrade_head(engine)
        yield engine
        engine.dispose()
        return
    with fresh_postgres_database() as url:
        engine = build_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
        upgrade_head(engine)
        yield engine
        engine.dispose()
