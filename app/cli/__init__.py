"""The operator CLI, installed as the console script `habit-wizard`.

Errors print one clear line on stderr and exit non-zero; no stack traces. Each command group
lives in its own module; this one only assembles them.
"""

from __future__ import annotations

import typer

from app.cli.common import check_database_reachable, fail, upgrade_database
from app.cli.data import export_cli, import_cli
from app.cli.server import build, db_cli, serve
from app.cli.users import users_cli
from app.config import get_settings

cli = typer.Typer(help="Habit Wizard operator commands.", no_args_is_help=True, add_completion=False)
cli.add_typer(db_cli, name="db")
cli.add_typer(users_cli, name="users")
cli.add_typer(import_cli, name="import")
cli.add_typer(export_cli, name="export")
cli.command()(build)
cli.command()(serve)

__all__ = ["check_database_reachable", "cli", "fail", "main", "upgrade_database"]


def main() -> None:
    get_settings()  # a bad setting stops here with one line naming the variable
    cli()


if __name__ == "__main__":
    main()
