"""Reading Loop's CSV export: ``Habits.csv`` plus one ``NNN Name/Checkmarks.csv`` per habit.

Loop names each habit folder after the habit's 1-based position (``001 Meditate``), which is
also the ``Position`` column of ``Habits.csv``; folders are matched on that number so names
that Loop had to sanitise still match. The combined ``Checkmarks.csv`` and ``Scores.csv`` are
not read: the per-habit files hold the same entries plus notes, and scores are recomputed.
"""

import csv
import dataclasses
import io
import math
from collections.abc import Mapping
from datetime import date
from pathlib import Path, PurePosixPath
from typing import TypeVar

from app.domain.entries import HabitKind, InvalidEntry, Measure, TargetDirection
from app.domain.loop.codes import NAME_VALUES, EntryCollector, palette_index_of_hex, totals
from app.domain.loop.model import (
    DEFAULT_LIMITS,
    DayNote,
    ImportedHabit,
    ImportLimits,
    ImportReport,
    LoopFormatError,
    LoopImport,
    describe_size,
)
from app.domain.loop.zip_members import open_zip, read_members, safe_member_path
from app.domain.schedules import FrequencySchedule, InvalidSchedule

HABITS_FILE = "Habits.csv"
CHECKMARKS_FILE = "Checkmarks.csv"
SCORES_FILE = "Scores.csv"
HABITS_COLUMNS = (
    "Position",
    "Name",
    "Type",
    "Question",
    "Description",
    "FrequencyNumerator",
    "FrequencyDenominator",
    "Color",
    "Unit",
    "Target Type",
    "Target Value",
    "Archived?",
)
CHECKMARKS_COLUMNS = ("Date", "Value", "Notes")
SCORES_COLUMNS = ("Date", "Score")
_T = TypeVar("_T")
TYPE_NAMES = {"YES_NO": HabitKind.YES_NO, "NUMERICAL": HabitKind.MEASURABLE}
TARGET_TYPE_NAMES = {"AT_LEAST": TargetDirection.AT_LEAST, "AT_MOST": TargetDirection.AT_MOST}


def read_loop_csv_zip(data: bytes, limits: ImportLimits = DEFAULT_LIMITS) -> LoopImport:
    """Read the zip Loop's "Export as CSV" produces (it may also sit one folder deep)."""
    archive = open_zip(data, limits)
    with archive:
        paths = {
            safe_member_path(info.filename): info.filename for info in archive.infolist() if not info.is_dir()
        }
        root = _export_root(paths)
        wanted = {
            str(path.relative_to(root)): name
            for path, name in paths.items()
            if _is_under(path, root) and path.name in (HABITS_FILE, CHECKMARKS_FILE)
        }
        contents = read_members(archive, sorted(wanted.values()), limits)
    return read_loop_csv_files({relative: contents[name] for relative, name in wanted.items()})


def read_loop_csv_folder(path: Path, limits: ImportLimits = DEFAULT_LIMITS) -> LoopImport:
    """Read an unzipped Loop CSV export folder (the only function here that touches the disk)."""
    folder = Path(path)
    if not (folder / HABITS_FILE).is_file():
        raise LoopFormatError(
            f"The folder {folder.name!r} has no {HABITS_FILE}; it is not a Loop CSV export."
        )
    files: dict[str, bytes] = {}
    total = 0
    candidates = [folder / HABITS_FILE, *sorted(folder.glob(f"*/{CHECKMARKS_FILE}"))]
    for file in candidates:
        if file.is_symlink() or not file.is_file():
            continue
        total += file.stat().st_size
        if total > limits.max_file_bytes:
            raise LoopFormatError(
                f"The export folder is larger than the {describe_size(limits.max_file_bytes)} limit."
            )
        files[file.relative_to(folder).as_posix()] = file.read_bytes()
    return read_loop_csv_files(files)


def read_loop_csv_files(files: Mapping[str, bytes]) -> LoopImport:
    """Pure core: ``files`` maps paths relative to the export root ("Habits.csv",
    "001 Meditate/Checkmarks.csv") to their bytes."""
    if HABITS_FILE not in files:
        raise LoopFormatError(f"The export has no {HABITS_FILE}; it is not a Loop CSV export.")
    habit_rows = _rows(HABITS_FILE, files[HABITS_FILE], HABITS_COLUMNS)
    folders = _habit_folders(files)
    habits: list[ImportedHabit] = []
    collectors: list[EntryCollector] = []
    notes: list[str] = []
    seen_positions: set[str] = set()
    for line, row in habit_rows:
        position_text = row["Position"].strip()
        if position_text in seen_positions:
            raise LoopFormatError(f"{HABITS_FILE} line {line}: position {position_text} appears twice.")
        seen_positions.add(position_text)
        habit = _habit_from_row(line, row, position_text)
        collector = EntryCollector(habit.name, habit.kind)
        day_notes: list[DayNote] = []
        folder = folders.get(_position_number(line, position_text))
        if folder is None:
            notes.append(
                f'Habit "{habit.name}" has no {CHECKMARKS_FILE} in the export; imported without history.'
            )
        else:
            checkmarks_name = f"{folder}/{CHECKMARKS_FILE}"
            for entry_line, entry_row in _rows(
                checkmarks_name, files[checkmarks_name], CHECKMARKS_COLUMNS[:2]
            ):
                day = _parse_day(checkmarks_name, entry_line, entry_row["Date"])
                collector.add(day, _parse_value(checkmarks_name, entry_line, entry_row["Value"]))
                text = (entry_row.get("Notes") or "").strip()
                if text:
                    day_notes.append(DayNote(day, text))
        collectors.append(collector)
        habits.append(_with_history(habit, collector, day_notes))
    return _result(habits, collectors, notes)


def _result(habits: list[ImportedHabit], collectors: list[EntryCollector], notes: list[str]) -> LoopImport:
    automatic, unknown, duplicates = totals(collectors)
    ordered = tuple(sorted(habits, key=lambda habit: habit.position))
    report = ImportReport(
        habits_imported=len(ordered),
        entries_imported=sum(len(habit.entries) for habit in ordered),
        automatic_entries_skipped=automatic,
        unknown_entries_skipped=unknown,
        duplicate_entries_skipped=duplicates,
        notes=tuple(notes),
    )
    return LoopImport(ordered, report)


def _with_history(habit: ImportedHabit, collector: EntryCollector, notes: list[DayNote]) -> ImportedHabit:
    by_day = {note.day: note for note in notes}
    ordered_notes = tuple(by_day[day] for day in sorted(by_day))
    return dataclasses.replace(habit, entries=collector.entries(), notes=ordered_notes)


def _export_root(paths: Mapping[PurePosixPath, str]) -> PurePosixPath:
    """The folder holding Habits.csv: the archive root, or a single folder the export was zipped in."""
    roots = sorted({path.parent for path in paths if path.name == HABITS_FILE}, key=lambda p: len(p.parts))
    if not roots:
        raise LoopFormatError(f"The zip file has no {HABITS_FILE}; it is not a Loop CSV export.")
    return roots[0]


def _is_under(path: PurePosixPath, root: PurePosixPath) -> bool:
    return root == PurePosixPath(".") or path.is_relative_to(root)


def _habit_folders(files: Mapping[str, bytes]) -> dict[int, str]:
    """Habit folders keyed by the position number that starts their name."""
    folders: dict[int, str] = {}
    for name in files:
        parts = PurePosixPath(name).parts
        if len(parts) != 2 or parts[1] != CHECKMARKS_FILE:
            continue
        prefix = parts[0].split(" ", 1)[0]
        if prefix.isdigit():
            folders[int(prefix)] = parts[0]
    return folders


def _habit_from_row(line: int, row: dict[str, str], position_text: str) -> ImportedHabit:
    where = f"{HABITS_FILE} line {line}"
    name = row["Name"].strip()
    if not name:
        raise LoopFormatError(f"{where}: the habit has no name.")
    kind = _choice(where, "Type", row["Type"], TYPE_NAMES)
    measure = None
    if kind is HabitKind.MEASURABLE:
        direction = _choice(where, "Target Type", row["Target Type"], TARGET_TYPE_NAMES)
        target = _parse_float(where, "Target Value", row["Target Value"])
        try:
            measure = Measure(target, direction, row["Unit"].strip())
        except InvalidEntry as error:
            raise LoopFormatError(f"{where}: {error}") from error
    archived_text = row["Archived?"].strip().lower()
    if archived_text not in ("true", "false"):
        raise LoopFormatError(f'{where}: "Archived?" must be true or false, not "{row["Archived?"]}".')
    return ImportedHabit(
        name=name,
        question=row["Question"].strip(),
        description=row["Description"].strip(),
        archived=archived_text == "true",
        position=_position_number(line, position_text) - 1,
        color_index=palette_index_of_hex(row["Color"]),
        kind=kind,
        measure=measure,
        schedule=_schedule(where, row["FrequencyNumerator"], row["FrequencyDenominator"]),
        loop_uuid=None,
        entries=(),
    )


def schedule_from_frequency(where: str, numerator: int, denominator: int) -> FrequencySchedule:
    try:
        return FrequencySchedule(numerator, denominator)
    except InvalidSchedule as error:
        raise LoopFormatError(
            f"{where}: frequency {numerator}/{denominator} is not usable: {error}"
        ) from error


def _schedule(where: str, numerator: str, denominator: str) -> FrequencySchedule:
    return schedule_from_frequency(
        where,
        _parse_int(where, "FrequencyNumerator", numerator),
        _parse_int(where, "FrequencyDenominator", denominator),
    )


def _position_number(line: int, text: str) -> int:
    number = _parse_int(f"{HABITS_FILE} line {line}", "Position", text)
    if number < 1:
        raise LoopFormatError(f"{HABITS_FILE} line {line}: position must be 1 or more, not {number}.")
    return number


def _rows(file_name: str, data: bytes, required: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    """Rows of a CSV file as (line number, column -> value), after checking its header."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise LoopFormatError(
            f"{file_name} is not UTF-8 text (bad byte at position {error.start}); Loop always writes UTF-8."
        ) from error
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
        if header is None:
            raise LoopFormatError(f"{file_name} is empty; expected the columns {', '.join(required)}.")
        columns = [column.strip() for column in header]
        missing = [column for column in required if column not in columns]
        if missing:
            raise LoopFormatError(
                f"{file_name} is missing the column(s) {', '.join(repr(c) for c in missing)} "
                f"(found: {', '.join(repr(c) for c in columns if c)})."
            )
        rows: list[tuple[int, dict[str, str]]] = []
        for record in reader:
            if not any(cell.strip() for cell in record):
                continue
            if len(record) < len(required):
                raise LoopFormatError(f"{file_name} line {reader.line_num}: expected {len(columns)} columns.")
            rows.append((reader.line_num, dict(zip(columns, record, strict=False))))
    except csv.Error as error:
        raise LoopFormatError(f"{file_name} is not valid CSV ({error}).") from error
    for _line, row in rows:
        for column in columns:
            row.setdefault(column, "")
    return rows


def _parse_day(file_name: str, line: int, text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError as error:
        raise LoopFormatError(f'{file_name} line {line}: "{text}" is not a date like 2015-01-25.') from error


def _parse_value(file_name: str, line: int, text: str) -> int:
    token = text.strip()
    if token in NAME_VALUES:
        return NAME_VALUES[token]
    try:
        return int(token)
    except ValueError:
        raise LoopFormatError(
            f'{file_name} line {line}: unknown entry value "{text}"; Loop writes YES_MANUAL, YES_AUTO, NO, '
            "UNKNOWN, SKIP or a whole number."
        ) from None


def _parse_int(where: str, column: str, text: str) -> int:
    try:
        return int(text.strip())
    except ValueError:
        raise LoopFormatError(f'{where}: "{column}" must be a whole number, not "{text}".') from None


def _parse_float(where: str, column: str, text: str) -> float:
    try:
        value = float(text.strip())
    except ValueError:
        raise LoopFormatError(f'{where}: "{column}" must be a number, not "{text}".') from None
    if not math.isfinite(value):
        raise LoopFormatError(f'{where}: "{column}" must be a finite number, not "{text}".')
    return value


def _choice(where: str, column: str, text: str, choices: Mapping[str, _T]) -> _T:
    try:
        return choices[text.strip()]
    except KeyError:
        raise LoopFormatError(
            f'{where}: "{column}" must be one of {", ".join(choices)}, not "{text}".'
        ) from None
