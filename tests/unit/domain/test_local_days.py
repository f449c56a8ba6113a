from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from app.domain.local_days import (
    InvalidDayStartHour,
    LocalDayError,
    NaiveDatetime,
    UnknownTimezone,
    local_day,
    zone_for,
)


def utc(year: int, month: int, day: int, hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


def test_plain_local_date_with_midnight_day_start() -> None:
    assert local_day(utc(2024, 5, 5, 12), "Europe/Berlin", 0) == date(2024, 5, 5)
    # 23:30 UTC is already the next day in Berlin (UTC+2 in summer).
    assert local_day(utc(2024, 5, 5, 23, 30), "Europe/Berlin", 0) == date(2024, 5, 6)
    # 03:00 UTC is still the previous evening in New York (UTC-4 in summer).
    assert local_day(utc(2024, 5, 5, 3), "America/New_York", 0) == date(2024, 5, 4)


def test_late_night_belongs_to_the_previous_day_before_day_start() -> None:
    # 00:30 UTC = 02:30 CEST on the 5th; with the day starting at 03:00 it is the 4th.
    assert local_day(utc(2024, 5, 5, 0, 30), "Europe/Berlin", 3) == date(2024, 5, 4)
    assert local_day(utc(2024, 5, 5, 0, 59, 59), "Europe/Berlin", 3) == date(2024, 5, 4)
    assert local_day(utc(2024, 5, 5, 1), "Europe/Berlin", 3) == date(2024, 5, 5)


def test_day_start_hour_23() -> None:
    # 22:59 CEST on the 5th is before the 23:00 start, so it is still the 4th.
    assert local_day(utc(2024, 5, 5, 20, 59), "Europe/Berlin", 23) == date(2024, 5, 4)
    assert local_day(utc(2024, 5, 5, 21), "Europe/Berlin", 23) == date(2024, 5, 5)


@pytest.mark.parametrize(
    ("instant", "hour", "expected"),
    [
        # Berlin springs forward on 2024-03-31: 02:00 CET jumps to 03:00 CEST (01:00 UTC).
        (utc(2024, 3, 30, 22, 59), 0, date(2024, 3, 30)),  # 23:59 CET
        (utc(2024, 3, 30, 23, 0), 0, date(2024, 3, 31)),  # 00:00 CET
        (utc(2024, 3, 31, 0, 59), 3, date(2024, 3, 30)),  # 01:59 CET
        (utc(2024, 3, 31, 1, 0), 3, date(2024, 3, 31)),  # 03:00 CEST
        # Only 2.5 hours after local midnight, but the wall clock says 03:30: new day.
        (utc(2024, 3, 31, 1, 30), 3, date(2024, 3, 31)),
        (utc(2024, 3, 31, 1, 0), 2, date(2024, 3, 31)),  # 03:00 CEST
        (utc(2024, 3, 31, 0, 30), 2, date(2024, 3, 30)),  # 01:30 CET
        (utc(2024, 3, 31, 1, 30), 4, date(2024, 3, 30)),  # 03:30 CEST
        (utc(2024, 3, 31, 2, 0), 4, date(2024, 3, 31)),  # 04:00 CEST
    ],
)
def test_berlin_spring_forward(instant: datetime, hour: int, expected: date) -> None:
    assert local_day(instant, "Europe/Berlin", hour) == expected


@pytest.mark.parametrize(
    ("instant", "hour", "expected"),
    [
        # Berlin falls back on 2024-10-27: 03:00 CEST returns to 02:00 CET (01:00 UTC).
        (utc(2024, 10, 26, 21, 59), 0, date(2024, 10, 26)),  # 23:59 CEST
        (utc(2024, 10, 26, 22, 0), 0, date(2024, 10, 27)),  # 00:00 CEST
        (utc(2024, 10, 27, 0, 30), 3, date(2024, 10, 26)),  # first 02:30 (CEST)
        (utc(2024, 10, 27, 1, 30), 3, date(2024, 10, 26)),  # second 02:30 (CET)
        (utc(2024, 10, 27, 1, 59, 59), 3, date(2024, 10, 26)),  # 02:59:59 CET
        (utc(2024, 10, 27, 2, 0), 3, date(2024, 10, 27)),  # 03:00 CET
        (utc(2024, 10, 27, 0, 59), 2, date(2024, 10, 27)),  # 02:59 CEST
        (utc(2024, 10, 27, 1, 0), 2, date(2024, 10, 27)),  # 02:00 CET
    ],
)
def test_berlin_fall_back(instant: datetime, hour: int, expected: date) -> None:
    assert local_day(instant, "Europe/Berlin", hour) == expected


@pytest.mark.parametrize(
    ("instant", "hour", "expected"),
    [
        # New York springs forward on 2024-03-10: 02:00 EST jumps to 03:00 EDT (07:00 UTC).
        (utc(2024, 3, 10, 4, 59), 0, date(2024, 3, 9)),  # 23:59 EST
        (utc(2024, 3, 10, 5, 0), 0, date(2024, 3, 10)),  # 00:00 EST
        (utc(2024, 3, 10, 6, 59), 3, date(2024, 3, 9)),  # 01:59 EST
        (utc(2024, 3, 10, 7, 0), 3, date(2024, 3, 10)),  # 03:00 EDT
        (utc(2024, 3, 10, 6, 30), 2, date(2024, 3, 9)),  # 01:30 EST
        (utc(2024, 3, 10, 7, 0), 2, date(2024, 3, 10)),  # 03:00 EDT
    ],
)
def test_new_york_spring_forward(instant: datetime, hour: int, expected: date) -> None:
    assert local_day(instant, "America/New_York", hour) == expected


@pytest.mark.parametrize(
    ("instant", "hour", "expected"),
    [
        # New York falls back on 2024-11-03: 02:00 EDT returns to 01:00 EST (06:00 UTC).
        (utc(2024, 11, 3, 3, 59), 0, date(2024, 11, 2)),  # 23:59 EDT
        (utc(2024, 11, 3, 4, 0), 0, date(2024, 11, 3)),  # 00:00 EDT
        (utc(2024, 11, 3, 4, 59), 1, date(2024, 11, 2)),  # 00:59 EDT
        (utc(2024, 11, 3, 5, 30), 1, date(2024, 11, 3)),  # first 01:30 (EDT)
        (utc(2024, 11, 3, 6, 30), 1, date(2024, 11, 3)),  # second 01:30 (EST)
        (utc(2024, 11, 3, 5, 30), 2, date(2024, 11, 2)),  # first 01:30 (EDT)
        (utc(2024, 11, 3, 6, 30), 2, date(2024, 11, 2)),  # second 01:30 (EST)
        (utc(2024, 11, 3, 7, 0), 2, date(2024, 11, 3)),  # 02:00 EST
    ],
)
def test_new_york_fall_back(instant: datetime, hour: int, expected: date) -> None:
    assert local_day(instant, "America/New_York", hour) == expected


@pytest.mark.parametrize(
    ("instant", "hour", "expected"),
    [
        # Kolkata is UTC+05:30 all year.
        (utc(2024, 5, 4, 18, 29), 0, date(2024, 5, 4)),  # 23:59 IST
        (utc(2024, 5, 4, 18, 30), 0, date(2024, 5, 5)),  # 00:00 IST
        (utc(2024, 5, 4, 21, 29), 3, date(2024, 5, 4)),  # 02:59 IST
        (utc(2024, 5, 4, 21, 30), 3, date(2024, 5, 5)),  # 03:00 IST
    ],
)
def test_half_hour_zone(instant: datetime, hour: int, expected: date) -> None:
    assert local_day(instant, "Asia/Kolkata", hour) == expected


def test_any_aware_instant_gives_the_same_day_as_its_utc_form() -> None:
    as_utc = utc(2024, 3, 31, 1, 30)
    as_tokyo = as_utc.astimezone(timezone(timedelta(hours=9)))
    assert local_day(as_tokyo, "Europe/Berlin", 3) == local_day(as_utc, "Europe/Berlin", 3)


@pytest.mark.parametrize("name", ["Mars/Olympus_Mons", "", "../etc/passwd", "europe/nowhere"])
def test_unknown_timezone_is_rejected(name: str) -> None:
    with pytest.raises(UnknownTimezone, match="Unknown time zone"):
        local_day(utc(2024, 1, 1, 12), name, 0)
    with pytest.raises(UnknownTimezone):
        zone_for(name)


@pytest.mark.parametrize("hour", [-1, 24, 100, True, 2.5])
def test_day_start_hour_out_of_range_is_rejected(hour: int) -> None:
    with pytest.raises(InvalidDayStartHour, match="0 to 23"):
        local_day(utc(2024, 1, 1, 12), "UTC", hour)


def test_naive_datetime_is_rejected() -> None:
    with pytest.raises(NaiveDatetime, match="timezone-aware"):
        local_day(datetime(2024, 1, 1, 12), "UTC", 0)


def test_errors_are_value_errors() -> None:
    for error in (UnknownTimezone, InvalidDayStartHour, NaiveDatetime):
        assert issubclass(error, LocalDayError)
        assert issubclass(error, ValueError)
