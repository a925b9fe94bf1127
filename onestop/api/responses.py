"""The one JSON error envelope and the cache headers every API module answers with.

Why one module: the citizen, officer, field, push and dashboard routes had each
grown their own `_error` helper and header constants; clients parse a single
shape, `{"error": {"code", "vi", "en", "field", ["errors"], ["missing"]}}`, so
it is written once here and every route answers with it.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from onestop.api.guard import error_response
from onestop.domain.errors import DomainError

#: Answers that must never be cached anywhere (tokens, sync results, push keys).
NO_STORE = {"Cache-Control": "no-store"}
#: Answers about one signed-in person (their dossiers, files, figures): not cached, not sniffed.
PRIVATE = {"Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff"}


def error_body(err: DomainError) -> dict[str, Any]:
    """The error envelope's inside: the code, both messages, the field, and per-field messages or what is missing."""
    body: dict[str, Any] = dict(err.as_dict())
    if err.errors is not None:
        body["errors"] = err.errors
    if err.missing is not None:
        body["missing"] = err.missing
    return body


def error_json(err: DomainError, headers: dict[str, str] = NO_STORE) -> JSONResponse:
    """A refused request as JSON, with the error's own HTTP status."""
    return JSONResponse({"error": error_body(err)}, status_code=err.status, headers=headers)


def json_errors(
    headers: dict[str, str] = NO_STORE,
) -> Callable[[Callable[[Request], Awaitable[Response]]], Callable[[Request], Awaitable[Response]]]:
    """Wrap a route: a DomainError becomes the envelope above; anything else the guard's 500 with an error id.

    Why one wrapper: the citizen and field routes each caught the same two cases;
    an unexpected failure must never show a trace to the client, and the error id
    it gets back is the one the log line carries.
    """

    def wrap(fn: Callable[[Request], Awaitable[Response]]) -> Callable[[Request], Awaitable[Response]]:
        @functools.wraps(fn)
        async def wrapped(request: Request) -> Response:
            try:
                return await fn(request)
            except DomainError as err:
                return error_json(err, headers)
            except Exception as exc:  # noqa: BLE001 - never a trace to the client; the log has it
                answer = error_response(request, exc)
                answer.headers.update(headers)
                return answer

        return wrapped

    return wrap
