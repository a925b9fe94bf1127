"""Route parameters of dynamic pages, read from Reflex's router and checked for shape.

Why through Reflex's dynamic route var: the router already parsed `[code]` (and
keeps it current on client-side navigation), so no page parses the URL path.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

import reflex as rx

_CODE_RE = re.compile(r"^[A-Za-z0-9._-]{1,40}$")


def safe_code(raw: str) -> str:
    """A procedure or dossier code from a URL, or "" when it is not shaped like one."""
    value = unquote(raw or "").strip()
    return value if _CODE_RE.fullmatch(value) else ""


def route_code(state: rx.State) -> str:
    """The `[code]` of the dynamic route this page was opened on ("" when absent or badly shaped).

    `code` is the var Reflex adds to the root state for every route with a `[code]` segment
    (/procedures/[code], /apply/[code], /dossiers/[code]/…, /officer/dossiers/[code]); no page state
    may declare a var of that name."""
    return safe_code(str(getattr(state, "code", "") or ""))
