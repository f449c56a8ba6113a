"""Admin: every account, with disable/enable. The server refuses non-admins in every event."""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx

from app.db.engine import run_in_session
from app.services import admin
from app.services.errors import ServiceError
from app.services.principals import Principal
from app.ui.components.layout import page_frame
from app.ui.states.session import SIGN_IN_ROUTE, SessionState

ROUTE = "/admin"


@dataclass
class UserRow:
    user_id: int
    display_name: str
    email: str
    role: str
    disabled: bool
    habits: int
    last_seen: str


class AdminState(rx.State):
    users: list[UserRow] = []
    allowed: bool = False
    loading: bool = True

    async def _principal(self) -> Principal | None:
        session = await self.get_state(SessionState)
        return await session.current_principal()

    async def _reload(self, principal: Principal) -> None:
        found = await run_in_session(lambda db: admin.list_users(db, principal))
        self.users = [
            UserRow(
                u.user_id,
                u.display_name,
                u.email,
                u.role,
                u.disabled,
                u.habits,
                u.last_seen.strftime("%Y-%m-%d %H:%M UTC") if u.last_seen else "never",
            )
            for u in found
        ]

    @rx.event
    async def load(self):
        principal = await self._principal()
        if principal is None:
            return rx.redirect(SIGN_IN_ROUTE)
        self.loading = False
        self.allowed = principal.is_admin
        if not self.allowed:
            self.users = []
            return None
        await self._reload(principal)
        return None

    @rx.event
    async def set_disabled(self, user_id: int, disabled: bool):
        principal = await self._principal()
        if principal is None:
            return rx.redirect(SIGN_IN_ROUTE)
        try:
            await run_in_session(
                lambda db: admin.set_user_disabled(db, principal, int(user_id), bool(disabled))
            )
        except ServiceError as error:
            return rx.toast.error(str(error))
        await self._reload(principal)
        return rx.toast.success("Account disabled." if disabled else "Account enabled.")


def user_row(row: rx.Var[UserRow]) -> rx.Component:
    return rx.table.row(
        rx.table.cell(row.display_name),
        rx.table.cell(row.email),
        rx.table.cell(row.role),
        rx.table.cell(row.habits),
        rx.table.cell(row.last_seen),
        rx.table.cell(
            rx.button(
                rx.cond(row.disabled, "Enable", "Disable"),
                size="1",
                variant="soft",
                color_scheme=rx.cond(row.disabled, "green", "red"),
                on_click=AdminState.set_disabled(row.user_id, ~row.disabled),
                aria_label=rx.cond(row.disabled, "Enable ", "Disable ") + row.display_name.to(str),
            )
        ),
    )


def admin_page() -> rx.Component:
    table = rx.box(
        rx.table.root(
            rx.table.header(
                rx.table.row(
                    *(
                        rx.table.column_header_cell(label)
                        for label in ("Name", "Email", "Role", "Habits", "Last seen", "")
                    )
                )
            ),
            rx.table.body(rx.foreach(AdminState.users, user_row)),
            width="100%",
        ),
        overflow_x="auto",
        width="100%",
    )
    return page_frame(
        rx.vstack(
            rx.heading("Admin", size="7", as_="h1"),
            rx.cond(
                AdminState.loading,
                rx.spinner(aria_label="Loading"),
                rx.cond(
                    AdminState.allowed,
                    table,
                    rx.callout("Admins only.", icon="lock", color_scheme="red", id="admins-only"),
                ),
            ),
            width="100%",
        )
    )
