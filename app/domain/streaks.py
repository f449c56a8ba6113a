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

from collections.abc import Iterable, Mapping
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
    streaks, running = _scan_all(schedule, entries, today, kind, measure)
    return streaks + ([running] if running else [])


def streak_summary(
    schedule: Schedule,
    entries: Iterable[DayEntry],
    today: date,
    kind: HabitKind = HabitKind.YES_NO,
    measure: Measure | None = None,
) -> StreakSummary:
    """Current streak, best streak and the top ones (longest first, then most recent)."""
    closed, running = _scan_all(schedule, entries, today, kind, measure)
    return summarise(closed, running)


def summarise(closed: Iterable[Streak], running: Streak | None) -> StreakSummary:
    """The summary of finished streaks plus the one still running at today (if any)."""
    top = top_streaks([*closed, *([running] if running else [])])
    return StreakSummary(current=running, best=top[0] if top else None, top=top)


def top_streaks(streaks: Iterable[Streak]) -> tuple[Streak, ...]:
    """The longest streaks, longest first and the most recent first among equals."""
    ranked = sorted(streaks, key=lambda streak: (streak.length, streak.end), reverse=True)
    return tuple(ranked[:TOP_STREAK_COUNT])


def _scan_all(
    schedule: Schedule,
    entries: Iterable[DayEntry],
    today: date,
    kind: HabitKind,
    measure: Measure | None,
) -> tuple[list[Streak], Streak | None]:
    checked_measure = required_measure(kind, measure)
    by_day = entries_by_day(entries, up_to=today)
    if not by_day:
        return [], None
    first_day = min(by_day)
    return scan_streaks(schedule, by_day, first_day, first_day, today, today, None, kind, checked_measure)


def scan_streaks(
    schedule: Schedule,
    by_day: Mapping[date, DayEntry],
    first_day: date,
    begin: date,
    end: date,
    today: date,
    running: Streak | None,
    kind: HabitKind,
    measure: Measure | None,
) -> tuple[list[Streak], Streak | None]:
    """Streaks ended within days ``begin``..``end``, and the one still open after ``end``.

    ``running`` is the streak open before ``begin``. Only entries in ``by_day`` exist:
    it must hold every entry from ``schedule.days - 1`` days before ``begin`` (or from
    ``first_day``) on. A day's status is final once no entry within ``schedule.days - 1``
    days after it can still change, which is what lets a saved scan resume.
    """
    reach = schedule.days - 1
    low = max(first_day, begin - timedelta(days=reach))
    high = max([end, *by_day]) if by_day else end
    done = [False] * ((high - low).days + 1)
    for day, entry in by_day.items():
        if low <= day <= high:
            done[(day - low).days] = is_done(entry, kind, measure)
    satisfied = _satisfied_days(schedule, done)

    closed: list[Streak] = []
    first, last, length = (running.start, running.end, running.length) if running else (None, None, 0)
    for offset in range((begin - low).days, (end - low).days + 1):
        day = low + timedelta(days=offset)
        status = _status(schedule, by_day.get(day), satisfied[offset], day == today, day)
        if status is _DayStatus.BREAK:
            if first is not None and last is not None:
                closed.append(Streak(first, last, length))
            first, last, length = None, None, 0
        elif status is _DayStatus.COUNTED:
            if first is None and not done[offset]:
                continue  # a window reaching back before the first check-in starts nothing
            if first is None:
                first = day
            last = day
            length += 1
    if first is not None and last is not None:
        return closed, Streak(first, last, length)
    return closed, None


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
