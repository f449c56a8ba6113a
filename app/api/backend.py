"""The HTTP side of the app: probes, metrics, sign-in routes, error handling.

Reflex mounts its own routes (websocket, frontend) under this app, so ours match first.
"""

from __future__ import annotations

from fastapi import FastAPI
from starlette.middleware.sessions import SessionMiddleware

from app.api import exports, metrics_route, probes
from app.api.problems import install_problem_handlers
from app.api.rate_limits import limiter
from app.api.security_headers import SecurityHeadersMiddleware
from app.api.upload_limit import UploadSizeLimit
from app.auth import routes as auth_routes
from app.config import get_settings
from app.observability.metrics import instrument


def create_backend() -> FastAPI:
    settings = get_settings()
    backend = FastAPI(title="Habit Wizard", docs_url=None, redoc_url=None, openapi_url=None)
    backend.state.limiter = limiter
    # Holds authlib's short-lived state, nonce and PKCE verifier between login and callback.
    backend.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret_key.get_secret_value(),
        session_cookie="hw_oauth",
        max_age=600,
        same_site="lax",
        https_only=settings.app_base_url.startswith("https://"),
    )
    instrument(backend)
    install_problem_handlers(backend)
    backend.include_router(probes.router)
    backend.include_router(metrics_route.router)
    backend.include_router(auth_routes.router)
    backend.include_router(exports.router)
    backend.add_middleware(UploadSizeLimit, max_bytes=settings.import_max_bytes)
    # Added last, so it is the outermost of ours: every response, 404s included, gets the headers.
    backend.add_middleware(SecurityHeadersMiddleware, settings=settings)
    return backend
