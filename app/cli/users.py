"""User account commands."""

from __future__ import annotations

import typer
from sqlmodel import Session, col, select

from app.cli.common import check_database_reachable, fail

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


def _set_user_flag(email: str, change: str) -> str:
    from app.auth.sessions import end_all_sessions
    from app.db.engine import session_scope
    from app.db.tables import User

    check_database_reachable()
    address = email.strip().lower()
    with session_scope() as session:
        user = session.exec(select(User).where(User.email == address)).first()
        if user is None:
            fail(f"no user with email {address}")
        assert user.id is not None
        if change == "promote":
            user.role = "admin"
        else:
            user.disabled = change == "disable"
            if user.disabled:
                end_all_sessions(session, user.id)  # every open browser loses access at once
        session.add(user)
        return f"{address}: {change}d"


@users_cli.command("promote")
def users_promote(email: str) -> None:
    """Give a user the admin role."""
    typer.echo(_set_user_flag(email, "promote"))


@users_cli.command("disable")
def users_disable(email: str) -> None:
    """Disable a user: all their sessions end now and sign-in is refused."""
    typer.echo(_set_user_flag(email, "disable"))


@users_cli.command("enable")
def users_enable(email: str) -> None:
    """Enable a disabled user again."""
    typer.echo(_set_user_flag(email, "enable"))
