"""Today: habits grouped by category, one click to check in, skip or undo, details on demand."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

import reflex as rx
from reflex.experimental.client_state import ClientStateVar
from sqlmodel import Session

from app.auth.sessions import resolve_session
from app.config import get_settings
from app.db.engine import run_in_session
from app.domain.entries import EntryKind, HabitKind
from app.domain.streaks import STREAK_RULE_HELP
from app.services import habits
from app.services.errors import ServiceError
from app.services.habits import EntryDetails, TodayHabit
from app.services.principals import Principal
from app.ui.components.layout import page_frame
from app.ui.states.session import SIGN_IN_ROUTE, SessionState, session_id_from_cookie_header

ROUTE = "/"
UNCATEGORISED = "Other"
NOT_DUE = "Not due today"


@dataclass
class HabitRow:
    habit_id: int
    name: str
    question: str
    color: str
    category_header: str  # set on the first habit of each category, else ""
    measurable: bool
    unit: str
    target_label: str
    scheduled: bool
    status: str  # "done", "skipped", "not_done" or "" when nothing is recorded
    amount: str
    streak: int
    strength_percent: int
    # Which server answer this row reflects; a click's optimistic look lasts until it changes.
    revision: int


def _format_amount(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def _group(habit: TodayHabit) -> str:
    if not habit.scheduled_today:
        return NOT_DUE
    return habit.category or UNCATEGORISED


def _rows(found: list[TodayHabit], revision: int) -> list[HabitRow]:
    """Habits due today grouped by category (in order of first appearance, manual order
    inside), then the ones a weekday schedule doesn't ask for today, in a group of their own."""
    order: dict[str, int] = {}
    for habit in sorted(found, key=lambda h: not h.scheduled_today):
        order.setdefault(_group(habit), len(order))
    ranked = sorted(enumerate(found), key=lambda item: (order[_group(item[1])], item[0]))
    rows, previous = [], None
    for _, habit in ranked:
        category = _group(habit)
        header = category if category != previous and len(order) > 1 else ""
        rows.append(_row(habit, header, revision))
        previous = category
    return rows


def _row(habit: TodayHabit, category_header: str, revision: int) -> HabitRow:
    target = "" if habit.target is None else f"target {habit.target:g} {habit.unit}".strip()
    return HabitRow(
        habit_id=habit.habit_id,
        name=habit.name,
        question=habit.question,
        color=habit.color,
        category_header=category_header,
        measurable=habit.kind is HabitKind.MEASURABLE,
        unit=habit.unit,
        target_label=target,
        scheduled=habit.scheduled_today,
        status=habit.entry_kind.value if habit.entry_kind else "",
        amount=_format_amount(habit.entry_value),
        streak=habit.current_streak,
        strength_percent=round(habit.strength * 100),
        revision=revision,
    )


class TodayState(rx.State):
    rows: list[HabitRow] = []
    loading: bool = True
    new_habit_name: str = ""
    _revision: int = 0  # counts server answers, so every answer gives its rows a new revision

    @rx.var
    def done_count(self) -> int:
        return sum(row.status == "done" for row in self.rows)

    @rx.var
    def due_count(self) -> int:
        return sum(row.scheduled for row in self.rows)

    async def _principal(self) -> Principal | None:
        session = await self.get_state(SessionState)
        return await session.current_principal()

    async def _reload(self, principal: Principal) -> None:
        today = habits.today_for(principal, datetime.now(UTC))
        found = await run_in_session(lambda db: habits.list_today(db, principal, today))
        self._revision += 1
        self.rows = _rows(found, self._revision)
        self.loading = False

    @rx.event
    async def load(self):
        principal = await self._principal()
        if principal is None:
            return rx.redirect(SIGN_IN_ROUTE)
        await self._reload(principal)
        return None

    @rx.event
    def set_new_habit_name(self, value: str) -> None:
        self.new_habit_name = value

    @rx.event
    async def create_habit(self, form_data: dict[str, str]):
        principal = await self._principal()
        if principal is None:
            return rx.redirect(SIGN_IN_ROUTE)
        name = str(form_data.get("name", ""))
        try:
            await run_in_session(lambda db: habits.create_habit(db, principal, name))
        except ServiceError as error:
            return rx.toast.error(str(error))
        self.new_habit_name = ""
        await self._reload(principal)
        return rx.toast.success("Habit added.")

    async def _record(self, habit_id: int, details: EntryDetails | None):
        """Record (or with None, clear) today's entry; the server decides what "today" is.

        One trip to the database thread: resolve the session, write, and recompute only this
        habit's row, so a check-in costs the same whatever the number of habits.
        """
        session_id = session_id_from_cookie_header(self.router.headers.cookie)
        settings, now, target = get_settings(), datetime.now(UTC), int(habit_id)

        def write(db: Session) -> TodayHabit | None:
            principal = resolve_session(db, session_id, settings=settings, now=now)
            if principal is None:
                return None
            return habits.record_today(db, principal, target, habits.today_for(principal, now), details)

        self._revision += 1
        try:
            updated = await run_in_session(write)
        except ServiceError as error:
            # A new revision also ends the click's optimistic look: the row shows what is stored.
            self._answered(target, lambda row: dataclasses.replace(row, revision=self._revision))
            return rx.toast.error(str(error))
        if updated is None:
            return rx.redirect(SIGN_IN_ROUTE)
        self._answered(target, lambda row: _row(updated, row.category_header, self._revision))
        return None

    def _answered(self, habit_id: int, answer: Callable[[HabitRow], HabitRow]) -> None:
        self.rows = [answer(row) if row.habit_id == habit_id else row for row in self.rows]

    def _status_of(self, habit_id: int) -> str:
        return next((row.status for row in self.rows if row.habit_id == habit_id), "")

    @rx.event
    async def toggle_done(self, habit_id: int):
        done = self._status_of(int(habit_id)) == "done"
        return await self._record(habit_id, None if done else EntryDetails(EntryKind.DONE))

    @rx.event
    async def toggle_skip(self, habit_id: int):
        skipped = self._status_of(int(habit_id)) == "skipped"
        return await self._record(habit_id, None if skipped else EntryDetails(EntryKind.SKIPPED))

    @rx.event
    async def save_amount(self, habit_id: int, text: str):
        text = str(text).strip()
        if not text:
            return await self._record(habit_id, None)
        try:
            value = float(text.replace(",", "."))
        except ValueError:
            return rx.toast.error(f"{text!r} is not a number.")
        return await self._record(habit_id, EntryDetails(EntryKind.DONE, value=value))

    @rx.event
    async def save_details(self, form_data: dict[str, str]):
        try:
            habit_id = int(form_data.get("habit_id", ""))
            mood = int(form_data["mood"]) if form_data.get("mood") else None
            felt = int(form_data["felt_difficulty"]) if form_data.get("felt_difficulty") else None
        except ValueError:
            return rx.toast.error("Mood and difficulty are numbers from 1 to 5.")
        row = next((r for r in self.rows if r.habit_id == habit_id), None)
        kind = EntryKind(row.status) if row and row.status else EntryKind.DONE
        amount = float(row.amount) if row and row.amount else None
        details = EntryDetails(kind, amount, str(form_data.get("note", "")), mood, felt)
        return await self._record(habit_id, details)


# The row builders below take `row`: a HabitRow's fields as Vars (the props of `habit_card`).


def _rating_select(name: str, label: str) -> rx.Component:
    return rx.el.label(
        rx.text(label, size="2"),
        rx.select(["1", "2", "3", "4", "5"], name=name, placeholder="–", aria_label=label),
        display="flex",
        flex_direction="column",
        gap="0.25rem",
    )


def details_popover(row: Any) -> rx.Component:
    return rx.popover.root(
        rx.popover.trigger(
            rx.icon_button(
                rx.icon("notebook-pen"), variant="ghost", aria_label="Details: " + row.name.to(str)
            )
        ),
        rx.popover.content(
            rx.form(
                rx.vstack(
                    rx.el.input(type="hidden", name="habit_id", value=row.habit_id.to(str)),
                    rx.text_area(
                        name="note", placeholder="Note (optional)", aria_label="Note", max_length=1000
                    ),
                    rx.hstack(
                        _rating_select("mood", "Mood"), _rating_select("felt_difficulty", "Felt difficulty")
                    ),
                    rx.popover.close(rx.button("Save", type="submit")),
                    spacing="2",
                ),
                on_submit=TodayState.save_details,
                reset_on_submit=True,
            ),
        ),
    )


def _status_badge(row: Any) -> rx.Component:
    return rx.match(
        row.status,
        ("done", rx.badge("Done", color_scheme="green")),
        ("skipped", rx.badge("Skipped", color_scheme="gray")),
        rx.cond(row.scheduled, rx.badge("Due", variant="outline"), rx.badge("Not due today", variant="soft")),
    )


def _check_control(row: Any) -> rx.Component:
    return rx.cond(
        row.measurable,
        rx.input(
            default_value=row.amount,
            placeholder=row.unit,
            type="number",
            min=0,
            step="any",
            width="6em",
            aria_label="Amount today: " + row.name.to(str),
            on_blur=lambda text: TodayState.save_amount(row.habit_id, text),
            class_name="habit-amount",
        ),
        done_checkbox(habit_id=row.habit_id, name=row.name, status=row.status, revision=row.revision),
    )


@rx.memo
def done_checkbox(
    habit_id: rx.Var[int], name: rx.Var[str], status: rx.Var[str], revision: rx.Var[int]
) -> rx.Component:
    """Checked the moment it is clicked; the server's answer (a new revision) then decides.

    The click's wish is kept in this small component's own React state (so only the box
    re-renders) as "<revision>:<1 or 0>", which only applies while the row still has that
    revision, so the answer, or a refusal, replaces it.
    """
    wish = ClientStateVar.create("done_wish", default="", global_ref=False)
    wished = revision.to(str) + ":"
    checked = rx.cond(
        wish.value == wished + "1", True, rx.cond(wish.value == wished + "0", False, status == "done")
    )
    return rx.checkbox(
        checked=checked,
        on_change=lambda _checked: [
            wish.set_value(wished + rx.cond(checked, "0", "1")),
            TodayState.toggle_done(habit_id),
        ],
        size="3",
        aria_label="Done today: " + name.to(str),
        class_name="habit-check",
    )


ROW_FIELDS = tuple(field.name for field in dataclasses.fields(HabitRow))


def habit_row(row: rx.Var[HabitRow]) -> rx.Component:
    """Each field as its own prop: React then skips re-rendering rows whose values did not change."""
    return habit_card(**{name: getattr(row, name) for name in ROW_FIELDS})


@rx.memo
def habit_card(
    habit_id: rx.Var[int],
    name: rx.Var[str],
    question: rx.Var[str],
    color: rx.Var[str],
    category_header: rx.Var[str],
    measurable: rx.Var[bool],
    unit: rx.Var[str],
    target_label: rx.Var[str],
    scheduled: rx.Var[bool],
    status: rx.Var[str],
    amount: rx.Var[str],
    streak: rx.Var[int],
    strength_percent: rx.Var[int],
    revision: rx.Var[int],
) -> rx.Component:
    row = SimpleNamespace(
        habit_id=habit_id,
        name=name,
        question=question,
        color=color,
        category_header=category_header,
        measurable=measurable,
        unit=unit,
        target_label=target_label,
        scheduled=scheduled,
        status=status,
        amount=amount,
        streak=streak,
        strength_percent=strength_percent,
        revision=revision,
    )
    return rx.fragment(
        rx.cond(
            row.category_header != "", rx.heading(row.category_header, size="4", margin_top="3", as_="h2")
        ),
        rx.card(
            rx.flex(
                _check_control(row),
                rx.box(
                    rx.link(
                        rx.text(row.name, size="4", weight="medium", class_name="habit-name"),
                        href="/habits/" + row.habit_id.to(str),
                        color_scheme="gray",
                        high_contrast=True,
                    ),
                    rx.cond(row.question != "", rx.text(row.question, size="2", color_scheme="gray")),
                    rx.cond(row.target_label != "", rx.text(row.target_label, size="1", color_scheme="gray")),
                    flex_grow="1",
                    min_width="8em",
                ),
                rx.hstack(
                    rx.tooltip(
                        rx.badge(
                            rx.icon("flame", size=14),
                            row.streak.to(str),
                            variant="soft",
                            color_scheme="orange",
                        ),
                        content=STREAK_RULE_HELP,
                    ),
                    rx.badge(row.strength_percent.to(str) + "%", variant="soft", aria_label="Habit strength"),
                    _status_badge(row),
                    rx.button(
                        rx.cond(row.status == "skipped", "Unskip", "Skip"),
                        variant="ghost",
                        size="1",
                        on_click=TodayState.toggle_skip(row.habit_id),
                        aria_label="Skip today: " + row.name.to(str),
                    ),
                    details_popover(row),
                    align="center",
                    wrap="wrap",
                ),
                align="center",
                spacing="3",
                wrap="wrap",
            ),
            width="100%",
            class_name="habit-row",
            custom_attrs={"data-revision": row.revision},
            border_left=f"4px solid var(--{row.color}-9)",
        ),
    )


def new_habit_form() -> rx.Component:
    return rx.form(
        rx.hstack(
            rx.input(
                name="name",
                placeholder="New habit, e.g. Read 10 pages",
                value=TodayState.new_habit_name,
                on_change=TodayState.set_new_habit_name,
                aria_label="New habit name",
                id="new-habit-name",
                width="100%",
            ),
            rx.button("Add habit", type="submit", id="add-habit"),
            width="100%",
        ),
        on_submit=TodayState.create_habit,
        width="100%",
    )


def today_page() -> rx.Component:
    return page_frame(
        rx.vstack(
            rx.heading("Today", size="7", as_="h1"),
            rx.text(
                TodayState.done_count.to(str) + " of " + TodayState.due_count.to(str) + " due habits done"
            ),
            new_habit_form(),
            rx.cond(
                TodayState.loading,
                rx.spinner(size="3", aria_label="Loading"),
                rx.cond(
                    TodayState.rows.length() > 0,
                    rx.vstack(rx.foreach(TodayState.rows, habit_row), width="100%", id="habit-list"),
                    rx.text(
                        "No habits yet. Add your first one above.", color_scheme="gray", id="empty-habits"
                    ),
                ),
            ),
            spacing="4",
            width="100%",
        )
    )
