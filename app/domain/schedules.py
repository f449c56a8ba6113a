"""When a habit is meant to happen: "X times per Y days" or on chosen weekdays.

Both shapes expose the same small surface (``times``, ``days``, ``frequency``,
``is_scheduled_on``, ``label``) so the score, streak and statistics code can treat
a weekday schedule as "len(weekdays) times per 7 days" plus a rule about which days count.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TypeAlias, TypeGuard

WEEKDAY_ABBREVIATIONS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_WORKDAYS = frozenset(range(5))
_WEEKEND = frozenset({5, 6})


class InvalidSchedule(ValueError):
    """The message is shown to the person as is."""


def _is_plain_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


@dataclass(frozen=True)
class FrequencySchedule:
    """At least ``times`` check-ins in every ``days`` consecutive days; any day will do."""

    times: int
    days: int

    def __post_init__(self) -> None:
        if not _is_plain_int(self.times) or self.times < 1:
            raise InvalidSchedule("A habit must be done at least once per period.")
        if not _is_plain_int(self.days) or self.days < 1:
            raise InvalidSchedule("The period must be at least one day long.")
        if self.times > self.days:
            raise InvalidSchedule(
                f"A habit can be done at most once a day, so at most {self.days} times "
                f"in {self.days} days (not {self.times})."
            )

    @property
    def frequency(self) -> float:
        """Expected check-ins per day."""
        return self.times / self.days

    def is_scheduled_on(self, day: date) -> bool:
        """Every day is a valid day to check in; the period, not the day, sets the pace."""
        return True

    @property
    def label(self) -> str:
        return _frequency_label(self.times, self.days)


@dataclass(frozen=True)
class WeekdaySchedule:
    """Due on each chosen weekday (Monday=0 .. Sunday=6); other days are off days."""

    weekdays: frozenset[int]

    def __post_init__(self) -> None:
        # Accept any iterable of ints so callers need not build the frozenset themselves.
        chosen = frozenset(_as_iterable(self.weekdays))
        if not chosen:
            raise InvalidSchedule("Choose at least one weekday.")
        for weekday in chosen:
            if not _is_plain_int(weekday) or not 0 <= weekday <= 6:
                raise InvalidSchedule(f"Weekdays are numbered 0 (Monday) to 6 (Sunday), not {weekday!r}.")
        object.__setattr__(self, "weekdays", chosen)

    @property
    def times(self) -> int:
        """Check-ins due per week."""
        return len(self.weekdays)

    @property
    def days(self) -> int:
        """A weekday schedule repeats every 7 days."""
        return 7

    @property
    def frequency(self) -> float:
        """Expected check-ins per day."""
        return len(self.weekdays) / 7

    def is_scheduled_on(self, day: date) -> bool:
        return day.weekday() in self.weekdays

    @property
    def label(self) -> str:
        if len(self.weekdays) == 7:
            return "Every day"
        if self.weekdays == _WORKDAYS:
            return "Weekdays"
        if self.weekdays == _WEEKEND:
            return "Weekends"
        return ", ".join(WEEKDAY_ABBREVIATIONS[weekday] for weekday in sorted(self.weekdays))


Schedule: TypeAlias = FrequencySchedule | WeekdaySchedule


def _as_iterable(weekdays: object) -> Iterable[object]:
    if isinstance(weekdays, str | bytes) or not isinstance(weekdays, Iterable):
        raise InvalidSchedule("Weekdays must be a collection of day numbers (Monday=0).")
    return weekdays


def _frequency_label(times: int, days: int) -> str:
    if times == days:
        return "Every day"
    if days == 7:
        return _count_per(times, "week")
    if days in (30, 31):
        return _count_per(times, "month")
    if times == 1:
        return f"Every {days} days"
    return f"{times} times per {days} days"


def _count_per(times: int, period: str) -> str:
    if times == 1:
        return f"Once a {period}"
    if times == 2:
        return f"Twice a {period}"
    return f"{times} times per {period}"
