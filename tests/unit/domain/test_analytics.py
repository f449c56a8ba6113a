from datetime import date, timedelta

import pytest

from app.domain.analytics import (
    NO_COMPLETION,
    Completion,
    DayCounts,
    HeatmapCell,
    MoodPoint,
    StreakStanding,
    TrendPoint,
    Window,
    WindowChoice,
    WindowKind,
    average_trend,
    change,
    completion,
    heatmap,
    heatmap_level,
    leaderboard,
    mood_vs_completion,
    pooled,
    previous_window,
    resolve_window,
    trend_days,
    weekday_hour_matrix,
)
from app.domain.habit_stats import InvalidWindow
from app.domain.schedules import FrequencySchedule, WeekdaySchedule

TODAY = date(2024, 3, 13)  # a Wednesday
DAILY = FrequencySchedule(1, 1)
MON_WED_FRI = WeekdaySchedule(frozenset({0, 2, 4}))


def window(start: date, end: date = TODAY) -> Window:
    return Window(start, end)


@pytest.mark.parametrize(
    ("kind", "start"),
    [
        (WindowKind.LAST_7, date(2024, 3, 7)),
        (WindowKind.LAST_30, date(2024, 2, 13)),
        (WindowKind.LAST_90, date(2023, 12, 15)),
        (WindowKind.LAST_365, date(2023, 3, 15)),
    ],
)
def test_fixed_windows_end_today(kind: WindowKind, start: date) -> None:
    resolved = resolve_window(WindowChoice(kind), TODAY, first_day=date(2020, 1, 1))
    assert resolved == Window(start, TODAY)
    assert resolved.days == int(kind.value)


def test_all_time_starts_at_the_first_day_or_today_without_history() -> None:
    assert resolve_window(WindowChoice(WindowKind.ALL_TIME), TODAY, date(2023, 5, 1)) == window(
        date(2023, 5, 1)
    )
    assert resolve_window(WindowChoice(WindowKind.ALL_TIME), TODAY, None) == window(TODAY)
    assert resolve_window(WindowChoice(WindowKind.ALL_TIME), TODAY, date(2025, 1, 1)) == window(TODAY)


def test_custom_ranges_are_checked() -> None:
    choice = WindowChoice(WindowKind.CUSTOM, date(2024, 1, 1), date(2024, 1, 31))
    assert resolve_window(choice, TODAY, None) == Window(date(2024, 1, 1), date(2024, 1, 31))
    with pytest.raises(InvalidWindow, match="both"):
        resolve_window(WindowChoice(WindowKind.CUSTOM, date(2024, 1, 1)), TODAY, None)
    with pytest.raises(InvalidWindow, match="after it ends"):
        resolve_window(WindowChoice(WindowKind.CUSTOM, date(2024, 2, 1), date(2024, 1, 1)), TODAY, None)
    with pytest.raises(InvalidWindow, match="after today"):
        resolve_window(WindowChoice(WindowKind.CUSTOM, TODAY, TODAY + timedelta(days=1)), TODAY, None)
    with pytest.raises(InvalidWindow, match="20 years"):
        resolve_window(WindowChoice(WindowKind.CUSTOM, date(1990, 1, 1), TODAY), TODAY, None)


def test_the_default_window_is_30_days() -> None:
    assert WindowChoice().kind is WindowKind.LAST_30


def test_previous_window_has_the_same_length_and_ends_the_day_before() -> None:
    assert previous_window(Window(date(2024, 3, 7), TODAY)) == Window(date(2024, 2, 29), date(2024, 3, 6))
    assert previous_window(Window(TODAY, TODAY)) == Window(date(2024, 3, 12), date(2024, 3, 12))


def test_daily_completion_leaves_skipped_days_out_and_caps_at_one() -> None:
    counts = DayCounts(done=(1, 1, 1, 1, 0, 0, 1), skipped=(0, 0, 0, 0, 1, 0, 0))
    assert completion(DAILY, window(date(2024, 3, 7)), counts) == Completion(5.0, 6.0)
    twice_a_week = FrequencySchedule(2, 7)
    assert completion(
        twice_a_week, window(date(2024, 3, 7)), DayCounts(done=(1, 1, 1, 0, 0, 0, 0))
    ) == Completion(2.0, 2.0)
    assert completion(DAILY, window(TODAY), DayCounts(skipped=(0, 0, 1, 0, 0, 0, 0))) == NO_COMPLETION


def test_weekday_completion_counts_only_chosen_days() -> None:
    # Thu 7th .. Wed 13th: due Fri, Mon, Wed; done Fri, Sat (off day) and Mon; Wed skipped.
    counts = DayCounts(done=(1, 0, 0, 0, 1, 1, 0), skipped=(0, 0, 1, 0, 0, 0, 0))
    result = completion(MON_WED_FRI, window(date(2024, 3, 7)), counts)
    assert (result, result.rate, counts.check_ins) == (Completion(2.0, 2.0), 1.0, 3)


def test_pooling_and_change() -> None:
    total = pooled([Completion(5.0, 6.0), Completion(1.0, 2.0), NO_COMPLETION])
    assert (total, total.rate) == (Completion(6.0, 8.0), 0.75)
    assert pooled([]).rate is None
    assert change(0.75, 0.5) == 0.25
    assert change(None, 0.5) is None and change(0.5, None) is None


def test_weekday_hour_matrix_places_hours_of_the_week() -> None:
    # Hour 0 is Monday 00:00-00:59; hour 77 is Thursday 05:00-05:59; hour 167 Sunday 23:00.
    matrix = weekday_hour_matrix([(0, 1), (77, 2), (77, 1), (167, 4)])
    assert matrix[0][0] == 1 and matrix[3][5] == 3 and matrix[6][23] == 4
    assert sum(map(sum, matrix)) == 8


def test_mood_buckets_round_half_up_and_average_the_share_done() -> None:
    days = [(4, 1, 2), (5, 2, 0), (9, 2, 4), (0, 0, 3), (5, 1, 1)]
    assert mood_vs_completion(days, habit_count=4) == (
        MoodPoint(1, 0, None),
        MoodPoint(2, 0, None),
        MoodPoint(3, 1, 0.0),  # 2.5 rounds up
        MoodPoint(4, 1, 0.5),
        MoodPoint(5, 2, (1.0 + 0.25) / 2),  # 4.5 rounds up; the moodless day is ignored
    )
    assert mood_vs_completion([(3, 1, 2)], habit_count=0)[2] == MoodPoint(3, 1, 0.0)


def test_heatmap_covers_whole_weeks_up_to_the_week_of_end() -> None:
    counts = {TODAY: 4, date(2024, 3, 11): 1, date(2024, 3, 12): 3, date(2023, 1, 1): 99}
    weeks = heatmap(counts, TODAY, weeks=2)
    assert weeks[0][0] == HeatmapCell(date(2024, 3, 4), 0, 0)
    assert weeks[1] == (
        HeatmapCell(date(2024, 3, 11), 1, 1),
        HeatmapCell(date(2024, 3, 12), 3, 3),
        HeatmapCell(TODAY, 4, 4),
        HeatmapCell(date(2024, 3, 14), 0, -1),
        HeatmapCell(date(2024, 3, 15), 0, -1),
        HeatmapCell(date(2024, 3, 16), 0, -1),
        HeatmapCell(date(2024, 3, 17), 0, -1),
    )
    assert len(heatmap({}, TODAY)) == 53
    assert [heatmap_level(n, 7) for n in (0, 1, 2, 3, 4, 5, 6, 7)] == [0, 1, 2, 2, 3, 3, 4, 4]


def test_trend_days_are_evenly_spaced_and_end_on_the_last_day() -> None:
    assert trend_days(window(date(2024, 3, 7))) == [date(2024, 3, n) for n in range(7, 14)]
    days = trend_days(Window(date(2024, 1, 1), date(2024, 1, 10)), max_points=3)
    assert days == [date(2024, 1, 2), date(2024, 1, 6), date(2024, 1, 10)]


def test_average_trend_uses_habits_that_had_started() -> None:
    series = [(date(2024, 1, 1), [0.1, 0.2, 0.3]), (date(2024, 1, 2), [0.5, 0.7])]
    days = [date(2023, 12, 31), date(2024, 1, 1), date(2024, 1, 3)]
    assert average_trend(series, days) == (
        TrendPoint(date(2024, 1, 1), 0.1),
        TrendPoint(date(2024, 1, 3), pytest.approx(0.5)),
    )


def test_leaderboard_ranks_current_then_best_then_name() -> None:
    standings = [
        StreakStanding(1, "walk", 3, 9),
        StreakStanding(2, "Read", 5, 5),
        StreakStanding(3, "Nothing", 0, 0),
        StreakStanding(4, "Apples", 3, 9),
        StreakStanding(5, "Old", 0, 12),
    ]
    assert [s.habit_id for s in leaderboard(standings)] == [2, 4, 1, 5]
    assert [s.habit_id for s in leaderboard(standings, size=2)] == [2, 4]


def test_a_window_must_not_end_before_it_starts() -> None:
    with pytest.raises(InvalidWindow):
        Window(TODAY, TODAY - timedelta(days=1))
    assert TODAY in Window(TODAY, TODAY) and "x" not in Window(TODAY, TODAY)
