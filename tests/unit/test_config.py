"""Settings: defaults, parsing, providers and the production refusals, each naming its variable."""

from __future__ import annotations

import pytest

from app.config import (
    DEFAULT_SQLITE_URL,
    ConfigurationError,
    OAuthProvider,
    get_settings,
    load_settings,
)

STRONG_SECRET = "s3cr3t-" + "x" * 40
PRODUCTION_ENV = {
    "APP_ENV": "production",
    "APP_BASE_URL": "https://habits.example.org",
    "SECRET_KEY": STRONG_SECRET,
    "OAUTH_PROVIDERS": "google",
    "OAUTH_GOOGLE_ISSUER": "https://accounts.google.com",
    "OAUTH_GOOGLE_CLIENT_ID": "client-id",
    "OAUTH_GOOGLE_CLIENT_SECRET": "client-secret",
    "METRICS_TOKEN": "metrics-token-value",
}


def set_env(monkeypatch: pytest.MonkeyPatch, values: dict[str, str]) -> None:
    for name, value in values.items():
        monkeypatch.setenv(name, value)


def production(monkeypatch: pytest.MonkeyPatch, **overrides: str | None) -> None:
    """Valid production settings, with some variables replaced (a value) or removed (None)."""
    set_env(monkeypatch, PRODUCTION_ENV)
    for name, value in overrides.items():
        if value is None:
            monkeypatch.delenv(name)
        else:
            monkeypatch.setenv(name, value)


def refusal(monkeypatch: pytest.MonkeyPatch) -> str:
    with pytest.raises(ConfigurationError) as raised:
        load_settings()
    return str(raised.value)


# Defaults -----------------------------------------------------------------------------------


def test_defaults_are_development_on_sqlite_port_3000_with_the_dev_provider() -> None:
    settings = load_settings()

    assert settings.app_env == "development"
    assert settings.database_url == DEFAULT_SQLITE_URL
    assert settings.sqlalchemy_url == "sqlite:///data/habit-wizard.db"
    assert settings.port == 3000
    assert settings.app_base_url == "http://localhost:3000"
    assert settings.is_production is False
    assert settings.uses_dev_identity_provider is True
    assert settings.cors_origins == []
    assert settings.metrics_token is None
    providers = settings.providers()
    assert [provider.name for provider in providers] == ["dev"]
    assert providers[0].issuer == "http://localhost:3001"


# Lists and providers ------------------------------------------------------------------------


def test_comma_lists_are_split_and_trimmed(monkeypatch: pytest.MonkeyPatch) -> None:
    set_env(
        monkeypatch,
        {
            "CORS_ORIGINS": " https://a.example.org ,https://b.example.org,, ",
            "OAUTH_PROVIDERS": "Google, keycloak",
            "OAUTH_GOOGLE_ISSUER": "https://accounts.google.com",
            "OAUTH_GOOGLE_CLIENT_ID": "g-id",
            "OAUTH_GOOGLE_CLIENT_SECRET": "g-secret",
            "OAUTH_KEYCLOAK_ISSUER": "https://sso.example.org/realms/main",
            "OAUTH_KEYCLOAK_CLIENT_ID": "k-id",
            "OAUTH_KEYCLOAK_CLIENT_SECRET": "k-secret",
        },
    )

    settings = load_settings()

    assert settings.cors_origins == ["https://a.example.org", "https://b.example.org"]
    assert settings.oauth_providers == ["google", "keycloak"]


def test_provider_variables_are_read_into_oauth_provider(monkeypatch: pytest.MonkeyPatch) -> None:
    set_env(
        monkeypatch,
        {
            "OAUTH_PROVIDERS": "keycloak,github_enterprise",
            "OAUTH_KEYCLOAK_ISSUER": "https://sso.example.org/realms/main/",
            "OAUTH_KEYCLOAK_CLIENT_ID": "k-id",
            "OAUTH_KEYCLOAK_CLIENT_SECRET": "k-secret",
            "OAUTH_KEYCLOAK_DISPLAY_NAME": "Company SSO",
            "OAUTH_GITHUB_ENTERPRISE_ISSUER": "https://ghe.example.org",
            "OAUTH_GITHUB_ENTERPRISE_CLIENT_ID": "g-id",
            "OAUTH_GITHUB_ENTERPRISE_CLIENT_SECRET": "g-secret",
        },
    )

    assert load_settings().providers() == [
        OAuthProvider(
            name="keycloak",
            issuer="https://sso.example.org/realms/main",
            client_id="k-id",
            client_secret="k-secret",
            display_name="Company SSO",
        ),
        OAuthProvider(
            name="github_enterprise",
            issuer="https://ghe.example.org",
            client_id="g-id",
            client_secret="g-secret",
            display_name="Github_Enterprise",
        ),
    ]


def test_display_name_defaults_to_the_titled_name(monkeypatch: pytest.MonkeyPatch) -> None:
    set_env(
        monkeypatch,
        {
            "OAUTH_PROVIDERS": "google",
            "OAUTH_GOOGLE_ISSUER": "https://accounts.google.com",
            "OAUTH_GOOGLE_CLIENT_ID": "g-id",
            "OAUTH_GOOGLE_CLIENT_SECRET": "g-secret",
        },
    )

    assert [provider.display_name for provider in load_settings().providers()] == ["Google"]


def test_missing_provider_client_id_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    set_env(
        monkeypatch,
        {
            "OAUTH_PROVIDERS": "x",
            "OAUTH_X_ISSUER": "https://x.example.org",
            "OAUTH_X_CLIENT_SECRET": "x-secret",
        },
    )

    message = refusal(monkeypatch)

    assert message.startswith("OAUTH_X_CLIENT_ID: ")


def test_provider_issuer_must_be_http(monkeypatch: pytest.MonkeyPatch) -> None:
    set_env(
        monkeypatch,
        {
            "OAUTH_PROVIDERS": "x",
            "OAUTH_X_ISSUER": "x.example.org",
            "OAUTH_X_CLIENT_ID": "x-id",
            "OAUTH_X_CLIENT_SECRET": "x-secret",
        },
    )

    assert refusal(monkeypatch).startswith("OAUTH_X_ISSUER: ")


# Production ---------------------------------------------------------------------------------


def test_production_with_valid_values_loads(monkeypatch: pytest.MonkeyPatch) -> None:
    production(monkeypatch, CORS_ORIGINS="https://admin.example.org")

    settings = load_settings()

    assert settings.is_production is True
    assert settings.uses_dev_identity_provider is False
    assert [provider.name for provider in settings.providers()] == ["google"]
    assert settings.allowed_origins == ["https://habits.example.org", "https://admin.example.org"]


@pytest.mark.parametrize(
    ("overrides", "variable"),
    [
        ({"SECRET_KEY": None}, "SECRET_KEY"),
        ({"SECRET_KEY": "development-only-secret-key-change-me"}, "SECRET_KEY"),
        ({"SECRET_KEY": "x" * 31}, "SECRET_KEY"),
        ({"OAUTH_PROVIDERS": None}, "OAUTH_PROVIDERS"),
        ({"CORS_ORIGINS": "https://a.example.org,*"}, "CORS_ORIGINS"),
        ({"METRICS_TOKEN": None}, "METRICS_TOKEN"),
        ({"METRICS_TOKEN": ""}, "METRICS_TOKEN"),
    ],
    ids=[
        "default-secret",
        "dev-secret-explicit",
        "short-secret",
        "no-providers",
        "wildcard-cors",
        "no-metrics-token",
        "empty-metrics-token",
    ],
)
def test_production_refuses_unsafe_values(
    monkeypatch: pytest.MonkeyPatch, overrides: dict[str, str | None], variable: str
) -> None:
    production(monkeypatch, **overrides)

    assert refusal(monkeypatch).startswith(f"{variable}: ")


def test_secret_key_of_exactly_32_characters_is_accepted(monkeypatch: pytest.MonkeyPatch) -> None:
    production(monkeypatch, SECRET_KEY="y" * 32)

    assert load_settings().secret_key.get_secret_value() == "y" * 32


# Bad values ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("PORT", "abc"),
        ("PORT", "70000"),
        ("PORT", "0"),
        ("APP_BASE_URL", "ftp://x"),
        ("APP_BASE_URL", "habits.example.org"),
        ("DATABASE_URL", "mysql://x"),
        ("APP_ENV", "staging"),
    ],
)
def test_bad_values_name_the_variable(monkeypatch: pytest.MonkeyPatch, variable: str, value: str) -> None:
    monkeypatch.setenv(variable, value)

    assert refusal(monkeypatch).startswith(f"{variable}: ")


def test_get_settings_exits_with_one_line_that_hides_the_secret(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    short_secret = "too-short-but-secret-value"
    production(monkeypatch, SECRET_KEY=short_secret)
    get_settings.cache_clear()

    with pytest.raises(SystemExit) as raised:
        get_settings()

    assert raised.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("Configuration error: SECRET_KEY: ")
    assert short_secret not in captured.err


def test_get_settings_bad_port_exits_with_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PORT", "abc")
    get_settings.cache_clear()

    with pytest.raises(SystemExit) as raised:
        get_settings()

    assert raised.value.code == 2
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("Configuration error: PORT: ")


def test_get_settings_is_cached_until_cleared(monkeypatch: pytest.MonkeyPatch) -> None:
    first = get_settings()
    monkeypatch.setenv("PORT", "8080")

    assert get_settings() is first
    get_settings.cache_clear()
    assert get_settings().port == 8080


# Derived values -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("database_url", "expected"),
    [
        ("postgres://u:p@db:5432/hw", "postgresql+psycopg://u:p@db:5432/hw"),
        ("postgresql://u:p@db:5432/hw", "postgresql+psycopg://u:p@db:5432/hw"),
        ("postgresql+psycopg://u@db/hw", "postgresql+psycopg://u@db/hw"),
        ("sqlite:////var/lib/hw.db", "sqlite:////var/lib/hw.db"),
    ],
)
def test_sqlalchemy_url_names_the_psycopg_driver(
    monkeypatch: pytest.MonkeyPatch, database_url: str, expected: str
) -> None:
    monkeypatch.setenv("DATABASE_URL", database_url)

    assert load_settings().sqlalchemy_url == expected


def test_allowed_origins_start_with_the_base_origin_without_duplicates(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("APP_BASE_URL", "https://habits.example.org:8443/app/")
    monkeypatch.setenv("CORS_ORIGINS", "https://other.example.org,https://habits.example.org:8443")

    settings = load_settings()

    assert settings.app_base_url == "https://habits.example.org:8443/app"
    assert settings.base_origin == "https://habits.example.org:8443"
    assert settings.allowed_origins == ["https://habits.example.org:8443", "https://other.example.org"]


def test_allowed_origins_default_to_the_base_origin() -> None:
    assert load_settings().allowed_origins == ["http://localhost:3000"]


@pytest.mark.parametrize("app_env", ["test", "production"])
def test_dev_provider_is_off_outside_development(monkeypatch: pytest.MonkeyPatch, app_env: str) -> None:
    production(monkeypatch, APP_ENV=app_env)

    settings = load_settings()

    assert settings.uses_dev_identity_provider is False
    assert [provider.name for provider in settings.providers()] == ["google"]


def test_dev_provider_is_off_in_test_without_providers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("APP_ENV", "test")

    settings = load_settings()

    assert settings.uses_dev_identity_provider is False
    assert settings.providers() == []


def test_dev_provider_is_off_when_providers_are_configured(monkeypatch: pytest.MonkeyPatch) -> None:
    set_env(
        monkeypatch,
        {
            "OAUTH_PROVIDERS": "google",
            "OAUTH_GOOGLE_ISSUER": "https://accounts.google.com",
            "OAUTH_GOOGLE_CLIENT_ID": "g-id",
            "OAUTH_GOOGLE_CLIENT_SECRET": "g-secret",
        },
    )

    settings = load_settings()

    assert settings.app_env == "development"
    assert settings.uses_dev_identity_provider is False
    assert [provider.name for provider in settings.providers()] == ["google"]
