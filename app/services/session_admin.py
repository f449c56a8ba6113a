"""Settings -> Security: a person's signed-in browsers, revoking one, signing out everywhere.

Sessions are named by their row id: it is opaque (no secret: the cookie's session id is never
stored, only its hash) and every use case still checks that the row belongs to the principal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, func, select

from app.auth.sessions import end_all_sessions, hash_session_id
from app.config import Settings
from app.db.tables import WebSession
from app.services.errors import NotFound
from app.services.principals import Principal


@dataclass(frozen=True)
class SessionRow:
    session_id: int
    created_at: datetime
    last_seen_at: datetime
    device: str  # e.g. "Firefox on Windows"
    provider: str
    current: bool


# Order matters: Edge and Opera also say "Chrome", Chrome also says "Safari", iOS says "Mac OS X"
# and Android says "Linux".
_BROWSERS = (
    (re.compile(r"Edg(e|A|iOS)?/"), "Edge"),
    (re.compile(r"OPR/|Opera"), "Opera"),
    (re.compile(r"SamsungBrowser/"), "Samsung Internet"),
    (re.compile(r"Firefox/|FxiOS/"), "Firefox"),
    (re.compile(r"HeadlessChrome/"), "Headless Chrome"),
    (re.compile(r"Chromium/"), "Chromium"),
    (re.compile(r"Chrome/|CriOS/"), "Chrome"),
    (re.compile(r"Version/[\d.]+.*Safari/"), "Safari"),
)
_SYSTEMS = (
    (re.compile(r"Windows"), "Windows"),
    (re.compile(r"iPhone|iPad|iPod"), "iOS"),
    (re.compile(r"Android"), "Android"),
    (re.compile(r"CrOS"), "ChromeOS"),
    (re.compile(r"Mac OS X|Macintosh"), "macOS"),
    (re.compile(r"Linux|X11"), "Linux"),
)
MAX_DEVICE_LENGTH = 40
MAX_ROW_ID = 2**31 - 1  # INTEGER primary keys


def summarise_user_agent(user_agent: str) -> str:
    """A short, human name for a browser: "Chrome on Linux"; the raw string only as a last resort."""
    browser = next((name for pattern, name in _BROWSERS if pattern.search(user_agent)), None)
    system = next((name for pattern, name in _SYSTEMS if pattern.search(user_agent)), None)
    if browser or system:
        return f"{browser or 'Unknown browser'} on {system or 'an unknown system'}"
    product = user_agent.strip().split(" ", 1)[0]
    return product[:MAX_DEVICE_LENGTH] if product else "Unknown device"


def list_sessions(
    db: Session,
    principal: Principal,
    current_session_id: str | None,
    *,
    now: datetime,
    settings: Settings,
) -> list[SessionRow]:
    """The principal's active sessions, the current one (the cookie's `session_id`) first.

    Sessions past their absolute lifetime or idle timeout already stop working, so they are
    not listed even if their rows have not been cleaned up yet.
    """
    idle_since = now - timedelta(minutes=settings.session_idle_timeout_minutes)
    current_hash = hash_session_id(current_session_id) if current_session_id else None
    found = db.exec(
        select(WebSession)
        .where(
            WebSession.user_id == principal.user_id,
            col(WebSession.expires_at) > now,
            col(WebSession.last_seen_at) >= idle_since,
        )
        .order_by(col(WebSession.last_seen_at).desc(), col(WebSession.id).desc())
    ).all()
    rows = [
        SessionRow(
            session_id=row.id,
            created_at=row.created_at,
            last_seen_at=row.last_seen_at,
            device=summarise_user_agent(row.user_agent),
            provider=row.provider,
            current=current_hash is not None and row.token_hash == current_hash,
        )
        for row in found
        if row.id is not None
    ]
    return sorted(rows, key=lambda row: not row.current)  # stable: keeps last-seen order


def revoke_session(db: Session, principal: Principal, session_row_id: int) -> None:
    """End one of the principal's sessions; another person's session is NotFound, untouched."""
    # Out-of-range ids would be a database error on PostgreSQL; they name nothing, like any other.
    in_range = isinstance(session_row_id, int) and 0 < session_row_id <= MAX_ROW_ID
    session = db.get(WebSession, session_row_id) if in_range else None
    if session is None or session.user_id != principal.user_id:
        raise NotFound("That session does not exist (it may have ended already).")
    db.delete(session)


def revoke_all_sessions(db: Session, principal: Principal) -> int:
    """Sign out everywhere, this browser included; returns how many sessions ended."""
    ended = db.exec(
        select(func.count()).select_from(WebSession).where(WebSession.user_id == principal.user_id)
    ).one()
    end_all_sessions(db, principal.user_id)
    return int(ended)
