"""The detail page's use case on SQLite and PostgreSQL: exact values, isolation, query count."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta

import pytest
from sqlalchemy import Engine, event

from app.db.engine import session_scope
from app.db.tables import Entry
from app.domain.entries import EntryKind, HabitKind, TargetDirection
from app.domain.habit_definition import define_habit, schedule_from
from app.domain.streaks import Streak
from app.services import habits
from app.services.errors import NotFound
from app.services.habit_history import DayNote, HabitHistory, habit_history
from app.services.habits import EntryDetails
from app.services.principals import Principal
from tests.integration.test_services import new_principal

TODAY = date(2024, 3, 10)  # a Sunday
M = 0.5 ** (1 / 13)  # a daily habit keeps this share of yesterday's strength


def day(number: int) -> date:
    return date(2024, 3, number)


# Friday 1 March .. Saturday 9 March 2024; the 6th and today (the 10th) have no entry.
SMALL_HISTORY = {
    day(1): EntryDetails(EntryKind.DONE, note="First go"),
    day(2): EntryDetails(EntryKind.DONE),
    day(3): EntryDetails(EntryKind.SKIPPED),
    day(4): EntryDetails(EntryKind.DONE, note="Felt good", mood=4, felt_difficulty=2),
    day(5): EntryDetails(EntryKind.NOT_DONE),
    day(7): EntryDetails(EntryKind.DONE),
    day(8): EntryDetails(EntryKind.DONE),
    day(9): EntryDetails(EntryKind.DONE, note="Three in a row"),
}


def create_daily_habit(engine: Engine, principal: Principal, name: str) -> int:
    with session_scope(engine) as db:
        habit_id = habits.create_habit(db, principal, name).id
    assert habit_id is not None
    return habit_id


def record(engine: Engine, principal: Principal, habit_id: int, history: dict[date, EntryDetails]) -> None:
    with session_scope(engine) as db:
        for when, details in history.items():
            habits.record_entry(db, principal, habit_id, when, TODAY, details)


def load(engine: Engine, principal: Principal, habit_id: int, today: date = TODAY) -> HabitHistory:
    with session_scope(engine) as db:
        return habit_history(db, principal, habit_id, today)


@contextmanager
def counted_queries(engine: Engine) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(_conn, _cursor, statement, _parameters, _context, _executemany) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


@pytest.fixture
def ada(engine: Engine) -> Principal:
    return new_principal(engine, "ada-subject", "Ada")


def test_small_history_gives_exact_streaks_stats_strength_and_notes(engine: Engine, ada: Principal) -> None:
    habit_id = create_daily_habit(engine, ada, "Stretch")
    record(engine, ada, habit_id, SMALL_HISTORY)

    history = load(engine, ada, habit_id)

    assert (history.habit_id, history.name, history.kind, history.today) == (
        habit_id,
        "Stretch",
        HabitKind.YES_NO,
        TODAY,
    )
    assert history.first_day == day(1)  # the first entry predates the habit's creation
    assert [(e.day, e.kind, e.done) for e in history.entries] == [
        (day(1), EntryKind.DONE, True),
        (day(2), EntryKind.DONE, True),
        (day(3), EntryKind.SKIPPED, False),
        (day(4), EntryKind.DONE, True),
        (day(5), EntryKind.NOT_DONE, False),
        (day(7), EntryKind.DONE, True),
        (day(8), EntryKind.DONE, True),
        (day(9), EntryKind.DONE, True),
    ]
    fourth = history.entries[3]
    assert (fourth.note, fourth.mood, fourth.felt_difficulty, fourth.value) == ("Felt good", 4, 2, None)

    # Skips are neutral; the 5th (not done) and the 6th (nothing) break; today is still open.
    current = Streak(day(7), day(9), 3)
    assert history.streaks.current == current
    assert history.streaks.best == current  # ties go to the more recent streak
    assert history.streaks.top == (current, Streak(day(1), day(4), 3))

    # 10 days in the window, 1 skipped: 6 done out of 9 expected.
    assert history.stats.completion_rate == pytest.approx(6 / 9)
    assert history.stats.check_ins == 6
    assert history.stats.done_by_weekday == (1, 0, 0, 1, 2, 2, 0)  # Mon .. Sun
    assert history.stats.last_check_in == day(9)
    assert (history.stats.start, history.stats.end) == (day(1), TODAY)

    # done, done, skip (unchanged), done, not done, nothing, done, done, done, today open.
    score, expected = 0.0, []
    for done in (1, 1, None, 1, 0, 0, 1, 1, 1, 0):
        if done is not None:
            score = score * M + done * (1 - M)
        expected.append(score)
    assert [point.day for point in history.strength] == [day(n) for n in range(1, 11)]
    assert [point.score for point in history.strength] == pytest.approx(expected, abs=1e-12)
    assert history.current_strength == pytest.approx(expected[-1], abs=1e-12)
    assert history.current_strength == pytest.approx(0.247493, abs=1e-6)

    assert history.notes == (
        DayNote(day(9), "Three in a row"),
        DayNote(day(4), "Felt good"),
        DayNote(day(1), "First go"),
    )


def test_days_after_today_are_left_out(engine: Engine, ada: Principal) -> None:
    habit_id = create_daily_habit(engine, ada, "Stretch")
    record(engine, ada, habit_id, SMALL_HISTORY)

    history = load(engine, ada, habit_id, today=day(4))

    assert [entry.day for entry in history.entries] == [day(1), day(2), day(3), day(4)]
    assert history.strength[-1].day == day(4)
    assert history.streaks.current == Streak(day(1), day(4), 3)
    assert history.stats.check_ins == 3
    assert [note.day for note in history.notes] == [day(4), day(1)]


def test_new_habit_without_entries_has_empty_history(engine: Engine, ada: Principal) -> None:
    habit_id = create_daily_habit(engine, ada, "Stretch")

    history = load(engine, ada, habit_id)

    assert history.entries == ()
    assert history.strength == ()
    assert history.current_strength == 0.0
    assert (history.streaks.current, history.streaks.best, history.streaks.top) == (None, None, ())
    assert history.stats.check_ins == 0
    assert history.stats.last_check_in is None
    assert history.notes == ()
    # Created (by the wall clock) after the test's fixed today: the window is today alone.
    assert history.first_day == TODAY


def test_measurable_entries_are_done_only_when_they_meet_the_target(engine: Engine, ada: Principal) -> None:
    definition = define_habit(
        name="Read",
        schedule=schedule_from(1, 1, None),
        kind=HabitKind.MEASURABLE,
        unit="pages",
        target=10,
        direction=TargetDirection.AT_LEAST,
    )
    with session_scope(engine) as db:
        habit_id = habits.create_defined_habit(db, ada, definition).id
    assert habit_id is not None
    record(
        engine,
        ada,
        habit_id,
        {
            day(8): EntryDetails(EntryKind.DONE, value=12),
            day(9): EntryDetails(EntryKind.DONE, value=5, note="Short chapter"),
        },
    )

    history = load(engine, ada, habit_id)

    assert history.measure is not None
    assert (history.measure.target, history.measure.unit) == (10, "pages")
    assert [(e.day, e.value, e.done) for e in history.entries] == [(day(8), 12, True), (day(9), 5, False)]
    assert history.stats.check_ins == 1
    assert history.streaks.current is None  # the 9th missed the target, the 10th is open
    assert history.streaks.top == (Streak(day(8), day(8), 1),)
    # At least 10 a day: 12 pages counts as 1, 5 pages as 0.5, nothing today as 0.
    expected = ((1 - M) * M + 0.5 * (1 - M)) * M
    assert history.current_strength == pytest.approx(expected, abs=1e-12)


def test_another_users_habit_is_not_found_like_a_missing_one(engine: Engine, ada: Principal) -> None:
    habit_id = create_daily_habit(engine, ada, "Stretch")
    record(engine, ada, habit_id, SMALL_HISTORY)
    grace = new_principal(engine, "grace-subject", "Grace")

    with pytest.raises(NotFound) as other:
        load(engine, grace, habit_id)
    with pytest.raises(NotFound) as missing:
        load(engine, grace, habit_id + 1000)

    assert str(other.value) == str(missing.value) == "That habit does not exist."


def test_query_count_does_not_grow_with_the_history(engine: Engine, ada: Principal) -> None:
    habit_id = create_daily_habit(engine, ada, "Stretch")
    record(engine, ada, habit_id, SMALL_HISTORY)
    with counted_queries(engine) as small:
        load(engine, ada, habit_id)

    with session_scope(engine) as db:
        for offset in range(11, 411):  # 400 more days, all before 1 March
            db.add(Entry(habit_id=habit_id, day=day(1) - timedelta(days=offset), kind="done", note="x"))
    with counted_queries(engine) as large:
        history = load(engine, ada, habit_id)

    assert len(history.entries) == 408
    assert len(small) == len(large) == 2  # the habit, then its entries
