"""Value types shared by the Loop Habit Tracker readers and writer."""

from dataclasses import dataclass, field
from datetime import date

from app.domain.entries import DayEntry, HabitKind, Measure
from app.domain.schedules import Schedule

MEGABYTE = 1024 * 1024


def describe_size(size: int) -> str:
    """A byte count as a person reads it ("20 MB", "512 bytes")."""
    if size >= MEGABYTE:
        return f"{size / MEGABYTE:g} MB"
    return f"{size} bytes"


def file_too_large(size: int, limit: int) -> "LoopFormatError":
    return LoopFormatError(
        f"The file is {describe_size(size)}, larger than the {describe_size(limit)} limit."
    )


class LoopFormatError(ValueError):
    """The file is not a readable Loop export or backup; the message is shown to the person as is."""


@dataclass(frozen=True)
class ImportLimits:
    """Bounds on what an import may read, so a hostile file cannot exhaust memory or time.

    ``max_compression_ratio`` only applies to zip members larger than ``ratio_check_min_bytes``:
    small CSV files full of repeated "UNKNOWN," cells legitimately compress very well.
    """

    max_file_bytes: int = 20 * MEGABYTE
    max_uncompressed_bytes: int = 100 * MEGABYTE
    max_compression_ratio: int = 100
    ratio_check_min_bytes: int = MEGABYTE
    max_zip_members: int = 10_000


DEFAULT_LIMITS = ImportLimits()


@dataclass(frozen=True)
class DayNote:
    day: date
    text: str


@dataclass(frozen=True)
class ImportedHabit:
    """One habit read from Loop, already mapped onto our domain types.

    ``position`` is 0-based (Loop's order in its list). ``color_index`` is an index into
    Loop's classic 20-colour palette, or None when the file's colour is not in it.
    ``notes`` are kept even for days whose entry was not imported (e.g. automatic ones).
    """

    name: str
    question: str
    description: str
    archived: bool
    position: int
    color_index: int | None
    kind: HabitKind
    measure: Measure | None
    schedule: Schedule
    loop_uuid: str | None
    entries: tuple[DayEntry, ...]
    notes: tuple[DayNote, ...] = ()

    def notes_by_day(self) -> dict[date, str]:
        return {note.day: note.text for note in self.notes}


@dataclass(frozen=True)
class ImportReport:
    """What an import read and what it left out, with counts the person can check."""

    habits_imported: int
    entries_imported: int
    automatic_entries_skipped: int = 0
    unknown_entries_skipped: int = 0
    duplicate_entries_skipped: int = 0
    notes: tuple[str, ...] = field(default=())

    @property
    def skipped(self) -> tuple[str, ...]:
        """Human-readable reasons for everything that was not imported."""
        reasons: list[str] = []
        if self.automatic_entries_skipped:
            reasons.append(
                f"{self.automatic_entries_skipped} automatic entries (YES_AUTO) not imported as done: "
                "Loop fills these in from the habit's frequency, they were not checked by you."
            )
        if self.unknown_entries_skipped:
            reasons.append(f"{self.unknown_entries_skipped} entries marked UNKNOWN not imported.")
        if self.duplicate_entries_skipped:
            reasons.append(
                f"{self.duplicate_entries_skipped} duplicate entries for the same day not imported "
                "(the last one recorded was kept)."
            )
        return (*reasons, *self.notes)


@dataclass(frozen=True)
class LoopImport:
    habits: tuple[ImportedHabit, ...]
    report: ImportReport


@dataclass(frozen=True)
class ExportHabit:
    """One habit to write into a Loop CSV export, in the order Loop should list it."""

    name: str
    schedule: Schedule
    entries: tuple[DayEntry, ...] = ()
    kind: HabitKind = HabitKind.YES_NO
    measure: Measure | None = None
    question: str = ""
    description: str = ""
    archived: bool = False
    color_index: int | None = None
    notes: tuple[DayNote, ...] = ()
