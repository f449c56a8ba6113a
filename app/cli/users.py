"""User account commands."""

from __future__ import annotations

import typer
from sqlmodel import Session, col, select

from app.cli.common import check_database_reachable

users_cli = typer.Typer(help="User accounts.", no_args_is_help=True)


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
