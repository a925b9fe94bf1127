"""How the web app's bytes travel: compressed, and hashed assets cached for good.

Why: on a 400 kbit/s rural link the first load is the wait (issue 11). Vite
names every built file under `/assets/` after a hash of its content, so a
browser may keep it for a year without asking again (`immutable`): a new build
has new names. Everything textual the server sends (the field app under
`/field/`, JSON, the few assets Reflex did not pre-compress) is gzipped when the
browser accepts it; responses that are already compressed (Reflex's `.gz`
sidecars) or do not shrink (PDFs, photos, fonts) pass through untouched.

Applied as an `api_transformer` around the whole backend (onestop/onestop.py),
so it also covers the frontend files the prod server mounts.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.middleware.gzip import DEFAULT_EXCLUDED_CONTENT_TYPES, GZipMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

IMMUTABLE = "public, max-age=31536000, immutable"
#: Paths whose file names carry a content hash (Vite/React Router build output).
HASHED_PREFIXES = ("/assets/",)
#: Already compressed or not worth the CPU (2-core servers).
NOT_COMPRESSED = (
    *DEFAULT_EXCLUDED_CONTENT_TYPES,
    "application/pdf",
    "image/heic",
    "image/heif",
    "image/*",
    "application/octet-stream",
)
#: Static trees of small text files served by FileResponse (the offline field app).
TEXT_FILE_PREFIXES = ("/field/",)
#: zlib level 6: nearly level 9's size at a fraction of its CPU.
GZIP_LEVEL = 6


class HashedAssetCache:
    """`Cache-Control: public, max-age=31536000, immutable` on successful answers for hashed asset paths."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not str(scope.get("path", "")).startswith(HASHED_PREFIXES):
            await self.app(scope, receive, send)
            return

        async def send_with_cache(message: Message) -> None:
            if message["type"] == "http.response.start" and message.get("status") in (200, 304):
                MutableHeaders(scope=message)["Cache-Control"] = IMMUTABLE
            await send(message)

        await self.app(scope, receive, send_with_cache)


class NoPathsend:
    """Static text files under these prefixes go through the body path, so they can be compressed.

    Why: with granian, Starlette's FileResponse hands the file to the server (`http.response.pathsend`),
    which GZipMiddleware must let through uncompressed; the field app's JavaScript then travelled plain."""

    def __init__(self, app: ASGIApp, prefixes: tuple[str, ...] = TEXT_FILE_PREFIXES) -> None:
        self.app = app
        self.prefixes = prefixes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        extensions = scope.get("extensions") or {}
        if (
            scope["type"] == "http"
            and "http.response.pathsend" in extensions
            and str(scope.get("path", "")).startswith(self.prefixes)
        ):
            scope = {**scope, "extensions": {k: v for k, v in extensions.items() if k != "http.response.pathsend"}}
        await self.app(scope, receive, send)


def deliver(app: ASGIApp) -> ASGIApp:
    """The backend wrapped for delivery: cache headers inside, compression outside."""
    return NoPathsend(
        GZipMiddleware(
            HashedAssetCache(app), minimum_size=500, compresslevel=GZIP_LEVEL, exclude_content_types=NOT_COMPRESSED
        )
    )
