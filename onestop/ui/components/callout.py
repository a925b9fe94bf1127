"""A callout the page points at by its id: an icon, a colour and a message (or a message and what to do).

Why one helper: the officer pages said the same eight keyword arguments around every
notice (fee not paid, someone changed the dossier meanwhile, done, acting on behalf…);
now a notice names only what is its own: words, icon, colour and id.
"""

from __future__ import annotations

import reflex as rx


def callout(
    body: rx.Component | rx.Var | str,
    icon: str,
    colour: str,
    ident: str,
    *,
    size: str = "2",
    role: str | None = None,
    **style: str,
) -> rx.Component:
    """A full-width callout with `ident` as its id; `role` "alert" / "status" has a screen reader announce it."""
    announce = {"role": role} if role else {}
    return rx.callout(body, icon=icon, color_scheme=colour, size=size, width="100%", **announce, id=ident, **style)


def words_and_action(*children: rx.Component) -> rx.Component:
    """A callout's line: what happened, then the button or link that deals with it, wrapping on a narrow screen."""
    return rx.hstack(*children, align="center", spacing="3", wrap="wrap")
