"""Small pieces the queue pages share: the QR image, a bounded poll, the error line, the big number.

Why a poll and not only pushed updates: the hall TV, a kiosk and a phone in a
pocket stay open for hours on weak networks. A tick every few seconds re-reads
the ticket (or the calls) from what is in the page's URL, so after a reconnect —
even after the server restarted and forgot the tab — the next tick shows the
truth again, and the page says when it last heard from the server. The tick is
skipped while the page is hidden (a sleeping phone) and fired at once when it is
shown again. Each tick is one or two indexed queries.
"""

from __future__ import annotations

import base64
import io

import qrcode
import qrcode.image.svg
import reflex as rx
from qrcode.constants import ERROR_CORRECT_M

from onestop.domain.errors import DomainError
from onestop.ui.components.callout import callout
from onestop.ui.i18n import bi


class ErrorWordsMixin(rx.State, mixin=True):
    """Why the last step was refused, in both languages (what `error_line` shows); empty after a step that worked.

    A Reflex mixin, so each page state (ticket, kiosk, appointments) keeps its own words."""

    error_vi: str = ""
    error_en: str = ""

    def _clear_error(self) -> None:
        self.error_vi = self.error_en = ""

    def _fail(self, err: DomainError) -> None:
        self.error_vi, self.error_en = err.vi, err.en


def qr_data_uri(url: str) -> str:
    """An SVG QR code of `url` as a data: URI (sharp on paper at any size, no file to serve)."""
    qr = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=2, image_factory=qrcode.image.svg.SvgPathImage)
    qr.add_data(url)
    qr.make(fit=True)
    buf = io.BytesIO()
    qr.make_image().save(buf)
    return "data:image/svg+xml;base64," + base64.b64encode(buf.getvalue()).decode()


def poller(handler: rx.EventHandler, ident: str, seconds: float) -> rx.Component:
    """A hidden button the browser presses every `seconds` while the page is visible (see module doc)."""
    ms = int(seconds * 1000)
    script = (
        f"(function(){{var k='__tick_{ident}';if(window[k])return;window[k]=1;"
        f"var go=function(){{if(!document.hidden){{var b=document.getElementById('{ident}');if(b)b.click();}}}};"
        f"setInterval(go,{ms});document.addEventListener('visibilitychange',go);}})();"
    )
    return rx.fragment(hidden_trigger(handler, ident), rx.script(script))


def hidden_trigger(handler: rx.EventHandler, ident: str) -> rx.Component:
    """An invisible button a script presses (by its id) to send `handler` to the server; out of the tab order
    and hidden from screen readers."""
    return rx.el.button(
        id=ident, on_click=handler, type="button", aria_hidden="true", tab_index=-1, style={"display": "none"}
    )


def number_look(font_size: str, font_weight: str = "900") -> dict[str, str]:
    """A queue number read from afar (the hall TV, the phone, the slip): heavy, one line tall, with digits of one
    width, so the number does not jump as it changes."""
    return {
        "font_size": font_size,
        "font_weight": font_weight,
        "line_height": "1",
        "font_variant_numeric": "tabular-nums",
    }


def error_line(vi: rx.Var, en: rx.Var, ident: str) -> rx.Component:
    return rx.cond(
        vi != "",
        callout(bi(vi, en), "circle-alert", "red", ident, size="3", role="alert"),
    )
