"""Hardening over real HTTP against the running app: security headers, CSP in Chromium, CORS,
and the `/_event` websocket refusing foreign Origins.

The websocket origin check is Reflex's own: with a list of `cors_allowed_origins`, its
engine.io server closes the handshake (HTTP 403) for any Origin not in the list. A handshake
without an Origin is accepted: browsers always send one on websockets, so only non-browser
clients omit it, and they gain nothing a browser victim's cookies would give them.
"""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Page, expect
from wsproto import ConnectionType, WSConnection
from wsproto.events import AcceptConnection, CloseConnection, RejectConnection, Request, TextMessage

from tests.support.live_app import LiveApp, running_app

PARTNER_ORIGIN = "https://partner.example"
FOREIGN_ORIGIN = "https://evil.example"
SECURITY_HEADERS = (
    "Content-Security-Policy",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "X-Frame-Options",
    "Permissions-Policy",
)
PATHS = {
    "page": "/",
    "signin-redirect": "/signin",
    "probe": "/healthz",
    "metrics": "/metrics",
    "not-found": "/no-such-page",
}
# Reports every CSP violation as a console error, which the `page` fixture records.
SOCKET_TARGET = "/_event/?EIO=4&transport=websocket"
REPORT_CSP_VIOLATIONS = """
document.addEventListener('securitypolicyviolation', (event) => {
  console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI}`);
});
"""


# Overrides the shared fixture: one extra configured CORS origin to prove it is honoured.
@pytest.fixture(scope="module")
def live_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveApp]:
    with running_app(tmp_path_factory.mktemp("hardening"), {"CORS_ORIGINS": PARTNER_ORIGIN}) as app:
        yield app


def _static_asset_path(app: LiveApp) -> str:
    html = httpx.get(f"{app.base_url}/").text
    match = re.search(r'"(/assets/[^"]+\.js)"', html)
    assert match, "the built page links no /assets/*.js"
    return match[1]


class HandshakeRefused(Exception):
    def __init__(self, status_code: int) -> None:
        super().__init__(f"websocket handshake refused with HTTP {status_code}")
        self.status_code = status_code


def _open_socket(app: LiveApp, origin: str | None) -> str:
    """A real websocket handshake to `/_event` with `origin`; returns engine.io's open packet.

    wsproto directly: simple-websocket's client drops a message that arrives in the same read
    as the handshake response, which engine.io's immediate open packet often does.
    """
    connection = WSConnection(ConnectionType.CLIENT)
    headers = [("Origin", origin)] if origin else []
    with socket.create_connection(("localhost", app.port), timeout=10) as sock:
        sock.sendall(
            connection.send(
                Request(host=f"localhost:{app.port}", target=SOCKET_TARGET, extra_headers=headers)
            )
        )
        accepted = False
        while True:
            data = sock.recv(65536)
            if not data:
                raise AssertionError("connection closed before the open packet")
            connection.receive_data(data)
            for event in connection.events():
                if isinstance(event, RejectConnection):
                    raise HandshakeRefused(event.status_code)
                if isinstance(event, AcceptConnection):
                    accepted = True
                elif isinstance(event, TextMessage) and accepted:
                    sock.sendall(connection.send(CloseConnection(code=1000)))
                    return event.data


@pytest.mark.parametrize("kind", ["page", "signin-redirect", "probe", "metrics", "asset", "not-found"])
def test_security_headers_on_every_kind_of_response(live_app: LiveApp, kind: str):
    path = _static_asset_path(live_app) if kind == "asset" else PATHS[kind]

    response = httpx.get(f"{live_app.base_url}{path}")

    if kind == "not-found":
        assert response.status_code == 404
    else:
        assert response.status_code < 400, (path, response.status_code)
    for header in SECURITY_HEADERS:
        assert header in response.headers, (path, header)
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    # The base URL is http: HSTS there would be ignored at best and wrong at worst.
    assert "Strict-Transport-Security" not in response.headers


def test_content_security_policy_is_strict(live_app: LiveApp):
    csp = httpx.get(f"{live_app.base_url}/").headers["Content-Security-Policy"]
    directives = {part.split()[0]: part.split()[1:] for part in csp.split("; ")}

    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["default-src"] == ["'self'"]
    assert directives["base-uri"] == ["'self'"]
    assert "'unsafe-inline'" not in directives["script-src"]
    assert any(source.startswith("'sha256-") for source in directives["script-src"])
    assert directives["connect-src"] == ["'self'", f"ws://localhost:{live_app.port}"]
    assert directives["form-action"][0] == "'self'"


def test_pages_load_without_csp_violations(page: Page, live_app: LiveApp, console_errors: list[str]):
    page.add_init_script(REPORT_CSP_VIOLATIONS)

    page.goto(f"{live_app.base_url}/signin")
    expect(page.get_by_role("link", name="Sign in with Development sign-in")).to_be_visible()
    # Signed out, the Today page's on_load (over the websocket) sends us to sign in.
    page.goto(f"{live_app.base_url}/")
    expect(page).to_have_url(re.compile(r"/signin"))
    expect(page.get_by_role("link", name="Sign in with Development sign-in")).to_be_visible()

    assert console_errors == []


@pytest.mark.parametrize("origin", ["own", PARTNER_ORIGIN, None])
def test_websocket_accepts_allowed_origins(live_app: LiveApp, origin: str | None):
    first_packet = _open_socket(live_app, live_app.base_url if origin == "own" else origin)

    assert first_packet.startswith('0{"sid":')


@pytest.mark.parametrize("origin", [FOREIGN_ORIGIN, "null", "http://127.0.0.1:1"])
def test_websocket_refuses_foreign_origins(live_app: LiveApp, origin: str):
    with pytest.raises(HandshakeRefused) as refused:
        _open_socket(live_app, origin)

    assert refused.value.status_code == 403


def test_event_polling_refuses_foreign_origin(live_app: LiveApp):
    response = httpx.get(
        f"{live_app.base_url}/_event/?EIO=4&transport=polling", headers={"Origin": FOREIGN_ORIGIN}
    )

    assert response.status_code == 400
    assert "not an accepted origin" in response.text
    assert "Access-Control-Allow-Origin" not in response.headers


@pytest.mark.parametrize(("method", "path"), [("GET", "/readyz"), ("POST", "/auth/logout")])
def test_cors_ignores_foreign_origins(live_app: LiveApp, method: str, path: str):
    url = f"{live_app.base_url}{path}"
    preflight = httpx.options(
        url, headers={"Origin": FOREIGN_ORIGIN, "Access-Control-Request-Method": method}
    )
    actual = httpx.request(method, url, headers={"Origin": FOREIGN_ORIGIN})

    assert preflight.status_code == 400
    for response in (preflight, actual):
        assert "Access-Control-Allow-Origin" not in response.headers
    if method == "POST":
        assert actual.status_code == 403  # the sign-out route refuses cross-origin POSTs itself


@pytest.mark.parametrize("origin", ["own", PARTNER_ORIGIN])
@pytest.mark.parametrize(("method", "path"), [("GET", "/readyz"), ("POST", "/auth/logout")])
def test_cors_echoes_configured_origins_never_a_wildcard(
    live_app: LiveApp, method: str, path: str, origin: str
):
    origin = live_app.base_url if origin == "own" else origin
    preflight = httpx.options(
        f"{live_app.base_url}{path}", headers={"Origin": origin, "Access-Control-Request-Method": method}
    )

    assert preflight.status_code == 200
    assert preflight.headers.get_list("Access-Control-Allow-Origin") == [origin]
    assert preflight.headers["Access-Control-Allow-Credentials"] == "true"
    assert "Origin" in preflight.headers["Vary"]
