"""The independent OpenID Provider (npm `oidc-provider`) that auth tests use is real and usable."""

from __future__ import annotations

import base64
import hashlib
import secrets
from collections.abc import Iterator
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest
from joserfc import jwt
from joserfc.errors import BadSignatureError
from joserfc.jwk import KeySet

from tests.support.oidc_provider import (
    RunningProvider,
    complete_login,
    complete_login_async,
    complete_logout,
    start_oidc_provider,
)

BASIC = {
    "client_id": "habit-wizard",
    "client_secret": "basic-secret",
    "redirect_uris": ["http://localhost:8123/auth/callback"],
    "post_logout_redirect_uris": ["http://localhost:8123/"],
}
POST = {
    "client_id": "habit-wizard-post",
    "client_secret": "post-secret",
    "redirect_uris": ["http://localhost:8124/auth/callback"],
    "post_logout_redirect_uris": ["http://localhost:8124/"],
    "token_endpoint_auth_method": "client_secret_post",
}


@pytest.fixture(scope="module")
def idp() -> Iterator[RunningProvider]:
    with start_oidc_provider([BASIC, POST]) as running:
        yield running


@pytest.fixture(scope="module")
def discovery(idp: RunningProvider) -> dict:
    response = httpx.get(idp.discovery_url, timeout=10)
    response.raise_for_status()
    return response.json()


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=10) as client:
        yield client


def pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


def authorize_url(discovery: dict, client: dict, **extra: str) -> str:
    params = {
        "client_id": client["client_id"],
        "response_type": "code",
        "redirect_uri": client["redirect_uris"][0],
        "scope": "openid email profile",
        "state": secrets.token_urlsafe(16),
        "nonce": secrets.token_urlsafe(16),
        **extra,
    }
    return f"{discovery['authorization_endpoint']}?{urlencode(params)}"


def query(url: str) -> dict[str, str]:
    return {name: values[0] for name, values in parse_qs(urlsplit(url).query).items()}


def sign_in(http: httpx.Client, discovery: dict, client: dict, login: str) -> dict:
    """A full code flow with PKCE; returns the token response plus what was sent."""
    verifier, challenge = pkce_pair()
    state, nonce = secrets.token_urlsafe(16), secrets.token_urlsafe(16)
    url = authorize_url(
        discovery, client, state=state, nonce=nonce, code_challenge=challenge, code_challenge_method="S256"
    )
    final = complete_login(http, url, login)
    assert final.startswith(client["redirect_uris"][0] + "?")
    params = query(final)
    assert "error" not in params, params
    assert params["state"] == state
    assert params["iss"] == discovery["issuer"]
    form = {
        "grant_type": "authorization_code",
        "code": params["code"],
        "redirect_uri": client["redirect_uris"][0],
        "code_verifier": verifier,
    }
    if client.get("token_endpoint_auth_method") == "client_secret_post":
        form |= {"client_id": client["client_id"], "client_secret": client["client_secret"]}
        auth = None
    else:
        auth = (client["client_id"], client["client_secret"])
    response = httpx.post(discovery["token_endpoint"], data=form, auth=auth, timeout=10)
    assert response.status_code == 200, response.text
    return {"tokens": response.json(), "nonce": nonce, "code": params["code"], "form": form, "auth": auth}


def verify_id_token(discovery: dict, id_token: str, client: dict, nonce: str) -> dict:
    keys = KeySet.import_key_set(httpx.get(discovery["jwks_uri"], timeout=10).json())
    token = jwt.decode(id_token, keys, algorithms=["RS256"])
    jwt.JWTClaimsRegistry(
        iss={"essential": True, "value": discovery["issuer"]},
        aud={"essential": True, "value": client["client_id"]},
        nonce={"essential": True, "value": nonce},
        sub={"essential": True},
        exp={"essential": True},
        iat={"essential": True},
    ).validate(token.claims)
    return token.claims


def test_discovery_lists_pkce_and_the_endpoints(idp: RunningProvider, discovery: dict) -> None:
    assert discovery["issuer"] == idp.issuer == f"http://localhost:{idp.port}"
    assert "S256" in discovery["code_challenge_methods_supported"]
    assert "plain" not in discovery["code_challenge_methods_supported"]
    for endpoint in ("authorization_endpoint", "token_endpoint", "end_session_endpoint", "jwks_uri"):
        assert discovery[endpoint].startswith(idp.issuer + "/")
    assert discovery["response_types_supported"] == ["code"]
    assert {"client_secret_basic", "client_secret_post"} <= set(
        discovery["token_endpoint_auth_methods_supported"]
    )
    assert {"openid", "email", "profile"} <= set(discovery["scopes_supported"])


def test_an_authorization_request_without_pkce_is_refused(discovery: dict, http: httpx.Client) -> None:
    url = authorize_url(discovery, BASIC, state="no-pkce")
    response = http.get(url, follow_redirects=False)
    assert response.is_redirect
    location = response.headers["location"]
    assert location.startswith(BASIC["redirect_uris"][0] + "?")
    params = query(location)
    assert params["error"] == "invalid_request"
    assert "PKCE" in params["error_description"]
    assert params["state"] == "no-pkce"
    assert "code" not in params


def test_an_unknown_redirect_uri_is_not_redirected_to(discovery: dict, http: httpx.Client) -> None:
    _, challenge = pkce_pair()
    url = authorize_url(
        discovery,
        BASIC,
        redirect_uri="http://evil.example/callback",
        code_challenge=challenge,
        code_challenge_method="S256",
    )
    response = http.get(url, follow_redirects=False)
    assert response.status_code == 400
    assert "redirect_uri did not match" in response.text


def test_full_code_flow_with_the_dev_login_form(discovery: dict, http: httpx.Client) -> None:
    result = sign_in(http, discovery, BASIC, login="alice")
    tokens = result["tokens"]
    assert tokens["token_type"].lower() == "bearer"
    claims = verify_id_token(discovery, tokens["id_token"], BASIC, result["nonce"])
    assert claims["sub"] == "alice"
    assert claims["email"] == "alice@example.org"
    assert claims["email_verified"] is True
    assert claims["name"] == "User alice"

    userinfo = httpx.get(
        discovery["userinfo_endpoint"],
        headers={"Authorization": f"Bearer {tokens['access_token']}"},
        timeout=10,
    )
    assert userinfo.status_code == 200, userinfo.text
    assert userinfo.json()["email"] == "alice@example.org"

    # A code is single-use.
    again = httpx.post(discovery["token_endpoint"], data=result["form"], auth=result["auth"], timeout=10)
    assert again.status_code == 400
    assert again.json()["error"] == "invalid_grant"


def test_client_secret_post_and_a_different_login(discovery: dict, http: httpx.Client) -> None:
    result = sign_in(http, discovery, POST, login="bob")
    claims = verify_id_token(discovery, result["tokens"]["id_token"], POST, result["nonce"])
    assert claims["sub"] == "bob"
    assert claims["aud"] == POST["client_id"]


@pytest.mark.asyncio
async def test_the_login_driver_also_works_with_an_async_client(discovery: dict) -> None:
    _, challenge = pkce_pair()
    url = authorize_url(
        discovery, BASIC, state="async", code_challenge=challenge, code_challenge_method="S256"
    )
    async with httpx.AsyncClient(timeout=10) as client:
        final = await complete_login_async(client, url, "grace")
    assert query(final)["state"] == "async"
    assert query(final)["code"]


def test_a_wrong_code_verifier_is_refused(discovery: dict, http: httpx.Client) -> None:
    _, challenge = pkce_pair()
    url = authorize_url(discovery, BASIC, code_challenge=challenge, code_challenge_method="S256")
    code = query(complete_login(http, url, "carol"))["code"]
    response = httpx.post(
        discovery["token_endpoint"],
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": BASIC["redirect_uris"][0],
            "code_verifier": pkce_pair()[0],
        },
        auth=(BASIC["client_id"], BASIC["client_secret"]),
        timeout=10,
    )
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"


def test_id_tokens_of_one_process_share_a_signing_key_and_forgeries_fail(
    discovery: dict, http: httpx.Client
) -> None:
    first = sign_in(http, discovery, BASIC, login="dave")
    second = sign_in(http, discovery, BASIC, login="erin")
    verify_id_token(discovery, first["tokens"]["id_token"], BASIC, first["nonce"])
    verify_id_token(discovery, second["tokens"]["id_token"], BASIC, second["nonce"])
    header, _payload, signature = first["tokens"]["id_token"].split(".")
    forged = ".".join([header, second["tokens"]["id_token"].split(".")[1], signature])
    with pytest.raises(BadSignatureError):
        verify_id_token(discovery, forged, BASIC, second["nonce"])


def test_rp_initiated_logout_returns_to_the_client(discovery: dict, http: httpx.Client) -> None:
    result = sign_in(http, discovery, BASIC, login="frank")
    params = {
        "id_token_hint": result["tokens"]["id_token"],
        "post_logout_redirect_uri": BASIC["post_logout_redirect_uris"][0],
        "state": "bye",
    }
    final = complete_logout(http, f"{discovery['end_session_endpoint']}?{urlencode(params)}")
    assert final.startswith(BASIC["post_logout_redirect_uris"][0])
    assert query(final)["state"] == "bye"

    # The session is gone: the next authorization shows the login form again.
    _, challenge = pkce_pair()
    url = authorize_url(discovery, BASIC, code_challenge=challenge, code_challenge_method="S256")
    page = http.get(url, follow_redirects=True)
    assert 'name="login"' in page.text
