"""The Habit Wizard JSON document: exact shape, lossless round trip, strict refusal of bad input."""

from __future__ import annotations

import copy
import json
from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Any

import pytest

from app.domain.entries import EntryKind, HabitKind, TargetDirection
from app.domain.json_format import (
    EntryData,
    ExportDocument,
    HabitData,
    JsonFormatError,
    ProfileData,
    from_document,
    looks_like_json,
    read_json_bytes,
    to_document,
)

EXPORTED_AT = datetime(2026, 1, 31, 8, 0, 0, tzinfo=UTC)
READ = HabitData(
    id=7,
    name="Read",
    position=1,
    archived=False,
    created_at=datetime(2025, 1, 2, 3, 4, 5, 678901, tzinfo=UTC),
    question="How many pages?",
    description="Books only",
    category="Mind",
    color="teal",
    difficulty=4,
    target_time=time(21, 30),
    kind=HabitKind.MEASURABLE,
    unit="pages",
    target_value=20.5,
    target_direction=TargetDirection.AT_LEAST,
    schedule_times=1,
    schedule_days=1,
    schedule_weekdays=None,
    import_key="loop:abc",
    entries=(
        EntryData(
            day=date(2026, 1, 30),
            kind=EntryKind.DONE,
            value=12.25,
            note='A "great" chapter\nsecond line',
            mood=5,
            felt_difficulty=2,
            recorded_at=datetime(2026, 1, 30, 22, 1, 2, 345, tzinfo=UTC),
        ),
        EntryData(
            day=date(2026, 1, 29),
            kind=EntryKind.SKIPPED,
            value=None,
            note="",
            mood=None,
            felt_difficulty=None,
            recorded_at=datetime(2026, 1, 29, 23, 0, tzinfo=UTC),
        ),
    ),
)
GYM = HabitData(
    id=9,
    name="Gym",
    position=2,
    archived=True,
    created_at=datetime(2025, 6, 1, tzinfo=UTC),
    question="",
    description="",
    category="",
    color="violet",
    difficulty=3,
    target_time=None,
    kind=HabitKind.YES_NO,
    unit="",
    target_value=None,
    target_direction=TargetDirection.AT_LEAST,
    schedule_times=3,
    schedule_days=7,
    schedule_weekdays=0b0010101,
    import_key=None,
)
DOCUMENT = ExportDocument(
    exported_at=EXPORTED_AT,
    profile=ProfileData(
        display_name="Ada",
        email="ada@example.org",
        timezone="Europe/Paris",
        day_start_hour=4,
        insights_window="90",
    ),
    habits=(READ, GYM),
)


def valid() -> dict[str, Any]:
    return copy.deepcopy(to_document(DOCUMENT))


def test_the_document_has_the_exact_documented_shape():
    assert to_document(DOCUMENT) == {
        "format": "habit-wizard",
        "version": 1,
        "exported_at": "2026-01-31T08:00:00+00:00",
        "profile": {
            "display_name": "Ada",
            "email": "ada@example.org",
            "timezone": "Europe/Paris",
            "day_start_hour": 4,
            "insights_window": "90",
        },
        "habits": [
            {
                "id": 7,
                "name": "Read",
                "position": 1,
                "archived": False,
                "created_at": "2025-01-02T03:04:05.678901+00:00",
                "question": "How many pages?",
                "description": "Books only",
                "category": "Mind",
                "color": "teal",
                "difficulty": 4,
                "target_time": "21:30:00",
                "kind": "measurable",
                "unit": "pages",
                "target_value": 20.5,
                "target_direction": "at_least",
                "schedule_times": 1,
                "schedule_days": 1,
                "schedule_weekdays": None,
                "import_key": "loop:abc",
                "entries": [
                    {
                        "day": "2026-01-30",
                        "kind": "done",
                        "value": 12.25,
                        "note": 'A "great" chapter\nsecond line',
                        "mood": 5,
                        "felt_difficulty": 2,
                        "recorded_at": "2026-01-30T22:01:02.000345+00:00",
                    },
                    {
                        "day": "2026-01-29",
                        "kind": "skipped",
                        "value": None,
                        "note": "",
                        "mood": None,
                        "felt_difficulty": None,
                        "recorded_at": "2026-01-29T23:00:00+00:00",
                    },
                ],
            },
            {
                "id": 9,
                "name": "Gym",
                "position": 2,
                "archived": True,
                "created_at": "2025-06-01T00:00:00+00:00",
                "question": "",
                "description": "",
                "category": "",
                "color": "violet",
                "difficulty": 3,
                "target_time": None,
                "kind": "yes_no",
                "unit": "",
                "target_value": None,
                "target_direction": "at_least",
                "schedule_times": 3,
                "schedule_days": 7,
                "schedule_weekdays": 21,
                "import_key": None,
                "entries": [],
            },
        ],
    }


def test_round_trip_through_json_text_is_lossless():
    text = json.dumps(to_document(DOCUMENT))
    assert from_document(json.loads(text)) == DOCUMENT


def test_an_instant_with_another_offset_keeps_its_moment():
    document = valid()
    document["exported_at"] = "2026-01-31T10:00:00+02:00"
    read = from_document(document)
    assert read.exported_at == EXPORTED_AT
    assert read.exported_at.utcoffset() == timedelta(hours=2)
    assert read.exported_at.tzinfo == timezone(timedelta(hours=2))


def test_an_integer_amount_reads_as_a_float():
    document = valid()
    document["habits"][0]["entries"][0]["value"] = 12
    assert from_document(document).habits[0].entries[0].value == 12.0


def test_an_empty_account_round_trips():
    empty = ExportDocument(EXPORTED_AT, ProfileData("Bo", None, "UTC", 0), ())
    assert from_document(to_document(empty)) == empty


def test_naive_instants_are_refused_when_writing():
    naive = ExportDocument(datetime(2026, 1, 1), DOCUMENT.profile, ())
    with pytest.raises(ValueError, match="naive"):
        to_document(naive)


def mutate(path: list[str | int], value: object) -> dict[str, Any]:
    document = valid()
    target: Any = document
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    return document


def without(path: list[str | int]) -> dict[str, Any]:
    document = valid()
    target: Any = document
    for part in path[:-1]:
        target = target[part]
    del target[path[-1]]
    return document


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ([], 'This is not a Habit Wizard export (its "format" is not "habit-wizard").'),
        ({"format": "loop"}, 'This is not a Habit Wizard export (its "format" is not "habit-wizard").'),
        (mutate(["version"], 2), "This export has version 2; this Habit Wizard reads version 1."),
        (mutate(["version"], "1"), "This export has version '1'; this Habit Wizard reads version 1."),
        (mutate(["version"], True), "This export has version True; this Habit Wizard reads version 1."),
        (without(["version"]), "This export has version None; this Habit Wizard reads version 1."),
        (without(["habits"]), 'document: missing field "habits".'),
        (mutate(["extra"], 1), 'document: unknown field "extra".'),
        (mutate(["habits"], {}), "habits: expected a list, got an object."),
        (mutate(["profile"], None), "profile: expected an object, got null."),
        (without(["profile", "timezone"]), 'profile: missing field "timezone".'),
        (
            mutate(["profile", "timezone"], "Mars/Olympus"),
            'profile.timezone: "Mars/Olympus" is not a known time zone.',
        ),
        (mutate(["profile", "day_start_hour"], 24), "profile.day_start_hour: expected 0 to 23, got 24."),
        (
            mutate(["profile", "day_start_hour"], 4.0),
            "profile.day_start_hour: expected a whole number, got a number.",
        ),
        (mutate(["profile", "display_name"], 5), "profile.display_name: expected a string, got a number."),
        (
            mutate(["exported_at"], "yesterday"),
            'exported_at: expected an ISO 8601 date and time, got "yesterday".',
        ),
        (
            mutate(["exported_at"], "2026-01-31T08:00:00"),
            'exported_at: the time "2026-01-31T08:00:00" needs a UTC offset such as +00:00.',
        ),
        (mutate(["habits", 1], "Gym"), "habits[1]: expected an object, got a string."),
        (without(["habits", 1, "schedule_days"]), 'habits[1]: missing field "schedule_days".'),
        (mutate(["habits", 1, "colour"], "red"), 'habits[1]: unknown field "colour".'),
        (mutate(["habits", 0, "archived"], 0), "habits[0].archived: expected true or false, got a number."),
        (
            mutate(["habits", 0, "kind"], "count"),
            'habits[0].kind: expected one of "yes_no", "measurable", got "count".',
        ),
        (
            mutate(["habits", 0, "target_direction"], "exactly"),
            'habits[0].target_direction: expected one of "at_least", "at_most", got "exactly".',
        ),
        (
            mutate(["habits", 0, "target_value"], -1),
            "habits[0].target_value: expected a number of zero or more, got -1.",
        ),
        (
            mutate(["habits", 0, "target_time"], "9pm"),
            'habits[0].target_time: expected a time "HH:MM", got "9pm".',
        ),
        (mutate(["habits", 0, "difficulty"], 0), "habits[0].difficulty: expected 1 to 5, got 0."),
        (
            mutate(["habits", 1, "schedule_weekdays"], 128),
            "habits[1].schedule_weekdays: expected 1 to 127, got 128.",
        ),
        (
            mutate(["habits", 0, "name"], "x" * 121),
            "habits[0].name: at most 120 characters (this one has 121).",
        ),
        (mutate(["habits", 1, "id"], 7), "habits[1].id: another habit already has the id 7."),
        (
            mutate(["habits", 0, "entries", 1, "day"], "2026-01-30"),
            "habits[0].entries[1].day: a second entry for 2026-01-30",
        ),
        (
            mutate(["habits", 0, "entries", 0, "day"], "30/01/2026"),
            'habits[0].entries[0].day: expected a date "YYYY-MM-DD", got "30/01/2026".',
        ),
        (
            mutate(["habits", 0, "entries", 0, "kind"], "YES_AUTO"),
            'habits[0].entries[0].kind: expected one of "done", "skipped", "not_done", got "YES_AUTO".',
        ),
        (
            mutate(["habits", 0, "entries", 0, "mood"], 6),
            "habits[0].entries[0].mood: expected 1 to 5, got 6.",
        ),
        (
            mutate(["habits", 0, "entries", 0, "felt_difficulty"], "2"),
            "habits[0].entries[0].felt_difficulty: expected a whole number, got a string.",
        ),
        (
            mutate(["habits", 0, "entries", 0, "value"], float("nan")),
            "habits[0].entries[0].value: expected a number of zero or more, got nan.",
        ),
        (
            mutate(["habits", 0, "entries", 0, "note"], "n" * 1001),
            "habits[0].entries[0].note: at most 1000 characters (this one has 1001).",
        ),
        (
            without(["habits", 0, "entries", 1, "recorded_at"]),
            'habits[0].entries[1]: missing field "recorded_at".',
        ),
    ],
)
def test_bad_documents_are_refused_with_a_message_naming_the_field(document: object, message: str):
    with pytest.raises(JsonFormatError) as raised:
        from_document(document)
    assert str(raised.value).startswith(message)
    assert isinstance(raised.value, ValueError)


def test_bytes_with_a_byte_order_mark_read_like_the_document():
    data = b"\xef\xbb\xbf" + json.dumps(to_document(DOCUMENT)).encode()
    assert looks_like_json(data)
    assert read_json_bytes(data) == DOCUMENT


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            b'{"format": "habit-wizard",',
            "The file is not valid JSON: "
            "Expecting property name enclosed in double quotes at line 1, column 27.",
        ),
        (b'{"name": "caf\xe9"}', "The file is not UTF-8 text (byte 13 is not valid UTF-8)."),
        (b"[" * 100_000, "The file is not"),
        (b'{"format": "other"}', 'This is not a Habit Wizard export (its "format" is not "habit-wizard").'),
    ],
)
def test_unreadable_bytes_give_a_clear_message(data: bytes, message: str):
    with pytest.raises(JsonFormatError) as raised:
        read_json_bytes(data)
    assert str(raised.value).startswith(message)


def test_only_objects_look_like_json():
    assert looks_like_json(b'  \n{"format": 1}')
    assert not looks_like_json(b"PK\x03\x04")
    assert not looks_like_json(b"SQLite format 3\x00")
    assert not looks_like_json(b"[]")


def test_a_document_without_the_insights_window_reads_with_the_default():
    document = valid()
    del document["profile"]["insights_window"]

    assert from_document(document).profile.insights_window == "30"


def test_an_unknown_insights_window_is_refused():
    document = valid()
    document["profile"]["insights_window"] = "custom"

    with pytest.raises(
        JsonFormatError, match=r"profile\.insights_window: expected one of 7, 30, 90, 365, all"
    ):
        from_document(document)
