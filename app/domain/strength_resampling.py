"""Habit strength per week or per month, for charts that span years.

Strength is a running score, so a period is summarised by where the score stood at the end
of it: the last daily value inside each ISO week (Monday to Sunday) or calendar month. The
current, unfinished period ends on the series' last day (usually today), so its point is
today's score. Daily resolution passes the series through unchanged.
"""

from collections.abc import Callable, Sequence
from datetime import date, timedelta
from enum import StrEnum
from typing import NamedTuple

from app.domain.strength import DailyScore


class Resolution(StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"


class PeriodScore(NamedTuple):
    """The score at ``last_day``, the latest day of the series inside the period."""

    start: date  # first day of the period: the day itself, a Monday, or the 1st
    last_day: date
    score: float


def period_start(day: date, resolution: Resolution) -> date:
    """The first day of the day / ISO week / calendar month holding ``day``."""
    return _PERIOD_START[resolution](day)


def resample(series: Sequence[DailyScore], resolution: Resolution) -> list[PeriodScore]:
    """One point per period, oldest first: the score on the period's last day in ``series``.

    ``series`` must be in strictly increasing day order (as ``strength_series`` returns it);
    gaps are allowed.
    """
    points: list[PeriodScore] = []
    for index, (day, score) in enumerate(series):
        if index and day <= series[index - 1].day:
            raise ValueError(f"The series must be in day order; {day} follows {series[index - 1].day}.")
        start = period_start(day, resolution)
        if points and points[-1].start == start:
            points[-1] = PeriodScore(start, day, score)
        else:
            points.append(PeriodScore(start, day, score))
    return points


_PERIOD_START: dict[Resolution, Callable[[date], date]] = {
    Resolution.DAY: lambda day: day,
    Resolution.WEEK: lambda day: day - timedelta(days=day.weekday()),
    Resolution.MONTH: lambda day: day.replace(day=1),
}
