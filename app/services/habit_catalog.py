"""What the Habits page reads: every habit of a person (archived too) with its check-in count.

Read-only; the writes live in app/services/habits.py. Every query is scoped by the principal,
and another person's habit ids raise NotFound exactly like ids that do not exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

from sqlmodel import Session, col, func, select

from app.db.tables import Entry, Habit
from app.domain.entries import HabitKind, TargetDirection
from app.domain.habit_definition import HabitDefinition
from app.services.errors import NotFound
from app.services.habit_rows import kind_of, measure_of, schedule_of
from app.services.principals import Principal


@dataclass(frozen=True)
class CatalogHabit:
    habit_id: int
    name: str
    question: str
    category: str
    color: str
    difficulty: int
    target_time: time | None
    kind: HabitKind
    unit: str
    target: float | None
    direction: TargetDirection
    schedule_label: str
    archived: bool
    entry_count: int


def list_catalog(db: Session, principal: Principal) -> list[CatalogHabit]:
    """All the person's habits in their manual order, archived ones included.

    Two queries whatever the number of habits: the habits, then one grouped count of entries.
    """
    found = db.exec(
        select(Habit).where(Habit.user_id == principal.user_id).order_by(col(Habit.position), col(Habit.id))
    ).all()
    counts: dict[int, int] = {}
    if found:
        counts = {
            habit_id: int(total)
            for habit_id, total in db.exec(
                select(Entry.habit_id, func.count(col(Entry.id)))
                .join(Habit, col(Habit.id) == col(Entry.habit_id))
                .where(Habit.user_id == principal.user_id)
                .group_by(col(Entry.habit_id))
            ).all()
        }
    result = []
    for habit in found:
        assert habit.id is not None
        measure = measure_of(habit)
        result.append(
            CatalogHabit(
                habit_id=habit.id,
                name=habit.name,
                question=habit.question,
                category=habit.category,
                color=habit.color,
                difficulty=habit.difficulty,
                target_time=habit.target_time,
                kind=kind_of(habit),
                unit=habit.unit,
                target=habit.target_value,
                direction=measure.direction if measure else TargetDirection.AT_LEAST,
                schedule_label=schedule_of(habit).label,
                archived=habit.archived,
                entry_count=counts.get(habit.id, 0),
            )
        )
    return result


def categories(db: Session, principal: Principal) -> list[str]:
    """The person's distinct non-empty categories, sorted case-insensitively."""
    names = db.exec(
        select(Habit.category).where(Habit.user_id == principal.user_id, Habit.category != "").distinct()
    ).all()
    return sorted(names, key=lambda name: (name.casefold(), name))


def _owned(db: Session, principal: Principal, habit_id: int) -> Habit:
    habit = db.get(Habit, habit_id)
    if habit is None or habit.user_id != principal.user_id:
        raise NotFound("That habit does not exist.")
    return habit


def habit_definition_of(habit: Habit) -> HabitDefinition:
    """The definition a stored habit was made from, e.g. to prefill the edit form.

    Built as stored, not re-validated: a habit imported with an unusual value can still be
    opened for editing, and saving the form then validates every field.
    """
    return HabitDefinition(
        name=habit.name,
        schedule=schedule_of(habit),
        kind=kind_of(habit),
        measure=measure_of(habit),
        question=habit.question,
        description=habit.description,
        category=habit.category,
        color=habit.color,
        difficulty=habit.difficulty,
        target_time=habit.target_time,
    )


def definition_for(db: Session, principal: Principal, habit_id: int) -> HabitDefinition:
    """The definition of one of the person's habits; NotFound for anyone else's."""
    return habit_definition_of(_owned(db, principal, habit_id))


def deletion_warning(db: Session, principal: Principal, habit_id: int) -> str:
    """What deleting the habit loses, counted now (not from a possibly stale list)."""
    habit = _owned(db, principal, habit_id)
    lost = db.exec(select(func.count()).select_from(Entry).where(Entry.habit_id == habit_id)).one()
    return deletion_warning_text(habit.name, int(lost))


def deletion_warning_text(name: str, entry_count: int) -> str:
    if entry_count == 0:
        return f"Delete “{name}”? It has no check-ins yet. This cannot be undone."
    noun = "check-in" if entry_count == 1 else "check-ins"
    return f"Delete “{name}” and its {entry_count} {noun}? This cannot be undone."
