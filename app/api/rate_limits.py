"""Rate limits (slowapi), stored in Redis when configured so every worker shares the counts."""

from __future__ import annotations

from slowapi import Limiter
from slowapi.util import get_remote_address

from app.config import get_settings

SIGN_IN_LIMIT = "30/minute"

limiter = Limiter(
    key_func=get_remote_address,
    storage_uri=get_settings().redis_url or "memory://",
    headers_enabled=False,
)
