"""Provider presets (google, github) and GitHub's claims mapping."""

from __future__ import annotations

import pytest

from app.auth.github import github_claims
from app.config import ConfigurationError, load_settings


def test_presets_need_only_client_id_and_secret(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("OAUTH_PROVIDERS", "google,github")
    for name in ("GOOGLE", "GITHUB"):
        monkeypatch.setenv(f"OAUTH_{name}_CLIENT_ID", f"{name.lower()}-id")
        monkeypatch.setenv(f"OAUTH_{name}_CLIENT_SECRET", f"{name.lower()}-secret")

    google, github = load_settings().providers()

    assert (google.issuer, google.display_name, google.protocol) == (
        "https://accounts.google.com",
        "Google",
        "oidc",
    )
    assert (github.issuer, github.display_name, github.protocol) == ("https://github.com", "GitHub", "github")
    assert github.client_id == "github-id"


def test_a_generic_provider_still_needs_its_issuer(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("OAUTH_PROVIDERS", "corp")
    monkeypatch.setenv("OAUTH_CORP_CLIENT_ID", "id")
    monkeypatch.setenv("OAUTH_CORP_CLIENT_SECRET", "secret")

    with pytest.raises(ConfigurationError, match=r"^OAUTH_CORP_ISSUER: required"):
        load_settings()


def test_a_preset_issuer_can_be_overridden(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("OAUTH_PROVIDERS", "google")
    monkeypatch.setenv("OAUTH_GOOGLE_ISSUER", "https://accounts.example.org/")
    monkeypatch.setenv("OAUTH_GOOGLE_CLIENT_ID", "id")
    monkeypatch.setenv("OAUTH_GOOGLE_CLIENT_SECRET", "secret")

    [google] = load_settings().providers()

    assert google.issuer == "https://accounts.example.org"


def test_github_claims_use_the_account_id_and_only_a_verified_primary_email():
    user = {"id": 583231, "login": "octocat", "name": "The Octocat"}
    emails = [
        {"email": "old@example.org", "primary": False, "verified": True},
        {"email": "octo@example.org", "primary": True, "verified": True},
    ]

    assert github_claims(user, emails) == {
        "sub": "583231",
        "name": "The Octocat",
        "preferred_username": "octocat",
        "email": "octo@example.org",
        "email_verified": True,
    }


def test_github_unverified_primary_email_is_not_used():
    claims = github_claims(
        {"id": 1, "login": "x"}, [{"email": "x@example.org", "primary": True, "verified": False}]
    )

    assert (claims["email"], claims["email_verified"], claims["name"]) == (None, False, "x")


def test_github_answer_without_an_id_is_refused():
    with pytest.raises(ValueError, match="account id"):
        github_claims({"login": "x"}, [])
