"""Resumed progress equals progress computed from the whole history, whatever the checkpoints."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.entries import DayEntry, EntryKind, HabitKind, Measure, TargetDirection
from app.domain.progress import Checkpoint, HabitRule, checkpoint_at, needed_from, progress_on
from app.domain.schedules import FrequencySchedule, WeekdaySchedule
from app.domain.streaks import streak_summary
from app.domain.strength import initial_strength, strength_series
from tests.unit.domain.test_properties import (
    HISTORY_DAYS,
    TODAY,
    days_ago,
    histories,
    measured_histories,
    measures,
    schedules,
    to_entries,
    to_measured,
)

# Checkpoints as days before TODAY (1 = yesterday); the chain is taken oldest first.
checkpoint_days = st.lists(st.integers(1, HISTORY_DAYS + 5), max_size=3)


def resumed(rule: HabitRule, entries: list[DayEntry], chain: list[int], today: date = TODAY):
    """Progress through a chain of checkpoints, each fed only the entries it asks for."""
    by_day = {entry.day: entry for entry in entries}
    checkpoint: Checkpoint | None = None
    for back in sorted(set(chain), reverse=True):
        checkpoint = checkpoint_at(
            rule, _from(by_day, needed_from(rule, checkpoint)), days_ago(back), checkpoint
        )
    return progress_on(rule, checkpoint, _from(by_day, needed_from(rule, checkpoint)), today)


def _from(by_day: dict[date, DayEntry], first: date | None) -> dict[date, DayEntry]:
    return {day: entry for day, entry in by_day.items() if first is None or day >= first}


def assert_same_as_whole_history(rule: HabitRule, entries: list[DayEntry], chain: list[int]) -> None:
    progress = resumed(rule, entries, chain)
    series = strength_series(rule.schedule, entries, TODAY, rule.kind, rule.measure)
    assert progress.first_day == (series[0].day if series else None)
    assert list(progress.scores) == pytest.approx([point.score for point in series], abs=1e-12)
    expected_strength = series[-1].score if series else initial_strength(rule.kind, rule.measure)
    assert progress.strength == pytest.approx(expected_strength, abs=1e-12)
    assert progress.streaks == streak_summary(rule.schedule, entries, TODAY, rule.kind, rule.measure)


@settings(max_examples=300)
@given(schedules, histories, checkpoint_days)
def test_yes_no_progress_resumes_exactly(schedule, history, chain) -> None:
    assert_same_as_whole_history(HabitRule(schedule), to_entries(history), chain)


@settings(max_examples=300)
@given(schedules, measured_histories, measures, checkpoint_days)
def test_measurable_progress_resumes_exactly(schedule, history, measure, chain) -> None:
    rule = HabitRule(schedule, HabitKind.MEASURABLE, measure)
    assert_same_as_whole_history(rule, to_measured(history), chain)


def test_a_checkpoint_reads_only_the_last_windows() -> None:
    """Ten years of daily history: resuming a daily habit reads a day of it, not ten years."""
    rule = HabitRule(FrequencySchedule(1, 1))
    entries = [DayEntry(TODAY - timedelta(days=back), EntryKind.DONE) for back in range(1, 3651)]
    checkpoint = checkpoint_at(rule, {e.day: e for e in entries}, TODAY - timedelta(days=7))
    assert needed_from(rule, checkpoint) == TODAY - timedelta(days=6)
    recent = {e.day: e for e in entries if e.day >= TODAY - timedelta(days=6)}
    progress = progress_on(rule, checkpoint, recent, TODAY)
    assert progress.streaks.current is not None
    assert progress.streaks.current.length == 3650  # today is still open
    assert progress.first_day == TODAY - timedelta(days=3650)
    assert progress.strength == pytest.approx(strength_series(rule.schedule, entries, TODAY)[-1].score)


def test_a_three_per_week_habit_settles_its_streak_six_days_back() -> None:
    rule = HabitRule(FrequencySchedule(3, 7))
    through = date(2024, 6, 20)
    checkpoint = checkpoint_at(rule, {}, through)
    assert checkpoint.settled == date(2024, 6, 14)
    assert checkpoint.first_day is None
    # Streak windows reach 6 days back from June 15, the score's doubled window 13 from June 21.
    assert needed_from(rule, checkpoint) == date(2024, 6, 8)


def test_weekday_habit_scores_look_back_two_weeks() -> None:
    rule = HabitRule(WeekdaySchedule(frozenset({0, 2, 4})))
    checkpoint = checkpoint_at(rule, {}, date(2024, 6, 20))
    assert needed_from(rule, checkpoint) == date(2024, 6, 8)


def test_checkpoints_only_move_forward_and_end_before_today() -> None:
    rule = HabitRule(FrequencySchedule(1, 1))
    checkpoint = checkpoint_at(rule, {}, TODAY - timedelta(days=3))
    with pytest.raises(ValueError):
        checkpoint_at(rule, {}, TODAY - timedelta(days=4), checkpoint)
    with pytest.raises(ValueError):
        progress_on(rule, checkpoint_at(rule, {}, TODAY), {}, TODAY)


def test_at_most_habit_without_entries_starts_full() -> None:
    rule = HabitRule(
        FrequencySchedule(1, 1), HabitKind.MEASURABLE, Measure(2.0, TargetDirection.AT_MOST, "cups")
    )
    assert progress_on(rule, None, {}, TODAY).strength == 1.0


def test_resumed_streak_sees_the_check_in_that_opens_its_window() -> None:
    """2 per 3 days, measurable: the check-in 3 days before the resumed scan completes its window."""
    rule = HabitRule(
        FrequencySchedule(2, 3), HabitKind.MEASURABLE, Measure(1.0, TargetDirection.AT_LEAST, "km")
    )
    through = TODAY - timedelta(days=5)
    entries = [
        DayEntry(through - timedelta(days=3), EntryKind.DONE, 2.0),
        DayEntry(through - timedelta(days=1), EntryKind.DONE, 2.0),
    ]
    assert_same_as_whole_history(rule, entries, [5])
    assert resumed(rule, entries, [5]).streaks.best is not None
