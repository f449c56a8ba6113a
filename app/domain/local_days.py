"""Which habit day an instant belongs to for one person.

A habit day is the person's local calendar date, shifted by their day-start hour so that
a late-night check-in (02:30 with day start 03:00) still counts for the evening before.
The shift is applied to the local wall clock, not to elapsed time, so the boundary stays
at the same clock time on days when daylight saving time starts or ends.
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


class LocalDayError(ValueError):
    """Bad input for working out a habit day; the message says what to fix."""


class UnknownTimezone(LocalDayError):
    pass


class InvalidDayStartHour(LocalDayError):
    pass


class NaiveDatetime(LocalDayError):
    pass


def zone_for(timezone: str) -> ZoneInfo:
    """The IANA zone called ``timezone`` (e.g. "Europe/Berlin"), or UnknownTimezone."""
    try:
        return ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError, TypeError) as error:
        raise UnknownTimezone(f"Unknown time zone {timezone!r}.") from error


def check_day_start_hour(day_start_hour: int) -> int:
    """The hour itself when it is a whole hour 0..23, otherwise InvalidDayStartHour."""
    if (
        not isinstance(day_start_hour, int)
        or isinstance(day_start_hour, bool)
        or not 0 <= day_start_hour <= 23
    ):
        raise InvalidDayStartHour(
            f"The day start hour must be a whole hour from 0 to 23, not {day_start_hour!r}."
        )
    return day_start_hour


def local_day(instant: datetime, timezone: str, day_start_hour: int) -> date:
    """The habit day that ``instant`` falls on for someone in ``timezone``.

    ``instant`` must be timezone-aware (UTC in storage; any aware value names one instant).
    """
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise NaiveDatetime("The instant must be timezone-aware (UTC), not a naive datetime.")
    zone = zone_for(timezone)
    hour = check_day_start_hour(day_start_hour)
    wall_clock = instant.astimezone(zone).replace(tzinfo=None)
    return (wall_clock - timedelta(hours=hour)).date()


SECONDS_PER_DAY = 86400


def utc_offsets(timezone: str, start: datetime, end: datetime) -> list[tuple[int, int]]:
    """The zone's UTC offsets between two instants: (epoch second it starts at, offset seconds).

    The first pair holds the offset in force at ``start`` (its epoch second is ``start``'s);
    each later pair starts at a change of offset (daylight saving time, a new standard
    offset), found to the second. Lets a database shift UTC timestamps to local time with a
    handful of ranges instead of a time-zone library. Days are sampled once each, so two
    changes within one day (which no zone has) would be missed.
    """
    zone = zone_for(timezone)
    first, last = int(start.timestamp()), int(end.timestamp())

    def offset_at(second: int) -> int:
        offset = datetime.fromtimestamp(second, zone).utcoffset()
        assert offset is not None  # a ZoneInfo always knows its offset
        return int(offset.total_seconds())

    intervals = [(first, offset_at(first))]
    previous_second, previous_offset = first, intervals[0][1]
    for second in range(first + SECONDS_PER_DAY, last + SECONDS_PER_DAY, SECONDS_PER_DAY):
        second = min(second, last)
        offset = offset_at(second)
        if offset != previous_offset:
            low, high = previous_second, second  # offset_at(low) == previous, offset_at(high) != previous
            while high - low > 1:
                middle = (low + high) // 2
                low, high = (middle, high) if offset_at(middle) == previous_offset else (low, middle)
            intervals.append((high, offset))
        previous_second, previous_offset = second, offset
    return intervals
