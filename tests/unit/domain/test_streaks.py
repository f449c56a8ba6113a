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
from app.domain.schedules import FrequencySchedule, WeekdaySchedule
from app.domain.streaks import (
    STREAK_RULE_HELP,
    TOP_STREAK_COUNT,
    Streak,
    StreakSummary,
    all_streaks,
    streak_summary,
)

DAILY = FrequencySchedule(1, 1)
DONE = EntryKind.DONE
SKIPPED = EntryKind.SKIPPED
NOT_DONE = EntryKind.NOT_DONE
JAN = date(2024, 1, 1)  # a Monday


def day(n: int) -> date:
    """January n, 2024 (n may exceed 31)."""
    return JAN + timedelta(days=n - 1)


def entries(
    done: list[int],
    skipped: tuple[int, ...] | list[int] = (),
    not_done: tuple[int, ...] = (),
) -> list[DayEntry]:
    return (
        [DayEntry(day(n), DONE) for n in done]
        + [DayEntry(day(n), SKIPPED) for n in skipped]
        + [DayEntry(day(n), NOT_DONE) for n in not_done]
    )


def streak(first: int, last: int, length: int) -> Streak:
    return Streak(day(first), day(last), length)


# --- daily habits ----------------------------------------------------------------------


def test_a_missed_day_splits_daily_streaks() -> None:
    summary = streak_summary(DAILY, entries([1, 2, 3, 4, 5, 7, 8]), day(8))
    assert all_streaks(DAILY, entries([1, 2, 3, 4, 5, 7, 8]), day(8)) == [
        streak(1, 5, 5),
        streak(7, 8, 2),
    ]
    assert summary.current == streak(7, 8, 2)
    assert summary.current_length == 2
    assert summary.best == streak(1, 5, 5)
    assert summary.top == (streak(1, 5, 5), streak(7, 8, 2))


def test_an_unfinished_today_keeps_the_current_streak() -> None:
    summary = streak_summary(DAILY, entries([1, 2, 3]), day(4))
    assert summary.current == streak(1, 3, 3)


def test_an_explicit_not_done_today_is_still_open() -> None:
    summary = streak_summary(DAILY, entries([1, 2, 3], not_done=(4,)), day(4))
    assert summary.current == streak(1, 3, 3)


def test_missing_yesterday_ends_the_current_streak() -> None:
    summary = streak_summary(DAILY, entries([1, 2, 3]), day(5))
    assert summary.current is None
    assert summary.current_length == 0
    assert summary.best == streak(1, 3, 3)


def test_skipped_days_bridge_but_do_not_count() -> None:
    result = all_streaks(DAILY, entries([1, 2, 4], skipped=(3,)), day(4))
    assert result == [streak(1, 4, 3)]


def test_skips_up_to_today_keep_the_current_streak() -> None:
    summary = streak_summary(DAILY, entries([1, 2], skipped=(3, 4)), day(5))
    assert summary.current == streak(1, 2, 2)


def test_only_skips_make_no_streak() -> None:
    assert streak_summary(DAILY, entries([], skipped=(1, 2)), day(2)) == StreakSummary(None, None, ())


def test_no_entries_make_no_streak() -> None:
    assert streak_summary(DAILY, [], day(2)) == StreakSummary(None, None, ())


def test_entries_after_today_are_ignored() -> None:
    assert all_streaks(DAILY, entries([1, 2, 5, 6]), day(3)) == [streak(1, 2, 2)]


def test_top_streaks_are_longest_first_then_most_recent_and_capped() -> None:
    lengths = [1, 2, 3, 1, 2, 3, 4, 1, 1, 1, 5, 2]
    done: list[int] = []
    spans = []
    next_day = 1
    for length in lengths:
        spans.append(streak(next_day, next_day + length - 1, length))
        done.extend(range(next_day, next_day + length))
        next_day += length + 1  # one missed day between streaks
    summary = streak_summary(DAILY, entries(done), day(next_day - 2))
    expected = sorted(spans, key=lambda s: (-s.length, -s.end.toordinal()))[:TOP_STREAK_COUNT]
    assert list(summary.top) == expected
    assert len(summary.top) == 10
    assert [s.length for s in summary.top] == [5, 4, 3, 3, 2, 2, 2, 1, 1, 1]
    # Among equal lengths the most recent comes first.
    assert summary.top[2] == spans[5] and summary.top[3] == spans[2]
    assert summary.best == spans[10]
    assert summary.current == spans[-1]


# --- weekday schedules -----------------------------------------------------------------

MON_WED_FRI = WeekdaySchedule(frozenset({0, 2, 4}))


def test_off_days_do_not_break_or_count() -> None:
    # Jan 1, 3, 5, 8 are Mon, Wed, Fri, Mon.
    assert all_streaks(MON_WED_FRI, entries([1, 3, 5, 8]), day(9)) == [streak(1, 8, 4)]


def test_a_missed_scheduled_day_breaks_the_streak() -> None:
    assert all_streaks(MON_WED_FRI, entries([1, 5, 8]), day(9)) == [
        streak(1, 1, 1),
        streak(5, 8, 2),
    ]


def test_check_in_on_an_off_day_is_not_a_streak_day() -> None:
    assert all_streaks(MON_WED_FRI, entries([1, 2, 3]), day(3)) == [streak(1, 3, 2)]


def test_skipping_a_scheduled_day_bridges() -> None:
    assert all_streaks(MON_WED_FRI, entries([1, 5], skipped=(3,)), day(5)) == [streak(1, 5, 2)]


def test_weekday_current_streak_survives_off_days_until_today() -> None:
    # Done Fri Jan 5; Sat and Sun are off; today is Monday Jan 8, still open.
    summary = streak_summary(MON_WED_FRI, entries([1, 3, 5]), day(8))
    assert summary.current == streak(1, 5, 3)
    # By Tuesday, Monday was missed.
    assert streak_summary(MON_WED_FRI, entries([1, 3, 5]), day(9)).current is None


# --- "X times per Y days" -------------------------------------------------------------

THREE_PER_WEEK = FrequencySchedule(3, 7)
TWO_PER_WEEK = FrequencySchedule(2, 7)


def test_days_inside_a_satisfied_window_count() -> None:
    # Mon, Wed, Fri done: the window Jan 1..7 holds 3, so all seven days count.
    assert all_streaks(THREE_PER_WEEK, entries([1, 3, 5]), day(7)) == [streak(1, 7, 7)]


def test_pace_lost_breaks_the_streak() -> None:
    # No window containing Jan 8 holds Jan 1, 3 and 5 together.
    summary = streak_summary(THREE_PER_WEEK, entries([1, 3, 5]), day(9))
    assert summary.top == (streak(1, 7, 7),)
    assert summary.current is None


def test_too_few_check_ins_make_no_streak() -> None:
    assert all_streaks(THREE_PER_WEEK, entries([1, 3]), day(2)) == []
    assert all_streaks(TWO_PER_WEEK, entries([1, 10]), day(20)) == []


def test_a_streak_starts_on_its_first_check_in() -> None:
    # The window Dec 29..Jan 4 would reach back before the first check-in on Jan 4.
    result = all_streaks(TWO_PER_WEEK, entries([4, 5], not_done=(1,)), day(10))
    assert result == [streak(4, 10, 7)]


def test_sliding_windows_bridge_the_gap_between_check_in_pairs() -> None:
    # {1, 2} covers Jan 1..7; {9, 10} covers Jan 4..16; together one unbroken run.
    assert all_streaks(TWO_PER_WEEK, entries([1, 2, 9, 10]), day(12)) == [streak(1, 12, 12)]


def test_skipped_days_are_neutral_in_frequency_schedules() -> None:
    # Once a week, away Jan 2..14 (skipped): the streak survives the holiday.
    once_a_week = FrequencySchedule(1, 7)
    history = entries([1, 15], skipped=list(range(2, 15)))
    assert all_streaks(once_a_week, history, day(15)) == [streak(1, 15, 2)]


def test_current_frequency_streak_reaches_today() -> None:
    summary = streak_summary(THREE_PER_WEEK, entries([1, 3, 5, 8, 10, 12]), day(14))
    assert summary.current == streak(1, 14, 14)


# --- measurable habits -----------------------------------------------------------------


def measured(values: dict[int, float | None]) -> list[DayEntry]:
    return [DayEntry(day(n), DONE, value) for n, value in values.items()]


def test_at_least_counts_days_meeting_the_target() -> None:
    measure = Measure(10.0, TargetDirection.AT_LEAST, "pages")
    history = measured({1: 10.0, 2: 12.0, 3: 9.5, 4: 30.0})
    result = all_streaks(DAILY, history, day(4), HabitKind.MEASURABLE, measure)
    assert result == [streak(1, 2, 2), streak(4, 4, 1)]


def test_at_most_needs_a_logged_value_within_the_limit() -> None:
    measure = Measure(2.0, TargetDirection.AT_MOST, "coffees")
    history = measured({1: 0.0, 2: 2.0, 4: 1.0, 5: 3.0, 6: None, 7: 1.0})
    result = all_streaks(DAILY, history, day(7), HabitKind.MEASURABLE, measure)
    # Day 3 has no entry, day 5 is over the limit, day 6 logged no value.
    assert result == [streak(1, 2, 2), streak(4, 4, 1), streak(7, 7, 1)]


def test_measurable_without_measure_is_rejected() -> None:
    with pytest.raises(InvalidEntry):
        streak_summary(DAILY, entries([1]), day(1), HabitKind.MEASURABLE)


def test_rule_help_is_plain_text_covering_the_rules() -> None:
    assert "skip" in STREAK_RULE_HELP
    assert "Today is still open" in STREAK_RULE_HELP
    assert "X times in Y days" in STREAK_RULE_HELP
    assert "\n" not in STREAK_RULE_HELP
