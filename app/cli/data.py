"""Moving a person's data in and out: Loop and JSON imports, Loop CSV and JSON exports."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from app.cli.common import check_database_reachable, fail
from app.config import get_settings

if TYPE_CHECKING:
    from app.services.principals import Principal

import_cli = typer.Typer(help="Import data into an account.", no_args_is_help=True)
export_cli = typer.Typer(help="Export an account's data.", no_args_is_help=True)

UserOption = Annotated[str, typer.Option("--user", help="Email of the account.")]
OutOption = Annotated[Path, typer.Option("--out", help="File to write (replaced if it exists).")]


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


@import_cli.command("json")
def import_json_command(
    path: Annotated[Path, typer.Argument(help="A Habit Wizard JSON export.")],
    user: Annotated[str, typer.Option("--user", help="Email of the account; created when missing.")],
) -> None:
    """Import a Habit Wizard JSON export (a restore into an empty account; safe to repeat)."""
    from app.db.engine import session_scope
    from app.domain.json_format import JsonFormatError, read_json_bytes
    from app.domain.loop.model import file_too_large
    from app.services.data_export import import_json
    from app.services.errors import ServiceError
    from app.services.loop_import import principal_for_email

    check_database_reachable()
    limit = get_settings().import_max_bytes
    try:
        if not path.is_file():
            fail(f"There is no file at {path}.")
        if path.stat().st_size > limit:
            raise JsonFormatError(str(file_too_large(path.stat().st_size, limit)))
        document = read_json_bytes(path.read_bytes())
        with session_scope() as db:
            outcome = import_json(db, principal_for_email(db, user, create=True), document)
    except (JsonFormatError, ServiceError) as error:
        fail(str(error))
    except OSError as error:
        fail(f"Cannot read {path}: {error.strerror or error}.")
    typer.echo(outcome.summary())


def _write(out: Path, data: bytes) -> None:
    """Write next to the target and rename, so a failed export never leaves half a file."""
    partial = out.with_name(f".{out.name}.partial")
    try:
        partial.write_bytes(data)
        partial.replace(out)
    except OSError as error:
        partial.unlink(missing_ok=True)
        fail(f"Cannot write {out}: {error.strerror or error}.")


def _principal(user: str) -> Principal:
    from app.db.engine import session_scope
    from app.services.loop_import import principal_for_email

    with session_scope() as db:
        return principal_for_email(db, user, create=False)


@export_cli.command("loop")
def export_loop_command(user: UserOption, out: OutOption) -> None:
    """Write a Loop-compatible CSV export zip (Habits.csv, Checkmarks.csv, Scores.csv)."""
    from datetime import UTC, datetime

    from app.db.engine import session_scope
    from app.services.data_export import export_loop_zip
    from app.services.errors import ServiceError
    from app.services.habits import today_for

    check_database_reachable()
    try:
        principal = _principal(user)
        today = today_for(principal, datetime.now(UTC))
        with session_scope() as db:
            data = export_loop_zip(db, principal, today)
    except ServiceError as error:
        fail(str(error))
    _write(out, data)
    typer.echo(f"Wrote the Loop CSV export of {user.strip().lower()} to {out}.")


@export_cli.command("json")
def export_json_command(user: UserOption, out: OutOption) -> None:
    """Write everything the account owns as a Habit Wizard JSON document."""
    from datetime import UTC, datetime

    from app.db.engine import session_scope
    from app.services.data_export import export_json
    from app.services.errors import ServiceError

    check_database_reachable()
    try:
        principal = _principal(user)
        with session_scope() as db:
            document = export_json(db, principal, datetime.now(UTC))
    except ServiceError as error:
        fail(str(error))
    _write(out, (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode())
    typer.echo(f"Wrote the JSON export of {user.strip().lower()} to {out}.")
