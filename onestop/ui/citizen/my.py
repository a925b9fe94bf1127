"""`/my`: a citizen's dossiers (code, procedure, status, due date), newest first; each opens its tracking page."""

from __future__ import annotations

import reflex as rx

from onestop import clock
from onestop.read.dossier import DossierRow, citizen_dossiers
from onestop.ui.components.card import card_link
from onestop.ui.i18n import tr
from onestop.ui.layout import guarded
from onestop.ui.offload import db_read
from onestop.ui.routes import MY
from onestop.ui.session import SessionState, gate
from onestop.ui.widgets import card_grid, dossier_card, empty_state, page_heading


class MyDossiersState(rx.State):
    rows: list[DossierRow] = []

    @rx.event
    async def load(self):  # noqa: ANN201
        actor, redirect = await gate(self, MY)
        if actor is None:
            self.rows = []
            return redirect
        self.rows = await db_read(citizen_dossiers, actor, clock.now())
        return None


def _linked_card(row: rx.Var) -> rx.Component:
    """The whole card opens the dossier's tracking page (one big target, no small link to hit)."""
    return card_link(
        rx.box(
            dossier_card(row),
            rx.hstack(
                rx.text(tr("my.open"), size="3", weight="medium"),
                rx.icon("chevron-right", size=20),
                spacing="1",
                align="center",
                color="var(--accent-11)",
                position="absolute",
                right="16px",
                bottom="14px",
            ),
            position="relative",
        ),
        "/dossiers/" + row.code,
        _hover={"opacity": "0.92"},
        class_name="os-dossier-link",
    )


def my_page() -> rx.Component:
    return guarded(
        MY,
        page_heading(tr("my.title"), rx.text(tr("my.greeting"), ", ", SessionState.user_name, as_="span")),
        rx.cond(
            MyDossiersState.rows.length() > 0,
            card_grid(rx.foreach(MyDossiersState.rows, _linked_card), columns={"initial": "1", "md": "2"}),
            rx.vstack(
                empty_state("my.empty", "folder-open"),
                rx.link(rx.button(rx.icon("list", size=20), tr("home.browse_title"), size="4"), href="/procedures"),
                spacing="4",
            ),
        ),
    )
