"""Sign-in and sign-out routes: authorization code + PKCE S256, state and nonce via authlib."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from urllib.parse import urlencode

from authlib.integrations.starlette_client import OAuthError
from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from httpx import HTTPError

from app.api.rate_limits import SIGN_IN_LIMIT, limiter
from app.auth.next_path import safe_next_path
from app.auth.oidc import client_for, provider_named, redirect_uri_for
from app.auth.sessions import cookie_name, end_session, start_session
from app.config import get_settings
from app.db.engine import run_in_session
from app.observability.metrics import SIGN_INS, SignInOutcome
from app.services.accounts import AccountDisabled, VerifiedIdentity, user_for_identity

router = APIRouter(prefix="/auth")
log = logging.getLogger(__name__)
SIGN_IN_PAGE = "/signin"
NEXT_KEY = "next_after_sign_in"


def _back_to_sign_in(outcome: SignInOutcome, message: str) -> RedirectResponse:
    SIGN_INS.labels(outcome=outcome.value).inc()
    log.info("sign-in failed: %s", outcome.value)
    return RedirectResponse(f"{SIGN_IN_PAGE}?{urlencode({'error': message})}", status_code=303)


@router.get("/login/{provider}")
@limiter.limit(SIGN_IN_LIMIT)
async def login(request: Request, provider: str, next: str | None = None) -> Response:
    if provider_named(provider) is None:
        return _back_to_sign_in(SignInOutcome.UNKNOWN_PROVIDER, "That sign-in provider is not configured.")
    request.session[NEXT_KEY] = safe_next_path(next)
    try:
        response: Response = await client_for(provider).authorize_redirect(
            request, redirect_uri_for(provider)
        )
    except (HTTPError, OAuthError):
        log.warning("provider %s unreachable at sign-in start", provider)
        return _back_to_sign_in(
            SignInOutcome.PROVIDER_ERROR, "The sign-in provider could not be reached. Try again."
        )
    return response


def _identity_from(provider: str, issuer: str, claims: dict[str, object]) -> VerifiedIdentity:
    email = claims.get("email")
    name = claims.get("name") or claims.get("preferred_username") or email or "Habit Wizard user"
    return VerifiedIdentity(
        provider=provider,
        issuer=issuer,
        subject=str(claims["sub"]),
        display_name=str(name)[:200],
        email=str(email) if email else None,
        email_verified=claims.get("email_verified") is True,
    )


@router.get("/callback/{provider}")
@limiter.limit(SIGN_IN_LIMIT)
async def callback(request: Request, provider: str) -> Response:
    settings = get_settings()
    configured = provider_named(provider)
    if configured is None:
        return _back_to_sign_in(SignInOutcome.UNKNOWN_PROVIDER, "That sign-in provider is not configured.")
    if request.query_params.get("error"):
        return _back_to_sign_in(SignInOutcome.DENIED, "Sign-in was cancelled at the provider.")
    try:
        token = await client_for(provider).authorize_access_token(request)
    except OAuthError as error:
        outcome = (
            SignInOutcome.INVALID_STATE
            if error.error in ("mismatching_state", "missing_state")
            else SignInOutcome.PROVIDER_ERROR
        )
        return _back_to_sign_in(outcome, "Sign-in could not be completed. Please start again.")
    except (HTTPError, ValueError, KeyError):
        # authlib raises joserfc/ValueError subclasses for bad ID tokens (iss, aud, nonce).
        log.warning("sign-in with %s failed token validation", provider)
        return _back_to_sign_in(
            SignInOutcome.PROVIDER_ERROR, "Sign-in could not be verified. Please start again."
        )
    claims = dict(token.get("userinfo") or {})
    if not claims.get("sub"):
        return _back_to_sign_in(SignInOutcome.PROVIDER_ERROR, "The provider did not identify you.")
    identity = _identity_from(provider, configured.issuer, claims)
    now = datetime.now(UTC)

    def sign_in(db):
        user = user_for_identity(db, identity)
        db.flush()
        session_id = start_session(
            db,
            user,
            settings=settings,
            now=now,
            user_agent=request.headers.get("user-agent", ""),
            provider=provider,
            id_token_hint=token.get("id_token"),
        )
        return user.id, session_id

    try:
        user_id, session_id = await run_in_session(sign_in)
    except AccountDisabled:
        return _back_to_sign_in(SignInOutcome.ACCOUNT_DISABLED, "This account is disabled.")
    SIGN_INS.labels(outcome=SignInOutcome.SUCCESS.value).inc()
    log.info("sign-in succeeded for user %s", user_id)
    response = RedirectResponse(safe_next_path(request.session.pop(NEXT_KEY, None)), status_code=303)
    response.set_cookie(
        cookie_name(settings),
        session_id,
        max_age=settings.session_max_lifetime_hours * 3600,
        path="/",
        secure=settings.app_base_url.startswith("https://"),
        httponly=True,
        samesite="lax",
    )
    return response


@router.post("/logout")
async def logout(request: Request) -> Response:
    settings = get_settings()
    origin = request.headers.get("origin")
    if origin is not None and origin not in settings.allowed_origins:
        return Response("cross-origin sign-out refused", status_code=403)
    name = cookie_name(settings)
    await run_in_session(lambda db: end_session(db, request.cookies.get(name)))
    response = RedirectResponse(f"{SIGN_IN_PAGE}?signed_out=1", status_code=303)
    response.delete_cookie(name, path="/", secure=name.startswith("__Host-"), httponly=True, samesite="lax")
    return response
