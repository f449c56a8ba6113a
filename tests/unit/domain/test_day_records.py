"""Per-day arrays give the same window sums as counting the entries one by one."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.analytics import DayCounts, Window
from app.domain.day_records import (
    NO_HOUR,
    DayRecords,
    RecordedEntry,
    day_records,
    done_per_day,
    done_per_hour_of_week,
    joined,
    moods_per_day,
    weekday_counts,
)
from app.domain.entries import DayEntry, EntryKind, HabitKind, Measure, TargetDirection, is_done

FIRST = date(2024, 3, 1)  # a Friday
BERLIN = ZoneInfo("Europe/Berlin")
PAGES = Measure(10.0, TargetDirection.AT_LEAST, "pages")


def recorded(
    day: date, kind: EntryKind, value: float | None = None, mood: int | None = None, hour: int = 12
) -> RecordedEntry:
    return RecordedEntry(
        DayEntry(day, kind, value), mood, datetime(day.year, day.month, day.day, hour, tzinfo=UTC)
    )


entry_lists = st.lists(
    st.builds(
        recorded,
        st.integers(0, 80).map(lambda n: FIRST + timedelta(days=n)),
        st.sampled_from(list(EntryKind)),
        st.none() | st.floats(0, 30, allow_nan=False),
        st.none() | st.integers(1, 5),
        st.integers(0, 23),
    ),
    max_size=60,
    unique_by=lambda r: r.entry.day,
)
windows = st.tuples(st.integers(-10, 90), st.integers(0, 40)).map(
    lambda t: Window(FIRST + timedelta(days=t[0]), FIRST + timedelta(days=t[0] + t[1]))
)


@given(entry_lists, windows)
def test_window_sums_match_counting_entries(entries: list[RecordedEntry], window: Window) -> None:
    records = day_records(entries, FIRST, FIRST + timedelta(days=80), HabitKind.MEASURABLE, PAGES, BERLIN)
    inside = [r for r in entries if window.start <= r.entry.day <= window.end]
    done = [r for r in inside if is_done(r.entry, HabitKind.MEASURABLE, PAGES)]

    counts = weekday_counts(records, window)
    assert counts.done == tuple(sum(r.entry.day.weekday() == w for r in done) for w in range(7))
    skipped = [r for r in inside if r.entry.kind is EntryKind.SKIPPED]
    assert counts.skipped == tuple(sum(r.entry.day.weekday() == w for r in skipped) for w in range(7))

    per_day = done_per_day([records], window)
    assert {window.start + timedelta(days=i): n for i, n in enumerate(per_day.tolist()) if n} == {
        r.entry.day: 1 for r in done
    }

    hours = done_per_hour_of_week([records], window)
    for r in done:
        local = r.recorded_at.astimezone(BERLIN)
        assert hours[local.weekday() * 24 + local.hour] >= 1
    assert int(hours.sum()) == len(done)

    moods = moods_per_day([records], window)
    assert len(moods) == window.days
    assert sum(m[0] for m in moods) == sum(r.mood or 0 for r in inside)
    assert sum(m[1] for m in moods) == sum(r.mood is not None for r in inside)
    assert sum(m[2] for m in moods) == len(done)


def test_several_habits_add_up_on_each_day() -> None:
    window = Window(FIRST, FIRST + timedelta(days=2))
    one = day_records(
        [recorded(FIRST, EntryKind.DONE, mood=4)],
        FIRST,
        FIRST + timedelta(days=5),
        HabitKind.YES_NO,
        None,
        BERLIN,
    )
    later = FIRST + timedelta(days=1)
    two = day_records(
        [recorded(later, EntryKind.DONE, mood=2), recorded(FIRST + timedelta(days=2), EntryKind.NOT_DONE)],
        later,
        later + timedelta(days=3),
        HabitKind.YES_NO,
        None,
        BERLIN,
    )
    assert done_per_day([one, two], window).tolist() == [1, 1, 0]
    assert moods_per_day([one, two], window) == [(4, 1, 1), (2, 1, 1), (0, 0, 0)]
    # Friday 1 March, 12:00 UTC is 13:00 in Berlin: hour 4 * 24 + 13 of the week.
    assert done_per_hour_of_week([one], window)[4 * 24 + 13] == 1


def test_days_outside_the_records_count_nothing() -> None:
    records = day_records([recorded(FIRST, EntryKind.DONE)], FIRST, FIRST, HabitKind.YES_NO, None, BERLIN)
    before = Window(FIRST - timedelta(days=9), FIRST - timedelta(days=1))
    assert weekday_counts(records, before) == DayCounts()
    assert done_per_day([records], before).tolist() == [0] * 9


def test_records_round_trip_through_bytes_and_join() -> None:
    first = day_records(
        [recorded(FIRST, EntryKind.SKIPPED, mood=3)],
        FIRST,
        FIRST + timedelta(days=1),
        HabitKind.YES_NO,
        None,
        BERLIN,
    )
    second = day_records(
        [], FIRST + timedelta(days=2), FIRST + timedelta(days=3), HabitKind.YES_NO, None, BERLIN
    )
    restored = DayRecords.from_bytes(FIRST, joined([first, second]).to_bytes())
    assert len(restored) == 4 and restored.end_day == FIRST + timedelta(days=4)
    assert restored.status.tolist() == [2, 0, 0, 0]
    assert restored.mood.tolist() == [3, 0, 0, 0]
    assert restored.hour.tolist()[1:] == [NO_HOUR] * 3
    with pytest.raises(ValueError):
        joined(
            [
                first,
                day_records(
                    [], FIRST + timedelta(days=5), FIRST + timedelta(days=6), HabitKind.YES_NO, None, BERLIN
                ),
            ]
        )
