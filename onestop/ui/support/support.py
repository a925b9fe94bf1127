"""`/support`: a digital support team member's home visits and the dossiers they filed for people."""

from __future__ import annotations

from datetime import datetime

import reflex as rx
from sqlmodel import Session

from onestop import clock
from onestop.read import dossier as dossier_read
from onestop.read.dossier import DossierRow, VisitRow
from onestop.services.actor import Actor
from onestop.ui.components.styles import LINE, WRAPPING, centred, full, spaced
from onestop.ui.i18n import tr, tr_choice
from onestop.ui.layout import guarded
from onestop.ui.offload import db_read
from onestop.ui.routes import SUPPORT
from onestop.ui.session import SessionState, gate
from onestop.ui.theme import BODY_SIZE, TAP
from onestop.ui.widgets import card_grid, dossier_card, empty_state, labelled, page_heading, section

_VISIT_COLOURS = {"planned": "blue", "done": "green", "cancelled": "gray"}


def _support_lists(db: Session, actor: Actor, now: datetime) -> tuple[list[VisitRow], list[DossierRow]]:
    return dossier_read.support_visits(db, actor), dossier_read.support_dossiers(db, actor, now)


class SupportState(rx.State):
    visits: list[VisitRow] = []
    dossiers: list[DossierRow] = []

    @rx.event
    async def load(self):  # noqa: ANN201
        actor, redirect = await gate(self, SUPPORT)
        if actor is None:
            self.visits, self.dossiers = [], []
            return redirect
        now = clock.now()
        self.visits, self.dossiers = await db_read(_support_lists, actor, now)
        return None


def _visit_card(v: rx.Var) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.hstack(
                    rx.icon("calendar-days", size=22, color="var(--accent-11)"),
                    rx.text(v.day, size="4", weight="bold"),
                    **centred("2"),
                ),
                rx.badge(
                    tr_choice("visit.", _VISIT_COLOURS, v.status),
                    size="3",
                    radius="full",
                    color_scheme=rx.match(v.status, *_VISIT_COLOURS.items(), "gray"),
                ),
                justify="between",
                **LINE,
            ),
            rx.text(v.resident, size="5", weight="bold"),
            rx.cond(v.address != "", rx.text(v.address, size=BODY_SIZE, color_scheme="gray")),
            rx.cond(v.purpose != "", labelled("visit.purpose", v.purpose)),
            **spaced("2"),
        ),
        **full("3"),
    )


def support_page() -> rx.Component:
    return guarded(
        SUPPORT,
        page_heading(tr("support.title"), rx.text(tr("my.greeting"), ", ", SessionState.user_name, as_="span")),
        # A plain <a>: the field app is a separate static app, so it needs a full page load.
        rx.el.a(
            rx.button(
                rx.icon("smartphone", size=22, flex_shrink="0"),
                tr("support.open_field_app"),
                size="4",
                min_height=TAP,
                **WRAPPING,
                padding_y="12px",
                text_align="left",
                tab_index=-1,
            ),
            href="/field/",
            reload_document=True,  # rx.el.a is a client-side router link: the static field app needs a real load
        ),
        section(
            tr("support.visits_title"),
            rx.cond(
                SupportState.visits.length() > 0,
                card_grid(rx.foreach(SupportState.visits, _visit_card)),
                empty_state("support.visits_empty", "calendar-x"),
            ),
        ),
        section(
            tr("support.dossiers_title"),
            rx.cond(
                SupportState.dossiers.length() > 0,
                card_grid(
                    rx.foreach(SupportState.dossiers, lambda r: dossier_card(r, show_applicant=True)),
                    columns={"initial": "1", "md": "2"},
                ),
                empty_state("support.dossiers_empty", "folder-open"),
            ),
        ),
    )
