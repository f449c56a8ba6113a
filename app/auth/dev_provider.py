"""The development identity provider: a local OpenID provider so `make run` needs no account.

On only when APP_ENV=development and no OAUTH_PROVIDERS are set (Settings enforces this,
and refuses it in production). It accepts any user name typed on its form.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from app.config import get_settings

log = logging.getLogger(__name__)
DEV_USER = {"sub": "ada", "name": "Ada Lovelace", "email": "ada@example.org", "email_verified": True}


@asynccontextmanager
async def dev_identity_provider() -> AsyncIterator[None]:
    settings = get_settings()
    if not settings.uses_dev_identity_provider:
        yield
        return
    import oidc_provider_mock  # development-only dependency path, imported only when used

    user = oidc_provider_mock.User(sub=DEV_USER["sub"], claims=dict(DEV_USER))
    try:
        server = oidc_provider_mock.run_server_in_thread(
            port=settings.dev_oidc_port, require_nonce=True, user_claims=[user]
        )
        server.__enter__()
    except (OSError, SystemExit):
        # Another worker of this app already serves it on that port (werkzeug exits on a taken
        # port rather than raising OSError).
        log.info("development identity provider already running on port %s", settings.dev_oidc_port)
        yield
        return
    log.warning("development identity provider at %s (never use in production)", settings.dev_oidc_issuer)
    try:
        yield
    finally:
        server.__exit__(None, None, None)
