"""Who is signed in, resolved on the server from the HttpOnly session cookie.

The browser never supplies identity: the cookie arrives with the websocket handshake and is
looked up in the session table on every event that touches user data.
"""

from __future__ import annotations

from datetime import UTC, datetime
from http.cookies import CookieError, SimpleCookie

import reflex as rx

from app.auth.sessions import cookie_name, resolve_session
from app.config import get_settings
from app.db.engine import run_in_session
from app.services.principals import Principal

SIGN_IN_ROUTE = "/signin"


def session_id_from_cookie_header(header: str) -> str | None:
    cookies: SimpleCookie = SimpleCookie()
    try:
        cookies.load(header)
    except CookieError:
        return None
    morsel = cookies.get(cookie_name(get_settings()))
    return morsel.value if morsel else None


class SessionState(rx.State):
    """Shared by every page: the signed-in person's name for the header."""

    display_name: str = ""
    signed_in: bool = False
    is_admin: bool = False
    # A session cookie that no longer works: expired, revoked, or the account was disabled.
    session_ended: bool = False

    async def current_principal(self) -> Principal | None:
        """Resolve the person from the session table; None when signed out or expired."""
        session_id = session_id_from_cookie_header(self.router.headers.cookie)
        settings = get_settings()
        now = datetime.now(UTC)
        principal = await run_in_session(
            lambda db: resolve_session(db, session_id, settings=settings, now=now)
        )
        self.signed_in = principal is not None
        self.session_ended = session_id is not None and principal is None
        self.display_name = principal.display_name if principal else ""
        self.is_admin = principal.is_admin if principal else False
        return principal
