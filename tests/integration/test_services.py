"""Use cases against real databases: accounts, sessions and habits on SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import StatementError
from sqlmodel import SQLModel, func, select

from app.auth.sessions import (
    LAST_SEEN_RESOLUTION,
    end_session,
    hash_session_id,
    resolve_session,
    start_session,
)
from app.config import Settings
from app.db.engine import build_engine, session_scope
from app.db.tables import Entry, Habit, Identity, User, WebSession
from app.domain.entries import EntryKind
from app.services import habits
from app.services.accounts import AccountDisabled, VerifiedIdentity, user_for_identity
from app.services.errors import InvalidInput, NotFound
from app.services.habits import TodayHabit
from app.services.principals import Principal
from tests.integration.conftest import upgrade_head
from tests.support.databases import sqlite_url

PROJECT_ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2024, 3, 10, 12, 0, tzinfo=UTC)
TODAY = date(2024, 3, 10)
ISSUER = "https://idp.example.org"
OTHER_ISSUER = "https://other-idp.example.org"
# Short limits keep idle and absolute expiry apart: 30 idle minutes, 2 hours in all.
SESSION_SETTINGS = Settings(session_idle_timeout_minutes=30, session_max_lifetime_hours=2)


def count(engine: Engine, table: type[SQLModel]) -> int:
    with session_scope(engine) as db:
        return db.exec(select(func.count()).select_from(table)).one()


def identity(
    subject: str, *, issuer: str = ISSUER, name: str = "Ada", email: str | None = None
) -> VerifiedIdentity:
    return VerifiedIdentity(
        provider="test",
        issuer=issuer,
        subject=subject,
        display_name=name,
        email=email,
        email_verified=email is not None,
    )


def sign_in(engine: Engine, who: VerifiedIdentity) -> User:
    with session_scope(engine) as db:
        return user_for_identity(db, who)


def principal_for(user: User) -> Principal:
    assert user.id is not None
    return Principal(
        user_id=user.id,
        display_name=user.display_name,
        role=user.role,
        timezone=user.timezone,
        day_start_hour=user.day_start_hour,
    )


def new_principal(engine: Engine, subject: str, name: str) -> Principal:
    return principal_for(sign_in(engine, identity(subject, name=name)))


def disable(engine: Engine, user_id: int) -> None:
    with session_scope(engine) as db:
        user = db.get(User, user_id)
        assert user is not None
        user.disabled = True
        db.add(user)


# Accounts -----------------------------------------------------------------------------------


def test_first_sign_in_creates_a_user_and_its_identity(engine: Engine) -> None:
    user = sign_in(engine, identity("sub-1", name="Ada Lovelace", email="ada@example.org"))

    with session_scope(engine) as db:
        stored = db.get(User, user.id)
        identities = db.exec(select(Identity)).all()
    assert stored is not None
    assert (stored.display_name, stored.email, stored.email_verified) == (
        "Ada Lovelace",
        "ada@example.org",
        True,
    )
    assert (stored.role, stored.disabled, stored.timezone, stored.day_start_hour) == ("user", False, "UTC", 0)
    assert [(i.user_id, i.provider, i.issuer, i.subject) for i in identities] == [
        (user.id, "test", ISSUER, "sub-1")
    ]


def test_same_issuer_and_subject_return_the_same_user_keeping_their_chosen_name(engine: Engine) -> None:
    first = sign_in(engine, identity("sub-1", name="Ada"))
    again = sign_in(engine, identity("sub-1", name="Ada Lovelace", email="ada@example.org"))

    assert again.id == first.id
    with session_scope(engine) as db:
        stored = db.get(User, first.id)
    assert stored is not None
    # The name is the person's to change in Settings; the provider only supplies the first one.
    assert (stored.display_name, stored.email) == ("Ada", "ada@example.org")
    assert count(engine, User) == 1
    assert count(engine, Identity) == 1


def test_same_email_at_another_issuer_is_a_different_user(engine: Engine) -> None:
    first = sign_in(engine, identity("sub-1", email="ada@example.org"))
    other = sign_in(engine, identity("sub-1", issuer=OTHER_ISSUER, email="ada@example.org"))

    assert other.id != first.id
    assert count(engine, User) == 2
    assert count(engine, Identity) == 2


def test_disabled_account_cannot_sign_in(engine: Engine) -> None:
    user = sign_in(engine, identity("sub-1", name="Ada"))
    assert user.id is not None
    disable(engine, user.id)

    with pytest.raises(AccountDisabled), session_scope(engine) as db:
        user_for_identity(db, identity("sub-1", name="Renamed"))

    with session_scope(engine) as db:
        stored = db.get(User, user.id)
    assert stored is not None
    assert stored.display_name == "Ada"


# Sessions -----------------------------------------------------------------------------------


def start(engine: Engine, user: User, now: datetime = NOW) -> str:
    with session_scope(engine) as db:
        return start_session(
            db,
            user,
            settings=SESSION_SETTINGS,
            now=now,
            user_agent="pytest-agent",
            provider="test",
            id_token_hint="id-token-hint",
        )


def resolve(engine: Engine, session_id: str | None, now: datetime) -> Principal | None:
    with session_scope(engine) as db:
        return resolve_session(db, session_id, settings=SESSION_SETTINGS, now=now)


def stored_session(engine: Engine) -> WebSession:
    with session_scope(engine) as db:
        rows = db.exec(select(WebSession)).all()
    assert len(rows) == 1
    return rows[0]


def test_session_id_is_long_url_safe_and_stored_only_as_a_hash(engine: Engine) -> None:
    user = sign_in(engine, identity("sub-1"))

    session_id = start(engine, user)

    assert re.fullmatch(r"[A-Za-z0-9_-]{43,}", session_id)
    row = stored_session(engine)
    assert row.token_hash == hashlib.sha256(session_id.encode()).hexdigest()
    assert row.token_hash == hash_session_id(session_id)
    with engine.connect() as connection:
        raw_row = connection.execute(text("SELECT * FROM web_sessions")).one()
    assert all(session_id not in str(value) for value in raw_row)
    assert (row.user_id, row.created_at, row.last_seen_at, row.expires_at) == (
        user.id,
        NOW,
        NOW,
        NOW + timedelta(hours=2),
    )
    assert (row.user_agent, row.provider, row.id_token_hint) == ("pytest-agent", "test", "id-token-hint")


def test_two_sessions_get_different_ids(engine: Engine) -> None:
    user = sign_in(engine, identity("sub-1"))

    assert start(engine, user) != start(engine, user)
    assert count(engine, WebSession) == 2


def test_resolve_session_returns_the_principal(engine: Engine) -> None:
    user = sign_in(engine, identity("sub-1", name="Ada"))
    session_id = start(engine, user)

    assert resolve(engine, session_id, NOW + timedelta(minutes=5)) == Principal(
        user_id=user.id or 0, display_name="Ada", role="user", timezone="UTC", day_start_hour=0
    )


def test_resolve_session_refuses_missing_and_unknown_ids(engine: Engine) -> None:
    user = sign_in(engine, identity("sub-1"))
    start(engine, user)

    assert resolve(engine, None, NOW) is None
    assert resolve(engine, "", NOW) is None
    assert resolve(engine, "not-a-real-session-id", NOW) is None
    assert count(engine, WebSession) == 1


def test_idle_session_expires_and_is_deleted(engine: Engine) -> None:
    user = sign_in(engine, identity("sub-1"))
    session_id = start(engine, user)
    idle_limit = timedelta(minutes=30)

    assert resolve(engine, session_id, NOW + idle_limit) is not None  # exactly at the limit: still on
    assert resolve(engine, session_id, NOW + 2 * idle_limit + timedelta(seconds=1)) is None
    assert count(engine, WebSession) == 0


def test_active_session_ends_at_its_absolute_lifetime(engine: Engine) -> None:
    user = sign_in(engine, identity("sub-1"))
    session_id = start(engine, user)

    # Seen every 20 minutes, so never idle, up to just before the 2-hour lifetime.
    for minutes in range(20, 120, 20):
        assert resolve(engine, session_id, NOW + timedelta(minutes=minutes)) is not None
    assert resolve(engine, session_id, NOW + timedelta(minutes=119, seconds=59)) is not None
    assert resolve(engine, session_id, NOW + timedelta(hours=2)) is None
    assert count(engine, WebSession) == 0


def test_session_of_a_disabled_user_is_refused_and_deleted(engine: Engine) -> None:
    user = sign_in(engine, identity("sub-1"))
    session_id = start(engine, user)
    assert user.id is not None
    disable(engine, user.id)

    assert resolve(engine, session_id, NOW + timedelta(minutes=1)) is None
    assert count(engine, WebSession) == 0


def test_end_session_deletes_it(engine: Engine) -> None:
    user = sign_in(engine, identity("sub-1"))
    session_id = start(engine, user)
    other_id = start(engine, user)

    with session_scope(engine) as db:
        ended = end_session(db, session_id)
    assert ended is not None
    assert ended.id_token_hint == "id-token-hint"
    assert resolve(engine, session_id, NOW) is None
    assert resolve(engine, other_id, NOW) is not None
    assert count(engine, WebSession) == 1
    with session_scope(engine) as db:
        assert end_session(db, session_id) is None
        assert end_session(db, None) is None


def test_last_seen_is_written_only_after_the_resolution(engine: Engine) -> None:
    assert timedelta(minutes=1) == LAST_SEEN_RESOLUTION
    user = sign_in(engine, identity("sub-1"))
    session_id = start(engine, user)

    resolve(engine, session_id, NOW + LAST_SEEN_RESOLUTION - timedelta(seconds=1))
    assert stored_session(engine).last_seen_at == NOW

    resolve(engine, session_id, NOW + LAST_SEEN_RESOLUTION)
    assert stored_session(engine).last_seen_at == NOW + LAST_SEEN_RESOLUTION

    resolve(engine, session_id, NOW + LAST_SEEN_RESOLUTION + timedelta(seconds=30))
    assert stored_session(engine).last_seen_at == NOW + LAST_SEEN_RESOLUTION


# Habits -------------------------------------------------------------------------------------


def create(engine: Engine, principal: Principal, name: str) -> int:
    with session_scope(engine) as db:
        habit = habits.create_habit(db, principal, name)
        assert habit.id is not None
        return habit.id


def summary(rows: list[TodayHabit]) -> list[tuple[int, str, bool, int]]:
    return [(row.habit_id, row.name, row.done_today, row.current_streak) for row in rows]


def today_list(engine: Engine, principal: Principal, today: date = TODAY) -> list[TodayHabit]:
    with session_scope(engine) as db:
        return habits.list_today(db, principal, today)


def check_in(engine: Engine, principal: Principal, habit_id: int, day: date = TODAY) -> None:
    with session_scope(engine) as db:
        habits.check_in(db, principal, habit_id, day, TODAY)


def undo(engine: Engine, principal: Principal, habit_id: int, day: date = TODAY) -> None:
    with session_scope(engine) as db:
        habits.undo_check_in(db, principal, habit_id, day)


def entries(engine: Engine) -> list[tuple[int, date, str]]:
    with session_scope(engine) as db:
        return [(e.habit_id, e.day, e.kind) for e in db.exec(select(Entry).order_by(Entry.id)).all()]


def test_create_habit_stores_the_cleaned_name(engine: Engine) -> None:
    ada = new_principal(engine, "a", "Ada")

    habit_id = create(engine, ada, "  Drink   water ")

    with session_scope(engine) as db:
        stored = db.get(Habit, habit_id)
    assert stored is not None
    assert (stored.user_id, stored.name, stored.position, stored.archived) == (
        ada.user_id,
        "Drink water",
        1,
        False,
    )


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "Give the habit a name."),
        ("   ", "Give the habit a name."),
        ("x" * 121, "Keep the name to 120 characters (this one has 121)."),
    ],
    ids=["empty", "spaces", "121-chars"],
)
def test_create_habit_refuses_bad_names_and_stores_nothing(engine: Engine, raw: str, message: str) -> None:
    ada = new_principal(engine, "a", "Ada")

    with pytest.raises(InvalidInput) as raised:
        create(engine, ada, raw)

    assert str(raised.value) == message
    assert count(engine, Habit) == 0


def test_list_today_is_scoped_to_the_principal_and_reports_done_today(engine: Engine) -> None:
    ada = new_principal(engine, "a", "Ada")
    bob = new_principal(engine, "b", "Bob")
    read = create(engine, ada, "Read")
    walk = create(engine, ada, "Walk")
    stretch = create(engine, ada, "Stretch")
    check_in(engine, ada, read)
    check_in(engine, ada, stretch, TODAY - timedelta(days=1))

    # Today stays open, so yesterday's check-in still counts as a running streak.
    assert summary(today_list(engine, ada)) == [
        (read, "Read", True, 1),
        (walk, "Walk", False, 0),
        (stretch, "Stretch", False, 1),
    ]
    assert today_list(engine, bob) == []
    assert [h.done_today for h in today_list(engine, ada, TODAY - timedelta(days=1))] == [False, False, True]


def test_positions_are_per_user(engine: Engine) -> None:
    ada = new_principal(engine, "a", "Ada")
    bob = new_principal(engine, "b", "Bob")
    create(engine, ada, "One")
    create(engine, ada, "Two")
    bobs = create(engine, bob, "Bob's first")

    with session_scope(engine) as db:
        positions = {h.name: h.position for h in db.exec(select(Habit)).all()}
    assert positions == {"One": 1, "Two": 2, "Bob's first": 1}
    assert summary(today_list(engine, bob)) == [(bobs, "Bob's first", False, 0)]


def test_check_in_records_one_done_entry(engine: Engine) -> None:
    ada = new_principal(engine, "a", "Ada")
    read = create(engine, ada, "Read")

    check_in(engine, ada, read)

    assert entries(engine) == [(read, TODAY, "done")]


def test_check_in_refuses_a_future_day(engine: Engine) -> None:
    ada = new_principal(engine, "a", "Ada")
    read = create(engine, ada, "Read")

    with pytest.raises(InvalidInput) as raised:
        check_in(engine, ada, read, TODAY + timedelta(days=1))

    assert str(raised.value) == "You can't check in for a day that hasn't started yet."
    assert entries(engine) == []


def test_check_in_refuses_a_second_entry_for_the_same_day(engine: Engine) -> None:
    ada = new_principal(engine, "a", "Ada")
    read = create(engine, ada, "Read")
    check_in(engine, ada, read)

    with pytest.raises(InvalidInput) as raised:
        check_in(engine, ada, read)

    assert str(raised.value) == "That day is already checked in."
    assert entries(engine) == [(read, TODAY, "done")]


def test_check_in_refuses_another_users_habit(engine: Engine) -> None:
    ada = new_principal(engine, "a", "Ada")
    bob = new_principal(engine, "b", "Bob")
    read = create(engine, ada, "Read")

    with pytest.raises(NotFound):
        check_in(engine, bob, read)
    with pytest.raises(NotFound):
        check_in(engine, bob, read + 1000)

    assert entries(engine) == []


def test_undo_check_in_removes_the_entry(engine: Engine) -> None:
    ada = new_principal(engine, "a", "Ada")
    read = create(engine, ada, "Read")
    check_in(engine, ada, read)
    check_in(engine, ada, read, TODAY - timedelta(days=1))

    undo(engine, ada, read)

    assert entries(engine) == [(read, TODAY - timedelta(days=1), "done")]
    # Yesterday remains checked and today is still open: a streak of one.
    assert summary(today_list(engine, ada)) == [(read, "Read", False, 1)]


def test_undo_check_in_refuses_another_users_habit(engine: Engine) -> None:
    ada = new_principal(engine, "a", "Ada")
    bob = new_principal(engine, "b", "Bob")
    read = create(engine, ada, "Read")
    check_in(engine, ada, read)

    with pytest.raises(NotFound):
        undo(engine, bob, read)

    assert entries(engine) == [(read, TODAY, "done")]


# UTCDateTime --------------------------------------------------------------------------------


def test_datetimes_come_back_as_aware_utc(engine: Engine) -> None:
    berlin_noon = datetime(2024, 3, 10, 12, 0, tzinfo=timezone(timedelta(hours=1)))
    with session_scope(engine) as db:
        user = User(display_name="Ada", created_at=berlin_noon)
        db.add(user)
        db.flush()
        user_id = user.id

    with session_scope(engine) as db:
        if engine.dialect.name == "postgresql":
            # The server would otherwise answer in UTC already; make it answer in another zone.
            db.connection().execute(text("SET TIME ZONE 'America/New_York'"))
        stored = db.get(User, user_id)
    assert stored is not None
    assert stored.created_at == datetime(2024, 3, 10, 11, 0, tzinfo=UTC)
    assert stored.created_at.tzinfo is UTC
    assert stored.created_at.utcoffset() == timedelta(0)


def test_sqlite_stores_the_utc_wall_clock(tmp_path: Path) -> None:
    engine = build_engine(sqlite_url(tmp_path))
    upgrade_head(engine)
    with session_scope(engine) as db:
        db.add(
            User(
                display_name="Ada",
                created_at=datetime(2024, 3, 10, 12, 0, tzinfo=timezone(timedelta(hours=2))),
            )
        )

    with engine.connect() as connection:
        raw = connection.execute(text("SELECT created_at FROM users")).scalar_one()
    engine.dispose()
    assert raw == "2024-03-10 10:00:00.000000"


def test_naive_datetime_is_refused(engine: Engine) -> None:
    with pytest.raises(StatementError) as raised, session_scope(engine) as db:
        db.add(User(display_name="Ada", created_at=datetime(2024, 3, 10, 12, 0)))
        db.flush()

    assert isinstance(raised.value.orig, ValueError)
    assert "naive datetime refused" in str(raised.value.orig)
    assert count(engine, User) == 0


def test_recording_today_returns_the_row_the_full_list_shows(engine: Engine) -> None:
    ada = new_principal(engine, "a", "Ada")
    read = create(engine, ada, "Read")
    create(engine, ada, "Walk")
    for back in (1, 2, 4):
        check_in(engine, ada, read, TODAY - timedelta(days=back))

    with session_scope(engine) as db:
        single = habits.record_today(db, ada, read, TODAY, habits.EntryDetails(EntryKind.DONE))
        listed = next(row for row in habits.list_today(db, ada, TODAY) if row.habit_id == read)
    assert single == listed
    assert (single.current_streak, single.done_today) == (3, True)

    with session_scope(engine) as db:
        cleared = habits.record_today(db, ada, read, TODAY, None)
    assert (cleared.current_streak, cleared.done_today, cleared.entry_kind) == (2, False, None)


def test_recording_today_is_not_for_another_person(engine: Engine) -> None:
    ada = new_principal(engine, "a", "Ada")
    bob = new_principal(engine, "b", "Bob")
    read = create(engine, ada, "Read")

    with session_scope(engine) as db, pytest.raises(NotFound):
        habits.record_today(db, bob, read, TODAY, habits.EntryDetails(EntryKind.DONE))
    with session_scope(engine) as db, pytest.raises(NotFound):
        habits.record_today(db, bob, read, TODAY, None)
    assert count(engine, Entry) == 0
