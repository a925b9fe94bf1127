"""`/procedures/[code]`: what the procedure is, who may file, what to prepare, fee, time, where; then "apply".

Public (no login): everything here is published information. The big button
leads to the apply flow, which asks the person to sign in first.
"""

from __future__ import annotations

import reflex as rx

from onestop.domain.errors import DomainError
from onestop.read import procedure as procedure_read
from onestop.read.procedure import ProcedureDetail
from onestop.ui.citizen.common import route_code
from onestop.ui.citizen.widgets import (
    back_link,
    card,
    card_titled,
    fact,
    loaded_page,
    main_link_button,
    need_badge,
    notice,
    reading_column,
    section_title,
)
from onestop.ui.components.styles import BARE_LIST, centred, quiet, spaced, top_aligned
from onestop.ui.dashboard.related import related_block
from onestop.ui.i18n import bi, tr
from onestop.ui.offload import db_read
from onestop.ui.theme import BODY_SIZE, HEADING_SIZE
from onestop.ui.widgets import empty_state, icon_badge


class ProcedureState(rx.State):
    detail: ProcedureDetail = ProcedureDetail()
    loaded: bool = False
    found: bool = False

    @rx.event
    async def load(self) -> None:
        code = route_code(self)
        self.loaded, self.found = False, False
        try:
            self.detail = await db_read(procedure_read.procedure_detail, code)
            self.found = True
        except DomainError:
            self.detail = ProcedureDetail()
        self.loaded = True

    @rx.var
    def apply_href(self) -> str:
        return f"/apply/{self.detail.code}"


def _document(doc: rx.Var) -> rx.Component:
    return rx.el.li(
        rx.hstack(
            rx.icon("file-text", size=24, color="var(--accent-11)", flex_shrink="0", margin_top="2px"),
            rx.vstack(
                rx.text(bi(doc.name), size=BODY_SIZE, weight="bold"),
                rx.hstack(
                    need_badge(doc.required, "2"),
                    rx.cond(
                        doc.reusable,
                        icon_badge("wallet", 14, tr("procedure.wallet_ok"), "green", variant="soft", size="2"),
                    ),
                    spacing="2",
                    wrap="wrap",
                ),
                rx.text(
                    tr("procedure.file_types"),
                    ": ",
                    doc.types,
                    " · ",
                    tr("procedure.max_size"),
                    " ",
                    doc.max_mb,
                    " MB",
                    **quiet("3"),
                ),
                rx.cond(doc.note.vi != "", rx.text(bi(doc.note), size="3")),
                spacing="1",
            ),
            **top_aligned("3"),
        ),
        padding_y="8px",
        border_bottom="1px solid var(--gray-4)",
    )


def _held(doc: rx.Var) -> rx.Component:
    return rx.el.li(
        rx.hstack(
            rx.icon("shield-check", size=22, color="var(--green-11)", flex_shrink="0"),
            rx.text(bi(doc.name), size=BODY_SIZE),
            **centred("3"),
        ),
        padding_y="6px",
    )


def _center(c: rx.Var) -> rx.Component:
    return rx.el.li(
        rx.vstack(
            rx.text(c.name, size=BODY_SIZE, weight="bold"),
            rx.text(c.address, size="3", color_scheme="gray"),
            rx.cond(c.phone != "", rx.text(tr("procedure.phone"), ": ", c.phone, size="3", color_scheme="gray")),
            spacing="0",
        ),
        padding_y="6px",
    )


def _body() -> rx.Component:
    d = ProcedureState.detail
    apply_button = rx.cond(
        d.online,
        main_link_button(tr("procedure.apply"), "send", ProcedureState.apply_href, id="apply-online"),
        notice(tr("procedure.not_online"), "building-2", "amber"),
    )
    return reading_column(
        back_link("/procedures", "procedure.back"),
        rx.badge(bi(d.field), size="3", variant="soft"),
        rx.heading(bi(d.name), as_="h1", size=HEADING_SIZE, weight="bold", line_height="1.25"),
        rx.text(tr("procedures.code"), ": ", d.code, size="3", color_scheme="gray"),
        rx.text(bi(d.description), size=BODY_SIZE),
        apply_button,
        card(
            fact("clock", tr("procedure.time_online"), bi(d.duration_online)),
            rx.cond(
                d.duration.vi != d.duration_online.vi,
                fact("building-2", tr("procedure.time_counter"), bi(d.duration)),
            ),
            fact("banknote", tr("procedure.fee_online"), bi(d.fee_online)),
            rx.cond(
                d.online_cheaper,
                notice(
                    rx.text(tr("procedure.online_cheaper"), " ", bi(d.fee_counter), ".", size=BODY_SIZE),
                    "badge-percent",
                    "green",
                ),
            ),
            rx.cond(
                d.fee_text != "",
                rx.vstack(
                    rx.text(tr("procedure.fee_text"), size="3", color_scheme="gray"),
                    rx.el.blockquote(
                        rx.text(d.fee_text, size="3"),
                        lang="vi",
                        border_left="4px solid var(--gray-6)",
                        padding_left="12px",
                        margin="0",
                    ),
                    **spaced("1"),
                ),
            ),
            fact("award", tr("procedure.result"), d.result_vi),
            id="procedure-facts",
        ),
        related_block(),  # issue 13: procedures people often file next
        rx.vstack(section_title("procedure.who"), rx.text(bi(d.who), size=BODY_SIZE), width="100%", spacing="2"),
        rx.vstack(
            section_title("procedure.documents"),
            rx.cond(
                d.documents.length() > 0,
                rx.el.ul(rx.foreach(d.documents, _document), **BARE_LIST, width="100%"),
                rx.text(tr("procedure.no_documents"), size=BODY_SIZE),
            ),
            **spaced("2"),
            id="procedure-documents",
        ),
        rx.cond(
            d.held.length() > 0,
            card_titled(
                "procedure.held_title",
                rx.text(tr("procedure.held_body"), size="3", color_scheme="gray"),
                rx.el.ul(rx.foreach(d.held, _held), **BARE_LIST),
                variant="surface",
                id="procedure-held",
            ),
        ),
        rx.vstack(
            section_title("procedure.where"),
            rx.cond(d.boundary_free, notice(tr("procedure.any_center"), "map-pin", "blue")),
            rx.el.ul(rx.foreach(d.centers, _center), **BARE_LIST, width="100%"),
            **spaced("2"),
        ),
        rx.vstack(
            section_title("procedure.legal"), rx.text(d.legal_basis, size="3", lang="vi"), width="100%", spacing="2"
        ),
        rx.cond(d.online, main_link_button(tr("procedure.apply"), "send", ProcedureState.apply_href)),
    )


def procedure_page() -> rx.Component:
    return loaded_page(
        ProcedureState,
        _body(),
        rx.vstack(
            rx.heading(tr("procedure.not_found"), as_="h1", size=HEADING_SIZE),
            empty_state("procedure.not_found_body", "search-x"),
            back_link("/procedures", "procedure.back"),
            spacing="4",
        ),
    )
