"""Insights: what a person's history says about a window of days, in seven queries.

Whatever the number of habits, one call runs exactly these statements, all scoped to the
person (``QUERY_COUNT``):

1. the active habits;
2-3. their progress checkpoints and the recent entries that carry them to today (streaks and
   strength: app/services/habit_progress.py), plus one upsert when checkpoints were renewed;
4. done and skipped days per habit, weekday and window (current or previous), GROUP BY;
5. done check-ins per day over the heatmap's year, GROUP BY day;
6. done check-ins per 15-minute UTC bucket of ``recorded_at`` in the window (converted to the
   person's time zone in Python, exact for every zone because offsets are whole quarter hours);
7. moods and done check-ins per day in the window, GROUP BY day.

Where the time goes at scale (see ``make bench``): with checkpoints, strength and streaks read
a few weeks of entries per habit whatever the history's length; the grouped queries grow with
the rows in their window but return few rows.

"Done" in SQL mirrors ``app.domain.entries.is_done``: yes/no habits by the entry kind,
measurable habits by the logged value against the target (integration tests compare both).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from typing import Any

from sqlalchemy import BigInteger, ColumnElement, Integer, Table, and_, case, func, literal, or_, select
from sqlalchemy import cast as sql_cast
from sqlmodel import Session, col
from sqlmodel import select as model_select

from app.db.tables import Habit, metadata
from app.domain.analytics import (
    HEATMAP_WEEKS,
    HOURS_PER_WEEK,
    LOCAL_WEEK_SHIFT_SECONDS,
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
from app.domain.entries import EntryKind, HabitKind
from app.domain.habit_stats import InvalidWindow
from app.domain.local_days import local_day, utc_offsets
from app.services.errors import InvalidInput
from app.services.habit_progress import habits_progress
from app.services.habit_rows import schedule_of
from app.services.principals import Principal

QUERY_COUNT = 7  # plus one upsert on the visits that renew progress checkpoints
UNCATEGORISED = "Other"
# Core columns: plain SQL expressions, typed for mypy (the model attributes read as values).
ENTRIES: Table = metadata.tables["entries"]
HABITS: Table = metadata.tables["habits"]
E, H = ENTRIES.c, HABITS.c


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


def _is_done() -> ColumnElement[int]:
    """1 when the entry completes its habit's day (``is_done`` in SQL), else 0."""
    measurable_met = and_(
        H.kind == HabitKind.MEASURABLE.value,
        E.kind != EntryKind.SKIPPED.value,
        E.value.is_not(None),
        H.target_value.is_not(None),
        or_(
            and_(H.target_direction == "at_least", E.value >= H.target_value),
            and_(H.target_direction == "at_most", E.value <= H.target_value),
        ),
    )
    yes_no_done = and_(H.kind != HabitKind.MEASURABLE.value, E.kind == EntryKind.DONE.value)
    return case((measurable_met, 1), (yes_no_done, 1), else_=0)


def _is_skipped() -> ColumnElement[int]:
    return case((E.kind == EntryKind.SKIPPED.value, 1), else_=0)


def _weekday(dialect: str) -> ColumnElement[Any]:
    """Monday = 0 .. Sunday = 6 of ``entries.day``."""
    if dialect == "postgresql":
        return sql_cast(func.extract("isodow", E.day), Integer) - 1
    return (sql_cast(func.strftime("%w", E.day), Integer) + 6) % 7


def _local_hour_of_week(dialect: str, offsets: list[tuple[int, int]]) -> ColumnElement[Any]:
    """The person's local hour of the week (0 = Monday 00:00) of ``entries.recorded_at``.

    ``offsets`` are the zone's UTC offsets over the instants involved (``utc_offsets``): one
    CASE branch per change, so the database shifts every timestamp exactly, DST included.
    """
    if dialect == "postgresql":
        seconds: ColumnElement[Any] = sql_cast(func.floor(func.extract("epoch", E.recorded_at)), BigInteger)
    else:
        seconds = sql_cast(func.strftime("%s", E.recorded_at), BigInteger)
    # WHEN seconds < (start of the next offset) THEN (this offset), in order.
    changes = [(seconds < later[0], offset) for (_, offset), later in pairwise(offsets)]
    shift = case(*changes, else_=offsets[-1][1]) if changes else literal(offsets[0][1], BigInteger)
    local = seconds + shift + LOCAL_WEEK_SHIFT_SECONDS
    return (local / 3600) % HOURS_PER_WEEK


def _owned(principal: Principal) -> ColumnElement[bool]:
    return and_(H.user_id == principal.user_id, H.archived.is_(False))


def insights(db: Session, principal: Principal, choice: WindowChoice, today: date) -> Insights:
    """Everything the Insights page shows for ``choice`` on the person's ``today``."""
    habits = list(
        db.exec(
            model_select(Habit).where(_owned(principal)).order_by(col(Habit.position), col(Habit.id))
        ).all()
    )
    by_id = {habit.id: habit for habit in habits if habit.id is not None}
    progress = habits_progress(db, habits, today)
    # A habit is judged from the day it was created, or from its first entry if earlier.
    started = {
        habit_id: min(
            [local_day(habit.created_at, principal.timezone, principal.day_start_hour)]
            + ([first] if (first := progress[habit_id].first_day) else [])
        )
        for habit_id, habit in by_id.items()
    }
    try:
        window = resolve_window(choice, today, min(started.values(), default=None))
    except InvalidWindow as error:
        raise InvalidInput(str(error)) from None
    previous = previous_window(window)

    dialect = db.get_bind().dialect.name
    counts = _weekday_counts(db, principal, dialect, window, previous)
    per_habit: list[HabitInsight] = []
    completions: dict[int, tuple[Completion, Completion]] = {}
    standings: list[StreakStanding] = []
    series: list[tuple[date, Sequence[float]]] = []
    for habit_id, habit in by_id.items():
        schedule = schedule_of(habit)
        current = _clipped_completion(schedule, window, started[habit_id], counts[(habit_id, True)])
        before = _clipped_completion(schedule, previous, started[habit_id], counts[(habit_id, False)])
        completions[habit_id] = (current, before)
        streaks, scores, first_day = (
            progress[habit_id].streaks,
            progress[habit_id].scores,
            progress[habit_id].first_day,
        )
        if first_day is not None:
            series.append((first_day, scores))
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
                check_ins=counts[(habit_id, True)].check_ins,
                current_streak=standings[-1].current,
                best_streak=standings[-1].best,
                strength=scores[-1] if scores else 0.0,
            )
        )

    overall = pooled(c for c, _ in completions.values())
    overall_before = pooled(b for _, b in completions.values())
    heat_end = today
    heat_start = heat_end - timedelta(days=heat_end.weekday()) - timedelta(weeks=HEATMAP_WEEKS - 1)
    return Insights(
        window=window,
        previous_window=previous,
        habits=tuple(per_habit),
        categories=_categories(per_habit, completions),
        completion=overall.rate,
        previous_completion=overall_before.rate,
        change=change(overall.rate, overall_before.rate),
        check_ins=sum(counts[(habit_id, True)].check_ins for habit_id in by_id),
        previous_check_ins=sum(counts[(habit_id, False)].check_ins for habit_id in by_id),
        leaderboard=leaderboard(standings),
        strength_trend=average_trend(series, trend_days(window)),
        heatmap=heatmap(_done_per_day(db, principal, Window(heat_start, heat_end)), heat_end),
        weekday_hours=weekday_hour_matrix(_done_per_hour_of_week(db, principal, dialect, window, today)),
        mood=mood_vs_completion(_mood_per_day(db, principal, window), len(by_id)),
    )


def _clipped_completion(schedule: Any, window: Window, started: date, counts: DayCounts) -> Completion:
    """A habit is not judged on days before it started (created, or its first entry)."""
    if started > window.end:
        return NO_COMPLETION
    return completion(schedule, Window(max(window.start, started), window.end), counts)


def _weekday_counts(
    db: Session, principal: Principal, dialect: str, window: Window, previous: Window
) -> defaultdict[tuple[int, bool], DayCounts]:
    # Computed columns are grouped through a subquery: PostgreSQL would not match the bound
    # parameters of a repeated CASE expression in GROUP BY.
    rows = (
        select(
            E.habit_id.label("habit_id"),
            _weekday(dialect).label("weekday"),
            case((E.day >= window.start, 1), else_=0).label("in_current"),
            _is_done().label("done"),
            _is_skipped().label("skipped"),
        )
        .join(HABITS, H.id == E.habit_id)
        .where(_owned(principal), E.day >= previous.start, E.day <= window.end)
        .subquery()
    )
    keys = (rows.c.habit_id, rows.c.weekday, rows.c.in_current)
    statement = select(*keys, func.sum(rows.c.done), func.sum(rows.c.skipped)).group_by(*keys)
    done: defaultdict[tuple[int, bool], list[int]] = defaultdict(lambda: [0] * 7)
    skipped: defaultdict[tuple[int, bool], list[int]] = defaultdict(lambda: [0] * 7)
    for habit_id, day_of_week, current, done_count, skipped_count in db.connection().execute(statement):
        key = (habit_id, bool(current))
        done[key][int(day_of_week)] += int(done_count or 0)
        skipped[key][int(day_of_week)] += int(skipped_count or 0)
    counts: defaultdict[tuple[int, bool], DayCounts] = defaultdict(DayCounts)
    for key in done:
        counts[key] = DayCounts(tuple(done[key]), tuple(skipped[key]))
    return counts


def _done_per_day(db: Session, principal: Principal, window: Window) -> dict[date, int]:
    done = func.sum(_is_done())
    statement = (
        select(E.day, done)
        .join(HABITS, H.id == E.habit_id)
        .where(_owned(principal), E.day >= window.start, E.day <= window.end)
        .group_by(E.day)
    )
    return {day: int(count or 0) for day, count in db.connection().execute(statement)}


def _done_per_hour_of_week(
    db: Session, principal: Principal, dialect: str, window: Window, today: date
) -> list[tuple[int, int]]:
    # Check-ins are recorded on or after their day (late edits up to today), so the zone's
    # offsets from two days before the window to two days after today cover them all.
    offsets = utc_offsets(
        principal.timezone,
        datetime.combine(window.start - timedelta(days=2), time(), tzinfo=UTC),
        datetime.combine(max(window.end, today) + timedelta(days=2), time(), tzinfo=UTC),
    )
    rows = (
        select(_local_hour_of_week(dialect, offsets).label("hour"))
        .join(HABITS, H.id == E.habit_id)
        .where(_owned(principal), E.day >= window.start, E.day <= window.end, _is_done() == 1)
        .subquery()
    )
    statement = select(rows.c.hour, func.count()).group_by(rows.c.hour)
    return [(int(hour), int(count)) for hour, count in db.connection().execute(statement)]


def _mood_per_day(db: Session, principal: Principal, window: Window) -> list[tuple[int, int, int]]:
    statement = (
        select(E.day, func.sum(E.mood), func.count(E.mood), func.sum(_is_done()))
        .join(HABITS, H.id == E.habit_id)
        .where(_owned(principal), E.day >= window.start, E.day <= window.end)
        .group_by(E.day)
    )
    return [
        (int(mood_sum or 0), int(mood_count or 0), int(done or 0))
        for _, mood_sum, mood_count, done in db.connection().execute(statement)
    ]


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
