"""`/officer`: the center's inbox — counts per status tab and the most urgent dossiers of the chosen tab."""

from __future__ import annotations

import reflex as rx

from onestop import clock
from onestop.db import new_session
from onestop.services import views
from onestop.services.actor import Actor
from onestop.services.views import INBOX_TABS, DossierRow, InboxCounts
from onestop.ui.i18n import bi, tr, tr_choice
from onestop.ui.layout import guarded
from onestop.ui.routes import OFFICER
from onestop.ui.session import SessionState, gate
from onestop.ui.theme import TAP
from onestop.ui.widgets import deadline_chip, dossier_card, empty_state, page_heading, section, status_badge

#: (tab, icon, colour) in the order an officer works through them; "all" is the default view.
_TABS: tuple[tuple[str, str, str], ...] = (
    ("to_receive", "inbox", "blue"),
    ("processing", "loader", "indigo"),
    ("supplement", "file-warning", "orange"),
    ("results", "file-check", "green"),
    ("overdue", "alarm-clock", "red"),
)


class InboxState(rx.State):
    counts: InboxCounts = InboxCounts()
    rows: list[DossierRow] = []
    tab: str = "all"

    def _refresh(self, actor: Actor) -> None:
        now = clock.now()
        with new_session() as db:
            self.counts = views.inbox_counts(db, actor, now)
            self.rows = views.inbox_queue(db, actor, now, self.tab)

    @rx.event
    async def load(self):  # noqa: ANN201
        actor, redirect = await gate(self, OFFICER)
        if actor is None:
            self.rows, self.counts = [], InboxCounts()
            return redirect
        self._refresh(actor)
        return None

    @rx.event
    async def select_tab(self, tab: str):  # noqa: ANN201
        """Every event re-checks the token: a tab kept open after sign-out must not keep reading."""
        actor, redirect = await gate(self, OFFICER)
        if actor is None:
            return redirect
        self.tab = tab if tab in INBOX_TABS and self.tab != tab else "all"
        self._refresh(actor)
        return None


def _tab_card(tab: str, icon: str, colour: str) -> rx.Component:
    active = InboxState.tab == tab
    return rx.button(
        rx.hstack(
            rx.center(rx.icon(icon, size=26), color=f"var(--{colour}-11)", background=f"var(--{colour}-3)",
                      border_radius="12px", width="48px", height="48px", flex_shrink="0",
                      display=rx.breakpoints(initial="none", sm="flex")),
            rx.vstack(
                rx.text(getattr(InboxState.counts, tab), size="8", weight="bold", line_height="1"),
                rx.text(tr(f"inbox.tab.{tab}"), size="3", weight="medium", text_align="left"),
                spacing="1",
                align="start",
            ),
            spacing="3",
            align="center",
            width="100%",
        ),
        on_click=InboxState.select_tab(tab),
        variant="outline",
        color_scheme=rx.cond(active, colour, "gray"),
        background=rx.cond(active, f"var(--{colour}-2)", "var(--color-panel-solid)"),
        border_width=rx.cond(active, "2px", "1px"),
        height="auto",
        min_height=TAP,
        padding="14px",
        justify_content="start",
        color="var(--gray-12)",
        aria_pressed=rx.cond(active, "true", "false"),
        id=f"tab-{tab}",
        width="100%",
    )


def _table() -> rx.Component:
    def row(r: rx.Var) -> rx.Component:
        return rx.table.row(
            rx.table.cell(rx.text(r.code, weight="bold", font_family="ui-monospace, monospace", white_space="nowrap")),
            rx.table.cell(rx.text(bi(r.procedure_vi, r.procedure_en))),
            rx.table.cell(r.applicant),
            rx.table.cell(status_badge(r.status, r.status_vi, r.status_en)),
            rx.table.cell(rx.vstack(rx.text(r.due, white_space="nowrap"),
                                    rx.cond(r.colour != "", deadline_chip(r.colour)), spacing="1")),
            align="center",
        )

    headers = ("dossier.code", "dossier.procedure", "dossier.applicant", "dossier.status", "dossier.due")
    return rx.table.root(
        rx.table.header(rx.table.row(*(rx.table.column_header_cell(tr(h)) for h in headers))),
        rx.table.body(rx.foreach(InboxState.rows, row)),
        variant="surface",
        size="3",
        width="100%",
    )


def officer_page() -> rx.Component:
    list_title = tr_choice("inbox.list.", ("all", *(t for t, _, _ in _TABS)), InboxState.tab)
    return guarded(
        OFFICER,
        page_heading(tr("inbox.title"), rx.cond(SessionState.user_center != "", SessionState.user_center,
                                                tr("dashboard.province"))),
        rx.grid(*(_tab_card(*spec) for spec in _TABS), columns={"initial": "2", "md": "3", "lg": "5"}, spacing="3",
                width="100%"),
        section(
            list_title,
            rx.cond(
                InboxState.rows.length() > 0,
                rx.fragment(
                    rx.box(_table(), display=rx.breakpoints(initial="none", md="block"), width="100%"),
                    rx.vstack(rx.foreach(InboxState.rows, lambda r: dossier_card(r, show_applicant=True)),
                              display=rx.breakpoints(initial="flex", md="none"), spacing="3", width="100%"),
                ),
                empty_state("inbox.empty", "inbox"),
            ),
            rx.cond(InboxState.tab != "all",
                    rx.button(tr("inbox.show_all"), on_click=InboxState.select_tab("all"), variant="soft",
                              size="3", min_height=TAP)),
        ),
    )
