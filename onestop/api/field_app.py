"""The offline field app: static files under `/field/` (no build step), plus `/field` → `/field/`.

Why the redirect: Starlette's Mount only matches `/field/...`; without it a bare
`/field` falls through to Reflex's 404 page.

Why `sw.js` is not served as a plain file: the service worker keeps the app shell
in a cache named after a version; if that version were typed by hand, someone
would forget to change it and phones would keep an old shell forever. The route
stamps the version with a hash of the shell files, so any change to the app
gives a new service worker, which installs the new shell and drops the old
cache (the outbox lives in IndexedDB and is untouched by an update).
"""

from __future__ import annotations

import hashlib
import json
import mimetypes
import re
from functools import lru_cache
from pathlib import Path

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from onestop.settings import PROJECT_ROOT

FIELD_APP_DIR = PROJECT_ROOT / "field_app"
VERSION_PLACEHOLDER = "__SHELL_VERSION__"

# Python's table does not know the web app manifest; browsers want this type for it.
mimetypes.add_type("application/manifest+json", ".webmanifest")


def shell_files(root: Path = FIELD_APP_DIR) -> list[Path]:
    """Every file the service worker precaches (all of field_app/ but the worker itself)."""
    skip = {"sw.js"}
    return sorted(p for p in root.rglob("*") if p.is_file() and p.name not in skip and not p.name.startswith("."))


@lru_cache(maxsize=1)
def _stamped_worker(mtimes: tuple[tuple[str, float], ...]) -> bytes:
    digest = hashlib.sha256()
    for path in shell_files():
        digest.update(str(path.relative_to(FIELD_APP_DIR)).encode())
        digest.update(path.read_bytes())
    source = (FIELD_APP_DIR / "sw.js").read_text(encoding="utf-8")
    urls = ["/field/"] + [f"/field/{p.relative_to(FIELD_APP_DIR).as_posix()}" for p in shell_files()]
    source = re.sub(
        r"^const SHELL = .*// @shell.*$",
        lambda _m: f"const SHELL = {json.dumps(urls)};",
        source,
        count=1,
        flags=re.MULTILINE,
    )
    return source.replace(VERSION_PLACEHOLDER, digest.hexdigest()[:16]).encode()


def _fingerprint() -> tuple[tuple[str, float], ...]:
    return tuple((str(p), p.stat().st_mtime) for p in [*shell_files(), FIELD_APP_DIR / "sw.js"])


async def _to_slash(_request: Request) -> RedirectResponse:
    return RedirectResponse("/field/", status_code=308)


async def _service_worker(_request: Request) -> Response:
    body = _stamped_worker(_fingerprint())
    # no-cache: the browser must check for a new worker on every start, or updates stall.
    return Response(
        body, media_type="text/javascript", headers={"Cache-Control": "no-cache", "Service-Worker-Allowed": "/field/"}
    )


def routes() -> list[BaseRoute]:
    return [
        Route("/field", _to_slash, methods=["GET", "HEAD"]),
        Route("/field/sw.js", _service_worker, methods=["GET", "HEAD"]),
        Mount("/field", app=StaticFiles(directory=FIELD_APP_DIR, html=True), name="field_app"),
    ]
