"""Building blocks shared by the data-heavy pages: titled sections, headline numbers, tables."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import reflex as rx


def page_section(title: str, *children: rx.Component, **props: Any) -> rx.Component:
    """A region with an h2 heading, so screen readers can jump between parts of a page."""
    return rx.el.section(
        rx.heading(title, size="4", as_="h2", margin_bottom="2"), *children, width="100%", **props
    )


def stat_card(label: str, value: Any, stat_id: str) -> rx.Component:
    """One headline number with its label, sharing a row with others."""
    return rx.card(
        rx.text(label, size="1", color_scheme="gray"),
        rx.text(value, size="5", weight="bold", id=stat_id),
        min_width="8em",
        flex="1",
    )


def simple_table(
    headers: Sequence[str],
    rows: Any,
    cells: Callable[[Any], Sequence[rx.Component | rx.Var[Any]]],
    **props: Any,
) -> rx.Component:
    """A table with one header row and one row per item of the list var `rows`.

    `cells` turns an item into its cells: plain values become `rx.table.cell`s, components are
    taken as cells already (for a cell with its own styling).
    """
    return rx.table.root(
        rx.table.header(rx.table.row(*(rx.table.column_header_cell(label) for label in headers))),
        rx.table.body(rx.foreach(rows, lambda row: rx.table.row(*(_as_cell(cell) for cell in cells(row))))),
        **props,
    )


def _as_cell(content: rx.Component | rx.Var[Any]) -> rx.Component:
    return content if isinstance(content, rx.Component) else rx.table.cell(content)
