"""One habit's history for its detail page: entries, strength, streaks, stats and notes.

Two queries whatever the length of the history: the habit (checked against the acting
person, so another person's habit is NotFound like a missing one), then its entries.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from app.db.tables import Entry, Habit
from app.domain.entries import EntryKind, HabitKind, Measure, is_done
from app.domain.habit_stats import HabitStats, habit_stats
from app.domain.local_days import local_day
from app.domain.schedules import Schedule
from app.domain.streaks import StreakSummary, streak_summary
from app.domain.strength import DailyScore, initial_strength, strength_series
from app.services.errors import NotFound
from app.services.habit_rows import day_entries, kind_of, measure_of, schedule_of
from app.services.principals import Principal


@dataclass(frozen=True)
class HistoryEntry:
    """What was recorded on one day; ``done`` says whether it completes the habit that day."""

    day: date
    kind: EntryKind
    value: float | None
    note: str
    mood: int | None
    felt_difficulty: int | None
    done: bool


@dataclass(frozen=True)
class DayNote:
    day: date
    note: str


@dataclass(frozen=True)
class HabitHistory:
    habit_id: int
    name: str
    question: str
    description: str
    color: str
    kind: HabitKind
    measure: Measure | None
    schedule: Schedule
    today: date
    # The stats window starts on the habit's first day: its creation day or its earliest
    # entry, whichever comes first (history can be filled in for days before creation).
    first_day: date
    entries: tuple[HistoryEntry, ...]  # oldest first, none after today
    strength: tuple[DailyScore, ...]  # one score per day from the first entry to today
    streaks: StreakSummary
    stats: HabitStats
    notes: tuple[DayNote, ...]  # newest first, only days with a note

    @property
    def current_strength(self) -> float:
        return self.strength[-1].score if self.strength else initial_strength(self.kind, self.measure)


def habit_history(db: Session, principal: Principal, habit_id: int, today: date) -> HabitHistory:
    """Everything the detail page shows for the person's habit, as of their ``today``."""
    habit = db.get(Habit, habit_id)
    if habit is None or habit.user_id != principal.user_id:
        raise NotFound("That habit does not exist.")
    assert habit.id is not None
    rows = db.exec(
        select(Entry).where(Entry.habit_id == habit.id, Entry.day <= today).order_by(col(Entry.day))
    ).all()
    schedule, kind, measure = schedule_of(habit), kind_of(habit), measure_of(habit)
    history = day_entries(rows)
    entries = tuple(
        HistoryEntry(
            day=row.day,
            kind=EntryKind(row.kind),
            value=row.value,
            note=row.note,
            mood=row.mood,
            felt_difficulty=row.felt_difficulty,
            done=is_done(day_entry, kind, measure),
        )
        for row, day_entry in zip(rows, history, strict=True)
    )
    created = local_day(habit.created_at, principal.timezone, principal.day_start_hour)
    first_day = min([created, today, *(row.day for row in rows[:1])])
    return HabitHistory(
        habit_id=habit.id,
        name=habit.name,
        question=habit.question,
        description=habit.description,
        color=habit.color,
        kind=kind,
        measure=measure,
        schedule=schedule,
        today=today,
        first_day=first_day,
        entries=entries,
        strength=tuple(strength_series(schedule, history, today, kind, measure)),
        streaks=streak_summary(schedule, history, today, kind, measure),
        stats=habit_stats(schedule, history, first_day, today, kind, measure),
        notes=tuple(DayNote(entry.day, entry.note) for entry in reversed(entries) if entry.note),
    )
