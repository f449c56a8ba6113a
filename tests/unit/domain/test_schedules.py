from dataclasses import FrozenInstanceError
from datetime import date, timedelta

import pytest

from app.domain.schedules import FrequencySchedule, InvalidSchedule, WeekdaySchedule

MONDAY = date(2024, 1, 1)


@pytest.mark.parametrize(
    ("times", "days", "expected"),
    [(1, 1, 1.0), (3, 7, 3 / 7), (1, 30, 1 / 30), (5, 5, 1.0), (2, 14, 1 / 7)],
)
def test_frequency_schedule_frequency_is_times_over_days(times: int, days: int, expected: float) -> None:
    assert FrequencySchedule(times, days).frequency == expected


@pytest.mark.parametrize(
    ("weekdays", "expected"),
    [({0}, 1 / 7), ({0, 2, 4}, 3 / 7), (set(range(7)), 1.0)],
)
def test_weekday_schedule_frequency_is_share_of_the_week(weekdays: set[int], expected: float) -> None:
    assert WeekdaySchedule(frozenset(weekdays)).frequency == expected


def test_weekday_schedule_counts_as_times_per_seven_days() -> None:
    schedule = WeekdaySchedule(frozenset({1, 3}))
    assert (schedule.times, schedule.days) == (2, 7)


def test_every_day_is_schedulable_for_frequency_schedules() -> None:
    schedule = FrequencySchedule(3, 7)
    assert all(schedule.is_scheduled_on(MONDAY + timedelta(days=i)) for i in range(14))


def test_weekday_schedule_is_scheduled_only_on_chosen_weekdays() -> None:
    schedule = WeekdaySchedule(frozenset({0, 2, 4}))
    week = [MONDAY + timedelta(days=i) for i in range(7)]
    assert [schedule.is_scheduled_on(day) for day in week] == [
        True,
        False,
        True,
        False,
        True,
        False,
        False,
    ]


def test_weekday_schedule_accepts_any_collection_and_stores_a_frozenset() -> None:
    schedule = WeekdaySchedule([4, 0, 0])  # type: ignore[arg-type]
    assert schedule.weekdays == frozenset({0, 4})
    assert isinstance(schedule.weekdays, frozenset)
    assert schedule == WeekdaySchedule(frozenset({0, 4}))
    assert hash(schedule) == hash(WeekdaySchedule(frozenset({4, 0})))


def test_schedules_are_frozen() -> None:
    schedule = FrequencySchedule(1, 1)
    with pytest.raises(FrozenInstanceError):
        schedule.times = 2  # type: ignore[misc]


@pytest.mark.parametrize(
    ("times", "days", "message"),
    [
        (0, 7, "at least once"),
        (-1, 7, "at least once"),
        (1, 0, "at least one day"),
        (1, -3, "at least one day"),
        (8, 7, "at most 7 times in 7 days"),
        (True, 7, "at least once"),
    ],
)
def test_invalid_frequency_schedules_are_rejected(times: int, days: int, message: str) -> None:
    with pytest.raises(InvalidSchedule, match=message):
        FrequencySchedule(times, days)


@pytest.mark.parametrize(
    ("weekdays", "message"),
    [
        (frozenset(), "Choose at least one weekday"),
        (frozenset({7}), "not 7"),
        (frozenset({0, -1}), "not -1"),
        ("0", "collection"),
    ],
)
def test_invalid_weekday_schedules_are_rejected(weekdays: frozenset[int], message: str) -> None:
    with pytest.raises(InvalidSchedule, match=message):
        WeekdaySchedule(weekdays)


def test_invalid_schedule_is_a_value_error() -> None:
    assert issubclass(InvalidSchedule, ValueError)


@pytest.mark.parametrize(
    ("times", "days", "label"),
    [
        (1, 1, "Every day"),
        (2, 2, "Every day"),
        (1, 7, "Once a week"),
        (2, 7, "Twice a week"),
        (3, 7, "3 times per week"),
        (1, 30, "Once a month"),
        (1, 31, "Once a month"),
        (4, 30, "4 times per month"),
        (1, 2, "Every 2 days"),
        (2, 10, "2 times per 10 days"),
    ],
)
def test_frequency_labels(times: int, days: int, label: str) -> None:
    assert FrequencySchedule(times, days).label == label


@pytest.mark.parametrize(
    ("weekdays", "label"),
    [
        ({4, 0, 2}, "Mon, Wed, Fri"),
        ({6}, "Sun"),
        (set(range(7)), "Every day"),
        (set(range(5)), "Weekdays"),
        ({5, 6}, "Weekends"),
        ({1, 3, 5}, "Tue, Thu, Sat"),
    ],
)
def test_weekday_labels(weekdays: set[int], label: str) -> None:
    assert WeekdaySchedule(frozenset(weekdays)).label == label
