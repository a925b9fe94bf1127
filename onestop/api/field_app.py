"""The offline field app: static files under `/field/` (no build step), plus `/field` → `/field/`.

Why the redirect: Starlette's Mount only matches `/field/...`; without it a bare
`/field` falls through to Reflex's 404 page.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from onestop.settings import PROJECT_ROOT

FIELD_APP_DIR = PROJECT_ROOT / "field_app"


async def _to_slash(_request: Request) -> RedirectResponse:
    return RedirectResponse("/field/", status_code=308)


def routes() -> list[BaseRoute]:
    return [
        Route("/field", _to_slash, methods=["GET", "HEAD"]),
        Mount("/field", app=StaticFiles(directory=FIELD_APP_DIR, html=True), name="field_app"),
    ]
