"""Exports and JSON import against SQLite and PostgreSQL: lossless, idempotent, all or nothing."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import UTC, date, datetime, time
from typing import Any

import pytest
from sqlalchemy import Engine, event
from sqlmodel import Session, func, select

from app.db.engine import session_scope
from app.db.tables import Entry, Habit, ProgressCheckpoint, User
from app.domain.entries import DayEntry, EntryKind, HabitKind, Measure, TargetDirection
from app.domain.loop import DayNote, read_loop_csv_zip
from app.domain.schedules import FrequencySchedule
from app.services.data_export import export_json, export_loop_zip, import_json
from app.services.errors import InvalidInput
from app.services.principals import Principal
from app.services.profile import set_insights_window

TODAY = date(2026, 2, 1)
NOW = datetime(2026, 2, 1, 9, 30, tzinfo=UTC)


def principal_of(user: User) -> Principal:
    assert user.id is not None
    return Principal(user.id, user.display_name, user.role, user.timezone, user.day_start_hour)


def add_user(db: Session, email: str, name: str, timezone: str = "UTC", day_start_hour: int = 0) -> Principal:
    user = User(display_name=name, email=email, timezone=timezone, day_start_hour=day_start_hour)
    db.add(user)
    db.flush()
    return principal_of(user)


def at(day: int, hour: int, micro: int = 0) -> datetime:
    return datetime(2026, 1, day, hour, 15, 30, micro, tzinfo=UTC)


def seed_ada(db: Session) -> Principal:
    """Every field set to something other than its default, on three kinds of habit."""
    ada = add_user(db, "ada@example.org", "Ada Lovelace", "Europe/Paris", 4)
    set_insights_window(db, ada, "365")
    read = Habit(
        user_id=ada.user_id,
        name="Read",
        position=1,
        created_at=datetime(2025, 3, 4, 5, 6, 7, 891011, tzinfo=UTC),
        question="How many pages?",
        description="Novels count too.",
        category="Mind",
        color="teal",
        difficulty=4,
        target_time=time(21, 30),
        kind="measurable",
        unit="pages",
        target_value=20.5,
        target_direction="at_least",
    )
    gym = Habit(
        user_id=ada.user_id,
        name="Gym",
        position=2,
        archived=True,
        created_at=datetime(2025, 6, 1, tzinfo=UTC),
        color="tomato",
        difficulty=5,
        schedule_times=3,
        schedule_days=7,
        schedule_weekdays=0b0010101,  # Mon, Wed, Fri
        category="Body",
    )
    walk = Habit(
        user_id=ada.user_id,
        name="Walk",
        position=3,
        created_at=datetime(2025, 7, 1, tzinfo=UTC),
        schedule_times=2,
        schedule_days=3,
        import_key="loop:5f1e-uuid",
        color="indigo",
    )
    db.add_all([read, gym, walk])
    db.flush()
    assert read.id and gym.id and walk.id
    rows = [
        (read.id, 10, "done", 30.0, at(10, 21, 123456), 'A long chapter,\nwith "quotes"', 5, 2),
        (read.id, 11, "not_done", 0.0, at(11, 22), "", None, None),
        (read.id, 12, "skipped", None, at(12, 8), "Travel", 2, None),
        (gym.id, 5, "done", None, at(5, 18), "", None, 5),
        (gym.id, 7, "not_done", None, at(7, 19), "Sick", None, None),
        (walk.id, 20, "done", None, at(20, 7, 1), "", 4, None),
    ]
    for habit_id, day, kind, value, recorded_at, note, mood, felt in rows:
        db.add(
            Entry(
                habit_id=habit_id,
                day=date(2026, 1, day),
                kind=kind,
                value=value,
                recorded_at=recorded_at,
                note=note,
                mood=mood,
                felt_difficulty=felt,
            )
        )
    db.flush()
    return ada


def seed_bo_with_a_private_habit(db: Session) -> Principal:
    bo = add_user(db, "bo@example.org", "Bo")
    secret = Habit(user_id=bo.user_id, name="Bo private habit", position=1)
    db.add(secret)
    db.flush()
    assert secret.id
    db.add(Entry(habit_id=secret.id, day=date(2026, 1, 15), kind="done", note="Bo private note"))
    return bo


def counts(engine: Engine) -> tuple[int, int]:
    with session_scope(engine) as db:
        habits = db.exec(select(func.count()).select_from(Habit)).one()
        entries = db.exec(select(func.count()).select_from(Entry)).one()
    return habits, entries


def through_json_text(document: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(json.dumps(document))
    return result


def without_ids(document: dict[str, Any]) -> dict[str, Any]:
    """What must survive a restore into another account: all but ids, key and the email."""
    copy = json.loads(json.dumps(document))
    copy["profile"].pop("email")
    for habit in copy["habits"]:
        habit.pop("id")
        habit.pop("import_key")
    return copy


def test_json_round_trip_into_an_empty_account_restores_everything(engine: Engine):
    with session_scope(engine) as db:
        ada = seed_ada(db)
        empty = add_user(db, "new@example.org", "New account")
    with session_scope(engine) as db:
        exported = through_json_text(export_json(db, ada, NOW))

    with session_scope(engine) as db:
        outcome = import_json(db, empty, exported)
    assert (outcome.habits_created, outcome.habits_matched) == (3, 0)
    assert (outcome.entries_created, outcome.entries_updated, outcome.entries_unchanged) == (6, 0, 0)
    assert outcome.skipped == ()

    with session_scope(engine) as db:
        restored = export_json(db, empty, NOW)
        user = db.get(User, empty.user_id)
        assert user is not None
        assert (user.email, user.role) == ("new@example.org", "user")  # identity is never imported
    assert without_ids(restored) == without_ids(exported)
    assert restored["profile"] == {
        "display_name": "Ada Lovelace",
        "email": "new@example.org",
        "timezone": "Europe/Paris",
        "day_start_hour": 4,
        "insights_window": "365",
    }
    original_ids = [habit["id"] for habit in exported["habits"]]
    assert [habit["import_key"] for habit in restored["habits"]] == [
        f"json:{original_ids[0]}",
        f"json:{original_ids[1]}",
        "loop:5f1e-uuid",
    ]
    # Spot-check the values the comparison above covers, so a blank export cannot pass.
    read = restored["habits"][0]
    assert read["created_at"] == "2025-03-04T05:06:07.891011+00:00"
    assert read["target_time"] == "21:30:00"
    assert read["entries"][0] == {
        "day": "2026-01-10",
        "kind": "done",
        "value": 30.0,
        "note": 'A long chapter,\nwith "quotes"',
        "mood": 5,
        "felt_difficulty": 2,
        "recorded_at": "2026-01-10T21:15:30.123456+00:00",
    }
    assert restored["habits"][1]["schedule_weekdays"] == 0b0010101
    assert restored["habits"][1]["archived"] is True
    with session_scope(engine) as db:  # the import built the active habits' checkpoints
        saved = db.exec(
            select(ProgressCheckpoint.rule).join(Habit).where(Habit.user_id == empty.user_id)
        ).all()
    assert len(saved) == 2 and all(rule.endswith("|Europe/Paris") for rule in saved)


def test_a_second_json_import_changes_nothing(engine: Engine):
    with session_scope(engine) as db:
        ada = seed_ada(db)
        empty = add_user(db, "new@example.org", "New account")
    with session_scope(engine) as db:
        exported = through_json_text(export_json(db, ada, NOW))
    with session_scope(engine) as db:
        import_json(db, empty, exported)
    with session_scope(engine) as db:
        before = export_json(db, empty, NOW)

    with session_scope(engine) as db:
        again = import_json(db, empty, exported)

    assert (again.habits_created, again.habits_matched) == (0, 3)
    assert (again.entries_created, again.entries_updated, again.entries_unchanged) == (0, 0, 6)
    assert again.skipped == ()
    assert counts(engine) == (6, 12)
    with session_scope(engine) as db:
        assert export_json(db, empty, NOW) == before


def test_importing_into_an_account_with_habits_merges_and_keeps_the_profile(engine: Engine):
    with session_scope(engine) as db:
        ada = seed_ada(db)
        bo = seed_bo_with_a_private_habit(db)
    with session_scope(engine) as db:
        exported = through_json_text(export_json(db, ada, NOW))
        # Ada's edited note on a day: the import updates that one entry.
        exported["habits"][0]["entries"][0]["note"] = "Edited"

    with session_scope(engine) as db:
        outcome = import_json(db, bo, exported)
    assert (outcome.habits_created, outcome.entries_created) == (3, 6)
    assert outcome.skipped == (
        "Profile settings left as they were: the account already had habits, so this was a merge.",
    )
    with session_scope(engine) as db:
        merged = export_json(db, bo, NOW)
    assert merged["profile"]["display_name"] == "Bo"
    assert merged["profile"]["timezone"] == "UTC"
    assert [(h["name"], h["position"]) for h in merged["habits"]] == [
        ("Bo private habit", 1),
        ("Read", 2),
        ("Gym", 3),
        ("Walk", 4),
    ]

    with session_scope(engine) as db:
        exported["habits"][0]["entries"][0]["note"] = "Edited again"
        again = import_json(db, bo, exported)
    assert (again.entries_created, again.entries_updated, again.entries_unchanged) == (0, 1, 5)


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda doc: doc["habits"][2].update(color="chartreuse"), "Habit 'Walk' can't be imported: Pick one"),
        (
            lambda doc: doc["habits"][1]["entries"].append({"day": "2026-01-09"}),
            "habits[1].entries[2]: missing",
        ),
        (lambda doc: doc.update(version=2), "This export has version 2; this Habit Wizard reads version 1."),
        (
            lambda doc: doc["habits"][0].update(schedule_times=5, schedule_days=2),
            "Habit 'Read' can't be imported",
        ),
    ],
)
def test_a_bad_json_document_stores_nothing(engine: Engine, damage: Any, message: str):
    with session_scope(engine) as db:
        ada = seed_ada(db)
        empty = add_user(db, "new@example.org", "New account")
    with session_scope(engine) as db:
        exported = through_json_text(export_json(db, ada, NOW))
    damage(exported)
    before = counts(engine)

    with pytest.raises(InvalidInput) as raised, session_scope(engine) as db:
        import_json(db, empty, exported)

    assert str(raised.value).startswith(message)
    assert counts(engine) == before
    with session_scope(engine) as db:
        user = db.get(User, empty.user_id)
        assert user is not None
        assert (user.display_name, user.timezone, user.day_start_hour) == ("New account", "UTC", 0)


def test_loop_export_reads_back_through_the_loop_reader(engine: Engine):
    with session_scope(engine) as db:
        ada = seed_ada(db)
    with session_scope(engine) as db:
        data = export_loop_zip(db, ada, TODAY)

    read = read_loop_csv_zip(data)
    assert [habit.name for habit in read.habits] == ["Read", "Gym", "Walk"]
    book, gym, walk = read.habits
    assert book.kind is HabitKind.MEASURABLE
    assert book.measure == Measure(20.5, TargetDirection.AT_LEAST, "pages")
    assert (book.question, book.description, book.archived) == ("How many pages?", "Novels count too.", False)
    assert book.entries == (
        DayEntry(date(2026, 1, 10), EntryKind.DONE, 30.0),
        DayEntry(date(2026, 1, 11), EntryKind.NOT_DONE, 0.0),
        DayEntry(date(2026, 1, 12), EntryKind.SKIPPED),
    )
    assert book.notes == (
        DayNote(date(2026, 1, 10), 'A long chapter,\nwith "quotes"'),
        DayNote(date(2026, 1, 12), "Travel"),
    )
    # Loop has no weekday schedules: Mon/Wed/Fri is written as its frequency, 3 per 7 days.
    assert (gym.kind, gym.schedule, gym.archived) == (HabitKind.YES_NO, FrequencySchedule(3, 7), True)
    assert gym.entries == (
        DayEntry(date(2026, 1, 5), EntryKind.DONE),
        DayEntry(date(2026, 1, 7), EntryKind.NOT_DONE),
    )
    assert gym.notes == (DayNote(date(2026, 1, 7), "Sick"),)
    assert walk.schedule == FrequencySchedule(2, 3)
    assert walk.entries == (DayEntry(date(2026, 1, 20), EntryKind.DONE),)
    # Colours go through Loop's palette index and come back as the same named colour.
    assert [habit.color_index for habit in read.habits] == [9, 0, 6]
    assert read.report.entries_imported == 6


def test_another_persons_data_never_appears_in_an_export(engine: Engine):
    with session_scope(engine) as db:
        ada = seed_ada(db)
        seed_bo_with_a_private_habit(db)
    with session_scope(engine) as db:
        document = export_json(db, ada, NOW)
        archive = export_loop_zip(db, ada, TODAY)

    assert [habit["name"] for habit in document["habits"]] == ["Read", "Gym", "Walk"]
    assert sum(len(habit["entries"]) for habit in document["habits"]) == 6
    assert "Bo private" not in json.dumps(document)
    assert "bo@example.org" not in json.dumps(document)
    with zipfile.ZipFile(io.BytesIO(archive)) as opened:
        text = "".join(opened.read(name).decode() for name in opened.namelist())
        assert not any("Bo" in name for name in opened.namelist())
    assert "Bo private" not in text


def test_an_account_without_habits_exports_an_empty_document_and_zip(engine: Engine):
    with session_scope(engine) as db:
        empty = add_user(db, "new@example.org", "New account")
    with session_scope(engine) as db:
        document = export_json(db, empty, NOW)
        archive = export_loop_zip(db, empty, TODAY)
    assert document["habits"] == []
    assert document["exported_at"] == "2026-02-01T09:30:00+00:00"
    assert read_loop_csv_zip(archive).habits == ()


def count_statements(engine: Engine, work: Any) -> int:
    statements: list[str] = []

    def record(*args: Any) -> None:
        statements.append(args[2])

    event.listen(engine, "before_cursor_execute", record)
    try:
        with session_scope(engine) as db:
            work(db)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return len(statements)


def test_exports_use_the_same_number_of_queries_for_one_habit_or_many(engine: Engine):
    with session_scope(engine) as db:
        ada = seed_ada(db)
        small = add_user(db, "small@example.org", "Small")
        db.add(Habit(user_id=small.user_id, name="Only", position=1))

    def both(principal: Principal) -> Any:
        return lambda db: (export_json(db, principal, NOW), export_loop_zip(db, principal, TODAY))

    assert count_statements(engine, both(ada)) == count_statements(engine, both(small)) == 6
