"""Strength scores, checked against hand-derived closed forms and a naive reference."""

import math
from datetime import date, timedelta

import pytest

from app.domain.entries import (
    DayEntry,
    EntryKind,
    HabitKind,
    InvalidEntry,
    Measure,
    TargetDirection,
)
from app.domain.schedules import FrequencySchedule, Schedule, WeekdaySchedule
from app.domain.strength import DailyScore, strength_on, strength_series

TODAY = date(2024, 6, 30)
DAILY = FrequencySchedule(1, 1)
DONE = EntryKind.DONE
SKIPPED = EntryKind.SKIPPED
NOT_DONE = EntryKind.NOT_DONE


def keep_for(frequency: float) -> float:
    """m = 0.5 ** (sqrt(f) / 13), written out independently of the code under test."""
    return float(0.5 ** (math.sqrt(frequency) / 13))


M_DAILY = keep_for(1.0)


def days_ago(n: int) -> date:
    return TODAY - timedelta(days=n)


def done_on(*offsets: int) -> list[DayEntry]:
    return [DayEntry(days_ago(n), DONE) for n in offsets]


def logged(values: dict[int, float]) -> list[DayEntry]:
    return [DayEntry(days_ago(n), DONE, value) for n, value in values.items()]


def reference_series(
    schedule: Schedule,
    entries: list[DayEntry],
    today: date,
    measure: Measure | None = None,
) -> list[tuple[date, float]]:
    """Naive O(days * window) recomputation of the spec, for comparison."""
    by_day = {entry.day: entry for entry in entries if entry.day <= today}
    if not by_day:
        return []
    times, window = schedule.times, schedule.days
    if measure is None and schedule.frequency < 1:
        times, window = times * 2, window * 2
    keep = keep_for(schedule.frequency)
    at_most = measure is not None and measure.direction is TargetDirection.AT_MOST
    score = 1.0 if at_most else 0.0
    result = []
    day = min(by_day)
    while day <= today:
        recent = [by_day.get(day - timedelta(days=back)) for back in range(window)]
        present = [entry for entry in recent if entry is not None]
        if measure is None:
            progress = min(1.0, sum(entry.kind is DONE for entry in present) / times)
        else:
            total = math.fsum(entry.value for entry in present if entry.kind is not SKIPPED and entry.value)
            allowance = times * measure.target
            if not at_most:
                progress = 1.0 if allowance == 0 else min(1.0, total / allowance)
            elif allowance == 0:
                progress = 0.0 if total > 0 else 1.0
            else:
                progress = min(1.0, max(0.0, 1 - (total - allowance) / allowance))
        entry = by_day.get(day)
        if schedule.is_scheduled_on(day) and (entry is None or entry.kind is not SKIPPED):
            score = score * keep + progress * (1 - keep)
        result.append((day, score))
        day += timedelta(days=1)
    return result


# --- the numbers the issue pins -------------------------------------------------------


def test_daily_habit_done_twenty_days_in_a_row() -> None:
    score = strength_on(DAILY, done_on(*range(20)), TODAY)
    # Loop's published value is 0.655747 (to within 1e-6); exactly it is 1 - m**20.
    assert abs(score - 0.655747) < 1e-6
    assert score == pytest.approx(1 - 0.5 ** (20 / 13), abs=1e-12)


def test_daily_habit_done_only_today() -> None:
    score = strength_on(DAILY, done_on(0), TODAY)
    assert round(score, 6) == 0.051922
    assert score == pytest.approx(1 - M_DAILY, abs=1e-15)


def test_daily_habit_done_for_ninety_days_is_nearly_full() -> None:
    score = strength_on(DAILY, done_on(*range(90)), TODAY)
    assert score > 0.99
    assert score == pytest.approx(1 - 0.5 ** (90 / 13), abs=1e-12)


def test_three_per_week_done_twice_weekly_converges_to_two_thirds() -> None:
    # Doubled window: 14 days, 6 needed; Mon+Thu gives 4 in every 14 days -> 4/6.
    schedule = FrequencySchedule(3, 7)
    first_monday = date(2023, 1, 2)
    year = [first_monday + timedelta(days=i) for i in range(364)]
    entries = [DayEntry(day, DONE) for day in year if day.weekday() in (0, 3)]
    series = strength_series(schedule, entries, year[-1])
    assert len(series) == 364
    assert abs(series[-1].score - 2 / 3) < 0.02
    last_eight_weeks = [point.score for point in series[-56:]]
    assert abs(sum(last_eight_weeks) / len(last_eight_weeks) - 2 / 3) < 0.01


# --- hand-derived closed forms ---------------------------------------------------------


def test_series_spans_first_entry_to_today_and_decays() -> None:
    series = strength_series(DAILY, done_on(3), TODAY)
    assert [point.day for point in series] == [days_ago(n) for n in (3, 2, 1, 0)]
    expected = [(1 - M_DAILY) * M_DAILY**k for k in range(4)]
    assert [point.score for point in series] == pytest.approx(expected, abs=1e-15)


def test_a_missed_day_decays_then_recovers() -> None:
    entries = [
        DayEntry(days_ago(2), DONE),
        DayEntry(days_ago(1), NOT_DONE),
        DayEntry(days_ago(0), DONE),
    ]
    gain = 1 - M_DAILY
    expected = [gain, gain * M_DAILY, gain * M_DAILY**2 + gain]
    scores = [point.score for point in strength_series(DAILY, entries, TODAY)]
    assert scores == pytest.approx(expected, abs=1e-15)


def test_a_skipped_day_keeps_the_score_unchanged() -> None:
    entries = [
        DayEntry(days_ago(2), DONE),
        DayEntry(days_ago(1), SKIPPED),
        DayEntry(days_ago(0), DONE),
    ]
    gain = 1 - M_DAILY
    scores = [point.score for point in strength_series(DAILY, entries, TODAY)]
    assert scores == pytest.approx([gain, gain, gain * M_DAILY + gain], abs=1e-15)
    assert scores[1] == scores[0]


def test_series_items_are_day_score_pairs() -> None:
    series = strength_series(DAILY, done_on(0), TODAY)
    day, score = series[0]
    assert day == TODAY
    assert score == pytest.approx(1 - M_DAILY)


def test_non_daily_yes_no_habit_uses_a_doubled_window() -> None:
    # Once a week -> X=2, Y=14: one check-in gives progress 1/2 for 14 days, then 0.
    schedule = FrequencySchedule(1, 7)
    keep = keep_for(1 / 7)
    series = strength_series(schedule, done_on(15), TODAY)
    expected = []
    score = 0.0
    for age in range(16):  # day offsets 0..15 after the check-in
        progress = 0.5 if age < 14 else 0.0
        score = score * keep + progress * (1 - keep)
        expected.append(score)
    assert [point.score for point in series] == pytest.approx(expected, abs=1e-15)


def test_once_a_week_done_weekly_reaches_full_strength() -> None:
    schedule = FrequencySchedule(1, 7)
    score = strength_on(schedule, done_on(*range(0, 7 * 104, 7)), TODAY)
    assert score > 0.99


def test_weekday_schedule_off_days_keep_the_score() -> None:
    # Mon/Wed/Fri: f = 3/7, doubled window X=6, Y=14.
    schedule = WeekdaySchedule(frozenset({0, 2, 4}))
    monday = date(2024, 6, 24)
    entries = [DayEntry(monday, DONE), DayEntry(monday + timedelta(days=2), DONE)]
    series = strength_series(schedule, entries, monday + timedelta(days=3))
    keep = keep_for(3 / 7)
    monday_score = (1 / 6) * (1 - keep)
    wednesday_score = monday_score * keep + (2 / 6) * (1 - keep)
    assert [point.score for point in series] == pytest.approx(
        [monday_score, monday_score, wednesday_score, wednesday_score], abs=1e-15
    )


def test_check_in_on_an_off_day_still_counts_toward_the_window() -> None:
    schedule = WeekdaySchedule(frozenset({0, 2, 4}))
    tuesday = date(2024, 6, 25)
    series = strength_series(schedule, [DayEntry(tuesday, DONE)], tuesday + timedelta(days=1))
    keep = keep_for(3 / 7)
    assert series[0].score == 0.0
    assert series[1].score == pytest.approx((1 / 6) * (1 - keep), abs=1e-15)


def test_all_weekdays_scores_as_seven_per_seven_days() -> None:
    # The spec maps weekdays to X = len(weekdays), Y = 7, so progress is done-in-7 / 7.
    every_day = WeekdaySchedule(frozenset(range(7)))
    entries = done_on(0, 1, 4, 6, 9)
    weekly = strength_series(FrequencySchedule(7, 7), entries, TODAY)
    assert strength_series(every_day, entries, TODAY) == weekly
    assert strength_on(every_day, done_on(0), TODAY) == pytest.approx((1 - M_DAILY) / 7)


# --- measurable habits -----------------------------------------------------------------


AT_LEAST_10 = Measure(10.0, TargetDirection.AT_LEAST, "pages")
AT_MOST_2 = Measure(2.0, TargetDirection.AT_MOST, "coffees")


def measured_scores(
    schedule: Schedule, entries: list[DayEntry], measure: Measure, today: date = TODAY
) -> list[float]:
    series = strength_series(schedule, entries, today, HabitKind.MEASURABLE, measure)
    return [point.score for point in series]


def test_at_least_progress_is_the_share_of_the_target() -> None:
    scores = measured_scores(DAILY, logged({2: 5.0, 1: 20.0, 0: 0.0}), AT_LEAST_10)
    gain = 1 - M_DAILY
    first = 0.5 * gain
    second = first * M_DAILY + gain
    third = second * M_DAILY
    assert scores == pytest.approx([first, second, third], abs=1e-15)


def test_at_least_sums_the_window_against_target_per_check_in() -> None:
    # 3 per week of at least 10: the 7-day window allows 3 * 10 = 30 (no doubling).
    schedule = FrequencySchedule(3, 7)
    keep = keep_for(3 / 7)
    scores = measured_scores(schedule, logged({1: 12.0, 0: 9.0}), AT_LEAST_10)
    first = (12 / 30) * (1 - keep)
    assert scores == pytest.approx([first, first * keep + (21 / 30) * (1 - keep)], abs=1e-15)


def test_at_most_starts_full_and_drops_with_excess() -> None:
    scores = measured_scores(DAILY, logged({3: 1.0, 2: 3.0, 1: 5.0, 0: 0.0}), AT_MOST_2)
    gain = 1 - M_DAILY
    expected = []
    score = 1.0
    for progress in (1.0, 0.5, 0.0, 1.0):  # 1<=2; 1-(3-2)/2; clamp(1-(5-2)/2); 0<=2
        score = score * M_DAILY + progress * gain
        expected.append(score)
    assert scores == pytest.approx(expected, abs=1e-15)
    assert expected[0] == pytest.approx(1.0)


def test_at_most_with_zero_target_fails_on_anything_logged() -> None:
    none_allowed = Measure(0.0, TargetDirection.AT_MOST, "cigarettes")
    scores = measured_scores(DAILY, logged({2: 0.0, 1: 1.0, 0: 0.0}), none_allowed)
    assert scores == pytest.approx([1.0, M_DAILY, M_DAILY**2 + (1 - M_DAILY)], abs=1e-15)


def test_at_least_with_zero_target_is_always_met() -> None:
    anything = Measure(0.0, TargetDirection.AT_LEAST, "minutes")
    entries = [DayEntry(days_ago(2), NOT_DONE)]
    scores = measured_scores(DAILY, entries, anything)
    assert scores == pytest.approx([1 - M_DAILY**k for k in (1, 2, 3)], abs=1e-15)


def test_skipped_measurable_value_is_ignored() -> None:
    entries = [DayEntry(days_ago(1), DONE, 10.0), DayEntry(days_ago(0), SKIPPED, 50.0)]
    scores = measured_scores(DAILY, entries, AT_LEAST_10)
    assert scores == pytest.approx([1 - M_DAILY, 1 - M_DAILY], abs=1e-15)


# --- boundaries ------------------------------------------------------------------------


def test_no_entries_give_an_empty_series_and_a_starting_score() -> None:
    assert strength_series(DAILY, [], TODAY) == []
    assert strength_on(DAILY, [], TODAY) == 0.0
    assert strength_on(DAILY, [], TODAY, HabitKind.MEASURABLE, AT_LEAST_10) == 0.0
    assert strength_on(DAILY, [], TODAY, HabitKind.MEASURABLE, AT_MOST_2) == 1.0


def test_entries_after_today_are_ignored() -> None:
    future = [DayEntry(TODAY + timedelta(days=1), DONE)]
    assert strength_series(DAILY, future, TODAY) == []
    with_future = done_on(0) + future
    assert strength_series(DAILY, with_future, TODAY) == strength_series(DAILY, done_on(0), TODAY)


def test_a_first_entry_that_is_not_a_check_in_still_starts_the_series() -> None:
    series = strength_series(DAILY, [DayEntry(days_ago(1), SKIPPED)], TODAY)
    assert series == [DailyScore(days_ago(1), 0.0), DailyScore(TODAY, 0.0)]


def test_measurable_habit_without_a_measure_is_rejected() -> None:
    with pytest.raises(InvalidEntry, match="needs a target"):
        strength_series(DAILY, done_on(0), TODAY, HabitKind.MEASURABLE)


def test_conflicting_entries_for_one_day_are_rejected() -> None:
    entries = [DayEntry(TODAY, DONE), DayEntry(TODAY, SKIPPED)]
    with pytest.raises(InvalidEntry, match="two different entries"):
        strength_series(DAILY, entries, TODAY)


def test_identical_duplicate_entries_are_harmless() -> None:
    assert strength_series(DAILY, done_on(0, 0), TODAY) == strength_series(DAILY, done_on(0), TODAY)


# --- agreement with the naive reference --------------------------------------------------


def varied_history(length: int) -> list[DayEntry]:
    """A deterministic mix of done, skipped, not done and missing days."""
    kinds = {0: DONE, 1: DONE, 2: NOT_DONE, 3: DONE, 4: SKIPPED, 5: DONE, 6: None}
    entries = []
    for n in range(length):
        kind = kinds[(n * 5 + n // 7) % 7]
        if kind is not None:
            entries.append(DayEntry(days_ago(n), kind, float((n * 7) % 13)))
    return entries


@pytest.mark.parametrize(
    "schedule",
    [
        DAILY,
        FrequencySchedule(3, 7),
        FrequencySchedule(1, 30),
        FrequencySchedule(5, 5),
        WeekdaySchedule(frozenset({0, 2, 4})),
        WeekdaySchedule(frozenset({6})),
    ],
)
def test_sliding_window_matches_naive_recomputation(schedule: Schedule) -> None:
    entries = varied_history(400)
    fast = strength_series(schedule, entries, TODAY)
    assert [tuple(point) for point in fast] == reference_series(schedule, entries, TODAY)
    for measure in (AT_LEAST_10, AT_MOST_2, Measure(0.0, TargetDirection.AT_MOST, "x")):
        measured = strength_series(schedule, entries, TODAY, HabitKind.MEASURABLE, measure)
        expected = reference_series(schedule, entries, TODAY, measure)
        assert [point.day for point in measured] == [day for day, _ in expected]
        assert [point.score for point in measured] == pytest.approx(
            [score for _, score in expected], abs=1e-9
        )
