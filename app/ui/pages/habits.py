"""Habits: create, edit, archive/unarchive, delete, reorder and filter every habit by category."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import reflex as rx

from app.db.engine import run_in_session
from app.domain.entries import HabitKind, TargetDirection
from app.domain.habit_definition import InvalidHabit
from app.services import habit_catalog, habits
from app.services.errors import ServiceError
from app.services.habit_catalog import CatalogHabit
from app.services.principals import Principal
from app.ui.components.habit_form import (
    FormValues,
    HabitFormState,
    definition_from_form,
    form_values_of,
    habit_form_dialog,
)
from app.ui.components.layout import page_frame
from app.ui.states.session import SIGN_IN_ROUTE, SessionState

ROUTE = "/habits"
ALL_CATEGORIES = "__all__"
NO_CATEGORY = "__none__"


@dataclass
class CatalogRow:
    habit_id: int
    name: str
    question: str
    category: str
    color: str
    details: str
    archived: bool
    check_ins: str
    href: str


def _details(habit: CatalogHabit) -> str:
    parts = [habit.schedule_label]
    if habit.kind is HabitKind.MEASURABLE and habit.target is not None:
        direction = "at least" if habit.direction is TargetDirection.AT_LEAST else "at most"
        parts.append(f"{direction} {habit.target:g} {habit.unit}".strip())
    if habit.target_time is not None:
        parts.append(f"around {habit.target_time.strftime('%H:%M')}")
    parts.append(f"difficulty {habit.difficulty}/5")
    return " · ".join(parts)


def _row(habit: CatalogHabit) -> CatalogRow:
    noun = "check-in" if habit.entry_count == 1 else "check-ins"
    return CatalogRow(
        habit_id=habit.habit_id,
        name=habit.name,
        question=habit.question,
        category=habit.category,
        color=habit.color,
        details=_details(habit),
        archived=habit.archived,
        check_ins=f"{habit.entry_count} {noun}",
        href=f"/habits/{habit.habit_id}",
    )


class HabitsState(rx.State):
    rows: list[CatalogRow] = []
    categories: list[str] = []
    category_filter: str = ALL_CATEGORIES
    loading: bool = True
    load_error: str = ""
    delete_open: bool = False
    delete_message: str = ""
    # Backend-only: the habit the open confirmation is about.
    _delete_id: int = 0

    def _matches(self, row: CatalogRow) -> bool:
        if self.category_filter == ALL_CATEGORIES:
            return True
        if self.category_filter == NO_CATEGORY:
            return row.category == ""
        return row.category == self.category_filter

    @rx.var
    def active_rows(self) -> list[CatalogRow]:
        return [row for row in self.rows if not row.archived and self._matches(row)]

    @rx.var
    def archived_rows(self) -> list[CatalogRow]:
        return [row for row in self.rows if row.archived and self._matches(row)]

    @rx.var
    def has_uncategorised(self) -> bool:
        return any(row.category == "" for row in self.rows)

    async def _principal(self) -> Principal | None:
        session = await self.get_state(SessionState)
        return await session.current_principal()

    async def _reload(self, principal: Principal) -> None:
        def read(db):
            return habit_catalog.list_catalog(db, principal), habit_catalog.categories(db, principal)

        found, names = await run_in_session(read)
        self.rows = [_row(habit) for habit in found]
        self.categories = names
        if self.category_filter not in (ALL_CATEGORIES, NO_CATEGORY, *names):
            self.category_filter = ALL_CATEGORIES
        self.loading = False
        self.load_error = ""

    @rx.event
    async def load(self):
        principal = await self._principal()
        if principal is None:
            return rx.redirect(SIGN_IN_ROUTE)
        # State outlives a reload: start with no dialog open.
        (await self.get_state(HabitFormState))._close()
        self.delete_open, self._delete_id = False, 0
        try:
            await self._reload(principal)
        except ServiceError as error:
            self.loading = False
            self.load_error = str(error)
            return rx.toast.error(str(error))
        return None

    @rx.event
    def set_category_filter(self, value: str) -> None:
        self.category_filter = str(value)

    @rx.event
    async def new_habit(self):
        principal = await self._principal()
        if principal is None:
            return rx.redirect(SIGN_IN_ROUTE)
        form = await self.get_state(HabitFormState)
        form._show(None, FormValues(), self.categories)
        return None

    @rx.event
    async def edit_habit(self, habit_id: int):
        principal = await self._principal()
        if principal is None:
            return rx.redirect(SIGN_IN_ROUTE)
        target = int(habit_id)
        try:
            definition = await run_in_session(lambda db: habit_catalog.definition_for(db, principal, target))
        except ServiceError as error:
            return rx.toast.error(str(error))
        form = await self.get_state(HabitFormState)
        form._show(target, form_values_of(definition), self.categories)
        return None

    @rx.event
    async def save_habit(self, form_data: dict[str, str]):
        principal = await self._principal()
        if principal is None:
            return rx.redirect(SIGN_IN_ROUTE)
        form = await self.get_state(HabitFormState)
        try:
            definition = definition_from_form(form_data)
        except InvalidHabit as error:
            return rx.toast.error(str(error))
        habit_id = form._editing_id()

        def write(db):
            if habit_id is None:
                habits.create_defined_habit(db, principal, definition)
            else:
                habits.update_habit(db, principal, habit_id, definition)

        try:
            await run_in_session(write)
        except ServiceError as error:
            return rx.toast.error(str(error))
        form._close()
        await self._reload(principal)
        return rx.toast.success(f"Saved “{definition.name}”.")

    @rx.event
    async def set_archived(self, habit_id: int, archived: bool):
        principal = await self._principal()
        if principal is None:
            return rx.redirect(SIGN_IN_ROUTE)
        target, archive = int(habit_id), bool(archived)
        try:
            await run_in_session(lambda db: habits.set_archived(db, principal, target, archive))
        except ServiceError as error:
            return rx.toast.error(str(error))
        await self._reload(principal)
        return rx.toast.success("Archived: hidden from Today." if archive else "Back on Today.")

    @rx.event
    async def move(self, habit_id: int, step: int):
        """Move past the neighbouring habit shown (the filter may hide habits in between)."""
        principal = await self._principal()
        if principal is None:
            return rx.redirect(SIGN_IN_ROUTE)
        target = int(habit_id)
        shown = [row.habit_id for row in self.active_rows]
        ordered = [row.habit_id for row in self.rows]
        if target not in shown:
            return None
        neighbour = shown.index(target) + (1 if int(step) > 0 else -1)
        if not 0 <= neighbour < len(shown):
            return None
        offset = ordered.index(shown[neighbour]) - ordered.index(target)
        try:
            await run_in_session(lambda db: habits.move_habit(db, principal, target, offset))
        except ServiceError as error:
            return rx.toast.error(str(error))
        await self._reload(principal)
        return None

    @rx.event
    async def ask_delete(self, habit_id: int):
        principal = await self._principal()
        if principal is None:
            return rx.redirect(SIGN_IN_ROUTE)
        target = int(habit_id)
        try:
            message = await run_in_session(lambda db: habit_catalog.deletion_warning(db, principal, target))
        except ServiceError as error:
            return rx.toast.error(str(error))
        self._delete_id = target
        self.delete_message = message
        self.delete_open = True
        return None

    @rx.event
    def set_delete_open(self, value: bool) -> None:
        self.delete_open = bool(value)
        if not self.delete_open:
            self._delete_id = 0

    @rx.event
    async def confirm_delete(self):
        principal = await self._principal()
        if principal is None:
            return rx.redirect(SIGN_IN_ROUTE)
        target = self._delete_id
        self.delete_open = False
        self._delete_id = 0
        if not target:
            return None
        try:
            lost = await run_in_session(lambda db: habits.delete_habit(db, principal, target))
        except ServiceError as error:
            return rx.toast.error(str(error))
        await self._reload(principal)
        noun = "check-in" if lost == 1 else "check-ins"
        return rx.toast.success(f"Deleted, with {lost} {noun}.")


def _icon_button(icon: str, label: rx.Var, on_click: Any, disabled: rx.Var | bool = False) -> rx.Component:
    return rx.icon_button(
        rx.icon(icon, size=16),
        variant="soft",
        size="2",
        aria_label=label,
        title=label,
        on_click=on_click,
        disabled=disabled,
    )


def _row_actions(row: rx.Var[CatalogRow], index: rx.Var[int] | None) -> rx.Component:
    name = row.name.to(str)
    moves = []
    if index is not None:
        last = HabitsState.active_rows.length() - 1
        moves = [
            _icon_button("arrow-up", "Move up: " + name, HabitsState.move(row.habit_id, -1), index == 0),
            _icon_button(
                "arrow-down", "Move down: " + name, HabitsState.move(row.habit_id, 1), index == last
            ),
        ]
    return rx.flex(
        *moves,
        _icon_button("pencil", "Edit: " + name, HabitsState.edit_habit(row.habit_id)),
        rx.cond(
            row.archived,
            _icon_button(
                "archive-restore", "Unarchive: " + name, HabitsState.set_archived(row.habit_id, False)
            ),
            _icon_button("archive", "Archive: " + name, HabitsState.set_archived(row.habit_id, True)),
        ),
        _icon_button("trash-2", "Delete: " + name, HabitsState.ask_delete(row.habit_id)),
        spacing="2",
        wrap="wrap",
        align="center",
    )


def catalog_row(row: rx.Var[CatalogRow], index: rx.Var[int] | None = None) -> rx.Component:
    return rx.card(
        rx.flex(
            rx.box(
                rx.link(row.name, href=row.href, size="4", weight="medium", class_name="catalog-name"),
                rx.cond(row.question != "", rx.text(row.question, size="2", color_scheme="gray")),
                rx.text(row.details, size="1", color_scheme="gray", class_name="catalog-details"),
                rx.flex(
                    rx.cond(row.category != "", rx.badge(row.category, variant="soft")),
                    rx.badge(row.check_ins, variant="outline", color_scheme="gray"),
                    rx.cond(row.archived, rx.badge("Archived", color_scheme="gray")),
                    spacing="2",
                    wrap="wrap",
                    margin_top="1",
                ),
                flex_grow="1",
                min_width="0",
                overflow_wrap="anywhere",
            ),
            _row_actions(row, index),
            spacing="3",
            wrap="wrap",
            align="center",
            justify="between",
        ),
        width="100%",
        class_name="catalog-row",
        border_left=f"4px solid var(--{row.color}-9)",
        opacity=rx.cond(row.archived, "0.75", "1"),
    )


def _category_filter() -> rx.Component:
    return rx.select.root(
        rx.select.trigger(aria_label="Filter by category", id="category-filter"),
        rx.select.content(
            rx.select.item("All categories", value=ALL_CATEGORIES),
            rx.foreach(HabitsState.categories, lambda name: rx.select.item(name, value=name)),
            rx.cond(HabitsState.has_uncategorised, rx.select.item("No category", value=NO_CATEGORY)),
        ),
        value=HabitsState.category_filter,
        on_change=HabitsState.set_category_filter,
    )


def _delete_dialog() -> rx.Component:
    return rx.alert_dialog.root(
        rx.alert_dialog.content(
            rx.alert_dialog.title("Delete habit"),
            rx.alert_dialog.description(HabitsState.delete_message, id="delete-message"),
            rx.flex(
                rx.alert_dialog.cancel(rx.button("Keep it", variant="soft", color_scheme="gray")),
                rx.alert_dialog.action(
                    rx.button("Delete forever", color_scheme="red", on_click=HabitsState.confirm_delete)
                ),
                spacing="3",
                justify="end",
                margin_top="4",
                wrap="wrap",
            ),
        ),
        open=HabitsState.delete_open,
        on_open_change=HabitsState.set_delete_open,
    )


def _lists() -> rx.Component:
    return rx.vstack(
        rx.cond(
            HabitsState.active_rows.length() > 0,
            rx.vstack(rx.foreach(HabitsState.active_rows, catalog_row), width="100%", id="active-habits"),
            rx.text("No active habits here.", color_scheme="gray", id="no-active-habits"),
        ),
        rx.cond(
            HabitsState.archived_rows.length() > 0,
            rx.vstack(
                rx.heading("Archived", size="4", as_="h2", margin_top="3"),
                rx.text("Archived habits are hidden from Today; their history is kept.", size="2"),
                rx.foreach(HabitsState.archived_rows, lambda row: catalog_row(row)),
                width="100%",
                id="archived-habits",
            ),
        ),
        width="100%",
        spacing="3",
    )


def habits_page() -> rx.Component:
    return page_frame(
        rx.vstack(
            rx.flex(
                rx.heading("Habits", size="7", as_="h1"),
                rx.spacer(),
                rx.button(
                    rx.icon("plus", size=16), "New habit", on_click=HabitsState.new_habit, id="new-habit"
                ),
                width="100%",
                align="center",
                spacing="3",
                wrap="wrap",
            ),
            rx.cond(
                HabitsState.loading,
                rx.spinner(size="3", aria_label="Loading"),
                rx.cond(
                    HabitsState.load_error != "",
                    rx.callout(HabitsState.load_error, color_scheme="red", role="alert"),
                    rx.cond(
                        HabitsState.rows.length() > 0,
                        rx.vstack(
                            rx.flex(
                                rx.text("Category", as_="div", size="2"),
                                _category_filter(),
                                spacing="2",
                                align="center",
                            ),
                            _lists(),
                            width="100%",
                            spacing="3",
                        ),
                        rx.text(
                            "No habits yet. Create your first one with “New habit”.",
                            color_scheme="gray",
                            id="empty-habits",
                        ),
                    ),
                ),
            ),
            habit_form_dialog(HabitsState.save_habit),
            _delete_dialog(),
            spacing="4",
            width="100%",
        )
    )
