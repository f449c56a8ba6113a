"""Translate stored rows into domain values (and back); no business rules here."""

from __future__ import annotations

from collections.abc import Iterable

from app.db.tables import Entry, Habit
from app.domain.entries import DayEntry, EntryKind, HabitKind, Measure, TargetDirection
from app.domain.habit_definition import HabitDefinition, mask_to_weekdays, weekdays_to_mask
from app.domain.schedules import FrequencySchedule, Schedule, WeekdaySchedule


def schedule_of(habit: Habit) -> Schedule:
    if habit.schedule_weekdays is not None:
        return WeekdaySchedule(mask_to_weekdays(habit.schedule_weekdays))
    return FrequencySchedule(habit.schedule_times, habit.schedule_days)


def kind_of(habit: Habit) -> HabitKind:
    return HabitKind(habit.kind)


def measure_of(habit: Habit) -> Measure | None:
    if kind_of(habit) is not HabitKind.MEASURABLE or habit.target_value is None:
        return None
    return Measure(habit.target_value, TargetDirection(habit.target_direction), habit.unit)


def day_entries(entries: Iterable[Entry]) -> list[DayEntry]:
    return [DayEntry(entry.day, EntryKind(entry.kind), entry.value) for entry in entries]


def apply_definition(habit: Habit, definition: HabitDefinition) -> None:
    """Copy every defined field onto the row."""
    habit.name = definition.name
    habit.question = definition.question
    habit.description = definition.description
    habit.category = definition.category
    habit.color = definition.color
    habit.difficulty = definition.difficulty
    habit.target_time = definition.target_time
    habit.kind = definition.kind.value
    measure = definition.measure
    habit.unit = measure.unit if measure else ""
    habit.target_value = measure.target if measure else None
    habit.target_direction = (measure.direction if measure else TargetDirection.AT_LEAST).value
    schedule = definition.schedule
    if isinstance(schedule, WeekdaySchedule):
        habit.schedule_weekdays = weekdays_to_mask(schedule.weekdays)
        habit.schedule_times, habit.schedule_days = schedule.times, schedule.days
    else:
        habit.schedule_weekdays = None
        habit.schedule_times, habit.schedule_days = schedule.times, schedule.days
