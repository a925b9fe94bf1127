"""The refusal an officer's page shows: a use case's bilingual "no", kept until the next click lets the person in.

Why one mixin: the counter, the dossier and the queue panel each held `error_vi`/`error_en`, and each event
spelled out the same three steps — check the officer again (session.gate), clear the last refusal, and on a
`DomainError` keep its two sentences. The steps are the same on every page; only the use case differs.
"""

from __future__ import annotations

import reflex as rx
from reflex_base.event import EventSpec

from onestop.domain.errors import DomainError
from onestop.services.actor import Actor
from onestop.ui.routes import PageSpec
from onestop.ui.session import gate


class RefusalMixin(rx.State, mixin=True):
    """The page's refusal in both languages (empty while there is none)."""

    error_vi: str = ""
    error_en: str = ""

    def _refuse(self, err: DomainError) -> None:
        """Show the use case's refusal (its own sentences, in both languages)."""
        self.error_vi, self.error_en = err.vi, err.en

    async def _let_in(self, page: PageSpec) -> tuple[Actor | None, EventSpec | None]:
        """`gate(self, page)`: (the person, None) with the last refusal cleared (a new click starts clean), or
        (None, the redirect to sign in) with the page left as it was."""
        actor, redirect = await gate(self, page)
        if actor is not None:
            self.error_vi = self.error_en = ""
        return actor, redirect
