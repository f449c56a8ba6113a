"""Properties that must hold for any history, checked with generated data."""

from datetime import date, timedelta
from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from app.domain.entries import (
    DayEntry,
    EntryKind,
    HabitKind,
    Measure,
    TargetDirection,
)
from app.domain.habit_stats import habit_stats
from app.domain.schedules import FrequencySchedule, Schedule, WeekdaySchedule
from app.domain.streaks import TOP_STREAK_COUNT, all_streaks, streak_summary
from app.domain.strength import initial_strength, strength_on, strength_series

TODAY = date(2024, 6, 30)
HISTORY_DAYS = 60

frequency_schedules = st.integers(1, 10).flatmap(
    lambda days: st.integers(1, days).map(lambda times: FrequencySchedule(times, days))
)
weekday_schedules = st.frozensets(st.integers(0, 6), min_size=1).map(WeekdaySchedule)
schedules = st.one_of(frequency_schedules, weekday_schedules)

# Keys are days before TODAY; a few negative keys put entries after TODAY.
histories = st.dictionaries(st.integers(-3, HISTORY_DAYS), st.sampled_from(list(EntryKind)), max_size=45)
amounts = st.none() | st.floats(0, 50, allow_nan=False, allow_infinity=False)
measured_histories = st.dictionaries(
    st.integers(-3, HISTORY_DAYS),
    st.tuples(st.sampled_from(list(EntryKind)), amounts),
    max_size=45,
)
measures = st.builds(
    Measure,
    st.just(0.0) | st.floats(0.5, 20, allow_nan=False),
    st.sampled_from(list(TargetDirection)),
    st.just("units"),
)
offsets = st.integers(0, HISTORY_DAYS)


def days_ago(n: int) -> date:
    return TODAY - timedelta(days=n)


def to_entries(history: dict[int, EntryKind]) -> list[DayEntry]:
    return [DayEntry(days_ago(n), kind) for n, kind in sorted(history.items())]


def to_measured(history: dict[int, tuple[EntryKind, float | None]]) -> list[DayEntry]:
    return [DayEntry(days_ago(n), kind, value) for n, (kind, value) in sorted(history.items())]


# --- strength --------------------------------------------------------------------------


@given(schedules, histories)
def test_yes_no_score_stays_between_zero_and_one(schedule: Schedule, history: dict[int, EntryKind]) -> None:
    for point in strength_series(schedule, to_entries(history), TODAY):
        assert 0.0 <= point.score <= 1.0


@given(schedules, measured_histories, measures)
def test_measurable_score_stays_between_zero_and_one(
    schedule: Schedule,
    history: dict[int, tuple[EntryKind, float | None]],
    measure: Measure,
) -> None:
    entries = to_measured(history)
    for point in strength_series(schedule, entries, TODAY, HabitKind.MEASURABLE, measure):
        assert 0.0 <= point.score <= 1.0


@given(schedules, histories, offsets)
def test_adding_a_done_day_never_lowers_todays_score(
    schedule: Schedule, history: dict[int, EntryKind], offset: int
) -> None:
    if history.get(offset) is EntryKind.SKIPPED:
        history.pop(offset)  # a skip keeps the score still; compare against a plain day
    before = strength_on(schedule, to_entries(history), TODAY)
    after = strength_on(schedule, to_entries({**history, offset: EntryKind.DONE}), TODAY)
    assert after >= before


@given(schedules, measured_histories, offsets, st.floats(0.1, 50, allow_nan=False))
def test_logging_more_never_lowers_an_at_least_score(
    schedule: Schedule,
    history: dict[int, tuple[EntryKind, float | None]],
    offset: int,
    extra: float,
) -> None:
    measure = Measure(10.0, TargetDirection.AT_LEAST, "pages")
    kind, value = history.get(offset, (EntryKind.DONE, None))
    if kind is EntryKind.SKIPPED:
        kind = EntryKind.DONE
    history[offset] = (kind, value)
    raised = {**history, offset: (kind, (value or 0.0) + extra)}
    before = strength_on(schedule, to_measured(history), TODAY, HabitKind.MEASURABLE, measure)
    after = strength_on(schedule, to_measured(raised), TODAY, HabitKind.MEASURABLE, measure)
    assert after >= before - 1e-9  # sliding float sums may differ in the last bits


@given(schedules, measured_histories, offsets, st.none() | measures)
def test_a_skipped_day_keeps_the_previous_days_score(
    schedule: Schedule,
    history: dict[int, tuple[EntryKind, float | None]],
    offset: int,
    measure: Measure | None,
) -> None:
    kind = HabitKind.YES_NO if measure is None else HabitKind.MEASURABLE
    history[offset] = (EntryKind.SKIPPED, None)
    series = strength_series(schedule, to_measured(history), TODAY, kind, measure)
    scores = {point.day: point.score for point in series}
    skipped_day = days_ago(offset)
    previous = scores.get(skipped_day - timedelta(days=1), initial_strength(kind, measure))
    assert scores[skipped_day] == previous


# --- streaks ---------------------------------------------------------------------------


def brute_force_counted_days(schedule: Schedule, history: dict[int, EntryKind], today: date) -> set[date]:
    """Counted streak days straight from the rule text, checking every window by hand."""
    kinds = {days_ago(n): kind for n, kind in history.items() if days_ago(n) <= today}
    if not kinds:
        return set()
    first = min(kinds)
    done = {day for day, kind in kinds.items() if kind is EntryKind.DONE}

    def satisfied(day: date) -> bool:
        if isinstance(schedule, WeekdaySchedule):
            return day in done
        for start_back in range(schedule.days):
            window_start = day - timedelta(days=start_back)
            window_end = window_start + timedelta(days=schedule.days - 1)
            if sum(window_start <= d <= window_end for d in done) >= schedule.times:
                return True
        return False

    counted: set[date] = set()
    run_has_check_in = False
    day = first
    while day <= today:
        neutral = kinds.get(day) is EntryKind.SKIPPED or not schedule.is_scheduled_on(day)
        if not neutral and satisfied(day):
            run_has_check_in = run_has_check_in or day in done
            if run_has_check_in:
                counted.add(day)
        elif not neutral and day != today:
            run_has_check_in = False
        day += timedelta(days=1)
    return counted


@given(schedules, histories)
def test_streak_lengths_add_up_to_counted_days(schedule: Schedule, history: dict[int, EntryKind]) -> None:
    streaks = all_streaks(schedule, to_entries(history), TODAY)
    counted = brute_force_counted_days(schedule, history, TODAY)
    assert sum(streak.length for streak in streaks) == len(counted)
    for streak in streaks:
        inside = {day for day in counted if streak.start <= day <= streak.end}
        assert len(inside) == streak.length
        assert streak.start in counted and streak.end in counted
    for earlier, later in pairwise(streaks):
        assert earlier.end < later.start


@given(histories)
def test_daily_streak_lengths_add_up_to_done_days(
    history: dict[int, EntryKind],
) -> None:
    streaks = all_streaks(FrequencySchedule(1, 1), to_entries(history), TODAY)
    done_days = sum(1 for n, kind in history.items() if n >= 0 and kind is EntryKind.DONE)
    assert sum(streak.length for streak in streaks) == done_days


@given(schedules, histories)
def test_summary_is_consistent_with_all_streaks(schedule: Schedule, history: dict[int, EntryKind]) -> None:
    entries = to_entries(history)
    streaks = all_streaks(schedule, entries, TODAY)
    summary = streak_summary(schedule, entries, TODAY)
    assert len(summary.top) == min(len(streaks), TOP_STREAK_COUNT)
    assert set(summary.top) <= set(streaks)
    keys = [(streak.length, streak.end) for streak in summary.top]
    assert keys == sorted(keys, reverse=True)
    longest = max((streak.length for streak in streaks), default=0)
    assert (summary.best.length if summary.best else 0) == longest
    if summary.current is not None:
        assert summary.current == streaks[-1]


# --- order independence ----------------------------------------------------------------


@given(schedules, measured_histories, st.none() | measures, st.data())
def test_results_do_not_depend_on_entry_order(
    schedule: Schedule,
    history: dict[int, tuple[EntryKind, float | None]],
    measure: Measure | None,
    data: st.DataObject,
) -> None:
    kind = HabitKind.YES_NO if measure is None else HabitKind.MEASURABLE
    entries = to_measured(history)
    shuffled = data.draw(st.permutations(entries))
    start = days_ago(HISTORY_DAYS)

    assert strength_series(schedule, shuffled, TODAY, kind, measure) == strength_series(
        schedule, entries, TODAY, kind, measure
    )
    assert streak_summary(schedule, shuffled, TODAY, kind, measure) == streak_summary(
        schedule, entries, TODAY, kind, measure
    )
    assert habit_stats(schedule, shuffled, start, TODAY, kind, measure) == habit_stats(
        schedule, entries, start, TODAY, kind, measure
    )
