"""`/dossiers/[code]/done`: the dossier was sent — its code, the expected due date, the receipt, what next.

Also home of `owner_view`, the load step the applicant-only dossier pages share
(confirmation, payment, supplement, rating): gate the page, read the code from
the URL, open the dossier only if this person is its applicant.
"""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx
from reflex_base.event import EventSpec

from onestop.db import new_session
from onestop.domain.errors import DomainError
from onestop.services import citizen_portal
from onestop.services.actor import Actor
from onestop.services.citizen_portal import DossierView
from onestop.ui.citizen.common import CITIZEN_PAGE, code_from_path
from onestop.ui.citizen.widgets import back_link, card, error_notice, fact, link_button, main_link_button, notice
from onestop.ui.i18n import bi, tr
from onestop.ui.layout import guarded
from onestop.ui.session import gate
from onestop.ui.theme import BODY_SIZE, HEADING_SIZE
from onestop.ui.widgets import loading_panel


@dataclass
class OwnerLoad:
    actor: Actor | None
    view: DossierView | None
    problem: DomainError | None
    redirect: EventSpec | None


async def owner_view(state: rx.State) -> OwnerLoad:
    """Gate, then the dossier in the URL if (and only if) this citizen filed it."""
    actor, redirect = await gate(state, CITIZEN_PAGE)
    if actor is None:
        return OwnerLoad(None, None, None, redirect)
    code = code_from_path(state.router.url.path, "dossiers")
    try:
        with new_session() as db:
            dossier = citizen_portal.my_dossier(db, actor, code)
            return OwnerLoad(actor, citizen_portal.dossier_view(db, actor, dossier), None, None)
    except DomainError as err:
        return OwnerLoad(actor, None, err, None)


def not_found_block(vi: rx.Var, en: rx.Var) -> rx.Component:
    return rx.vstack(
        rx.heading(tr("track.title"), as_="h1", size=HEADING_SIZE),
        error_notice(vi, en, "dossier-problem"),
        back_link("/my", "track.back_my"),
        spacing="4",
        width="100%",
    )


class ConfirmationState(rx.State):
    view: DossierView = DossierView()
    loaded: bool = False
    found: bool = False
    problem_vi: str = ""
    problem_en: str = ""

    @rx.event
    async def load(self):  # noqa: ANN201
        self.loaded = self.found = False
        got = await owner_view(self)
        if got.redirect is not None or got.actor is None:
            return got.redirect
        if got.view is None:
            self.problem_vi, self.problem_en = (got.problem.vi, got.problem.en) if got.problem else ("", "")
        else:
            self.view, self.found = got.view, True
        self.loaded = True
        return None

    @rx.var
    def receipt_url(self) -> str:
        return f"/api/v1/dossiers/{self.view.code}/slips/submission.pdf"


def _next_steps() -> rx.Component:
    return card(
        rx.heading(tr("done.next_title"), as_="h2", size="5"),
        rx.el.ol(
            *(rx.el.li(rx.text(tr(f"done.next_{i}"), size=BODY_SIZE), padding_y="4px") for i in range(1, 5)),
            padding_left="28px",
            margin="0",
            list_style_type="decimal",
        ),
    )


def _body() -> rx.Component:
    v = ConfirmationState.view
    return rx.vstack(
        rx.center(rx.icon("circle-check-big", size=64, color="var(--green-10)"), width="100%"),
        rx.heading(tr("done.title"), as_="h1", size=HEADING_SIZE, text_align="center", width="100%"),
        rx.text(bi(v.procedure_vi, v.procedure_en), size="5", text_align="center", width="100%"),
        card(
            rx.text(tr("done.code_label"), size="4", color_scheme="gray", text_align="center"),
            rx.text(v.code, size="7", weight="bold", font_family="ui-monospace, monospace", text_align="center",
                    id="dossier-code", white_space="nowrap", letter_spacing="-0.02em"),
            rx.text(tr("done.code_hint"), size="3", color_scheme="gray", text_align="center"),
            align="center",
            border="2px solid var(--green-8)",
        ),
        card(
            rx.cond(v.due != "", fact("calendar-check", tr("dossier.due"), rx.text(v.due, size="5", weight="bold")),
                    fact("calendar-clock", tr("track.expected_due"),
                         rx.vstack(rx.text(v.expected_due, size="5", weight="bold", id="expected-due"),
                                   rx.text(tr("track.expected_note"), size="3", color_scheme="gray"), spacing="0"))),
            fact("building-2", tr("track.center"), v.center),
            fact("banknote", tr("apply.fee_online"),
                 rx.cond(v.fee_amount > 0, rx.text(bi(v.fee_vi, v.fee_en), size=BODY_SIZE, weight="medium"),
                         rx.text(tr("done.no_fee"), size=BODY_SIZE, weight="medium", id="no-fee"))),
        ),
        rx.cond(v.can_pay, notice(tr("done.pay_now"), "credit-card", "amber")),
        rx.cond(v.can_pay, main_link_button(tr("track.pay_go"), "credit-card", "/dossiers/" + v.code + "/pay",
                                            id="go-pay")),
        link_button(tr("done.receipt"), "file-down", ConfirmationState.receipt_url, external=True, new_tab=True,
                    size="4", min_height="56px", width=rx.breakpoints(initial="100%", sm="auto"), id="receipt-pdf"),
        main_link_button(tr("done.track"), "radar", "/dossiers/" + v.code,
                         variant=rx.cond(v.can_pay, "soft", "solid"), id="go-track"),
        _next_steps(),
        back_link("/my", "track.back_my"),
        spacing="4",
        width="100%",
        max_width="640px",
    )


def confirmation_page() -> rx.Component:
    return guarded(
        CITIZEN_PAGE,
        rx.cond(
            ConfirmationState.loaded,
            rx.cond(ConfirmationState.found, _body(),
                    not_found_block(ConfirmationState.problem_vi, ConfirmationState.problem_en)),
            loading_panel(),
        ),
    )
