"""`/dossiers/[code]` (tracking) and `/track` (find a dossier by code + phone, no login).

Who sees a dossier here: its signed-in applicant; anyone holding the tracking
token printed in the QR of every slip (`?t=…`); or anyone who proves the code
with the applicant's phone number (rate-limited in read.timeline; on
success the page moves to the token link). Everyone else gets the same "not
found", whether the code exists or not.

Live updates: the page registers with `onestop.ui.live` (an officer's action in
this process, or in any worker through Redis, arrives within a second) and, as
a fallback for changes made by another process without Redis (the CLI, a
scheduler, a second server), a background task re-reads the dossier's version
every few seconds while the page is open. Either way `_live_refresh` rebuilds
the view through the services; the person never reloads.
"""

from __future__ import annotations

import asyncio

import reflex as rx
from sqlmodel import Session

from onestop.domain.errors import DomainError
from onestop.read import dossier_detail
from onestop.read.bilingual import BiText
from onestop.read.dossier_detail import DossierView
from onestop.services.actor import Actor
from onestop.ui import live, pollers
from onestop.ui.citizen.common import actor_of, route_code, safe_code
from onestop.ui.citizen.widgets import (
    asked_items,
    back_link,
    big_input,
    big_label,
    card,
    card_titled,
    due_fact,
    error_notice,
    expected_due_fact,
    fact,
    focused_error,
    loaded_page,
    main_link_button,
    notice,
    page_column,
    pdf_button,
    reading_column,
    section_title,
    supplement_until,
)
from onestop.ui.components.icon_action import worded_button
from onestop.ui.components.styles import BARE_LIST, BIG_BUTTON, COLUMN, MONO, quiet, spaced, top_aligned
from onestop.ui.i18n import bi, tr
from onestop.ui.layout import shell
from onestop.ui.offload import db_read, db_write
from onestop.ui.session import SessionState
from onestop.ui.theme import BODY_SIZE, HEADING_SIZE
from onestop.ui.widgets import dot, status_badge

#: Fallback polling while a tracking page is open (seconds), and for how long at most.
POLL_SECONDS = 3.0
WATCH_MINUTES = 30


class TrackState(rx.State):
    view: DossierView = DossierView()
    loaded: bool = False
    found: bool = False
    need_lookup: bool = False
    problem: BiText = BiText()
    lookup_code: str = ""
    lookup_problem: BiText = BiText()  # why the lookup form was refused
    looking: bool = False
    payment: str = ""  # "paid" | "failed" after the gateway sent the person back
    updated: int = 0  # bumped by live refreshes: the page says "updated just now"
    _token: str = ""
    _watch: int = 0

    def _reset(self) -> None:
        self.view = DossierView()
        self.loaded = self.found = self.need_lookup = self.looking = False
        self.problem = self.lookup_problem = BiText()
        self.payment = ""
        self._token = ""

    @rx.event
    async def load(self):  # noqa: ANN201
        self._reset()
        self._watch += 1
        code = route_code(self)
        params = self.router.url.query_parameters
        token = str(params.get("t", ""))[:80]
        self.payment = params.get("payment", "") if params.get("payment") in ("paid", "failed") else ""
        self.lookup_code = code
        actor = await actor_of(self)
        if not token and actor is None:
            self.need_lookup = True
            self.loaded = True
            return None
        try:
            self.view = await db_read(_view, actor, code, token)
        except DomainError as err:
            self.problem = BiText(err.vi, err.en)
            self.loaded = True
            return None
        self._token = token
        self.found = self.loaded = True
        live.register(self.router.session.client_token, TrackState, [f"dossier:{self.view.id}"])
        return TrackState.watch

    async def _live_refresh(self) -> None:
        """Re-read the dossier through the services, with the same access check as on load."""
        if not self.found or not self.view.code:
            return
        actor = await actor_of(self)
        if not (self._token or actor):
            return
        try:
            self.view = await db_read(_view, actor, self.view.code, self._token)
        except DomainError:
            self.found = False
            return
        self.updated += 1

    @rx.event(background=True)
    async def watch(self):  # noqa: ANN201
        """Fallback for changes made outside this process: a one-row version probe every few seconds.

        Bounded by `onestop.ui.pollers`: one per tab and dossier, ended with the connection, a global cap.
        """
        async with self:
            ticket, dossier_id, version = self._watch, self.view.id, self.view.version
            path = self.router.url.path
            client = self.router.session.client_token
            if not self.found:
                return
        lease = pollers.acquire(client, dossier_id, ticket)
        if lease is None:
            return
        try:
            for _ in range(int(WATCH_MINUTES * 60 / POLL_SECONDS)):
                await asyncio.sleep(POLL_SECONDS)
                if not pollers.holds(lease) or not pollers.connected(client):
                    return
                async with self:
                    if self._watch != ticket or self.router.url.path != path or not self.found:
                        return
                seen = await db_read(dossier_detail.dossier_version, dossier_id)
                if seen != version:
                    async with self:
                        if self._watch != ticket:
                            return
                        await self._live_refresh()
                        version = self.view.version
        finally:
            pollers.release(lease)

    # ---- find by code + phone

    @rx.event
    def load_lookup(self) -> None:
        self._reset()
        self._watch += 1
        self.lookup_code = safe_code(str(self.router.url.query_parameters.get("code", "")))
        self.need_lookup = self.loaded = True

    @rx.event
    async def lookup(self, form: dict):  # noqa: ANN201
        code = safe_code(str(form.get("code") or ""))
        phone = str(form.get("phone") or "")[:30]
        self.lookup_problem = BiText()
        if not code or not phone.strip():
            self.lookup_problem = BiText.of("track.lookup_missing")
            return rx.call_script("document.getElementById('lookup-error')?.focus()")
        client = self.router.session.client_ip or self.router.session.client_token or "?"
        try:
            target = await db_write(_tracking_url_by_phone, code, phone, client)
        except DomainError as err:
            self.lookup_problem = BiText(err.vi, err.en)
            return rx.call_script("document.getElementById('lookup-error')?.focus()")
        return rx.redirect(target)


def _view(db: Session, actor: Actor | None, code: str, token: str) -> DossierView:
    """The dossier by its tracking token (no sign-in needed) or, without one, as its signed-in applicant."""
    if token:
        dossier = dossier_detail.open_by_token(db, code, token)
    else:
        assert actor is not None
        dossier = dossier_detail.open_for_owner(db, actor, code)
    return dossier_detail.dossier_view(db, actor, dossier)


def _tracking_url_by_phone(db: Session, code: str, phone: str, client: str) -> str:
    return dossier_detail.tracking_url(dossier_detail.open_by_phone(db, code, phone, client))


# --------------------------------------------------------------------------- rendering


def lookup_form() -> rx.Component:
    return card(
        rx.heading(tr("track.lookup_title"), as_="h2", size="6"),
        rx.text(tr("track.lookup_body"), size=BODY_SIZE),
        rx.form(
            rx.vstack(
                big_label("dossier.code", "lookup-code"),
                big_input(
                    "lookup-code",
                    "code",
                    default_value=TrackState.lookup_code,
                    key=TrackState.lookup_code,
                    placeholder="X01-260101-0001",
                    auto_complete="off",
                    auto_capitalize="characters",
                    max_length=40,
                ),
                big_label("track.phone", "lookup-phone"),
                big_input(
                    "lookup-phone",
                    "phone",
                    type="tel",
                    input_mode="tel",
                    auto_complete="tel",
                    placeholder="0912345678",
                    max_length=30,
                ),
                focused_error(TrackState.lookup_problem, "lookup-error", "lookup-error-box"),
                worded_button(
                    "search",
                    "track.lookup_submit",
                    icon_size=24,
                    type="submit",
                    **BIG_BUTTON,
                    width=rx.breakpoints(initial="100%", sm="auto"),
                    font_size="20px",
                ),
                **COLUMN,
            ),
            on_submit=TrackState.lookup,
            reset_on_submit=False,
            width="100%",
        ),
        rx.cond(
            ~SessionState.signed_in,
            rx.text(tr("track.or_sign_in"), " ", rx.link(tr("auth.sign_in"), href="/login?next=%2Fmy"), ".", size="3"),
        ),
        id="lookup",
    )


def _timeline_item(row: rx.Var) -> rx.Component:
    return rx.el.li(
        rx.hstack(
            dot("14px", "6px"),
            rx.vstack(
                rx.text(bi(row.text), size=BODY_SIZE),
                rx.cond(
                    row.note != "",
                    rx.text(tr("track.reason"), ": ", row.note, size="3", lang="vi", color_scheme="gray"),
                ),
                spacing="1",
            ),
            **top_aligned("3"),
        ),
        padding_y="10px",
        border_bottom="1px solid var(--gray-4)",
    )


def _slip(s: rx.Var) -> rx.Component:
    return pdf_button(bi(s.label), s.url, justify_content="start")


def _todo_card(title_key: str, ident: str, *body: rx.Component, **look: str) -> rx.Component:
    """One thing the applicant has to do (or may do) now: what, why, and the one button that does it."""
    return card_titled(title_key, *body, **look, id=ident)


def _todo() -> rx.Component:
    v = TrackState.view
    code = v.code
    return rx.vstack(
        rx.cond(
            v.supplement_open,
            _todo_card(
                "track.supplement_title",
                "todo-supplement",
                rx.cond(
                    v.supplement_sent,
                    notice(tr("track.supplement_sent"), "circle-check", "green"),
                    rx.fragment(
                        rx.text(tr("track.supplement_body"), size=BODY_SIZE),
                        asked_items(v.supplement_items, {}),
                        supplement_until(v.supplement_deadline),
                        rx.cond(
                            v.owner,
                            main_link_button(
                                tr("track.supplement_go"),
                                "upload",
                                "/dossiers/" + code + "/supplement",
                                id="go-supplement",
                            ),
                        ),
                    ),
                ),
                border="2px solid var(--orange-8)",
            ),
        ),
        rx.cond(
            v.can_pay,
            _todo_card(
                "track.pay_title",
                "todo-pay",
                rx.text(
                    tr("track.pay_body"),
                    " ",
                    rx.text(bi(v.fee), as_="span", weight="bold"),
                    ".",
                    size=BODY_SIZE,
                ),
                main_link_button(tr("track.pay_go"), "credit-card", "/dossiers/" + code + "/pay", id="go-pay"),
                border="2px solid var(--amber-8)",
            ),
        ),
        rx.cond(
            v.result_ready,
            _todo_card(
                "track.result_title",
                "todo-result",
                rx.text(v.result_vi, size=BODY_SIZE, weight="medium"),
                rx.text(tr("track.result_body"), size="3", color_scheme="gray"),
                main_link_button(
                    tr("track.result_download"),
                    "download",
                    "/api/v1/dossiers/" + code + "/result",
                    external=True,
                    id="download-result",
                ),
                border="2px solid var(--green-8)",
            ),
        ),
        rx.cond(v.result_locked, rx.box(notice(tr("fees.result_locked"), "lock", "amber"), id="result-locked")),
        rx.cond(
            v.can_rate,
            _todo_card(
                "track.rate_title",
                "todo-rate",
                rx.text(tr("track.rate_body"), size=BODY_SIZE),
                main_link_button(
                    tr("track.rate_go"), "star", "/dossiers/" + code + "/rate", variant="soft", id="go-rate"
                ),
            ),
        ),
        rx.cond(v.rated, notice(tr("track.rated"), "heart-handshake", "green")),
        **spaced("4"),
    )


def _fee_status(v: rx.Var) -> rx.Component:
    return rx.match(
        v.fee_status,
        (
            "paid",
            rx.text(bi(v.fee), " — ", tr("fee.paid"), size=BODY_SIZE, weight="medium", color="var(--green-11)"),
        ),
        ("unpaid", rx.text(bi(v.fee), " — ", tr("fee.unpaid"), size=BODY_SIZE, weight="medium")),
        rx.text(tr("fee.none"), size=BODY_SIZE, weight="medium"),
    )


def _facts() -> rx.Component:
    v = TrackState.view
    return card(
        fact("send", tr("dossier.submitted"), v.submitted),
        rx.cond(v.received != "", fact("inbox", tr("track.received"), v.received)),
        rx.cond(v.due != "", due_fact(v.due), rx.cond(v.expected_due != "", expected_due_fact(v.expected_due))),
        fact(
            "building-2",
            tr("track.center"),
            rx.vstack(
                rx.text(v.center, size=BODY_SIZE, weight="medium"),
                rx.text(v.center_address, size="3", color_scheme="gray"),
                spacing="0",
            ),
        ),
        fact("banknote", tr("procedures.fee"), _fee_status(v)),
        id="dossier-facts",
    )


def _dossier() -> rx.Component:
    v = TrackState.view
    return reading_column(
        rx.cond(SessionState.signed_in, back_link("/my", "track.back_my")),
        rx.text(tr("track.heading"), size="3", color_scheme="gray", weight="medium"),
        rx.heading(
            v.code,
            as_="h1",
            size=HEADING_SIZE,
            **MONO,
            id="dossier-code",
            word_break="break-all",
        ),
        rx.text(bi(v.procedure), size="5", weight="medium"),
        rx.box(status_badge(v.status, v.status_label.vi, v.status_label.en), id="dossier-status", aria_live="polite"),
        rx.cond(TrackState.payment == "paid", notice(tr("pay.done"), "circle-check", "green", role="status")),
        rx.cond(TrackState.payment == "failed", notice(tr("pay.failed"), "circle-alert", "red", role="alert")),
        _todo(),
        _facts(),
        rx.cond(
            v.slips.length() > 0,
            rx.vstack(
                section_title("track.documents"),
                rx.flex(rx.foreach(v.slips, _slip), direction="column", gap="8px", width="100%"),
                **spaced("2"),
                id="slips",
            ),
        ),
        rx.vstack(
            section_title("track.timeline"),
            rx.text(
                rx.icon("radio", size=16, display="inline", vertical_align="-2px"),
                " ",
                tr("track.live"),
                **quiet("3"),
            ),
            rx.el.ol(
                rx.foreach(v.timeline, _timeline_item),
                **BARE_LIST,
                width="100%",
                id="timeline",
                aria_live="polite",
                aria_relevant="additions text",
            ),
            **spaced("2"),
        ),
    )


def track_page() -> rx.Component:
    return loaded_page(
        TrackState,
        _dossier(),
        page_column(
            rx.heading(tr("track.title"), as_="h1", size=HEADING_SIZE),
            error_notice(TrackState.problem, "track-problem"),
            rx.cond(
                TrackState.need_lookup | ~SessionState.signed_in,
                lookup_form(),
                back_link("/my", "track.back_my"),
            ),
        ),
    )


def lookup_page() -> rx.Component:
    return shell(
        page_column(
            rx.heading(tr("track.title"), as_="h1", size=HEADING_SIZE),
            lookup_form(),
        )
    )
