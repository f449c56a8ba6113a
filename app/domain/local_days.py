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
