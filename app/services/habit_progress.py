"""Strength and streaks for many habits at once, from saved checkpoints and recent entries.

Three statements whatever the number of habits: the saved checkpoints, the entries they
still need (the whole history only for habits without a usable checkpoint), and, when a
checkpoint was missing or has fallen ``REFRESH_AFTER_DAYS`` behind, one upsert of the new
ones. A checkpoint ends ``CHECKPOINT_LAG_DAYS`` before today, so recording the last week
never invalidates it; older edits bump the habit's ``history_version``
(app/db/history_versions.py) and the next read rebuilds that habit from its history.
"""

from __future__ import annotations

import json
from array import array
from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, String, Table, and_, or_, select, type_coerce
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from app.db.history_versions import checkpoint_horizon
from app.db.tables import Habit, metadata
from app.domain.entries import DayEntry, EntryKind, InvalidEntry
from app.domain.progress import Checkpoint, HabitProgress, HabitRule, checkpoint_at, needed_from, progress_on
from app.domain.streaks import Streak
from app.services.errors import InvalidInput
from app.services.habit_rows import kind_of, measure_of, schedule_of

REFRESH_AFTER_DAYS = 28
CHECKPOINTS: Table = metadata.tables["progress_checkpoints"]
ENTRIES: Table = metadata.tables["entries"]
C, E = CHECKPOINTS.c, ENTRIES.c
_KINDS = {kind.value: kind for kind in EntryKind}


def rule_of(habit: Habit) -> HabitRule:
    return HabitRule(schedule_of(habit), kind_of(habit), measure_of(habit))


def rule_key(habit: Habit) -> str:
    """Everything about the habit that strength and streaks depend on, as one string."""
    return (
        f"{habit.kind}|{habit.schedule_times}/{habit.schedule_days}|{habit.schedule_weekdays}"
        f"|{habit.target_value!r}|{habit.target_direction}"
    )


def habits_progress(db: Session, habits: Sequence[Habit], today: date) -> dict[int, HabitProgress]:
    """Each habit's strength and streaks on ``today``, keyed by habit id."""
    ids = [habit.id for habit in habits if habit.id is not None]
    if not ids:
        return {}
    saved = _usable_checkpoints(db, habits, today)
    rules = {habit.id: rule_of(habit) for habit in habits if habit.id is not None}
    starts = {habit_id: needed_from(rules[habit_id], saved.get(habit_id)) for habit_id in ids}
    try:
        history = _entries(db, starts, today)
    except InvalidEntry as error:
        raise InvalidInput(str(error)) from None

    horizon = checkpoint_horizon(today)
    renewed: list[tuple[Habit, Checkpoint]] = []
    result: dict[int, HabitProgress] = {}
    for habit in habits:
        if habit.id is None:
            continue
        rule, checkpoint, by_day = rules[habit.id], saved.get(habit.id), history[habit.id]
        stale = checkpoint is None or (today - checkpoint.through).days > REFRESH_AFTER_DAYS
        if stale and (checkpoint is None or checkpoint.through < horizon):
            checkpoint = checkpoint_at(rule, by_day, horizon, checkpoint)
            renewed.append((habit, checkpoint))
        result[habit.id] = progress_on(rule, checkpoint, by_day, today)
    if renewed:
        _save(db, renewed)
    return result


def _usable_checkpoints(db: Session, habits: Sequence[Habit], today: date) -> dict[int, Checkpoint]:
    by_id = {habit.id: habit for habit in habits}
    statement = select(
        C.habit_id, C.rule, C.history_version, C.through_day, C.first_day, C.settled_day, C.scores, C.streaks
    ).where(C.habit_id.in_(list(by_id)))
    usable: dict[int, Checkpoint] = {}
    for habit_id, rule, version, through, first, settled, scores, streaks in db.connection().execute(
        statement
    ):
        habit = by_id[habit_id]
        # A checkpoint at or after today only exists if today moved back (a new time zone).
        if rule != rule_key(habit) or version != habit.history_version or through >= today:
            continue
        closed, running = _streaks_from_json(streaks)
        usable[habit_id] = Checkpoint(through, first, array("d", bytes(scores)), settled, closed, running)
    return usable


def _entries(
    db: Session, starts: dict[int, date | None], today: date
) -> defaultdict[int, dict[date, DayEntry]]:
    """One statement: each habit's entries from its start (its whole history without one)."""
    whole = [habit_id for habit_id, start in starts.items() if start is None]
    by_start: defaultdict[date, list[int]] = defaultdict(list)
    for habit_id, start in starts.items():
        if start is not None:
            by_start[start].append(habit_id)
    wanted: list[ColumnElement[bool]] = [E.habit_id.in_(whole)] if whole else []
    wanted += [and_(E.habit_id.in_(ids), E.day >= start) for start, ids in by_start.items()]
    sqlite_dates = db.get_bind().dialect.name == "sqlite"
    # SQLite keeps dates as ISO text; date.fromisoformat is much faster than the generic parser.
    day_column = type_coerce(E.day, String) if sqlite_dates else E.day
    statement = select(E.habit_id, day_column, E.kind, E.value).where(E.day <= today, or_(*wanted))
    history: defaultdict[int, dict[date, DayEntry]] = defaultdict(dict)
    for habit_id, day, kind, value in db.connection().execute(statement):
        parsed = date.fromisoformat(day) if sqlite_dates else day
        history[habit_id][parsed] = DayEntry(parsed, _KINDS[kind], value)
    return history


def _save(db: Session, renewed: list[tuple[Habit, Checkpoint]]) -> None:
    rows = [
        {
            "habit_id": habit.id,
            "rule": rule_key(habit),
            "history_version": habit.history_version,
            "through_day": checkpoint.through,
            "first_day": checkpoint.first_day,
            "settled_day": checkpoint.settled,
            "scores": array("d", checkpoint.scores).tobytes(),
            "streaks": _streaks_to_json(checkpoint),
        }
        for habit, checkpoint in renewed
    ]
    dialect = db.get_bind().dialect.name
    insert: Any = postgresql.insert(CHECKPOINTS) if dialect == "postgresql" else sqlite.insert(CHECKPOINTS)
    statement = insert.on_conflict_do_update(
        index_elements=[C.habit_id],
        set_={name: insert.excluded[name] for name in rows[0] if name != "habit_id"},
    )
    db.connection().execute(statement, rows)


def _streaks_to_json(checkpoint: Checkpoint) -> str:
    def plain(streak: Streak) -> list[Any]:
        return [streak.start.isoformat(), streak.end.isoformat(), streak.length]

    running = plain(checkpoint.running) if checkpoint.running else None
    return json.dumps({"closed": [plain(streak) for streak in checkpoint.closed], "running": running})


def _streaks_from_json(text: str) -> tuple[tuple[Streak, ...], Streak | None]:
    data = json.loads(text)

    def streak(item: list[Any]) -> Streak:
        return Streak(date.fromisoformat(item[0]), date.fromisoformat(item[1]), int(item[2]))

    running = streak(data["running"]) if data["running"] else None
    return tuple(streak(item) for item in data["closed"]), running
