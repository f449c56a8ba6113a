"""Security headers middleware in-process: HSTS only over https, route headers kept, CSP hashes."""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.responses import PlainTextResponse
from fastapi.testclient import TestClient

from app.api.security_headers import (
    HSTS_VALUE,
    SecurityHeadersMiddleware,
    built_page_hashes,
    inline_script_hashes,
)
from app.config import get_settings


def _client(static_dir: Path) -> TestClient:
    app = FastAPI()

    @app.get("/plain")
    async def plain() -> PlainTextResponse:
        return PlainTextResponse("ok")

    @app.get("/framed")
    async def framed() -> PlainTextResponse:
        return PlainTextResponse("ok", headers={"X-Frame-Options": "SAMEORIGIN"})

    app.add_middleware(SecurityHeadersMiddleware, settings=get_settings(), static_dir=static_dir)
    return TestClient(app)


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def test_hsts_only_when_base_url_is_https(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("APP_BASE_URL", "https://habits.example.org")
    get_settings.cache_clear()

    response = _client(tmp_path).get("/plain")

    assert response.headers["Strict-Transport-Security"] == HSTS_VALUE
    assert "connect-src 'self' wss://habits.example.org" in response.headers["Content-Security-Policy"]


def test_no_hsts_over_http(tmp_path: Path) -> None:
    response = _client(tmp_path).get("/plain")

    assert "Strict-Transport-Security" not in response.headers
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "camera=()" in response.headers["Permissions-Policy"]
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp
    assert "object-src 'none'" in csp
    assert "connect-src 'self' ws://localhost:3000" in csp


def test_headers_on_404_and_route_headers_kept(tmp_path: Path) -> None:
    client = _client(tmp_path)

    missing = client.get("/nothing-here")
    framed = client.get("/framed")

    assert missing.status_code == 404
    assert missing.headers["X-Frame-Options"] == "DENY"
    assert framed.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert framed.headers.get_list("X-Frame-Options") == ["SAMEORIGIN"]


def test_script_src_lists_hashes_of_inline_scripts_only(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "index.html").write_text(
        '<html><script>window.a = 1;</script><script type="module" src="/assets/x.js"></script></html>'
    )
    (tmp_path / "sub" / "page.html").write_text(
        "<script async>\nwindow.b = 2;\n</script><script>window.a = 1;</script>"
    )

    csp = _client(tmp_path).get("/plain").headers["Content-Security-Policy"]

    assert built_page_hashes(tmp_path) == [_sha256("window.a = 1;"), _sha256("\nwindow.b = 2;\n")]
    assert _sha256("window.a = 1;") in csp
    assert _sha256("\nwindow.b = 2;\n") in csp
    assert "'unsafe-inline'" not in csp.split("script-src", 1)[1].split(";", 1)[0]


def test_inline_script_hashes_skips_external_scripts() -> None:
    assert inline_script_hashes('<script src="/a.js"></script>') == []


def test_form_action_allows_configured_provider_origins(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("OAUTH_PROVIDERS", "corp")
    monkeypatch.setenv("OAUTH_CORP_ISSUER", "https://id.example.com/realms/main")
    monkeypatch.setenv("OAUTH_CORP_CLIENT_ID", "habit-wizard")
    monkeypatch.setenv("OAUTH_CORP_CLIENT_SECRET", "not-a-real-secret")
    get_settings.cache_clear()

    csp = _client(tmp_path).get("/plain").headers["Content-Security-Policy"]

    assert "form-action 'self' https://id.example.com;" in csp
