"""OpenID Connect clients (authlib) for every configured provider."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from authlib.integrations.starlette_client import OAuth, StarletteOAuth2App

from app.auth import github
from app.config import OAuthProvider, get_settings

SCOPES = "openid email profile"


@lru_cache(maxsize=1)
def _registry() -> OAuth:
    oauth = OAuth()
    for provider in get_settings().providers():
        if provider.protocol == "github":
            oauth.register(
                name=provider.name,
                client_id=provider.client_id,
                client_secret=provider.client_secret,
                authorize_url=github.AUTHORIZE_URL,
                access_token_url=github.ACCESS_TOKEN_URL,
                api_base_url=github.API_BASE_URL,
                client_kwargs={"scope": github.SCOPES, "code_challenge_method": "S256"},
            )
            continue
        oauth.register(
            name=provider.name,
            client_id=provider.client_id,
            client_secret=provider.client_secret,
            server_metadata_url=f"{provider.issuer}/.well-known/openid-configuration",
            client_kwargs={"scope": SCOPES, "code_challenge_method": "S256"},
        )
    return oauth


def provider_named(name: str) -> OAuthProvider | None:
    return next((p for p in get_settings().providers() if p.name == name), None)


def client_for(name: str) -> StarletteOAuth2App:
    client = _registry().create_client(name)
    assert isinstance(client, StarletteOAuth2App)
    return client


def redirect_uri_for(name: str) -> str:
    """Always from APP_BASE_URL, never from the request's Host header."""
    return f"{get_settings().app_base_url}/auth/callback/{name}"


async def claims_for(provider: OAuthProvider, token: dict[str, Any]) -> dict[str, Any]:
    """The person's claims: from the validated ID token, or GitHub's user API."""
    if provider.protocol == "github":
        client = client_for(provider.name)
        user = (await client.get("user", token=token)).json()
        emails = (await client.get("user/emails", token=token)).json()
        return github.github_claims(user, emails if isinstance(emails, list) else [])
    return dict(token.get("userinfo") or {})
