"""Streaks: runs of days on which the habit kept to its schedule.

In plain words (the same text the UI shows as ``STREAK_RULE_HELP``):

* Each day is counted, neutral or a break. Skipped days and off days of a weekday schedule
  are neutral: they never break a streak and are not counted in its length.
* Weekday schedule: a chosen weekday is counted when the habit was done, a break otherwise.
* "X times per Y days": a day is counted when it lies inside some stretch of Y consecutive
  days holding at least X done days (Loop Habit Tracker's rule), so days between check-ins
  count as long as the pace is kept. A streak starts on its first done day, never on the
  quiet days a window reaches back over before it.
* Measurable habits: a day is done when the logged value meets the target
  (at least: value >= target; at most: a value was logged and value <= target).
* Today is still open: if today is not yet counted it is neutral, so an unfinished today
  never ends the current streak. The current streak is the one still running at today,
  i.e. the last streak when nothing but neutral days follows it.

A streak's ``start`` and ``end`` are its first and last counted days and ``length`` is the
number of counted days between them.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum, auto

from app.domain.entries import (
    DayEntry,
    EntryKind,
    HabitKind,
    Measure,
    entries_by_day,
    is_done,
    required_measure,
)
from app.domain.schedules import FrequencySchedule, Schedule

TOP_STREAK_COUNT = 10

STREAK_RULE_HELP = (
    "A streak is a run of days on which you kept to your schedule. "
    "Days you skip, and days your schedule has off, never break a streak, "
    "but they do not add to its length either. "
    "For a habit done X times in Y days, a day counts when it falls inside some "
    "Y-day stretch with at least X check-ins, so the days between check-ins count "
    "as long as you keep the pace; a streak starts on its first check-in. "
    "For a measurable habit, a day is done when the amount you log meets the target. "
    "Today is still open: not having checked in yet today does not end your current streak."
)


@dataclass(frozen=True)
class Streak:
    start: date
    end: date
    length: int


@dataclass(frozen=True)
class StreakSummary:
    current: Streak | None
    best: Streak | None
    top: tuple[Streak, ...]

    @property
    def current_length(self) -> int:
        return self.current.length if self.current else 0


class _DayStatus(Enum):
    COUNTED = auto()
    NEUTRAL = auto()
    BREAK = auto()


def all_streaks(
    schedule: Schedule,
    entries: Iterable[DayEntry],
    today: date,
    kind: HabitKind = HabitKind.YES_NO,
    measure: Measure | None = None,
) -> list[Streak]:
    """Every streak up to ``today``, oldest first."""
    streaks, _ = _scan(schedule, entries, today, kind, measure)
    return streaks


def streak_summary(
    schedule: Schedule,
    entries: Iterable[DayEntry],
    today: date,
    kind: HabitKind = HabitKind.YES_NO,
    measure: Measure | None = None,
) -> StreakSummary:
    """Current streak, best streak and the top ones (longest first, then most recent)."""
    streaks, last_is_running = _scan(schedule, entries, today, kind, measure)
    current = streaks[-1] if streaks and last_is_running else None
    ranked = sorted(streaks, key=lambda streak: (streak.length, streak.end), reverse=True)
    top = tuple(ranked[:TOP_STREAK_COUNT])
    return StreakSummary(current=current, best=top[0] if top else None, top=top)


def _scan(
    schedule: Schedule,
    entries: Iterable[DayEntry],
    today: date,
    kind: HabitKind,
    measure: Measure | None,
) -> tuple[list[Streak], bool]:
    """All streaks, and whether the last one is still running at ``today``."""
    checked_measure = required_measure(kind, measure)
    by_day = entries_by_day(entries, up_to=today)
    if not by_day:
        return [], False
    start = min(by_day)
    day_count = (today - start).days + 1
    done = [False] * day_count
    for day, entry in by_day.items():
        done[(day - start).days] = is_done(entry, kind, checked_measure)
    satisfied = _satisfied_days(schedule, done)

    streaks: list[Streak] = []
    first: date | None = None
    last: date | None = None
    length = 0
    for offset in range(day_count):
        day = start + timedelta(days=offset)
        status = _status(schedule, by_day.get(day), satisfied[offset], day == today, day)
        if status is _DayStatus.BREAK:
            if first is not None and last is not None:
                streaks.append(Streak(first, last, length))
            first, last, length = None, None, 0
        elif status is _DayStatus.COUNTED:
            if first is None and not done[offset]:
                continue  # a window reaching back before the first check-in starts nothing
            if first is None:
                first = day
            last = day
            length += 1
    if first is not None and last is not None:
        streaks.append(Streak(first, last, length))
        return streaks, True
    return streaks, False


def _status(
    schedule: Schedule,
    entry: DayEntry | None,
    satisfied: bool,
    is_today: bool,
    day: date,
) -> _DayStatus:
    if entry is not None and entry.kind is EntryKind.SKIPPED:
        return _DayStatus.NEUTRAL
    if not schedule.is_scheduled_on(day):
        return _DayStatus.NEUTRAL
    if satisfied:
        return _DayStatus.COUNTED
    return _DayStatus.NEUTRAL if is_today else _DayStatus.BREAK


def _satisfied_days(schedule: Schedule, done: list[bool]) -> list[bool]:
    """Per day: done (weekday schedules) or inside a Y-day window with >= X done days."""
    if not isinstance(schedule, FrequencySchedule):
        return done
    times, window = schedule.times, schedule.days
    day_count = len(done)
    done_before = [0]  # done_before[i] = done days among the first i days
    for is_done_day in done:
        done_before.append(done_before[-1] + is_done_day)
    coverage_change = [0] * (day_count + 1)
    # Windows may start before the first day; days outside the range hold no check-ins.
    for window_start in range(1 - window, day_count):
        first = max(window_start, 0)
        last = min(window_start + window - 1, day_count - 1)
        if done_before[last + 1] - done_before[first] >= times:
            coverage_change[first] += 1
            coverage_change[last + 1] -= 1
    satisfied: list[bool] = []
    covering_windows = 0
    for offset in range(day_count):
        covering_windows += coverage_change[offset]
        satisfied.append(covering_windows > 0)
    return satisfied
