"""Writing a Loop-compatible CSV export zip, laid out exactly as Loop's own export.

Layout (as in Loop 2.x): ``Habits.csv``; per habit a folder ``NNN Name`` (1-based position,
name stripped to ``[ a-zA-Z0-9._-]`` and 100 characters) with ``Checkmarks.csv``
(``Date,Value,Notes``, known days newest first) and ``Scores.csv`` (``Date,Score`` from the
first entry to today, newest first, four decimals); and the combined ``Checkmarks.csv`` and
``Scores.csv`` (``Date,<habit>,...,`` with a trailing comma, one row per day from the oldest
entry of any habit to today). Dates are ``YYYY-MM-DD``, lines end in ``\\n``.

Differences from Loop, all so that our reader gets back what was written: we never write
YES_AUTO (we do not derive automatic days), a note on a day without an entry is written as an
UNKNOWN row carrying the note, and a weekday schedule is written as its frequency (Loop has no
weekday schedules). Measurable amounts are stored as thousandths, like Loop.
"""

import csv
import io
import re
import zipfile
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from app.domain.entries import DayEntry, EntryKind, HabitKind
from app.domain.loop.codes import MEASURE_SCALE, NO, PALETTE, SKIP, UNKNOWN, YES_MANUAL, format_value
from app.domain.loop.csv_import import (
    CHECKMARKS_COLUMNS,
    CHECKMARKS_FILE,
    HABITS_COLUMNS,
    HABITS_FILE,
    SCORES_FILE,
)
from app.domain.loop.model import ExportHabit
from app.domain.strength import initial_strength, strength_series

_UNSAFE_FILENAME_CHARS = re.compile(r"[^ a-zA-Z0-9._-]+")
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # fixed member timestamps keep the zip byte-for-byte reproducible
DEFAULT_COLOR_INDEX = 8


def write_loop_csv_zip(habits: Sequence[ExportHabit], today: date) -> bytes:
    """The complete export as zip bytes; scores are the habit strength as of ``today``."""
    files = loop_csv_files(habits, today)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(zipfile.ZipInfo(name, _ZIP_DATE), content, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def loop_csv_files(habits: Sequence[ExportHabit], today: date) -> dict[str, str]:
    """Every file of the export by its path in the zip, in the order Loop writes them."""
    files = {HABITS_FILE: _habits_csv(habits)}
    for index, habit in enumerate(habits):
        folder = habit_folder_name(index, habit.name)
        files[f"{folder}/{SCORES_FILE}"] = _scores_csv(habit, today)
        files[f"{folder}/{CHECKMARKS_FILE}"] = _checkmarks_csv(habit)
    checkmarks, scores = _combined_csvs(habits, today)
    files[SCORES_FILE] = scores
    files[CHECKMARKS_FILE] = checkmarks
    return files


def habit_folder_name(index: int, name: str) -> str:
    sane = _UNSAFE_FILENAME_CHARS.sub("", name)[:100]
    return f"{index + 1:03d} {sane}".strip()


def stored_value(entry: DayEntry, kind: HabitKind) -> int:
    """The integer Loop would store for ``entry``."""
    if entry.kind is EntryKind.SKIPPED:
        return SKIP
    if kind is HabitKind.MEASURABLE:
        return round((entry.value or 0.0) * MEASURE_SCALE)
    return YES_MANUAL if entry.kind is EntryKind.DONE else NO


def _writer(buffer: io.StringIO) -> Any:
    return csv.writer(buffer, lineterminator="\n")


def _habits_csv(habits: Sequence[ExportHabit]) -> str:
    buffer = io.StringIO()
    writer = _writer(buffer)
    writer.writerow(HABITS_COLUMNS)
    for index, habit in enumerate(habits):
        measurable = habit.kind is HabitKind.MEASURABLE and habit.measure is not None
        measure = habit.measure
        color = habit.color_index if habit.color_index is not None else DEFAULT_COLOR_INDEX
        writer.writerow(
            [
                f"{index + 1:03d}",
                habit.name,
                "NUMERICAL" if measurable else "YES_NO",
                habit.question,
                habit.description,
                habit.schedule.times,
                habit.schedule.days,
                PALETTE[color],
                measure.unit if measurable and measure else "",
                measure.direction.name if measurable and measure else "",
                repr(float(measure.target)) if measurable and measure else "",
                "true" if habit.archived else "false",
            ]
        )
    return buffer.getvalue()


def _checkmarks_csv(habit: ExportHabit) -> str:
    buffer = io.StringIO()
    writer = _writer(buffer)
    writer.writerow(CHECKMARKS_COLUMNS)
    values = {entry.day: format_value(stored_value(entry, habit.kind)) for entry in habit.entries}
    notes = {note.day: note.text for note in habit.notes}
    for day in sorted(values.keys() | notes.keys(), reverse=True):
        writer.writerow([day.isoformat(), values.get(day, format_value(UNKNOWN)), notes.get(day, "")])
    return buffer.getvalue()


def _daily_scores(habit: ExportHabit, today: date) -> dict[date, float]:
    series = strength_series(habit.schedule, habit.entries, today, habit.kind, habit.measure)
    return {point.day: point.score for point in series}


def _scores_csv(habit: ExportHabit, today: date) -> str:
    buffer = io.StringIO()
    writer = _writer(buffer)
    writer.writerow(("Date", "Score"))
    scores = _daily_scores(habit, today)
    if not scores:
        scores = {today: initial_strength(habit.kind, habit.measure)}
    for day in sorted(scores, reverse=True):
        writer.writerow([day.isoformat(), _score_text(scores[day])])
    return buffer.getvalue()


def _combined_csvs(habits: Sequence[ExportHabit], today: date) -> tuple[str, str]:
    checks_buffer, scores_buffer = io.StringIO(), io.StringIO()
    checks, scores = _writer(checks_buffer), _writer(scores_buffer)
    header = ["Date", *(habit.name for habit in habits), ""]
    checks.writerow(header)
    scores.writerow(header)
    first_days = [min(entry.day for entry in habit.entries) for habit in habits if habit.entries]
    oldest = min([*first_days, today])
    per_habit_scores = [_daily_scores(habit, today) for habit in habits]
    per_habit_values = [
        {entry.day: format_value(stored_value(entry, habit.kind)) for entry in habit.entries}
        for habit in habits
    ]
    starting = [initial_strength(habit.kind, habit.measure) for habit in habits]
    for offset in range((today - oldest).days + 1):
        day = today - timedelta(days=offset)
        text = day.isoformat()
        checks.writerow([text, *(values.get(day, "UNKNOWN") for values in per_habit_values), ""])
        scores.writerow(
            [
                text,
                *(
                    _score_text(daily.get(day, start))
                    for daily, start in zip(per_habit_scores, starting, strict=True)
                ),
                "",
            ]
        )
    return checks_buffer.getvalue(), scores_buffer.getvalue()


def _score_text(score: float) -> str:
    return f"{score:.4f}"
