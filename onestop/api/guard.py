"""ASGI guard around every HTTP route (ours and Reflex's): body size cap and no 500 with a trace.

Why a middleware (issue 17, findings 5 and 8): Reflex's `/_upload` read a 50 MB body
before anything could refuse it, and an exception anywhere (ours or Reflex's) became a
plain 500. Here, before the application reads a byte:
- a declared `Content-Length` over the route's limit is answered 413 at once, and a
  streamed (chunked) body is counted as it arrives and cut off at the limit;
- Reflex's upload errors for a handler that takes no files answer 400, not 500;
- any other exception is logged with an error id and answered with a JSON 500 that
  carries only the stable code and that id (the log has the trace, the client not).
WebSocket traffic passes untouched (Reflex caps event payloads itself).
"""

from __future__ import annotations

import json
import logging
import secrets
from collections.abc import Callable
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from onestop.settings import get_settings

log = logging.getLogger(__name__)

#: Bodies of JSON routes and forms.
DEFAULT_LIMIT = 1024 * 1024
#: Multipart framing around one file.
UPLOAD_OVERHEAD = 256 * 1024
UPLOAD_PREFIXES = ("/_upload", "/api/v1/field/attachments/")


class BodyTooLarge(Exception):
    """Raised into the application when a streamed body passes the limit."""


def body_limit(path: str) -> int:
    """The largest body a path may receive."""
    if path.startswith(UPLOAD_PREFIXES):
        return get_settings().max_upload_mb * 1024 * 1024 + UPLOAD_OVERHEAD
    return DEFAULT_LIMIT


def _error_body(code: str, vi: str, en: str, **extra: Any) -> bytes:
    return json.dumps({"error": {"code": code, "vi": vi, "en": en, "field": None, **extra}}).encode()


def _server_error_body(error_id: str) -> bytes:
    """The unexpected failure's answer: an apology and the id the log line carries, never a trace."""
    return _error_body(
        "server_error",
        "Có lỗi xảy ra. Vui lòng thử lại sau.",
        "Something went wrong. Please try again later.",
        error_id=error_id,
    )


async def _answer(send: Send, status: int, body: bytes) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"cache-control", b"no-store"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def _too_large(limit: int) -> bytes:
    mb = max(1, limit // (1024 * 1024))
    return _error_body(
        "too_large", f"Dữ liệu gửi lên quá lớn (tối đa {mb} MB).", f"The request is too large (at most {mb} MB)."
    )


def _is_upload_misuse(exc: BaseException) -> bool:
    try:
        from reflex_base.utils.exceptions import UploadTypeError, UploadValueError
    except ImportError:  # pragma: no cover - Reflex layout changed
        return False
    return isinstance(exc, UploadTypeError | UploadValueError)


class RequestGuard:
    """Wraps the whole backend app (see `guard` for the api_transformer hook)."""

    def __init__(self, app: ASGIApp, limit_for: Callable[[str], int] = body_limit) -> None:
        self.app = app
        self.limit_for = limit_for

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        limit = self.limit_for(path)
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None:
            if not declared.strip().isdigit():
                await _answer(send, 400, _error_body("bad_request", "Yêu cầu không hợp lệ.", "Invalid request."))
                return
            if int(declared) > limit:
                await _answer(send, 413, _too_large(limit))
                return

        seen = 0
        started = False

        async def counted_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise BodyTooLarge
            return message

        async def tracked_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted_receive, tracked_send)
        except BodyTooLarge:
            if not started:
                await _answer(send, 413, _too_large(limit))
        except Exception as exc:  # noqa: BLE001 - the one place a surprise becomes a clean answer
            if started:
                return  # answered (and logged) by `error_response` inside; Starlette re-raises after that
            if _is_upload_misuse(exc):
                if not started:
                    await _answer(
                        send,
                        400,
                        _error_body(
                            "not_an_upload",
                            "Thao tác này không nhận tệp tải lên.",
                            "This action does not take uploaded files.",
                        ),
                    )
                return
            error_id = secrets.token_hex(6)
            log.exception("unhandled error %s on %s %s", error_id, scope.get("method"), path)
            if not started:
                await _answer(
                    send,
                    500,
                    _server_error_body(error_id),
                )


def error_response(request: Request, exc: Exception) -> Response:
    """Starlette's last-resort handler: a clean JSON answer with an error id, the trace only in the log."""
    if _is_upload_misuse(exc):
        return Response(
            _error_body(
                "not_an_upload", "Thao tác này không nhận tệp tải lên.", "This action does not take uploaded files."
            ),
            status_code=400,
            media_type="application/json",
        )
    error_id = secrets.token_hex(6)
    log.error("unhandled error %s on %s %s", error_id, request.method, request.url.path, exc_info=exc)
    return Response(
        _server_error_body(error_id),
        status_code=500,
        media_type="application/json",
        headers={"Cache-Control": "no-store"},
    )


def _install_handlers(app: object, depth: int = 0) -> None:
    """Give our Starlette app and the Reflex one mounted in it the JSON last-resort handler."""
    if not isinstance(app, Starlette) or depth > 3:
        return
    app.add_exception_handler(Exception, error_response)
    for route in app.routes:
        if isinstance(route, Mount):
            _install_handlers(route.app, depth + 1)


def guard(app: ASGIApp) -> ASGIApp:
    """The api_transformer hook: `rx.App(api_transformer=[Starlette(routes=...), guard])`."""
    _install_handlers(app)
    return RequestGuard(app)
