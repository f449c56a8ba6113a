"""What a person defines when creating or editing a habit, validated in one place."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import time

from app.domain.entries import HabitKind, InvalidEntry, Measure, TargetDirection
from app.domain.habit_names import InvalidHabitName, clean_habit_name
from app.domain.schedules import FrequencySchedule, InvalidSchedule, Schedule, WeekdaySchedule

COLORS = (
    "tomato", "red", "crimson", "pink", "purple", "violet", "indigo", "blue",
    "cyan", "teal", "green", "grass", "orange", "amber", "brown", "gray",
)  # fmt: skip
DEFAULT_COLOR = "violet"
MAX_QUESTION_LENGTH = 200
MAX_DESCRIPTION_LENGTH = 2000
MAX_CATEGORY_LENGTH = 60
MAX_UNIT_LENGTH = 30


class InvalidHabit(ValueError):
    """The message says what is wrong and is shown to the person as is."""


@dataclass(frozen=True)
class HabitDefinition:
    name: str
    schedule: Schedule
    kind: HabitKind = HabitKind.YES_NO
    measure: Measure | None = None
    question: str = ""
    description: str = ""
    category: str = ""
    color: str = DEFAULT_COLOR
    difficulty: int = 3
    target_time: time | None = None


def _bounded_text(value: str, limit: int, label: str) -> str:
    text = value.strip()
    if len(text) > limit:
        raise InvalidHabit(f"Keep the {label} to {limit} characters (this one has {len(text)}).")
    return text


def schedule_from(times: int, days: int, weekdays: frozenset[int] | None) -> Schedule:
    """A weekday schedule when weekdays are given, else "times per days"."""
    try:
        if weekdays is not None:
            return WeekdaySchedule(weekdays)
        return FrequencySchedule(times, days)
    except InvalidSchedule as error:
        raise InvalidHabit(str(error)) from None


def define_habit(
    *,
    name: str,
    schedule: Schedule,
    kind: HabitKind = HabitKind.YES_NO,
    unit: str = "",
    target: float | None = None,
    direction: TargetDirection = TargetDirection.AT_LEAST,
    question: str = "",
    description: str = "",
    category: str = "",
    color: str = DEFAULT_COLOR,
    difficulty: int = 3,
    target_time: time | None = None,
) -> HabitDefinition:
    """Validate every field; raises InvalidHabit naming the first problem."""
    try:
        clean_name = clean_habit_name(name)
    except InvalidHabitName as error:
        raise InvalidHabit(str(error)) from None
    if color not in COLORS:
        raise InvalidHabit(f"Pick one of the offered colors, not {color!r}.")
    if not 1 <= difficulty <= 5:
        raise InvalidHabit("Difficulty goes from 1 (easy) to 5 (hard).")
    measure = None
    if kind is HabitKind.MEASURABLE:
        if target is None or not math.isfinite(target):
            raise InvalidHabit("A measurable habit needs a target, e.g. 20 pages.")
        try:
            measure = Measure(target, direction, _bounded_text(unit, MAX_UNIT_LENGTH, "unit"))
        except InvalidEntry as error:
            raise InvalidHabit(str(error)) from None
    return HabitDefinition(
        name=clean_name,
        schedule=schedule,
        kind=kind,
        measure=measure,
        question=_bounded_text(question, MAX_QUESTION_LENGTH, "question"),
        description=_bounded_text(description, MAX_DESCRIPTION_LENGTH, "description"),
        category=" ".join(_bounded_text(category, MAX_CATEGORY_LENGTH, "category").split()),
        color=color,
        difficulty=difficulty,
        target_time=target_time,
    )


def weekdays_to_mask(weekdays: frozenset[int]) -> int:
    return sum(1 << day for day in weekdays)


def mask_to_weekdays(mask: int) -> frozenset[int]:
    return frozenset(day for day in range(7) if mask & (1 << day))
