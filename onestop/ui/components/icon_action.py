"""A button shown only as an icon, always named in words for screen readers (edit, delete, remove, next year)."""

from __future__ import annotations

import reflex as rx
from reflex_base.event import EventSpec

from onestop.ui.i18n import tr


def icon_action(icon: str, icon_size: int, on_click: EventSpec, label_key: str, **look: str) -> rx.Component:
    """An icon button that runs `on_click`; `label_key` is what a screen reader says (aria-label)."""
    return rx.icon_button(rx.icon(icon, size=icon_size), on_click=on_click, **look, aria_label=tr(label_key))
