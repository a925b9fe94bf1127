"""`/display/[center]`: the TV in the waiting hall — the numbers just called and their counters.

Why this look: people read it from ten metres away, some with poor sight, so it
is white and yellow on black, the latest call fills half the screen, and a new
call (or a recall) flashes. The page asks the server every two seconds (a
bounded poll, see components.queue_widgets), so a TV left on all day recovers by
itself from a dropped connection or a server restart. When the center turned
spoken calls on (queue_policy.speech) and someone pressed "turn on spoken calls"
once (browsers only speak after a click), each new call is read out in
Vietnamese with the browser's speech synthesis.
"""

from __future__ import annotations

import json

import reflex as rx

from onestop.db import new_session
from onestop.domain.errors import DomainError
from onestop.i18n import t
from onestop.read import queue as read
from onestop.read.queue import DisplayView
from onestop.services import queue as service
from onestop.ui.components.icon_action import worded_button
from onestop.ui.components.queue_widgets import number_look, poller
from onestop.ui.components.styles import LINE, centred, quiet, spaced
from onestop.ui.i18n import tr
from onestop.ui.offload import off_loop

POLL_SECONDS = 2.0


def _center_from_path(path: str) -> str:
    parts = [p for p in (path or "").split("/") if p]
    code = parts[1] if len(parts) >= 2 and parts[0] == "display" else ""
    return "".join(ch for ch in code if ch.isalnum() or ch in "-_")[:20]


def _view(code: str) -> DisplayView:
    with new_session() as db:
        return read.display_view(db, service.center_by_code(db, code))


class DisplayState(rx.State):
    view: DisplayView = DisplayView()
    found: bool = True
    lost: bool = False
    sound: bool = False
    flash: int = 0
    _last_key: str = ""

    @rx.event
    async def load(self) -> None:
        self._last_key = ""
        await self._refresh(speak=False)

    @rx.event
    async def tick(self):  # noqa: ANN201
        return await self._refresh(speak=True)

    @rx.event
    def enable_sound(self):  # noqa: ANN201
        self.sound = True
        return rx.call_script("try{speechSynthesis.speak(new SpeechSynthesisUtterance(''))}catch(e){}")

    async def _refresh(self, *, speak: bool):  # noqa: ANN202
        code = _center_from_path(self.router.url.path)
        try:
            view = await off_loop(_view, code)
        except DomainError:
            self.found = False
            return None
        except Exception:  # noqa: BLE001 - keep showing the last calls and say the link is down
            self.lost = True
            return None
        self.view, self.found, self.lost = view, True, False
        newest = view.calls[0] if view.calls else None
        if newest is None or newest.key == self._last_key:
            return None
        first_load = self._last_key == ""
        self._last_key = newest.key
        if first_load and not speak:
            return None
        self.flash += 1
        if view.speech and self.sound:
            text = t("q.speech", "vi", number=newest.number.lstrip("U0") or "0", counter=newest.counter)
            return rx.call_script(
                "try{var u=new SpeechSynthesisUtterance(" + json.dumps(text) + ");u.lang='vi-VN';u.rate=0.9;"
                "speechSynthesis.speak(u);}catch(e){}"
            )
        return None


#: The colour of a called number on the hall screen (yellow on black), also its flash.
_YELLOW = "#ffd60a"
#: The top bar: a dark strip across the screen, its items on one line.
_BAR = {**LINE, "spacing": "5", "padding": "16px 32px", "background": "#111"}
#: The space under the top bar (84 px), shared by the two panes and the "nobody called yet" line.
_BELOW_BAR = "calc(100vh - 84px)"
#: The whole screen: black, exactly the TV's size (nobody scrolls a TV).
_HALL = {"background": "#000", "min_height": "100vh", "width": "100%", "overflow": "hidden"}


def _counter(counter: rx.Var | rx.Component, font_size: str, font_weight: str) -> rx.Component:
    """ "Quầy 3" in white: where the person just called goes (the latest call, and each recent one)."""
    return rx.text(tr("q.display_counter"), " ", counter, font_size=font_size, font_weight=font_weight, color="white")


def _recent(row: rx.Var) -> rx.Component:
    return rx.hstack(
        rx.text(row.number, font_size="64px", font_weight="800", color=_YELLOW, font_variant_numeric="tabular-nums"),
        rx.spacer(),
        _counter(row.counter, "48px", "700"),
        **LINE,
        padding_y="6px",
        border_bottom="2px solid #333",
    )


def _top_bar() -> rx.Component:
    """The center's name, how many wait, when the screen last heard from the server, and "turn on spoken calls"."""
    v = DisplayState.view
    return rx.hstack(
        rx.text(v.center_name, font_size="34px", font_weight="700", color="white"),
        rx.spacer(),
        rx.text(
            tr("q.display_waiting"),
            ": ",
            rx.text(v.waiting, as_="span", id="display-waiting"),
            font_size="30px",
            color="#e5e5e5",
        ),
        rx.text(v.updated_at, font_size="26px", color="#a3a3a3", id="display-updated"),
        rx.cond(DisplayState.lost, rx.icon("wifi-off", size=32, color="#ff6b6b")),
        rx.cond(
            v.speech & ~DisplayState.sound,
            worded_button(
                "volume-2",
                "q.display_sound",
                icon_size=24,
                on_click=DisplayState.enable_sound,
                **quiet("3"),
                variant="outline",
            ),
        ),
        **_BAR,
    )


def _latest() -> rx.Component:
    """The latest call, as large as the screen allows; it flashes (`q-flash`) when it changes."""
    newest = DisplayState.view.calls[0]
    return rx.vstack(
        rx.text(tr("q.display_now"), font_size="56px", color="white", font_weight="600"),
        rx.text(
            newest.number,
            **number_look("min(30vh, 22vw)"),
            color=_YELLOW,
            id="display-number",
            key=DisplayState.flash.to_string(),
            class_name=rx.cond(DisplayState.flash > 0, "q-flash", ""),
        ),
        _counter(rx.text(newest.counter, as_="span", id="display-counter"), "min(12vh, 9vw)", "800"),
        **centred("2"),
        justify="center",
        height="100%",
        border_right="3px solid #333",
    )


def _earlier() -> rx.Component:
    """The calls before the latest one, newest first."""
    return rx.vstack(
        rx.text(tr("q.display_recent"), font_size="40px", color="#a3a3a3", font_weight="600"),
        rx.foreach(DisplayState.view.calls[1:], _recent),
        **spaced("1"),
        padding="24px 40px",
    )


def display_page() -> rx.Component:
    return rx.box(
        poller(DisplayState.tick, "display-tick", POLL_SECONDS),
        _top_bar(),
        rx.cond(
            DisplayState.view.calls.length() > 0,
            rx.grid(_latest(), _earlier(), columns="3fr 2fr", height=_BELOW_BAR, width="100%"),
            rx.center(
                rx.text(rx.cond(DisplayState.found, tr("q.display_none"), "—"), font_size="56px", color="white"),
                height=_BELOW_BAR,
            ),
        ),
        rx.el.style(
            "@keyframes qflash{0%{background:" + _YELLOW + ";color:#000}100%{background:transparent}}"
            ".q-flash{animation:qflash 1.2s ease-out 2;border-radius:16px;padding:0 24px}"
        ),
        **_HALL,
        lang="vi",
        aria_live="polite",
        id="hall-display",
    )
