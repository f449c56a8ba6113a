"""Sign-in, account linking and sign-out routes.

Authorization code with PKCE S256, `state` and `nonce` (authlib keeps them single-use in the
short-lived signed `hw_oauth` cookie, keyed by provider, so a callback for another provider
than the one started finds no state). RFC 9207: the response's `iss` must be the issuer we
sent the person to (mix-up defence). Provider tokens never reach the browser: it only gets an
opaque session id in an HttpOnly cookie.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from authlib.integrations.starlette_client import OAuthError
from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from httpx import HTTPError
from sqlmodel import Session

from app.api.rate_limits import SIGN_IN_LIMIT, limiter
from app.auth.next_path import safe_next_path
from app.auth.oidc import claims_for, client_for, provider_named, redirect_uri_for
from app.auth.sessions import cookie_name, end_session, resolve_session, start_session
from app.config import OAuthProvider, get_settings
from app.db.engine import run_in_session
from app.observability.metrics import SIGN_INS, SignInOutcome
from app.services.accounts import (
    AccountDisabled,
    IdentityTaken,
    VerifiedIdentity,
    link_identity,
    user_for_identity,
)

router = APIRouter(prefix="/auth")
log = logging.getLogger(__name__)
SIGN_IN_PAGE = "/signin"
SETTINGS_PAGE = "/settings"
NEXT_KEY = "next_after_sign_in"
LINK_KEY = "linking"
UNKNOWN_PROVIDER_MESSAGE = "That sign-in provider is not configured."
MIX_UP_MESSAGE = "The sign-in answer came from the wrong provider. Please start again."
UNVERIFIED_MESSAGE = "Sign-in could not be verified. Please start again."
TAKEN_MESSAGE = "That provider account already belongs to another Habit Wizard account."


def _back_to_sign_in(outcome: SignInOutcome, message: str) -> RedirectResponse:
    SIGN_INS.labels(outcome=outcome.value).inc()
    log.info("sign-in failed: %s", outcome.value)
    return RedirectResponse(f"{SIGN_IN_PAGE}?{urlencode({'error': message})}", status_code=303)


def _session_cookie(request: Request) -> str | None:
    return request.cookies.get(cookie_name(get_settings()))


async def _start(request: Request, provider: str) -> Response:
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


@router.get("/login/{provider}")
@limiter.limit(SIGN_IN_LIMIT)
async def login(request: Request, provider: str, next: str | None = None) -> Response:
    if provider_named(provider) is None:
        return _back_to_sign_in(SignInOutcome.UNKNOWN_PROVIDER, UNKNOWN_PROVIDER_MESSAGE)
    request.session[NEXT_KEY] = safe_next_path(next)
    request.session.pop(LINK_KEY, None)
    return await _start(request, provider)


@router.get("/link/{provider}")
@limiter.limit(SIGN_IN_LIMIT)
async def link(request: Request, provider: str) -> Response:
    """Start adding another provider to the signed-in account (from Settings)."""
    if provider_named(provider) is None:
        return _back_to_sign_in(SignInOutcome.UNKNOWN_PROVIDER, UNKNOWN_PROVIDER_MESSAGE)
    request.session[LINK_KEY] = True
    request.session[NEXT_KEY] = SETTINGS_PAGE
    return await _start(request, provider)


def _identity_from(provider: str, issuer: str, claims: dict[str, Any]) -> VerifiedIdentity:
    email = claims.get("email")
    name = claims.get("name") or claims.get("preferred_username") or email or "Habit Wizard user"
    return VerifiedIdentity(
        provider=provider,
        issuer=issuer,
        subject=str(claims["sub"]),
        display_name=str(name)[:200],
        email=str(email).lower() if email else None,
        email_verified=claims.get("email_verified") is True,
    )


async def _issuer_mismatch(request: Request, configured: OAuthProvider) -> bool:
    """RFC 9207: a response naming another issuer (or none, when promised) is a mix-up."""
    returned = request.query_params.get("iss")
    if configured.protocol != "oidc":
        return False  # plain OAuth 2.0 (GitHub): no issuer in the answer; state is per provider
    if returned is not None:
        return returned.rstrip("/") != configured.issuer
    try:
        metadata = await client_for(configured.name).load_server_metadata()
    except (HTTPError, OAuthError):
        return False  # the token exchange below fails with its own outcome
    return bool(metadata.get("authorization_response_iss_parameter_supported"))


def _set_session_cookie(response: Response, session_id: str) -> None:
    settings = get_settings()
    response.set_cookie(
        cookie_name(settings),
        session_id,
        max_age=settings.session_max_lifetime_hours * 3600,
        path="/",
        secure=settings.app_base_url.startswith("https://"),
        httponly=True,
        samesite="lax",
    )


@router.get("/callback/{provider}")
@limiter.limit(SIGN_IN_LIMIT)
async def callback(request: Request, provider: str) -> Response:
    settings = get_settings()
    configured = provider_named(provider)
    if configured is None:
        return _back_to_sign_in(SignInOutcome.UNKNOWN_PROVIDER, UNKNOWN_PROVIDER_MESSAGE)
    linking = bool(request.session.pop(LINK_KEY, False))
    if request.query_params.get("error"):
        return _back_to_sign_in(SignInOutcome.DENIED, "Sign-in was cancelled at the provider.")
    if await _issuer_mismatch(request, configured):
        return _back_to_sign_in(SignInOutcome.ISSUER_MISMATCH, MIX_UP_MESSAGE)
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
        # authlib/joserfc raise ValueError subclasses for bad ID tokens (iss, aud, nonce, expiry).
        log.warning("sign-in with %s failed token validation", provider)
        return _back_to_sign_in(SignInOutcome.INVALID_TOKEN, UNVERIFIED_MESSAGE)
    try:
        claims = await claims_for(configured, token)
    except (HTTPError, ValueError):
        return _back_to_sign_in(SignInOutcome.PROVIDER_ERROR, "The provider did not identify you.")
    if not claims.get("sub"):
        return _back_to_sign_in(SignInOutcome.INVALID_TOKEN, "The provider did not identify you.")
    identity = _identity_from(provider, configured.issuer, claims)
    now = datetime.now(UTC)
    previous_session = _session_cookie(request)
    admin_emails = frozenset(email.lower() for email in settings.admin_emails)
    user_agent = request.headers.get("user-agent", "")

    def sign_in(db: Session) -> tuple[int | None, str | None]:
        if linking:
            current = resolve_session(db, previous_session, settings=settings, now=now)
            if current is None:
                return None, None
            link_identity(db, current.user_id, identity)
            return current.user_id, None
        user = user_for_identity(db, identity, admin_emails)
        db.flush()
        end_session(db, previous_session)  # a new session id at every sign-in
        session_id = start_session(
            db,
            user,
            settings=settings,
            now=now,
            user_agent=user_agent,
            provider=provider,
            id_token_hint=token.get("id_token"),
        )
        return user.id, session_id

    try:
        user_id, session_id = await run_in_session(sign_in)
    except AccountDisabled:
        return _back_to_sign_in(SignInOutcome.ACCOUNT_DISABLED, "This account is disabled.")
    except IdentityTaken:
        return _back_to_sign_in(SignInOutcome.LINK_REFUSED, TAKEN_MESSAGE)
    if user_id is None:
        return _back_to_sign_in(SignInOutcome.LINK_REFUSED, "Sign in first, then link another provider.")
    SIGN_INS.labels(outcome=SignInOutcome.SUCCESS.value).inc()
    log.info("%s succeeded for user %s", "linking" if linking else "sign-in", user_id)
    target = safe_next_path(request.session.pop(NEXT_KEY, None))
    response = RedirectResponse(target, status_code=303)
    if session_id is not None:
        _set_session_cookie(response, session_id)
    return response


async def _provider_logout_url(provider: str, id_token: str | None) -> str | None:
    """RP-initiated logout at the provider, when it offers it (not for the dev provider)."""
    configured = provider_named(provider)
    if configured is None or configured.name == "dev" or not id_token:
        return None
    try:
        metadata = await client_for(provider).load_server_metadata()
    except (HTTPError, OAuthError):
        return None
    endpoint = metadata.get("end_session_endpoint")
    if not endpoint:
        return None
    query = urlencode(
        {
            "id_token_hint": id_token,
            "client_id": configured.client_id,
            "post_logout_redirect_uri": f"{get_settings().app_base_url}{SIGN_IN_PAGE}",
            "state": "signed_out",
        }
    )
    return f"{endpoint}?{query}"


@router.post("/logout")
async def logout(request: Request) -> Response:
    settings = get_settings()
    origin = request.headers.get("origin")
    if origin is not None and origin not in settings.allowed_origins:
        return Response("cross-origin sign-out refused", status_code=403)
    name = cookie_name(settings)
    ended = await run_in_session(lambda db: end_session(db, request.cookies.get(name)))
    provider_logout = await _provider_logout_url(ended.provider, ended.id_token_hint) if ended else None
    response = RedirectResponse(provider_logout or f"{SIGN_IN_PAGE}?signed_out=1", status_code=303)
    response.delete_cookie(name, path="/", secure=name.startswith("__Host-"), httponly=True, samesite="lax")
    return response
