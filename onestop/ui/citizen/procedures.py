"""`/procedures`: every current procedure, grouped by field, with processing time and fee; `?q=` narrows it."""

from __future__ import annotations

import reflex as rx

from onestop.read import procedure
from onestop.read.procedure import FieldGroup
from onestop.ui.citizen.catalog_widgets import procedure_card, procedures_url, search_box
from onestop.ui.components.icons import field_icon
from onestop.ui.components.styles import CENTER_ROW, COLUMN, WRAP_ROW
from onestop.ui.i18n import bi, tr
from onestop.ui.layout import shell
from onestop.ui.offload import db_read
from onestop.ui.theme import BODY_SIZE, SECTION_SIZE
from onestop.ui.widgets import card_grid, empty_state, page_heading

MAX_QUERY = 100


class CatalogState(rx.State):
    groups: list[FieldGroup] = []
    query: str = ""
    total: int = 0
    loaded: bool = False

    @rx.event
    async def load(self) -> None:
        self.query = self.router.url.query_parameters.get("q", "").strip()[:MAX_QUERY]
        self.groups = await db_read(procedure.procedure_catalog, self.query)
        self.total = sum(g.count for g in self.groups)
        self.loaded = True

    @rx.event
    def search(self, form: dict):  # noqa: ANN201
        return rx.redirect(procedures_url(str(form.get("q") or "")[:MAX_QUERY]))


def _group(group: rx.Var) -> rx.Component:
    return rx.vstack(
        rx.hstack(
            field_icon(group.icon, size=28, color="var(--accent-11)"),
            rx.heading(bi(group.name), as_="h2", size=SECTION_SIZE),
            rx.badge(group.count, " ", tr("procedures.unit"), size="2", variant="soft"),
            **CENTER_ROW,
        ),
        card_grid(rx.foreach(group.procedures, procedure_card)),
        id="field-" + group.code,
        **COLUMN,
        margin_top="32px",
        scroll_margin_top="96px",
    )


def _summary() -> rx.Component:
    return rx.cond(
        CatalogState.query != "",
        rx.hstack(
            rx.text(
                tr("procedures.results_for"),
                " «",
                rx.text(CatalogState.query, as_="span", weight="bold"),
                "»: ",
                CatalogState.total,
                " ",
                tr("procedures.unit"),
                size=BODY_SIZE,
            ),
            rx.link(tr("procedures.clear"), href="/procedures", size=BODY_SIZE),
            **WRAP_ROW,
            margin_top="16px",
        ),
        rx.text(CatalogState.total, " ", tr("procedures.unit"), size=BODY_SIZE, color_scheme="gray", margin_top="16px"),
    )


def procedures_page() -> rx.Component:
    return shell(
        page_heading(tr("procedures.title"), tr("procedures.subtitle")),
        search_box(CatalogState.search, default=CatalogState.query, key=CatalogState.query),
        rx.cond(
            CatalogState.loaded,
            rx.fragment(
                _summary(),
                rx.cond(
                    CatalogState.groups.length() > 0,
                    rx.foreach(CatalogState.groups, _group),
                    rx.box(empty_state("procedures.none", "search-x"), margin_top="16px"),
                ),
            ),
        ),
    )
