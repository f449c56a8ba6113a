"""Security headers on every HTTP response: CSP, nosniff, referrer, framing, HSTS.

A pure ASGI middleware (it only edits `http.response.start`), so websockets and streamed
bodies pass through untouched. A header a route has already set is left as the route set it.

The Content-Security-Policy is what the compiled Reflex frontend works under in Chromium:

- script-src: 'self' plus the SHA-256 hash of every inline <script> in the prerendered pages
  (React Router's context and stream scripts, the colour-mode script). The hashes are read
  from the built HTML once per process, so no 'unsafe-inline' for scripts. 'unsafe-eval' is
  there only while the UI uses `rx.call_script` (see ALLOW_EVAL): Reflex runs its string payload
  with `eval()` in `.web/utils/state.js`; `rx.run_script` compiles the code into the bundle.
- style-src 'unsafe-inline': Radix Themes and emotion inject <style> elements and style
  attributes at run time, which hashes cannot cover.
- connect-src: our own origin and its ws(s):// form (the `/_event` websocket).
- form-action: 'self' (sign-out is a POST to /auth/logout) plus the sign-in providers'
  origins, because Chromium applies form-action to the redirects after a form POST and
  RP-initiated logout redirects to the provider.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import urlsplit

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.config import Settings, get_settings

HSTS_VALUE = "max-age=63072000; includeSubDomains"
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
# Reflex runs `rx.call_script` payloads with eval(); the sign-out button uses one. Switching it
# to `rx.run_script(<expression>)` (compiled into the bundle, no eval) lets this become False.
# Reflex 0.10 runs toasts (rx.toast) through eval() in .web/utils/state.js; seen here: with
# 'unsafe-eval' off, error toasts silently never appear. Keep it until Reflex compiles them.
ALLOW_EVAL = True
# Inline scripts only: a <script src=...> is covered by 'self'.
_INLINE_SCRIPT = re.compile(r"<script\b(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.DOTALL | re.IGNORECASE)
_SRC_ATTRIBUTE = re.compile(r"\bsrc\s*=", re.IGNORECASE)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def websocket_origin(base_origin: str) -> str:
    """ws://host for an http base origin, wss://host for https."""
    scheme, rest = base_origin.split("://", 1)
    return f"{'wss' if scheme == 'https' else 'ws'}://{rest}"


def inline_script_hashes(html: str) -> list[str]:
    """CSP source expressions ('sha256-...') for the inline scripts of one HTML page."""
    hashes = []
    for match in _INLINE_SCRIPT.finditer(html):
        if _SRC_ATTRIBUTE.search(match["attrs"]):
            continue
        digest = hashlib.sha256(match["body"].encode("utf-8")).digest()
        hashes.append(f"'sha256-{base64.b64encode(digest).decode('ascii')}'")
    return hashes


def built_page_hashes(static_dir: Path) -> list[str]:
    """Hashes of the inline scripts across every prerendered page, in a stable order."""
    found: dict[str, None] = {}
    for page in sorted(static_dir.rglob("*.html")):
        for source in inline_script_hashes(page.read_text(encoding="utf-8", errors="replace")):
            found[source] = None
    return list(found)


def _frontend_static_dir() -> Path:
    """Where Reflex serves the compiled frontend from (see reflex.utils.exec.get_frontend_mount)."""
    from reflex.utils import prerequisites
    from reflex_base import constants

    return prerequisites.get_web_dir() / constants.Dirs.STATIC


def content_security_policy(settings: Settings, script_hashes: Iterable[str]) -> str:
    base = settings.base_origin
    provider_origins = sorted({_origin(provider.issuer) for provider in settings.providers()} - {base})
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'", *(["'unsafe-eval'"] if ALLOW_EVAL else []), *script_hashes],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'", websocket_origin(base)],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'", *provider_origins],
        "frame-ancestors": ["'none'"],
    }
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items())


class SecurityHeadersMiddleware:
    """Adds the security headers to every HTTP response that does not already carry them."""

    def __init__(
        self, app: ASGIApp, settings: Settings | None = None, static_dir: Path | None = None
    ) -> None:
        self.app = app
        self.settings = settings or get_settings()
        self.static_dir = static_dir
        self._csp: str | None = None
        self._fixed_headers = {
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "strict-origin-when-cross-origin",
            "X-Frame-Options": "DENY",
            "Permissions-Policy": PERMISSIONS_POLICY,
        }
        if self.settings.app_base_url.startswith("https://"):
            self._fixed_headers["Strict-Transport-Security"] = HSTS_VALUE

    def _content_security_policy(self) -> str:
        # Built lazily: the frontend build finishes after the backend module is imported.
        if self._csp is None:
            static_dir = self.static_dir or _frontend_static_dir()
            hashes = built_page_hashes(static_dir) if static_dir.is_dir() else []
            csp = content_security_policy(self.settings, hashes)
            if not hashes:
                return csp  # no build yet: try again on the next response
            self._csp = csp
        return self._csp

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in self._fixed_headers.items():
                    if name not in headers:
                        headers[name] = value
                if "content-security-policy" not in headers:
                    headers["Content-Security-Policy"] = self._content_security_policy()
            await send(message)

        await self.app(scope, receive, send_with_headers)
