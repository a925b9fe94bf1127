"""A titled card (the section shape of the officer's dossier page and the counter), and a card that is a link.

Why one helper: each section wrote `rx.card(rx.vstack(rx.heading(..., as_="h2", size="5"), ...,
spacing="3", width="100%"), width="100%")` again; one shape keeps the headings at one level
(screen readers list them as the page's sections) and the spacing the same everywhere. Likewise
a card the whole of which opens a page (a procedure, a dossier, a field of the catalog) was a
link written out again with the same "no underline, keep the card's colours" on each page.
"""

from __future__ import annotations

import reflex as rx

from onestop.ui.i18n import tr


def titled_card(title: str | rx.Component, *children: rx.Component, **card_props) -> rx.Component:  # noqa: ANN003
    """`title` is a catalog key (shown as the h2) or a ready header row (a heading with buttons beside it)."""
    heading = rx.heading(tr(title), as_="h2", size="5") if isinstance(title, str) else title
    return rx.card(rx.vstack(heading, *children, spacing="3", width="100%"), width="100%", **card_props)


def card_link(body: rx.Component, href: rx.Var | str, **props) -> rx.Component:  # noqa: ANN003
    """The whole card `body` opens `href`: one big target for a finger, in the card's own colours, never underlined."""
    return rx.link(body, href=href, underline="none", color="inherit", **props)
