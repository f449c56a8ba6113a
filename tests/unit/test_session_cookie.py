"""The session cookie's attributes: `__Host-` and Secure over HTTPS, always HttpOnly and Lax."""

from __future__ import annotations

import pytest
from starlette.responses import Response

from app.auth.routes import _set_session_cookie
from app.auth.sessions import cookie_name
from app.config import get_settings


@pytest.mark.parametrize(
    ("base_url", "name", "secure"),
    [
        ("https://habits.example.org", "__Host-hw_session", True),
        ("http://localhost:3000", "hw_session", False),
    ],
)
def test_cookie_attributes_follow_the_base_url(
    monkeypatch: pytest.MonkeyPatch, base_url: str, name: str, secure: bool
):
    monkeypatch.setenv("APP_BASE_URL", base_url)
    get_settings.cache_clear()
    response = Response()

    _set_session_cookie(response, "opaque-id")

    header = response.headers["set-cookie"]
    assert cookie_name(get_settings()) == name
    assert header.startswith(f"{name}=opaque-id;")
    assert "HttpOnly" in header
    assert "SameSite=lax" in header
    assert "Path=/" in header
    assert "Domain" not in header  # __Host- cookies must not name a domain
    assert ("Secure" in header) is secure
