"""`GET /api/v1/health`: is the process up and can it reach the database?

Why it touches the database: a load balancer should stop sending people to a
worker that can serve pages but cannot read or write dossiers.
"""

from __future__ import annotations

import logging

import sqlalchemy as sa
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Route

from onestop.api.responses import NO_STORE
from onestop.db import get_engine

log = logging.getLogger(__name__)


def _database_ok() -> bool:
    try:
        with get_engine().connect() as conn:
            conn.execute(sa.text("SELECT 1"))
        return True
    except Exception:
        log.exception("health check: database unreachable")
        return False


async def health(_request: Request) -> JSONResponse:
    db_ok = await run_in_threadpool(_database_ok)
    body = {"status": "ok" if db_ok else "degraded", "database": "ok" if db_ok else "unreachable"}
    return JSONResponse(body, status_code=200 if db_ok else 503, headers=NO_STORE)


def routes() -> list[BaseRoute]:
    return [Route("/api/v1/health", health, methods=["GET"])]
