"""The habit create/edit form: every field of a habit, in a dialog, reusable by any page.

The text fields are uncontrolled (prefilled through `default_value`, remounted through a key
when a new habit or another habit is opened), so typing sends no events; only the choices that
change which fields are shown (type, schedule shape, preset) live in state. The page that uses
the form handles its submit and turns the form data into a definition with
`definition_from_form`, which raises InvalidHabit with the message to show.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import time
from typing import Any

import reflex as rx

from app.domain.entries import HabitKind, TargetDirection
from app.domain.habit_definition import (
    COLORS,
    DEFAULT_COLOR,
    HabitDefinition,
    InvalidHabit,
    define_habit,
    schedule_from,
)
from app.domain.habit_names import InvalidHabitName, clean_habit_name
from app.domain.schedules import FrequencySchedule, Schedule, WeekdaySchedule

FREQUENCY = "frequency"
WEEKDAYS = "weekdays"
CUSTOM = "custom"
# Preset value -> (times, days, label); "custom" shows the two number fields.
PRESETS: dict[str, tuple[int, int, str]] = {
    "1/1": (1, 1, "Every day (1 per 1 day)"),
    "3/7": (3, 7, "3 times a week (3 per 7 days)"),
    "1/30": (1, 30, "Once a month (1 per 30 days)"),
}
WEEKDAY_LABELS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
DIFFICULTIES = ("1", "2", "3", "4", "5")
_DIFFICULTY_WORDS = ("very easy", "easy", "medium", "hard", "very hard")
CATEGORY_LIST_ID = "habit-category-suggestions"


@dataclass(frozen=True)
class FormValues:
    """The form's fields as the browser shows them (text), for prefilling."""

    name: str = ""
    question: str = ""
    description: str = ""
    category: str = ""
    color: str = DEFAULT_COLOR
    difficulty: str = "3"
    target_time: str = ""
    kind: str = HabitKind.YES_NO.value
    unit: str = ""
    target: str = ""
    direction: str = TargetDirection.AT_LEAST.value
    schedule_mode: str = FREQUENCY
    preset: str = "1/1"
    times: str = "1"
    days: str = "1"
    weekdays: tuple[bool, ...] = (False,) * 7


def _number_text(value: float) -> str:
    return f"{value:g}"


def form_values_of(definition: HabitDefinition) -> FormValues:
    """Prefill values for editing an existing habit."""
    schedule = definition.schedule
    measure = definition.measure
    times, days = schedule.times, schedule.days
    preset = f"{times}/{days}" if f"{times}/{days}" in PRESETS else CUSTOM
    return FormValues(
        name=definition.name,
        question=definition.question,
        description=definition.description,
        category=definition.category,
        color=definition.color,
        difficulty=str(definition.difficulty),
        target_time=definition.target_time.strftime("%H:%M") if definition.target_time else "",
        kind=definition.kind.value,
        unit=measure.unit if measure else "",
        target=_number_text(measure.target) if measure else "",
        direction=(measure.direction if measure else TargetDirection.AT_LEAST).value,
        schedule_mode=WEEKDAYS if isinstance(schedule, WeekdaySchedule) else FREQUENCY,
        preset=preset if isinstance(schedule, FrequencySchedule) else "1/1",
        times=str(times) if isinstance(schedule, FrequencySchedule) else "1",
        days=str(days) if isinstance(schedule, FrequencySchedule) else "1",
        weekdays=tuple(
            isinstance(schedule, WeekdaySchedule) and day in schedule.weekdays for day in range(7)
        ),
    )


def _text(form_data: Mapping[str, object], key: str, default: str = "") -> str:
    value = form_data.get(key, default)
    return value if isinstance(value, str) else default


def _whole_number(text: str, what: str) -> int:
    try:
        return int(text.strip())
    except ValueError:
        raise InvalidHabit(f"The number of {what} must be a whole number, like 3.") from None


def _schedule(form_data: Mapping[str, object]) -> Schedule:
    mode = _text(form_data, "schedule_mode", FREQUENCY)
    if mode == WEEKDAYS:
        chosen = frozenset(day for day in range(7) if _text(form_data, f"weekday_{day}") != "")
        return schedule_from(1, 1, chosen)
    if mode != FREQUENCY:
        raise InvalidHabit("Choose a schedule: times per days, or specific weekdays.")
    preset = _text(form_data, "preset", CUSTOM)
    if preset in PRESETS:
        times, days, _label = PRESETS[preset]
    else:
        times = _whole_number(_text(form_data, "times"), "times")
        days = _whole_number(_text(form_data, "days"), "days")
    return schedule_from(times, days, None)


def _target(text: str) -> float | None:
    text = text.strip().replace(",", ".")
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        raise InvalidHabit(f"The target must be a number, like 20 (not {text!r}).") from None


def _target_time(text: str) -> time | None:
    text = text.strip()
    if not text:
        return None
    try:
        return time.fromisoformat(text)
    except ValueError:
        raise InvalidHabit("Enter the time of day as hours and minutes, like 07:30.") from None


def definition_from_form(form_data: Mapping[str, object]) -> HabitDefinition:
    """Read the submitted form; raises InvalidHabit with the first problem, in the domain's words."""
    try:
        kind = HabitKind(_text(form_data, "kind", HabitKind.YES_NO.value))
        direction = TargetDirection(_text(form_data, "direction", TargetDirection.AT_LEAST.value))
    except ValueError:
        raise InvalidHabit("Choose yes/no or measurable, and at least or at most.") from None
    difficulty_text = _text(form_data, "difficulty", "3")
    if difficulty_text not in DIFFICULTIES:
        raise InvalidHabit("Difficulty goes from 1 (easy) to 5 (hard).")
    name = _text(form_data, "name")
    try:
        clean_habit_name(name)  # the name first, as the form shows it first
    except InvalidHabitName as error:
        raise InvalidHabit(str(error)) from None
    measurable = kind is HabitKind.MEASURABLE
    return define_habit(
        name=name,
        schedule=_schedule(form_data),
        kind=kind,
        unit=_text(form_data, "unit") if measurable else "",
        target=_target(_text(form_data, "target")) if measurable else None,
        direction=direction,
        question=_text(form_data, "question"),
        description=_text(form_data, "description"),
        category=_text(form_data, "category"),
        color=_text(form_data, "color", DEFAULT_COLOR),
        difficulty=int(difficulty_text),
        target_time=_target_time(_text(form_data, "target_time")),
    )


class HabitFormState(rx.State):
    """Whether the form is open, what it is prefilled with, and which habit it edits."""

    open: bool = False
    editing: bool = False
    form_key: int = 0
    values: FormValues = FormValues()
    kind: str = HabitKind.YES_NO.value
    schedule_mode: str = FREQUENCY
    preset: str = "1/1"
    category_suggestions: list[str] = []
    # Backend-only: never sent to or taken from the browser.
    _habit_id: int = 0

    def _editing_id(self) -> int | None:
        """The habit being edited, or None for a new one."""
        return self._habit_id or None

    def _show(self, habit_id: int | None, values: FormValues, suggestions: list[str]) -> None:
        """Open the form for a new habit (habit_id None) or to edit one; called by pages."""
        self._habit_id = habit_id or 0
        self.editing = habit_id is not None
        self.values = values
        self.kind = values.kind
        self.schedule_mode = values.schedule_mode
        self.preset = values.preset
        self.category_suggestions = suggestions
        self.form_key += 1
        self.open = True

    def _close(self) -> None:
        self.open = False
        self._habit_id = 0

    @rx.event
    def set_open(self, value: bool) -> None:
        if not value:
            self._close()

    @rx.event
    def set_kind(self, value: str) -> None:
        self.kind = value if value in (HabitKind.YES_NO.value, HabitKind.MEASURABLE.value) else self.kind

    @rx.event
    def set_schedule_mode(self, value: str) -> None:
        self.schedule_mode = value if value in (FREQUENCY, WEEKDAYS) else self.schedule_mode

    @rx.event
    def set_preset(self, value: str) -> None:
        self.preset = value if value in PRESETS or value == CUSTOM else self.preset


def _field(label: str, control: rx.Component, hint: str = "") -> rx.Component:
    return rx.el.label(
        rx.text(label, size="2", weight="medium"),
        control,
        *([rx.text(hint, size="1", color_scheme="gray")] if hint else []),
        display="flex",
        flex_direction="column",
        gap="0.25rem",
        width="100%",
        min_width="0",
    )


def _select(
    name: str, label: str, options: list[tuple[str, rx.Component | str]], default: rx.Var
) -> rx.Component:
    return rx.select.root(
        rx.select.trigger(aria_label=label, width="100%"),
        rx.select.content(*(rx.select.item(text, value=value) for value, text in options)),
        name=name,
        default_value=default,
    )


def _swatch(color: str) -> rx.Component:
    return rx.hstack(
        rx.box(
            width="0.9em",
            height="0.9em",
            border_radius="50%",
            background_color=f"var(--{color}-9)",
            aria_hidden="true",
        ),
        rx.text(color.capitalize()),
        align="center",
        spacing="2",
    )


def _radio(value: str, label: str) -> rx.Component:
    return rx.text(
        rx.flex(rx.radio_group.item(value=value), label, spacing="2", align="center"),
        as_="label",
        size="2",
    )


def _measure_fields(values: Any) -> rx.Component:
    return rx.grid(
        _field("Unit", rx.input(name="unit", default_value=values.unit, placeholder="e.g. pages")),
        _field(
            "Target",
            rx.input(name="target", default_value=values.target, placeholder="e.g. 20", input_mode="decimal"),
        ),
        _field(
            "Direction",
            _select(
                "direction",
                "Direction",
                [(TargetDirection.AT_LEAST.value, "At least"), (TargetDirection.AT_MOST.value, "At most")],
                values.direction,
            ),
        ),
        columns=rx.breakpoints(initial="1", sm="3"),
        spacing="3",
        width="100%",
    )


def _frequency_fields(values: Any) -> rx.Component:
    return rx.vstack(
        _field(
            "How often",
            rx.select.root(
                rx.select.trigger(aria_label="How often", width="100%"),
                rx.select.content(
                    *(rx.select.item(label, value=value) for value, (_t, _d, label) in PRESETS.items()),
                    rx.select.item("Custom", value=CUSTOM),
                ),
                name="preset",
                value=HabitFormState.preset,
                on_change=HabitFormState.set_preset,
            ),
        ),
        rx.cond(
            HabitFormState.preset == CUSTOM,
            rx.flex(
                _field("Times (X)", rx.input(name="times", default_value=values.times, input_mode="numeric")),
                _field(
                    "Per days (Y)", rx.input(name="days", default_value=values.days, input_mode="numeric")
                ),
                spacing="3",
                width="100%",
            ),
        ),
        width="100%",
        spacing="2",
    )


def _weekday_fields(values: Any) -> rx.Component:
    return rx.el.fieldset(
        rx.el.legend(rx.text("On these days", size="2", weight="medium")),
        rx.flex(
            *(
                rx.checkbox(
                    WEEKDAY_LABELS[day],
                    name=f"weekday_{day}",
                    default_checked=values.weekdays[day].to(bool),
                    aria_label=WEEKDAY_NAMES[day],
                )
                for day in range(7)
            ),
            spacing="3",
            wrap="wrap",
        ),
        border="none",
        padding="0",
        margin="0",
    )


def _schedule_fields(values: Any) -> rx.Component:
    return rx.el.fieldset(
        rx.el.legend(rx.text("Schedule", size="2", weight="medium")),
        rx.vstack(
            rx.radio_group.root(
                rx.flex(
                    _radio(FREQUENCY, "X times per Y days"),
                    _radio(WEEKDAYS, "Specific weekdays"),
                    spacing="4",
                    wrap="wrap",
                ),
                name="schedule_mode",
                value=HabitFormState.schedule_mode,
                on_change=HabitFormState.set_schedule_mode,
                aria_label="Schedule",
            ),
            rx.cond(
                HabitFormState.schedule_mode == WEEKDAYS, _weekday_fields(values), _frequency_fields(values)
            ),
            width="100%",
            spacing="2",
        ),
        border="none",
        padding="0",
        margin="0",
        min_width="0",
    )


def habit_form(on_submit: Any) -> rx.Component:
    """The form itself; `on_submit` receives the form data."""
    values: Any = HabitFormState.values
    return rx.form(
        rx.vstack(
            _field(
                "Name",
                rx.input(name="name", default_value=values.name, placeholder="e.g. Read", auto_focus=True),
            ),
            _field(
                "Question",
                rx.input(
                    name="question", default_value=values.question, placeholder="e.g. Did you read today?"
                ),
            ),
            _field(
                "Description",
                rx.text_area(name="description", default_value=values.description, rows="2"),
            ),
            rx.grid(
                _field(
                    "Category",
                    rx.input(
                        name="category",
                        default_value=values.category,
                        list=CATEGORY_LIST_ID,
                        placeholder="e.g. Health",
                        auto_complete="off",
                    ),
                ),
                _field("Color", _select("color", "Color", [(c, _swatch(c)) for c in COLORS], values.color)),
                _field(
                    "Difficulty",
                    _select(
                        "difficulty",
                        "Difficulty",
                        [
                            (d, f"{d} – {label}")
                            for d, label in zip(DIFFICULTIES, _DIFFICULTY_WORDS, strict=True)
                        ],
                        values.difficulty,
                    ),
                ),
                _field(
                    "Target time (optional)",
                    rx.input(name="target_time", type="time", default_value=values.target_time),
                ),
                columns=rx.breakpoints(initial="1", sm="2"),
                spacing="3",
                width="100%",
            ),
            rx.el.datalist(
                rx.foreach(HabitFormState.category_suggestions, lambda name: rx.el.option(value=name)),
                id=CATEGORY_LIST_ID,
            ),
            rx.el.fieldset(
                rx.el.legend(rx.text("Type", size="2", weight="medium")),
                rx.radio_group.root(
                    rx.flex(
                        _radio(HabitKind.YES_NO.value, "Yes / no"),
                        _radio(HabitKind.MEASURABLE.value, "Measurable"),
                        spacing="4",
                        wrap="wrap",
                    ),
                    name="kind",
                    value=HabitFormState.kind,
                    on_change=HabitFormState.set_kind,
                    aria_label="Type",
                ),
                border="none",
                padding="0",
                margin="0",
            ),
            rx.cond(HabitFormState.kind == HabitKind.MEASURABLE.value, _measure_fields(values)),
            _schedule_fields(values),
            rx.flex(
                rx.dialog.close(rx.button("Cancel", type="button", variant="soft", color_scheme="gray")),
                rx.button("Save habit", type="submit", id="save-habit"),
                spacing="3",
                justify="end",
                width="100%",
            ),
            spacing="3",
            width="100%",
        ),
        on_submit=on_submit,
        key=HabitFormState.form_key,
        width="100%",
    )


def habit_form_dialog(on_submit: Any) -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(rx.cond(HabitFormState.editing, "Edit habit", "New habit")),
            rx.dialog.description(
                "Only the name is required (and a target for measurable habits).",
                size="2",
                color_scheme="gray",
                margin_bottom="3",
            ),
            habit_form(on_submit),
            max_width="36em",
        ),
        open=HabitFormState.open,
        on_open_change=HabitFormState.set_open,
    )
