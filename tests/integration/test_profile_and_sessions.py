"""Settings use cases on SQLite and PostgreSQL: the profile, and listing and revoking sessions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import select

from app.auth.sessions import hash_session_id, resolve_session, start_session
from app.config import Settings
from app.db.engine import session_scope
from app.db.tables import User, WebSession
from app.services import profile as profiles
from app.services import session_admin
from app.services.errors import InvalidInput, NotFound
from app.services.principals import Principal
from app.services.profile import Profile
from app.services.session_admin import SessionRow, summarise_user_agent
from tests.integration.test_services import new_principal

NOW = datetime(2024, 3, 10, 12, 0, tzinfo=UTC)
# 30 idle minutes, 2 hours in all: short enough to put sessions on either side of each limit.
SETTINGS = Settings(session_idle_timeout_minutes=30, session_max_lifetime_hours=2)
FIREFOX_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0"
SAFARI_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1"
)
CHROME_LINUX = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36"
)


@pytest.fixture
def ada(engine: Engine) -> Principal:
    return new_principal(engine, "sub-ada", "Ada")


@pytest.fixture
def bob(engine: Engine) -> Principal:
    return new_principal(engine, "sub-bob", "Bob")


def stored_profile(engine: Engine, principal: Principal) -> Profile:
    with session_scope(engine) as db:
        return profiles.profile_of(db, principal)


def update(engine: Engine, principal: Principal, name: str, timezone: str, hour: int) -> Profile:
    with session_scope(engine) as db:
        return profiles.update_profile(db, principal, name, timezone, hour)


def open_session(engine: Engine, principal: Principal, user_agent: str, started: datetime = NOW) -> str:
    """Sign `principal` in at `started`; returns the cookie's session id."""
    with session_scope(engine) as db:
        user = db.get(User, principal.user_id)
        assert user is not None
        return start_session(
            db,
            user,
            settings=SETTINGS,
            now=started,
            user_agent=user_agent,
            provider="dev",
            id_token_hint=None,
        )


def row_id(engine: Engine, session_id: str) -> int:
    with session_scope(engine) as db:
        found = db.exec(
            select(WebSession.id).where(WebSession.token_hash == hash_session_id(session_id))
        ).one()
    assert found is not None
    return found


def listed(
    engine: Engine, principal: Principal, current: str | None, now: datetime = NOW
) -> list[SessionRow]:
    with session_scope(engine) as db:
        return session_admin.list_sessions(db, principal, current, now=now, settings=SETTINGS)


def still_works(engine: Engine, session_id: str, now: datetime = NOW) -> bool:
    with session_scope(engine) as db:
        return resolve_session(db, session_id, settings=SETTINGS, now=now) is not None


def session_owners(engine: Engine) -> list[int]:
    with session_scope(engine) as db:
        return sorted(db.exec(select(WebSession.user_id)).all())


# Profile -------------------------------------------------------------------------------------


def test_a_new_account_has_the_default_profile(engine: Engine, ada: Principal) -> None:
    assert stored_profile(engine, ada) == Profile("Ada", "UTC", 0)


def test_update_stores_the_trimmed_name_the_zone_and_the_hour(engine: Engine, ada: Principal) -> None:
    saved = update(engine, ada, "  Ada King  ", " Europe/Berlin ", 3)

    assert saved == Profile("Ada King", "Europe/Berlin", 3)
    assert stored_profile(engine, ada) == Profile("Ada King", "Europe/Berlin", 3)


def test_boundaries_are_accepted(engine: Engine, ada: Principal) -> None:
    assert update(engine, ada, "x" * 200, "UTC", 23) == Profile("x" * 200, "UTC", 23)
    assert update(engine, ada, "A", "America/Argentina/Buenos_Aires", 0) == Profile(
        "A", "America/Argentina/Buenos_Aires", 0
    )
    assert stored_profile(engine, ada) == Profile("A", "America/Argentina/Buenos_Aires", 0)


@pytest.mark.parametrize(
    ("name", "timezone", "hour", "message"),
    [
        ("", "Europe/Berlin", 3, "Give your name."),
        ("   ", "Europe/Berlin", 3, "Give your name."),
        ("x" * 201, "Europe/Berlin", 3, "Keep your name to 200 characters (this one has 201)."),
        ("Ada King", "Mars/Olympus_Mons", 3, "Unknown time zone 'Mars/Olympus_Mons'. Pick one from the list"),
        ("Ada King", "europe/berlin", 3, "Unknown time zone 'europe/berlin'."),
        ("Ada King", "", 3, "Unknown time zone ''."),
        ("Ada King", "../../etc/passwd", 3, "Unknown time zone '../../etc/passwd'."),
        ("Ada King", "posixrules", 3, "Unknown time zone 'posixrules'."),
        ("Ada King", "Factory", 3, "Unknown time zone 'Factory'."),
        ("Ada King", "Europe/Berlin", 24, "The day start hour must be a whole hour from 0 to 23, not 24."),
        ("Ada King", "Europe/Berlin", -1, "The day start hour must be a whole hour from 0 to 23, not -1."),
    ],
)
def test_bad_input_is_refused_with_a_message_and_stores_nothing(
    engine: Engine, ada: Principal, name: str, timezone: str, hour: int, message: str
) -> None:
    update(engine, ada, "Ada", "Asia/Tokyo", 5)

    with pytest.raises(InvalidInput) as refused:
        update(engine, ada, name, timezone, hour)

    assert str(refused.value).startswith(message)
    assert stored_profile(engine, ada) == Profile("Ada", "Asia/Tokyo", 5)


def test_updating_one_profile_leaves_the_other_person_alone(
    engine: Engine, ada: Principal, bob: Principal
) -> None:
    update(engine, ada, "Ada King", "Europe/London", 4)

    assert stored_profile(engine, bob) == Profile("Bob", "UTC", 0)


def test_the_offered_zones_are_sorted_place_names() -> None:
    names = profiles.timezone_names()

    assert list(names) == sorted(names)
    assert {"UTC", "Europe/Berlin", "America/New_York"} <= set(names)
    assert {"Factory", "localtime", "posixrules"}.isdisjoint(names)


# Sessions ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("user_agent", "summary"),
    [
        (FIREFOX_WINDOWS, "Firefox on Windows"),
        (SAFARI_IPHONE, "Safari on iOS"),
        (CHROME_LINUX, "Chrome on Linux"),
        (CHROME_LINUX.replace("Chrome/", "HeadlessChrome/"), "Headless Chrome on Linux"),
        (
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.51",
            "Edge on macOS",
        ),
        (
            "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/124.0.0.0 Mobile Safari/537.36",
            "Chrome on Android",
        ),
        ("curl/8.5.0", "curl/8.5.0"),
        ("", "Unknown device"),
    ],
)
def test_user_agents_are_summarised_as_browser_and_system(user_agent: str, summary: str) -> None:
    assert summarise_user_agent(user_agent) == summary


def test_listing_shows_only_own_active_sessions_current_first(
    engine: Engine, ada: Principal, bob: Principal
) -> None:
    laptop = open_session(engine, ada, FIREFOX_WINDOWS, started=NOW - timedelta(minutes=20))
    phone = open_session(engine, ada, SAFARI_IPHONE, started=NOW - timedelta(minutes=10))
    open_session(engine, ada, CHROME_LINUX, started=NOW - timedelta(minutes=31))  # idle too long
    open_session(engine, bob, CHROME_LINUX, started=NOW - timedelta(minutes=5))

    rows = listed(engine, ada, current=laptop)

    assert rows == [
        SessionRow(
            row_id(engine, laptop),
            NOW - timedelta(minutes=20),
            NOW - timedelta(minutes=20),
            "Firefox on Windows",
            "dev",
            current=True,
        ),
        SessionRow(
            row_id(engine, phone),
            NOW - timedelta(minutes=10),
            NOW - timedelta(minutes=10),
            "Safari on iOS",
            "dev",
            current=False,
        ),
    ]


def test_sessions_past_their_lifetime_are_not_listed(engine: Engine, ada: Principal) -> None:
    session_id = open_session(engine, ada, FIREFOX_WINDOWS)
    with session_scope(engine) as db:  # seen a minute before the two-hour lifetime ends
        row = db.exec(select(WebSession)).one()
        row.last_seen_at = NOW + timedelta(hours=2) - timedelta(minutes=1)
        db.add(row)

    assert [r.current for r in listed(engine, ada, session_id, now=NOW + timedelta(minutes=119))] == [True]
    assert listed(engine, ada, session_id, now=NOW + timedelta(hours=2)) == []


def test_without_a_current_session_none_is_marked_current(engine: Engine, ada: Principal) -> None:
    open_session(engine, ada, FIREFOX_WINDOWS)

    assert [row.current for row in listed(engine, ada, current=None)] == [False]
    assert [row.current for row in listed(engine, ada, current="not-a-session")] == [False]


def test_revoking_an_own_session_ends_only_that_one(engine: Engine, ada: Principal) -> None:
    laptop = open_session(engine, ada, FIREFOX_WINDOWS)
    phone = open_session(engine, ada, SAFARI_IPHONE)

    with session_scope(engine) as db:
        session_admin.revoke_session(db, ada, row_id(engine, phone))

    assert not still_works(engine, phone)
    assert still_works(engine, laptop)
    assert [row.device for row in listed(engine, ada, laptop)] == ["Firefox on Windows"]


@pytest.mark.parametrize("missing", [0, -1, 999_999, 2**40])
def test_revoking_a_missing_session_is_not_found(engine: Engine, ada: Principal, missing: int) -> None:
    laptop = open_session(engine, ada, FIREFOX_WINDOWS)

    with pytest.raises(NotFound, match="That session does not exist"), session_scope(engine) as db:
        session_admin.revoke_session(db, ada, missing)

    assert still_works(engine, laptop)


def test_revoking_another_persons_session_is_not_found_and_leaves_it_working(
    engine: Engine, ada: Principal, bob: Principal
) -> None:
    bobs = open_session(engine, bob, CHROME_LINUX)

    with pytest.raises(NotFound) as refused, session_scope(engine) as db:
        session_admin.revoke_session(db, ada, row_id(engine, bobs))

    assert str(refused.value) == "That session does not exist (it may have ended already)."
    assert still_works(engine, bobs)
    assert session_owners(engine) == [bob.user_id]


def test_signing_out_everywhere_ends_every_own_session_and_no_one_elses(
    engine: Engine, ada: Principal, bob: Principal
) -> None:
    own = [open_session(engine, ada, agent) for agent in (FIREFOX_WINDOWS, SAFARI_IPHONE, CHROME_LINUX)]
    bobs = open_session(engine, bob, CHROME_LINUX)

    with session_scope(engine) as db:
        ended = session_admin.revoke_all_sessions(db, ada)

    assert ended == 3
    assert [still_works(engine, session_id) for session_id in own] == [False, False, False]
    assert still_works(engine, bobs)
    assert session_owners(engine) == [bob.user_id]


@pytest.mark.parametrize("window", ["7", "30", "90", "365", "all"])
def test_the_default_insights_window_is_stored(engine: Engine, ada: Principal, bob: Principal, window: str):
    with session_scope(engine) as db:
        profiles.set_insights_window(db, ada, window)

    assert stored_profile(engine, ada).insights_window == window
    assert stored_profile(engine, bob).insights_window == "30"


@pytest.mark.parametrize("window", ["custom", "14", "", "ALL"])
def test_an_unknown_default_window_is_refused_and_stores_nothing(engine: Engine, ada: Principal, window: str):
    with session_scope(engine) as db, pytest.raises(InvalidInput, match="default window"):
        profiles.set_insights_window(db, ada, window)

    assert stored_profile(engine, ada).insights_window == "30"
