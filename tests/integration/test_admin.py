"""Admin use cases refuse non-admins; disabling ends every session of the account."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import select

from app.db.engine import session_scope
from app.db.tables import User, WebSession
from app.services import admin, habits
from app.services.errors import Forbidden, InvalidInput, NotFound
from app.services.principals import Principal
from tests.integration.test_services import new_principal


def as_admin(principal: Principal) -> Principal:
    return replace(principal, role="admin")


def add_session(engine: Engine, user_id: int, token: str) -> None:
    with session_scope(engine) as db:
        db.add(
            WebSession(token_hash=token, user_id=user_id, expires_at=datetime.now(UTC) + timedelta(days=1))
        )


def test_non_admins_are_refused_everything(engine: Engine):
    ada = new_principal(engine, "a", "Ada")
    bob = new_principal(engine, "b", "Bob")

    with session_scope(engine) as db, pytest.raises(Forbidden):
        admin.list_users(db, ada)
    with session_scope(engine) as db, pytest.raises(Forbidden):
        admin.set_user_disabled(db, ada, bob.user_id, True)
    with session_scope(engine) as db:
        assert db.get(User, bob.user_id).disabled is False  # type: ignore[union-attr]


def test_admin_lists_every_account_with_habit_counts(engine: Engine):
    ada = as_admin(new_principal(engine, "a", "Ada"))
    bob = new_principal(engine, "b", "Bob")
    with session_scope(engine) as db:
        habits.create_habit(db, bob, "Read")
        habits.create_habit(db, bob, "Walk")

    with session_scope(engine) as db:
        listed = admin.list_users(db, ada)

    assert [(u.display_name, u.habits, u.disabled) for u in listed] == [("Ada", 0, False), ("Bob", 2, False)]


def test_disabling_ends_all_sessions_and_enabling_restores_sign_in(engine: Engine):
    ada = as_admin(new_principal(engine, "a", "Ada"))
    bob = new_principal(engine, "b", "Bob")
    add_session(engine, bob.user_id, "1" * 64)
    add_session(engine, bob.user_id, "2" * 64)
    add_session(engine, ada.user_id, "3" * 64)

    with session_scope(engine) as db:
        admin.set_user_disabled(db, ada, bob.user_id, True)
    with session_scope(engine) as db:
        assert [s.user_id for s in db.exec(select(WebSession)).all()] == [ada.user_id]
        assert db.get(User, bob.user_id).disabled is True  # type: ignore[union-attr]
        admin.set_user_disabled(db, ada, bob.user_id, False)
    with session_scope(engine) as db:
        assert db.get(User, bob.user_id).disabled is False  # type: ignore[union-attr]


def test_admin_cannot_disable_themselves_or_a_missing_user(engine: Engine):
    ada = as_admin(new_principal(engine, "a", "Ada"))

    with session_scope(engine) as db, pytest.raises(InvalidInput):
        admin.set_user_disabled(db, ada, ada.user_id, True)
    with session_scope(engine) as db, pytest.raises(NotFound):
        admin.set_user_disabled(db, ada, ada.user_id + 100, True)
