"""Moving a person's data in and out: Loop imports (and exports, JSON)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from app.cli.common import check_database_reachable, fail
from app.config import get_settings

import_cli = typer.Typer(help="Import data into an account.", no_args_is_help=True)


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
