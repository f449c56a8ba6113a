"""Habit use cases on SQLite and PostgreSQL: definitions, entries, ordering, isolation, Today."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, time, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, event
from sqlmodel import Session, select

from app.db.engine import session_scope
from app.db.tables import Entry, Habit
from app.domain.entries import DayEntry, EntryKind, HabitKind, Measure, TargetDirection
from app.domain.habit_definition import HabitDefinition, define_habit
from app.domain.schedules import FrequencySchedule, Schedule, WeekdaySchedule
from app.domain.streaks import streak_summary
from app.domain.strength import strength_on
from app.services import habits
from app.services.errors import InvalidInput, NotFound
from app.services.habits import EntryDetails, TodayHabit
from app.services.principals import Principal
from tests.integration.test_services import count, new_principal

TODAY = date(2024, 3, 13)  # a Wednesday
TUESDAY = date(2024, 3, 12)
DAILY = FrequencySchedule(1, 1)
MON_WED_FRI = WeekdaySchedule(frozenset({0, 2, 4}))


@pytest.fixture
def ada(engine: Engine) -> Principal:
    return new_principal(engine, "sub-ada", "Ada")


@pytest.fixture
def bob(engine: Engine) -> Principal:
    return new_principal(engine, "sub-bob", "Bob")


# Helpers ------------------------------------------------------------------------------------


def define(name: str = "Read", schedule: Schedule = DAILY, **fields: Any) -> HabitDefinition:
    return define_habit(name=name, schedule=schedule, **fields)


def measurable(name: str = "Pages", target: float = 20.0, **fields: Any) -> HabitDefinition:
    return define(name, kind=HabitKind.MEASURABLE, unit="pages", target=target, **fields)


def create(engine: Engine, principal: Principal, definition: HabitDefinition | None = None) -> int:
    with session_scope(engine) as db:
        habit = habits.create_defined_habit(db, principal, definition or define())
        assert habit.id is not None
        return habit.id


def stored_habit(engine: Engine, habit_id: int) -> Habit:
    with session_scope(engine) as db:
        habit = db.get(Habit, habit_id)
    assert habit is not None
    return habit


def stored_entries(engine: Engine, habit_id: int) -> list[Entry]:
    with session_scope(engine) as db:
        return list(db.exec(select(Entry).where(Entry.habit_id == habit_id).order_by(Entry.day)).all())


def record(
    engine: Engine, principal: Principal, habit_id: int, details: EntryDetails, day: date = TODAY
) -> Entry:
    with session_scope(engine) as db:
        return habits.record_entry(db, principal, habit_id, day, TODAY, details)


def today_list(engine: Engine, principal: Principal, today: date = TODAY) -> list[TodayHabit]:
    with session_scope(engine) as db:
        return habits.list_today(db, principal, today)


def snapshot(engine: Engine) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Every habit and entry row, to prove that a refused call changed nothing."""
    with session_scope(engine) as db:
        habit_rows = [row.model_dump() for row in db.exec(select(Habit).order_by(Habit.id)).all()]
        entry_rows = [row.model_dump() for row in db.exec(select(Entry).order_by(Entry.id)).all()]
    return habit_rows, entry_rows


def entry_fields(entry: Entry) -> tuple[object, ...]:
    return (entry.day, entry.kind, entry.value, entry.note, entry.mood, entry.felt_difficulty)


# Creating and updating ------------------------------------------------------------------------


def test_create_defined_habit_stores_every_field_of_a_measurable_at_most_habit(
    engine: Engine, ada: Principal
) -> None:
    definition = define(
        "  Coffee   cups ",
        FrequencySchedule(3, 7),
        kind=HabitKind.MEASURABLE,
        unit=" cups ",
        target=2.5,
        direction=TargetDirection.AT_MOST,
        question=" Did you keep it low? ",
        description="Not after noon.",
        category=" Health  and  food ",
        color="amber",
        difficulty=4,
        target_time=time(11, 45),
    )
    habit_id = create(engine, ada, definition)

    row = stored_habit(engine, habit_id)
    assert (row.user_id, row.name, row.position, row.archived) == (ada.user_id, "Coffee cups", 1, False)
    assert (row.question, row.description, row.category) == (
        "Did you keep it low?",
        "Not after noon.",
        "Health and food",
    )
    assert (row.color, row.difficulty, row.target_time) == ("amber", 4, time(11, 45))
    assert (row.kind, row.unit, row.target_value, row.target_direction) == (
        "measurable",
        "cups",
        2.5,
        "at_most",
    )
    assert (row.schedule_times, row.schedule_days, row.schedule_weekdays) == (3, 7, None)


def test_create_defined_habit_stores_a_mon_wed_fri_weekday_schedule(engine: Engine, ada: Principal) -> None:
    habit_id = create(engine, ada, define("Gym", MON_WED_FRI, category="Body"))

    row = stored_habit(engine, habit_id)
    assert (row.kind, row.unit, row.target_value, row.target_direction) == ("yes_no", "", None, "at_least")
    assert (row.schedule_times, row.schedule_days, row.schedule_weekdays) == (3, 7, 0b0010101)
    assert (row.question, row.description, row.category, row.color, row.difficulty, row.target_time) == (
        "",
        "",
        "Body",
        "violet",
        3,
        None,
    )


def test_habits_are_appended_after_the_last_position(engine: Engine, ada: Principal) -> None:
    ids = [create(engine, ada, define(name)) for name in ("One", "Two", "Three")]
    assert [stored_habit(engine, habit_id).position for habit_id in ids] == [1, 2, 3]


def test_update_habit_changes_every_field(engine: Engine, ada: Principal) -> None:
    habit_id = create(engine, ada, define("Read", MON_WED_FRI, question="Read?", color="blue"))

    with session_scope(engine) as db:
        habits.update_habit(
            db,
            ada,
            habit_id,
            measurable(
                "Read more",
                target=30.0,
                schedule=FrequencySchedule(5, 7),
                question="How many pages?",
                description="Fiction counts.",
                category="Mind",
                color="teal",
                difficulty=2,
                target_time=time(22, 0),
            ),
        )

    row = stored_habit(engine, habit_id)
    assert (row.name, row.question, row.description, row.category) == (
        "Read more",
        "How many pages?",
        "Fiction counts.",
        "Mind",
    )
    assert (row.color, row.difficulty, row.target_time) == ("teal", 2, time(22, 0))
    assert (row.kind, row.unit, row.target_value, row.target_direction) == (
        "measurable",
        "pages",
        30.0,
        "at_least",
    )
    assert (row.schedule_times, row.schedule_days, row.schedule_weekdays) == (5, 7, None)
    assert (row.position, row.archived, row.user_id) == (1, False, ada.user_id)


def test_update_habit_keeps_entries_when_the_kind_stays(engine: Engine, ada: Principal) -> None:
    habit_id = create(engine, ada, measurable(target=20.0))
    record(engine, ada, habit_id, EntryDetails(EntryKind.DONE, 12.0))

    with session_scope(engine) as db:
        habits.update_habit(db, ada, habit_id, measurable("Pages read", target=10.0, schedule=MON_WED_FRI))

    row = stored_habit(engine, habit_id)
    assert (row.name, row.target_value, row.schedule_weekdays) == ("Pages read", 10.0, 0b0010101)
    assert [entry_fields(entry) for entry in stored_entries(engine, habit_id)] == [
        (TODAY, "done", 12.0, "", None, None)
    ]


@pytest.mark.parametrize(
    ("before", "after"),
    [(define("Read"), measurable("Read")), (measurable("Read"), define("Read"))],
    ids=["yes_no-to-measurable", "measurable-to-yes_no"],
)
def test_update_habit_refuses_switching_kind_once_entries_exist(
    engine: Engine, ada: Principal, before: HabitDefinition, after: HabitDefinition
) -> None:
    habit_id = create(engine, ada, before)
    record(engine, ada, habit_id, EntryDetails(EntryKind.SKIPPED))
    rows_before = snapshot(engine)

    with pytest.raises(InvalidInput) as raised, session_scope(engine) as db:
        habits.update_habit(db, ada, habit_id, after)

    assert str(raised.value) == "A habit with check-ins can't switch between yes/no and measurable."
    assert snapshot(engine) == rows_before


def test_update_habit_may_switch_kind_while_there_are_no_entries(engine: Engine, ada: Principal) -> None:
    habit_id = create(engine, ada, define("Read"))

    with session_scope(engine) as db:
        habits.update_habit(db, ada, habit_id, measurable("Read"))
    assert stored_habit(engine, habit_id).kind == "measurable"

    with session_scope(engine) as db:
        habits.update_habit(db, ada, habit_id, define("Read"))
    row = stored_habit(engine, habit_id)
    assert (row.kind, row.unit, row.target_value) == ("yes_no", "", None)


# Archiving, deleting, reordering ------------------------------------------------------------


def test_archived_habits_leave_today_and_come_back_when_unarchived(engine: Engine, ada: Principal) -> None:
    read = create(engine, ada, define("Read"))
    walk = create(engine, ada, define("Walk"))

    with session_scope(engine) as db:
        habits.set_archived(db, ada, read, True)
    assert stored_habit(engine, read).archived is True
    assert [row.habit_id for row in today_list(engine, ada)] == [walk]

    with session_scope(engine) as db:
        habits.set_archived(db, ada, read, False)
    assert stored_habit(engine, read).archived is False
    assert [row.habit_id for row in today_list(engine, ada)] == [read, walk]


def test_delete_habit_returns_the_entries_lost_and_removes_habit_and_entries(
    engine: Engine, ada: Principal
) -> None:
    doomed = create(engine, ada, define("Doomed"))
    kept = create(engine, ada, define("Kept"))
    for back in range(3):
        record(engine, ada, doomed, EntryDetails(EntryKind.DONE), TODAY - timedelta(days=back))
    record(engine, ada, kept, EntryDetails(EntryKind.DONE))

    with session_scope(engine) as db:
        lost = habits.delete_habit(db, ada, doomed)

    assert lost == 3
    with session_scope(engine) as db:
        assert db.get(Habit, doomed) is None
    assert stored_entries(engine, doomed) == []
    assert count(engine, Habit) == 1
    assert [entry.day for entry in stored_entries(engine, kept)] == [TODAY]


def test_delete_habit_without_entries_loses_nothing(engine: Engine, ada: Principal) -> None:
    habit_id = create(engine, ada)
    with session_scope(engine) as db:
        assert habits.delete_habit(db, ada, habit_id) == 0
    assert count(engine, Habit) == 0


def positions(engine: Engine, principal: Principal) -> list[tuple[str, int]]:
    with session_scope(engine) as db:
        rows = db.exec(
            select(Habit).where(Habit.user_id == principal.user_id).order_by(Habit.position, Habit.id)
        ).all()
        return [(row.name, row.position) for row in rows]


def move(engine: Engine, principal: Principal, habit_id: int, offset: int) -> None:
    with session_scope(engine) as db:
        habits.move_habit(db, principal, habit_id, offset)


def test_move_habit_up_and_down_reorders_positions(engine: Engine, ada: Principal, bob: Principal) -> None:
    one, two, three = (create(engine, ada, define(name)) for name in ("One", "Two", "Three"))
    for name in ("Bob 1", "Bob 2"):
        create(engine, bob, define(name))
    bob_before = positions(engine, bob)

    move(engine, ada, three, -1)
    assert positions(engine, ada) == [("One", 1), ("Three", 2), ("Two", 3)]
    move(engine, ada, one, +1)
    assert positions(engine, ada) == [("Three", 1), ("One", 2), ("Two", 3)]
    move(engine, ada, two, -1)
    assert positions(engine, ada) == [("Three", 1), ("Two", 2), ("One", 3)]
    assert [row.name for row in today_list(engine, ada)] == ["Three", "Two", "One"]
    assert positions(engine, bob) == bob_before


def test_move_habit_past_either_end_changes_nothing(engine: Engine, ada: Principal) -> None:
    first, _, last = (create(engine, ada, define(name)) for name in ("One", "Two", "Three"))
    before = snapshot(engine)

    move(engine, ada, first, -1)
    move(engine, ada, last, +1)

    assert snapshot(engine) == before


def test_move_habit_includes_archived_habits_in_the_order(engine: Engine, ada: Principal) -> None:
    one, two = create(engine, ada, define("One")), create(engine, ada, define("Two"))
    with session_scope(engine) as db:
        habits.set_archived(db, ada, one, True)

    move(engine, ada, two, -1)

    assert positions(engine, ada) == [("Two", 1), ("One", 2)]


# Recording entries --------------------------------------------------------------------------


def test_record_entry_creates_then_replaces_the_days_entry(engine: Engine, ada: Principal) -> None:
    habit_id = create(engine, ada)

    record(engine, ada, habit_id, EntryDetails(EntryKind.DONE, note="first", mood=2))
    record(engine, ada, habit_id, EntryDetails(EntryKind.SKIPPED, note="second", felt_difficulty=5))

    assert [entry_fields(entry) for entry in stored_entries(engine, habit_id)] == [
        (TODAY, "skipped", None, "second", None, 5)
    ]


def test_record_entry_stores_trimmed_note_mood_and_felt_difficulty(engine: Engine, ada: Principal) -> None:
    habit_id = create(engine, ada, measurable(target=20.0))
    yesterday = TODAY - timedelta(days=1)

    record(engine, ada, habit_id, EntryDetails(EntryKind.DONE, 12.5, "  Good chapter.\n ", 4, 2), yesterday)

    [entry] = stored_entries(engine, habit_id)
    assert entry_fields(entry) == (yesterday, "done", 12.5, "Good chapter.", 4, 2)
    assert entry.recorded_at.tzinfo is not None


@pytest.mark.parametrize("rating", [1, 5])
def test_record_entry_accepts_ratings_at_both_ends(engine: Engine, ada: Principal, rating: int) -> None:
    habit_id = create(engine, ada)
    record(engine, ada, habit_id, EntryDetails(EntryKind.DONE, mood=rating, felt_difficulty=rating))
    [entry] = stored_entries(engine, habit_id)
    assert (entry.mood, entry.felt_difficulty) == (rating, rating)


def test_record_entry_accepts_a_note_of_1000_characters(engine: Engine, ada: Principal) -> None:
    habit_id = create(engine, ada)
    record(engine, ada, habit_id, EntryDetails(EntryKind.DONE, note="n" * 1000))
    assert stored_entries(engine, habit_id)[0].note == "n" * 1000


def test_record_entry_limits_the_note_after_trimming(engine: Engine, ada: Principal) -> None:
    habit_id = create(engine, ada)
    record(engine, ada, habit_id, EntryDetails(EntryKind.DONE, note="  " + "n" * 1000 + "\n"))
    assert stored_entries(engine, habit_id)[0].note == "n" * 1000


def test_record_entry_drops_a_value_for_yes_no_habits(engine: Engine, ada: Principal) -> None:
    habit_id = create(engine, ada)
    record(engine, ada, habit_id, EntryDetails(EntryKind.DONE, value=7.0))
    assert [entry_fields(entry) for entry in stored_entries(engine, habit_id)] == [
        (TODAY, "done", None, "", None, None)
    ]


def test_record_entry_skips_of_measurable_habits_need_no_amount(engine: Engine, ada: Principal) -> None:
    habit_id = create(engine, ada, measurable())
    record(engine, ada, habit_id, EntryDetails(EntryKind.SKIPPED))
    assert [entry_fields(entry) for entry in stored_entries(engine, habit_id)] == [
        (TODAY, "skipped", None, "", None, None)
    ]


@pytest.mark.parametrize("value", [-5.0, float("nan"), 3.0])
def test_record_entry_drops_any_amount_sent_with_a_skip(engine: Engine, ada: Principal, value: float) -> None:
    """A skip logs nothing; a bad amount riding along must not be stored (it would break Today)."""
    habit_id = create(engine, ada, measurable())
    record(engine, ada, habit_id, EntryDetails(EntryKind.SKIPPED, value))

    assert [entry_fields(entry) for entry in stored_entries(engine, habit_id)] == [
        (TODAY, "skipped", None, "", None, None)
    ]
    [row] = today_list(engine, ada)
    assert (row.entry_kind, row.entry_value) == (EntryKind.SKIPPED, None)


def test_record_entry_accepts_a_zero_amount(engine: Engine, ada: Principal) -> None:
    habit_id = create(engine, ada, measurable())
    record(engine, ada, habit_id, EntryDetails(EntryKind.NOT_DONE, 0.0))
    assert stored_entries(engine, habit_id)[0].value == 0.0


REFUSED_ENTRIES = [
    pytest.param(
        "yes_no", TODAY + timedelta(days=1), EntryDetails(EntryKind.DONE),
        "You can't record a day that hasn't started yet.", id="future-day",
    ),
    pytest.param(
        "yes_no", TODAY, EntryDetails(EntryKind.DONE, mood=0), "Mood goes from 1 to 5.", id="mood-0",
    ),
    pytest.param(
        "yes_no", TODAY, EntryDetails(EntryKind.DONE, mood=6), "Mood goes from 1 to 5.", id="mood-6",
    ),
    pytest.param(
        "yes_no", TODAY, EntryDetails(EntryKind.DONE, felt_difficulty=0),
        "Felt difficulty goes from 1 to 5.", id="felt-0",
    ),
    pytest.param(
        "yes_no", TODAY, EntryDetails(EntryKind.DONE, felt_difficulty=6),
        "Felt difficulty goes from 1 to 5.", id="felt-6",
    ),
    pytest.param(
        "yes_no", TODAY, EntryDetails(EntryKind.DONE, note="n" * 1001),
        "Keep the note to 1000 characters.", id="note-1001",
    ),
    pytest.param(
        "measurable", TODAY, EntryDetails(EntryKind.DONE), "Enter an amount of zero or more (pages).",
        id="missing-amount",
    ),
    pytest.param(
        "measurable", TODAY, EntryDetails(EntryKind.NOT_DONE), "Enter an amount of zero or more (pages).",
        id="missing-amount-not-done",
    ),
    pytest.param(
        "measurable", TODAY, EntryDetails(EntryKind.DONE, -1.0), "Enter an amount of zero or more (pages).",
        id="negative-amount",
    ),
    pytest.param(
        "measurable", TODAY, EntryDetails(EntryKind.DONE, float("nan")),
        "Enter an amount of zero or more (pages).", id="nan-amount",
    ),
    pytest.param(
        "measurable", TODAY, EntryDetails(EntryKind.DONE, float("inf")),
        "Enter an amount of zero or more (pages).", id="inf-amount",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("kind", "day", "details", "message"), REFUSED_ENTRIES)
def test_record_entry_refuses_bad_input_and_stores_nothing(
    engine: Engine, ada: Principal, kind: str, day: date, details: EntryDetails, message: str
) -> None:
    habit_id = create(engine, ada, measurable() if kind == "measurable" else define())
    record(
        engine, ada, habit_id, EntryDetails(EntryKind.DONE, 21.0 if kind == "measurable" else None, "kept")
    )
    entries_before = count(engine, Entry)
    rows_before = snapshot(engine)

    with pytest.raises(InvalidInput) as raised:
        record(engine, ada, habit_id, details, day)

    assert str(raised.value) == message
    assert count(engine, Entry) == entries_before == 1
    assert snapshot(engine) == rows_before


@pytest.mark.parametrize("kind", ["yes_no", "measurable"])
def test_record_entry_refusal_on_an_empty_day_stores_no_row(
    engine: Engine, ada: Principal, kind: str
) -> None:
    habit_id = create(engine, ada, measurable() if kind == "measurable" else define())

    with pytest.raises(InvalidInput):
        record(engine, ada, habit_id, EntryDetails(EntryKind.DONE, -1.0, mood=9))

    assert count(engine, Entry) == 0


# Isolation between users ----------------------------------------------------------------------


def _update(db: Session, who: Principal, habit_id: int) -> object:
    return habits.update_habit(db, who, habit_id, define("Hijacked", color="red"))


CROSS_USER_CALLS: dict[str, Callable[[Session, Principal, int], object]] = {
    "update_habit": _update,
    "set_archived": lambda db, who, habit_id: habits.set_archived(db, who, habit_id, True),
    "delete_habit": lambda db, who, habit_id: habits.delete_habit(db, who, habit_id),
    "move_habit_up": lambda db, who, habit_id: habits.move_habit(db, who, habit_id, -1),
    "move_habit_down": lambda db, who, habit_id: habits.move_habit(db, who, habit_id, +1),
    "record_entry": lambda db, who, habit_id: habits.record_entry(
        db, who, habit_id, TODAY - timedelta(days=1), TODAY, EntryDetails(EntryKind.SKIPPED, note="x")
    ),
    "check_in": lambda db, who, habit_id: habits.check_in(
        db, who, habit_id, TODAY - timedelta(days=1), TODAY
    ),
    "undo_check_in": lambda db, who, habit_id: habits.undo_check_in(db, who, habit_id, TODAY),
}


@pytest.mark.parametrize("call", CROSS_USER_CALLS.values(), ids=CROSS_USER_CALLS.keys())
def test_another_users_habit_id_is_not_found_and_nothing_changes(
    engine: Engine, ada: Principal, bob: Principal, call: Callable[[Session, Principal, int], object]
) -> None:
    first = create(engine, ada, define("Ada first"))
    second = create(engine, ada, define("Ada second"))
    create(engine, bob, define("Bob's own"))
    for habit_id in (first, second):
        record(engine, ada, habit_id, EntryDetails(EntryKind.DONE, note="mine"))
    before = snapshot(engine)

    for habit_id in (first, second):
        with pytest.raises(NotFound) as raised, session_scope(engine) as db:
            call(db, bob, habit_id)
        assert str(raised.value) == "That habit does not exist."

    assert snapshot(engine) == before
    assert [row.name for row in today_list(engine, ada)] == ["Ada first", "Ada second"]


@pytest.mark.parametrize("call", CROSS_USER_CALLS.values(), ids=CROSS_USER_CALLS.keys())
def test_unknown_habit_id_is_not_found(
    engine: Engine, ada: Principal, call: Callable[[Session, Principal, int], object]
) -> None:
    create(engine, ada)
    with pytest.raises(NotFound), session_scope(engine) as db:
        call(db, ada, 987_654)


# Today ----------------------------------------------------------------------------------------


def test_weekday_habit_is_not_scheduled_on_an_unscheduled_weekday(engine: Engine, ada: Principal) -> None:
    assert (TUESDAY.weekday(), TODAY.weekday()) == (1, 2)
    create(engine, ada, define("Gym", MON_WED_FRI))
    create(engine, ada, define("Read"))

    on_tuesday = today_list(engine, ada, TUESDAY)
    on_wednesday = today_list(engine, ada, TODAY)

    assert [(row.name, row.scheduled_today) for row in on_tuesday] == [("Gym", False), ("Read", True)]
    assert [(row.name, row.scheduled_today) for row in on_wednesday] == [("Gym", True), ("Read", True)]


def test_today_reports_the_definition_fields(engine: Engine, ada: Principal) -> None:
    habit_id = create(
        engine, ada, measurable("Pages", target=25.0, question="Pages?", category="Mind", color="teal")
    )

    [row] = today_list(engine, ada)

    assert (row.habit_id, row.name, row.question, row.category, row.color) == (
        habit_id,
        "Pages",
        "Pages?",
        "Mind",
        "teal",
    )
    assert (row.kind, row.unit, row.target) == (HabitKind.MEASURABLE, "pages", 25.0)
    assert (row.entry_kind, row.entry_value, row.done_today) == (None, None, False)


def test_today_reflects_todays_entry(engine: Engine, ada: Principal) -> None:
    skipped = create(engine, ada, define("Skipped"))
    pages = create(engine, ada, measurable("Pages"))
    done = create(engine, ada, define("Done"))
    nothing = create(engine, ada, define("Nothing"))
    record(engine, ada, skipped, EntryDetails(EntryKind.SKIPPED))
    record(engine, ada, pages, EntryDetails(EntryKind.DONE, 12.5))
    record(engine, ada, done, EntryDetails(EntryKind.DONE))
    record(engine, ada, nothing, EntryDetails(EntryKind.DONE), TODAY - timedelta(days=1))

    rows = {row.habit_id: row for row in today_list(engine, ada)}

    assert (rows[skipped].entry_kind, rows[skipped].entry_value, rows[skipped].done_today) == (
        EntryKind.SKIPPED,
        None,
        False,
    )
    assert (rows[pages].entry_kind, rows[pages].entry_value) == (EntryKind.DONE, 12.5)
    assert (rows[done].entry_kind, rows[done].done_today) == (EntryKind.DONE, True)
    assert (rows[nothing].entry_kind, rows[nothing].entry_value) == (None, None)


def _history(
    today: date, days: int, pattern: Callable[[int], tuple[EntryKind, float | None] | None]
) -> list[DayEntry]:
    """DayEntry values for the last `days` days; `pattern(back)` says what was recorded `back` days ago."""
    entries = []
    for back in range(days):
        recorded = pattern(back)
        if recorded is not None:
            entries.append(DayEntry(today - timedelta(days=back), recorded[0], recorded[1]))
    return entries


HISTORIES: list[Any] = [
    pytest.param(
        define("Daily"), lambda back: None if back % 5 == 4 else (EntryKind.DONE, None), id="daily-yes-no"
    ),
    pytest.param(
        define("Three a week", FrequencySchedule(3, 7)),
        lambda back: (
            (EntryKind.DONE, None) if back % 3 == 0 else (EntryKind.SKIPPED, None) if back == 4 else None
        ),
        id="three-per-week",
    ),
    pytest.param(
        define("Gym", MON_WED_FRI),
        lambda back: (EntryKind.DONE, None) if (TODAY - timedelta(days=back)).weekday() in (0, 2) else None,
        id="weekdays",
    ),
    pytest.param(
        measurable("Pages", target=20.0),
        lambda back: (EntryKind.DONE, float(25 - back % 17)) if back != 6 else (EntryKind.SKIPPED, None),
        id="measurable-at-least",
    ),
    pytest.param(
        measurable("Coffee", target=2.0, direction=TargetDirection.AT_MOST),
        lambda back: (EntryKind.DONE, float(back % 4)) if back % 9 else None,
        id="measurable-at-most",
    ),
]


@pytest.mark.parametrize(("definition", "pattern"), HISTORIES)
def test_today_strength_and_streak_match_the_domain(
    engine: Engine,
    ada: Principal,
    definition: HabitDefinition,
    pattern: Callable[[int], tuple[EntryKind, float | None] | None],
) -> None:
    habit_id = create(engine, ada, definition)
    history = _history(TODAY, 60, pattern)
    # Record in a shuffled order: the result must not depend on it.
    for entry in history[::2] + history[1::2]:
        record(engine, ada, habit_id, EntryDetails(entry.kind, entry.value), entry.day)
    measure = (
        Measure(definition.measure.target, definition.measure.direction, definition.measure.unit)
        if definition.measure
        else None
    )

    [row] = today_list(engine, ada)

    expected_strength = strength_on(definition.schedule, history, TODAY, definition.kind, measure)
    expected_streak = streak_summary(definition.schedule, history, TODAY, definition.kind, measure)
    assert row.strength == pytest.approx(expected_strength, abs=1e-12)
    assert row.current_streak == expected_streak.current_length
    assert 0 < row.strength <= 1
    assert row.current_streak > 0


def test_today_ignores_entries_after_the_day_asked_about(engine: Engine, ada: Principal) -> None:
    habit_id = create(engine, ada)
    for back in range(3):
        record(engine, ada, habit_id, EntryDetails(EntryKind.DONE), TODAY - timedelta(days=back))

    [row] = today_list(engine, ada, TODAY - timedelta(days=1))
    history = [DayEntry(TODAY - timedelta(days=back), EntryKind.DONE) for back in (1, 2)]

    assert row.current_streak == 2
    assert row.strength == pytest.approx(strength_on(DAILY, history, TODAY - timedelta(days=1)), abs=1e-12)
    assert row.entry_kind is EntryKind.DONE


# Bounded queries ------------------------------------------------------------------------------


@pytest.mark.parametrize("habit_count", [1, 30])
def test_list_today_issues_a_fixed_number_of_statements_whatever_the_number_of_habits(
    engine: Engine, ada: Principal, habit_count: int
) -> None:
    with session_scope(engine) as db:
        for number in range(habit_count):
            definition = measurable(f"H{number}") if number % 2 else define(f"H{number}", MON_WED_FRI)
            habit = habits.create_defined_habit(db, ada, definition)
            assert habit.id is not None
            for back in range(5):
                value = float(back) if number % 2 else None
                db.add(Entry(habit_id=habit.id, day=TODAY - timedelta(days=back), kind="done", value=value))

    def statements_of_one_visit() -> list[str]:
        statements: list[str] = []

        def remember(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
            statements.append(statement.lstrip().split()[0].upper())

        event.listen(engine, "before_cursor_execute", remember)
        try:
            rows = today_list(engine, ada)
        finally:
            event.remove(engine, "before_cursor_execute", remember)
        assert len(rows) == habit_count
        return statements

    # The first visit saves every habit's checkpoint in one upsert; later visits only read.
    assert statements_of_one_visit() == ["SELECT", "SELECT", "SELECT", "INSERT"]
    assert statements_of_one_visit() == ["SELECT", "SELECT", "SELECT"]
