"""Buttons whose icon goes with words: icon-only ones (named for screen readers) and icon + words.

Why one place: the officer and queue pages built `rx.button(rx.icon(name, size=18), tr(key), …)`
by hand dozens of times; the icon size and the catalog lookup are the same everywhere.
"""

from __future__ import annotations

import reflex as rx
from reflex_base.event import EventSpec

from onestop.ui.i18n import tr


def icon_action(icon: str, icon_size: int, on_click: EventSpec, label_key: str, **look: str) -> rx.Component:
    """An icon button that runs `on_click`; `label_key` is what a screen reader says (aria-label)."""
    return rx.icon_button(rx.icon(icon, size=icon_size), on_click=on_click, **look, aria_label=tr(label_key))


def worded_button(icon: str, label: str | rx.Var | rx.Component, *, icon_size: int = 18, **props) -> rx.Component:  # noqa: ANN003
    """A button with an icon before its words; `label` is a catalog key, or words already made."""
    return rx.button(rx.icon(icon, size=icon_size), tr(label) if isinstance(label, str) else label, **props)


def header_icon_button(icon: str, label_key: str, **props) -> rx.Component:  # noqa: ANN003
    """A square icon button of the page header (the menu, the display settings), named for screen readers."""
    return rx.icon_button(
        rx.icon(icon, size=26), variant="soft", size="3", width="44px", height="44px", aria_label=tr(label_key), **props
    )
