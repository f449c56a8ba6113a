"""How the Insights data grows with history: 100 habits x 1, 3 and 10 years of daily entries.

One database per engine (a temporary SQLite file, then a fresh PostgreSQL database that is
dropped afterwards) holds three users with 1, 3 and 10 years each; every user's insights are
timed several times and the median is printed next to ratios against the 1-year figure and
against a baseline measured in the same run (a trivial `SELECT 1` in a session), so the
numbers compare across machines. The first visit after the history was written builds every
habit's progress checkpoint (as the first visit after an import does); it is printed apart
as "first", and the medians are of the visits after it.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, create_engine, insert, text
from sqlmodel import Session

from app.db.engine import build_engine
from app.db.tables import Entry, Habit, User, metadata
from app.domain.analytics import WindowChoice, WindowKind
from app.services.insights import insights
from app.services.principals import Principal

TODAY = date(2025, 12, 31)
HABITS = 100
YEARS = (1, 3, 10)
RUNS = 3
POSTGRES_BASE = "postgresql+psycopg://postgres@127.0.0.1:5432"
TARGET_MS = 200.0


def _entry_rows(habit_ids: list[int], years: int) -> Iterator[dict[str, object]]:
    """Deterministic, varied history: most days done, some skipped or missed, moods now and then."""
    days = years * 365
    first = TODAY - timedelta(days=days - 1)
    for index, habit_id in enumerate(habit_ids):
        measurable = index % 5 == 4
        for offset in range(days):
            day = first + timedelta(days=offset)
            roll = (offset * 7919 + index * 104729) % 100
            if roll >= 90:
                continue  # nothing recorded
            kind = "skipped" if roll >= 85 else "done"
            hour = 6 + (index + offset) % 16
            yield {
                "habit_id": habit_id,
                "day": day,
                "kind": kind,
                "value": float(roll % 40) if measurable and kind == "done" else None,
                "recorded_at": datetime(day.year, day.month, day.day, hour, (index * 7) % 60, tzinfo=UTC),
                "note": "",
                "mood": 1 + roll % 5 if roll % 3 == 0 else None,
            }


def populate(engine: Engine, years: int) -> Principal:
    """A user with HABITS habits and `years` of entries, inserted with executemany."""
    with engine.begin() as connection:
        user_id = connection.execute(
            insert(User)
            .values(display_name=f"Bench {years}y", timezone="Europe/Berlin", created_at=datetime.now(UTC))
            .returning(User.id)
        ).scalar_one()
        created = datetime.combine(TODAY - timedelta(days=years * 365), datetime.min.time(), tzinfo=UTC)
        habit_rows = [
            {
                "user_id": user_id,
                "name": f"Habit {n}",
                "position": n,
                "created_at": created,
                "category": f"Category {n % 7}",
                "kind": "measurable" if n % 5 == 4 else "yes_no",
                "unit": "min" if n % 5 == 4 else "",
                "target_value": 20.0 if n % 5 == 4 else None,
                "schedule_times": 1,
                "schedule_days": 1,
                "schedule_weekdays": 0b0011111 if n % 4 == 1 else None,
            }
            for n in range(HABITS)
        ]
        habit_ids = list(
            connection.execute(
                insert(Habit).returning(Habit.id, sort_by_parameter_order=True), habit_rows
            ).scalars()
        )
        batch: list[dict[str, object]] = []
        for row in _entry_rows(habit_ids, years):
            batch.append(row)
            if len(batch) == 20000:
                connection.execute(insert(Entry), batch)
                batch = []
        if batch:
            connection.execute(insert(Entry), batch)
    return Principal(user_id, f"Bench {years}y", "user", "Europe/Berlin", 0)


def median_ms(work: Callable[[], object], runs: int = RUNS, warm_up: bool = False) -> float:
    if warm_up:
        work()
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def bench_engine(label: str, engine: Engine) -> None:
    started = time.perf_counter()
    metadata.create_all(engine)
    principals = {years: populate(engine, years) for years in YEARS}
    with engine.begin() as connection:
        connection.execute(text("ANALYZE"))
    print(f"\n{label}: data generated in {time.perf_counter() - started:.1f} s")

    def trivial() -> None:
        with Session(engine) as db:
            db.connection().execute(text("SELECT 1")).scalar_one()

    baseline = median_ms(trivial, runs=50, warm_up=True)
    print(f"baseline (SELECT 1 in a session): {baseline:.3f} ms")
    header = f"{'years':>5} {'entries':>8} {'window':>6} {'median ms':>10} {'vs 1y':>6} {'vs baseline':>12}"
    print(header)
    print("-" * len(header))
    for years in YEARS:
        with Session(engine) as db:
            started = time.perf_counter()
            insights(db, principals[years], WindowChoice(WindowKind.LAST_30), TODAY)
            db.commit()
            ms = (time.perf_counter() - started) * 1000
        rows = _count_entries(engine, principals[years])
        print(f"{years:>5} {rows:>8} {'first':>6} {ms:>10.1f} {'':>6} {ms / baseline:>12.0f}")
    slowest, steepest = 0.0, 0.0
    for kind in (WindowKind.LAST_7, WindowKind.LAST_30, WindowKind.LAST_365, WindowKind.ALL_TIME):
        first: float | None = None
        for years in YEARS:
            principal = principals[years]
            choice = WindowChoice(kind)

            def run(principal: Principal = principal, choice: WindowChoice = choice) -> None:
                with Session(engine) as db:
                    insights(db, principal, choice, TODAY)

            ms = median_ms(run)
            first = first or ms
            rows = _count_entries(engine, principal)
            print(
                f"{years:>5} {rows:>8} {kind.value:>6} {ms:>10.1f} {ms / first:>6.2f} {ms / baseline:>12.0f}"
            )
            if years == YEARS[-1]:
                slowest, steepest = max(slowest, ms), max(steepest, ms / first)
    linear = YEARS[-1] / YEARS[0]
    verdict = "meets" if slowest < TARGET_MS and steepest <= linear else "misses"
    print(
        f"10 years: slowest window {slowest:.1f} ms, growth x{steepest:.2f} from 1 year"
        f" (linear: x{linear:.0f}) -> {verdict} the target"
    )


def _count_entries(engine: Engine, principal: Principal) -> int:
    with engine.connect() as connection:
        return int(
            connection.execute(
                text(
                    "SELECT count(*) FROM entries JOIN habits ON habits.id = entries.habit_id"
                    " WHERE habits.user_id = :u"
                ),
                {"u": principal.user_id},
            ).scalar_one()
        )


@contextmanager
def fresh_postgres() -> Iterator[str | None]:
    """A new database's URL, dropped afterwards; None when PostgreSQL is unreachable."""
    admin = create_engine(f"{POSTGRES_BASE}/postgres", isolation_level="AUTOCOMMIT")
    name = f"hw_bench_{uuid.uuid4().hex[:12]}"
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:  # any connection failure means: skip PostgreSQL
        print(f"\nPostgreSQL skipped: {type(error).__name__}: {str(error).splitlines()[0]}")
        admin.dispose()
        yield None
        return
    try:
        yield f"{POSTGRES_BASE}/{name}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def main() -> None:
    print(f"Insights for one user: {HABITS} habits x {', '.join(map(str, YEARS))} years of daily entries")
    print(
        f"median of {RUNS} runs; target under {TARGET_MS:.0f} ms at 10 years, growing no worse than linearly"
    )
    with tempfile.TemporaryDirectory() as folder:
        engine = build_engine(f"sqlite:///{Path(folder) / 'bench.db'}")
        try:
            bench_engine("SQLite", engine)
        finally:
            engine.dispose()
    with fresh_postgres() as url:
        if url is not None:
            engine = build_engine(url)
            try:
                bench_engine("PostgreSQL", engine)
            finally:
                engine.dispose()
    sys.stdout.flush()
