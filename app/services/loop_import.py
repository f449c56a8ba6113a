"""Import a Loop Habit Tracker file into one person's account: transactional and idempotent.

The caller runs this inside one transaction (session_scope / run_in_session), so a bad file
imports nothing. Habits are matched on an import key (Loop's uuid, or position and name for
old backups without one), entries on (habit, day): importing the same file again changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from app.db.tables import Entry, Habit, User
from app.domain.entries import TargetDirection
from app.domain.habit_definition import COLORS, DEFAULT_COLOR, HabitDefinition, InvalidHabit, define_habit
from app.domain.loop import ImportedHabit, LoopImport
from app.domain.schedules import FrequencySchedule
from app.services.errors import InvalidInput
from app.services.habit_progress import warm_checkpoints
from app.services.habit_rows import apply_definition
from app.services.habits import _next_position
from app.services.principals import Principal


@dataclass(frozen=True)
class ImportOutcome:
    habits_created: int
    habits_matched: int
    entries_created: int
    entries_updated: int
    entries_unchanged: int
    skipped: tuple[str, ...]

    def summary(self) -> str:
        lines = [
            f"Habits: {self.habits_created} created, {self.habits_matched} already imported.",
            f"Entries: {self.entries_created} created, {self.entries_updated} updated, "
            f"{self.entries_unchanged} unchanged.",
        ]
        return "\n".join(lines + [f"Skipped: {reason}" for reason in self.skipped])


def import_key(habit: ImportedHabit) -> str:
    if habit.loop_uuid:
        return f"loop:{habit.loop_uuid}"
    return f"loop:{habit.position}:{habit.name}"[:200]


def _color(index: int | None) -> str:
    return DEFAULT_COLOR if index is None else COLORS[index % len(COLORS)]


def _define(imported: ImportedHabit) -> HabitDefinition:
    measure = imported.measure
    schedule = imported.schedule
    if isinstance(schedule, FrequencySchedule) and schedule.times > schedule.days:
        schedule = FrequencySchedule(schedule.days, schedule.days)
    try:
        return define_habit(
            name=imported.name[:120],
            schedule=schedule,
            kind=imported.kind,
            unit=measure.unit if measure else "",
            target=measure.target if measure else None,
            direction=measure.direction if measure else TargetDirection.AT_LEAST,
            question=imported.question[:200],
            description=imported.description[:2000],
            color=_color(imported.color_index),
        )
    except InvalidHabit as error:
        raise InvalidInput(f"Habit {imported.name!r} can't be imported: {error}") from None


def import_loop(db: Session, principal: Principal, data: LoopImport) -> ImportOutcome:
    created = matched = entries_created = entries_updated = entries_unchanged = 0
    for imported in sorted(data.habits, key=lambda habit: habit.position):
        key = import_key(imported)
        habit = db.exec(
            select(Habit).where(Habit.user_id == principal.user_id, Habit.import_key == key)
        ).first()
        if habit is None:
            habit = Habit(user_id=principal.user_id, name="", position=_next_position(db, principal))
            apply_definition(habit, _define(imported))
            habit.archived = imported.archived
            habit.import_key = key
            db.add(habit)
            db.flush()
            created += 1
        else:
            matched += 1
        existing = {entry.day: entry for entry in db.exec(select(Entry).where(Entry.habit_id == habit.id))}
        notes = imported.notes_by_day()
        for day_entry in imported.entries:
            wanted = (day_entry.kind.value, day_entry.value, notes.get(day_entry.day, ""))
            row = existing.get(day_entry.day)
            if row is None:
                assert habit.id is not None
                db.add(
                    Entry(
                        habit_id=habit.id,
                        day=day_entry.day,
                        kind=wanted[0],
                        value=wanted[1],
                        note=wanted[2][:1000],
                    )
                )
                entries_created += 1
            elif (row.kind, row.value, row.note) == wanted:
                entries_unchanged += 1
            else:
                row.kind, row.value, row.note = wanted[0], wanted[1], wanted[2][:1000]
                db.add(row)
                entries_updated += 1
    db.flush()
    warm_checkpoints(db, principal.user_id)
    return ImportOutcome(
        habits_created=created,
        habits_matched=matched,
        entries_created=entries_created,
        entries_updated=entries_updated,
        entries_unchanged=entries_unchanged,
        skipped=data.report.skipped,
    )


def principal_for_email(db: Session, email: str, create: bool) -> Principal:
    """The operator CLI acts for a person named by email; creates the account when asked."""
    address = email.strip().lower()
    if "@" not in address:
        raise InvalidInput(f"{email!r} is not an email address.")
    user = db.exec(select(User).where(User.email == address)).first()
    if user is None:
        if not create:
            raise InvalidInput(f"No user with email {address}.")
        user = User(display_name=address.split("@")[0], email=address)
        db.add(user)
        db.flush()
    assert user.id is not None
    return Principal(user.id, user.display_name, user.role, user.timezone, user.day_start_hour)
