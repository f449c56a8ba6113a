"""Insights arithmetic over a window of days: pure functions fed with pre-aggregated counts.

The database does the counting (per habit and weekday, per day, per 15-minute bucket); these
functions turn the counts into rates, changes, a weekday x hour matrix, mood buckets and
heatmap levels, so every number the Insights page shows has an exact unit test here.

Completion follows ``app.domain.habit_stats``: a weekday schedule expects each chosen weekday
that was not skipped; "X times per Y days" expects X / Y per day that was not skipped and
doing more than asked still counts as 100%. A category (and "all habits") pools its habits:
capped completed check-ins over expected check-ins, so a habit due daily weighs more than a
habit due weekly.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from app.domain.habit_stats import InvalidWindow, weekday_occurrences
from app.domain.schedules import Schedule, WeekdaySchedule

HOURS_PER_WEEK = 168
HEATMAP_WEEKS = 53
HEATMAP_LEVELS = 4
MAX_TREND_POINTS = 120
MAX_CUSTOM_DAYS = 366 * 20


class WindowKind(StrEnum):
    LAST_7 = "7"
    LAST_30 = "30"
    LAST_90 = "90"
    LAST_365 = "365"
    ALL_TIME = "all"
    CUSTOM = "custom"


DEFAULT_WINDOW_KIND = WindowKind.LAST_30
# The windows a person can keep as their default (a custom range is chosen per visit).
STANDING_WINDOWS = tuple(kind.value for kind in WindowKind if kind is not WindowKind.CUSTOM)
_LENGTHS = {WindowKind.LAST_7: 7, WindowKind.LAST_30: 30, WindowKind.LAST_90: 90, WindowKind.LAST_365: 365}


@dataclass(frozen=True)
class WindowChoice:
    """What the person picked; ``start``/``end`` only matter for a custom range."""

    kind: WindowKind = DEFAULT_WINDOW_KIND
    start: date | None = None
    end: date | None = None


@dataclass(frozen=True)
class Window:
    """Days [start, end], both included."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.start > self.end:
            raise InvalidWindow(f"The window starts ({self.start}) after it ends ({self.end}).")

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end


def resolve_window(choice: WindowChoice, today: date, first_day: date | None) -> Window:
    """The days ``choice`` covers on ``today``; "all time" starts at ``first_day`` (or today)."""
    if choice.kind in _LENGTHS:
        return Window(today - timedelta(days=_LENGTHS[choice.kind] - 1), today)
    if choice.kind is WindowKind.ALL_TIME:
        return Window(min(first_day, today) if first_day else today, today)
    if choice.start is None or choice.end is None:
        raise InvalidWindow("Choose both the first and the last day of the range.")
    if choice.end > today:
        raise InvalidWindow("The range can't end after today.")
    window = Window(choice.start, choice.end)
    if window.days > MAX_CUSTOM_DAYS:
        raise InvalidWindow("Choose a range of at most 20 years.")
    return window


def previous_window(window: Window) -> Window:
    """The window of the same length that ends the day before ``window`` starts."""
    return Window(window.start - timedelta(days=window.days), window.start - timedelta(days=1))


@dataclass(frozen=True)
class DayCounts:
    """Done and skipped days of one habit inside one window, by weekday (index 0 is Monday)."""

    done: tuple[int, ...] = (0,) * 7
    skipped: tuple[int, ...] = (0,) * 7

    @property
    def check_ins(self) -> int:
        return sum(self.done)


@dataclass(frozen=True)
class Completion:
    """Check-ins that completed the schedule (capped at what was expected) and what was expected."""

    completed: float
    expected: float

    @property
    def rate(self) -> float | None:
        return self.completed / self.expected if self.expected else None


NO_COMPLETION = Completion(0.0, 0.0)


def completion(schedule: Schedule, window: Window, counts: DayCounts) -> Completion:
    """How far one habit kept its schedule in ``window`` (same rule as ``habit_stats``)."""
    if isinstance(schedule, WeekdaySchedule):
        chosen = schedule.weekdays
        due = sum(weekday_occurrences(window.start, window.end, weekday) for weekday in chosen)
        due -= sum(counts.skipped[weekday] for weekday in chosen)
        done = sum(counts.done[weekday] for weekday in chosen)
        return Completion(float(min(done, due)), float(due))
    open_days = window.days - sum(counts.skipped)
    expected = schedule.frequency * open_days
    return Completion(min(float(counts.check_ins), expected), expected)


def pooled(completions: Iterable[Completion]) -> Completion:
    """Several habits together: their completed and expected check-ins added up."""
    items = list(completions)
    return Completion(sum(c.completed for c in items), sum(c.expected for c in items))


def change(current: float | None, previous: float | None) -> float | None:
    """Difference of two rates (e.g. 0.8 - 0.5 = 0.3); None when either is unknown."""
    if current is None or previous is None:
        return None
    return current - previous


def weekday_hour_matrix(hours_of_week: Iterable[tuple[int, int]]) -> tuple[tuple[int, ...], ...]:
    """Check-ins per local weekday (rows, Monday first) and hour (24 columns).

    ``hours_of_week`` holds (local hour of the week, 0 = Monday 00:00-00:59 .. 167, count)
    pairs (``app.domain.day_records`` works the hours out).
    """
    matrix = [[0] * 24 for _ in range(7)]
    for hour_of_week, count in hours_of_week:
        matrix[hour_of_week // 24][hour_of_week % 24] += count
    return tuple(tuple(row) for row in matrix)


@dataclass(frozen=True)
class MoodPoint:
    mood: int
    days: int  # days whose average mood rounds to ``mood``
    completion: float | None  # average share of habits done on those days


def mood_vs_completion(days: Iterable[tuple[int, int, int]], habit_count: int) -> tuple[MoodPoint, ...]:
    """Per mood 1..5: on how many days it was the day's mood, and how much got done then.

    ``days`` holds (sum of moods, number of moods, done check-ins) per day; days without a
    mood are ignored. A day's mood is its average mood rounded half up.
    """
    day_count = [0] * 6
    share_sum = [0.0] * 6
    for mood_sum, mood_count, done in days:
        if mood_count <= 0:
            continue
        mood = min(5, max(1, math.floor(mood_sum / mood_count + 0.5)))
        day_count[mood] += 1
        share_sum[mood] += min(1.0, done / habit_count) if habit_count else 0.0
    return tuple(
        MoodPoint(mood, day_count[mood], share_sum[mood] / day_count[mood] if day_count[mood] else None)
        for mood in range(1, 6)
    )


@dataclass(frozen=True)
class HeatmapCell:
    day: date
    count: int
    level: int  # 0 (nothing) .. HEATMAP_LEVELS (busiest), -1 after ``end``


def heatmap(
    counts: Mapping[date, int], end: date, weeks: int = HEATMAP_WEEKS
) -> tuple[tuple[HeatmapCell, ...], ...]:
    """Weeks (Monday first) ending with the week of ``end``; level = ceil(4 * count / max)."""
    first = end - timedelta(days=end.weekday()) - timedelta(weeks=weeks - 1)
    shown = [first + timedelta(days=offset) for offset in range(weeks * 7)]
    busiest = max((counts.get(day, 0) for day in shown if day <= end), default=0)
    columns = []
    for week in range(weeks):
        cells = []
        for day in shown[week * 7 : week * 7 + 7]:
            count = counts.get(day, 0) if day <= end else 0
            level = -1 if day > end else heatmap_level(count, busiest)
            cells.append(HeatmapCell(day, count, level))
        columns.append(tuple(cells))
    return tuple(columns)


def heatmap_level(count: int, busiest: int) -> int:
    if count <= 0 or busiest <= 0:
        return 0
    return -(-count * HEATMAP_LEVELS // busiest)


@dataclass(frozen=True)
class TrendPoint:
    day: date
    strength: float  # average over the habits that had started by ``day``


def trend_days(window: Window, max_points: int = MAX_TREND_POINTS) -> list[date]:
    """Evenly spaced days ending on the window's last day, at most ``max_points`` of them."""
    step = -(-window.days // max_points)
    days = [window.end - timedelta(days=offset) for offset in range(0, window.days, step)]
    return sorted(days)


def average_trend(
    series: Sequence[tuple[date, Sequence[float]]], days: Iterable[date]
) -> tuple[TrendPoint, ...]:
    """Average strength per day over habits whose daily series (first day, scores) covers it."""
    points = []
    for day in days:
        scores = [
            scores[(day - first).days]
            for first, scores in series
            if first <= day and (day - first).days < len(scores)
        ]
        if scores:
            points.append(TrendPoint(day, sum(scores) / len(scores)))
    return tuple(points)


@dataclass(frozen=True)
class StreakStanding:
    habit_id: int
    name: str
    current: int
    best: int


def leaderboard(standings: Iterable[StreakStanding], size: int = 10) -> tuple[StreakStanding, ...]:
    """Longest current streak first, then best streak, then name; habits with no streak left out."""
    ranked = sorted(
        (s for s in standings if s.current or s.best),
        key=lambda s: (-s.current, -s.best, s.name.casefold(), s.habit_id),
    )
    return tuple(ranked[:size])
