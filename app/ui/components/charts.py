"""Chart pieces shared by the habit detail and insights pages (recharts through Reflex)."""

from __future__ import annotations

from typing import Any

import reflex as rx


def percent_axis() -> rx.Component:
    return rx.recharts.y_axis(domain=[0, 100], unit="%", width=48, stroke="var(--gray-11)")


def percent_line_chart(data: Any, series_name: str) -> rx.Component:
    """A 0-100 % line over `label` points (`percent` values); hidden from screen readers,
    since every chart sits next to its text alternative."""
    return rx.box(
        rx.recharts.line_chart(
            rx.recharts.cartesian_grid(stroke_dasharray="3 3", stroke="var(--gray-a5)"),
            rx.recharts.line(
                data_key="percent",
                name=series_name,
                stroke="var(--accent-9)",
                dot=False,
                is_animation_active=False,
            ),
            rx.recharts.x_axis(data_key="label", min_tick_gap=24, stroke="var(--gray-11)"),
            percent_axis(),
            rx.recharts.graphing_tooltip(),
            data=data,
            height=220,
        ),
        aria_hidden="true",
        width="100%",
    )
