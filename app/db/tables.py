"""SQLModel tables. Migrations in alembic/ must match these exactly (a test checks for drift)."""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import Column, LargeBinary, MetaData, Text, UniqueConstraint
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
    # The window the Insights page opens with: "7", "30", "90", "365" or "all".
    insights_window: str = Field(default="30", max_length=8, sa_column_kwargs={"server_default": "30"})


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


def _default(value: str) -> dict[str, object]:
    """A server default too, so migrations can add the column to tables that hold rows."""
    return {"server_default": value}


class Habit(SQLModel, table=True):
    """A habit; the schedule is "times per days", or weekdays when `schedule_weekdays` is set."""

    __tablename__ = "habits"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=120)
    position: int = 0
    archived: bool = False
    created_at: datetime = Field(default_factory=utc_now, sa_column=_utc_column())
    question: str = Field(default="", max_length=200, sa_column_kwargs=_default(""))
    description: str = Field(default="", sa_type=Text, sa_column_kwargs=_default(""))
    category: str = Field(default="", max_length=60, sa_column_kwargs=_default(""))
    color: str = Field(default="violet", max_length=20, sa_column_kwargs=_default("violet"))
    difficulty: int = Field(default=3, sa_column_kwargs=_default("3"))
    target_time: time | None = None
    kind: str = Field(default="yes_no", max_length=16, sa_column_kwargs=_default("yes_no"))
    unit: str = Field(default="", max_length=30, sa_column_kwargs=_default(""))
    target_value: float | None = None
    target_direction: str = Field(default="at_least", max_length=16, sa_column_kwargs=_default("at_least"))
    schedule_times: int = Field(default=1, sa_column_kwargs=_default("1"))
    schedule_days: int = Field(default=1, sa_column_kwargs=_default("1"))
    # Bit 0 = Monday ... bit 6 = Sunday; NULL for "times per days" schedules.
    schedule_weekdays: int | None = None
    # Where an imported habit came from (e.g. "loop:<uuid>"), so importing again matches it.
    import_key: str | None = Field(default=None, max_length=200, index=True)
    # Bumped whenever an entry old enough to lie inside a progress checkpoint changes
    # (app/db/history_versions.py), so a checkpoint built from older history is never used.
    history_version: int = Field(default=0, sa_column_kwargs=_default("0"))


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
    note: str = Field(default="", sa_type=Text, sa_column_kwargs=_default(""))
    mood: int | None = None
    felt_difficulty: int | None = None


class ProgressCheckpoint(SQLModel, table=True):
    """A habit's strength and streak state and its per-day records as of ``through_day``.

    A cache (app/services/habit_progress.py): usable while ``rule`` and ``history_version``
    still match the habit, rebuilt from the entries otherwise, so deleting rows loses nothing.
    """

    __tablename__ = "progress_checkpoints"

    habit_id: int = Field(primary_key=True, foreign_key="habits.id", ondelete="CASCADE")
    rule: str = Field(max_length=200)  # the schedule, kind, target and time zone it was computed under
    history_version: int
    through_day: date
    first_day: date | None = None
    settled_day: date
    scores: bytes = Field(sa_type=LargeBinary)  # float64 per day from first_day to through_day
    streaks: str = Field(sa_type=Text)  # JSON: the longest ended streaks and the open one
    day_records: bytes = Field(sa_type=LargeBinary)  # app/domain/day_records.py, same days as scores
