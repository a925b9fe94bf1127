"""The refusal an officer's page shows: a use case's bilingual "no", kept until the next click lets the person in.

Why one mixin and one decorator: the counter, the dossier and the queue panel each held `error_vi`/`error_en`,
and each event spelled out the same steps — check the officer again (session.gate), send the redirect to sign
in when they are no longer let in, clear the last refusal, and on a `DomainError` keep its two sentences. The
steps are the same on every page; only the use case differs. `@gated(page)` does the first three and hands the
handler the person (`actor`) it was let in as.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Awaitable, Callable
from typing import Any

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


def gated(page: PageSpec) -> Callable[[Callable[..., Awaitable[Any]]], Any]:
    """Make `async def handler(self, actor, *args)` an event of a `RefusalMixin` state that runs for people let into
    `page` only (`_let_in`: the refusal cleared, `actor` the person); anyone else gets the redirect to sign in.

    Reflex reads an event's arguments from its signature and type hints, so the event shows the handler's own
    without `actor` (the client never sends it)."""

    def wrap(handler: Callable[..., Awaitable[Any]]) -> Any:
        @functools.wraps(handler)
        async def event(self: RefusalMixin, *args: Any, **kwargs: Any) -> Any:
            actor, redirect = await self._let_in(page)
            if actor is None:
                return redirect
            return await handler(self, actor, *args, **kwargs)

        signature = inspect.signature(handler)
        self_param, _actor, *rest = signature.parameters.values()
        event.__signature__ = signature.replace(parameters=[self_param, *rest])  # type: ignore[attr-defined]
        event.__annotations__ = {k: v for k, v in handler.__annotations__.items() if k != "actor"}
        return rx.event(event)

    return wrap
