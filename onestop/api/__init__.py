"""JSON/HTTP routes served next to the Reflex app (Starlette), mounted by onestop.onestop.

Why here and not in the app module: the field app, catalog export, push and PDF
routes each get a small module; `routes()` is the one list the app mounts, and
integration tests can mount it in a bare Starlette app without Reflex.
"""

from __future__ import annotations

from starlette.routing import BaseRoute

from onestop.api import field, field_app, health, push


def routes() -> list[BaseRoute]:
    """Every custom route, in match order (they are tried before Reflex's own)."""
    from onestop.api import assistant, citizen, dashboard, identity, officer  # workbench, portal, VNeID, assistant

    return [
        *health.routes(),
        *field.routes(),
        *field_app.routes(),
        *push.routes(),
        *officer.routes(),
        *citizen.routes(),
        *identity.routes(),
        *assistant.routes(),
        *dashboard.routes(),
    ]
