"""The environment variables the app reads, so each test (and each process it starts) runs
from the default settings unless it sets a variable itself."""

from __future__ import annotations

from collections.abc import Mapping

from app.config import Settings

# Every Settings field by its variable name, plus the per-provider OAUTH_<NAME>_* variables.
APP_VARIABLE_PREFIXES = (*(name.upper() for name in Settings.model_fields), "OAUTH_")


def is_app_variable(name: str) -> bool:
    return name.upper().startswith(APP_VARIABLE_PREFIXES)


def without_app_variables(environ: Mapping[str, str]) -> dict[str, str]:
    return {name: value for name, value in environ.items() if not is_app_variable(name)}
