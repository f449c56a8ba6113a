"""Shared test setup: every test starts from default, development settings."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from app.config import get_settings
from app.db.engine import get_engine
from tests.support.environment import is_app_variable


@pytest.fixture(autouse=True)
def clean_settings(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No stray environment variable leaks into a test, and cached settings are re-read."""
    for name in list(os.environ):
        if is_app_variable(name):
            monkeypatch.delenv(name)
    get_settings.cache_clear()
    get_engine.cache_clear()
    yield
    get_settings.cache_clear()
    get_engine.cache_clear()
