"""Habit Wizard's own export format: one versioned JSON document holding everything a person owns.

Shape (version 1)::

    {"format": "habit-wizard", "version": 1, "exported_at": "2026-01-31T08:00:00+00:00",
     "profile": {"display_name", "email", "timezone", "day_start_hour"},
     "habits": [{"id", "name", "position", "archived", "created_at", "question", "description",
                 "category", "color", "difficulty", "target_time", "kind", "unit", "target_value",
                 "target_direction", "schedule_times", "schedule_days", "schedule_weekdays",
                 "import_key",
                 "entries": [{"day", "kind", "value", "note", "mood", "felt_difficulty",
                              "recorded_at"}]}]}

Dates are ``YYYY-MM-DD``, instants ISO 8601 with their UTC offset, ``target_time`` is ``HH:MM``
or ``HH:MM:SS``. Reading is strict: an unknown format or version, a missing or unknown field, a
wrong type or an out-of-range value raises ``JsonFormatError`` naming the field
(``habits[2].entries[0].day``), so a damaged file is refused whole rather than half read.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from app.domain.analytics import DEFAULT_WINDOW_KIND, STANDING_WINDOWS
from app.domain.entries import EntryKind, HabitKind, TargetDirection

FORMAT_NAME = "habit-wizard"
FORMAT_VERSION = 1
MAX_NOTE_LENGTH = 1000
MAX_TEXT_LENGTHS = {
    "display_name": 200,
    "email": 320,
    "timezone": 64,
    "name": 120,
    "question": 200,
    "description": 2000,
    "category": 60,
    "color": 20,
    "unit": 30,
    "import_key": 200,
    "note": MAX_NOTE_LENGTH,
}

T = TypeVar("T")


class JsonFormatError(ValueError):
    """The document is not a readable Habit Wizard export; the message is shown as is."""


DEFAULT_INSIGHTS_WINDOW = DEFAULT_WINDOW_KIND.value


@dataclass(frozen=True)
class ProfileData:
    display_name: str
    email: str | None
    timezone: str
    day_start_hour: int
    insights_window: str = DEFAULT_INSIGHTS_WINDOW


@dataclass(frozen=True)
class EntryData:
    day: date
    kind: EntryKind
    value: float | None
    note: str
    mood: int | None
    felt_difficulty: int | None
    recorded_at: datetime


@dataclass(frozen=True)
class HabitData:
    """Every stored field of a habit; ``id`` is its id in the account it was exported from."""

    id: int
    name: str
    position: int
    archived: bool
    created_at: datetime
    question: str
    description: str
    category: str
    color: str
    difficulty: int
    target_time: time | None
    kind: HabitKind
    unit: str
    target_value: float | None
    target_direction: TargetDirection
    schedule_times: int
    schedule_days: int
    schedule_weekdays: int | None
    import_key: str | None
    entries: tuple[EntryData, ...] = ()


@dataclass(frozen=True)
class ExportDocument:
    exported_at: datetime
    profile: ProfileData
    habits: tuple[HabitData, ...]


# Writing -------------------------------------------------------------------------------------


def _instant(value: datetime) -> str:
    if value.tzinfo is None:
        raise ValueError("naive datetime refused: export timezone-aware instants")
    return value.isoformat()


def _entry_json(entry: EntryData) -> dict[str, Any]:
    return {
        "day": entry.day.isoformat(),
        "kind": entry.kind.value,
        "value": entry.value,
        "note": entry.note,
        "mood": entry.mood,
        "felt_difficulty": entry.felt_difficulty,
        "recorded_at": _instant(entry.recorded_at),
    }


def _habit_json(habit: HabitData) -> dict[str, Any]:
    return {
        "id": habit.id,
        "name": habit.name,
        "position": habit.position,
        "archived": habit.archived,
        "created_at": _instant(habit.created_at),
        "question": habit.question,
        "description": habit.description,
        "category": habit.category,
        "color": habit.color,
        "difficulty": habit.difficulty,
        "target_time": habit.target_time.isoformat() if habit.target_time else None,
        "kind": habit.kind.value,
        "unit": habit.unit,
        "target_value": habit.target_value,
        "target_direction": habit.target_direction.value,
        "schedule_times": habit.schedule_times,
        "schedule_days": habit.schedule_days,
        "schedule_weekdays": habit.schedule_weekdays,
        "import_key": habit.import_key,
        "entries": [_entry_json(entry) for entry in habit.entries],
    }


def to_document(document: ExportDocument) -> dict[str, Any]:
    """The JSON-ready dict (only str, int, float, bool, None, lists and dicts)."""
    profile = document.profile
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "exported_at": _instant(document.exported_at),
        "profile": {
            "display_name": profile.display_name,
            "email": profile.email,
            "timezone": profile.timezone,
            "day_start_hour": profile.day_start_hour,
            "insights_window": profile.insights_window,
        },
        "habits": [_habit_json(habit) for habit in document.habits],
    }


# Reading -------------------------------------------------------------------------------------


class _Fields:
    """Typed access to one JSON object's fields, with the path for messages."""

    def __init__(
        self, raw: object, path: str, names: tuple[str, ...], optional_names: tuple[str, ...] = ()
    ) -> None:
        label = path or "document"
        if not isinstance(raw, Mapping):
            raise JsonFormatError(f"{label}: expected an object, got {_type_name(raw)}.")
        missing = [name for name in names if name not in raw]
        if missing:
            raise JsonFormatError(f"{label}: missing field {_join(missing)}.")
        unknown = sorted(str(key) for key in raw if key not in names and key not in optional_names)
        if unknown:
            raise JsonFormatError(f"{label}: unknown field {_join(unknown)}.")
        self.raw = raw
        self.path = path

    def where(self, name: str) -> str:
        return f"{self.path}.{name}" if self.path else name

    def get(self, name: str, parse: Callable[[object, str], T]) -> T:
        return parse(self.raw[name], self.where(name))

    def optional(self, name: str, parse: Callable[[object, str], T]) -> T | None:
        value = self.raw[name]
        return None if value is None else parse(value, self.where(name))

    def text(self, name: str) -> str:
        value = self.get(name, _string)
        limit = MAX_TEXT_LENGTHS.get(name)
        if limit is not None and len(value) > limit:
            raise JsonFormatError(
                f"{self.where(name)}: at most {limit} characters (this one has {len(value)})."
            )
        return value

    def optional_text(self, name: str) -> str | None:
        return None if self.raw[name] is None else self.text(name)

    def integer(self, name: str, low: int, high: int) -> int:
        value = self.get(name, _integer)
        if not low <= value <= high:
            raise JsonFormatError(f"{self.where(name)}: expected {low} to {high}, got {value}.")
        return value

    def optional_integer(self, name: str, low: int, high: int) -> int | None:
        return None if self.raw[name] is None else self.integer(name, low, high)


def _type_name(value: object) -> str:
    if value is None:
        return "null"
    return {
        bool: "true/false",
        int: "a number",
        float: "a number",
        str: "a string",
        list: "a list",
        dict: "an object",
    }.get(type(value), type(value).__name__)


def _join(names: list[str]) -> str:
    return ", ".join(f'"{name}"' for name in names)


def _string(value: object, where: str) -> str:
    if not isinstance(value, str):
        raise JsonFormatError(f"{where}: expected a string, got {_type_name(value)}.")
    return value


def _integer(value: object, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise JsonFormatError(f"{where}: expected a whole number, got {_type_name(value)}.")
    return value


def _boolean(value: object, where: str) -> bool:
    if not isinstance(value, bool):
        raise JsonFormatError(f"{where}: expected true or false, got {_type_name(value)}.")
    return value


def _amount(value: object, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise JsonFormatError(f"{where}: expected a number, got {_type_name(value)}.")
    number = float(value)
    if not math.isfinite(number) or number < 0:
        raise JsonFormatError(f"{where}: expected a number of zero or more, got {value!r}.")
    return number


def _day(value: object, where: str) -> date:
    text = _string(value, where)
    try:
        if len(text) != 10:
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        raise JsonFormatError(f'{where}: expected a date "YYYY-MM-DD", got "{text[:40]}".') from None


def _instant_value(value: object, where: str) -> datetime:
    text = _string(value, where)
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise JsonFormatError(f'{where}: expected an ISO 8601 date and time, got "{text[:40]}".') from None
    if parsed.tzinfo is None:
        raise JsonFormatError(f'{where}: the time "{text[:40]}" needs a UTC offset such as +00:00.')
    return parsed


def _clock_time(value: object, where: str) -> time:
    text = _string(value, where)
    try:
        parsed = time.fromisoformat(text)
    except ValueError:
        raise JsonFormatError(f'{where}: expected a time "HH:MM", got "{text[:40]}".') from None
    if parsed.tzinfo is not None:
        raise JsonFormatError(f'{where}: a target time has no UTC offset, got "{text[:40]}".')
    return parsed


def _choice(enum: Callable[[str], T], allowed: list[str]) -> Callable[[object, str], T]:
    def parse(value: object, where: str) -> T:
        text = _string(value, where)
        if text not in allowed:
            raise JsonFormatError(f'{where}: expected one of {_join(allowed)}, got "{text[:40]}".')
        return enum(text)

    return parse


def _list(value: object, where: str) -> list[object]:
    if not isinstance(value, list):
        raise JsonFormatError(f"{where}: expected a list, got {_type_name(value)}.")
    return value


_entry_kind = _choice(EntryKind, [kind.value for kind in EntryKind])
_habit_kind = _choice(HabitKind, [kind.value for kind in HabitKind])
_direction = _choice(TargetDirection, [direction.value for direction in TargetDirection])

ENTRY_FIELDS = ("day", "kind", "value", "note", "mood", "felt_difficulty", "recorded_at")
HABIT_FIELDS = (
    "id", "name", "position", "archived", "created_at", "question", "description", "category",
    "color", "difficulty", "target_time", "kind", "unit", "target_value", "target_direction",
    "schedule_times", "schedule_days", "schedule_weekdays", "import_key", "entries",
)  # fmt: skip
PROFILE_FIELDS = ("display_name", "email", "timezone", "day_start_hour")
DOCUMENT_FIELDS = ("format", "version", "exported_at", "profile", "habits")
_BIG = 2**31 - 1


def _timezone(fields: _Fields) -> str:
    name = fields.text("timezone")
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise JsonFormatError(f'{fields.where("timezone")}: "{name}" is not a known time zone.') from None
    return name


def _insights_window(fields: _Fields) -> str:
    """Optional, so documents written before the setting existed still read."""
    if "insights_window" not in fields.raw:
        return DEFAULT_INSIGHTS_WINDOW
    window = fields.get("insights_window", _string)
    if window not in STANDING_WINDOWS:
        raise JsonFormatError(
            f"{fields.where('insights_window')}: expected one of {', '.join(STANDING_WINDOWS)}."
        )
    return window


def _profile(raw: object) -> ProfileData:
    fields = _Fields(raw, "profile", PROFILE_FIELDS, optional_names=("insights_window",))
    return ProfileData(
        display_name=fields.text("display_name"),
        email=fields.optional_text("email"),
        timezone=_timezone(fields),
        day_start_hour=fields.integer("day_start_hour", 0, 23),
        insights_window=_insights_window(fields),
    )


def _entry(raw: object, path: str) -> EntryData:
    fields = _Fields(raw, path, ENTRY_FIELDS)
    return EntryData(
        day=fields.get("day", _day),
        kind=fields.get("kind", _entry_kind),
        value=fields.optional("value", _amount),
        note=fields.text("note"),
        mood=fields.optional_integer("mood", 1, 5),
        felt_difficulty=fields.optional_integer("felt_difficulty", 1, 5),
        recorded_at=fields.get("recorded_at", _instant_value),
    )


def _habit(raw: object, path: str) -> HabitData:
    fields = _Fields(raw, path, HABIT_FIELDS)
    entries = tuple(
        _entry(item, f"{path}.entries[{index}]") for index, item in enumerate(fields.get("entries", _list))
    )
    seen: set[date] = set()
    for index, entry in enumerate(entries):
        if entry.day in seen:
            raise JsonFormatError(
                f"{path}.entries[{index}].day: a second entry for {entry.day.isoformat()} "
                "(a habit has at most one entry per day)."
            )
        seen.add(entry.day)
    return HabitData(
        id=fields.integer("id", 1, 2**63 - 1),
        name=fields.text("name"),
        position=fields.integer("position", 0, _BIG),
        archived=fields.get("archived", _boolean),
        created_at=fields.get("created_at", _instant_value),
        question=fields.text("question"),
        description=fields.text("description"),
        category=fields.text("category"),
        color=fields.text("color"),
        difficulty=fields.integer("difficulty", 1, 5),
        target_time=fields.optional("target_time", _clock_time),
        kind=fields.get("kind", _habit_kind),
        unit=fields.text("unit"),
        target_value=fields.optional("target_value", _amount),
        target_direction=fields.get("target_direction", _direction),
        schedule_times=fields.integer("schedule_times", 1, _BIG),
        schedule_days=fields.integer("schedule_days", 1, _BIG),
        schedule_weekdays=fields.optional_integer("schedule_weekdays", 1, 127),
        import_key=fields.optional_text("import_key"),
        entries=entries,
    )


def from_document(raw: object) -> ExportDocument:
    """Read a parsed JSON value strictly; raises JsonFormatError naming the first problem."""
    if not isinstance(raw, Mapping) or raw.get("format") != FORMAT_NAME:
        raise JsonFormatError('This is not a Habit Wizard export (its "format" is not "habit-wizard").')
    version = raw.get("version")
    if version != FORMAT_VERSION or isinstance(version, bool):
        raise JsonFormatError(
            f"This export has version {version!r}; this Habit Wizard reads version {FORMAT_VERSION}."
        )
    fields = _Fields(raw, "", DOCUMENT_FIELDS)
    habits = tuple(_habit(item, f"habits[{index}]") for index, item in enumerate(fields.get("habits", _list)))
    ids: set[int] = set()
    for index, habit in enumerate(habits):
        if habit.id in ids:
            raise JsonFormatError(f"habits[{index}].id: another habit already has the id {habit.id}.")
        ids.add(habit.id)
    return ExportDocument(
        exported_at=fields.get("exported_at", _instant_value),
        profile=_profile(fields.raw["profile"]),
        habits=habits,
    )


def looks_like_json(data: bytes) -> bool:
    """Whether uploaded bytes are a JSON object (our export) rather than a zip or a backup."""
    return data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{")


def read_json_bytes(data: bytes) -> ExportDocument:
    """Decode a file's bytes (UTF-8, BOM allowed) and read the document strictly."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise JsonFormatError(
            f"The file is not UTF-8 text (byte {error.start} is not valid UTF-8)."
        ) from None
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as error:
        raise JsonFormatError(
            f"The file is not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}."
        ) from None
    except RecursionError:
        raise JsonFormatError("The file is not a Habit Wizard export: it is nested too deeply.") from None
    return from_document(raw)
