""" "People often file next": a small block for the procedure page and the page shown after a result is returned.

Why its own state: the procedure and rating pages only add this block and one
on_load event; the query (read.related) counts distinct people and never shows
anyone's history. After a return, suggestions appear only to the dossier's owner.
"""

from __future__ import annotations

import reflex as rx

from onestop.db import new_session
from onestop.read.related import RelatedProcedure, related_after_return, related_procedures
from onestop.ui.components.styles import spaced
from onestop.ui.i18n import bi, tr
from onestop.ui.offload import off_loop


def _segment(path: str, prefix: str) -> str:
    parts = [p for p in (path or "").split("/") if p]
    return parts[1][:40] if len(parts) >= 2 and parts[0] == prefix else ""


def _for_procedure(code: str) -> list[RelatedProcedure]:
    with new_session() as session:
        return related_procedures(session, code)


def _for_dossier(user_id: int | None, code: str) -> list[RelatedProcedure]:
    with new_session() as session:
        return related_after_return(session, user_id, code)


class RelatedState(rx.State):
    items: list[RelatedProcedure] = []

    @rx.event
    async def load_for_procedure(self) -> None:
        self.items = []
        code = _segment(self.router.url.path, "procedures")
        if code:
            self.items = await off_loop(_for_procedure, code)

    @rx.event
    async def load_for_dossier(self) -> None:
        from onestop.ui.session import SessionState

        self.items = []
        actor = await (await self.get_state(SessionState)).actor()
        code = _segment(self.router.url.path, "dossiers")
        if actor is not None and code:
            self.items = await off_loop(_for_dossier, actor.user_id, code)


def related_block() -> rx.Component:
    """Up to three procedure links with how many people filed them next; nothing when there is no suggestion."""
    return rx.cond(
        RelatedState.items.length() > 0,
        rx.vstack(
            rx.heading(tr("related.title"), as_="h2", size="5", weight="bold"),
            rx.el.ul(
                rx.foreach(
                    RelatedState.items,
                    lambda r: rx.el.li(
                        rx.link(bi(r.name), href="/procedures/" + r.code, weight="medium", size="3"),
                        rx.text(" · ", r.people, " ", tr("related.people"), as_="span", size="2", color_scheme="gray"),
                    ),
                ),
                padding_left="20px",
                margin="0",
            ),
            **spaced("2"),
            margin_top="16px",
            id="related-procedures",
        ),
    )
