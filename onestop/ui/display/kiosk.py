"""`/kiosk/[center]`: a number without a phone; `/qr/[center]`: the printable poster with the center's QR.

Why the kiosk prints through the browser: any touch screen with a receipt printer
set as the default printer (Chrome's --kiosk-printing prints without a dialog)
becomes a ticket machine, with no driver code on our side. The slip is laid out
for 80 mm thermal paper (@page 80 mm wide) and carries a QR to the live ticket
page, so someone who has a phone after all can follow the number from outside.
Kiosk numbers do not count against a person's daily limit (there is no person
to count); the slip's token is its only key.
"""

from __future__ import annotations

import reflex as rx

from onestop.db import new_session, transaction
from onestop.domain.errors import DomainError
from onestop.read import queue as read
from onestop.read.centers import CenterInfo
from onestop.read.queue import TicketView
from onestop.services import queue as service
from onestop.settings import get_settings
from onestop.ui.components.icon_action import worded_button
from onestop.ui.components.queue_widgets import ErrorWordsMixin, error_line, number_look, qr_data_uri
from onestop.ui.components.styles import LINE, centred, middle, pressed, spaced
from onestop.ui.i18n import LangState, bi, tr
from onestop.ui.offload import off_loop

#: Seconds the slip stays on screen before the kiosk is ready for the next person.
SLIP_SECONDS = 20

SLIP_PRINT_CSS = """
@media print {
  @page { size: 80mm auto; margin: 2mm; }
  html, body { background: #fff !important; }
  body * { visibility: hidden !important; }
  #slip, #slip * { visibility: visible !important; color: #000 !important; }
  #slip { position: absolute; left: 0; top: 0; width: 76mm; border: none !important; box-shadow: none !important; }
  .no-print { display: none !important; }
}
"""
#: The poster prints on one A4 sheet, without its "print" button.
POSTER_PRINT_CSS = "@media print{@page{size:A4;margin:12mm}.no-print{display:none!important}}"
#: What prints: black on white (the slip, the poster), whatever the screen's theme.
_INK = {"background": "white", "color": "black"}


def _code_from_path(path: str, prefix: str) -> str:
    parts = [p for p in (path or "").split("/") if p]
    code = parts[1] if len(parts) >= 2 and parts[0] == prefix else ""
    return "".join(ch for ch in code if ch.isalnum() or ch in "-_")[:20]


def _center(code: str) -> tuple[CenterInfo, str]:
    with new_session() as db:
        info = read.center_info(db, service.center_by_code(db, code))
    return info, qr_data_uri(f"{get_settings().public_base_url}/ticket?center={info.code}")


def _issue(center_id: int, field_code: str, priority: bool) -> tuple[TicketView, str]:
    with transaction() as db:
        ticket = service.take_number(
            db, center_id=center_id, field_code=field_code, holder=service.KIOSK, priority=priority
        )
        db.flush()
        view = read.ticket_view(db, ticket)
    return view, qr_data_uri(f"{get_settings().public_base_url}/ticket?t={view.token}")


class KioskState(ErrorWordsMixin, rx.State):
    center: CenterInfo = CenterInfo()
    center_qr: str = ""
    found: bool = True
    priority: bool = False
    slip: TicketView = TicketView()
    slip_qr: str = ""
    busy: bool = False
    _issued: int = 0

    async def _load(self, prefix: str) -> None:
        self.slip, self.slip_qr, self.priority, self.busy = TicketView(), "", False, False
        self._clear_error()
        try:
            self.center, self.center_qr = await off_loop(_center, _code_from_path(self.router.url.path, prefix))
            self.found = True
        except DomainError:
            self.found = False

    @rx.event
    async def load(self) -> None:
        await self._load("kiosk")

    @rx.event
    async def load_poster(self) -> None:
        await self._load("qr")

    @rx.event
    def toggle_priority(self) -> None:
        self.priority = not self.priority

    @rx.event
    async def issue(self, field_code: str):  # noqa: ANN201
        if self.busy:
            return None
        self.busy = True
        try:
            self.slip, self.slip_qr = await off_loop(_issue, self.center.id, field_code, self.priority)
        except DomainError as err:
            self._fail(err)
            self.busy = False
            return None
        self.busy, self.priority = False, False
        self._issued += 1
        return [rx.call_script("setTimeout(function(){window.print()}, 400)"), KioskState.expire(self._issued)]

    @rx.event(background=True)
    async def expire(self, issued: int):  # noqa: ANN201
        """Clear the slip after a while so the next person starts fresh."""
        import asyncio

        await asyncio.sleep(SLIP_SECONDS)
        async with self:
            if self._issued == issued:
                self.slip, self.slip_qr = TicketView(), ""

    @rx.event
    def next_person(self) -> None:
        self.slip, self.slip_qr = TicketView(), ""


def _big_button(*children: rx.Component | rx.Var | str, height: str, font_size: str, **props) -> rx.Component:  # noqa: ANN003
    """A kiosk button sized for a finger and read from a step away (never submits a form)."""
    return rx.button(*children, size="4", height=height, font_size=font_size, type="button", **props)


def _wide_button(*children: rx.Component | rx.Var | str, height: str, font_size: str, **props) -> rx.Component:  # noqa: ANN003
    """A big button across the screen whose (long, bilingual) words wrap — with room between the lines, so that
    Vietnamese marks above one line do not touch the line above ("của hộ kinh doanh")."""
    return _big_button(
        *children, height=height, font_size=font_size, white_space="normal", line_height="1.3", width="100%", **props
    )


def _slip_button(*children: rx.Component | rx.Var | str, **props) -> rx.Component:  # noqa: ANN003
    """A button under the slip (print it again, next person): both the same size, side by side."""
    return _big_button(*children, height="80px", font_size="26px", **props)


def _field_tile(choice: rx.Var) -> rx.Component:
    return _wide_button(
        bi(choice.label_vi, choice.label_en),
        on_click=KioskState.issue(choice.value),
        disabled=KioskState.busy,
        height="120px",
        font_size="30px",
        font_weight="700",
    )


#: The slip as it prints: 80 mm thermal paper, black on white, a font every kiosk printer has.
_PAPER = {
    "width": "80mm",
    "max_width": "100%",
    "padding": "4mm",
    **_INK,
    "border": "1px dashed #999",
    "font_family": "DejaVu Sans, Arial, sans-serif",
}


def slip() -> rx.Component:
    s = KioskState.slip
    return rx.vstack(
        rx.text(s.center_name, font_size="16px", font_weight="700", text_align="center"),
        rx.text(bi(s.field_name), font_size="16px", text_align="center"),
        rx.text(tr("q.your_number"), font_size="16px"),
        rx.text(s.number, **number_look("72px"), id="slip-number"),
        rx.cond(s.priority, rx.text(tr("q.priority_badge"), font_size="16px", font_weight="700")),
        rx.text(tr("q.slip_ahead"), ": ", s.ahead, " · ~", s.wait_minutes, " ", tr("q.minutes"), font_size="15px"),
        rx.image(src=KioskState.slip_qr, width="40mm", height="40mm", alt=tr("q.slip_scan")),
        rx.text(tr("q.slip_scan"), font_size="13px", text_align="center"),
        rx.text(s.day, " ", s.taken_at, font_size="13px"),
        id="slip",
        align="center",
        spacing="1",
        **_PAPER,
    )


def _sheet(print_css: str, content: rx.Component, **look: str) -> rx.Component:
    """A whole screen (and what it prints): its print rules, then `content`, at least the window's height."""
    return rx.box(rx.el.style(print_css), content, min_height="100vh", **look)


def _slip_screen() -> rx.Component:
    """After a number is issued: the slip (printing by itself), a button to print it again, and "next person"."""
    return rx.vstack(
        slip(),
        rx.hstack(
            _slip_button(
                rx.icon("printer", size=28),
                tr("q.kiosk_print"),
                on_click=rx.call_script("window.print()"),
                variant="outline",
            ),
            _slip_button(tr("q.kiosk_next"), on_click=KioskState.next_person, id="kiosk-next"),
            spacing="4",
            class_name="no-print",
        ),
        **centred("5"),
        padding="32px",
    )


def _choice_screen() -> rx.Component:
    """The kiosk at rest: the center, the language, priority, and one big button per field."""
    c = KioskState.center
    return rx.vstack(
        rx.hstack(
            rx.text(c.name, font_size="32px", font_weight="700"),
            rx.spacer(),
            rx.button(
                rx.cond(LangState.ui_lang == "vi", "English", "Tiếng Việt"),
                on_click=LangState.toggle,
                size="3",
                variant="outline",
                type="button",
            ),
            **LINE,
        ),
        rx.heading(tr("q.kiosk_title"), as_="h1", font_size="44px"),
        error_line(KioskState.error_vi, KioskState.error_en, "kiosk-error"),
        _wide_button(
            rx.cond(KioskState.priority, rx.icon("square-check", size=36), rx.icon("square", size=36)),
            tr("q.kiosk_priority"),
            on_click=KioskState.toggle_priority,
            **pressed(KioskState.priority),
            color_scheme="orange",
            height="88px",
            font_size="24px",
        ),
        rx.grid(
            rx.foreach(c.fields, _field_tile),
            columns=rx.breakpoints(initial="1", sm="2"),
            gap="20px",
            width="100%",
        ),
        **spaced("5"),
        **middle("1100px", "32px"),
    )


def kiosk_page() -> rx.Component:
    screen = rx.cond(KioskState.slip.number != "", _slip_screen(), _choice_screen())
    return _sheet(SLIP_PRINT_CSS, screen, background="var(--gray-2)", id="kiosk")


def poster_page() -> rx.Component:
    c = KioskState.center
    return _sheet(
        POSTER_PRINT_CSS,
        rx.vstack(
            rx.text(c.name, font_size="30px", font_weight="700", text_align="center"),
            rx.text(c.address, font_size="20px", text_align="center"),
            rx.heading(tr("q.poster_title"), as_="h1", font_size="44px", line_height="1.25", text_align="center"),
            rx.image(src=KioskState.center_qr, width="110mm", height="110mm", alt=tr("q.poster_title"), id="poster-qr"),
            rx.text(tr("q.poster_steps"), font_size="22px", text_align="center", max_width="160mm"),
            worded_button(
                "printer",
                "q.poster_print",
                icon_size=24,
                on_click=rx.call_script("window.print()"),
                size="4",
                class_name="no-print",
                type="button",
            ),
            **centred("5"),
            **middle("190mm", "24px"),
        ),
        **_INK,
    )
