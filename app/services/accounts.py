"""Sign-in use cases: find or create the account behind a provider identity."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from app.db.tables import Identity, User


@dataclass(frozen=True)
class VerifiedIdentity:
    """What a provider asserted about the person, after token validation."""

    provider: str
    issuer: str
    subject: str
    display_name: str
    email: str | None
    email_verified: bool


class AccountDisabled(Exception):
    """The account exists but an operator disabled it."""


def user_for_identity(session: Session, identity: VerifiedIdentity) -> User:
    """The user linked to (issuer, subject), created on first sign-in.

    Accounts are keyed by the provider's issuer and subject, never by email, so a
    different provider with the same email address never reaches this account.
    """
    linked = session.exec(
        select(Identity).where(Identity.issuer == identity.issuer, Identity.subject == identity.subject)
    ).first()
    if linked is not None:
        user = session.get(User, linked.user_id)
        assert user is not None  # foreign key guarantees it
        if user.disabled:
            raise AccountDisabled
        user.display_name = identity.display_name or user.display_name
        if identity.email:
            user.email, user.email_verified = identity.email, identity.email_verified
        session.add(user)
        return user
    user = User(
        display_name=identity.display_name or "Habit Wizard user",
        email=identity.email,
        email_verified=identity.email_verified,
    )
    session.add(user)
    session.flush()
    assert user.id is not None
    session.add(
        Identity(
            user_id=user.id,
            provider=identity.provider,
            issuer=identity.issuer,
            subject=identity.subject,
        )
    )
    return user
