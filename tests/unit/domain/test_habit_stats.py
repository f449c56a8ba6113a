from datetime import date, timedelta

import pytest

from app.domain.entries import DayEntry, EntryKind, HabitKind, Measure, TargetDirection
from app.domain.habit_stats import (
    HabitStats,
    InvalidWindow,
    habit_stats,
    weekday_occurrences,
)
from app.domain.schedules import FrequencySchedule, WeekdaySchedule

DAILY = FrequencySchedule(1, 1)
DONE = EntryKind.DONE
SKIPPED = EntryKind.SKIPPED
NOT_DONE = EntryKind.NOT_DONE
JAN = date(2024, 1, 1)  # a Monday


def day(n: int) -> date:
    return JAN + timedelta(days=n - 1)


def entries(done: list[int], skipped: tuple[int, ...] = ()) -> list[DayEntry]:
    return [DayEntry(day(n), DONE) for n in done] + [DayEntry(day(n), SKIPPED) for n in skipped]


def test_daily_rate_excludes_skipped_days() -> None:
    stats = habit_stats(DAILY, entries([1, 2, 3, 5, 8, 9], skipped=(6, 7)), day(1), day(10))
    assert stats == HabitStats(
        start=day(1),
        end=day(10),
        completion_rate=6 / 8,
        check_ins=6,
        done_by_weekday=(2, 2, 1, 0, 1, 0, 0),  # Mon 1,8; Tue 2,9; Wed 3; Fri 5
        last_check_in=day(9),
    )


def test_frequency_rate_expects_x_over_y_per_day() -> None:
    three_per_week = FrequencySchedule(3, 7)
    stats = habit_stats(three_per_week, entries([1, 4, 8, 11]), day(1), day(14))
    assert stats.completion_rate == 4 / 6


def test_frequency_rate_is_capped_at_one() -> None:
    three_per_week = FrequencySchedule(3, 7)
    stats = habit_stats(three_per_week, entries(list(range(1, 15))), day(1), day(14))
    assert stats.completion_rate == 1.0
    assert stats.check_ins == 14


def test_frequency_rate_discounts_skipped_days_from_the_expectation() -> None:
    # 14 days minus 7 skipped = 7 open days; 3/7 of 7 = 3 expected; 2 done.
    three_per_week = FrequencySchedule(3, 7)
    stats = habit_stats(three_per_week, entries([1, 2], skipped=tuple(range(8, 15))), day(1), day(14))
    assert stats.completion_rate == pytest.approx(2 / 3)


def test_weekday_rate_counts_scheduled_days_only() -> None:
    # Jan 1..14 has six Mon/Wed/Fri; Fri Jan 5 skipped -> 5 due.
    # Done Mon 1, Wed 3 (scheduled) and Tue 2 (off day): 2 of 5 completed, 3 check-ins.
    schedule = WeekdaySchedule(frozenset({0, 2, 4}))
    stats = habit_stats(schedule, entries([1, 2, 3], skipped=(5,)), day(1), day(14))
    assert stats.completion_rate == 2 / 5
    assert stats.check_ins == 3
    assert stats.done_by_weekday == (1, 1, 1, 0, 0, 0, 0)
    assert stats.last_check_in == day(3)


def test_nothing_expected_gives_no_rate() -> None:
    stats = habit_stats(DAILY, entries([], skipped=(1, 2, 3)), day(1), day(3))
    assert stats.completion_rate is None
    schedule = WeekdaySchedule(frozenset({6}))
    no_sunday = habit_stats(schedule, [], day(1), day(6))
    assert no_sunday.completion_rate is None


def test_empty_history_gives_zero_rate_and_no_check_in() -> None:
    stats = habit_stats(DAILY, [], day(1), day(7))
    assert stats.completion_rate == 0.0
    assert stats.check_ins == 0
    assert stats.done_by_weekday == (0,) * 7
    assert stats.last_check_in is None


def test_entries_outside_the_window_are_ignored() -> None:
    stats = habit_stats(DAILY, entries([1, 5, 6, 12]), day(5), day(10))
    assert stats.check_ins == 2
    assert stats.completion_rate == 2 / 6
    assert stats.last_check_in == day(6)


def test_single_day_window() -> None:
    stats = habit_stats(DAILY, entries([3]), day(3), day(3))
    assert (stats.completion_rate, stats.check_ins, stats.last_check_in) == (
        1.0,
        1,
        day(3),
    )


def test_not_done_entries_are_not_check_ins() -> None:
    history = [DayEntry(day(1), NOT_DONE), DayEntry(day(2), DONE)]
    stats = habit_stats(DAILY, history, day(1), day(2))
    assert (stats.check_ins, stats.completion_rate) == (1, 0.5)


def test_measurable_check_ins_need_the_target() -> None:
    measure = Measure(10.0, TargetDirection.AT_LEAST, "pages")
    history = [DayEntry(day(1), DONE, 10.0), DayEntry(day(2), DONE, 4.0)]
    stats = habit_stats(DAILY, history, day(1), day(2), HabitKind.MEASURABLE, measure)
    assert (stats.check_ins, stats.completion_rate, stats.last_check_in) == (
        1,
        0.5,
        day(1),
    )


def test_reversed_window_is_rejected() -> None:
    with pytest.raises(InvalidWindow, match="after it ends"):
        habit_stats(DAILY, [], day(2), day(1))


@pytest.mark.parametrize("length", [1, 2, 6, 7, 8, 13, 14, 15, 100])
@pytest.mark.parametrize("start_offset", range(7))
def test_weekday_occurrences_matches_walking_the_days(length: int, start_offset: int) -> None:
    start = JAN + timedelta(days=start_offset)
    end = start + timedelta(days=length - 1)
    walked = [start + timedelta(days=i) for i in range(length)]
    for weekday in range(7):
        expected = sum(1 for d in walked if d.weekday() == weekday)
        assert weekday_occurrences(start, end, weekday) == expected
