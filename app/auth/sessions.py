"""Server-side sessions: the browser holds an opaque id, the database only its hash."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlmodel import Session, col, delete, select

from app.config import Settings
from app.db.tables import User, WebSession
from app.services.principals import Principal

# 32 random bytes: 256 bits, well above the 128 bits OWASP asks for.
SESSION_ID_BYTES = 32
# Writing last_seen on every event would turn reads into writes; a minute is precise enough.
LAST_SEEN_RESOLUTION = timedelta(minutes=1)


def cookie_name(settings: Settings) -> str:
    """`__Host-` binds the cookie to this exact origin, but browsers accept it only over HTTPS."""
    return "__Host-hw_session" if settings.app_base_url.startswith("https://") else "hw_session"


def hash_session_id(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


def start_session(
    db: Session,
    user: User,
    *,
    settings: Settings,
    now: datetime,
    user_agent: str,
    provider: str,
    id_token_hint: str | None,
) -> str:
    """Store a new session for `user` and return the id to put in the cookie."""
    assert user.id is not None
    session_id = secrets.token_urlsafe(SESSION_ID_BYTES)
    db.add(
        WebSession(
            token_hash=hash_session_id(session_id),
            user_id=user.id,
            created_at=now,
            last_seen_at=now,
            expires_at=now + timedelta(hours=settings.session_max_lifetime_hours),
            user_agent=user_agent[:300],
            provider=provider,
            id_token_hint=id_token_hint,
        )
    )
    return session_id


def resolve_session(
    db: Session, session_id: str | None, *, settings: Settings, now: datetime
) -> Principal | None:
    """The signed-in user for a cookie value, or None when missing, expired, idle or disabled."""
    if not session_id:
        return None
    row = db.exec(
        select(WebSession, User)
        .join(User, col(User.id) == WebSession.user_id)
        .where(WebSession.token_hash == hash_session_id(session_id))
    ).first()
    if row is None:
        return None
    web_session, user = row
    idle_limit = timedelta(minutes=settings.session_idle_timeout_minutes)
    if user.disabled or now >= web_session.expires_at or now - web_session.last_seen_at > idle_limit:
        db.delete(web_session)
        return None
    if now - web_session.last_seen_at >= LAST_SEEN_RESOLUTION:
        web_session.last_seen_at = now
        db.add(web_session)
    assert user.id is not None
    return Principal(
        user_id=user.id,
        display_name=user.display_name,
        role=user.role,
        timezone=user.timezone,
        day_start_hour=user.day_start_hour,
    )


def end_session(db: Session, session_id: str | None) -> WebSession | None:
    """Delete the session; returns it so sign-out can end the provider session too."""
    if not session_id:
        return None
    web_session = db.exec(
        select(WebSession).where(WebSession.token_hash == hash_session_id(session_id))
    ).first()
    if web_session is not None:
        db.delete(web_session)
    return web_session


def end_all_sessions(db: Session, user_id: int) -> None:
    db.exec(delete(WebSession).where(col(WebSession.user_id) == user_id))
