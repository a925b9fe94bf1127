"""State helpers shared by the citizen pages: the code in the route, the signed-in actor, error texts.

Why the route's `[code]` through Reflex's dynamic route var: the router already
parsed it (and keeps it current on client-side navigation), so no page parses
the URL path itself; `route_code` only checks its shape.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

import reflex as rx

from onestop.domain.errors import DomainError
from onestop.services.actor import Actor
from onestop.ui.routes import PageSpec
from onestop.ui.session import SessionState

__all__ = ["CITIZEN_PAGE", "actor_of", "message_of", "route_code", "safe_code"]

#: Pages only a signed-in citizen may open (apply, confirmation, pay, supplement, rate); see session.gate.
CITIZEN_PAGE = PageSpec("citizen", "/my", frozenset({"citizen"}), "nav.my")

_CODE_RE = re.compile(r"^[A-Za-z0-9._-]{1,40}$")


def safe_code(raw: str) -> str:
    """A procedure or dossier code from a URL, or "" when it is not shaped like one."""
    value = unquote(raw or "").strip()
    return value if _CODE_RE.fullmatch(value) else ""


def route_code(state: rx.State) -> str:
    """The `[code]` of the dynamic route this page was opened on ("" when absent or badly shaped).

    `code` is the var Reflex adds to the root state for every route with a `[code]` segment
    (/procedures/[code], /apply/[code], /dossiers/[code]/…, /officer/dossiers/[code])."""
    return safe_code(str(getattr(state, "code", "") or ""))


async def actor_of(state: rx.State) -> Actor | None:
    """The signed-in person, re-checked against the session table (None for visitors); see SessionState.actor."""
    session = await state.get_state(SessionState)
    return await session.actor()


def message_of(err: DomainError) -> tuple[str, str]:
    return err.vi, err.en
