"""One habit's history as per-day arrays, so sums over any window cost O(days) in numpy.

Insights adds up, for a window of days: done and skipped days per weekday, done check-ins
per day, per local hour of the week they were recorded at, and moods per day. Counting
those in SQL reads every entry of the window each visit (seconds for ten years on SQLite);
these arrays hold one byte per day and field instead, are saved with the progress
checkpoint (app/services/habit_progress.py) and are sliced per window:

* ``status``: ``DONE`` (the day met the habit's target, ``is_done``), ``SKIPPED``,
  ``RECORDED`` (an entry that is neither), or ``EMPTY``;
* ``mood``: 1..5, or ``NO_MOOD``;
* ``hour``: the local hour of the week the entry was recorded at (0 = Monday 00:00-00:59,
  in the person's time zone), or ``NO_HOUR``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt

from app.domain.analytics import HOURS_PER_WEEK, DayCounts, Window
from app.domain.entries import DayEntry, EntryKind, HabitKind, Measure, is_done

EMPTY, DONE, SKIPPED, RECORDED = 0, 1, 2, 3
NO_MOOD = 0
NO_HOUR = 255
FIELDS = 3  # status, mood, hour

Bytes = npt.NDArray[np.uint8]


@dataclass(frozen=True)
class RecordedEntry:
    """An entry with what Insights needs beyond the day's outcome."""

    entry: DayEntry
    mood: int | None
    recorded_at: datetime


@dataclass(frozen=True)
class DayRecords:
    """Per-day arrays for the days ``first_day`` .. ``first_day + len - 1``."""

    first_day: date
    status: Bytes
    mood: Bytes
    hour: Bytes

    def __len__(self) -> int:
        return len(self.status)

    def to_bytes(self) -> bytes:
        return np.concatenate([self.status, self.mood, self.hour]).tobytes()

    @classmethod
    def from_bytes(cls, first_day: date, data: bytes) -> DayRecords:
        days = len(data) // FIELDS
        fields = np.frombuffer(data, dtype=np.uint8).reshape(FIELDS, days)
        return cls(first_day, fields[0], fields[1], fields[2])

    @property
    def end_day(self) -> date:
        """The day after the last one held."""
        return self.first_day + timedelta(days=len(self))

    def within(self, window: Window) -> tuple[int, DayRecords] | None:
        """The days inside ``window``, and how many days after its start they begin."""
        low = max(0, (window.start - self.first_day).days)
        high = min(len(self), (window.end - self.first_day).days + 1)
        if high <= low:
            return None
        first = self.first_day + timedelta(days=low)
        part = DayRecords(first, self.status[low:high], self.mood[low:high], self.hour[low:high])
        return (first - window.start).days, part


def empty_records(first_day: date) -> DayRecords:
    nothing = np.zeros(0, dtype=np.uint8)
    return DayRecords(first_day, nothing, nothing, nothing)


def day_records(
    entries: Iterable[RecordedEntry],
    first_day: date,
    last_day: date,
    kind: HabitKind,
    measure: Measure | None,
    zone: ZoneInfo,
) -> DayRecords:
    """The arrays for ``first_day`` .. ``last_day``; entries outside that range are ignored."""
    days = max(0, (last_day - first_day).days + 1)
    status = np.zeros(days, dtype=np.uint8)
    mood = np.full(days, NO_MOOD, dtype=np.uint8)
    hour = np.full(days, NO_HOUR, dtype=np.uint8)
    for record in entries:
        index = (record.entry.day - first_day).days
        if not 0 <= index < days:
            continue
        entry = record.entry
        if entry.kind is EntryKind.SKIPPED:
            status[index] = SKIPPED
        else:
            status[index] = DONE if is_done(entry, kind, measure) else RECORDED
        if record.mood is not None:
            mood[index] = record.mood
        local = record.recorded_at.astimezone(zone)
        hour[index] = local.weekday() * 24 + local.hour
    return DayRecords(first_day, status, mood, hour)


def joined(parts: Sequence[DayRecords]) -> DayRecords:
    """Consecutive parts as one (each starts the day after the one before ends)."""
    for before, after in pairwise(parts):
        if before.first_day + timedelta(days=len(before)) != after.first_day:
            raise ValueError("Day records must be consecutive to join.")
    return DayRecords(
        parts[0].first_day,
        np.concatenate([part.status for part in parts]),
        np.concatenate([part.mood for part in parts]),
        np.concatenate([part.hour for part in parts]),
    )


def weekday_counts(records: DayRecords, window: Window) -> DayCounts:
    """Done and skipped days per weekday inside ``window``."""
    found = records.within(window)
    if found is None:
        return DayCounts()
    _, part = found
    weekdays = (np.arange(len(part)) + part.first_day.weekday()) % 7
    done = np.bincount(weekdays[part.status == DONE], minlength=7)
    skipped = np.bincount(weekdays[part.status == SKIPPED], minlength=7)
    return DayCounts(tuple(int(n) for n in done), tuple(int(n) for n in skipped))


def done_per_day(habits: Iterable[DayRecords], window: Window) -> npt.NDArray[np.int64]:
    """Done check-ins of all ``habits`` on each day of ``window``."""
    totals = np.zeros(window.days, dtype=np.int64)
    for offset, part in _parts(habits, window):
        totals[offset : offset + len(part)] += part.status == DONE
    return totals


def done_per_hour_of_week(habits: Iterable[DayRecords], window: Window) -> npt.NDArray[np.int64]:
    """Done check-ins in ``window`` per local hour of the week they were recorded at."""
    totals = np.zeros(HOURS_PER_WEEK, dtype=np.int64)
    for _, part in _parts(habits, window):
        hours = part.hour[(part.status == DONE) & (part.hour < HOURS_PER_WEEK)]
        totals += np.bincount(hours, minlength=HOURS_PER_WEEK)
    return totals


def moods_per_day(habits: Iterable[DayRecords], window: Window) -> list[tuple[int, int, int]]:
    """(sum of moods, number of moods, done check-ins) on each day of ``window``."""
    mood_sum = np.zeros(window.days, dtype=np.int64)
    mood_count = np.zeros(window.days, dtype=np.int64)
    done = np.zeros(window.days, dtype=np.int64)
    for offset, part in _parts(habits, window):
        days = slice(offset, offset + len(part))
        mood_sum[days] += part.mood
        mood_count[days] += part.mood != NO_MOOD
        done[days] += part.status == DONE
    return list(zip(mood_sum.tolist(), mood_count.tolist(), done.tolist(), strict=True))


def _parts(habits: Iterable[DayRecords], window: Window) -> Iterable[tuple[int, DayRecords]]:
    for records in habits:
        found = records.within(window)
        if found is not None:
            yield found
