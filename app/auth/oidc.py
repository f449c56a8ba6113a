"""OpenID Connect clients (authlib) for every configured provider."""

from __future__ import annotations

from functools import lru_cache

from authlib.integrations.starlette_client import OAuth, StarletteOAuth2App

from app.config import OAuthProvider, get_settings

SCOPES = "openid email profile"


@lru_cache(maxsize=1)
def _registry() -> OAuth:
    oauth = OAuth()
    for provider in get_settings().providers():
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
