"""Who is calling: the session token a request carries.

Why one place: five route modules read it, and a session token must be found the same way
everywhere. Web pages send the session cookie (Reflex sets it from JavaScript); the field
app and scripts send `Authorization: Bearer <token>`. The field API reads the header only.
"""

from __future__ import annotations

from starlette.requests import Request

from onestop.settings import SESSION_COOKIE


def bearer_token(request: Request) -> str | None:
    """The token of an `Authorization: Bearer …` header, or None."""
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def session_token(request: Request) -> str | None:
    """The bearer header's token, else the web session cookie's."""
    return bearer_token(request) or request.cookies.get(SESSION_COOKIE) or None
