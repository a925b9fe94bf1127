"""Test runs only: every HTTP response names the worker process that served it (`x-onestop-worker: <pid>`).

Why: the cross-worker browser tests (tests/e2e/test_cluster.py) must prove that an upload handled by one
Granian worker is downloaded through another; without a mark on the response they could pass by luck with
every request on the same worker. Installed only when ONESTOP_TESTING=1 (onestop.settings), never in production.
"""

from __future__ import annotations

import os

from starlette.types import ASGIApp, Message, Receive, Scope, Send

HEADER = b"x-onestop-worker"


def with_worker_header(app: ASGIApp) -> ASGIApp:
    """Wrap `app` so HTTP responses carry this process's id."""
    pid = str(os.getpid()).encode()

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return

        async def send_with_header(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), (HEADER, pid)]}
            await send(message)

        await app(scope, receive, send_with_header)

    return wrapped
