"""Weekly and monthly strength points: the last daily score inside each period."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.domain.entries import DayEntry, EntryKind
from app.domain.schedules import FrequencySchedule
from app.domain.strength import DailyScore, strength_series
from app.domain.strength_resampling import PeriodScore, Resolution, period_start, resample


def daily(start: date, scores: list[float]) -> list[DailyScore]:
    return [DailyScore(start + timedelta(days=offset), score) for offset, score in enumerate(scores)]


@pytest.mark.parametrize(
    ("day", "resolution", "expected"),
    [
        (date(2026, 3, 12), Resolution.DAY, date(2026, 3, 12)),
        (date(2026, 3, 12), Resolution.WEEK, date(2026, 3, 9)),  # a Thursday -> its Monday
        (date(2026, 3, 9), Resolution.WEEK, date(2026, 3, 9)),  # a Monday is its own start
        (date(2026, 3, 15), Resolution.WEEK, date(2026, 3, 9)),  # Sunday ends the ISO week
        (date(2026, 1, 1), Resolution.WEEK, date(2025, 12, 29)),  # weeks cross the year end
        (date(2026, 3, 12), Resolution.MONTH, date(2026, 3, 1)),
        (date(2024, 2, 29), Resolution.MONTH, date(2024, 2, 1)),
    ],
)
def test_period_start(day: date, resolution: Resolution, expected: date):
    assert period_start(day, resolution) == expected


def test_empty_series_has_no_points():
    for resolution in Resolution:
        assert resample([], resolution) == []


def test_daily_resolution_keeps_every_day():
    series = daily(date(2026, 3, 14), [0.1, 0.2, 0.3])
    assert resample(series, Resolution.DAY) == [
        PeriodScore(date(2026, 3, 14), date(2026, 3, 14), 0.1),
        PeriodScore(date(2026, 3, 15), date(2026, 3, 15), 0.2),
        PeriodScore(date(2026, 3, 16), date(2026, 3, 16), 0.3),
    ]


def test_week_takes_the_last_score_of_each_iso_week():
    # Saturday 7 March 2026 to Wednesday 18 March 2026: a partial week, a full week, a partial week.
    series = daily(date(2026, 3, 7), [0.10, 0.11, 0.20, 0.21, 0.22, 0.23, 0.24, 0.25, 0.26, 0.30, 0.31, 0.32])
    assert resample(series, Resolution.WEEK) == [
        PeriodScore(date(2026, 3, 2), date(2026, 3, 8), 0.11),
        PeriodScore(date(2026, 3, 9), date(2026, 3, 15), 0.26),
        PeriodScore(date(2026, 3, 16), date(2026, 3, 18), 0.32),  # unfinished week: today's score
    ]


def test_month_takes_the_last_score_of_each_calendar_month():
    # 30 January to 2 March 2024 (a leap year): 2 + 29 + 2 days.
    scores = [offset / 100 for offset in range(33)]
    series = daily(date(2024, 1, 30), scores)
    assert resample(series, Resolution.MONTH) == [
        PeriodScore(date(2024, 1, 1), date(2024, 1, 31), 0.01),
        PeriodScore(date(2024, 2, 1), date(2024, 2, 29), 0.30),
        PeriodScore(date(2024, 3, 1), date(2024, 3, 2), 0.32),
    ]


def test_gaps_are_allowed_and_empty_periods_get_no_point():
    series = [
        DailyScore(date(2026, 1, 5), 0.5),
        DailyScore(date(2026, 1, 20), 0.6),
        DailyScore(date(2026, 3, 2), 0.7),
    ]
    assert resample(series, Resolution.WEEK) == [
        PeriodScore(date(2026, 1, 5), date(2026, 1, 5), 0.5),
        PeriodScore(date(2026, 1, 19), date(2026, 1, 20), 0.6),
        PeriodScore(date(2026, 3, 2), date(2026, 3, 2), 0.7),
    ]
    assert resample(series, Resolution.MONTH) == [
        PeriodScore(date(2026, 1, 1), date(2026, 1, 20), 0.6),
        PeriodScore(date(2026, 3, 1), date(2026, 3, 2), 0.7),
    ]


@pytest.mark.parametrize(
    "series",
    [
        [DailyScore(date(2026, 3, 2), 0.1), DailyScore(date(2026, 3, 1), 0.2)],
        [DailyScore(date(2026, 3, 2), 0.1), DailyScore(date(2026, 3, 2), 0.2)],
    ],
)
def test_out_of_order_series_is_refused(series: list[DailyScore]):
    with pytest.raises(ValueError, match="day order"):
        resample(series, Resolution.WEEK)


def test_weekly_points_of_a_real_series_match_its_sundays():
    """A daily habit done every day from Monday 5 Jan 2026: each week's point is its Sunday score."""
    start = date(2026, 1, 5)
    today = date(2026, 1, 21)  # a Wednesday
    entries = [DayEntry(start + timedelta(days=offset), EntryKind.DONE) for offset in range(17)]
    series = strength_series(FrequencySchedule(1, 1), entries, today)
    by_day = dict(series)
    assert resample(series, Resolution.WEEK) == [
        PeriodScore(date(2026, 1, 5), date(2026, 1, 11), by_day[date(2026, 1, 11)]),
        PeriodScore(date(2026, 1, 12), date(2026, 1, 18), by_day[date(2026, 1, 18)]),
        PeriodScore(date(2026, 1, 19), today, by_day[today]),
    ]
    # 7 done days from zero: 1 - m^7 with m = 0.5 ** (1 / 13).
    assert by_day[date(2026, 1, 11)] == pytest.approx(1 - 0.5 ** (7 / 13), abs=1e-12)
