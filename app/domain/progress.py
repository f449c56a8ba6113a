"""Resumable strength and streaks: a habit's progress saved at a day and carried forward.

Strength and streaks depend on the whole history, but only through a small state: the score
on a day, the longest streaks that have ended, and the streak still open. A ``Checkpoint``
holds that state as of its ``through`` day, computed from the entries up to that day only,
so carrying it to today needs the entries from ``needed_from`` on (a few scoring windows),
not the years before. The result equals computing from the whole history (tests compare
both on random histories).

A checkpoint stays valid while no entry on or before ``through`` changes and the habit's
schedule, kind and target stay the same; entries after ``through`` never affect it.
Streak days are only final once no later entry can change them: with "X per Y days" a done
day can complete a window reaching Y - 1 days back, so the streak part stops ``Y - 1`` days
before ``through`` (``settled``) and the scan resumes from there.
"""

from __future__ import annotations

from array import array
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from app.domain.entries import DayEntry, HabitKind, Measure, required_measure
from app.domain.schedules import Schedule
from app.domain.streaks import Streak, StreakSummary, scan_streaks, summarise, top_streaks
from app.domain.strength import initial_strength, lookback_days, scores_between


@dataclass(frozen=True)
class HabitRule:
    """What strength and streaks are judged by: the schedule, the kind and the target."""

    schedule: Schedule
    kind: HabitKind = HabitKind.YES_NO
    measure: Measure | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "measure", required_measure(self.kind, self.measure))

    @property
    def streak_reach(self) -> int:
        """Days after a day that can still change whether it counts toward a streak."""
        return self.schedule.days - 1


@dataclass(frozen=True)
class Checkpoint:
    """Progress as of ``through``, from the entries up to that day."""

    through: date
    first_day: date | None  # the first entry's day; None while nothing was recorded by ``through``
    scores: Sequence[float]  # the score of every day from ``first_day`` to ``through``
    settled: date  # streak statuses are final up to this day
    closed: tuple[Streak, ...]  # the longest streaks that ended by ``settled``
    running: Streak | None  # the streak still open after ``settled``


@dataclass(frozen=True)
class HabitProgress:
    """Strength and streaks on ``today``."""

    today: date
    first_day: date | None
    scores: Sequence[float]  # every day from ``first_day`` to ``today``
    streaks: StreakSummary
    strength: float


def needed_from(rule: HabitRule, checkpoint: Checkpoint | None) -> date | None:
    """The first day whose entry continuing ``checkpoint`` reads (None: the whole history)."""
    if checkpoint is None:
        return None
    scores_from = checkpoint.through + timedelta(days=1 - lookback_days(rule.schedule, rule.measure))
    streaks_from = checkpoint.settled + timedelta(days=1 - rule.streak_reach)
    return min(scores_from, streaks_from)


def checkpoint_at(
    rule: HabitRule, by_day: Mapping[date, DayEntry], through: date, previous: Checkpoint | None = None
) -> Checkpoint:
    """The checkpoint as of ``through``, continuing ``previous`` when given.

    ``by_day`` holds the entries from ``needed_from(rule, previous)`` on; later ones than
    ``through`` are ignored.
    """
    if previous is not None and previous.through > through:
        raise ValueError("A checkpoint only moves forward.")
    known = {day: entry for day, entry in by_day.items() if day <= through}
    settled = through - timedelta(days=rule.streak_reach)
    if previous is not None:
        settled = max(settled, previous.settled)
    first_day, scores, closed, running = _advance(
        rule, previous, known, through, settled, today=through + timedelta(days=1)
    )
    return Checkpoint(through, first_day, scores, settled, top_streaks(closed), running)


def progress_on(
    rule: HabitRule, checkpoint: Checkpoint | None, by_day: Mapping[date, DayEntry], today: date
) -> HabitProgress:
    """Strength and streaks on ``today`` from ``checkpoint`` and the entries it needs."""
    if checkpoint is not None and checkpoint.through >= today:
        raise ValueError("The checkpoint must end before today.")
    known = {day: entry for day, entry in by_day.items() if day <= today}
    first_day, scores, closed, running = _advance(rule, checkpoint, known, today, today, today)
    strength = scores[-1] if scores else initial_strength(rule.kind, rule.measure)
    return HabitProgress(today, first_day, scores, summarise(closed, running), strength)


def _advance(
    rule: HabitRule,
    previous: Checkpoint | None,
    by_day: Mapping[date, DayEntry],
    through: date,
    settle_until: date,
    today: date,
) -> tuple[date | None, array[float], list[Streak], Streak | None]:
    """(first day, scores to ``through``, ended streaks, open streak) continuing ``previous``."""
    started = previous is not None and previous.first_day is not None
    first_day = previous.first_day if previous is not None and started else min(by_day, default=None)
    scores: array[float] = array("d", previous.scores if previous is not None and started else ())
    closed = list(previous.closed) if previous is not None else []
    running = previous.running if previous is not None else None
    if first_day is None:
        return None, scores, closed, running

    if previous is not None and started:
        score_begin, score = previous.through + timedelta(days=1), scores[-1]
    else:
        score_begin, score = first_day, initial_strength(rule.kind, rule.measure)
    if score_begin <= through:
        scores.extend(
            scores_between(rule.schedule, by_day, first_day, score_begin, through, score, rule.measure)
        )

    scan_begin = first_day
    if previous is not None:
        scan_begin = max(first_day, previous.settled + timedelta(days=1))
    if scan_begin <= settle_until:
        ended, running = scan_streaks(
            rule.schedule,
            by_day,
            first_day,
            scan_begin,
            settle_until,
            today,
            running,
            rule.kind,
            rule.measure,
        )
        closed.extend(ended)
    return first_day, scores, closed, running
