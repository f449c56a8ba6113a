"""What was recorded for a habit on one day, and what counts as "done" that day.

Yes/no habits are judged by the entry kind. Measurable habits are judged by the logged
value against the target (the kind only matters when it is SKIPPED), so a value that
misses the target is still progress for the strength score but not a done day.
"""

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class EntryKind(StrEnum):
    DONE = "done"
    SKIPPED = "skipped"
    NOT_DONE = "not_done"


class HabitKind(StrEnum):
    YES_NO = "yes_no"
    MEASURABLE = "measurable"


class TargetDirection(StrEnum):
    AT_LEAST = "at_least"
    AT_MOST = "at_most"


class InvalidEntry(ValueError):
    """The message is shown to the person as is."""


@dataclass(frozen=True)
class Measure:
    """Target per check-in of a measurable habit, e.g. at least 20 "pages"."""

    target: float
    direction: TargetDirection
    unit: str

    def __post_init__(self) -> None:
        if not math.isfinite(self.target) or self.target < 0:
            raise InvalidEntry(f"The target must be zero or more, not {self.target!r}.")

    def is_met_by(self, value: float) -> bool:
        if self.direction is TargetDirection.AT_LEAST:
            return value >= self.target
        return value <= self.target


@dataclass(frozen=True)
class DayEntry:
    """One day's record; ``value`` is the logged amount for measurable habits."""

    day: date
    kind: EntryKind
    value: float | None = None

    def __post_init__(self) -> None:
        if self.value is not None and (not math.isfinite(self.value) or self.value < 0):
            raise InvalidEntry(f"A logged amount must be zero or more, not {self.value!r}.")

    @property
    def logged_amount(self) -> float:
        """The amount that counts toward a measurable target (nothing for a skipped day)."""
        if self.kind is EntryKind.SKIPPED or self.value is None:
            return 0.0
        return self.value


def entries_by_day(entries: Iterable[DayEntry], up_to: date) -> dict[date, DayEntry]:
    """Entries keyed by day, dropping days after ``up_to``; one entry per day is allowed.

    Rejecting conflicting entries (rather than letting the last one win) keeps every
    computation independent of the order the entries arrive in.
    """
    by_day: dict[date, DayEntry] = {}
    for entry in entries:
        if entry.day > up_to:
            continue
        existing = by_day.setdefault(entry.day, entry)
        if existing != entry:
            raise InvalidEntry(f"There are two different entries for {entry.day.isoformat()}.")
    return by_day


def required_measure(kind: HabitKind, measure: Measure | None) -> Measure | None:
    """The measure a habit of ``kind`` is judged by: required for measurable, unused otherwise."""
    if kind is HabitKind.MEASURABLE:
        if measure is None:
            raise InvalidEntry("A measurable habit needs a target and unit.")
        return measure
    return None


def is_done(entry: DayEntry, kind: HabitKind, measure: Measure | None) -> bool:
    """Whether ``entry`` completes the habit that day.

    Measurable habits need a logged value that meets the target; for "at most" habits
    that means a value was logged and stays within the limit.
    """
    if entry.kind is EntryKind.SKIPPED:
        return False
    checked_measure = required_measure(kind, measure)
    if checked_measure is None:
        return entry.kind is EntryKind.DONE
    return entry.value is not None and checked_measure.is_met_by(entry.value)
