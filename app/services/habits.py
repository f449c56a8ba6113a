"""Habit use cases for the day-to-day page: create, list for today, check in, undo."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from app.db.tables import Entry, Habit
from app.domain.habit_names import InvalidHabitName, clean_habit_name
from app.domain.local_days import local_day
from app.services.errors import InvalidInput, NotFound
from app.services.principals import Principal


@dataclass(frozen=True)
class TodayHabit:
    habit_id: int
    name: str
    done_today: bool


def today_for(principal: Principal, now: datetime) -> date:
    """The person's habit day at `now`, under their timezone and day-start hour."""
    return local_day(now, principal.timezone, principal.day_start_hour)


def create_habit(db: Session, principal: Principal, raw_name: str) -> Habit:
    try:
        name = clean_habit_name(raw_name)
    except InvalidHabitName as error:
        raise InvalidInput(str(error)) from None
    last_position = db.exec(select(func.max(Habit.position)).where(Habit.user_id == principal.user_id)).one()
    habit = Habit(user_id=principal.user_id, name=name, position=(last_position or 0) + 1)
    db.add(habit)
    db.flush()
    return habit


def list_today(db: Session, principal: Principal, today: date) -> list[TodayHabit]:
    """Active habits in the person's order, each with whether today is checked (one query)."""
    rows = db.exec(
        select(Habit, Entry.id)
        .outerjoin(Entry, (col(Entry.habit_id) == Habit.id) & (col(Entry.day) == today))
        .where(Habit.user_id == principal.user_id, col(Habit.archived).is_(False))
        .order_by(col(Habit.position), col(Habit.id))
    ).all()
    return [
        TodayHabit(habit_id=habit.id or 0, name=habit.name, done_today=entry_id is not None)
        for habit, entry_id in rows
    ]


def _owned_habit(db: Session, principal: Principal, habit_id: int) -> Habit:
    habit = db.get(Habit, habit_id)
    if habit is None or habit.user_id != principal.user_id:
        raise NotFound("That habit does not exist.")
    return habit


def check_in(db: Session, principal: Principal, habit_id: int, day: date, today: date) -> Entry:
    """Mark `day` done; refuses days after the person's today and a second entry for a day."""
    _owned_habit(db, principal, habit_id)
    if day > today:
        raise InvalidInput("You can't check in for a day that hasn't started yet.")
    entry = Entry(habit_id=habit_id, day=day, kind="done")
    db.add(entry)
    try:
        db.flush()
    except IntegrityError:
        raise InvalidInput("That day is already checked in.") from None
    return entry


def undo_check_in(db: Session, principal: Principal, habit_id: int, day: date) -> None:
    _owned_habit(db, principal, habit_id)
    entry = db.exec(select(Entry).where(Entry.habit_id == habit_id, Entry.day == day)).first()
    if entry is not None:
        db.delete(entry)
