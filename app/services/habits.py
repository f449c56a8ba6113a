"""Habit use cases: define, list for today, record entries, archive, reorder, delete.

Every function takes the acting principal and touches only that person's rows; another
person's ids behave exactly like ids that do not exist (NotFound).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, delete, func, select

from app.db.tables import Entry, Habit
from app.domain.entries import EntryKind, HabitKind
from app.domain.habit_definition import HabitDefinition, InvalidHabit, define_habit, schedule_from
from app.domain.local_days import local_day
from app.services.errors import InvalidInput, NotFound
from app.services.habit_progress import HabitHistory, habits_history
from app.services.habit_rows import apply_definition, kind_of, schedule_of
from app.services.principals import Principal

MAX_NOTE_LENGTH = 1000


@dataclass(frozen=True)
class TodayHabit:
    habit_id: int
    name: str
    question: str
    category: str
    color: str
    kind: HabitKind
    unit: str
    target: float | None
    scheduled_today: bool
    entry_kind: EntryKind | None
    entry_value: float | None
    current_streak: int
    strength: float

    @property
    def done_today(self) -> bool:
        return self.entry_kind is EntryKind.DONE


@dataclass(frozen=True)
class EntryDetails:
    """What a person records for a day; `value` only for measurable habits."""

    kind: EntryKind
    value: float | None = None
    note: str = ""
    mood: int | None = None
    felt_difficulty: int | None = None


def today_for(principal: Principal, now: datetime) -> date:
    """The person's habit day at `now`, under their timezone and day-start hour."""
    return local_day(now, principal.timezone, principal.day_start_hour)


def _owned_habit(db: Session, principal: Principal, habit_id: int) -> Habit:
    habit = db.get(Habit, habit_id)
    if habit is None or habit.user_id != principal.user_id:
        raise NotFound("That habit does not exist.")
    return habit


def _next_position(db: Session, principal: Principal) -> int:
    last = db.exec(select(func.max(Habit.position)).where(Habit.user_id == principal.user_id)).one()
    return (last or 0) + 1


def create_defined_habit(db: Session, principal: Principal, definition: HabitDefinition) -> Habit:
    habit = Habit(user_id=principal.user_id, name=definition.name, position=_next_position(db, principal))
    apply_definition(habit, definition)
    db.add(habit)
    db.flush()
    return habit


def create_habit(db: Session, principal: Principal, raw_name: str) -> Habit:
    """The quick path: a daily yes/no habit with just a name."""
    try:
        definition = define_habit(name=raw_name, schedule=schedule_from(1, 1, None))
    except InvalidHabit as error:
        raise InvalidInput(str(error)) from None
    return create_defined_habit(db, principal, definition)


def update_habit(db: Session, principal: Principal, habit_id: int, definition: HabitDefinition) -> Habit:
    habit = _owned_habit(db, principal, habit_id)
    if habit.kind != definition.kind.value:
        has_entries = db.exec(select(Entry.id).where(Entry.habit_id == habit_id).limit(1)).first()
        if has_entries is not None:
            raise InvalidInput("A habit with check-ins can't switch between yes/no and measurable.")
    apply_definition(habit, definition)
    db.add(habit)
    return habit


def set_archived(db: Session, principal: Principal, habit_id: int, archived: bool) -> None:
    habit = _owned_habit(db, principal, habit_id)
    habit.archived = archived
    db.add(habit)


def delete_habit(db: Session, principal: Principal, habit_id: int) -> int:
    """Delete the habit and its whole history; returns how many entries were lost."""
    _owned_habit(db, principal, habit_id)
    lost = db.exec(select(func.count()).select_from(Entry).where(Entry.habit_id == habit_id)).one()
    db.exec(delete(Entry).where(col(Entry.habit_id) == habit_id))
    db.exec(delete(Habit).where(col(Habit.id) == habit_id))
    return int(lost)


def move_habit(db: Session, principal: Principal, habit_id: int, offset: int) -> None:
    """Move a habit up (-1) or down (+1) in the person's manual order."""
    ordered = list(
        db.exec(
            select(Habit)
            .where(Habit.user_id == principal.user_id)
            .order_by(col(Habit.position), col(Habit.id))
        ).all()
    )
    index = next((i for i, habit in enumerate(ordered) if habit.id == habit_id), None)
    if index is None:
        raise NotFound("That habit does not exist.")
    target = index + offset
    if not 0 <= target < len(ordered):
        return
    ordered.insert(target, ordered.pop(index))
    for position, habit in enumerate(ordered, start=1):
        if habit.position != position:
            habit.position = position
            db.add(habit)


def _validated(habit: Habit, details: EntryDetails) -> EntryDetails:
    note = details.note.strip()
    if len(note) > MAX_NOTE_LENGTH:
        raise InvalidInput(f"Keep the note to {MAX_NOTE_LENGTH} characters.")
    for label, rating in (("Mood", details.mood), ("Felt difficulty", details.felt_difficulty)):
        if rating is not None and not 1 <= rating <= 5:
            raise InvalidInput(f"{label} goes from 1 to 5.")
    measurable = kind_of(habit) is HabitKind.MEASURABLE
    value = details.value
    if measurable and details.kind is not EntryKind.SKIPPED:
        if value is None or value != value or value < 0 or value == float("inf"):
            raise InvalidInput(f"Enter an amount of zero or more ({habit.unit or 'units'}).")
    else:
        # A skip logs no amount, and yes/no habits never do: whatever was sent is dropped.
        value = None
    return EntryDetails(details.kind, value, note, details.mood, details.felt_difficulty)


def record_entry(
    db: Session, principal: Principal, habit_id: int, day: date, today: date, details: EntryDetails
) -> Entry:
    """Create or replace the entry for `day`; days after the person's today are refused."""
    return _record_for(db, _owned_habit(db, principal, habit_id), day, today, details)


def _record_for(db: Session, habit: Habit, day: date, today: date, details: EntryDetails) -> Entry:
    assert habit.id is not None
    if day > today:
        raise InvalidInput("You can't record a day that hasn't started yet.")
    checked = _validated(habit, details)
    entry = db.exec(select(Entry).where(Entry.habit_id == habit.id, Entry.day == day)).first()
    if entry is None:
        entry = Entry(habit_id=habit.id, day=day)
    entry.kind = checked.kind.value
    entry.value = checked.value
    entry.note = checked.note
    entry.mood = checked.mood
    entry.felt_difficulty = checked.felt_difficulty
    db.add(entry)
    db.flush()
    return entry


def check_in(db: Session, principal: Principal, habit_id: int, day: date, today: date) -> Entry:
    """Mark `day` done; refuses days after the person's today and a second entry for a day."""
    _owned_habit(db, principal, habit_id)
    if day > today:
        raise InvalidInput("You can't check in for a day that hasn't started yet.")
    entry = Entry(habit_id=habit_id, day=day, kind=EntryKind.DONE.value)
    db.add(entry)
    try:
        db.flush()
    except IntegrityError:
        raise InvalidInput("That day is already checked in.") from None
    return entry


def undo_check_in(db: Session, principal: Principal, habit_id: int, day: date) -> None:
    _undo_for(db, _owned_habit(db, principal, habit_id), day)


def _undo_for(db: Session, habit: Habit, day: date) -> None:
    entry = db.exec(select(Entry).where(Entry.habit_id == habit.id, Entry.day == day)).first()
    if entry is not None:
        db.delete(entry)


def record_today(
    db: Session, principal: Principal, habit_id: int, today: date, details: EntryDetails | None
) -> TodayHabit:
    """Record today's entry (or with None, clear it) and return the habit's new row on Today."""
    habit = _owned_habit(db, principal, habit_id)
    if details is None:
        _undo_for(db, habit, today)
    else:
        _record_for(db, habit, today, today, details)
    return _today_habits(db, [habit], today, principal.timezone)[0]


def list_today(db: Session, principal: Principal, today: date) -> list[TodayHabit]:
    """Active habits in the person's order with today's entry, streak and strength.

    Three statements whatever the number of habits: the habits, their progress checkpoints,
    and the entries since (app/services/habit_progress.py), plus one upsert on the visits
    that renew checkpoints.
    """
    habits = db.exec(
        select(Habit)
        .where(Habit.user_id == principal.user_id, col(Habit.archived).is_(False))
        .order_by(col(Habit.position), col(Habit.id))
    ).all()
    return _today_habits(db, list(habits), today, principal.timezone)


def _today_habits(db: Session, habits: list[Habit], today: date, timezone: str) -> list[TodayHabit]:
    history = habits_history(db, habits, today, timezone)
    return [_today_habit(habit, history[habit.id or 0], today) for habit in habits]


def _today_habit(habit: Habit, history: HabitHistory, today: date) -> TodayHabit:
    assert habit.id is not None
    todays = history.todays_entry.entry if history.todays_entry else None
    return TodayHabit(
        habit_id=habit.id,
        name=habit.name,
        question=habit.question,
        category=habit.category,
        color=habit.color,
        kind=kind_of(habit),
        unit=habit.unit,
        target=habit.target_value,
        scheduled_today=schedule_of(habit).is_scheduled_on(today),
        entry_kind=todays.kind if todays else None,
        entry_value=todays.value if todays else None,
        current_streak=history.progress.streaks.current_length,
        strength=history.progress.strength,
    )
