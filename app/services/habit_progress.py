"""Strength, streaks and per-day records for many habits at once, from saved checkpoints.

Three statements whatever the number of habits: the saved checkpoints, the entries they
still need (the whole history only for habits without a usable checkpoint), and, when a
checkpoint was missing or has fallen ``REFRESH_AFTER_DAYS`` behind, one upsert of the new
ones. A checkpoint holds the progress state (app/domain/progress.py) and the per-day records
(app/domain/day_records.py) up to its day, which is ``CHECKPOINT_LAG_DAYS`` before today, so
recording the last week never invalidates it; older edits bump the habit's
``history_version`` (app/db/history_versions.py) and the next read rebuilds that habit.
"""

from __future__ import annotations

import json
from array import array
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, String, Table, and_, or_, select, type_coerce
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col
from sqlmodel import select as model_select

from app.db.history_versions import checkpoint_horizon
from app.db.tables import Habit, User, metadata
from app.domain.day_records import DayRecords, RecordedEntry, day_records, empty_records, joined
from app.domain.entries import DayEntry, EntryKind, InvalidEntry
from app.domain.local_days import local_day, zone_for
from app.domain.progress import Checkpoint, HabitProgress, HabitRule, checkpoint_at, needed_from, progress_on
from app.domain.streaks import Streak
from app.observability.metrics import CHECKPOINTS_BUILT, CheckpointReason
from app.services.errors import InvalidInput
from app.services.habit_rows import kind_of, measure_of, schedule_of

REFRESH_AFTER_DAYS = 28
CHECKPOINTS: Table = metadata.tables["progress_checkpoints"]
ENTRIES: Table = metadata.tables["entries"]
C, E = CHECKPOINTS.c, ENTRIES.c
_KINDS = {kind.value: kind for kind in EntryKind}


@dataclass(frozen=True)
class HabitHistory:
    """One habit on ``progress.today``: strength and streaks, and its days as records."""

    progress: HabitProgress
    records: DayRecords  # from the first entry's day to today (empty without entries)
    todays_entry: RecordedEntry | None  # what was recorded on ``progress.today``


@dataclass(frozen=True)
class _Saved:
    checkpoint: Checkpoint
    records: DayRecords  # the checkpoint's first day to its ``through``


def rule_of(habit: Habit) -> HabitRule:
    return HabitRule(schedule_of(habit), kind_of(habit), measure_of(habit))


def rule_key(habit: Habit, timezone: str) -> str:
    """Everything a checkpoint depends on besides the entries, as one string.

    The time zone matters because the records keep each check-in's local hour.
    """
    return (
        f"{habit.kind}|{habit.schedule_times}/{habit.schedule_days}|{habit.schedule_weekdays}"
        f"|{habit.target_value!r}|{habit.target_direction}|{timezone}"
    )


def habits_history(
    db: Session, habits: Sequence[Habit], today: date, timezone: str
) -> dict[int, HabitHistory]:
    """Each habit's progress and records on ``today``, keyed by habit id."""
    ids = [habit.id for habit in habits if habit.id is not None]
    if not ids:
        return {}
    db.flush()  # the reads below are Core statements, which do not autoflush pending changes
    zone = zone_for(timezone)
    saved, discarded = _usable_checkpoints(db, habits, today, timezone)
    rules = {habit.id: rule_of(habit) for habit in habits if habit.id is not None}
    starts = {habit_id: _first_needed(rules[habit_id], saved.get(habit_id)) for habit_id in ids}
    try:
        history = _entries(db, starts, today)
    except InvalidEntry as error:
        raise InvalidInput(str(error)) from None

    horizon = checkpoint_horizon(today)
    renewed: list[tuple[Habit, _Saved]] = []
    result: dict[int, HabitHistory] = {}
    for habit in habits:
        if habit.id is None:
            continue
        rule, kept, recorded = rules[habit.id], saved.get(habit.id), history[habit.id]
        by_day = {record.entry.day: record.entry for record in recorded}
        stale = kept is None or (today - kept.checkpoint.through).days > REFRESH_AFTER_DAYS
        if stale and (kept is None or kept.checkpoint.through < horizon):
            reason = _reason(kept, habit.id in discarded)
            checkpoint = checkpoint_at(rule, by_day, horizon, kept.checkpoint if kept else None)
            records = _records_through(kept, checkpoint.first_day, checkpoint.through, recorded, rule, zone)
            kept = _Saved(checkpoint, records)
            renewed.append((habit, kept))
            CHECKPOINTS_BUILT.labels(reason=reason.value).inc()
        progress = progress_on(rule, kept.checkpoint if kept else None, by_day, today)
        todays = next((record for record in recorded if record.entry.day == today), None)
        records = _records_through(kept, progress.first_day, today, recorded, rule, zone)
        result[habit.id] = HabitHistory(progress, records, todays)
    if renewed:
        _save(db, renewed, timezone)
    return result


def warm_checkpoints(db: Session, user_id: int, now: datetime | None = None) -> int:
    """Build the checkpoints of a person's active habits now (after an import, say), so their
    next visit reads a few weeks of entries rather than the whole history; returns how many
    habits that covered."""
    user = db.get(User, user_id)
    if user is None:
        return 0
    habits = db.exec(
        model_select(Habit).where(Habit.user_id == user_id, col(Habit.archived).is_(False))
    ).all()
    today = local_day(now or datetime.now(UTC), user.timezone, user.day_start_hour)
    return len(habits_history(db, list(habits), today, user.timezone))


def _first_needed(rule: HabitRule, saved: _Saved | None) -> date | None:
    """The first entry day to read: what the progress needs, and every day after the records."""
    if saved is None:
        return None
    start = needed_from(rule, saved.checkpoint)
    assert start is not None
    return min(start, saved.checkpoint.through + timedelta(days=1))


def _records_through(
    kept: _Saved | None,
    first_day: date | None,
    end: date,
    recorded: list[RecordedEntry],
    rule: HabitRule,
    zone: ZoneInfo,
) -> DayRecords:
    """The records from ``first_day`` to ``end``: the saved ones plus those of the days since."""
    if first_day is None:
        return empty_records(end + timedelta(days=1))
    before = kept.records if kept is not None and len(kept.records) else empty_records(first_day)
    added = day_records(recorded, before.end_day, end, rule.kind, rule.measure, zone)
    return joined([before, added])


def _usable_checkpoints(
    db: Session, habits: Sequence[Habit], today: date, timezone: str
) -> tuple[dict[int, _Saved], set[int]]:
    """The saved checkpoints still valid, and the ids of habits whose saved one is not."""
    by_id = {habit.id: habit for habit in habits}
    statement = select(
        C.habit_id,
        C.rule,
        C.history_version,
        C.through_day,
        C.first_day,
        C.settled_day,
        C.scores,
        C.streaks,
        C.day_records,
    ).where(C.habit_id.in_(list(by_id)))
    usable: dict[int, _Saved] = {}
    discarded: set[int] = set()
    for habit_id, rule, version, through, first, settled, scores, streaks, records in db.connection().execute(
        statement
    ):
        habit = by_id[habit_id]
        # A checkpoint at or after today only exists if today moved back (a new time zone).
        if rule != rule_key(habit, timezone) or version != habit.history_version or through >= today:
            discarded.add(habit_id)
            continue
        closed, running = _streaks_from_json(streaks)
        checkpoint = Checkpoint(through, first, array("d", bytes(scores)), settled, closed, running)
        days = (
            DayRecords.from_bytes(first, bytes(records))
            if first
            else empty_records(through + timedelta(days=1))
        )
        usable[habit_id] = _Saved(checkpoint, days)
    return usable, discarded


def _reason(kept: _Saved | None, discarded: bool) -> CheckpointReason:
    if kept is not None:
        return CheckpointReason.MOVED_FORWARD
    return CheckpointReason.REBUILT if discarded else CheckpointReason.FIRST


def _entries(
    db: Session, starts: dict[int, date | None], today: date
) -> defaultdict[int, list[RecordedEntry]]:
    """One statement: each habit's entries from its start (its whole history without one)."""
    whole = [habit_id for habit_id, start in starts.items() if start is None]
    by_start: defaultdict[date, list[int]] = defaultdict(list)
    for habit_id, start in starts.items():
        if start is not None:
            by_start[start].append(habit_id)
    wanted: list[ColumnElement[bool]] = [E.habit_id.in_(whole)] if whole else []
    wanted += [and_(E.habit_id.in_(ids), E.day >= start) for start, ids in by_start.items()]
    sqlite_text = db.get_bind().dialect.name == "sqlite"
    # SQLite keeps dates and times as ISO text (times in UTC, without an offset); the
    # fromisoformat parsers are several times faster than the generic column types.
    day_column = type_coerce(E.day, String) if sqlite_text else E.day
    recorded_column = type_coerce(E.recorded_at, String) if sqlite_text else E.recorded_at
    statement = select(E.habit_id, day_column, E.kind, E.value, E.mood, recorded_column).where(
        E.day <= today, or_(*wanted)
    )
    history: defaultdict[int, list[RecordedEntry]] = defaultdict(list)
    for habit_id, day, kind, value, mood, recorded_at in db.connection().execute(statement):
        if sqlite_text:
            day, recorded_at = (
                date.fromisoformat(day),
                datetime.fromisoformat(recorded_at).replace(tzinfo=UTC),
            )
        history[habit_id].append(RecordedEntry(DayEntry(day, _KINDS[kind], value), mood, recorded_at))
    return history


def _save(db: Session, renewed: list[tuple[Habit, _Saved]], timezone: str) -> None:
    rows = [
        {
            "habit_id": habit.id,
            "rule": rule_key(habit, timezone),
            "history_version": habit.history_version,
            "through_day": kept.checkpoint.through,
            "first_day": kept.checkpoint.first_day,
            "settled_day": kept.checkpoint.settled,
            "scores": array("d", kept.checkpoint.scores).tobytes(),
            "streaks": _streaks_to_json(kept.checkpoint),
            "day_records": kept.records.to_bytes(),
        }
        # In habit id order, so concurrent visits upserting overlapping habits cannot deadlock.
        for habit, kept in sorted(renewed, key=lambda pair: pair[0].id or 0)
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
