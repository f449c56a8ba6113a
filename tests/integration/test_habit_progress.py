"""Progress checkpoints on SQLite and PostgreSQL: saved once, trusted only while history matches.

Every check compares the service's strength and streaks with the domain computed from the
whole stored history, so a stale checkpoint would show up as a wrong number.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from prometheus_client import REGISTRY
from sqlalchemy import Engine, func, select
from sqlmodel import Session

from app.db.engine import session_scope
from app.db.history_versions import CHECKPOINT_LAG_DAYS
from app.db.tables import Entry, Habit, ProgressCheckpoint
from app.domain.entries import EntryKind
from app.domain.schedules import FrequencySchedule
from app.domain.streaks import streak_summary
from app.domain.strength import strength_on
from app.observability.metric_names import PROGRESS_CHECKPOINTS_BUILT_TOTAL
from app.services import habits
from app.services.habit_progress import REFRESH_AFTER_DAYS, habits_history, rule_of
from app.services.habit_rows import day_entries
from app.services.habits import EntryDetails
from app.services.principals import Principal
from tests.integration.test_habit_services import create, define, measurable, today_list
from tests.integration.test_services import new_principal

HISTORY_DAYS = 400
# Which days a flush watches depends on the real clock (app/db/history_versions.py), so these
# tests live in the present; PAST leaves room to let days pass without reaching the clock.
TODAY = datetime.now(UTC).date()
PAST = TODAY - timedelta(days=100)


@pytest.fixture
def ada(engine: Engine) -> Principal:
    return new_principal(engine, "sub-ada", "Ada")


def with_history(engine: Engine, principal: Principal, today: date = TODAY) -> int:
    """A daily habit done on most of the last HISTORY_DAYS days (a gap every 9th day)."""
    habit_id = create(engine, principal, define())
    with session_scope(engine) as db:
        for back in range(1, HISTORY_DAYS):
            if back % 9:
                db.add(Entry(habit_id=habit_id, day=today - timedelta(days=back), kind="done"))
    return habit_id


def expected(engine: Engine, habit_id: int, today: date = TODAY) -> tuple[int, float]:
    """(current streak, strength) from the whole stored history, by the domain."""
    with session_scope(engine) as db:
        habit = db.get(Habit, habit_id)
        assert habit is not None
        rows = db.exec(select(Entry).where(Entry.habit_id == habit_id, Entry.day <= today)).scalars().all()  # type: ignore[call-overload]
        rule, history = rule_of(habit), day_entries(rows)
    streak = streak_summary(rule.schedule, history, today, rule.kind, rule.measure).current_length
    return streak, strength_on(rule.schedule, history, today, rule.kind, rule.measure)


def shown(engine: Engine, principal: Principal, habit_id: int, today: date = TODAY) -> tuple[int, float]:
    row = next(row for row in today_list(engine, principal, today) if row.habit_id == habit_id)
    return row.current_streak, row.strength


def checkpoint(engine: Engine, habit_id: int) -> ProgressCheckpoint | None:
    with Session(engine) as db:
        return db.get(ProgressCheckpoint, habit_id)


def version(engine: Engine, habit_id: int) -> int:
    with Session(engine) as db:
        return int(db.execute(select(Habit.history_version).where(Habit.id == habit_id)).scalar_one())


def assert_matches_history(engine: Engine, principal: Principal, habit_id: int, today: date = TODAY) -> None:
    streak, strength = shown(engine, principal, habit_id, today)
    want_streak, want_strength = expected(engine, habit_id, today)
    assert streak == want_streak
    assert strength == pytest.approx(want_strength, abs=1e-12)


def test_first_visit_saves_a_checkpoint_a_week_back(engine: Engine, ada: Principal) -> None:
    habit_id = with_history(engine, ada)
    assert checkpoint(engine, habit_id) is None
    assert_matches_history(engine, ada, habit_id)
    saved = checkpoint(engine, habit_id)
    assert saved is not None
    assert saved.through_day == TODAY - timedelta(days=CHECKPOINT_LAG_DAYS)
    assert saved.first_day == TODAY - timedelta(days=HISTORY_DAYS - 1)
    assert len(saved.scores) == 8 * ((saved.through_day - saved.first_day).days + 1)


def test_checking_in_recently_keeps_the_checkpoint(engine: Engine, ada: Principal) -> None:
    habit_id = with_history(engine, ada)
    today_list(engine, ada)
    before = version(engine, habit_id)
    with session_scope(engine) as db:
        habits.check_in(db, ada, habit_id, TODAY, TODAY)
        habits.record_entry(
            db, ada, habit_id, TODAY - timedelta(days=4), TODAY, EntryDetails(EntryKind.SKIPPED)
        )
    assert version(engine, habit_id) == before  # both days are after the checkpoint's
    assert_matches_history(engine, ada, habit_id)


@pytest.mark.parametrize("change", ["edit", "skip", "undo", "new"])
def test_changing_history_inside_the_checkpoint_rebuilds_it(
    engine: Engine, ada: Principal, change: str
) -> None:
    habit_id = with_history(engine, ada)
    today_list(engine, ada)
    old_day = TODAY - timedelta(days=30)
    before = version(engine, habit_id)
    with session_scope(engine) as db:
        if change == "edit":
            habits.record_entry(db, ada, habit_id, old_day, TODAY, EntryDetails(EntryKind.NOT_DONE))
        elif change == "skip":
            habits.record_entry(
                db, ada, habit_id, TODAY - timedelta(days=27), TODAY, EntryDetails(EntryKind.SKIPPED)
            )
        elif change == "undo":
            habits.undo_check_in(db, ada, habit_id, old_day)
        else:
            db.add(Entry(habit_id=habit_id, day=TODAY - timedelta(days=HISTORY_DAYS + 50), kind="done"))
    assert version(engine, habit_id) == before + 1
    assert_matches_history(engine, ada, habit_id)
    saved = checkpoint(engine, habit_id)
    assert saved is not None and saved.history_version == before + 1


def test_a_checkpoint_built_from_older_rows_is_never_used(engine: Engine, ada: Principal) -> None:
    """A visit that read the history just before an old day changed saves a stale checkpoint."""
    habit_id = with_history(engine, ada)
    with Session(engine) as reader:
        habit = reader.get(Habit, habit_id)
        assert habit is not None
        with session_scope(engine) as writer:  # the edit commits while the visit is under way
            habits.undo_check_in(writer, ada, habit_id, TODAY - timedelta(days=40))
        habits_history(reader, [habit], TODAY, ada.timezone)  # the habit holds the version read before
        reader.commit()
    assert_matches_history(engine, ada, habit_id)


def test_a_new_schedule_or_target_is_not_judged_by_the_old_checkpoint(engine: Engine, ada: Principal) -> None:
    daily = with_history(engine, ada)
    pages = create(engine, ada, measurable("Pages", target=5.0))
    with session_scope(engine) as db:
        for back in range(1, 60):
            db.add(
                Entry(habit_id=pages, day=TODAY - timedelta(days=back), kind="done", value=float(back % 9))
            )
    today_list(engine, ada)
    with session_scope(engine) as db:
        habits.update_habit(db, ada, daily, define(schedule=FrequencySchedule(3, 7)))
        habits.update_habit(db, ada, pages, measurable("Pages", target=8.0))
    assert_matches_history(engine, ada, daily)
    assert_matches_history(engine, ada, pages)


def test_a_checkpoint_moves_forward_as_days_pass(engine: Engine, ada: Principal) -> None:
    habit_id = with_history(engine, ada, PAST)
    today_list(engine, ada, PAST)
    first = checkpoint(engine, habit_id)
    assert first is not None
    later = first.through_day + timedelta(days=REFRESH_AFTER_DAYS)
    assert_matches_history(engine, ada, habit_id, later)
    assert checkpoint(engine, habit_id) == first  # still within its refresh period
    much_later = later + timedelta(days=1)
    assert_matches_history(engine, ada, habit_id, much_later)
    moved = checkpoint(engine, habit_id)
    assert moved is not None and moved.through_day == much_later - timedelta(days=CHECKPOINT_LAG_DAYS)
    assert moved.scores[: len(first.scores)] == first.scores


def test_today_moving_back_ignores_a_checkpoint_from_the_future(engine: Engine, ada: Principal) -> None:
    habit_id = with_history(engine, ada)
    today_list(engine, ada)
    earlier = TODAY - timedelta(days=CHECKPOINT_LAG_DAYS)  # e.g. after a time-zone change
    assert_matches_history(engine, ada, habit_id, earlier)


def test_deleting_a_habit_deletes_its_checkpoint(engine: Engine, ada: Principal) -> None:
    habit_id = with_history(engine, ada)
    today_list(engine, ada)
    with session_scope(engine) as db:
        habits.delete_habit(db, ada, habit_id)
    with Session(engine) as db:
        assert db.execute(select(func.count()).select_from(ProgressCheckpoint)).scalar_one() == 0


def built(reason: str) -> float:
    value = REGISTRY.get_sample_value(PROGRESS_CHECKPOINTS_BUILT_TOTAL, {"reason": reason})
    return value or 0.0


def test_checkpoint_builds_are_counted_by_reason(engine: Engine, ada: Principal) -> None:
    habit_id = with_history(engine, ada, PAST)
    before = {reason: built(reason) for reason in ("first", "rebuilt", "moved_forward")}
    today_list(engine, ada, PAST)
    today_list(engine, ada, PAST)  # the second visit builds nothing
    with session_scope(engine) as db:
        habits.undo_check_in(db, ada, habit_id, PAST - timedelta(days=50))
    today_list(engine, ada, PAST)
    today_list(engine, ada, PAST + timedelta(days=REFRESH_AFTER_DAYS))
    after = {reason: built(reason) - before[reason] for reason in before}
    assert after == {"first": 1, "rebuilt": 1, "moved_forward": 1}
