"""SQLModel tables. Migrations in alembic/ must match these exactly (a test checks for drift)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, MetaData, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.db.types import UTCDateTime, utc_now

# Deterministic constraint names keep migrations identical on SQLite and PostgreSQL.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata: MetaData = SQLModel.metadata


def _utc_column(nullable: bool = False) -> Column[datetime]:
    return Column(UTCDateTime(), nullable=nullable)


class User(SQLModel, table=True):
    __tablename__ = "users"

    id: int | None = Field(default=None, primary_key=True)
    display_name: str = Field(max_length=200)
    email: str | None = Field(default=None, max_length=320)
    email_verified: bool = False
    role: str = Field(default="user", max_length=20)
    disabled: bool = False
    timezone: str = Field(default="UTC", max_length=64)
    day_start_hour: int = 0
    created_at: datetime = Field(default_factory=utc_now, sa_column=_utc_column())


class Identity(SQLModel, table=True):
    """A provider account linked to a user; accounts are keyed by (issuer, subject)."""

    __tablename__ = "identities"
    __table_args__ = (UniqueConstraint("issuer", "subject", name="uq_identities_issuer_subject"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True, ondelete="CASCADE")
    provider: str = Field(max_length=64)
    issuer: str = Field(max_length=500)
    subject: str = Field(max_length=255)
    created_at: datetime = Field(default_factory=utc_now, sa_column=_utc_column())


class WebSession(SQLModel, table=True):
    """A signed-in browser; only a SHA-256 hash of the cookie's session id is stored."""

    __tablename__ = "web_sessions"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    user_id: int = Field(foreign_key="users.id", index=True, ondelete="CASCADE")
    created_at: datetime = Field(default_factory=utc_now, sa_column=_utc_column())
    last_seen_at: datetime = Field(default_factory=utc_now, sa_column=_utc_column())
    expires_at: datetime = Field(sa_column=_utc_column())
    user_agent: str = Field(default="", max_length=300)
    id_token_hint: str | None = Field(default=None, sa_type=Text)
    provider: str = Field(default="", max_length=64)


class Habit(SQLModel, table=True):
    __tablename__ = "habits"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=120)
    position: int = 0
    archived: bool = False
    created_at: datetime = Field(default_factory=utc_now, sa_column=_utc_column())


class Entry(SQLModel, table=True):
    """At most one entry per habit per local day."""

    __tablename__ = "entries"
    __table_args__ = (UniqueConstraint("habit_id", "day", name="uq_entries_habit_id_day"),)

    id: int | None = Field(default=None, primary_key=True)
    habit_id: int = Field(foreign_key="habits.id", index=True, ondelete="CASCADE")
    day: date
    kind: str = Field(default="done", max_length=16)
    value: float | None = None
    recorded_at: datetime = Field(default_factory=utc_now, sa_column=_utc_column())
