"""Keep progress checkpoints honest: bump a habit's ``history_version`` when old history changes.

A checkpoint (``progress_checkpoints``) is computed from the entries up to its
``through_day``, which is never later than ``checkpoint_horizon`` of the day it was built.
Every ORM flush that adds, changes or deletes an entry on or before today's horizon bumps
its habit's version in the same transaction, and a checkpoint is only used while its version
matches, so even a checkpoint built concurrently from older rows is never trusted. Entries
after the horizon (the days people usually record) leave the version alone, so checking in
today keeps the checkpoint. Deleting a habit drops its checkpoint by cascade.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import event, update
from sqlmodel import Session

from app.db.tables import Entry, Habit, metadata

HABITS = metadata.tables["habits"]

CHECKPOINT_LAG_DAYS = 7
# A person's local date is at most one day ahead of the UTC date (UTC+14).
_LOCAL_AHEAD_DAYS = 1


def checkpoint_horizon(today: date, now: datetime | None = None) -> date:
    """The latest day a checkpoint built on the person's ``today`` may cover.

    Capped by the clock as well as by ``today``, so that a caller passing a far-future
    ``today`` cannot build a checkpoint past the days the flush rule watches.
    """
    return min(today, _latest_local_day(now)) - timedelta(days=CHECKPOINT_LAG_DAYS)


def _latest_local_day(now: datetime | None) -> date:
    return (now or datetime.now(UTC)).date() + timedelta(days=_LOCAL_AHEAD_DAYS)


@event.listens_for(Session, "before_flush")
def _bump_changed_histories(session: Session, _context: Any, _instances: Any) -> None:
    watched_until = _latest_local_day(None) - timedelta(days=CHECKPOINT_LAG_DAYS)
    touched = {
        entry.habit_id
        for entry in (*session.new, *session.dirty, *session.deleted)
        if isinstance(entry, Entry) and entry.day is not None and entry.day <= watched_until
    }
    if not touched:
        return
    # Core, not ORM: an ORM statement here would try to autoflush the flush in progress.
    session.connection().execute(
        update(HABITS)
        .where(HABITS.c.id.in_(sorted(touched)))
        .values(history_version=HABITS.c.history_version + 1)
    )
    for habit_id in touched:
        loaded = session.identity_map.get(session.identity_key(Habit, habit_id))
        if loaded is not None:
            session.expire(loaded, ["history_version"])
