"""`/my`: a citizen's dossiers (code, procedure, status, due date), newest first."""

from __future__ import annotations

import reflex as rx

from onestop import clock
from onestop.db import new_session
from onestop.services import views
from onestop.services.views import DossierRow
from onestop.ui.i18n import tr
from onestop.ui.layout import guarded
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
        with new_session() as db:
            self.rows = views.citizen_dossiers(db, actor, clock.now())
        return None


def my_page() -> rx.Component:
    return guarded(
        MY,
        page_heading(tr("my.title"), rx.text(tr("my.greeting"), ", ", SessionState.user_name, as_="span")),
        rx.cond(
            MyDossiersState.rows.length() > 0,
            card_grid(rx.foreach(MyDossiersState.rows, lambda r: dossier_card(r)), columns={"initial": "1", "md": "2"}),
            rx.vstack(
                empty_state("my.empty", "folder-open"),
                rx.link(rx.button(rx.icon("list", size=20), tr("home.browse_title"), size="4"), href="/procedures"),
                spacing="4",
            ),
        ),
    )
