"""Pieces of the public catalog pages: the big search box and a procedure card."""

from __future__ import annotations

from urllib.parse import quote

import reflex as rx

from onestop.ui.components.card import card_link
from onestop.ui.components.styles import full, spaced, top_aligned
from onestop.ui.i18n import bi, tr
from onestop.ui.theme import TAP


def search_box(on_submit: rx.EventHandler, default: rx.Var | str = "", key: rx.Var | str = "") -> rx.Component:
    """One large field and one large button: the first thing a citizen needs."""
    return rx.form(
        rx.flex(
            rx.input(
                rx.input.slot(rx.icon("search", size=24)),
                name="q",
                default_value=default,
                key=key,
                placeholder=tr("home.search_placeholder"),
                aria_label=tr("home.search_label"),
                type="search",
                size="3",
                height="60px",
                font_size="20px",
                # In the phone (column) layout flex-basis would override the height.
                flex=rx.breakpoints(initial="0 0 auto", sm="1 1 auto"),
                width="100%",
                auto_complete="off",
            ),
            rx.button(tr("common.search"), type="submit", size="4", height="60px", min_width="140px"),
            direction={"initial": "column", "sm": "row"},
            gap="12px",
            width="100%",
        ),
        on_submit=on_submit,
        reset_on_submit=False,
        # Before the page is live (or without JavaScript) the browser submits it natively to the same place.
        action="/procedures",
        method="get",
        width="100%",
        role="search",
    )


def procedure_card(row: rx.Var) -> rx.Component:
    """The whole card opens the procedure page (one big target for a finger)."""
    return card_link(_procedure_card(row), "/procedures/" + row.code, width="100%", _hover={"opacity": "0.92"})


def _procedure_card(row: rx.Var) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.text(bi(row.name), size="5", weight="bold", line_height="1.3"),
            rx.text(tr("procedures.code"), ": ", row.code, size="2", color_scheme="gray"),
            _icon_fact("clock", "procedures.duration", bi(row.duration)),
            _icon_fact("banknote", "procedures.fee", bi(row.fee)),
            **spaced("2"),
        ),
        **full("3"),
        min_height=TAP,
    )


def _icon_fact(icon: str, label_key: str, value: rx.Var) -> rx.Component:
    """ "[icon] Lệ phí: 50.000 đồng" on a card: the icon for skimmers, the words for everyone."""
    return rx.hstack(
        rx.icon(icon, size=20, color="var(--accent-11)", flex_shrink="0", margin_top="2px"),
        rx.text(rx.text(tr(label_key), ": ", as_="span", color_scheme="gray"), value, size="3"),
        **top_aligned("2"),
    )


def procedures_url(query: str) -> str:
    query = query.strip()
    return f"/procedures?q={quote(query)}" if query else "/procedures"
