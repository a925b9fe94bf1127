"""Larger text and high contrast for older eyes: two switches in the header, remembered on the device.

Why localStorage plus a class on <html>: the choice must hold on every page,
after the browser is closed, and before the first paint (a flash of small text
defeats the point), so `/a11y.js` in the page head reads the same keys and sets
`os-large` / `os-contrast` at once; `/citizen.css` turns those classes into a
bigger Radix scale and darker colours. Nothing goes to the server.
"""

from __future__ import annotations

import reflex as rx

from onestop.ui.components.icon_action import header_icon_button
from onestop.ui.components.styles import COLUMN
from onestop.ui.i18n import tr

LARGE_KEY = "onestop_large_text"
CONTRAST_KEY = "onestop_high_contrast"


def screen_reader_only(*children: rx.Component | rx.Var | str) -> rx.Component:
    """Words only a screen reader says (visually hidden, still in the accessibility tree), e.g. which answer a
    "Sửa" button changes."""
    return rx.text(
        *children,
        class_name="rt-sr-only",
        position="absolute",
        width="1px",
        height="1px",
        overflow="hidden",
        clip="rect(0 0 0 0)",
        white_space="nowrap",
    )


def _toggle_js(css_class: str, on: bool) -> str:
    return f"document.documentElement.classList.toggle('{css_class}', {'true' if on else 'false'})"


class DisplayState(rx.State):
    """The two display switches, synced across the person's tabs."""

    large: str = rx.LocalStorage("0", name=LARGE_KEY, sync=True)
    contrast: str = rx.LocalStorage("0", name=CONTRAST_KEY, sync=True)

    @rx.var
    def large_on(self) -> bool:
        return self.large == "1"

    @rx.var
    def contrast_on(self) -> bool:
        return self.contrast == "1"

    @rx.event
    def set_large(self, on: bool):  # noqa: ANN201 - Reflex event return
        self.large = "1" if on else "0"
        return rx.call_script(_toggle_js("os-large", on))

    @rx.event
    def set_contrast(self, on: bool):  # noqa: ANN201
        self.contrast = "1" if on else "0"
        return rx.call_script(_toggle_js("os-contrast", on))


def _switch_row(label_key: str, hint_key: str, checked: rx.Var, on_change: rx.EventHandler, ident: str) -> rx.Component:
    return rx.el.label(
        rx.hstack(
            rx.vstack(
                rx.text(tr(label_key), size="4", weight="bold"),
                rx.text(tr(hint_key), size="2", color_scheme="gray"),
                spacing="0",
                flex="1",
            ),
            rx.switch(checked=checked, on_change=on_change, size="3", id=ident),
            align="center",
            **COLUMN,
            min_height="48px",
        ),
        html_for=ident,
        cursor="pointer",
        width="100%",
    )


def display_menu() -> rx.Component:
    """The "Aa" button: larger text and high contrast, each one tap away."""
    return rx.popover.root(
        rx.popover.trigger(
            header_icon_button("a-large-small", "a11y.menu", title=tr("a11y.menu"), id="display-settings"),
        ),
        rx.popover.content(
            rx.vstack(
                rx.heading(tr("a11y.menu"), as_="h2", size="4"),
                _switch_row(
                    "a11y.large", "a11y.large_hint", DisplayState.large_on, DisplayState.set_large, "switch-large-text"
                ),
                _switch_row(
                    "a11y.contrast",
                    "a11y.contrast_hint",
                    DisplayState.contrast_on,
                    DisplayState.set_contrast,
                    "switch-high-contrast",
                ),
                **COLUMN,
            ),
            width="min(92vw, 340px)",
            aria_label=tr("a11y.menu"),
        ),
    )
