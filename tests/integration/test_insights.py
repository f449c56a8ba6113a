"""Insights on SQLite and PostgreSQL: exact numbers for a hand-built history, bounded queries."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, event, func
from sqlmodel import select

from app.db.engine import session_scope
from app.db.tables import Entry, Habit, ProgressCheckpoint
from app.domain.analytics import MoodPoint, StreakStanding, WindowChoice, WindowKind
from app.domain.entries import DayEntry, EntryKind, HabitKind, Measure, TargetDirection
from app.domain.schedules import FrequencySchedule, WeekdaySchedule
from app.domain.strength import strength_on, strength_series
from app.services.errors import InvalidInput
from app.services.insights import QUERY_COUNT, Insights, insights
from app.services.principals import Principal
from tests.integration.test_services import new_principal

TODAY = date(2024, 3, 13)  # a Wednesday
JAN_1 = datetime(2024, 1, 1, tzinfo=UTC)
LAST_7 = WindowChoice(WindowKind.LAST_7)
DONE, SKIPPED = EntryKind.DONE, EntryKind.SKIPPED
MON_WED_FRI = 0b10101


def d(day: int) -> date:
    return date(2024, 3, day) if day > 0 else date(2024, 3, 1) + timedelta(days=day - 1)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2024, 3, day, hour, minute, tzinfo=UTC)


def add_habit(engine: Engine, principal: Principal, name: str, **fields: Any) -> int:
    with session_scope(engine) as db:
        habit = Habit(
            user_id=principal.user_id, name=name, created_at=fields.pop("created_at", JAN_1), **fields
        )
        db.add(habit)
        db.flush()
        assert habit.id is not None
        return habit.id


def add_entries(engine: Engine, habit_id: int, *rows: tuple[Any, ...]) -> None:
    """Rows of (day, kind, recorded_at, value, mood)."""
    with session_scope(engine) as db:
        for day, kind, recorded_at, value, mood in rows:
            db.add(
                Entry(
                    habit_id=habit_id,
                    day=d(day),
                    kind=kind.value,
                    recorded_at=recorded_at,
                    value=value,
                    mood=mood,
                )
            )


@pytest.fixture
def ada(engine: Engine) -> Principal:
    # Kolkata is UTC+05:30, so the weekday x hour matrix needs the conversion to be exact.
    return dataclasses.replace(new_principal(engine, "sub-ada", "Ada"), timezone="Asia/Kolkata")


@pytest.fixture
def history(engine: Engine, ada: Principal) -> dict[str, int]:
    """Read (daily), Run (Mon/Wed/Fri), Pages (at least 20, created on the 12th); Bob's habit."""
    read = add_habit(engine, ada, "Read", category="Mind")
    run = add_habit(
        engine, ada, "Run", category="Body", schedule_times=3, schedule_days=7, schedule_weekdays=MON_WED_FRI
    )
    pages = add_habit(
        engine, ada, "Pages", category="Mind", kind="measurable", unit="pages", target_value=20.0,
        created_at=at(12, 10),
    )  # fmt: skip
    archived = add_habit(engine, ada, "Old", archived=True)
    add_entries(engine, read, *[(day, DONE, at(day, 7, 30), None, None) for day in (1, 2, 7, 8, 9, 11)])
    add_entries(engine, read, (10, DONE, at(10, 7, 30), None, 4), (12, SKIPPED, at(12, 7, 30), None, 3))
    add_entries(engine, run, *[(day, DONE, at(day, 18), None, None) for day in (8, 9, 11)])
    add_entries(engine, pages, (12, DONE, at(12, 9), 10.0, 2), (13, DONE, at(13, 23, 50), 25.0, 5))
    add_entries(engine, archived, *[(day, DONE, at(day, 12), None, 1) for day in range(1, 14)])
    bob = new_principal(engine, "sub-bob", "Bob")
    secret = add_habit(engine, bob, "Bob's habit", category="Mind")
    add_entries(engine, secret, *[(day, DONE, at(day, 12), None, 1) for day in range(1, 14)])
    return {"read": read, "run": run, "pages": pages}


def load(engine: Engine, principal: Principal, choice: WindowChoice = LAST_7) -> Insights:
    with session_scope(engine) as db:
        return insights(db, principal, choice, TODAY)


def test_completion_per_habit_category_and_overall_with_change(
    engine: Engine, ada: Principal, history: dict[str, int]
) -> None:
    found = load(engine, ada)
    assert (found.window.start, found.window.end) == (d(7), d(13))
    assert (found.previous_window.start, found.previous_window.end) == (d(-0), d(6))  # Feb 29 .. Mar 6
    by_name = {habit.name: habit for habit in found.habits}
    assert list(by_name) == ["Read", "Run", "Pages"]
    read, run, pages = by_name["Read"], by_name["Run"], by_name["Pages"]
    # Read: 5 done of 6 open days (the 12th skipped); before: 2 of 7.
    assert (read.completion, read.previous_completion, read.check_ins) == (5 / 6, 2 / 7, 5)
    assert read.change == pytest.approx(5 / 6 - 2 / 7)
    # Run: due Fri 8, Mon 11, Wed 13, done on the 8th and 11th (Saturday is an off day); before 0 of 3.
    assert (run.completion, run.previous_completion, run.change, run.check_ins) == (2 / 3, 0.0, 2 / 3, 3)
    # Pages started on the 12th: only 25 pages on the 13th meets the target; nothing before.
    assert (pages.completion, pages.previous_completion, pages.change, pages.check_ins) == (
        0.5,
        None,
        None,
        1,
    )

    categories = {category.name: category for category in found.categories}
    assert list(categories) == ["Mind", "Body"]
    assert (categories["Mind"].completion, categories["Mind"].previous_completion) == (6 / 8, 2 / 7)
    assert (categories["Mind"].habit_count, categories["Mind"].check_ins) == (2, 6)
    assert (categories["Body"].completion, categories["Body"].previous_completion) == (2 / 3, 0.0)
    assert (found.completion, found.previous_completion) == (8 / 11, 2 / 10)
    assert (found.check_ins, found.previous_check_ins) == (9, 2)


def test_streaks_strength_and_trend_match_the_domain(
    engine: Engine, ada: Principal, history: dict[str, int]
) -> None:
    found = load(engine, ada)
    assert found.leaderboard == (
        StreakStanding(history["read"], "Read", 5, 5),
        StreakStanding(history["run"], "Run", 2, 2),
        StreakStanding(history["pages"], "Pages", 1, 1),
    )
    daily = FrequencySchedule(1, 1)
    read = [DayEntry(d(n), DONE) for n in (1, 2, 7, 8, 9, 10, 11)] + [DayEntry(d(12), SKIPPED)]
    run = [DayEntry(d(n), DONE) for n in (8, 9, 11)]
    pages = [DayEntry(d(12), DONE, 10.0), DayEntry(d(13), DONE, 25.0)]
    measure = Measure(20.0, TargetDirection.AT_LEAST, "pages")
    weekdays = WeekdaySchedule(frozenset({0, 2, 4}))
    assert found.habits[0].strength == strength_on(daily, read, TODAY)
    series = {
        "read": {s.day: s.score for s in strength_series(daily, read, TODAY)},
        "run": {s.day: s.score for s in strength_series(weekdays, run, TODAY)},
        "pages": {
            s.day: s.score for s in strength_series(daily, pages, TODAY, HabitKind.MEASURABLE, measure)
        },
    }
    expected = []
    for n in range(7, 14):
        scores = [by_day[d(n)] for by_day in series.values() if d(n) in by_day]
        expected.append((d(n), pytest.approx(sum(scores) / len(scores))))
    assert [(point.day, point.strength) for point in found.strength_trend] == expected
    assert len(series["read"]) == 13 and d(7) not in series["run"] and d(11) not in series["pages"]


def test_when_check_ins_happen_in_the_persons_time_zone(
    engine: Engine, ada: Principal, history: dict[str, int]
) -> None:
    matrix = load(engine, ada).weekday_hours
    expected = [[0] * 24 for _ in range(7)]
    for weekday in (3, 4, 5, 6, 0):  # Read, 07:30 UTC = 13:00 in Kolkata, Thu 7th .. Mon 11th
        expected[weekday][13] += 1
    for weekday in (4, 5, 0):  # Run, 18:00 UTC = 23:30, Fri 8th, Sat 9th, Mon 11th
        expected[weekday][23] += 1
    expected[3][5] += 1  # Pages, Wed 13th 23:50 UTC = Thursday 05:20 in Kolkata
    assert matrix == tuple(tuple(row) for row in expected)


def test_mood_against_completion_and_the_year_heatmap(
    engine: Engine, ada: Principal, history: dict[str, int]
) -> None:
    found = load(engine, ada)
    # 10th: mood 4, 1 of 3 habits done; 12th: moods 3 and 2 round to 3, nothing done;
    # 13th: mood 5, 1 of 3 done.
    assert found.mood == (
        MoodPoint(1, 0, None),
        MoodPoint(2, 0, None),
        MoodPoint(3, 1, 0.0),
        MoodPoint(4, 1, 1 / 3),
        MoodPoint(5, 1, 1 / 3),
    )
    assert len(found.heatmap) == 53
    last_week = found.heatmap[-1]
    assert [(cell.day, cell.count, cell.level) for cell in last_week] == [
        (d(11), 2, 4),
        (d(12), 0, 0),
        (d(13), 1, 2),
        (d(14), 0, -1),
        (d(15), 0, -1),
        (d(16), 0, -1),
        (d(17), 0, -1),
    ]
    cells = {cell.day: cell.count for week in found.heatmap for cell in week}
    assert {day: n for day, n in cells.items() if n} == {
        d(1): 1, d(2): 1, d(7): 1, d(8): 2, d(9): 2, d(10): 1, d(11): 2, d(13): 1
    }  # fmt: skip
    assert found.heatmap[0][0].day == date(2023, 3, 13)  # the Monday 52 weeks before


def test_all_time_and_custom_windows(engine: Engine, ada: Principal, history: dict[str, int]) -> None:
    all_time = load(engine, ada, WindowChoice(WindowKind.ALL_TIME))
    assert (all_time.window.start, all_time.window.end) == (date(2024, 1, 1), TODAY)
    assert all_time.check_ins == 11  # Read 7, Run 3, Pages 1 (10 pages missed the target)
    custom = load(engine, ada, WindowChoice(WindowKind.CUSTOM, d(1), d(2)))
    assert (custom.check_ins, custom.completion, custom.previous_completion) == (2, 2 / 3, 0.0)
    with pytest.raises(InvalidInput, match="after it ends"):
        load(engine, ada, WindowChoice(WindowKind.CUSTOM, d(5), d(2)))
    with pytest.raises(InvalidInput, match="after today"):
        load(engine, ada, WindowChoice(WindowKind.CUSTOM, d(5), d(14)))


def test_at_most_habits_count_as_done_only_within_the_limit(engine: Engine, ada: Principal) -> None:
    sugar = add_habit(
        engine, ada, "Sugar", kind="measurable", unit="cubes", target_value=2.0, target_direction="at_most"
    )
    add_entries(
        engine, sugar, (11, DONE, at(11, 8), 2.0, None), (12, DONE, at(12, 8), 3.0, None),
        (13, SKIPPED, at(13, 8), None, None),
    )  # fmt: skip
    found = load(engine, ada)
    assert (found.habits[0].check_ins, found.habits[0].completion) == (1, 1 / 6)


def test_an_empty_account_has_empty_insights(engine: Engine, ada: Principal) -> None:
    found = load(engine, ada, WindowChoice(WindowKind.ALL_TIME))
    assert (found.window.start, found.habits, found.completion, found.check_ins) == (TODAY, (), None, 0)
    assert found.strength_trend == () and found.leaderboard == ()


@contextmanager
def counted_statements(engine: Engine) -> Iterator[list[str]]:
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def test_the_number_of_statements_does_not_grow_with_habits(engine: Engine, ada: Principal) -> None:
    def statements_for(new_habits: int, habit_count: int) -> int:
        for number in range(new_habits):
            habit_id = add_habit(engine, ada, f"Habit {number}", category=f"C{number % 3}")
            add_entries(engine, habit_id, *[(day, DONE, at(day, 9), None, 3) for day in (10, 11, 12)])
        with counted_statements(engine) as statements:
            found = load(engine, ada, WindowChoice(WindowKind.ALL_TIME))
        assert len(found.habits) == habit_count
        return len(statements)

    # The first visit after new history also saves the new habits' progress checkpoints.
    assert statements_for(1, habit_count=1) == QUERY_COUNT + 1
    assert statements_for(0, habit_count=1) == QUERY_COUNT
    assert statements_for(39, habit_count=40) == QUERY_COUNT + 1
    assert statements_for(0, habit_count=40) == QUERY_COUNT


def test_check_in_hours_follow_daylight_saving_time(engine: Engine) -> None:
    """Berlin moves from UTC+1 to UTC+2 on 31 March 2024: the same UTC time lands an hour later."""
    berlin = dataclasses.replace(new_principal(engine, "sub-berlin", "Berta"), timezone="Europe/Berlin")
    habit_id = add_habit(engine, berlin, "Stretch")
    recorded = {
        date(2024, 3, 25): datetime(2024, 3, 25, 6, 30, tzinfo=UTC),  # Monday 07:30 CET
        date(2024, 4, 1): datetime(2024, 4, 1, 6, 30, tzinfo=UTC),  # Monday 08:30 CEST
        date(2024, 4, 6): datetime(2024, 4, 6, 22, 30, tzinfo=UTC),  # already Sunday, 00:30 CEST
    }
    with session_scope(engine) as db:
        for day, instant in recorded.items():
            db.add(Entry(habit_id=habit_id, day=day, kind="done", recorded_at=instant))
    choice = WindowChoice(WindowKind.CUSTOM, date(2024, 3, 20), date(2024, 4, 10))
    with session_scope(engine) as db:
        matrix = insights(db, berlin, choice, date(2024, 4, 10)).weekday_hours
    expected = [[0] * 24 for _ in range(7)]
    expected[0][7] = expected[0][8] = expected[6][0] = 1
    assert matrix == tuple(tuple(row) for row in expected)


@pytest.mark.parametrize("kind", [WindowKind.LAST_7, WindowKind.LAST_30, WindowKind.ALL_TIME])
def test_saved_checkpoints_give_the_same_insights_as_the_history(
    engine: Engine, ada: Principal, history: dict[str, int], kind: WindowKind
) -> None:
    """The first visit computes from the entries and saves; the next reads what it saved."""
    first = load(engine, ada, WindowChoice(kind))
    with session_scope(engine) as db:
        assert db.exec(select(func.count()).select_from(ProgressCheckpoint)).one() == 3  # active habits
    assert load(engine, ada, WindowChoice(kind)) == first


def test_a_new_time_zone_moves_check_ins_to_their_new_local_hours(
    engine: Engine, ada: Principal, history: dict[str, int]
) -> None:
    load(engine, ada)  # saves checkpoints holding the Kolkata hours
    in_london = dataclasses.replace(ada, timezone="Europe/London")
    matrix = load(engine, in_london, WindowChoice(WindowKind.ALL_TIME)).weekday_hours
    # Read was checked in at 07:30 UTC, which is 07:30 in London in March (GMT).
    assert sum(row[7] for row in matrix) == 7 and sum(row[13] for row in matrix) == 0
