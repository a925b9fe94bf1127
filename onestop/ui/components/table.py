"""A table under a header row of catalog keys, in a box that scrolls on narrow screens.

Why one helper: the admin lists, the officer's timeline, the dashboard's dossier list and
the catalog import's reports each built the same header-row-of-keys + foreach body + scrolling
box; a phone at 360 px needs the box in every one of them, so it lives in one place.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import reflex as rx

from onestop.ui.i18n import tr


def header_table(
    headers: Sequence[str],
    rows: rx.Var,
    row: Callable[[rx.Var], rx.Component],
    *,
    box: dict | None = None,
    **table_props,  # noqa: ANN003
) -> rx.Component:
    """`box` styles the scrolling box (default: full width, scrolls sideways); `table_props` the table."""
    return rx.box(
        rx.table.root(
            rx.table.header(rx.table.row(*(rx.table.column_header_cell(tr(h)) for h in headers))),
            rx.table.body(rx.foreach(rows, row)),
            width="100%",
            **table_props,
        ),
        **(box or {"overflow_x": "auto", "width": "100%"}),
    )
