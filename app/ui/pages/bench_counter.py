"""A trivial counter: the baseline event `make bench` compares a check-in against.

Registered only outside production (app/app.py), so operators never serve it.
"""

from __future__ import annotations

import reflex as rx

ROUTE = "/bench/counter"


class CounterState(rx.State):
    count: int = 0

    @rx.event
    def increment(self) -> None:
        self.count += 1


def counter_page() -> rx.Component:
    return rx.container(
        rx.button("Increment", on_click=CounterState.increment, id="increment"),
        rx.text(CounterState.count, id="count"),
    )
