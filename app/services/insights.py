"""Insights: what a person's history says about a window of days, in three queries.

Whatever the number of habits and the length of the window, one call runs exactly these
statements, all scoped to the person (``QUERY_COUNT``):

1. the active habits;
2. their saved checkpoints: strength and streak state, and per-day records (what was done,
   skipped, the mood and the local hour of each check-in) up to a week ago;
3. the entries since each checkpoint (a habit's whole history only when its checkpoint is
   missing or stale), plus one upsert on the visits that renew checkpoints.

Every window sum (completion per weekday, check-ins per day for the heatmap, per hour of the
week, moods per day) is then a slice of the per-day records, added up with numpy
(app/domain/day_records.py), so a visit costs O(habits x days in the window) in memory
operations and never re-reads years of entries; ``make bench`` shows how it grows.
The days of the records and the "done" rule are those of ``app.domain.entries.is_done``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlmodel import Session, col, select

from app.db.tables import Habit
from app.domain.analytics import (
    HEATMAP_WEEKS,
    NO_COMPLETION,
    Completion,
    DayCounts,
    HeatmapCell,
    MoodPoint,
    StreakStanding,
    TrendPoint,
    Window,
    WindowChoice,
    average_trend,
    change,
    completion,
    heatmap,
    leaderboard,
    mood_vs_completion,
    pooled,
    previous_window,
    resolve_window,
    trend_days,
    weekday_hour_matrix,
)
from app.domain.day_records import done_per_day, done_per_hour_of_week, moods_per_day, weekday_counts
from app.domain.habit_stats import InvalidWindow
from app.domain.local_days import local_day
from app.services.errors import InvalidInput
from app.services.habit_progress import habits_history
from app.services.habit_rows import schedule_of
from app.services.principals import Principal

QUERY_COUNT = 3  # plus one upsert on the visits that renew progress checkpoints
UNCATEGORISED = "Other"


@dataclass(frozen=True)
class HabitInsight:
    habit_id: int
    name: str
    category: str
    color: str
    completion: float | None
    previous_completion: float | None
    change: float | None
    check_ins: int
    current_streak: int
    best_streak: int
    strength: float


@dataclass(frozen=True)
class CategoryInsight:
    name: str
    habit_count: int
    completion: float | None
    previous_completion: float | None
    change: float | None
    check_ins: int


@dataclass(frozen=True)
class Insights:
    window: Window
    previous_window: Window
    habits: tuple[HabitInsight, ...]
    categories: tuple[CategoryInsight, ...]
    completion: float | None
    previous_completion: float | None
    change: float | None
    check_ins: int
    previous_check_ins: int
    leaderboard: tuple[StreakStanding, ...]
    strength_trend: tuple[TrendPoint, ...]
    heatmap: tuple[tuple[HeatmapCell, ...], ...]
    weekday_hours: tuple[tuple[int, ...], ...]
    mood: tuple[MoodPoint, ...]


def insights(db: Session, principal: Principal, choice: WindowChoice, today: date) -> Insights:
    """Everything the Insights page shows for ``choice`` on the person's ``today``."""
    habits = list(
        db.exec(
            select(Habit)
            .where(Habit.user_id == principal.user_id, col(Habit.archived).is_(False))
            .order_by(col(Habit.position), col(Habit.id))
        ).all()
    )
    by_id = {habit.id: habit for habit in habits if habit.id is not None}
    history = habits_history(db, habits, today, principal.timezone)
    # A habit is judged from the day it was created, or from its first entry if earlier.
    started = {
        habit_id: min(
            [local_day(habit.created_at, principal.timezone, principal.day_start_hour)]
            + ([first] if (first := history[habit_id].progress.first_day) else [])
        )
        for habit_id, habit in by_id.items()
    }
    try:
        window = resolve_window(choice, today, min(started.values(), default=None))
    except InvalidWindow as error:
        raise InvalidInput(str(error)) from None
    previous = previous_window(window)

    per_habit: list[HabitInsight] = []
    completions: dict[int, tuple[Completion, Completion]] = {}
    check_ins: dict[int, tuple[int, int]] = {}
    standings: list[StreakStanding] = []
    series: list[tuple[date, Sequence[float]]] = []
    for habit_id, habit in by_id.items():
        schedule, found = schedule_of(habit), history[habit_id]
        counts = weekday_counts(found.records, window), weekday_counts(found.records, previous)
        current = _clipped_completion(schedule, window, started[habit_id], counts[0])
        before = _clipped_completion(schedule, previous, started[habit_id], counts[1])
        completions[habit_id] = (current, before)
        check_ins[habit_id] = (counts[0].check_ins, counts[1].check_ins)
        streaks, scores = found.progress.streaks, found.progress.scores
        if found.progress.first_day is not None:
            series.append((found.progress.first_day, scores))
        standings.append(
            StreakStanding(
                habit_id, habit.name, streaks.current_length, streaks.best.length if streaks.best else 0
            )
        )
        per_habit.append(
            HabitInsight(
                habit_id=habit_id,
                name=habit.name,
                category=habit.category or UNCATEGORISED,
                color=habit.color,
                completion=current.rate,
                previous_completion=before.rate,
                change=change(current.rate, before.rate),
                check_ins=counts[0].check_ins,
                current_streak=standings[-1].current,
                best_streak=standings[-1].best,
                strength=scores[-1] if scores else 0.0,
            )
        )

    records = [found.records for found in history.values()]
    overall = pooled(c for c, _ in completions.values())
    overall_before = pooled(b for _, b in completions.values())
    heat = Window(today - timedelta(days=today.weekday()) - timedelta(weeks=HEATMAP_WEEKS - 1), today)
    done_on = done_per_day(records, heat)
    return Insights(
        window=window,
        previous_window=previous,
        habits=tuple(per_habit),
        categories=_categories(per_habit, completions),
        completion=overall.rate,
        previous_completion=overall_before.rate,
        change=change(overall.rate, overall_before.rate),
        check_ins=sum(current for current, _ in check_ins.values()),
        previous_check_ins=sum(before for _, before in check_ins.values()),
        leaderboard=leaderboard(standings),
        strength_trend=average_trend(series, trend_days(window)),
        heatmap=heatmap(
            {heat.start + timedelta(days=offset): int(n) for offset, n in enumerate(done_on) if n}, today
        ),
        weekday_hours=weekday_hour_matrix(
            (hour, int(n)) for hour, n in enumerate(done_per_hour_of_week(records, window)) if n
        ),
        mood=mood_vs_completion(moods_per_day(records, window), len(by_id)),
    )


def _clipped_completion(schedule: Any, window: Window, started: date, counts: DayCounts) -> Completion:
    """A habit is not judged on days before it started (created, or its first entry)."""
    if started > window.end:
        return NO_COMPLETION
    return completion(schedule, Window(max(window.start, started), window.end), counts)


def _categories(
    per_habit: list[HabitInsight], completions: dict[int, tuple[Completion, Completion]]
) -> tuple[CategoryInsight, ...]:
    """Categories in order of first appearance, each pooling its habits."""
    grouped: dict[str, list[HabitInsight]] = {}
    for habit in per_habit:
        grouped.setdefault(habit.category, []).append(habit)
    result = []
    for name, members in grouped.items():
        current = pooled(completions[h.habit_id][0] for h in members)
        before = pooled(completions[h.habit_id][1] for h in members)
        result.append(
            CategoryInsight(
                name=name,
                habit_count=len(members),
                completion=current.rate,
                previous_completion=before.rate,
                change=change(current.rate, before.rate),
                check_ins=sum(h.check_ins for h in members),
            )
        )
    return tuple(result)
