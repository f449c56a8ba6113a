"""Operator use cases behind the admin page; every one refuses non-admins."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, func, select

from app.auth.sessions import end_all_sessions
from app.db.tables import Habit, User, WebSession
from app.services.errors import Forbidden, InvalidInput, NotFound
from app.services.principals import Principal


@dataclass(frozen=True)
class UserSummary:
    user_id: int
    display_name: str
    email: str
    role: str
    disabled: bool
    habits: int
    last_seen: datetime | None


def _require_admin(principal: Principal) -> None:
    if not principal.is_admin:
        raise Forbidden("Only administrators can do this.")


def list_users(db: Session, principal: Principal) -> list[UserSummary]:
    """Every account with its habit count and last activity (three queries)."""
    _require_admin(principal)
    users = db.exec(select(User).order_by(col(User.id))).all()
    habits = dict(db.exec(select(Habit.user_id, func.count()).group_by(col(Habit.user_id))).all())
    seen = dict(
        db.exec(
            select(WebSession.user_id, func.max(WebSession.last_seen_at)).group_by(col(WebSession.user_id))
        ).all()
    )
    summaries = []
    for user in users:
        assert user.id is not None
        summaries.append(
            UserSummary(
                user_id=user.id,
                display_name=user.display_name,
                email=user.email or "",
                role=user.role,
                disabled=user.disabled,
                habits=int(habits.get(user.id, 0)),
                last_seen=seen.get(user.id),
            )
        )
    return summaries


def set_user_disabled(db: Session, principal: Principal, user_id: int, disabled: bool) -> None:
    """Disabling ends every session of that account at once."""
    _require_admin(principal)
    if user_id == principal.user_id:
        raise InvalidInput("You can't disable your own account.")
    user = db.get(User, user_id)
    if user is None:
        raise NotFound("That user does not exist.")
    user.disabled = disabled
    db.add(user)
    if disabled:
        end_all_sessions(db, user_id)
