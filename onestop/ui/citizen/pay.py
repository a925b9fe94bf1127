"""`/dossiers/[code]/pay`: the fee, its legal text, and the way to the payment gateway and back.

Why a page of its own: paying is where people are most afraid of doing
something wrong, so it says exactly how much and for what before sending them
to the gateway (a real redirect, as with a bank), and says plainly what
happened when the gateway sends them back (`?payment=paid|failed`; the signed
result itself was checked and recorded by the return route, never by this page).
A 0 VND online fee is honoured: there is nothing to pay and the page says so.
"""

from __future__ import annotations

import json

import reflex as rx

from onestop.db import transaction
from onestop.domain.errors import DomainError
from onestop.read.bilingual import BiText
from onestop.services import filing
from onestop.services.actor import Actor
from onestop.ui.citizen.common import actor_of
from onestop.ui.citizen.widgets import (
    bilingual_list,
    card,
    dossier_task_top,
    error_notice,
    main_button,
    main_link_button,
    notice,
    page_column,
)
from onestop.ui.components.owner_dossier import OwnerDossierMixin, owner_dossier_frame
from onestop.ui.components.styles import COLUMN, DESK_BUTTON, INLINE_ICON
from onestop.ui.i18n import bi, tr
from onestop.ui.offload import off_loop
from onestop.ui.theme import BODY_SIZE
from onestop.ui.widgets import icon_badge


def _start_payment(actor: Actor, code: str) -> str:
    with transaction() as db:
        return filing.start_payment(db, actor, code)


class PayState(OwnerDossierMixin, rx.State):
    outcome: str = ""
    going: bool = False

    @rx.event
    async def load(self):  # noqa: ANN201
        self.going = False
        outcome = self.router.url.query_parameters.get("payment", "")
        self.outcome = outcome if outcome in ("paid", "failed") else ""
        _, redirect = await self._load_owner()
        return redirect

    @rx.event
    async def pay(self):  # noqa: ANN201
        """Create the pending payment and send the browser to the gateway."""
        if self.going:
            return None
        actor = await actor_of(self)
        if actor is None:
            return rx.redirect(f"/login?next=/dossiers/{self.view.code}/pay")
        self.going = True
        try:
            url = await off_loop(_start_payment, actor, self.view.code)
        except DomainError as err:
            self.going = False
            self.problem = BiText(err.vi, err.en)
            return None
        # A full page load (not client-side routing): the gateway is another site, as a bank's would be.
        return rx.call_script(f"window.location.assign({json.dumps(url)})")


def _fee_badge(status: rx.Var) -> rx.Component:
    """The fee's state in words and colour (a tick when paid), one badge `fee-status` whatever the state."""
    look = {"size": "3", "id": "fee-status"}
    return rx.match(
        status,
        ("paid", icon_badge("circle-check", 18, tr("fee.paid"), "green", **look)),
        ("unpaid", rx.badge(tr("fee.unpaid"), color_scheme="amber", **look)),
        ("exempt", rx.badge(tr("fee.status.exempt"), color_scheme="green", **look)),
        rx.badge(tr("fee.none"), color_scheme="gray", **look),
    )


def _body() -> rx.Component:
    v = PayState.view
    return page_column(
        *dossier_task_top("pay.title", v.code),
        rx.text(bi(v.procedure), size=BODY_SIZE),
        rx.cond(
            PayState.outcome == "paid", notice(tr("pay.done"), "circle-check", "green", role="status", ident="pay-done")
        ),
        rx.cond(
            PayState.outcome == "failed",
            notice(tr("pay.failed"), "circle-alert", "red", role="alert", ident="pay-failed"),
        ),
        error_notice(PayState.problem, "pay-problem"),
        card(
            rx.text(tr("pay.amount"), size="4", color_scheme="gray"),
            rx.text(
                rx.cond(v.fee_amount > 0, bi(v.fee), tr("fee.free")),
                size="8",
                weight="bold",
                id="pay-amount",
            ),
            _fee_badge(v.fee_status),
            rx.cond(
                v.fee_lines_vi.length() > 0,
                rx.vstack(
                    rx.text(tr("fees.breakdown"), size="3", color_scheme="gray"),
                    bilingual_list(v.fee_lines_vi, v.fee_lines_en, "3"),
                    spacing="1",
                    id="fee-lines",
                ),
            ),
            rx.cond(
                v.fee_status == "paid",
                rx.link(
                    rx.icon("receipt", size=18),
                    tr("fees.receipt"),
                    href="/api/v1/dossiers/" + v.code + "/slips/fee_receipt.pdf",
                    is_external=True,
                    id="fee-receipt",
                    **INLINE_ICON,
                    **DESK_BUTTON,
                ),
            ),
            rx.cond(
                v.fee_text != "",
                rx.vstack(
                    rx.text(tr("procedure.fee_text"), size="3", color_scheme="gray"),
                    rx.text(v.fee_text, size="3", lang="vi"),
                    spacing="1",
                ),
            ),
        ),
        rx.cond(
            v.can_pay,
            rx.vstack(
                rx.text(tr("pay.how"), size=BODY_SIZE),
                main_button(
                    tr("pay.go"),
                    "credit-card",
                    on_click=PayState.pay,
                    loading=PayState.going,
                    id="pay-online",
                    type="button",
                ),
                rx.text(tr("pay.safe"), size="3", color_scheme="gray"),
                **COLUMN,
            ),
            rx.cond(v.fee_status != "unpaid", notice(tr("pay.nothing"), "circle-check", "green")),
        ),
        main_link_button(tr("done.track"), "radar", "/dossiers/" + v.code, variant="soft", id="go-track"),
    )


def pay_page() -> rx.Component:
    return owner_dossier_frame(PayState, _body)
