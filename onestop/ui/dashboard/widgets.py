"""Shared pieces of the dashboard pages: a bilingual table with downloads, a chart with its table alternative.

Why every chart sits above a <details> table: a chart is a picture to a screen
reader; the same numbers as a table are the accessible version (and the one the
CSV/Excel downloads hold).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

import reflex as rx
from reflex_base.event import EventSpec

from onestop import clock
from onestop.services.actor import Actor
from onestop.ui.components.styles import INLINE_ICON, full, spaced
from onestop.ui.i18n import LangState, bi, tr
from onestop.ui.offload import off_loop
from onestop.ui.routes import DASHBOARD
from onestop.ui.session import gate

View = TypeVar("View")


async def leader_read(
    state: rx.State, load: Callable[[Actor, dict[str, str], datetime], View]
) -> tuple[View | None, EventSpec | None]:
    """A dashboard page's load: gate it, then the view `load` reads for the period and scope in the URL's query.

    Returns (view, None); (None, redirect) when the page is refused (see session.gate). The query carries the
    whole view, so a bookmarked or forwarded link shows the same numbers."""
    actor, redirect = await gate(state, DASHBOARD)
    if actor is None:
        return None, redirect
    params = {k: str(v) for k, v in state.router.url.query_parameters.items()}
    return await off_loop(load, actor, params, clock.now()), None


def cell_text(cell: rx.Var) -> rx.Var:
    return bi(cell[0], cell[1])


def back_link(key: str, href: rx.Var | str, **style: str) -> rx.Component:
    """Up one level of the dashboard (the drill-down to the index, a center to the province)."""
    return rx.link(rx.icon("arrow-left", size=16), tr(key), href=href, size="3", **INLINE_ICON, **style)


def _download(icon: str, key: str, href: rx.Var) -> rx.Component:
    """A plain <a download>: the router's link would navigate inside the app instead of fetching the file."""
    return rx.el.a(
        rx.icon(icon, size=16),
        tr(key),
        href=href + "&lang=" + LangState.ui_lang,
        download="",
        display="inline-flex",
        align_items="center",
        gap="4px",
        color="var(--accent-11)",
        font_size="14px",
    )


def data_table(table: rx.Var, *, downloads: bool = True, links: bool = True) -> rx.Component:
    """A ScreenTable var: headers and cells in the chosen language; the first cell links where the row has a URL."""

    def row(r: rx.Var) -> rx.Component:
        first = cell_text(r.cells[0])
        head = (
            rx.cond(r.href != "", rx.link(first, href=r.href, weight="medium"), rx.text(first))
            if links
            else rx.text(first)
        )
        return rx.table.row(
            rx.table.row_header_cell(head, min_width="160px"),
            rx.foreach(
                r.cells[1:],
                lambda c, i: rx.table.cell(
                    cell_text(c),
                    text_align=rx.cond(table.numeric[i + 1], "right", "left"),
                    white_space=rx.cond(table.numeric[i + 1], "nowrap", "normal"),
                    min_width=rx.cond(table.numeric[i + 1], "auto", "120px"),
                ),
            ),
        )

    parts = [
        rx.box(
            rx.table.root(
                rx.table.header(
                    rx.table.row(
                        rx.foreach(
                            table.heads,
                            lambda h, i: rx.table.column_header_cell(
                                cell_text(h), text_align=rx.cond(table.numeric[i], "right", "left")
                            ),
                        )
                    )
                ),
                rx.table.body(rx.foreach(table.rows, row)),
                variant="surface",
                **full("2"),
            ),
            overflow_x="auto",
            width="100%",
        ),
    ]
    if downloads:
        parts.append(
            rx.hstack(
                _download("download", "dash.export_csv", table.csv),
                _download("sheet", "dash.export_xlsx", table.xlsx),
                spacing="4",
            )
        )
    return rx.vstack(*parts, spacing="2", width="100%")


def titled_table(table: rx.Var, **props) -> rx.Component:  # noqa: ANN003
    return rx.vstack(
        rx.heading(cell_text(table.title), as_="h2", size="5", weight="bold"),
        data_table(table, **props),
        **spaced("2"),
        margin_top="24px",
    )


def chart_with_table(title_key: str, chart: rx.Component, table: rx.Var, **props) -> rx.Component:  # noqa: ANN003
    """The chart (hidden from screen readers) and the same figures as a table one click away."""
    return rx.vstack(
        rx.heading(tr(title_key), as_="h2", size="5", weight="bold"),
        rx.box(chart, width="100%", height="280px", aria_hidden="true"),
        rx.el.details(
            rx.el.summary(tr("dash.show_table"), cursor="pointer"),
            data_table(table, **props),
        ),
        **spaced("2"),
        margin_top="24px",
    )
