"""Sign-in against two real, independent OpenID Providers (npm `oidc-provider`, PKCE required).

The app runs in-process; the providers are real servers the app talks to over HTTP for
discovery, tokens and keys, and whose login forms an HTTP client fills in like a browser.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.api.backend import create_backend
from app.auth.oidc import _registry
from app.cli import upgrade_database
from app.config import get_settings
from app.db.engine import get_engine
from app.db.tables import Identity, User, WebSession
from tests.support.oidc_provider import RunningProvider, complete_login, start_oidc_provider

BASE_URL = "http://localhost:3000"
SECRET = "independent-provider-secret"
COOKIE = "hw_session"
OTHER_CLIENT = "another-application"


def _client(name: str) -> dict[str, object]:
    return {
        "client_id": f"habit-wizard-{name}",
        "client_secret": SECRET,
        "redirect_uris": [f"{BASE_URL}/auth/callback/{name}"],
        "post_logout_redirect_uris": [f"{BASE_URL}/signin"],
    }


@dataclass
class Stack:
    app: TestClient
    idps: dict[str, RunningProvider]

    def fresh_browser(self) -> TestClient:
        return TestClient(self.app.app, base_url=BASE_URL, follow_redirects=False)


@pytest.fixture(scope="module")
def providers() -> Iterator[dict[str, RunningProvider]]:
    # Alpha also knows another application with the same redirect URI: its codes and ID tokens
    # are meant for that audience, never for us.
    other_app = {**_client("alpha"), "client_id": OTHER_CLIENT}
    with (
        start_oidc_provider([_client("alpha"), other_app]) as alpha,
        start_oidc_provider([_client("beta")]) as beta,
    ):
        yield {"alpha": alpha, "beta": beta}


@pytest.fixture
def stack(
    providers: dict[str, RunningProvider], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Stack]:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'auth.db'}")
    monkeypatch.setenv("OAUTH_PROVIDERS", "alpha,beta")
    monkeypatch.setenv("ADMIN_EMAILS", "boss@example.org")
    for name, idp in providers.items():
        monkeypatch.setenv(f"OAUTH_{name.upper()}_ISSUER", idp.issuer)
        monkeypatch.setenv(f"OAUTH_{name.upper()}_CLIENT_ID", f"habit-wizard-{name}")
        monkeypatch.setenv(f"OAUTH_{name.upper()}_CLIENT_SECRET", SECRET)
    get_settings.cache_clear()
    get_engine.cache_clear()
    _registry.cache_clear()
    upgrade_database()
    with TestClient(create_backend(), base_url=BASE_URL, follow_redirects=False) as app:
        yield Stack(app=app, idps=providers)
    _registry.cache_clear()


def provider_answer(app: TestClient, provider: str, login: str, start: str | None = None) -> str:
    """Start sign-in at the app, fill in the provider's forms; return the callback URL."""
    started = app.get(start or f"/auth/login/{provider}")
    assert started.status_code == 302, started.text
    with httpx.Client() as browser_at_provider:
        return complete_login(browser_at_provider, started.headers["location"], login)


def deliver(app: TestClient, callback_url: str, path: str | None = None) -> httpx.Response:
    parts = urlsplit(callback_url)
    return app.get(f"{path or parts.path}?{parts.query}")


def sign_in(app: TestClient, provider: str, login: str) -> httpx.Response:
    return deliver(app, provider_answer(app, provider, login))


def rows(model: type) -> list:  # type: ignore[type-arg]
    with Session(get_engine()) as db:
        return list(db.exec(select(model)).all())


def assert_sent_back_without_session(response: httpx.Response) -> None:
    assert response.status_code == 303
    assert response.headers["location"].startswith("/signin?error=")
    assert COOKIE not in response.headers.get("set-cookie", "")


def test_sign_in_creates_account_keyed_by_issuer_and_subject(stack: Stack):
    response = sign_in(stack.app, "alpha", "grace")

    assert response.status_code == 303
    assert response.headers["location"] == "/"
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE}=")
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie
    session_id = stack.app.cookies[COOKIE]
    assert len(session_id) >= 43  # 256 random bits, url-safe
    [identity] = rows(Identity)
    assert (identity.issuer, identity.subject) == (stack.idps["alpha"].issuer, "grace")
    [stored] = rows(WebSession)
    assert session_id not in stored.token_hash  # only a hash is stored
    [user] = rows(User)
    assert (user.display_name, user.email, user.role) == ("User grace", "grace@example.org", "user")


def test_same_email_at_another_provider_never_reaches_the_account(stack: Stack):
    sign_in(stack.app, "alpha", "grace")
    sign_in(stack.fresh_browser(), "beta", "grace")  # same grace@example.org, other issuer

    assert len(rows(User)) == 2
    assert {i.user_id for i in rows(Identity)} == {u.id for u in rows(User)}


def test_provider_error_response_lands_on_sign_in_without_session(stack: Stack):
    started = stack.app.get("/auth/login/alpha")
    authorize = started.headers["location"] + "&prompt=none"  # not logged in at the provider
    answer = httpx.get(authorize, follow_redirects=False).headers["location"]
    assert "error=login_required" in answer

    assert_sent_back_without_session(deliver(stack.app, answer))
    assert rows(WebSession) == []


def test_tampered_state_is_refused(stack: Stack):
    answer = provider_answer(stack.app, "alpha", "grace")
    parts = urlsplit(answer)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    query["state"] = query["state"][:-2] + "xx"

    assert_sent_back_without_session(deliver(stack.app, urlunsplit(parts._replace(query=urlencode(query)))))
    assert rows(WebSession) == []


def test_replayed_callback_is_refused(stack: Stack):
    answer = provider_answer(stack.app, "alpha", "grace")
    assert deliver(stack.app, answer).status_code == 303
    sessions_after_first = len(rows(WebSession))

    replay = deliver(stack.fresh_browser(), answer)

    assert_sent_back_without_session(replay)
    assert len(rows(WebSession)) == sessions_after_first


def test_answer_from_one_provider_delivered_to_another_is_a_mix_up(stack: Stack):
    answer = provider_answer(stack.app, "alpha", "grace")

    response = deliver(stack.app, answer, path="/auth/callback/beta")

    assert_sent_back_without_session(response)
    assert "wrong+provider" in response.headers["location"]
    assert rows(WebSession) == []


def test_disabled_account_cannot_sign_in(stack: Stack):
    sign_in(stack.app, "alpha", "grace")
    with Session(get_engine()) as db:
        user = db.exec(select(User)).one()
        user.disabled = True
        db.add(user)
        db.commit()

    assert_sent_back_without_session(sign_in(stack.fresh_browser(), "alpha", "grace"))


@pytest.mark.parametrize(
    ("next_path", "landing"),
    [("/habits", "/habits"), ("//evil.example/x", "/"), ("https://evil.example", "/"), ("/\\evil", "/")],
)
def test_next_target_is_only_a_same_site_path(stack: Stack, next_path: str, landing: str):
    answer = provider_answer(
        stack.app, "alpha", "grace", start=f"/auth/login/alpha?{urlencode({'next': next_path})}"
    )

    assert deliver(stack.app, answer).headers["location"] == landing


def test_verified_admin_email_gets_the_admin_role(stack: Stack):
    sign_in(stack.app, "alpha", "boss")

    [user] = rows(User)
    assert user.role == "admin"


def test_linking_a_second_provider_and_signing_in_with_it(stack: Stack):
    sign_in(stack.app, "alpha", "grace")
    answer = provider_answer(stack.app, "beta", "grace-at-beta", start="/auth/link/beta")
    linked = deliver(stack.app, answer)
    assert linked.status_code == 303
    assert linked.headers["location"] == "/settings"

    [user] = rows(User)
    assert sorted(i.provider for i in rows(Identity)) == ["alpha", "beta"]
    later = stack.fresh_browser()
    sign_in(later, "beta", "grace-at-beta")
    assert len(rows(User)) == 1
    assert {s.user_id for s in rows(WebSession)} == {user.id}


def test_linking_an_identity_of_another_account_is_refused(stack: Stack):
    sign_in(stack.fresh_browser(), "beta", "taken")
    sign_in(stack.app, "alpha", "grace")

    answer = provider_answer(stack.app, "beta", "taken", start="/auth/link/beta")
    refused = deliver(stack.app, answer)

    assert refused.headers["location"].startswith("/signin?error=")
    assert len(rows(Identity)) == 2


def test_sign_out_ends_the_session_here_and_at_the_provider(stack: Stack):
    sign_in(stack.app, "alpha", "grace")
    assert len(rows(WebSession)) == 1

    response = stack.app.post("/auth/logout", headers={"Origin": BASE_URL})

    assert rows(WebSession) == []
    location = response.headers["location"]
    assert location.startswith(f"{stack.idps['alpha'].issuer}/")
    query = parse_qs(urlsplit(location).query)
    assert query["post_logout_redirect_uri"] == [f"{BASE_URL}/signin"]
    assert query["id_token_hint"][0].count(".") == 2
    assert f'{COOKIE}=""' in response.headers["set-cookie"]


def test_code_issued_for_another_audience_is_refused(stack: Stack):
    started = stack.app.get("/auth/login/alpha")
    authorize = started.headers["location"].replace(
        "client_id=habit-wizard-alpha", f"client_id={OTHER_CLIENT}"
    )
    with httpx.Client() as browser_at_provider:
        answer = complete_login(browser_at_provider, authorize, "grace")

    assert_sent_back_without_session(deliver(stack.app, answer))
    assert rows(WebSession) == []


def test_expired_session_no_longer_opens_anything(stack: Stack):
    sign_in(stack.app, "alpha", "grace")
    assert stack.app.get("/api/v1/export/habit-wizard.json").status_code == 200
    with Session(get_engine()) as db:
        for stored in db.exec(select(WebSession)).all():
            stored.expires_at = stored.created_at  # the absolute lifetime is over
            db.add(stored)
        db.commit()

    response = stack.app.get("/api/v1/export/habit-wizard.json")

    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert rows(WebSession) == []  # the expired session is deleted on sight


def test_redirect_uri_comes_from_settings_never_from_the_host_header(stack: Stack):
    started = stack.app.get("/auth/login/alpha", headers={"Host": "evil.example"})

    query = parse_qs(urlsplit(started.headers["location"]).query)
    assert query["redirect_uri"] == [f"{BASE_URL}/auth/callback/alpha"]
    assert query["code_challenge_method"] == ["S256"]
    assert len(query["state"][0]) >= 20 and len(query["nonce"][0]) >= 20


def test_sign_in_logs_carry_the_user_id_never_tokens_or_emails(
    stack: Stack, caplog: pytest.LogCaptureFixture
):
    caplog.set_level("DEBUG")

    response = sign_in(stack.app, "alpha", "grace")
    stack.app.get("/auth/callback/alpha", params={"code": "x", "state": "forged"})

    [user] = rows(User)
    session_id = stack.app.cookies[COOKIE]
    [stored] = rows(WebSession)
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert response.status_code == 303
    assert f"sign-in succeeded for user {user.id}" in logged
    assert "sign-in failed: issuer_mismatch" in logged  # no `iss` although the provider promises it
    assert "grace@example.org" not in logged
    assert session_id not in logged
    assert stored.id_token_hint and stored.id_token_hint not in logged


def test_the_person_cancelling_at_the_provider_lands_on_sign_in_with_a_message(stack: Stack):
    started = stack.app.get("/auth/login/alpha")
    with httpx.Client() as browser_at_provider:
        interaction = browser_at_provider.get(started.headers["location"], follow_redirects=True)
        uid = urlsplit(str(interaction.url)).path.rstrip("/").split("/")[-1]
        answer = f"{stack.idps['alpha'].issuer}/interaction/{uid}/abort"
        for _ in range(5):  # through the provider's own resume redirect
            if answer.startswith(BASE_URL):
                break
            answer = browser_at_provider.get(answer).headers["location"]
    assert "error=access_denied" in answer

    response = deliver(stack.app, answer)

    assert_sent_back_without_session(response)
    assert "cancelled" in response.headers["location"]
    assert rows(WebSession) == []
