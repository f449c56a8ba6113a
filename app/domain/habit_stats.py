"""Summary numbers for one habit over a window of days [start, end], both included.

Completion rate compares done days with what the schedule expected in the window:
* weekday schedule: done chosen weekdays / chosen weekdays, not counting skipped ones
  (a check-in on an off day is a check-in, but does not complete a scheduled day);
* "X times per Y days": done days / (X / Y * days in the window that were not skipped),
  capped at 1 because doing more than asked is still 100%.
It is ``None`` when nothing was expected (every due day skipped). The caller chooses the
window, e.g. clipping ``start`` to the habit's creation day so a new habit is not penalised.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from app.domain.entries import (
    DayEntry,
    EntryKind,
    HabitKind,
    Measure,
    entries_by_day,
    is_done,
    required_measure,
)
from app.domain.schedules import Schedule, WeekdaySchedule

WeekdayCounts = tuple[int, int, int, int, int, int, int]


class InvalidWindow(ValueError):
    """The message is shown to the person as is."""


@dataclass(frozen=True)
class HabitStats:
    start: date
    end: date
    completion_rate: float | None
    check_ins: int
    done_by_weekday: WeekdayCounts  # index 0 is Monday
    last_check_in: date | None  # latest done day inside the window


def habit_stats(
    schedule: Schedule,
    entries: Iterable[DayEntry],
    start: date,
    end: date,
    kind: HabitKind = HabitKind.YES_NO,
    measure: Measure | None = None,
) -> HabitStats:
    """Completion rate, check-in count, check-ins per weekday and the last check-in."""
    if start > end:
        raise InvalidWindow(f"The window starts ({start}) after it ends ({end}).")
    checked_measure = required_measure(kind, measure)
    in_window = [entry for day, entry in entries_by_day(entries, up_to=end).items() if day >= start]
    done_days = sorted(entry.day for entry in in_window if is_done(entry, kind, checked_measure))
    skipped_days = [entry.day for entry in in_window if entry.kind is EntryKind.SKIPPED]

    by_weekday = [0] * 7
    for day in done_days:
        by_weekday[day.weekday()] += 1
    weekday_counts: WeekdayCounts = (
        by_weekday[0],
        by_weekday[1],
        by_weekday[2],
        by_weekday[3],
        by_weekday[4],
        by_weekday[5],
        by_weekday[6],
    )

    return HabitStats(
        start=start,
        end=end,
        completion_rate=_completion_rate(schedule, start, end, done_days, skipped_days),
        check_ins=len(done_days),
        done_by_weekday=weekday_counts,
        last_check_in=done_days[-1] if done_days else None,
    )


def _completion_rate(
    schedule: Schedule,
    start: date,
    end: date,
    done_days: list[date],
    skipped_days: list[date],
) -> float | None:
    if isinstance(schedule, WeekdaySchedule):
        due = sum(weekday_occurrences(start, end, weekday) for weekday in schedule.weekdays)
        due -= sum(1 for day in skipped_days if schedule.is_scheduled_on(day))
        completed = sum(1 for day in done_days if schedule.is_scheduled_on(day))
        return completed / due if due else None
    open_days = (end - start).days + 1 - len(skipped_days)
    expected = schedule.frequency * open_days
    return min(1.0, len(done_days) / expected) if expected else None


def weekday_occurrences(start: date, end: date, weekday: int) -> int:
    """How many days in [start, end] fall on ``weekday`` (Monday=0), without walking them."""
    length = (end - start).days + 1
    first_offset = (weekday - start.weekday()) % 7
    if first_offset >= length:
        return 0
    return (length - first_offset - 1) // 7 + 1
