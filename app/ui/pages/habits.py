"""Habits: Create, edit, archive, reorder and delete habits."""

from __future__ import annotations

import reflex as rx

from app.ui.components.layout import page_frame
from app.ui.states.session import SIGN_IN_ROUTE, SessionState

ROUTE = "/habits"


class HabitsState(rx.State):
    @rx.event
    async def load(self):
        session = await self.get_state(SessionState)
        if await session.current_principal() is None:
            return rx.redirect(SIGN_IN_ROUTE)
        return None


def habits_page() -> rx.Component:
    return page_frame(rx.heading("Habits", size="7", as_="h1"))
