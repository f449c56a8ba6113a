"""Habit strength: the exponentially smoothed score Loop Habit Tracker shows.

Each counted day moves the score a fixed fraction toward how well the recent window met the
schedule: ``score = previous * m + progress * (1 - m)`` with ``m = 0.5 ** (sqrt(f) / 13)``,
so a daily habit needs about 13 days to cover half the distance and rarer habits move more
slowly. Skipped days, and off days of a weekday schedule, leave the score where it was.

Progress on a day looks back over the schedule's window of Y days (ending that day):

* yes/no: done days in the window / X, capped at 1. For schedules rarer than daily both X and
  Y are doubled so that irregular timing (twice early in one week, then late in the next)
  does not make the score jump around.
* measurable: the target applies to each check-in, so the window allows X * target. "At least"
  progress is logged sum / allowance (capped at 1); "at most" progress falls from 1 as the sum
  exceeds the allowance, reaching 0 at twice the allowance. With a target of 0, "at least" is
  always met and "at most" is met only if nothing above 0 was logged. "At most" habits start
  at full strength because not doing something is the goal from day one.

Values logged on off days of a weekday schedule still count toward the window sum.
The series runs from the first entry's day to ``today``, one running pass with a sliding
window sum, so its cost grows with the number of days, not days times window length.
"""

import math
from collections.abc import Callable, Iterable, Mapping
from datetime import date, timedelta
from typing import NamedTuple

from app.domain.entries import (
    DayEntry,
    EntryKind,
    HabitKind,
    Measure,
    TargetDirection,
    entries_by_day,
    required_measure,
)
from app.domain.schedules import Schedule

HALF_LIFE_DIVISOR = 13

Progress = Callable[[float, int], float]


class DailyScore(NamedTuple):
    day: date
    score: float


def day_multiplier(frequency: float) -> float:
    """Share of yesterday's score that survives into today for a habit done ``frequency``/day."""
    return math.pow(0.5, math.sqrt(frequency) / HALF_LIFE_DIVISOR)


def initial_strength(kind: HabitKind = HabitKind.YES_NO, measure: Measure | None = None) -> float:
    """Score before any day is counted: full for "at most" habits, empty otherwise."""
    if kind is HabitKind.MEASURABLE and measure is not None and measure.direction is TargetDirection.AT_MOST:
        return 1.0
    return 0.0


def strength_series(
    schedule: Schedule,
    entries: Iterable[DayEntry],
    today: date,
    kind: HabitKind = HabitKind.YES_NO,
    measure: Measure | None = None,
) -> list[DailyScore]:
    """The score on every day from the first entry up to ``today`` (empty without entries)."""
    checked_measure = required_measure(kind, measure)
    by_day = entries_by_day(entries, up_to=today)
    if not by_day:
        return []
    start = min(by_day)
    scores = scores_between(
        schedule, by_day, start, start, today, initial_strength(kind, checked_measure), checked_measure
    )
    return [DailyScore(start + timedelta(days=offset), score) for offset, score in enumerate(scores)]


def scores_between(
    schedule: Schedule,
    by_day: Mapping[date, DayEntry],
    first_day: date,
    begin: date,
    end: date,
    score: float,
    measure: Measure | None,
) -> list[float]:
    """The scores of days ``begin``..``end``, continuing from ``score`` (the day before's).

    ``by_day`` must hold every entry from ``lookback_days`` before ``begin`` (or from
    ``first_day``, the first entry's day) to ``end``; this is what lets a saved score resume.
    """
    times, window_days = _scoring_window(schedule, measure)
    progress = _progress_rule(times, measure)
    keep = day_multiplier(schedule.frequency)
    # Warm the sliding window with the days before `begin` that it still reaches.
    warm_from = max(first_day, begin - timedelta(days=window_days - 1))
    amounts: list[float] = []
    window_sum = 0.0
    positive_days = 0
    scores: list[float] = []
    for offset in range((end - warm_from).days + 1):
        day = warm_from + timedelta(days=offset)
        entry = by_day.get(day)
        amount = _amount(entry, measure)
        amounts.append(amount)
        window_sum += amount
        positive_days += amount > 0
        if offset >= window_days:
            leaving = amounts[offset - window_days]
            window_sum -= leaving
            positive_days -= leaving > 0
        if positive_days == 0:
            window_sum = 0.0  # drop float residue once the window is empty
        if day < begin:
            continue
        counted = schedule.is_scheduled_on(day) and not (
            entry is not None and entry.kind is EntryKind.SKIPPED
        )
        if counted:
            score = score * keep + progress(window_sum, positive_days) * (1 - keep)
        scores.append(score)
    return scores


def lookback_days(schedule: Schedule, measure: Measure | None) -> int:
    """How many days before a day its score still looks at (the scoring window, minus one)."""
    return _scoring_window(schedule, measure)[1] - 1


def strength_on(
    schedule: Schedule,
    entries: Iterable[DayEntry],
    today: date,
    kind: HabitKind = HabitKind.YES_NO,
    measure: Measure | None = None,
) -> float:
    """Today's score; the starting score when nothing was recorded up to today."""
    series = strength_series(schedule, entries, today, kind, measure)
    return series[-1].score if series else initial_strength(kind, measure)


def _scoring_window(schedule: Schedule, measure: Measure | None) -> tuple[int, int]:
    """(X, Y) used for progress; doubled for yes/no habits rarer than daily."""
    if measure is None and schedule.frequency < 1:
        return schedule.times * 2, schedule.days * 2
    return schedule.times, schedule.days


def _amount(entry: DayEntry | None, measure: Measure | None) -> float:
    if entry is None:
        return 0.0
    if measure is None:
        return 1.0 if entry.kind is EntryKind.DONE else 0.0
    return entry.logged_amount


def _progress_rule(times: int, measure: Measure | None) -> Progress:
    """How far the window's sum (and its count of non-zero days) is toward the goal, 0..1."""
    if measure is None:
        return lambda done_days, _: min(1.0, done_days / times)
    allowance = times * measure.target
    if measure.direction is TargetDirection.AT_LEAST:
        if allowance == 0:
            return lambda _sum, _days: 1.0
        return lambda total, _: min(1.0, total / allowance)
    if allowance == 0:
        return lambda _sum, logged_days: 0.0 if logged_days else 1.0
    return lambda total, _: min(1.0, max(0.0, 1 - (total - allowance) / allowance))
