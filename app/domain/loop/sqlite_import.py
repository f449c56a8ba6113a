"""Reading Loop's SQLite backup (``.db``), from schema 12 up to the current one.

Columns are detected rather than inferred from ``PRAGMA user_version``, so every schema Loop
has shipped reads the same way: no ``type``/``target_*`` columns means a yes/no habit, no
``Repetitions.value`` means each row is a manual check, no ``notes`` means no notes. Before
schema 23 the ``description`` column held the question (Loop's migration 23 moves it), so it
is read as the question there. Only the functions taking a path or bytes do I/O; the rest
works on rows.
"""

import dataclasses
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from app.domain.entries import HabitKind, InvalidEntry, Measure, TargetDirection
from app.domain.loop.codes import YES_MANUAL, EntryCollector, palette_index_of_stored, totals
from app.domain.loop.csv_import import schedule_from_frequency
from app.domain.loop.model import (
    DEFAULT_LIMITS,
    DayNote,
    ImportedHabit,
    ImportLimits,
    ImportReport,
    LoopFormatError,
    LoopImport,
    file_too_large,
)

SQLITE_MAGIC = b"SQLite format 3\x00"
MS_PER_DAY = 86_400_000
REQUIRED_HABIT_COLUMNS = (
    "id",
    "name",
    "freq_num",
    "freq_den",
    "position",
    "archived",
    "color",
    "description",
)
OPTIONAL_HABIT_COLUMNS = ("type", "target_type", "target_value", "unit", "question", "uuid")
REQUIRED_REPETITION_COLUMNS = ("id", "habit", "timestamp")
OPTIONAL_REPETITION_COLUMNS = ("value", "notes")
_NOT_LOOP = "This .db file is not a Loop Habit Tracker backup"


@dataclass(frozen=True)
class LoopTables:
    """The raw rows of a backup, as plain dicts keyed by column name."""

    schema_version: int
    habits: Sequence[dict[str, Any]]
    repetitions: Sequence[dict[str, Any]]


def read_loop_sqlite(path: Path, limits: ImportLimits = DEFAULT_LIMITS) -> LoopImport:
    """Read a backup file, opened read-only so the person's file is never changed."""
    file = Path(path)
    size = file.stat().st_size
    if size > limits.max_file_bytes:
        raise file_too_large(size, limits.max_file_bytes)
    with file.open("rb") as handle:
        _check_magic(handle.read(len(SQLITE_MAGIC)))
    connection = _connect(f"{file.resolve().as_uri()}?mode=ro")
    try:
        return habits_from_tables(_load_tables(connection))
    finally:
        connection.close()


def read_loop_sqlite_bytes(data: bytes, limits: ImportLimits = DEFAULT_LIMITS) -> LoopImport:
    """Read an uploaded backup in memory (no temporary file)."""
    if len(data) > limits.max_file_bytes:
        raise file_too_large(len(data), limits.max_file_bytes)
    _check_magic(data[: len(SQLITE_MAGIC)])
    connection = sqlite3.connect(":memory:")
    try:
        try:
            connection.deserialize(data)
        except sqlite3.DatabaseError as error:
            raise LoopFormatError(f"{_NOT_LOOP}: it is not a readable SQLite database ({error}).") from error
        return habits_from_tables(_load_tables(connection))
    finally:
        connection.close()


def habits_from_tables(tables: LoopTables) -> LoopImport:
    """Pure core: map a backup's rows onto imported habits and a report."""
    collectors: dict[Any, EntryCollector] = {}
    drafts: dict[Any, ImportedHabit] = {}
    for row in sorted(tables.habits, key=lambda r: (_int_or(r.get("position"), 0), r["id"])):
        habit = _habit_from_row(row, tables.schema_version)
        drafts[row["id"]] = habit
        collectors[row["id"]] = EntryCollector(habit.name, habit.kind)
    notes: dict[Any, dict[date, DayNote]] = {habit_id: {} for habit_id in drafts}
    orphans = 0
    for repetition in sorted(tables.repetitions, key=_repetition_order):
        collector = collectors.get(repetition["habit"])
        if collector is None:
            orphans += 1
            continue
        day = _day_of(repetition["timestamp"])
        value = repetition.get("value", YES_MANUAL)
        collector.add(day, _int_value(collector.habit_name, day, value))
        text = (repetition.get("notes") or "").strip()
        if text:
            notes[repetition["habit"]][day] = DayNote(day, text)
    habits = tuple(
        dataclasses.replace(
            draft,
            position=index,
            entries=collectors[habit_id].entries(),
            notes=tuple(notes[habit_id][day] for day in sorted(notes[habit_id])),
        )
        for index, (habit_id, draft) in enumerate(drafts.items())
    )
    automatic, unknown, duplicates = totals(collectors.values())
    report_notes = (
        (f"{orphans} entries belong to no habit in the backup and were not imported.",) if orphans else ()
    )
    report = ImportReport(
        habits_imported=len(habits),
        entries_imported=sum(len(habit.entries) for habit in habits),
        automatic_entries_skipped=automatic,
        unknown_entries_skipped=unknown,
        duplicate_entries_skipped=duplicates,
        notes=report_notes,
    )
    return LoopImport(habits, report)


def _connect(uri: str) -> sqlite3.Connection:
    try:
        return sqlite3.connect(uri, uri=True)
    except sqlite3.Error as error:
        raise LoopFormatError(f"{_NOT_LOOP}: it cannot be opened ({error}).") from error


def _check_magic(header: bytes) -> None:
    if header != SQLITE_MAGIC:
        raise LoopFormatError(f"{_NOT_LOOP}: it is not an SQLite database at all.")


def _load_tables(connection: sqlite3.Connection) -> LoopTables:
    try:
        version = int(connection.execute("PRAGMA user_version").fetchone()[0])
        habit_columns = _columns(connection, "Habits", REQUIRED_HABIT_COLUMNS, OPTIONAL_HABIT_COLUMNS)
        repetition_columns = _columns(
            connection, "Repetitions", REQUIRED_REPETITION_COLUMNS, OPTIONAL_REPETITION_COLUMNS
        )
        habits = _select(connection, "Habits", habit_columns)
        repetitions = _select(connection, "Repetitions", repetition_columns)
    except sqlite3.DatabaseError as error:
        raise LoopFormatError(f"{_NOT_LOOP}: it cannot be read ({error}).") from error
    return LoopTables(version, habits, repetitions)


def _columns(
    connection: sqlite3.Connection, table: str, required: Iterable[str], optional: Iterable[str]
) -> list[str]:
    present = {str(row[1]).lower() for row in connection.execute(f"PRAGMA table_info({table})")}
    if not present:
        raise LoopFormatError(f'{_NOT_LOOP}: it has no "{table}" table.')
    missing = [column for column in required if column not in present]
    if missing:
        raise LoopFormatError(f'{_NOT_LOOP}: its "{table}" table has no column(s) {", ".join(missing)}.')
    return [*required, *(column for column in optional if column in present)]


def _select(connection: sqlite3.Connection, table: str, columns: list[str]) -> list[dict[str, Any]]:
    # Table and column names come from the fixed lists above, never from the file.
    query = f"SELECT {', '.join(columns)} FROM {table}"  # noqa: S608
    return [dict(zip(columns, row, strict=True)) for row in connection.execute(query)]


def _habit_from_row(row: dict[str, Any], schema_version: int) -> ImportedHabit:
    name = str(row["name"] or "").strip()
    where = f'Habit "{name}"' if name else f"Habit with id {row['id']}"
    if not name:
        raise LoopFormatError(f"{where} has no name.")
    kind = _kind(where, row.get("type", 0))
    measure = None
    if kind is HabitKind.MEASURABLE:
        direction = {0: TargetDirection.AT_LEAST, 1: TargetDirection.AT_MOST}.get(
            _int_or(row.get("target_type"), 0)
        )
        if direction is None:
            raise LoopFormatError(f"{where} has an unknown target type {row.get('target_type')!r}.")
        try:
            measure = Measure(
                float(row.get("target_value") or 0.0), direction, str(row.get("unit") or "").strip()
            )
        except (InvalidEntry, TypeError, ValueError) as error:
            raise LoopFormatError(f"{where} has an unusable target: {error}") from error
    if "question" in row:
        question, description = row["question"], row["description"]
    else:
        question, description = row["description"], ""
    uuid = row.get("uuid")
    return ImportedHabit(
        name=name,
        question=str(question or "").strip(),
        description=str(description or "").strip(),
        archived=bool(_int_or(row["archived"], 0)),
        position=_int_or(row["position"], 0),
        color_index=palette_index_of_stored(row["color"] if isinstance(row["color"], int) else None),
        kind=kind,
        measure=measure,
        schedule=schedule_from_frequency(where, _int_or(row["freq_num"], 0), _int_or(row["freq_den"], 0)),
        loop_uuid=str(uuid) if uuid else None,
        entries=(),
    )


def _kind(where: str, value: Any) -> HabitKind:
    kinds = {0: HabitKind.YES_NO, 1: HabitKind.MEASURABLE}
    kind = kinds.get(_int_or(value, -1))
    if kind is None:
        raise LoopFormatError(
            f"{where} has an unknown habit type {value!r} (0 yes/no and 1 measurable are known)."
        )
    return kind


def _repetition_order(row: dict[str, Any]) -> tuple[int, int]:
    return (_int_or(row["timestamp"], 0), _int_or(row.get("id"), 0))


def _day_of(timestamp: Any) -> date:
    if not isinstance(timestamp, int) or isinstance(timestamp, bool):
        raise LoopFormatError(f"An entry has a timestamp that is not a number ({timestamp!r}).")
    try:
        return datetime.fromtimestamp(timestamp // MS_PER_DAY * 86_400, UTC).date()
    except (OverflowError, OSError, ValueError) as error:
        raise LoopFormatError(f"An entry has an impossible timestamp ({timestamp}).") from error


def _int_value(habit_name: str, day: date, value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise LoopFormatError(f'Habit "{habit_name}" has an unknown entry value {value!r} on {day.isoformat()}.')


def _int_or(value: Any, default: int) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return default
