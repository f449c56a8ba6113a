"""Habit detail: a year's calendar (click a day to edit it), strength, streaks, stats and notes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import reflex as rx

from app.db.engine import run_in_session
from app.domain.entries import EntryKind, HabitKind, TargetDirection
from app.domain.streaks import STREAK_RULE_HELP, Streak
from app.domain.strength_resampling import PeriodScore, Resolution, resample
from app.services import habits
from app.services.errors import NotFound, ServiceError
from app.services.habit_history import HabitHistory, HistoryEntry, habit_history
from app.services.habits import EntryDetails
from app.services.principals import Principal
from app.ui.components.charts import percent_line_chart
from app.ui.components.layout import page_frame
from app.ui.components.sections import page_section, simple_table, stat_card
from app.ui.states.session import SIGN_IN_ROUTE, SessionState

ROUTE = "/habits/[habit_id]"

HEATMAP_WEEKS = 53  # the current week plus 52 full weeks before it: always more than a year
CELL = "12px"
# How many points each resolution shows: about a quarter, a year and ten years.
CHART_POINTS = {Resolution.DAY: 90, Resolution.WEEK: 53, Resolution.MONTH: 120}
RESOLUTION_LABELS = {"Day": Resolution.DAY, "Week": Resolution.WEEK, "Month": Resolution.MONTH}
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
STATUS_LABELS = {"Done": EntryKind.DONE, "Skipped": EntryKind.SKIPPED, "Not done": EntryKind.NOT_DONE}
MEASURABLE_STATUS_LABELS = {"Amount": EntryKind.DONE, "Skipped": EntryKind.SKIPPED}
RATINGS = ("1", "2", "3", "4", "5")

# Present in the accessibility tree, absent from the screen.
VISUALLY_HIDDEN = {
    "position": "absolute",
    "width": "1px",
    "height": "1px",
    "padding": "0",
    "margin": "-1px",
    "overflow": "hidden",
    "clip": "rect(0, 0, 0, 0)",
    "white_space": "nowrap",
    "border": "0",
}


@dataclass
class DayCell:
    iso: str  # "2026-03-12"
    label: str  # "12 March 2026: done"
    fill: str  # a CSS color
    outline: str  # marks today


@dataclass
class StrengthPoint:
    label: str  # short, for the axis
    long_label: str  # for the table
    percent: float


@dataclass
class WeekdayBar:
    day: str  # "Mon"
    name: str  # "Monday"
    check_ins: int


@dataclass
class StreakRow:
    rank: int
    start: str
    end: str
    days: int


@dataclass
class NoteRow:
    day: str
    note: str


def long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _amount(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def _days(count: int) -> str:
    return f"{count} day" if count == 1 else f"{count} days"


def _cell_state(history: HabitHistory, entry: HistoryEntry | None) -> tuple[str, str]:
    """(what happened, CSS fill) for one day; measurable days shade by amount / target."""
    color = history.color
    if entry is None:
        return "no entry", "var(--gray-a4)"
    if entry.kind is EntryKind.SKIPPED:
        return "skipped", "var(--gray-9)"
    measure = history.measure
    if measure is None:
        if entry.kind is EntryKind.DONE:
            return "done", f"var(--{color}-9)"
        return "not done", "var(--red-a6)"
    if entry.value is None:
        return "not done", "var(--red-a6)"
    amount = f"{entry.value:g} of {measure.target:g} {measure.unit}".strip()
    if measure.direction is TargetDirection.AT_MOST:
        if entry.done:
            return f"{amount}, within the limit", f"var(--{color}-9)"
        return f"{amount}, over the limit", "var(--red-a8)"
    if entry.done:
        return f"{amount}, done", f"var(--{color}-9)"
    share = entry.value / measure.target if measure.target else 1.0
    step = 4 if share < 1 / 3 else 6 if share < 2 / 3 else 7
    return amount, f"var(--{color}-{step})"


def heatmap_cells(history: HabitHistory) -> list[DayCell]:
    """One cell per day from the Monday 52 weeks before this week's Monday up to today."""
    today = history.today
    start = today - timedelta(days=today.weekday(), weeks=HEATMAP_WEEKS - 1)
    by_day = {entry.day: entry for entry in history.entries}
    cells = []
    for offset in range((today - start).days + 1):
        day = start + timedelta(days=offset)
        what, fill = _cell_state(history, by_day.get(day))
        cells.append(
            DayCell(
                iso=day.isoformat(),
                label=f"{long_date(day)}: {what}",
                fill=fill,
                outline="2px solid var(--gray-12)" if day == today else "none",
            )
        )
    return cells


def _point(point: PeriodScore, resolution: Resolution) -> StrengthPoint:
    start = point.start
    if resolution is Resolution.MONTH:
        short, long = f"{start:%b %Y}", f"{start:%B %Y}"
    elif resolution is Resolution.WEEK:
        short, long = f"{start.day} {start:%b}", f"Week of {long_date(start)}"
    else:
        short, long = f"{start.day} {start:%b}", long_date(start)
    return StrengthPoint(short, long, round(point.score * 100, 1))


def strength_points(history: HabitHistory, resolution: Resolution) -> list[StrengthPoint]:
    recent = resample(history.strength, resolution)[-CHART_POINTS[resolution] :]
    return [_point(point, resolution) for point in recent]


def strength_summary(history: HabitHistory) -> str:
    now = round(history.current_strength * 100)
    if not history.strength:
        return f"Strength is {now}%: nothing recorded yet."
    month_ago = history.today - timedelta(days=30)
    earlier = next((p for p in reversed(history.strength) if p.day <= month_ago), None)
    if earlier is None:
        return (
            f"Strength is {now}% today, up from 0% when you started on {long_date(history.strength[0].day)}."
        )
    then = round(earlier.score * 100)
    trend = "up from" if now > then else "down from" if now < then else "the same as"
    return f"Strength is {now}% today, {trend} {then}% 30 days ago."


def weekday_bars(history: HabitHistory) -> list[WeekdayBar]:
    return [
        WeekdayBar(name[:3], name, count)
        for name, count in zip(WEEKDAYS, history.stats.done_by_weekday, strict=True)
    ]


def weekday_summary(history: HabitHistory) -> str:
    counts = history.stats.done_by_weekday
    most = max(counts)
    if most == 0:
        return "No check-ins yet, so no weekday stands out."
    names = [f"{name}s" for name, count in zip(WEEKDAYS, counts, strict=True) if count == most]
    joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    each = " each" if len(names) > 1 else ""
    return f"Most check-ins on {joined} ({most}{each})."


def _streak_row(rank: int, streak: Streak) -> StreakRow:
    return StreakRow(rank, long_date(streak.start), long_date(streak.end), streak.length)


def current_streak_text(history: HabitHistory) -> str:
    current = history.streaks.current
    if current is None:
        return "No current streak."
    return f"Current streak: {_days(current.length)}, since {long_date(current.start)}."


def completion_text(history: HabitHistory) -> str:
    rate = history.stats.completion_rate
    return "–" if rate is None else f"{round(rate * 100)}%"


class HabitDetailState(rx.State):
    loading: bool = True
    not_found: bool = False
    load_error: str = ""
    name: str = ""
    color: str = "violet"
    question: str = ""
    description: str = ""
    schedule_label: str = ""
    target_label: str = ""
    measurable: bool = False
    unit: str = ""
    cells: list[DayCell] = []
    strength_percent: int = 0
    strength_text: str = ""
    strength_by_day: list[StrengthPoint] = []
    strength_by_week: list[StrengthPoint] = []
    strength_by_month: list[StrengthPoint] = []
    resolution: str = "Day"
    current_streak: str = ""
    streaks: list[StreakRow] = []
    completion_rate: str = ""
    since: str = ""
    check_ins: int = 0
    last_check_in: str = ""
    weekdays: list[WeekdayBar] = []
    weekday_text: str = ""
    notes: list[NoteRow] = []

    # The day editor.
    editor_open: bool = False
    edit_day: str = ""
    edit_day_label: str = ""
    edit_status: str = "Done"
    edit_amount: str = ""
    edit_note: str = ""
    edit_mood: str = ""
    edit_difficulty: str = ""
    # Backend only: each recorded day's entry, to prefill the editor.
    _entries: dict[str, HistoryEntry] = {}

    @rx.var
    def strength_points(self) -> list[StrengthPoint]:
        if self.resolution == "Week":
            return self.strength_by_week
        if self.resolution == "Month":
            return self.strength_by_month
        return self.strength_by_day

    @rx.var
    def status_options(self) -> list[str]:
        return list(MEASURABLE_STATUS_LABELS if self.measurable else STATUS_LABELS)

    async def _principal(self) -> Principal | None:
        session = await self.get_state(SessionState)
        return await session.current_principal()

    def _route_habit_id(self) -> int | None:
        """The id in the URL; ownership is checked by the service, never trusted here."""
        raw = str(self.habit_id or "")
        return int(raw) if raw.isdecimal() and len(raw) < 12 else None

    def _show(self, history: HabitHistory) -> None:
        self.name = history.name
        self.color = history.color
        self.question = history.question
        self.description = history.description
        self.schedule_label = history.schedule.label
        measure = history.measure
        self.measurable = history.kind is HabitKind.MEASURABLE
        self.unit = measure.unit if measure else ""
        if measure is None:
            self.target_label = ""
        else:
            direction = "At least" if measure.direction is TargetDirection.AT_LEAST else "At most"
            self.target_label = f"{direction} {measure.target:g} {measure.unit}".strip()
        self.cells = heatmap_cells(history)
        self.strength_percent = round(history.current_strength * 100)
        self.strength_text = strength_summary(history)
        self.strength_by_day = strength_points(history, Resolution.DAY)
        self.strength_by_week = strength_points(history, Resolution.WEEK)
        self.strength_by_month = strength_points(history, Resolution.MONTH)
        self.current_streak = current_streak_text(history)
        self.streaks = [_streak_row(rank, s) for rank, s in enumerate(history.streaks.top, start=1)]
        self.completion_rate = completion_text(history)
        self.since = long_date(history.first_day)
        self.check_ins = history.stats.check_ins
        last = history.stats.last_check_in
        self.last_check_in = long_date(last) if last else "Never"
        self.weekdays = weekday_bars(history)
        self.weekday_text = weekday_summary(history)
        self.notes = [NoteRow(long_date(note.day), note.note) for note in history.notes]
        self._entries = {entry.day.isoformat(): entry for entry in history.entries}

    async def _reload(self, principal: Principal) -> None:
        habit_id = self._route_habit_id()
        today = habits.today_for(principal, datetime.now(UTC))
        try:
            if habit_id is None:
                raise NotFound("That habit does not exist.")
            history = await run_in_session(lambda db: habit_history(db, principal, habit_id, today))
        except NotFound:
            self.not_found = True
            self._entries = {}
            self.cells, self.notes, self.streaks = [], [], []
        else:
            self.not_found = False
            self._show(history)
        finally:
            self.loading = False

    @rx.event
    async def load(self):
        self.loading, self.not_found, self.load_error, self.editor_open = True, False, "", False
        yield
        principal = await self._principal()
        if principal is None:
            yield rx.redirect(SIGN_IN_ROUTE)
            return
        try:
            await self._reload(principal)
        except ServiceError as error:
            self.load_error = str(error)
            yield rx.toast.error(str(error))

    @rx.event
    def set_resolution(self, value: str | list[str]) -> None:
        chosen = value if isinstance(value, str) else "".join(value[:1])
        self.resolution = chosen if chosen in RESOLUTION_LABELS else "Day"

    @rx.event
    def set_edit_status(self, value: str) -> None:
        self.edit_status = value

    @rx.event
    def set_editor_open(self, value: bool) -> None:
        self.editor_open = bool(value)

    @rx.event
    def open_day(self, iso: str):
        try:
            day = date.fromisoformat(str(iso))
        except ValueError:
            return rx.toast.error("That is not a day.")
        entry = self._entries.get(day.isoformat())
        self.edit_day = day.isoformat()
        self.edit_day_label = long_date(day)
        if entry is None:
            self.edit_status = "Amount" if self.measurable else "Done"
        elif entry.kind is EntryKind.SKIPPED:
            self.edit_status = "Skipped"
        elif self.measurable:
            self.edit_status = "Amount"
        else:
            self.edit_status = "Done" if entry.kind is EntryKind.DONE else "Not done"
        self.edit_amount = _amount(entry.value) if entry else ""
        self.edit_note = entry.note if entry else ""
        self.edit_mood = str(entry.mood) if entry and entry.mood else ""
        self.edit_difficulty = str(entry.felt_difficulty) if entry and entry.felt_difficulty else ""
        self.editor_open = True
        return None

    async def _write(self, change, success: str):
        """Apply `change(db, principal, habit_id, day, today)` to the day being edited."""
        principal = await self._principal()
        if principal is None:
            return rx.redirect(SIGN_IN_ROUTE)
        habit_id = self._route_habit_id()
        if habit_id is None:
            return rx.toast.error("That habit does not exist.")
        try:
            day = date.fromisoformat(self.edit_day)
        except ValueError:
            return rx.toast.error("Pick a day in the calendar first.")
        today = habits.today_for(principal, datetime.now(UTC))
        try:
            await run_in_session(lambda db: change(db, principal, habit_id, day, today))
        except ServiceError as error:
            return rx.toast.error(str(error))
        self.editor_open = False
        await self._reload(principal)
        return rx.toast.success(success)

    @rx.event
    async def save_day(self, form_data: dict[str, str]):
        labels = MEASURABLE_STATUS_LABELS if self.measurable else STATUS_LABELS
        kind = labels.get(self.edit_status, EntryKind.DONE)
        value = None
        amount_text = str(form_data.get("amount", "")).strip()
        if self.measurable and kind is not EntryKind.SKIPPED:
            try:
                value = float(amount_text.replace(",", "."))
            except ValueError:
                unit = f" ({self.unit})" if self.unit else ""
                return rx.toast.error(f"Enter an amount of zero or more{unit}.")
        try:
            mood = int(form_data["mood"]) if form_data.get("mood") else None
            felt = int(form_data["felt_difficulty"]) if form_data.get("felt_difficulty") else None
        except ValueError:
            return rx.toast.error("Mood and felt difficulty go from 1 to 5.")
        details = EntryDetails(kind, value, str(form_data.get("note", "")), mood, felt)

        def record(db, principal, habit_id, day, today):
            habits.record_entry(db, principal, habit_id, day, today, details)

        return await self._write(record, f"Saved {self.edit_day_label}.")

    @rx.event
    async def clear_day(self):
        def clear(db, principal, habit_id, day, today):
            habits.undo_check_in(db, principal, habit_id, day)

        return await self._write(clear, f"Cleared {self.edit_day_label}.")


def _day_cell(cell: rx.Var[DayCell]) -> rx.Component:
    return rx.el.button(
        type="button",
        aria_label=cell.label,
        title=cell.label,
        on_click=HabitDetailState.open_day(cell.iso),
        class_name="day-cell",
        style={
            "width": CELL,
            "height": CELL,
            "padding": "0",
            "border": "none",
            "border_radius": "2px",
            "cursor": "pointer",
            "background": cell.fill,
            "outline": cell.outline,
            "outline_offset": "-1px",
            "_focus_visible": {"outline": "2px solid var(--accent-9)", "outline_offset": "1px"},
        },
    )


def _legend_item(label: str, fill: Any) -> rx.Component:
    return rx.hstack(
        rx.box(width=CELL, height=CELL, border_radius="2px", background=fill, aria_hidden="true"),
        rx.text(label, size="1"),
        align="center",
        spacing="1",
    )


def heatmap() -> rx.Component:
    return page_section(
        "Calendar",
        rx.text("Choose a day to record or change it.", size="2", color_scheme="gray"),
        # Right-to-left scrolling keeps the latest weeks in view on narrow screens.
        rx.box(
            rx.el.div(
                rx.foreach(HabitDetailState.cells, _day_cell),
                id="heatmap",
                role="group",
                aria_label="Last 12 months, one button per day",
                style={
                    "display": "grid",
                    "grid_template_rows": f"repeat(7, {CELL})",
                    "grid_auto_flow": "column",
                    "grid_auto_columns": CELL,
                    "gap": "3px",
                    "direction": "ltr",
                    "padding": "3px",
                    "width": "max-content",
                },
            ),
            overflow_x="auto",
            max_width="100%",
            style={"direction": "rtl"},
            padding_y="1",
        ),
        rx.hstack(
            _legend_item("Done", "var(--" + HabitDetailState.color + "-9)"),
            rx.cond(
                HabitDetailState.measurable,
                _legend_item("Part of the target", "var(--" + HabitDetailState.color + "-6)"),
            ),
            _legend_item("Skipped", "var(--gray-9)"),
            _legend_item("Not done", "var(--red-a6)"),
            _legend_item("No entry", "var(--gray-a4)"),
            wrap="wrap",
            spacing="3",
            margin_top="2",
        ),
    )


def _rating_field(name: str, label: str, value: Any) -> rx.Component:
    return rx.el.label(
        rx.text(label, size="2"),
        rx.el.select(
            rx.el.option("–", value=""),
            *(rx.el.option(rating, value=rating) for rating in RATINGS),
            name=name,
            default_value=value,
            aria_label=label,
            style={
                "padding": "4px 8px",
                "border_radius": "var(--radius-2)",
                "border": "1px solid var(--gray-a7)",
                "background": "var(--color-surface)",
                "color": "var(--gray-12)",
            },
        ),
        display="flex",
        flex_direction="column",
        gap="4px",
    )


def day_editor() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(HabitDetailState.edit_day_label),
            rx.dialog.description(HabitDetailState.name, size="2", color_scheme="gray"),
            rx.form(
                rx.vstack(
                    rx.radio(
                        HabitDetailState.status_options,
                        value=HabitDetailState.edit_status,
                        on_change=HabitDetailState.set_edit_status,
                        direction="row",
                        aria_label="What happened",
                    ),
                    rx.cond(
                        HabitDetailState.measurable,
                        rx.input(
                            name="amount",
                            default_value=HabitDetailState.edit_amount,
                            placeholder=HabitDetailState.unit,
                            type="number",
                            min=0,
                            step="any",
                            aria_label="Amount (" + HabitDetailState.unit + ")",
                            disabled=HabitDetailState.edit_status == "Skipped",
                        ),
                    ),
                    rx.text_area(
                        name="note",
                        default_value=HabitDetailState.edit_note,
                        placeholder="Note (optional)",
                        aria_label="Note",
                        max_length=1000,
                        width="100%",
                    ),
                    rx.hstack(
                        _rating_field("mood", "Mood", HabitDetailState.edit_mood),
                        _rating_field("felt_difficulty", "Felt difficulty", HabitDetailState.edit_difficulty),
                        spacing="4",
                    ),
                    rx.flex(
                        rx.button("Save", type="submit"),
                        rx.button(
                            "Clear entry",
                            type="button",
                            variant="soft",
                            color_scheme="red",
                            on_click=HabitDetailState.clear_day,
                        ),
                        rx.dialog.close(
                            rx.button("Cancel", type="button", variant="soft", color_scheme="gray")
                        ),
                        spacing="2",
                        wrap="wrap",
                    ),
                    spacing="3",
                    width="100%",
                ),
                on_submit=HabitDetailState.save_day,
            ),
            max_width="420px",
        ),
        open=HabitDetailState.editor_open,
        on_open_change=HabitDetailState.set_editor_open,
    )


def _hidden_table(caption: str, headers: tuple[str, str], rows: Any, cells: Any) -> rx.Component:
    return rx.el.table(
        rx.el.caption(caption),
        rx.el.thead(rx.el.tr(*(rx.el.th(header, scope="col") for header in headers))),
        rx.el.tbody(rx.foreach(rows, lambda row: rx.el.tr(*(rx.el.td(cell) for cell in cells(row))))),
        style=VISUALLY_HIDDEN,
    )


def strength_section() -> rx.Component:
    return page_section(
        "Strength",
        rx.hstack(
            rx.text(HabitDetailState.strength_text, id="strength-summary", size="2"),
            rx.spacer(),
            rx.segmented_control.root(
                *(rx.segmented_control.item(label, value=label) for label in RESOLUTION_LABELS),
                value=HabitDetailState.resolution,
                on_change=HabitDetailState.set_resolution,
                aria_label="Strength per",
                size="1",
            ),
            width="100%",
            align="center",
            wrap="wrap",
        ),
        # dataclasses arrive as objects
        percent_line_chart(HabitDetailState.strength_points.to(list[dict[str, Any]]), "Strength %"),
        _hidden_table(
            "Strength over time",
            ("Period", "Strength (%)"),
            HabitDetailState.strength_points,
            lambda point: (point.long_label, point.percent.to(str)),
        ),
        id="strength",
    )


def streaks_section() -> rx.Component:
    return page_section(
        "Streaks",
        rx.text(HabitDetailState.current_streak, id="current-streak", weight="medium"),
        rx.cond(
            HabitDetailState.streaks.length() > 0,
            simple_table(
                ("#", "From", "To", "Days"),
                HabitDetailState.streaks,
                lambda row: (row.rank, row.start, row.end, row.days),
                size="1",
                id="best-streaks",
                aria_label="Best streaks",
            ),
            rx.text("No streaks yet.", color_scheme="gray", size="2"),
        ),
        rx.text(STREAK_RULE_HELP, size="1", color_scheme="gray", margin_top="2"),
        id="streaks",
    )


def stats_section() -> rx.Component:
    return page_section(
        "Overview",
        rx.flex(
            stat_card("Strength", HabitDetailState.strength_percent.to(str) + "%", "stat-strength"),
            stat_card("Completion rate", HabitDetailState.completion_rate, "stat-completion"),
            stat_card("Check-ins", HabitDetailState.check_ins.to(str), "stat-check-ins"),
            stat_card("Last check-in", HabitDetailState.last_check_in, "stat-last-check-in"),
            spacing="3",
            wrap="wrap",
        ),
        rx.text("Since " + HabitDetailState.since, size="1", color_scheme="gray", margin_top="1"),
    )


def weekday_section() -> rx.Component:
    return page_section(
        "Check-ins by weekday",
        rx.text(HabitDetailState.weekday_text, size="2", id="weekday-summary"),
        rx.box(
            rx.recharts.bar_chart(
                rx.recharts.bar(
                    data_key="check_ins", name="Check-ins", fill="var(--accent-9)", is_animation_active=False
                ),
                rx.recharts.x_axis(data_key="day", stroke="var(--gray-11)"),
                rx.recharts.y_axis(allow_decimals=False, width=32, stroke="var(--gray-11)"),
                data=HabitDetailState.weekdays.to(list[dict[str, Any]]),
                height=180,
            ),
            aria_hidden="true",
            width="100%",
        ),
        _hidden_table(
            "Check-ins by weekday",
            ("Weekday", "Check-ins"),
            HabitDetailState.weekdays,
            lambda bar: (bar.name, bar.check_ins.to(str)),
        ),
    )


def notes_section() -> rx.Component:
    return page_section(
        "Notes",
        rx.cond(
            HabitDetailState.notes.length() > 0,
            rx.el.ul(
                rx.foreach(
                    HabitDetailState.notes,
                    lambda note: rx.el.li(
                        rx.text(note.day, size="1", color_scheme="gray", weight="medium"),
                        rx.text(note.note, size="2", white_space="pre-wrap", overflow_wrap="anywhere"),
                        class_name="note-item",
                        style={"padding": "6px 0", "border_bottom": "1px solid var(--gray-a4)"},
                    ),
                ),
                id="notes",
                style={"list_style": "none", "padding": "0", "margin": "0"},
            ),
            rx.text(
                "No notes yet. Add one by choosing a day in the calendar.", color_scheme="gray", size="2"
            ),
        ),
    )


def not_found_state() -> rx.Component:
    return rx.vstack(
        rx.heading("Habit not found", size="7", as_="h1"),
        rx.text("This habit doesn't exist, or it isn't yours.", id="habit-not-found"),
        rx.link("Back to your habits", href="/"),
        spacing="3",
    )


def detail() -> rx.Component:
    return rx.vstack(
        rx.box(
            rx.heading(HabitDetailState.name, size="7", as_="h1", overflow_wrap="anywhere"),
            rx.cond(HabitDetailState.question != "", rx.text(HabitDetailState.question, color_scheme="gray")),
            rx.hstack(
                rx.badge(HabitDetailState.schedule_label, variant="soft"),
                rx.cond(
                    HabitDetailState.target_label != "",
                    rx.badge(HabitDetailState.target_label, variant="soft"),
                ),
                margin_top="2",
                wrap="wrap",
            ),
            rx.cond(
                HabitDetailState.description != "",
                rx.text(HabitDetailState.description, size="2", margin_top="2", white_space="pre-wrap"),
            ),
        ),
        stats_section(),
        heatmap(),
        strength_section(),
        streaks_section(),
        weekday_section(),
        notes_section(),
        day_editor(),
        spacing="6",
        width="100%",
        padding_bottom="6",
    )


def habit_detail_page() -> rx.Component:
    return page_frame(
        rx.cond(
            HabitDetailState.loading,
            rx.spinner(size="3", aria_label="Loading"),
            rx.cond(
                HabitDetailState.not_found,
                not_found_state(),
                rx.cond(
                    HabitDetailState.load_error != "",
                    rx.vstack(
                        rx.heading("Couldn't load this habit", size="6", as_="h1"),
                        rx.text(HabitDetailState.load_error, role="alert"),
                        rx.button("Try again", on_click=HabitDetailState.load),
                    ),
                    detail(),
                ),
            ),
        )
    )
