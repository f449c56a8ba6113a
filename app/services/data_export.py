"""Taking a person's data out (Loop CSV zip, our JSON) and bringing our JSON back in.

JSON import rules (decided here, shown in the summary):

- Into an account with no habits it is a restore: profile settings (display name, time zone,
  day-start hour), every habit field and every entry field come back as exported. The account's
  email and role are never taken from a file.
- Habits are matched on an import key: the habit's own key when it had one (e.g. ``loop:<uuid>``,
  so a later Loop import still matches), else ``json:<id in the exported account>``. A restored
  habit stores that key, so importing the same document again changes nothing.
- Into an account that already has habits it is a merge: new habits are added after the
  existing ones, matched habits keep their definition, entries are created or updated per day,
  and the profile is left alone.
- The whole document is validated before anything is written; a bad one stores nothing.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime

from sqlmodel import Session, col, select

from app.db.tables import Entry, Habit, User
from app.domain.entries import EntryKind, HabitKind, TargetDirection
from app.domain.habit_definition import (
    COLORS,
    HabitDefinition,
    InvalidHabit,
    define_habit,
    mask_to_weekdays,
    schedule_from,
)
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
from app.domain.loop import (
    DayNote,
    ExportHabit,
    ImportLimits,
    LoopFormatError,
    LoopImport,
    read_loop_upload,
    write_loop_csv_zip,
)
from app.domain.loop.model import file_too_large
from app.services.errors import InvalidInput, NotFound
from app.services.habit_progress import warm_checkpoints
from app.services.habit_rows import apply_definition, day_entries, kind_of, measure_of, schedule_of
from app.services.loop_import import ImportOutcome, import_loop
from app.services.principals import Principal
from app.services.profile import set_insights_window, update_profile

PROFILE_KEPT = "Profile settings left as they were: the account already had habits, so this was a merge."


def _owned_rows(db: Session, principal: Principal) -> tuple[User, list[Habit], dict[int, list[Entry]]]:
    """The person, their habits in list order and entries by habit: three queries in all."""
    user = db.get(User, principal.user_id)
    if user is None:
        raise NotFound("That account does not exist.")
    habits = list(
        db.exec(
            select(Habit)
            .where(Habit.user_id == principal.user_id)
            .order_by(col(Habit.position), col(Habit.id))
        )
    )
    entries: dict[int, list[Entry]] = defaultdict(list)
    rows = db.exec(
        select(Entry)
        .join(Habit, col(Habit.id) == Entry.habit_id)
        .where(Habit.user_id == principal.user_id)
        .order_by(col(Entry.habit_id), col(Entry.day))
    )
    for entry in rows:
        entries[entry.habit_id].append(entry)
    return user, habits, entries


# Exports -------------------------------------------------------------------------------------


def _loop_habit(habit: Habit, entries: list[Entry]) -> ExportHabit:
    return ExportHabit(
        name=habit.name,
        schedule=schedule_of(habit),
        entries=tuple(day_entries(entries)),
        kind=kind_of(habit),
        measure=measure_of(habit),
        question=habit.question,
        description=habit.description,
        archived=habit.archived,
        color_index=COLORS.index(habit.color) if habit.color in COLORS else None,
        notes=tuple(DayNote(entry.day, entry.note) for entry in entries if entry.note),
    )


def export_loop_zip(db: Session, principal: Principal, today: date) -> bytes:
    """A Loop-compatible CSV export zip of the person's habits (archived ones included)."""
    _, habits, entries = _owned_rows(db, principal)
    assert all(habit.id is not None for habit in habits)
    return write_loop_csv_zip([_loop_habit(habit, entries[habit.id or 0]) for habit in habits], today)


def _entry_data(entry: Entry) -> EntryData:
    return EntryData(
        day=entry.day,
        kind=EntryKind(entry.kind),
        value=entry.value,
        note=entry.note,
        mood=entry.mood,
        felt_difficulty=entry.felt_difficulty,
        recorded_at=entry.recorded_at,
    )


def _habit_data(habit: Habit, entries: list[Entry]) -> HabitData:
    assert habit.id is not None
    return HabitData(
        id=habit.id,
        name=habit.name,
        position=habit.position,
        archived=habit.archived,
        created_at=habit.created_at,
        question=habit.question,
        description=habit.description,
        category=habit.category,
        color=habit.color,
        difficulty=habit.difficulty,
        target_time=habit.target_time,
        kind=HabitKind(habit.kind),
        unit=habit.unit,
        target_value=habit.target_value,
        target_direction=TargetDirection(habit.target_direction),
        schedule_times=habit.schedule_times,
        schedule_days=habit.schedule_days,
        schedule_weekdays=habit.schedule_weekdays,
        import_key=habit.import_key,
        entries=tuple(_entry_data(entry) for entry in entries),
    )


def export_document(db: Session, principal: Principal, now: datetime) -> ExportDocument:
    user, habits, entries = _owned_rows(db, principal)
    profile = ProfileData(
        user.display_name, user.email, user.timezone, user.day_start_hour, user.insights_window
    )
    return ExportDocument(
        exported_at=now,
        profile=profile,
        habits=tuple(_habit_data(habit, entries[habit.id or 0]) for habit in habits),
    )


def export_json(db: Session, principal: Principal, now: datetime) -> dict[str, object]:
    """Everything the person owns as a JSON-ready dict (see app.domain.json_format)."""
    return to_document(export_document(db, principal, now))


# JSON import ---------------------------------------------------------------------------------


def json_import_key(habit: HabitData) -> str:
    return habit.import_key or f"json:{habit.id}"


def _definition(habit: HabitData) -> HabitDefinition:
    weekdays = None if habit.schedule_weekdays is None else mask_to_weekdays(habit.schedule_weekdays)
    try:
        return define_habit(
            name=habit.name,
            schedule=schedule_from(habit.schedule_times, habit.schedule_days, weekdays),
            kind=habit.kind,
            unit=habit.unit,
            target=habit.target_value,
            direction=habit.target_direction,
            question=habit.question,
            description=habit.description,
            category=habit.category,
            color=habit.color,
            difficulty=habit.difficulty,
            target_time=habit.target_time,
        )
    except InvalidHabit as error:
        raise InvalidInput(f"Habit {habit.name!r} can't be imported: {error}") from None


def _entry_fields(entry: EntryData) -> tuple[object, ...]:
    return (entry.kind.value, entry.value, entry.note, entry.mood, entry.felt_difficulty, entry.recorded_at)


def _row_fields(row: Entry) -> tuple[object, ...]:
    return (row.kind, row.value, row.note, row.mood, row.felt_difficulty, row.recorded_at)


def _write_entry(row: Entry, entry: EntryData) -> None:
    row.kind, row.value, row.note = entry.kind.value, entry.value, entry.note
    row.mood, row.felt_difficulty, row.recorded_at = entry.mood, entry.felt_difficulty, entry.recorded_at


def _restore_profile(db: Session, principal: Principal, user: User, profile: ProfileData) -> None:
    """Through the profile use case, so the same checks apply as on the settings page."""
    name = profile.display_name if profile.display_name.strip() else user.display_name
    update_profile(db, principal, name, profile.timezone, profile.day_start_hour)
    set_insights_window(db, principal, profile.insights_window)


def parse_json_document(document: object) -> ExportDocument:
    if isinstance(document, ExportDocument):
        return document
    try:
        return from_document(document)
    except JsonFormatError as error:
        raise InvalidInput(str(error)) from None


def import_json(db: Session, principal: Principal, document: object) -> ImportOutcome:
    """Import a parsed export (dict or ExportDocument) into the person's account; see module doc."""
    parsed = parse_json_document(document)
    definitions = [(habit, _definition(habit)) for habit in parsed.habits]  # validate all first
    user, existing, _ = _owned_rows(db, principal)
    restoring = not existing
    by_key = {habit.import_key: habit for habit in existing if habit.import_key}
    next_position = max((habit.position for habit in existing), default=0) + 1
    skipped: list[str] = []
    if restoring:
        _restore_profile(db, principal, user, parsed.profile)
    elif (user.timezone, user.day_start_hour) != (parsed.profile.timezone, parsed.profile.day_start_hour):
        skipped.append(PROFILE_KEPT)

    targets: list[tuple[HabitData, Habit]] = []
    created = matched = 0
    for data, definition in definitions:
        key = json_import_key(data)
        row = by_key.get(key)
        if row is None:
            position = data.position if restoring else next_position
            next_position += 1
            row = Habit(user_id=principal.user_id, name="", position=position)
            apply_definition(row, definition)
            row.archived, row.created_at, row.import_key = data.archived, data.created_at, key
            db.add(row)
            by_key[key] = row
            created += 1
        else:
            matched += 1
        targets.append((data, row))
    db.flush()

    matched_ids = [row.id for _, row in targets if row.id is not None]
    stored: dict[tuple[int, date], Entry] = {
        (entry.habit_id, entry.day): entry
        for entry in db.exec(select(Entry).where(col(Entry.habit_id).in_(matched_ids)))
    }
    entries_created = entries_updated = entries_unchanged = 0
    for data, row in targets:
        assert row.id is not None
        for entry in data.entries:
            existing_row = stored.get((row.id, entry.day))
            if existing_row is None:
                new_row = Entry(habit_id=row.id, day=entry.day)
                _write_entry(new_row, entry)
                db.add(new_row)
                stored[(row.id, entry.day)] = new_row
                entries_created += 1
            elif _row_fields(existing_row) == _entry_fields(entry):
                entries_unchanged += 1
            else:
                _write_entry(existing_row, entry)
                db.add(existing_row)
                entries_updated += 1
    db.flush()
    warm_checkpoints(db, principal.user_id)
    return ImportOutcome(
        habits_created=created,
        habits_matched=matched,
        entries_created=entries_created,
        entries_updated=entries_updated,
        entries_unchanged=entries_unchanged,
        skipped=tuple(skipped),
    )


# Uploads (web page and HTTP API) -------------------------------------------------------------

UploadData = LoopImport | ExportDocument


def read_upload(data: bytes, filename: str, limits: ImportLimits) -> UploadData:
    """Parse an uploaded file, choosing the format by content; InvalidInput on anything bad.

    Pure CPU and memory work (no database): callers run it in a thread.
    """
    if len(data) > limits.max_file_bytes:
        raise InvalidInput(str(file_too_large(len(data), limits.max_file_bytes)))
    try:
        if looks_like_json(data):
            return read_json_bytes(data)
        return read_loop_upload(data, filename, limits)
    except (JsonFormatError, LoopFormatError) as error:
        raise InvalidInput(str(error)) from None


def import_upload(db: Session, principal: Principal, upload: UploadData) -> ImportOutcome:
    if isinstance(upload, ExportDocument):
        return import_json(db, principal, upload)
    return import_loop(db, principal, upload)


def upload_format(upload: UploadData) -> str:
    return "habit-wizard" if isinstance(upload, ExportDocument) else "loop"


def outcome_json(upload: UploadData, outcome: ImportOutcome) -> dict[str, object]:
    """The import summary as the HTTP API returns it."""
    return {
        "format": upload_format(upload),
        "habits_created": outcome.habits_created,
        "habits_matched": outcome.habits_matched,
        "entries_created": outcome.entries_created,
        "entries_updated": outcome.entries_updated,
        "entries_unchanged": outcome.entries_unchanged,
        "skipped": list(outcome.skipped),
        "summary": outcome.summary(),
    }


__all__ = [
    "export_document",
    "export_json",
    "export_loop_zip",
    "import_json",
    "import_upload",
    "outcome_json",
    "read_upload",
]
