"""GitHub sign-in: OAuth 2.0 (not OpenID Connect), so the identity comes from its user API."""

from __future__ import annotations

from typing import Any

AUTHORIZE_URL = "https://github.com/login/oauth/authorize"
ACCESS_TOKEN_URL = "https://github.com/login/oauth/access_token"  # noqa: S105 (an endpoint)
API_BASE_URL = "https://api.github.com/"
SCOPES = "read:user user:email"


def github_claims(user: dict[str, Any], emails: list[dict[str, Any]]) -> dict[str, Any]:
    """OIDC-style claims from GitHub's /user and /user/emails answers.

    The subject is GitHub's numeric account id (logins can be renamed); the email is the
    primary address only when GitHub has verified it.
    """
    if not isinstance(user.get("id"), int):
        raise ValueError("GitHub did not return an account id")
    primary = next((e for e in emails if e.get("primary") and e.get("verified")), None)
    return {
        "sub": str(user["id"]),
        "name": user.get("name") or user.get("login") or "",
        "preferred_username": user.get("login") or "",
        "email": primary["email"] if primary else None,
        "email_verified": primary is not None,
    }
