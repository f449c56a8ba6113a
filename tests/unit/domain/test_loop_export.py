"""Writing a Loop-compatible CSV zip: layout as in Loop's own export, and a lossless round trip."""

import csv
import io
import zipfile
from datetime import date, timedelta
from pathlib import Path

from app.domain.entries import DayEntry, EntryKind, HabitKind, Measure, TargetDirection
from app.domain.loop import DayNote, ExportHabit, read_loop_csv_folder, read_loop_csv_zip, write_loop_csv_zip
from app.domain.schedules import FrequencySchedule
from app.domain.strength import strength_series

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "loop"
CSV_EXPORT = FIXTURES / "csv_export"
TODAY = date(2024, 3, 10)


def days_ago(n: int) -> date:
    return TODAY - timedelta(days=n)


READ = ExportHabit(
    name="Read, a lot",
    schedule=FrequencySchedule(1, 1),
    kind=HabitKind.MEASURABLE,
    measure=Measure(20.0, TargetDirection.AT_LEAST, "pages"),
    entries=(
        DayEntry(days_ago(5), EntryKind.DONE, 12.5),
        DayEntry(days_ago(3), EntryKind.NOT_DONE, 0.0),
        DayEntry(days_ago(2), EntryKind.SKIPPED),
        DayEntry(days_ago(0), EntryKind.DONE, 30.0),
    ),
    question="How many pages?",
    description="Books only",
    color_index=11,
    notes=(DayNote(days_ago(5), 'A "great" chapter'), DayNote(days_ago(4), "no entry, just a note")),
)
RUN = ExportHabit(
    name="Run 5k",
    schedule=FrequencySchedule(3, 7),
    entries=(
        DayEntry(days_ago(9), EntryKind.DONE),
        DayEntry(days_ago(7), EntryKind.NOT_DONE),
        DayEntry(days_ago(6), EntryKind.SKIPPED),
        DayEntry(days_ago(1), EntryKind.DONE),
    ),
    archived=True,
    color_index=0,
)
SNACK = ExportHabit(
    name="Snacks",
    schedule=FrequencySchedule(1, 1),
    kind=HabitKind.MEASURABLE,
    measure=Measure(2.0, TargetDirection.AT_MOST, "bars"),
    entries=(DayEntry(days_ago(1), EntryKind.DONE, 3.0),),
)
EMPTY = ExportHabit(name="Meditate", schedule=FrequencySchedule(1, 1), color_index=3)
HABITS = [READ, RUN, SNACK, EMPTY]


def exported(habits: list[ExportHabit] = HABITS) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(write_loop_csv_zip(habits, TODAY))) as archive:
        return {name: archive.read(name).decode("utf-8") for name in archive.namelist()}


def rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def test_round_trip_reproduces_habits_schedules_entries_and_values() -> None:
    result = read_loop_csv_zip(write_loop_csv_zip(HABITS, TODAY))

    assert len(result.habits) == len(HABITS)
    for original, imported in zip(HABITS, result.habits, strict=True):
        assert imported.name == original.name
        assert imported.schedule == original.schedule
        assert imported.kind is original.kind
        assert imported.measure == original.measure
        assert imported.entries == original.entries
        assert imported.notes == tuple(sorted(original.notes, key=lambda note: note.day))
        assert (imported.question, imported.description) == (original.question, original.description)
        # Loop needs a colour: a habit without one is written with the default teal (8).
        expected_color = 8 if original.color_index is None else original.color_index
        assert (imported.archived, imported.color_index) == (original.archived, expected_color)
    assert result.report.automatic_entries_skipped == 0
    assert result.report.entries_imported == sum(len(habit.entries) for habit in HABITS)


def test_fixture_survives_import_then_export_then_import() -> None:
    first = read_loop_csv_folder(CSV_EXPORT)
    again = read_loop_csv_zip(
        write_loop_csv_zip(
            [
                ExportHabit(
                    name=h.name,
                    schedule=h.schedule,
                    entries=h.entries,
                    kind=h.kind,
                    measure=h.measure,
                    question=h.question,
                    description=h.description,
                    archived=h.archived,
                    color_index=h.color_index,
                    notes=h.notes,
                )
                for h in first.habits
            ],
            date(2015, 1, 25),
        )
    )
    assert again.habits == first.habits


def test_layout_and_headers_match_loops_own_export() -> None:
    files = exported()
    fixture = {p.relative_to(CSV_EXPORT).as_posix(): p.read_text("utf-8") for p in CSV_EXPORT.rglob("*.csv")}

    assert set(files) == {
        "Habits.csv", "Checkmarks.csv", "Scores.csv",
        "001 Read a lot/Checkmarks.csv", "001 Read a lot/Scores.csv",
        "002 Run 5k/Checkmarks.csv", "002 Run 5k/Scores.csv",
        "003 Snacks/Checkmarks.csv", "003 Snacks/Scores.csv",
        "004 Meditate/Checkmarks.csv", "004 Meditate/Scores.csv",
    }  # fmt: skip
    assert files["Habits.csv"].splitlines()[0] == fixture["Habits.csv"].splitlines()[0]
    for per_habit in ("Checkmarks.csv", "Scores.csv"):
        assert (
            files[f"002 Run 5k/{per_habit}"].splitlines()[0]
            == fixture[f"002 Wake up early/{per_habit}"].splitlines()[0]
        )
    only_meditate = exported([EMPTY])
    assert only_meditate["001 Meditate/Checkmarks.csv"] == fixture["001 Meditate/Checkmarks.csv"]
    assert only_meditate["001 Meditate/Scores.csv"] == "Date,Score\n2024-03-10,0.0000\n"
    assert only_meditate["Checkmarks.csv"] == "Date,Meditate,\n2024-03-10,UNKNOWN,\n"
    assert all("\r" not in text for text in files.values())


def test_habits_csv_rows_use_loops_value_formats() -> None:
    habits_rows = rows(exported()["Habits.csv"])
    assert habits_rows[1] == [
        "001", "Read, a lot", "NUMERICAL", "How many pages?", "Books only", "1", "1", "#1976D2",
        "pages", "AT_LEAST", "20.0", "false",
    ]  # fmt: skip
    assert habits_rows[2] == ["002", "Run 5k", "YES_NO", "", "", "3", "7", "#D32F2F", "", "", "", "true"]
    # The fixture's own rows read the same way (the fixture's Meditate is #FF8F00, index 3).
    assert rows(exported([EMPTY])["Habits.csv"])[1][7] == "#FF8F00"


def test_checkmarks_are_newest_first_with_loop_codes() -> None:
    files = exported()
    assert rows(files["002 Run 5k/Checkmarks.csv"])[1:] == [
        [days_ago(1).isoformat(), "YES_MANUAL", ""],
        [days_ago(6).isoformat(), "SKIP", ""],
        [days_ago(7).isoformat(), "NO", ""],
        [days_ago(9).isoformat(), "YES_MANUAL", ""],
    ]
    read_rows = rows(files["001 Read a lot/Checkmarks.csv"])[1:]
    assert read_rows[0] == [TODAY.isoformat(), "30000", ""]
    assert read_rows[-1] == [days_ago(5).isoformat(), "12500", 'A "great" chapter']
    combined = rows(files["Checkmarks.csv"])
    assert combined[0] == ["Date", "Read, a lot", "Run 5k", "Snacks", "Meditate", ""]
    assert len(combined) == 1 + 10  # from the oldest entry (9 days ago) to today
    assert combined[1] == [TODAY.isoformat(), "30000", "UNKNOWN", "UNKNOWN", "UNKNOWN", ""]
    assert combined[-1] == [days_ago(9).isoformat(), "UNKNOWN", "YES_MANUAL", "UNKNOWN", "UNKNOWN", ""]


def test_scores_equal_strength_series() -> None:
    files = exported()
    for folder, habit in (("001 Read a lot", READ), ("002 Run 5k", RUN), ("003 Snacks", SNACK)):
        expected = strength_series(habit.schedule, habit.entries, TODAY, habit.kind, habit.measure)
        written = rows(files[f"{folder}/Scores.csv"])
        assert written[0] == ["Date", "Score"]
        assert written[1:] == [[point.day.isoformat(), f"{point.score:.4f}"] for point in reversed(expected)]

    combined = rows(files["Scores.csv"])
    run = {point.day: point.score for point in strength_series(RUN.schedule, RUN.entries, TODAY)}
    snack = strength_series(SNACK.schedule, SNACK.entries, TODAY, SNACK.kind, SNACK.measure)
    for row in combined[1:]:
        day = date.fromisoformat(row[0])
        assert row[2] == f"{run[day]:.4f}"
        # Before its first entry an "at most" habit sits at full strength, as Loop shows it.
        assert row[3] == (f"{snack[-1].score:.4f}" if day == TODAY else row[3])
        assert row[4] == "0.0000"
    assert combined[-1][3] == "1.0000"


def test_export_is_deterministic() -> None:
    assert write_loop_csv_zip(HABITS, TODAY) == write_loop_csv_zip(HABITS, TODAY)
