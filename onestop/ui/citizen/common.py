"""State helpers shared by the citizen pages: the code in the route, the signed-in actor, error texts."""

from __future__ import annotations

import reflex as rx

from onestop.domain.errors import DomainError
from onestop.services.actor import Actor
from onestop.ui.components.route_args import route_code, safe_code
from onestop.ui.routes import PageSpec
from onestop.ui.session import SessionState

__all__ = ["CITIZEN_PAGE", "actor_of", "message_of", "route_code", "safe_code"]

#: Pages only a signed-in citizen may open (apply, confirmation, pay, supplement, rate); see session.gate.
CITIZEN_PAGE = PageSpec("citizen", "/my", frozenset({"citizen"}), "nav.my")


async def actor_of(state: rx.State) -> Actor | None:
    """The signed-in person, re-checked against the session table (None for visitors); see SessionState.actor."""
    session = await state.get_state(SessionState)
    return await session.actor()


def message_of(err: DomainError) -> tuple[str, str]:
    return err.vi, err.en
