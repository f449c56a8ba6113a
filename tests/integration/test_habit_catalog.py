"""The Habits page's reads on SQLite and PostgreSQL: catalog, counts, categories, prefill, isolation.

Also the form parsing the page relies on (submitted text -> definition), which needs no database.
"""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, event

from app.db.engine import session_scope
from app.domain.entries import EntryKind, HabitKind, Measure, TargetDirection
from app.domain.habit_definition import HabitDefinition, InvalidHabit
from app.domain.schedules import FrequencySchedule, WeekdaySchedule
from app.services import habit_catalog, habits
from app.services.errors import NotFound
from app.services.habit_catalog import CatalogHabit
from app.services.habits import EntryDetails
from app.services.principals import Principal
from app.ui.components.habit_form import FormValues, definition_from_form, form_values_of
from tests.integration.test_habit_services import MON_WED_FRI, create, define, snapshot
from tests.integration.test_services import new_principal

TODAY = date(2024, 3, 13)


@pytest.fixture
def ada(engine: Engine) -> Principal:
    return new_principal(engine, "sub-ada", "Ada")


@pytest.fixture
def bob(engine: Engine) -> Principal:
    return new_principal(engine, "sub-bob", "Bob")


def measured(name: str, target: float, **fields: Any) -> HabitDefinition:
    return define(name, kind=HabitKind.MEASURABLE, unit="cups", target=target, **fields)


def check_in_days(engine: Engine, principal: Principal, habit_id: int, days: int) -> None:
    with session_scope(engine) as db:
        for back in range(days):
            day = TODAY - timedelta(days=back)
            habits.record_entry(db, principal, habit_id, day, TODAY, EntryDetails(EntryKind.DONE, value=1.0))


def catalog(engine: Engine, principal: Principal) -> list[CatalogHabit]:
    with session_scope(engine) as db:
        return habit_catalog.list_catalog(db, principal)


# The catalog ----------------------------------------------------------------------------------


def test_catalog_lists_every_habit_in_order_with_archived_ones_and_entry_counts(
    engine: Engine, ada: Principal
) -> None:
    read = create(engine, ada, define("Read", category="Mind"))
    coffee = create(
        engine,
        ada,
        measured(
            "Coffee",
            target=2,
            direction=TargetDirection.AT_MOST,
            difficulty=4,
            color="amber",
            target_time=time(11, 45),
            question="Kept it low?",
        ),
    )
    gym = create(engine, ada, define("Gym", MON_WED_FRI, category="Body"))
    check_in_days(engine, ada, read, 3)
    check_in_days(engine, ada, gym, 1)
    with session_scope(engine) as db:
        habits.set_archived(db, ada, gym, True)
        habits.move_habit(db, ada, coffee, -1)

    assert catalog(engine, ada) == [
        CatalogHabit(
            habit_id=coffee,
            name="Coffee",
            question="Kept it low?",
            category="",
            color="amber",
            difficulty=4,
            target_time=time(11, 45),
            kind=HabitKind.MEASURABLE,
            unit="cups",
            target=2.0,
            direction=TargetDirection.AT_MOST,
            schedule_label="Every day",
            archived=False,
            entry_count=0,
        ),
        CatalogHabit(
            habit_id=read,
            name="Read",
            question="",
            category="Mind",
            color="violet",
            difficulty=3,
            target_time=None,
            kind=HabitKind.YES_NO,
            unit="",
            target=None,
            direction=TargetDirection.AT_LEAST,
            schedule_label="Every day",
            archived=False,
            entry_count=3,
        ),
        CatalogHabit(
            habit_id=gym,
            name="Gym",
            question="",
            category="Body",
            color="violet",
            difficulty=3,
            target_time=None,
            kind=HabitKind.YES_NO,
            unit="",
            target=None,
            direction=TargetDirection.AT_LEAST,
            schedule_label="Mon, Wed, Fri",
            archived=True,
            entry_count=1,
        ),
    ]


def test_catalog_is_empty_for_a_new_person(engine: Engine, ada: Principal) -> None:
    assert catalog(engine, ada) == []
    with session_scope(engine) as db:
        assert habit_catalog.categories(db, ada) == []


@pytest.mark.parametrize("habit_count", [1, 12])
def test_catalog_reads_with_two_queries_whatever_the_number_of_habits(
    engine: Engine, ada: Principal, habit_count: int
) -> None:
    for number in range(habit_count):
        check_in_days(engine, ada, create(engine, ada, define(f"Habit {number}")), 2)
    statements: list[str] = []

    def remember(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", remember)
    try:
        rows = catalog(engine, ada)
    finally:
        event.remove(engine, "before_cursor_execute", remember)

    selects = [statement for statement in statements if statement.lstrip().upper().startswith("SELECT")]
    assert [row.entry_count for row in rows] == [2] * habit_count
    assert len(selects) == 2, selects
    assert "GROUP BY" in selects[1].upper()


def test_categories_are_distinct_sorted_and_skip_empty(engine: Engine, ada: Principal) -> None:
    for name, category in [("A", "health"), ("B", "Mind"), ("C", ""), ("D", "Health"), ("E", "Mind")]:
        create(engine, ada, define(name, category=category))
    with session_scope(engine) as db:
        assert habit_catalog.categories(db, ada) == ["Health", "health", "Mind"]


# Prefilling the edit form -----------------------------------------------------------------------


def test_definition_for_gives_back_what_was_defined(engine: Engine, ada: Principal) -> None:
    definition = measured(
        "Coffee",
        target=2.5,
        direction=TargetDirection.AT_MOST,
        schedule=FrequencySchedule(3, 7),
        question="Kept it low?",
        description="Not after noon.",
        category="Health",
        color="amber",
        difficulty=4,
        target_time=time(11, 45),
    )
    weekly = define("Gym", MON_WED_FRI, category="Body")
    coffee, gym = create(engine, ada, definition), create(engine, ada, weekly)

    with session_scope(engine) as db:
        assert habit_catalog.definition_for(db, ada, coffee) == definition
        assert habit_catalog.definition_for(db, ada, gym) == weekly


def test_deletion_warning_counts_the_check_ins_that_would_be_lost(engine: Engine, ada: Principal) -> None:
    read, fresh, once = (create(engine, ada, define(name)) for name in ("Read", "Fresh", "Once"))
    check_in_days(engine, ada, read, 214)
    check_in_days(engine, ada, once, 1)

    with session_scope(engine) as db:
        assert habit_catalog.deletion_warning(db, ada, read) == (
            "Delete “Read” and its 214 check-ins? This cannot be undone."
        )
        assert habit_catalog.deletion_warning(db, ada, once) == (
            "Delete “Once” and its 1 check-in? This cannot be undone."
        )
        assert habit_catalog.deletion_warning(db, ada, fresh) == (
            "Delete “Fresh”? It has no check-ins yet. This cannot be undone."
        )
        assert habits.delete_habit(db, ada, read) == 214


# Isolation --------------------------------------------------------------------------------------


def test_another_person_sees_nothing_and_gets_not_found(
    engine: Engine, ada: Principal, bob: Principal
) -> None:
    secret = create(engine, ada, define("Secret", category="Private"))
    check_in_days(engine, ada, secret, 2)
    before = snapshot(engine)

    assert catalog(engine, bob) == []
    with session_scope(engine) as db:
        assert habit_catalog.categories(db, bob) == []
    for read in (habit_catalog.definition_for, habit_catalog.deletion_warning):
        with pytest.raises(NotFound) as raised, session_scope(engine) as db:
            read(db, bob, secret)
        assert str(raised.value) == "That habit does not exist."
    # The writes the page calls refuse Bob too, and change nothing.
    for write in (
        lambda db: habits.update_habit(db, bob, secret, define("Mine now")),
        lambda db: habits.set_archived(db, bob, secret, True),
        lambda db: habits.move_habit(db, bob, secret, 1),
        lambda db: habits.delete_habit(db, bob, secret),
    ):
        with pytest.raises(NotFound), session_scope(engine) as db:
            write(db)
    assert snapshot(engine) == before
    assert [habit.name for habit in catalog(engine, ada)] == ["Secret"]


def test_missing_ids_behave_like_another_persons(engine: Engine, ada: Principal) -> None:
    with pytest.raises(NotFound) as raised, session_scope(engine) as db:
        habit_catalog.definition_for(db, ada, 999_999)
    assert str(raised.value) == "That habit does not exist."


# The form: submitted text -> definition (no database) --------------------------------------------

FULL_MEASURABLE_FORM = {
    "name": " Coffee ",
    "question": "Kept it low?",
    "description": "Not after noon.",
    "category": "Health",
    "color": "amber",
    "difficulty": "4",
    "target_time": "11:45",
    "kind": "measurable",
    "unit": "cups",
    "target": "2,5",
    "direction": "at_most",
    "schedule_mode": "frequency",
    "preset": "custom",
    "times": "3",
    "days": "7",
}


def test_form_reads_every_field() -> None:
    assert definition_from_form(FULL_MEASURABLE_FORM) == HabitDefinition(
        name="Coffee",
        schedule=FrequencySchedule(3, 7),
        kind=HabitKind.MEASURABLE,
        measure=Measure(2.5, TargetDirection.AT_MOST, "cups"),
        question="Kept it low?",
        description="Not after noon.",
        category="Health",
        color="amber",
        difficulty=4,
        target_time=time(11, 45),
    )


def test_form_presets_and_weekdays() -> None:
    base = {"name": "Gym", "color": "blue", "difficulty": "3", "kind": "yes_no"}
    monthly = definition_from_form({**base, "schedule_mode": "frequency", "preset": "1/30", "times": "9"})
    assert monthly.schedule == FrequencySchedule(1, 30)
    weekdays = definition_from_form(
        {**base, "schedule_mode": "weekdays", "weekday_0": "on", "weekday_2": "on", "weekday_4": "on"}
    )
    assert weekdays.schedule == WeekdaySchedule(frozenset({0, 2, 4}))
    # A yes/no habit ignores measurable fields left in the form.
    assert weekdays.measure is None


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"times": "0"}, "A habit must be done at least once per period."),
        ({"days": "0"}, "The period must be at least one day long."),
        (
            {"times": "5", "days": "3"},
            "A habit can be done at most once a day, so at most 3 times in 3 days (not 5).",
        ),
        ({"times": "two"}, "The number of times must be a whole number, like 3."),
        ({"schedule_mode": "weekdays"}, "Choose at least one weekday."),
        ({"name": "   "}, "Give the habit a name."),
        ({"name": "", "schedule_mode": "weekdays"}, "Give the habit a name."),
        ({"target": ""}, "A measurable habit needs a target, e.g. 20 pages."),
        ({"target": "lots"}, "The target must be a number, like 20 (not 'lots')."),
        ({"difficulty": "6"}, "Difficulty goes from 1 (easy) to 5 (hard)."),
        ({"color": "chartreuse"}, "Pick one of the offered colors, not 'chartreuse'."),
        ({"target_time": "25:99"}, "Enter the time of day as hours and minutes, like 07:30."),
    ],
)
def test_form_rejects_bad_input_with_the_domains_message(changes: dict[str, str], message: str) -> None:
    with pytest.raises(InvalidHabit) as raised:
        definition_from_form({**FULL_MEASURABLE_FORM, **changes})
    assert str(raised.value) == message


def test_form_rejects_names_over_120_characters() -> None:
    with pytest.raises(InvalidHabit) as raised:
        definition_from_form({**FULL_MEASURABLE_FORM, "name": "x" * 121})
    assert str(raised.value).startswith("Keep the name to 120 characters")


def test_form_values_round_trip_through_the_form() -> None:
    coffee = definition_from_form(FULL_MEASURABLE_FORM)
    values = form_values_of(coffee)
    assert values == FormValues(
        name="Coffee",
        question="Kept it low?",
        description="Not after noon.",
        category="Health",
        color="amber",
        difficulty="4",
        target_time="11:45",
        kind="measurable",
        unit="cups",
        target="2.5",
        direction="at_most",
        schedule_mode="frequency",
        preset="3/7",  # custom 3 per 7 days is the "3 times a week" preset
        times="3",
        days="7",
        weekdays=(False,) * 7,
    )
    gym = define("Gym", MON_WED_FRI)
    gym_values = form_values_of(gym)
    assert (gym_values.schedule_mode, gym_values.weekdays) == (
        "weekdays",
        (True, False, True, False, True, False, False),
    )
    daily_values = form_values_of(define("Read"))
    assert (daily_values.preset, daily_values.times, daily_values.days) == ("1/1", "1", "1")
