"""Loop's stored entry values and colour palette, and how they map onto our domain.

Loop stores one integer per habit and day. For yes/no habits: 2 done (YES_MANUAL), 1 done
automatically (YES_AUTO, derived by Loop from the frequency), 0 not done (NO), -1 unknown,
3 skipped (SKIP). Measurable habits store the logged amount times 1000, except -1 (unknown)
and 3 (skipped), which keep their meaning. The CSV export writes the same integers, using the
names above for -1..3 and the plain integer otherwise.

Mapping decisions: YES_MANUAL -> DONE; NO -> NOT_DONE (Loop writes NO only for a day the
person marked as not done, or that was due and missed); SKIP -> SKIPPED; YES_AUTO and UNKNOWN
are not imported (counted in the report). For measurable habits 0 becomes NOT_DONE with value
0 and any other amount DONE with the value divided by 1000.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from app.domain.entries import DayEntry, EntryKind, HabitKind
from app.domain.loop.model import LoopFormatError

UNKNOWN = -1
NO = 0
YES_AUTO = 1
YES_MANUAL = 2
SKIP = 3

VALUE_NAMES = {UNKNOWN: "UNKNOWN", NO: "NO", YES_AUTO: "YES_AUTO", YES_MANUAL: "YES_MANUAL", SKIP: "SKIP"}
NAME_VALUES = {name: value for value, name in VALUE_NAMES.items()}
MEASURE_SCALE = 1000

# Loop 2.x palette (the colours its CSV export writes), index -> "#RRGGBB".
PALETTE = (
    "#D32F2F",
    "#E64A19",
    "#F57C00",
    "#FF8F00",
    "#F9A825",
    "#AFB42B",
    "#7CB342",
    "#388E3C",
    "#00897B",
    "#00ACC1",
    "#039BE5",
    "#1976D2",
    "#303F9F",
    "#5E35B1",
    "#8E24AA",
    "#D81B60",
    "#5D4037",
    "#303030",
    "#757575",
    "#AAAAAA",
)
_PALETTE_INDEX = {color: index for index, color in enumerate(PALETTE)}


def palette_index_of_hex(color: str) -> int | None:
    return _PALETTE_INDEX.get(color.strip().upper())


def palette_index_of_stored(color: int | None) -> int | None:
    """Backups store a palette index; very old ones (schema 12) stored a signed ARGB integer."""
    if color is None:
        return None
    if 0 <= color < len(PALETTE):
        return color
    if color < 0:
        return palette_index_of_hex(f"#{color & 0xFFFFFF:06X}")
    return None


def format_value(raw: int) -> str:
    """How Loop's CSV export writes a stored value."""
    return VALUE_NAMES.get(raw, str(raw))


@dataclass
class EntryCollector:
    """Turns Loop's stored values into DayEntry objects for one habit, counting what it drops."""

    habit_name: str
    kind: HabitKind
    automatic: int = 0
    unknown: int = 0
    duplicates: int = 0

    def __post_init__(self) -> None:
        self._by_day: dict[date, DayEntry] = {}

    def add(self, day: date, raw: int) -> None:
        """Record ``raw`` for ``day``; a later value for the same day replaces the earlier one."""
        entry = self._entry(day, raw)
        if day in self._by_day:
            self.duplicates += 1
        if entry is None:
            self._by_day.pop(day, None)
        else:
            self._by_day[day] = entry

    def entries(self) -> tuple[DayEntry, ...]:
        return tuple(self._by_day[day] for day in sorted(self._by_day))

    def _entry(self, day: date, raw: int) -> DayEntry | None:
        if raw == UNKNOWN:
            self.unknown += 1
            return None
        if raw == SKIP:
            return DayEntry(day, EntryKind.SKIPPED)
        if self.kind is HabitKind.MEASURABLE:
            if raw < 0:
                raise self._unknown_value(day, raw)
            kind = EntryKind.NOT_DONE if raw == NO else EntryKind.DONE
            return DayEntry(day, kind, raw / MEASURE_SCALE)
        if raw == YES_MANUAL:
            return DayEntry(day, EntryKind.DONE)
        if raw == NO:
            return DayEntry(day, EntryKind.NOT_DONE)
        if raw == YES_AUTO:
            self.automatic += 1
            return None
        raise self._unknown_value(day, raw)

    def _unknown_value(self, day: date, raw: int) -> LoopFormatError:
        return LoopFormatError(
            f'Habit "{self.habit_name}" has an unknown entry value {raw} on {day.isoformat()}; '
            "Loop only writes YES_MANUAL, YES_AUTO, NO, UNKNOWN, SKIP or an amount."
        )


def totals(collectors: Iterable[EntryCollector]) -> tuple[int, int, int]:
    """(automatic, unknown, duplicates) summed over all habits."""
    automatic = unknown = duplicates = 0
    for collector in collectors:
        automatic += collector.automatic
        unknown += collector.unknown
        duplicates += collector.duplicates
    return automatic, unknown, duplicates
