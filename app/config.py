"""The one Settings object: every environment variable the app reads is declared here.

Start-up stops with a single line naming the bad variable (see `get_settings`), and
production refuses values that are only safe on a developer's machine.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from functools import lru_cache
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEVELOPMENT_SECRET_KEY = "development-only-secret-key-change-me"  # noqa: S105 (refused in production)
MIN_SECRET_KEY_LENGTH = 32
DEFAULT_SQLITE_URL = "sqlite:///data/habit-wizard.db"


class ConfigurationError(ValueError):
    """A setting is missing or unsafe; the message names the environment variable."""


@dataclass(frozen=True)
class OAuthProvider:
    """One sign-in provider from the OAUTH_<NAME>_* variables.

    `protocol` is "oidc" (discovery at the issuer) or "github" (plain OAuth 2.0 plus its user
    API; `issuer` then only names the account namespace for (issuer, subject) keys).
    """

    name: str
    issuer: str
    client_id: str
    client_secret: str
    display_name: str
    protocol: str = "oidc"


# Presets need only a client id and secret; their issuer and label are known.
PROVIDER_PRESETS: dict[str, tuple[str, str, str]] = {
    "google": ("https://accounts.google.com", "Google", "oidc"),
    "github": ("https://github.com", "GitHub", "github"),
}


def _split_commas(value: object) -> object:
    if isinstance(value, str):
        return [item.strip() for item in value.split(",") if item.strip()]
    return value


CommaList = Annotated[list[str], NoDecode]


class Settings(BaseSettings):
    """Application settings, read from the environment (names are the upper-cased fields)."""

    model_config = SettingsConfigDict(case_sensitive=False, extra="ignore")

    app_env: Literal["development", "test", "production"] = "development"
    app_base_url: str = "http://localhost:3000"
    port: int = Field(default=3000, ge=1, le=65535)
    database_url: str = DEFAULT_SQLITE_URL
    redis_url: str | None = None
    secret_key: SecretStr = SecretStr(DEVELOPMENT_SECRET_KEY)
    cors_origins: CommaList = []
    metrics_token: SecretStr | None = None
    oauth_providers: CommaList = []
    admin_emails: CommaList = []
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    session_idle_timeout_minutes: int = Field(default=60 * 24 * 7, ge=1)
    session_max_lifetime_hours: int = Field(default=24 * 30, ge=1)
    dev_oidc_port: int = Field(default=3001, ge=1, le=65535)
    import_max_bytes: int = Field(default=20 * 1024 * 1024, ge=1024)

    @field_validator("cors_origins", "oauth_providers", "admin_emails", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        return _split_commas(value)

    @field_validator("redis_url", "metrics_token", mode="before")
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        return None if value == "" else value

    @field_validator("app_base_url")
    @classmethod
    def _http_url_without_path(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError("must be an http(s) URL such as https://habits.example.org")
        return value.rstrip("/")

    @field_validator("database_url")
    @classmethod
    def _known_database(cls, value: str) -> str:
        if not value.startswith(("sqlite", "postgresql", "postgres://")):
            raise ValueError("must be a sqlite:/// or postgresql:// URL")
        return value

    @field_validator("oauth_providers")
    @classmethod
    def _provider_names(cls, names: list[str]) -> list[str]:
        for name in names:
            if not name.replace("_", "").isalnum():
                raise ValueError(f"provider name {name!r} may hold only letters, digits and _")
        return [name.lower() for name in names]

    @model_validator(mode="after")
    def _refuse_unsafe_production_values(self) -> Settings:
        if self.app_env != "production":
            return self
        secret = self.secret_key.get_secret_value()
        if secret == DEVELOPMENT_SECRET_KEY or len(secret) < MIN_SECRET_KEY_LENGTH:
            raise ConfigurationError(
                f"SECRET_KEY: set a random value of at least {MIN_SECRET_KEY_LENGTH} characters "
                "in production (python -c 'import secrets; print(secrets.token_urlsafe(48))')"
            )
        if not self.oauth_providers:
            raise ConfigurationError(
                "OAUTH_PROVIDERS: production needs a real identity provider; "
                "the development provider is refused"
            )
        if "*" in self.cors_origins:
            raise ConfigurationError("CORS_ORIGINS: a wildcard origin is refused in production")
        if self.metrics_token is None:
            raise ConfigurationError("METRICS_TOKEN: required in production to protect /metrics")
        return self

    @property
    def is_production(self) -> bool:
        return self.app_env == "production"

    @property
    def base_origin(self) -> str:
        parts = urlsplit(self.app_base_url)
        return f"{parts.scheme}://{parts.netloc}"

    @property
    def allowed_origins(self) -> list[str]:
        """Browser origins allowed for CORS and the websocket: the app's own plus CORS_ORIGINS."""
        return list(dict.fromkeys([self.base_origin, *self.cors_origins]))

    @property
    def uses_dev_identity_provider(self) -> bool:
        return self.app_env == "development" and not self.oauth_providers

    @property
    def dev_oidc_issuer(self) -> str:
        return f"http://localhost:{self.dev_oidc_port}"

    @property
    def sqlalchemy_url(self) -> str:
        """DATABASE_URL with the psycopg 3 driver named, as SQLAlchemy needs."""
        url = self.database_url
        for prefix in ("postgres://", "postgresql://"):
            if url.startswith(prefix):
                return "postgresql+psycopg://" + url[len(prefix) :]
        return url

    def providers(self) -> list[OAuthProvider]:
        """The configured providers, or the development provider when it is on."""
        if self.uses_dev_identity_provider:
            return [
                OAuthProvider(
                    name="dev",
                    issuer=self.dev_oidc_issuer,
                    client_id="habit-wizard-dev",
                    client_secret="habit-wizard-dev-secret",  # noqa: S106 (local dev provider)
                    display_name="Development sign-in",
                )
            ]
        return [_provider_from_environment(name) for name in self.oauth_providers]


def _provider_from_environment(name: str) -> OAuthProvider:
    prefix = f"OAUTH_{name.upper()}_"

    def required(key: str) -> str:
        value = os.environ.get(prefix + key, "").strip()
        if not value:
            raise ConfigurationError(f"{prefix}{key}: required because OAUTH_PROVIDERS names {name}")
        return value

    preset_issuer, preset_label, protocol = PROVIDER_PRESETS.get(name, ("", name.title(), "oidc"))
    issuer = os.environ.get(prefix + "ISSUER", "").strip() or preset_issuer or required("ISSUER")
    issuer = issuer.rstrip("/")
    if not issuer.startswith(("https://", "http://")):
        raise ConfigurationError(f"{prefix}ISSUER: must be the provider's http(s) discovery base URL")
    return OAuthProvider(
        name=name,
        issuer=issuer,
        client_id=required("CLIENT_ID"),
        client_secret=required("CLIENT_SECRET"),
        display_name=os.environ.get(prefix + "DISPLAY_NAME", "").strip() or preset_label,
        protocol=protocol,
    )


def describe_error(error: ValidationError | ConfigurationError) -> str:
    """One line naming the first bad variable, without echoing its value."""
    if isinstance(error, ConfigurationError):
        return str(error)
    first = error.errors()[0]
    variable = ".".join(str(part) for part in first["loc"]).upper() or "settings"
    message = str(first["msg"]).removeprefix("Value error, ")
    return f"{variable}: {message}"


def load_settings() -> Settings:
    """Read and validate everything, providers included; raises ConfigurationError."""
    try:
        settings = Settings()
        settings.providers()
    except ValidationError as error:
        # A model validator's ConfigurationError arrives wrapped; unwrap it for its own text.
        cause = error.errors()[0].get("ctx", {}).get("error")
        if isinstance(cause, ConfigurationError):
            raise cause from None
        raise ConfigurationError(describe_error(error)) from None
    return settings


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings; a bad value stops start-up with one line on stderr."""
    try:
        return load_settings()
    except ConfigurationError as error:
        print(f"Configuration error: {error}", file=sys.stderr)
        raise SystemExit(2) from None
