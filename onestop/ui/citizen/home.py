"""`/`: search first, then the fields and the most used procedures, straight from the catalog."""

from __future__ import annotations

import reflex as rx
from sqlmodel import Session

from onestop.read import procedure
from onestop.read.procedure import FieldGroup, ProcedureRow
from onestop.ui.citizen.catalog_widgets import procedure_card, procedures_url, search_box
from onestop.ui.components.card import card_link
from onestop.ui.components.icons import field_icon
from onestop.ui.components.styles import LINE, centred, full, spaced
from onestop.ui.i18n import bi, tr
from onestop.ui.layout import shell
from onestop.ui.offload import db_read
from onestop.ui.session import SessionState
from onestop.ui.theme import BODY_SIZE, TAP
from onestop.ui.widgets import card_grid, icon_tile, section


def _home_lists(db: Session) -> tuple[list[FieldGroup], list[ProcedureRow]]:
    return procedure.field_summaries(db), procedure.popular_procedures(db)


class HomeState(rx.State):
    fields: list[FieldGroup] = []
    popular: list[ProcedureRow] = []

    @rx.event
    async def load(self) -> None:
        self.fields, self.popular = await db_read(_home_lists)

    @rx.event
    def search(self, form: dict):  # noqa: ANN201
        return rx.redirect(procedures_url(str(form.get("q") or "")))


def _hero() -> rx.Component:
    return rx.box(
        rx.vstack(
            rx.heading(tr("home.title"), as_="h1", size={"initial": "7", "md": "8"}, weight="bold", line_height="1.2"),
            rx.text(tr("home.subtitle"), size={"initial": "4", "md": "5"}, color_scheme="gray"),
            search_box(HomeState.search),
            rx.text(tr("home.search_hint"), size="3", color_scheme="gray"),
            **spaced("4"),
        ),
        background="linear-gradient(135deg, var(--accent-3), var(--accent-2))",
        border="1px solid var(--accent-5)",
        border_radius="16px",
        padding=rx.breakpoints(initial="20px", md="40px"),
        width="100%",
    )


def _quick_link(icon: str, title_key: str, body_key: str, href: rx.Var | str) -> rx.Component:
    return card_link(
        rx.card(
            rx.hstack(
                rx.icon(icon, size=32, color="var(--accent-11)", flex_shrink="0"),
                rx.vstack(
                    rx.text(tr(title_key), size="5", weight="bold"),
                    rx.text(tr(body_key), size="3", color_scheme="gray"),
                    spacing="1",
                ),
                rx.spacer(),
                rx.icon("chevron-right", size=24, color="var(--gray-10)", flex_shrink="0"),
                spacing="4",
                **LINE,
            ),
            **full("3"),
            min_height=TAP,
            _hover={"background": "var(--accent-2)"},
        ),
        href,
        width="100%",
    )


def _field_tile(group: rx.Var) -> rx.Component:
    return card_link(
        rx.card(
            rx.hstack(
                icon_tile(field_icon(group.icon, size=26), "accent", "48px"),
                rx.vstack(
                    rx.text(bi(group.name), size="4", weight="bold", line_height="1.25"),
                    rx.text(group.count, " ", tr("procedures.unit"), size="3", color_scheme="gray"),
                    spacing="1",
                ),
                **centred("3"),
            ),
            **full("2"),
            height="100%",
            _hover={"background": "var(--accent-2)"},
        ),
        "/procedures#field-" + group.code,
    )


def home_page() -> rx.Component:
    return shell(
        _hero(),
        rx.grid(
            _quick_link("list", "home.browse_title", "home.browse_body", "/procedures"),
            rx.cond(
                SessionState.signed_in,
                _quick_link("folder-open", "home.my_work_title", "home.my_work_body", SessionState.landing),
                _quick_link("log-in", "home.sign_in_title", "home.sign_in_body", "/login"),
            ),
            columns={"initial": "1", "md": "2"},
            **spaced("4"),
            margin_top="24px",
        ),
        section(
            tr("home.fields_title"),
            card_grid(rx.foreach(HomeState.fields, _field_tile), columns={"initial": "1", "sm": "2", "lg": "4"}),
        ),
        section(
            tr("home.popular_title"),
            card_grid(rx.foreach(HomeState.popular, procedure_card)),
            rx.link(tr("home.all_procedures"), " →", href="/procedures", size=BODY_SIZE, weight="bold"),
        ),
    )
