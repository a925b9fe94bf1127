"""`/dossiers/[code]/done`: the dossier was sent — its code, the expected due date, the receipt, what next."""

from __future__ import annotations

import reflex as rx

from onestop.ui.citizen.widgets import (
    back_link,
    card,
    card_titled,
    due_fact,
    expected_due_fact,
    fact,
    main_link_button,
    notice,
    page_column,
    pdf_button,
)
from onestop.ui.components.owner_dossier import OwnerDossierMixin, owner_dossier_frame
from onestop.ui.components.styles import BIG_BUTTON, MONO, marked_list
from onestop.ui.i18n import bi, tr
from onestop.ui.theme import BODY_SIZE, HEADING_SIZE


class ConfirmationState(OwnerDossierMixin, rx.State):
    @rx.event
    async def load(self):  # noqa: ANN201
        _, redirect = await self._load_owner()
        return redirect

    @rx.var
    def receipt_url(self) -> str:
        return f"/api/v1/dossiers/{self.view.code}/slips/submission.pdf"


def _next_steps() -> rx.Component:
    return card_titled(
        "done.next_title",
        rx.el.ol(
            *(rx.el.li(rx.text(tr(f"done.next_{i}"), size=BODY_SIZE), padding_y="4px") for i in range(1, 5)),
            **marked_list("decimal", "28px"),
        ),
    )


def _body() -> rx.Component:
    v = ConfirmationState.view
    return page_column(
        rx.center(rx.icon("circle-check-big", size=64, color="var(--green-10)"), width="100%"),
        rx.heading(tr("done.title"), as_="h1", size=HEADING_SIZE, text_align="center", width="100%"),
        rx.text(bi(v.procedure), size="5", text_align="center", width="100%"),
        card(
            rx.text(tr("done.code_label"), size="4", color_scheme="gray", text_align="center"),
            rx.text(
                v.code,
                size="7",
                weight="bold",
                **MONO,
                text_align="center",
                id="dossier-code",
                white_space="nowrap",
                letter_spacing="-0.02em",
            ),
            rx.text(tr("done.code_hint"), size="3", color_scheme="gray", text_align="center"),
            align="center",
            border="2px solid var(--green-8)",
        ),
        card(
            rx.cond(v.due != "", due_fact(v.due), expected_due_fact(v.expected_due, id="expected-due")),
            fact("building-2", tr("track.center"), v.center),
            fact(
                "banknote",
                tr("apply.fee_online"),
                rx.cond(
                    v.fee_amount > 0,
                    rx.text(bi(v.fee), size=BODY_SIZE, weight="medium"),
                    rx.text(tr("done.no_fee"), size=BODY_SIZE, weight="medium", id="no-fee"),
                ),
            ),
        ),
        rx.cond(v.can_pay, notice(tr("done.pay_now"), "credit-card", "amber")),
        rx.cond(
            v.can_pay, main_link_button(tr("track.pay_go"), "credit-card", "/dossiers/" + v.code + "/pay", id="go-pay")
        ),
        pdf_button(tr("done.receipt"), ConfirmationState.receipt_url, **BIG_BUTTON, id="receipt-pdf"),
        main_link_button(
            tr("done.track"), "radar", "/dossiers/" + v.code, variant=rx.cond(v.can_pay, "soft", "solid"), id="go-track"
        ),
        _next_steps(),
        back_link("/my", "track.back_my"),
    )


def confirmation_page() -> rx.Component:
    return owner_dossier_frame(ConfirmationState, _body)
