"""Insights: completion, streaks, strength and patterns over a chosen window of days.

Every chart is hidden from assistive technology and paired with a visible sentence that says
what it shows (the text alternative), so nothing is only visible as a picture.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import reflex as rx

from app.db.engine import run_in_session
from app.domain.analytics import (
    DEFAULT_WINDOW_KIND,
    HeatmapCell,
    MoodPoint,
    TrendPoint,
    WindowChoice,
    WindowKind,
    heatmap_level,
)
from app.domain.schedules import WEEKDAY_ABBREVIATIONS
from app.domain.streaks import STREAK_RULE_HELP
from app.services import habits
from app.services import profile as profiles
from app.services.errors import InvalidInput, ServiceError
from app.services.insights import Insights, insights
from app.services.principals import Principal
from app.ui.components.charts import percent_axis, percent_line_chart
from app.ui.components.layout import page_frame
from app.ui.components.sections import page_section, simple_table, stat_card
from app.ui.states.session import SIGN_IN_ROUTE, SessionState

ROUTE = "/insights"
WINDOW_LABELS = {
    WindowKind.LAST_7.value: "Last 7 days",
    WindowKind.LAST_30.value: "Last 30 days",
    WindowKind.LAST_90.value: "Last 90 days",
    WindowKind.LAST_365.value: "Last 365 days",
    WindowKind.ALL_TIME.value: "All time",
    WindowKind.CUSTOM.value: "Custom range",
}
LEVEL_FILLS = ("var(--gray-a4)", "var(--accent-5)", "var(--accent-7)", "var(--accent-9)", "var(--accent-11)")
CELL = "11px"
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass
class HabitRow:
    habit_id: int
    name: str
    color: str
    category: str
    completion: str
    percent: int
    previous: str
    change: str
    check_ins: str


@dataclass
class CategoryRow:
    name: str
    completion: str
    percent: int
    previous_percent: int
    change: str
    check_ins: int


@dataclass
class StreakRow:
    rank: int
    name: str
    current: int
    best: int


@dataclass
class TrendRow:
    label: str
    percent: float


@dataclass
class Cell:
    label: str
    fill: str


@dataclass
class MoodRow:
    mood: str
    percent: int
    days: int


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def percent(rate: float | None) -> str:
    return "–" if rate is None else f"{round(rate * 100)}%"


def points_change(change: float | None) -> str:
    if change is None:
        return "–"
    points = round(change * 100)
    return "no change" if points == 0 else f"{points:+d} pts"


def short_day(day: date) -> str:
    return f"{day:%b} {day.day}"


def long_day(day: date) -> str:
    return f"{day:%b} {day.day}, {day.year}"


def window_label(found: Insights) -> str:
    window = found.window
    return f"{long_day(window.start)} – {long_day(window.end)} ({plural(window.days, 'day')})"


def summary_text(found: Insights) -> str:
    if not found.habits:
        return "No habits yet: add one on Today and check in to see insights here."
    days = found.window.days
    if found.completion is None:
        rate = "Nothing was due in this window"
    else:
        rate = f"You completed {percent(found.completion)} of what your habits asked"
    if found.change is None:
        versus = "there is nothing to compare with before it"
    elif round(found.change * 100) == 0:
        versus = f"the same as the {plural(days, 'day')} before"
    else:
        direction = "up" if found.change > 0 else "down"
        versus = f"{direction} {abs(round(found.change * 100))} points on the {plural(days, 'day')} before"
    return (
        f"{rate}; {versus}. {plural(found.check_ins, 'check-in')} in this window, "
        f"{found.previous_check_ins} in the one before."
    )


def categories_text(rows: list[CategoryRow]) -> str:
    if not rows:
        return "No categories yet."
    parts = [f"{row.name} {row.completion} ({row.change} against the window before)" for row in rows]
    return "Completion by category: " + "; ".join(parts) + "."


def trend_text(points: tuple[TrendPoint, ...]) -> str:
    if not points:
        return "No strength to show yet: strength starts with the first check-in."
    first, last = points[0], points[-1]
    return (
        f"Average habit strength went from {percent(first.strength)} on {short_day(first.day)} "
        f"to {percent(last.strength)} on {short_day(last.day)}."
    )


def heatmap_cells(weeks: tuple[tuple[HeatmapCell, ...], ...]) -> list[Cell]:
    cells = []
    for week in weeks:
        for cell in week:
            fill = "transparent" if cell.level < 0 else LEVEL_FILLS[cell.level]
            cells.append(Cell(f"{long_day(cell.day)}: {cell.count} check-ins", fill))
    return cells


def heatmap_text(weeks: tuple[tuple[HeatmapCell, ...], ...]) -> str:
    cells = [cell for week in weeks for cell in week if cell.level >= 0]
    active = [cell for cell in cells if cell.count]
    if not active:
        return "No check-ins in the last year."
    busiest = max(active, key=lambda cell: (cell.count, cell.day))
    total = sum(cell.count for cell in active)
    return (
        f"{plural(total, 'check-in')} on {len(active)} of the last {len(cells)} days; "
        f"the busiest day was {long_day(busiest.day)} with {busiest.count}."
    )


def hour_cells(matrix: tuple[tuple[int, ...], ...]) -> list[Cell]:
    busiest = max((count for row in matrix for count in row), default=0)
    return [
        Cell(
            f"{WEEKDAY_NAMES[weekday]} {hour:02d}:00: {count} check-ins",
            LEVEL_FILLS[heatmap_level(count, busiest)],
        )
        for weekday, row in enumerate(matrix)
        for hour, count in enumerate(row)
    ]


def hours_text(matrix: tuple[tuple[int, ...], ...]) -> str:
    total = sum(sum(row) for row in matrix)
    if not total:
        return "No check-ins in this window, so no pattern yet."
    count, weekday, hour = max(
        (count, -weekday, -hour) for weekday, row in enumerate(matrix) for hour, count in enumerate(row)
    )
    by_hour = [sum(row[h] for row in matrix) for h in range(24)]
    top_hour = max(range(24), key=lambda h: (by_hour[h], -h))
    return (
        f"{plural(total, 'check-in')}. Most often at {top_hour:02d}:00 to {top_hour:02d}:59 "
        f"({by_hour[top_hour]}); "
        f"busiest slot: {WEEKDAY_NAMES[-weekday]} {-hour:02d}:00 ({count})."
    )


def mood_rows(points: tuple[MoodPoint, ...]) -> list[MoodRow]:
    return [MoodRow(str(point.mood), round((point.completion or 0) * 100), point.days) for point in points]


def mood_text(points: tuple[MoodPoint, ...]) -> str:
    rated = [point for point in points if point.days]
    if not rated:
        return "No moods recorded in this window. Add one with a check-in's details."
    parts = [
        f"mood {point.mood}: {percent(point.completion)} of habits done ({plural(point.days, 'day')})"
        for point in rated
    ]
    return "On days with " + "; ".join(parts) + "."


class InsightsState(rx.State):
    window_kind: str = DEFAULT_WINDOW_KIND.value
    custom_start: str = ""
    custom_end: str = ""
    loading: bool = True
    error: str = ""
    has_habits: bool = False
    window_label: str = ""
    completion: str = "–"
    change: str = "–"
    check_ins: int = 0
    previous_check_ins: int = 0
    summary_text: str = ""
    habit_rows: list[HabitRow] = []
    category_rows: list[CategoryRow] = []
    categories_text: str = ""
    streak_rows: list[StreakRow] = []
    trend: list[TrendRow] = []
    trend_text: str = ""
    heatmap: list[Cell] = []
    heatmap_text: str = ""
    hours: list[Cell] = []
    hours_text: str = ""
    mood: list[MoodRow] = []
    mood_text: str = ""

    async def _principal(self) -> Principal | None:
        session = await self.get_state(SessionState)
        return await session.current_principal()

    def _choice(self) -> WindowChoice:
        kind = WindowKind(self.window_kind)
        if kind is not WindowKind.CUSTOM:
            return WindowChoice(kind)
        try:
            start = date.fromisoformat(self.custom_start) if self.custom_start else None
            end = date.fromisoformat(self.custom_end) if self.custom_end else None
        except ValueError:
            raise InvalidInput("Dates look like 2024-03-31.") from None
        return WindowChoice(kind, start, end)

    async def _reload(self):
        principal = await self._principal()
        if principal is None:
            return rx.redirect(SIGN_IN_ROUTE)
        self.loading = True
        try:
            choice = self._choice()
            today = habits.today_for(principal, datetime.now(UTC))
            found = await run_in_session(lambda db: insights(db, principal, choice, today))
        except ServiceError as error:
            self.error = str(error)
            self.loading = False
            return rx.toast.error(str(error))
        self._show(found)
        self.error = ""
        self.loading = False
        return None

    def _show(self, found: Insights) -> None:
        self.has_habits = bool(found.habits)
        self.window_label = window_label(found)
        self.completion = percent(found.completion)
        self.change = points_change(found.change)
        self.check_ins = found.check_ins
        self.previous_check_ins = found.previous_check_ins
        self.summary_text = summary_text(found)
        self.habit_rows = [
            HabitRow(
                h.habit_id,
                h.name,
                h.color,
                h.category,
                percent(h.completion),
                round((h.completion or 0) * 100),
                percent(h.previous_completion),
                points_change(h.change),
                plural(h.check_ins, "check-in"),
            )
            for h in found.habits
        ]
        self.category_rows = [
            CategoryRow(
                c.name,
                percent(c.completion),
                round((c.completion or 0) * 100),
                round((c.previous_completion or 0) * 100),
                points_change(c.change),
                c.check_ins,
            )
            for c in found.categories
        ]
        self.categories_text = categories_text(self.category_rows)
        self.streak_rows = [
            StreakRow(rank, s.name, s.current, s.best) for rank, s in enumerate(found.leaderboard, start=1)
        ]
        self.trend = [TrendRow(short_day(p.day), round(p.strength * 100, 1)) for p in found.strength_trend]
        self.trend_text = trend_text(found.strength_trend)
        self.heatmap = heatmap_cells(found.heatmap)
        self.heatmap_text = heatmap_text(found.heatmap)
        self.hours = hour_cells(found.weekday_hours)
        self.hours_text = hours_text(found.weekday_hours)
        self.mood = mood_rows(found.mood)
        self.mood_text = mood_text(found.mood)

    @rx.event
    async def load(self):
        principal = await self._principal()
        if principal is None:
            return rx.redirect(SIGN_IN_ROUTE)
        # Each visit opens on the person's chosen default window.
        profile = await run_in_session(lambda db: profiles.profile_of(db, principal))
        self.window_kind = profile.insights_window
        return await self._reload()

    @rx.event
    async def set_window(self, kind: str):
        if kind not in WINDOW_LABELS:
            return rx.toast.error("Choose one of the listed windows.")
        self.window_kind = kind
        if kind == WindowKind.CUSTOM.value and not (self.custom_start and self.custom_end):
            return None  # wait for the range
        return await self._reload()

    @rx.event
    async def apply_range(self, form_data: dict[str, Any]):
        self.custom_start = str(form_data.get("start", "")).strip()
        self.custom_end = str(form_data.get("end", "")).strip()
        self.window_kind = WindowKind.CUSTOM.value
        return await self._reload()


# Components ---------------------------------------------------------------------------------


def _alt(text: Any, text_id: str) -> rx.Component:
    """The text alternative of the chart next to it."""
    return rx.text(text, size="2", id=text_id, class_name="chart-text")


def window_picker() -> rx.Component:
    return rx.vstack(
        rx.el.label(
            rx.text("Window", size="2", weight="medium"),
            rx.select.root(
                rx.select.trigger(id="window-picker", aria_label="Window"),
                rx.select.content(
                    *(rx.select.item(label, value=value) for value, label in WINDOW_LABELS.items())
                ),
                value=InsightsState.window_kind,
                on_change=InsightsState.set_window,
            ),
            display="flex",
            align_items="center",
            gap="8px",
        ),
        rx.cond(
            InsightsState.window_kind == WindowKind.CUSTOM.value,
            rx.form(
                rx.flex(
                    rx.el.label(
                        rx.text("From", size="1"),
                        rx.input(
                            type="date", name="start", default_value=InsightsState.custom_start, required=True
                        ),
                    ),
                    rx.el.label(
                        rx.text("To", size="1"),
                        rx.input(
                            type="date", name="end", default_value=InsightsState.custom_end, required=True
                        ),
                    ),
                    rx.button("Show", type="submit", id="apply-range"),
                    spacing="2",
                    align="end",
                    wrap="wrap",
                ),
                on_submit=InsightsState.apply_range,
                id="custom-range",
            ),
        ),
        rx.text(InsightsState.window_label, size="1", color_scheme="gray", id="window-label"),
        spacing="2",
        width="100%",
    )


def overview() -> rx.Component:
    return page_section(
        "Overview",
        rx.flex(
            stat_card("Completion", InsightsState.completion, "stat-completion"),
            stat_card("Change", InsightsState.change, "stat-change"),
            stat_card("Check-ins", InsightsState.check_ins.to(str), "stat-check-ins"),
            spacing="3",
            wrap="wrap",
        ),
        rx.text(InsightsState.summary_text, size="2", margin_top="2", id="summary-text"),
    )


def _habit_completion(row: rx.Var[HabitRow]) -> rx.Component:
    return rx.box(
        rx.flex(
            rx.text(row.name, weight="medium", size="2", class_name="habit-name", overflow_wrap="anywhere"),
            rx.spacer(),
            rx.text(
                row.completion + " · " + row.change + " · " + row.check_ins,
                size="1",
                color_scheme="gray",
                class_name="habit-completion",
            ),
            wrap="wrap",
            spacing="2",
        ),
        rx.progress(value=row.percent, color_scheme="grass", aria_label="Completion: " + row.name.to(str)),
        width="100%",
        class_name="habit-completion-row",
    )


def habits_section() -> rx.Component:
    return page_section(
        "Completion by habit",
        rx.vstack(
            rx.foreach(InsightsState.habit_rows, _habit_completion), width="100%", id="habit-completion"
        ),
    )


def categories_section() -> rx.Component:
    return page_section(
        "Completion by category",
        rx.box(
            rx.recharts.bar_chart(
                rx.recharts.cartesian_grid(stroke_dasharray="3 3", stroke="var(--gray-a5)"),
                rx.recharts.bar(
                    data_key="previous_percent",
                    name="Window before",
                    fill="var(--gray-8)",
                    is_animation_active=False,
                ),
                rx.recharts.bar(
                    data_key="percent", name="This window", fill="var(--accent-9)", is_animation_active=False
                ),
                rx.recharts.x_axis(data_key="name", stroke="var(--gray-11)"),
                percent_axis(),
                rx.recharts.legend(),
                data=InsightsState.category_rows.to(list[dict[str, Any]]),
                height=220,
            ),
            aria_hidden="true",
            width="100%",
        ),
        _alt(InsightsState.categories_text, "categories-text"),
    )


def trend_section() -> rx.Component:
    return page_section(
        "Habit strength",
        percent_line_chart(InsightsState.trend.to(list[dict[str, Any]]), "Average strength %"),
        _alt(InsightsState.trend_text, "trend-text"),
    )


def streaks_section() -> rx.Component:
    return page_section(
        "Streak leaderboard",
        rx.cond(
            InsightsState.streak_rows.length() > 0,
            simple_table(
                ("#", "Habit", "Current", "Best"),
                InsightsState.streak_rows,
                lambda row: (
                    row.rank,
                    rx.table.cell(row.name, overflow_wrap="anywhere"),
                    row.current,
                    row.best,
                ),
                size="1",
                width="100%",
                id="streak-leaderboard",
                aria_label="Streak leaderboard",
            ),
            rx.text("No streaks yet.", color_scheme="gray", size="2"),
        ),
        rx.text(STREAK_RULE_HELP, size="1", color_scheme="gray", margin_top="2"),
    )


def _cell(cell: rx.Var[Cell]) -> rx.Component:
    return rx.box(
        title=cell.label,
        width=CELL,
        height=CELL,
        border_radius="2px",
        background=cell.fill,
    )


def heatmap_section() -> rx.Component:
    return page_section(
        "Year at a glance",
        # Right-to-left scrolling keeps the latest weeks in view on narrow screens.
        rx.box(
            rx.el.div(
                rx.foreach(InsightsState.heatmap, _cell),
                id="year-heatmap",
                aria_hidden="true",
                style={
                    "display": "grid",
                    "grid_template_rows": f"repeat(7, {CELL})",
                    "grid_auto_flow": "column",
                    "grid_auto_columns": CELL,
                    "gap": "2px",
                    "direction": "ltr",
                    "width": "max-content",
                },
            ),
            overflow_x="auto",
            max_width="100%",
            style={"direction": "rtl"},
            padding_y="1",
        ),
        _alt(InsightsState.heatmap_text, "heatmap-text"),
    )


def hours_section() -> rx.Component:
    return page_section(
        "When you check in",
        rx.box(
            rx.el.div(
                rx.box(),
                *(rx.text(f"{hour:02d}:00", size="1", grid_column="span 6") for hour in range(0, 24, 6)),
                *(
                    item
                    for weekday in range(7)
                    for item in (
                        rx.text(WEEKDAY_ABBREVIATIONS[weekday], size="1"),
                        rx.foreach(
                            InsightsState.hours[weekday * 24 : weekday * 24 + 24],
                            _cell,
                        ),
                    )
                ),
                aria_hidden="true",
                id="hour-pattern",
                style={
                    "display": "grid",
                    "grid_template_columns": f"2.5em repeat(24, {CELL})",
                    "gap": "2px",
                    "align_items": "center",
                    "width": "max-content",
                },
            ),
            overflow_x="auto",
            max_width="100%",
        ),
        _alt(InsightsState.hours_text, "hours-text"),
    )


def mood_section() -> rx.Component:
    return page_section(
        "Mood and completion",
        rx.box(
            rx.recharts.bar_chart(
                rx.recharts.bar(
                    data_key="percent",
                    name="Habits done %",
                    fill="var(--accent-9)",
                    is_animation_active=False,
                ),
                rx.recharts.x_axis(data_key="mood", stroke="var(--gray-11)"),
                percent_axis(),
                data=InsightsState.mood.to(list[dict[str, Any]]),
                height=180,
            ),
            aria_hidden="true",
            width="100%",
        ),
        _alt(InsightsState.mood_text, "mood-text"),
    )


def insights_page() -> rx.Component:
    return page_frame(
        rx.vstack(
            rx.heading("Insights", size="7", as_="h1"),
            window_picker(),
            rx.cond(
                InsightsState.loading & (InsightsState.window_label == ""),
                rx.spinner(size="3", aria_label="Loading"),
                rx.cond(
                    InsightsState.error != "",
                    rx.callout(
                        InsightsState.error, icon="triangle_alert", color_scheme="red", id="insights-error"
                    ),
                    rx.cond(
                        InsightsState.has_habits,
                        rx.vstack(
                            overview(),
                            habits_section(),
                            categories_section(),
                            trend_section(),
                            streaks_section(),
                            heatmap_section(),
                            hours_section(),
                            mood_section(),
                            spacing="5",
                            width="100%",
                            id="insights",
                            aria_busy=InsightsState.loading,
                        ),
                        rx.text(
                            "No habits yet. Add one on Today and check in to see insights here.",
                            color_scheme="gray",
                            id="empty-insights",
                        ),
                    ),
                ),
            ),
            spacing="4",
            width="100%",
            padding_bottom="6",
        )
    )
