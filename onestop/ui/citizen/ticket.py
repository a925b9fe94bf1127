"""`/ticket`: take a queue number from home (the center's QR opens `/ticket?center=X01`) and follow it live.

Why the ticket lives in the URL (`/ticket?t=<token>`): a person opens it from the
QR of a kiosk slip, from a notification, or after the phone slept; the token is
all the page needs, so it works without an account and keeps working after a
reconnect or a server restart (the poll re-reads it from the URL). Signed-in
people get push/in-app notices too and their numbers count against their
account's daily limit; anyone else counts against a random key kept in the
browser. The page never blocks the event loop: reads run off the loop.
"""

from __future__ import annotations

import uuid

import reflex as rx

from onestop.db import new_session, transaction
from onestop.domain.errors import DomainError
from onestop.read import queue as read
from onestop.read.centers import CenterInfo
from onestop.read.queue import TicketView
from onestop.services import queue as service
from onestop.ui.citizen.widgets import cancel_button, focus_target, page_column
from onestop.ui.components.form_field import check_line
from onestop.ui.components.icon_action import worded_button
from onestop.ui.components.queue_widgets import ErrorWordsMixin, error_line, number_look, poller
from onestop.ui.components.styles import BIG_BUTTON, LINE, WRAPPING, centred, full, middle, pressed, quiet
from onestop.ui.i18n import bi, tr
from onestop.ui.layout import shell
from onestop.ui.offload import off_loop
from onestop.ui.session import SessionState, actor_for_token
from onestop.ui.theme import BODY_SIZE

POLL_SECONDS = 4.0


def _open(token: str, center_code: str, session_token: str) -> tuple[str, CenterInfo, TicketView, str]:
    """(mode, center, ticket, redirect) for the page's URL."""
    with new_session() as db:
        if token:
            ticket = service.ticket_by_token(db, token)
            return "ticket", CenterInfo(), read.ticket_view(db, ticket), ""
        if center_code:
            return "choose", read.center_info(db, service.center_by_code(db, center_code)), TicketView(), ""
        actor = actor_for_token(session_token)
        if actor is not None and actor.user_id is not None:
            mine = read.open_ticket_of(db, actor.user_id)
            if mine is not None:
                return "ticket", CenterInfo(), read.ticket_view(db, mine), f"/ticket?t={mine.token}"
    return "missing", CenterInfo(), TicketView(), ""


def _take(center_id: int, field_code: str, priority: bool, device: str, session_token: str) -> str:
    actor = actor_for_token(session_token)
    with transaction() as db:
        holder = service.holder_for(actor, device)
        ticket = service.take_number(
            db,
            center_id=center_id,
            field_code=field_code,
            holder=holder,
            user_id=actor.user_id if actor else None,
            priority=priority,
        )
        return ticket.token


def _cancel(token: str) -> None:
    with transaction() as db:
        service.cancel_ticket(db, token)


class TicketState(ErrorWordsMixin, rx.State):
    mode: str = ""  # "" (loading) | choose | ticket | missing
    center: CenterInfo = CenterInfo()
    view: TicketView = TicketView()
    field_code: str = ""
    priority: bool = False
    busy: bool = False
    lost: bool = False  # the last refresh failed: the page says so instead of showing stale facts as current
    device: str = rx.LocalStorage("", name="onestop_queue_device")
    last_token: str = rx.LocalStorage("", name="onestop_queue_ticket")

    def _params(self) -> tuple[str, str]:
        q = self.router.url.query_parameters
        return str(q.get("t", ""))[:40], str(q.get("center", ""))[:20]

    async def _session_token(self) -> str:
        return (await self.get_state(SessionState)).token

    @rx.event
    async def load(self):  # noqa: ANN201
        token, center = self._params()
        self._clear_error()
        self.busy = self.lost = False
        try:
            mode, info, view, redirect = await off_loop(_open, token, center, await self._session_token())
        except DomainError as err:
            self.mode = "missing"
            self._fail(err)
            return None
        self.mode, self.center, self.view = mode, info, view
        if mode == "choose" and info.fields and self.field_code not in [f.value for f in info.fields]:
            self.field_code = info.fields[0].value
        return rx.redirect(redirect) if redirect else None

    @rx.event
    async def tick(self):  # noqa: ANN201
        """The poll: re-read the ticket named in the URL; buzz the phone when it is called."""
        token, _ = self._params()
        if not token:
            return None
        before = self.view.status
        try:
            _, _, view, _ = await off_loop(_open, token, "", "")
        except Exception:  # noqa: BLE001 - a failed refresh is shown, the next tick tries again
            self.lost = True
            return None
        self.mode, self.view, self.lost = "ticket", view, False
        if view.status == "called" and before != "called":
            return rx.call_script("try{navigator.vibrate&&navigator.vibrate([400,200,400])}catch(e){}")
        return None

    @rx.event
    def choose_field(self, value: str) -> None:
        self.field_code = value

    @rx.event
    def set_priority(self, value: bool) -> None:
        self.priority = bool(value)

    @rx.event
    async def take(self):  # noqa: ANN201
        if self.busy or not self.center.id:
            return None
        self.busy = True
        self._clear_error()
        if len(self.device) < 16:
            self.device = uuid.uuid4().hex + uuid.uuid4().hex[:8]
        try:
            token = await off_loop(
                _take, self.center.id, self.field_code, self.priority, self.device, await self._session_token()
            )
        except DomainError as err:
            self._fail(err)
            self.busy = False
            return rx.call_script("document.getElementById('ticket-error')?.focus()")
        self.last_token = token
        self.busy = False
        return rx.redirect(f"/ticket?t={token}")

    @rx.event
    async def cancel(self):  # noqa: ANN201
        token, _ = self._params()
        try:
            await off_loop(_cancel, token)
        except DomainError as err:
            self._fail(err)
        return TicketState.tick


# --------------------------------------------------------------------------- rendering


def _field_button(choice: rx.Var) -> rx.Component:
    chosen = TicketState.field_code == choice.value
    return rx.button(
        rx.cond(chosen, rx.icon("circle-check", size=24), rx.icon("circle", size=24)),
        bi(choice.label_vi, choice.label_en),
        on_click=TicketState.choose_field(choice.value),
        **pressed(chosen),
        **BIG_BUTTON,
        **WRAPPING,
        width="100%",
        justify_content="start",
        font_size="19px",
        type="button",
    )


def _choose() -> rx.Component:
    c = TicketState.center
    return page_column(
        rx.heading(tr("q.take_title"), as_="h1", size="8"),
        rx.text(c.name, size="5", weight="medium"),
        rx.text(tr("q.pick_field"), size=BODY_SIZE),
        rx.vstack(
            rx.foreach(c.fields, _field_button), spacing="2", width="100%", role="group", aria_label=tr("q.pick_field")
        ),
        check_line(
            rx.checkbox(
                checked=TicketState.priority, on_change=TicketState.set_priority, size="3", id="ticket-priority"
            ),
            "q.priority_label",
            text_size="4",
            spacing="3",
        ),
        rx.text(tr("q.priority_note"), size="2", color_scheme="gray"),
        focus_target(
            error_line(TicketState.error_vi, TicketState.error_en, "ticket-error-box"),
            "ticket-error",
        ),
        worded_button(
            "ticket",
            "q.take_button",
            icon_size=26,
            on_click=TicketState.take,
            loading=TicketState.busy,
            **full("4"),
            min_height="64px",
            font_size="22px",
            id="take-number",
            type="button",
        ),
        rx.cond(
            TicketState.last_token != "",
            rx.link(tr("q.my_last_ticket"), href="/ticket?t=" + TicketState.last_token, size="4"),
        ),
        rx.link(rx.icon("calendar-plus", size=20), tr("q.nav_appointments"), href="/appointments", size="4"),
        max_width="560px",
    )


def _status_block() -> rx.Component:
    v = TicketState.view
    big = {"size": "8", "weight": "bold"}
    return rx.match(
        v.status,
        (
            "waiting",
            rx.vstack(
                rx.text(tr("q.ahead"), ": ", rx.text(v.ahead, as_="span", weight="bold", id="ticket-ahead"), size="6"),
                rx.text(
                    tr("q.wait"),
                    ": ~",
                    rx.text(v.wait_minutes, as_="span", weight="bold", id="ticket-wait"),
                    " ",
                    tr("q.minutes"),
                    size="6",
                ),
                rx.text(tr("q.wait_note"), size="3", color_scheme="gray"),
                **centred("2"),
            ),
        ),
        (
            "called",
            rx.vstack(
                rx.text(tr("q.called_now"), size="6", weight="bold"),
                rx.text(tr("q.go_counter"), " ", rx.text(v.counter, as_="span", id="ticket-counter"), **big),
                spacing="1",
                align="center",
                background="var(--green-9)",
                color="white",
                padding="20px",
                border_radius="12px",
                width="100%",
                role="alert",
                id="ticket-called",
            ),
        ),
        ("serving", rx.text(tr("q.serving"), " ", v.counter, size="6", weight="bold")),
        ("served", rx.text(tr("q.served"), size="6")),
        ("missed", rx.text(tr("q.missed"), size="6", color="var(--red-11)")),
        ("cancelled", rx.text(tr("q.cancelled"), size="6")),
        rx.fragment(),
    )


#: The number on the phone, as big as the screen allows; equal-width digits that do not jump as it changes.
_NUMBER_LOOK = {**number_look("clamp(72px, 28vw, 128px)", "800"), "letter_spacing": "2px"}
#: The ticket on the phone: a bordered slip centred in the column, like the paper one from the kiosk.
_TICKET_LOOK = {
    **middle("560px", "20px"),
    "border": "2px solid var(--gray-6)",
    "border_radius": "16px",
}


def _ticket() -> rx.Component:
    v = TicketState.view
    return rx.vstack(
        poller(TicketState.tick, "ticket-tick", POLL_SECONDS),
        rx.text(v.center_name, size="4", weight="medium", text_align="center"),
        rx.text(tr("q.your_number"), size="5", text_align="center"),
        rx.text(v.number, id="ticket-number", **_NUMBER_LOOK),
        rx.text(bi(v.field_name), size="4", text_align="center"),
        rx.cond(v.priority, rx.badge(tr("q.priority_badge"), size="3", color_scheme="orange")),
        rx.cond(
            ~v.is_today, rx.callout(rx.text(tr("q.other_day"), " ", v.day), icon="calendar-x", color_scheme="amber")
        ),
        rx.box(_status_block(), width="100%", text_align="center", aria_live="polite"),
        rx.box(error_line(TicketState.error_vi, TicketState.error_en, "ticket-error-box"), width="100%"),
        rx.text(
            tr("q.taken_at"),
            " ",
            v.taken_at,
            " · ",
            tr("q.updated"),
            " ",
            rx.text(v.updated_at, as_="span", id="ticket-updated"),
            **quiet("3"),
        ),
        rx.cond(TicketState.lost, rx.text(tr("q.offline"), size="3", color="var(--red-11)", role="status")),
        rx.cond(
            v.status == "waiting",
            cancel_button("q.cancel", TicketState.cancel, **WRAPPING, padding_y="8px", type="button"),
        ),
        **LINE,
        spacing="3",
        **_TICKET_LOOK,
    )


def _missing() -> rx.Component:
    return rx.vstack(
        rx.heading(tr("q.take_title"), as_="h1", size="8"),
        error_line(TicketState.error_vi, TicketState.error_en, "ticket-missing-error"),
        rx.text(tr("q.scan_hint"), size=BODY_SIZE),
        rx.link(rx.icon("calendar-plus", size=20), tr("q.nav_appointments"), href="/appointments", size="4"),
        spacing="4",
    )


def ticket_page() -> rx.Component:
    return shell(
        rx.match(
            TicketState.mode,
            ("choose", _choose()),
            ("ticket", _ticket()),
            ("missing", _missing()),
            rx.center(rx.spinner(size="3"), padding="48px"),
        )
    )
