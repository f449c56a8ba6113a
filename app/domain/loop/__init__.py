"""Loop Habit Tracker import and export formats (pure, apart from the readers taking a path).

Readers: ``read_loop_csv_zip`` (bytes), ``read_loop_csv_folder`` and ``read_loop_sqlite``
(paths), ``read_loop_sqlite_bytes``, and ``read_loop_path`` / ``read_loop_upload``, which pick
the reader from the content. Each returns a ``LoopImport`` (habits and a report) or raises
``LoopFormatError`` with a message for the person; nothing partial is ever returned.
Writer: ``write_loop_csv_zip``.
"""

from app.domain.loop.csv_export import habit_folder_name, loop_csv_files, write_loop_csv_zip
from app.domain.loop.csv_import import read_loop_csv_files, read_loop_csv_folder, read_loop_csv_zip
from app.domain.loop.detect import read_loop_path, read_loop_upload
from app.domain.loop.model import (
    DEFAULT_LIMITS,
    DayNote,
    ExportHabit,
    ImportedHabit,
    ImportLimits,
    ImportReport,
    LoopFormatError,
    LoopImport,
)
from app.domain.loop.sqlite_import import habits_from_tables, read_loop_sqlite, read_loop_sqlite_bytes

detect_and_read = read_loop_path

__all__ = [
    "DEFAULT_LIMITS",
    "DayNote",
    "ExportHabit",
    "ImportLimits",
    "ImportReport",
    "ImportedHabit",
    "LoopFormatError",
    "LoopImport",
    "detect_and_read",
    "habit_folder_name",
    "habits_from_tables",
    "loop_csv_files",
    "read_loop_csv_files",
    "read_loop_csv_folder",
    "read_loop_csv_zip",
    "read_loop_path",
    "read_loop_sqlite",
    "read_loop_sqlite_bytes",
    "read_loop_upload",
    "write_loop_csv_zip",
]
