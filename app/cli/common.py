"""Helpers shared by the CLI commands: one-line failures and database checks."""

from __future__ import annotations

from pathlib import Path
from typing import NoReturn

import typer
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from app.config import get_settings

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def fail(message: str) -> NoReturn:
    typer.echo(f"habit-wizard: {message}", err=True)
    raise typer.Exit(1)


def database_label() -> str:
    from sqlalchemy.engine import make_url

    return make_url(get_settings().sqlalchemy_url).render_as_string(hide_password=True)


def check_database_reachable() -> None:
    from app.db.engine import get_engine

    try:
        with get_engine().connect() as connection:
            connection.execute(text("SELECT 1"))
    except OperationalError as error:
        reason = str(error.orig).strip().splitlines()[0] if error.orig else "unreachable"
        fail(f"cannot reach the database at DATABASE_URL ({database_label()}): {reason}")


def upgrade_database() -> None:
    from alembic.config import Config

    from alembic import command

    check_database_reachable()
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "alembic"))
    command.upgrade(config, "head")
