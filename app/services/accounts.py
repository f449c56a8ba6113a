"""Sign-in use cases: find or create the account behind a provider identity, link identities."""

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


class IdentityTaken(Exception):
    """The provider identity already belongs to another account."""


def _identity_row(session: Session, identity: VerifiedIdentity) -> Identity | None:
    return session.exec(
        select(Identity).where(Identity.issuer == identity.issuer, Identity.subject == identity.subject)
    ).first()


def _identity_for(user_id: int, identity: VerifiedIdentity) -> Identity:
    return Identity(
        user_id=user_id, provider=identity.provider, issuer=identity.issuer, subject=identity.subject
    )


def _promote_if_admin(user: User, admin_emails: frozenset[str]) -> None:
    """ADMIN_EMAILS only counts an address the provider marked verified."""
    if user.email and user.email_verified and user.email.lower() in admin_emails:
        user.role = "admin"


def user_for_identity(
    session: Session, identity: VerifiedIdentity, admin_emails: frozenset[str] = frozenset()
) -> User:
    """The user linked to (issuer, subject), created on first sign-in.

    Accounts are keyed by the provider's issuer and subject, never by email, so a
    different provider with the same email address never reaches this account.
    """
    linked = _identity_row(session, identity)
    if linked is not None:
        user = session.get(User, linked.user_id)
        assert user is not None  # foreign key guarantees it
        if user.disabled:
            raise AccountDisabled
        # The display name came from the provider once; after that it is the person's (Settings).
        if identity.email:
            user.email, user.email_verified = identity.email, identity.email_verified
        _promote_if_admin(user, admin_emails)
        session.add(user)
        return user
    user = User(
        display_name=identity.display_name or "Habit Wizard user",
        email=identity.email,
        email_verified=identity.email_verified,
    )
    _promote_if_admin(user, admin_emails)
    session.add(user)
    session.flush()
    assert user.id is not None
    session.add(_identity_for(user.id, identity))
    return user


def link_identity(session: Session, user_id: int, identity: VerifiedIdentity) -> None:
    """Attach another provider's identity to a signed-in user (never one that is someone else's)."""
    linked = _identity_row(session, identity)
    if linked is not None:
        if linked.user_id != user_id:
            raise IdentityTaken
        return
    session.add(_identity_for(user_id, identity))


def linked_providers(session: Session, user_id: int) -> list[str]:
    rows = session.exec(select(Identity.provider).where(Identity.user_id == user_id)).all()
    return sorted(set(rows))
