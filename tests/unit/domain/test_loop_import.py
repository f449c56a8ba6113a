"""Importing Loop Habit Tracker files: every real fixture, and every kind of bad input.

Expected counts are computed from the raw fixture files with the small independent readers
below (plain sqlite3 and csv), never with the code under test.
"""

import csv
import io
import re
import sqlite3
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from app.domain.entries import DayEntry, EntryKind, HabitKind, Measure, TargetDirection
from app.domain.loop import (
    ImportLimits,
    LoopFormatError,
    LoopImport,
    read_loop_csv_files,
    read_loop_csv_folder,
    read_loop_csv_zip,
    read_loop_path,
    read_loop_sqlite,
    read_loop_sqlite_bytes,
    read_loop_upload,
)
from app.domain.loop.sqlite_import import LoopTables, habits_from_tables
from app.domain.schedules import FrequencySchedule

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "loop"
CSV_EXPORT = FIXTURES / "csv_export"
BACKUPS = ("loop-v12-backup.db", "loop-v21-backup.db", "loop-v22-backup.db")


# --- independent readers of the raw fixtures -------------------------------------------------


def raw_backup(name: str) -> dict[str, object]:
    """Counts straight from the backup with SQL: habits, and repetitions per stored value."""
    connection = sqlite3.connect(FIXTURES / name)
    try:
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        columns = {row[1].lower() for row in connection.execute("PRAGMA table_info(Repetitions)")}
        names = [row[0] for row in connection.execute("SELECT name FROM Habits ORDER BY position, id")]
        freqs = [
            tuple(row)
            for row in connection.execute("SELECT freq_num, freq_den FROM Habits ORDER BY position, id")
        ]
        value = "value" if "value" in columns else "2"
        by_value = dict(
            connection.execute(f"SELECT {value}, count(*) FROM Repetitions GROUP BY 1").fetchall()
        )
    finally:
        connection.close()
    return {"version": version, "names": names, "freqs": freqs, "by_value": by_value}


def raw_csv_counts() -> dict[str, int]:
    """Per-habit Checkmarks.csv values counted with the csv module."""
    counts: dict[str, int] = {}
    for file in sorted(CSV_EXPORT.glob("*/Checkmarks.csv")):
        with file.open(newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                counts[row["Value"]] = counts.get(row["Value"], 0) + 1
    return counts


def zip_folder(folder: Path, prefix: str = "") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for file in sorted(folder.rglob("*")):
            if file.is_file():
                archive.write(file, prefix + file.relative_to(folder).as_posix())
    return buffer.getvalue()


def fixture_files() -> dict[str, bytes]:
    return {file.relative_to(CSV_EXPORT).as_posix(): file.read_bytes() for file in CSV_EXPORT.rglob("*.csv")}


def zip_of(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def done_count(result: LoopImport) -> int:
    return sum(entry.kind is EntryKind.DONE for habit in result.habits for entry in habit.entries)


def kind_count(result: LoopImport, kind: EntryKind) -> int:
    return sum(entry.kind is kind for habit in result.habits for entry in habit.entries)


# --- the CSV export -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "read",
    [
        lambda: read_loop_csv_folder(CSV_EXPORT),
        lambda: read_loop_csv_zip(zip_folder(CSV_EXPORT)),
        lambda: read_loop_csv_zip(zip_folder(CSV_EXPORT, "Loop Habits CSV 2015-01-25/")),
        lambda: read_loop_path(CSV_EXPORT),
        lambda: read_loop_upload(zip_folder(CSV_EXPORT), "export.zip"),
    ],
    ids=["folder", "zip", "zip-in-folder", "path", "upload"],
)
def test_csv_export_imports_with_counts_from_the_raw_files(read) -> None:
    raw = raw_csv_counts()
    result = read()

    assert [habit.name for habit in result.habits] == ["Meditate", "Wake up early"]
    assert result.report.habits_imported == 2
    assert done_count(result) == raw["YES_MANUAL"] == 6
    assert kind_count(result, EntryKind.NOT_DONE) == raw["NO"] == 1
    assert kind_count(result, EntryKind.SKIPPED) == raw.get("SKIP", 0) == 0
    assert result.report.automatic_entries_skipped == raw["YES_AUTO"] == 3
    assert result.report.entries_imported == raw["YES_MANUAL"] + raw["NO"]
    assert result.report.skipped[0].startswith("3 automatic entries (YES_AUTO) not imported as done")


def test_csv_export_habit_details_and_notes() -> None:
    meditate, wake_up = read_loop_csv_folder(CSV_EXPORT).habits

    assert meditate.question == "Did you meditate this morning?"
    assert meditate.schedule == FrequencySchedule(1, 1)
    assert meditate.color_index == 3  # #FF8F00 in Loop's palette
    assert meditate.entries == ()
    assert (meditate.position, wake_up.position) == (0, 1)
    assert wake_up.schedule == FrequencySchedule(2, 3)
    assert wake_up.kind is HabitKind.YES_NO and wake_up.measure is None
    assert wake_up.color_index == 8
    assert not wake_up.archived and wake_up.loop_uuid is None
    # YES_AUTO days (19, 18, 23) are not imported; the person's notes on them are kept.
    assert [entry.day.day for entry in wake_up.entries] == [16, 17, 20, 21, 22, 24, 25]
    assert DayEntry(date(2015, 1, 24), EntryKind.NOT_DONE) in wake_up.entries
    assert wake_up.notes_by_day() == {
        date(2015, 1, 24): "Sick",
        date(2015, 1, 23): "Forgot to do it, really",
        date(2015, 1, 19): '"Vacation"',
    }


def test_measurable_csv_values_are_thousandths_and_unknown_is_not_imported() -> None:
    files = {
        "Habits.csv": (
            b"Position,Name,Type,Question,Description,FrequencyNumerator,FrequencyDenominator,Color,Unit,"
            b"Target Type,Target Value,Archived?\n"
            b"001,Read,NUMERICAL,How many pages?,Books,1,1,#00897B,pages,AT_MOST,20.5,true\n"
        ),
        "001 Read/Checkmarks.csv": b"Date,Value,Notes\n2020-01-03,12500,\n2020-01-02,NO,\n2020-01-01,SKIP,x\n"
        b"2019-12-31,UNKNOWN,\n",
    }
    (habit,) = read_loop_csv_files(files).habits
    assert habit.kind is HabitKind.MEASURABLE
    assert habit.measure == Measure(20.5, TargetDirection.AT_MOST, "pages")
    assert habit.archived
    assert habit.entries == (
        DayEntry(date(2020, 1, 1), EntryKind.SKIPPED),
        DayEntry(date(2020, 1, 2), EntryKind.NOT_DONE, 0.0),
        DayEntry(date(2020, 1, 3), EntryKind.DONE, 12.5),
    )
    assert read_loop_csv_files(files).report.unknown_entries_skipped == 1


# --- the SQLite backups ---------------------------------------------------------------------


@pytest.mark.parametrize("name", BACKUPS)
def test_backup_imports_with_counts_from_sql(name: str) -> None:
    raw = raw_backup(name)
    by_value = raw["by_value"]
    assert isinstance(by_value, dict)
    for read in (
        lambda: read_loop_sqlite(FIXTURES / name),
        lambda: read_loop_sqlite_bytes((FIXTURES / name).read_bytes()),
        lambda: read_loop_path(FIXTURES / name),
        lambda: read_loop_upload((FIXTURES / name).read_bytes(), name),
    ):
        result = read()
        assert [habit.name for habit in result.habits] == raw["names"]
        assert [(h.schedule.times, h.schedule.days) for h in result.habits] == raw["freqs"]
        assert done_count(result) == by_value.get(2, 0)
        assert kind_count(result, EntryKind.NOT_DONE) == by_value.get(0, 0)
        assert kind_count(result, EntryKind.SKIPPED) == by_value.get(3, 0)
        assert result.report.automatic_entries_skipped == by_value.get(1, 0)
        assert result.report.unknown_entries_skipped == by_value.get(-1, 0)
        assert result.report.habits_imported == len(raw["names"])  # type: ignore[arg-type]
        assert result.report.entries_imported == sum(by_value.get(v, 0) for v in (0, 2, 3))


def test_backup_schema_versions_are_what_the_fixtures_claim() -> None:
    assert [raw_backup(name)["version"] for name in BACKUPS] == [12, 21, 22]


def test_v12_backup_details() -> None:
    habits = read_loop_sqlite(FIXTURES / "loop-v12-backup.db").habits
    assert len(habits) == 9
    assert sum(len(habit.entries) for habit in habits) == 164
    brush = habits[1]
    assert brush.name == "brush teeth"
    # Before schema 23 Loop kept the question in "description" (its migration 23 moves it).
    assert (brush.question, brush.description) == ("I want to have beautiful teeth!", "")
    assert brush.schedule == FrequencySchedule(3, 7)
    assert habits[2].schedule == FrequencySchedule(1, 5)
    # Schema 12 stored colours as ARGB: -16742021 is #00897B (8), -1684967 is #E64A19 (1).
    assert [habit.color_index for habit in habits] == [8] * 6 + [1] * 3
    assert all(habit.kind is HabitKind.YES_NO for habit in habits)
    first = habits[0].entries[0]
    assert first == DayEntry(datetime.fromtimestamp(1451606400, UTC).date(), EntryKind.DONE)


def test_v22_backup_details() -> None:
    work_out, test = read_loop_sqlite(FIXTURES / "loop-v22-backup.db").habits
    assert work_out.question == "Did you work out?"
    assert work_out.entries == (DayEntry(date(2020, 1, 1), EntryKind.DONE),)
    assert test.entries == ()
    assert (work_out.color_index, work_out.position, test.position) == (8, 0, 1)


def current_schema_tables(repetitions: list[dict[str, object]], **habit: object) -> LoopTables:
    row: dict[str, object] = {
        "id": 1, "name": "Run", "freq_num": 1, "freq_den": 1, "position": 0, "archived": 0, "color": 3,
        "description": "Outside", "type": 0, "target_type": 0, "target_value": 0.0, "unit": "",
        "question": "Did you run?", "uuid": "abc123",
    }  # fmt: skip
    row.update(habit)
    return LoopTables(25, [row], repetitions)


def test_current_schema_rows_values_notes_and_uuid() -> None:
    day_ms = 86_400_000
    base = 18262 * day_ms  # 2020-01-01
    reps = [
        {"id": 1, "habit": 1, "timestamp": base, "value": 2, "notes": "felt good"},
        {"id": 2, "habit": 1, "timestamp": base + day_ms, "value": 1, "notes": None},
        {"id": 3, "habit": 1, "timestamp": base + 2 * day_ms, "value": 0, "notes": ""},
        {"id": 4, "habit": 1, "timestamp": base + 3 * day_ms, "value": 3, "notes": None},
        {"id": 5, "habit": 1, "timestamp": base + 4 * day_ms, "value": -1, "notes": "rain"},
        {"id": 6, "habit": 99, "timestamp": base, "value": 2, "notes": None},
    ]
    result = habits_from_tables(current_schema_tables(reps))
    (habit,) = result.habits
    assert (habit.question, habit.description, habit.loop_uuid) == ("Did you run?", "Outside", "abc123")
    assert habit.entries == (
        DayEntry(date(2020, 1, 1), EntryKind.DONE),
        DayEntry(date(2020, 1, 3), EntryKind.NOT_DONE),
        DayEntry(date(2020, 1, 4), EntryKind.SKIPPED),
    )
    assert habit.notes_by_day() == {date(2020, 1, 1): "felt good", date(2020, 1, 5): "rain"}
    assert (result.report.automatic_entries_skipped, result.report.unknown_entries_skipped) == (1, 1)
    assert "1 entries belong to no habit" in " ".join(result.report.skipped)

    measurable = habits_from_tables(
        current_schema_tables(
            [{"id": 1, "habit": 1, "timestamp": base, "value": 2500, "notes": None}],
            type=1,
            target_type=1,
            target_value=3.0,
            unit="km",
        )
    ).habits[0]
    assert measurable.measure == Measure(3.0, TargetDirection.AT_MOST, "km")
    assert measurable.entries == (DayEntry(date(2020, 1, 1), EntryKind.DONE, 2.5),)


def test_reading_twice_gives_equal_results() -> None:
    assert read_loop_csv_folder(CSV_EXPORT) == read_loop_csv_folder(CSV_EXPORT)
    assert read_loop_csv_zip(zip_folder(CSV_EXPORT)) == read_loop_csv_folder(CSV_EXPORT)
    for name in BACKUPS:
        assert read_loop_sqlite(FIXTURES / name) == read_loop_sqlite(FIXTURES / name)
        assert read_loop_sqlite(FIXTURES / name) == read_loop_sqlite_bytes((FIXTURES / name).read_bytes())


# --- bad input -------------------------------------------------------------------------------


def test_corrupt_zip_is_rejected() -> None:
    data = zip_folder(CSV_EXPORT)
    with pytest.raises(LoopFormatError, match="not a readable zip"):
        read_loop_csv_zip(data[: len(data) // 2])
    with pytest.raises(LoopFormatError, match="not a readable zip"):
        read_loop_csv_zip(b"PK\x03\x04 definitely not a zip")


def test_damaged_member_is_rejected() -> None:
    data = bytearray(zip_of({"Habits.csv": b"x" * 5000}))
    data[60:80] = b"\xff" * 20  # inside the compressed stream
    with pytest.raises(LoopFormatError, match=r"damaged|not a readable zip"):
        read_loop_csv_zip(bytes(data))


def test_zip_without_habits_csv_is_rejected() -> None:
    with pytest.raises(LoopFormatError, match=r"no Habits.csv"):
        read_loop_csv_zip(zip_of({"notes.txt": b"hello"}))


@pytest.mark.parametrize("column", ["Name", "FrequencyNumerator", "Archived?"])
def test_missing_or_renamed_habits_column_is_rejected(column: str) -> None:
    files = fixture_files()
    files["Habits.csv"] = files["Habits.csv"].replace(column.encode(), b"Renamed", 1)
    with pytest.raises(LoopFormatError, match=f"Habits.csv is missing the column.*'{re.escape(column)}'"):
        read_loop_csv_zip(zip_of(files))


def test_renamed_checkmarks_column_is_rejected() -> None:
    files = fixture_files()
    name = "002 Wake up early/Checkmarks.csv"
    files[name] = files[name].replace(b"Value", b"Status", 1)
    with pytest.raises(LoopFormatError, match=r"Checkmarks.csv is missing the column.*'Value'"):
        read_loop_csv_files(files)


def test_unknown_entry_value_is_rejected() -> None:
    files = fixture_files()
    name = "002 Wake up early/Checkmarks.csv"
    files[name] = files[name].replace(b"2015-01-24,NO", b"2015-01-24,MAYBE")
    with pytest.raises(LoopFormatError, match='line 3: unknown entry value "MAYBE"'):
        read_loop_csv_files(files)


def test_unknown_stored_value_is_rejected() -> None:
    tables = current_schema_tables([{"id": 1, "habit": 1, "timestamp": 0, "value": 7, "notes": None}])
    with pytest.raises(LoopFormatError, match='"Run" has an unknown entry value 7 on 1970-01-01'):
        habits_from_tables(tables)


def test_bad_date_and_bad_type_are_rejected() -> None:
    files = fixture_files()
    name = "002 Wake up early/Checkmarks.csv"
    bad_date = {**files, name: files[name].replace(b"2015-01-24", b"24/01/2015")}
    with pytest.raises(LoopFormatError, match='"24/01/2015" is not a date'):
        read_loop_csv_files(bad_date)
    bad_type = {**files, "Habits.csv": files["Habits.csv"].replace(b"YES_NO", b"BOOLEAN", 1)}
    with pytest.raises(LoopFormatError, match='"Type" must be one of YES_NO, NUMERICAL, not "BOOLEAN"'):
        read_loop_csv_files(bad_type)


def test_non_utf8_file_is_rejected() -> None:
    files = fixture_files()
    files["Habits.csv"] = files["Habits.csv"].replace(b"Meditate", "Méditer".encode("latin-1"))
    with pytest.raises(LoopFormatError, match=r"Habits.csv is not UTF-8 text"):
        read_loop_csv_zip(zip_of(files))


def test_file_over_the_size_limit_is_rejected() -> None:
    limits = ImportLimits(max_file_bytes=1000)
    with pytest.raises(LoopFormatError, match="larger than the 1000 bytes limit"):
        read_loop_csv_zip(zip_folder(CSV_EXPORT), limits)
    with pytest.raises(LoopFormatError, match="larger than the 1000 bytes limit"):
        read_loop_sqlite(FIXTURES / "loop-v21-backup.db", limits)
    with pytest.raises(LoopFormatError, match="larger than the 1000 bytes limit"):
        read_loop_upload((FIXTURES / "loop-v21-backup.db").read_bytes(), "x.db", limits)
    with pytest.raises(LoopFormatError, match="larger than the 20 MB limit"):
        read_loop_upload(b"\0" * (20 * 1024 * 1024 + 1), "big.zip")


def test_zip_bomb_by_ratio_is_rejected_from_headers() -> None:
    bomb = zip_of({"Habits.csv": b"0" * (5 * 1024 * 1024)})
    with pytest.raises(LoopFormatError, match="expands more than 100 times"):
        read_loop_csv_zip(bomb)


def test_zip_bomb_by_total_size_is_rejected() -> None:
    files = {f"{n:03d} x/Checkmarks.csv": bytes(range(256)) * 400 for n in range(1, 30)}
    files["Habits.csv"] = b"Position"
    with pytest.raises(LoopFormatError, match="expands to more than 1 MB"):
        read_loop_csv_zip(zip_of(files), ImportLimits(max_uncompressed_bytes=1024 * 1024))


def test_zip_bomb_with_lying_headers_is_caught_while_reading() -> None:
    real = b"0" * (200 * 1024)
    data = bytearray(zip_of({"Habits.csv": real}))
    # Claim a tiny uncompressed size in both the local header and the central directory.
    local = data.index(b"PK\x03\x04")
    data[local + 22 : local + 26] = (100).to_bytes(4, "little")
    central = data.index(b"PK\x01\x02")
    data[central + 24 : central + 28] = (100).to_bytes(4, "little")
    # zipfile stops at the declared size and the CRC check then fails, so the real 200 KB
    # are never produced; our own running count guards the same limit independently.
    with pytest.raises(LoopFormatError, match=r'"Habits.csv" is damaged'):
        read_loop_csv_zip(bytes(data))


@pytest.mark.parametrize("name", ["../Habits.csv", "/etc/Habits.csv", "a/../../Habits.csv", "C:/Habits.csv"])
def test_zip_entry_escaping_its_folder_is_rejected(name: str) -> None:
    files = fixture_files()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for member, content in files.items():
            archive.writestr(member, content)
        info = zipfile.ZipInfo("placeholder")
        info.filename = name  # ZipInfo's constructor would strip a leading "/"
        archive.writestr(info, b"x")
    with pytest.raises(LoopFormatError, match="unsafe name"):
        read_loop_csv_zip(buffer.getvalue())


def test_not_sqlite_at_all_is_rejected(tmp_path: Path) -> None:
    fake = tmp_path / "backup.db"
    fake.write_bytes(b"this is a text file, not a database\n" * 10)
    with pytest.raises(LoopFormatError, match="not an SQLite database at all"):
        read_loop_sqlite(fake)
    with pytest.raises(LoopFormatError, match="neither a Loop CSV export"):
        read_loop_upload(fake.read_bytes(), "backup.db")


def test_sqlite_that_is_not_loops_is_rejected(tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    connection = sqlite3.connect(other)
    connection.execute("CREATE TABLE Habits (id integer primary key, title text)")
    connection.commit()
    connection.close()
    with pytest.raises(
        LoopFormatError, match='not a Loop Habit Tracker backup: its "Habits" table has no column'
    ):
        read_loop_sqlite(other)
    connection = sqlite3.connect(other)
    connection.execute("DROP TABLE Habits")
    connection.execute("CREATE TABLE Notes (id integer)")
    connection.commit()
    connection.close()
    with pytest.raises(LoopFormatError, match='has no "Habits" table'):
        read_loop_sqlite_bytes(other.read_bytes())


def test_truncated_sqlite_is_rejected() -> None:
    data = (FIXTURES / "loop-v21-backup.db").read_bytes()
    with pytest.raises(LoopFormatError, match="not a Loop Habit Tracker backup"):
        read_loop_sqlite_bytes(data[:2048])


def test_impossible_frequency_is_rejected() -> None:
    files = fixture_files()
    files["Habits.csv"] = files["Habits.csv"].replace(b",2,3,", b",5,3,")
    with pytest.raises(LoopFormatError, match="frequency 5/3 is not usable"):
        read_loop_csv_files(files)


def test_readers_leave_no_files_behind(tmp_path: Path) -> None:
    copy = tmp_path / "backup.db"
    copy.write_bytes((FIXTURES / "loop-v22-backup.db").read_bytes())
    read_loop_sqlite(copy)
    read_loop_path(copy)
    assert [path.name for path in tmp_path.iterdir()] == ["backup.db"]
