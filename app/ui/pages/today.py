"""Today: the person's habits with one-click check-in, and a field to add a habit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import reflex as rx

from app.db.engine import run_in_session
from app.services import habits
from app.services.errors import ServiceError
from app.ui.components.layout import page_frame
from app.ui.states.session import SIGN_IN_ROUTE, SessionState

ROUTE = "/"


@dataclass
class HabitRow:
    habit_id: int
    name: str
    done_today: bool


class TodayState(rx.State):
    rows: list[HabitRow] = []
    loading: bool = True
    new_habit_name: str = ""

    async def _principal_or_redirect(self):
        session = await self.get_state(SessionState)
        return await session.current_principal()

    async def _reload(self, principal) -> None:
        today = habits.today_for(principal, datetime.now(UTC))
        found = await run_in_session(lambda db: habits.list_today(db, principal, today))
        self.rows = [HabitRow(h.habit_id, h.name, h.done_today) for h in found]
        self.loading = False

    @rx.event
    async def load(self):
        principal = await self._principal_or_redirect()
        if principal is None:
            return rx.redirect(SIGN_IN_ROUTE)
        await self._reload(principal)
        return None

    @rx.event
    def set_new_habit_name(self, value: str) -> None:
        self.new_habit_name = value

    @rx.event
    async def create_habit(self, form_data: dict[str, str]):
        principal = await self._principal_or_redirect()
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

    @rx.event
    async def toggle_today(self, habit_id: int):
        principal = await self._principal_or_redirect()
        if principal is None:
            return rx.redirect(SIGN_IN_ROUTE)
        today = habits.today_for(principal, datetime.now(UTC))
        done = any(row.habit_id == habit_id and row.done_today for row in self.rows)

        def toggle(db):
            if done:
                habits.undo_check_in(db, principal, int(habit_id), today)
            else:
                habits.check_in(db, principal, int(habit_id), today, today)

        try:
            await run_in_session(toggle)
        except ServiceError as error:
            return rx.toast.error(str(error))
        finally:
            await self._reload(principal)
        return None


def habit_row(row: rx.Var[HabitRow]) -> rx.Component:
    return rx.card(
        rx.hstack(
            rx.checkbox(
                checked=row.done_today,
                on_change=lambda _checked: TodayState.toggle_today(row.habit_id),
                size="3",
                aria_label="Done today: " + row.name.to(str),
                class_name="habit-check",
            ),
            rx.text(row.name, size="4", class_name="habit-name"),
            rx.spacer(),
            rx.cond(
                row.done_today, rx.badge("Done", color_scheme="green"), rx.badge("Due", variant="outline")
            ),
            align="center",
            width="100%",
        ),
        width="100%",
        class_name="habit-row",
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
            rx.heading("Today", size="7"),
            new_habit_form(),
            rx.cond(
                TodayState.loading,
                rx.spinner(size="3"),
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
