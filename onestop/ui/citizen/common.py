"""State helpers shared by the citizen pages: the code in the URL, the signed-in actor, error texts.

Why read the code from the URL path: dynamic route arguments become vars on
Reflex's root state, shared by every page that names them alike; reading the
path here keeps each page's state self-contained and testable.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

import reflex as rx

from onestop.domain.errors import DomainError
from onestop.services.actor import Actor
from onestop.ui.routes import PageSpec
from onestop.ui.session import SessionState

__all__ = ["CITIZEN_PAGE", "actor_of", "code_from_path", "message_of", "safe_code"]

#: Pages only a signed-in citizen may open (apply, confirmation, pay, supplement, rate); see session.gate.
CITIZEN_PAGE = PageSpec("citizen", "/my", frozenset({"citizen"}), "nav.my")

_CODE_RE = re.compile(r"^[A-Za-z0-9._-]{1,40}$")


def safe_code(raw: str) -> str:
    """A procedure or dossier code from a URL, or "" when it is not shaped like one."""
    value = unquote(raw or "").strip()
    return value if _CODE_RE.fullmatch(value) else ""


def code_from_path(path: str, prefix: str) -> str:
    """"/dossiers/X01-260101-0001/pay" with prefix "dossiers" → "X01-260101-0001"."""
    parts = [p for p in (path or "").split("/") if p]
    if len(parts) >= 2 and parts[0] == prefix:
        return safe_code(parts[1])
    return ""


async def actor_of(state: rx.State) -> Actor | None:
    """The signed-in person, re-checked against the session table (None for visitors)."""
    session = await state.get_state(SessionState)
    return session._current_actor()


def message_of(err: DomainError) -> tuple[str, str]:
    return err.vi, err.en
