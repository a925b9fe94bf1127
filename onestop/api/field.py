"""JSON sync API of the offline field app, under `/api/v1/field/`.

    POST   /api/v1/field/session                 sign in → device token (kind "device", expiring, revocable)
    DELETE /api/v1/field/session                 sign out this device
    GET    /api/v1/field/me                      who am I, server time (the device measures its clock skew)
    GET    /api/v1/field/catalog                 procedures with form schemas (ETag / If-None-Match → 304)
    GET    /api/v1/field/visits                  the supporter's planned visits, with registry data
    GET    /api/v1/field/residents?q=…           registry search (online only)
    HEAD   /api/v1/field/attachments/{sha256}    200 if this supporter already uploaded these bytes, else 404
    PUT    /api/v1/field/attachments/{sha256}    the bytes; ?purpose=document&procedure=…&document=…&filename=…
                                                 or ?purpose=consent; 201 stored / 200 present
    POST   /api/v1/field/consents                consent record by client UUID (201; resend → same answer)
    POST   /api/v1/field/dossiers                dossier by client UUID (201; resend → same answer;
                                                 422 uploads_missing lists files; 409 same UUID, other content)

Every request but sign-in carries `Authorization: Bearer <device token>` and
`X-Device-Id`. Errors are `{"error": {"code", "vi", "en", "field", …}}` so the
device can show the person the server's reason in their language, and decide by
status: 5xx/429/network → retry later with backoff; 401 → sign in again (the
outbox is kept); 422 `uploads_missing` → upload and resend; other 4xx → the
item needs attention.

Why Starlette handlers that hop to a thread: the services are synchronous
SQLModel code; each request gets its own session, so each sync operation is one
transaction.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from onestop.api import schemas
from onestop.api.responses import NO_STORE, error_json, json_errors
from onestop.api.tokens import bearer_token
from onestop.db import transaction
from onestop.domain.errors import DomainError
from onestop.services import field_sync
from onestop.services.actor import Actor
from onestop.settings import get_settings

log = logging.getLogger(__name__)
T = TypeVar("T")

PREFIX = "/api/v1/field"
MAX_JSON_BYTES = 1024 * 1024  # a dossier's form data is a few KB; photos travel separately


def _too_big(limit: int) -> DomainError:
    mb = max(1, limit // (1024 * 1024))
    return DomainError(
        "too_large",
        f"Dữ liệu gửi lên quá lớn (tối đa {mb} MB).",
        f"The upload is too large (at most {mb} MB).",
        status=413,
    )


async def _json(request: Request, model: type[schemas.BaseModel]) -> Any:
    """The body checked by the route's schema (onestop.api.schemas); the original data is passed on."""
    _, data = await schemas.read_json(request, model, limit=MAX_JSON_BYTES)
    return data


def _in_session(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    with transaction() as session:
        return fn(session, *args, **kwargs)


def _authorised(request: Request) -> Callable[[Any], tuple[Actor, dict[str, Any]]]:
    token = bearer_token(request)
    return lambda session: field_sync.device_actor(session, token)


async def _actor(request: Request) -> tuple[Actor, dict[str, Any]]:
    return await run_in_threadpool(_in_session, _authorised(request))


_handler = json_errors(NO_STORE)


def _result(res: field_sync.SyncResult) -> JSONResponse:
    headers = dict(NO_STORE)
    if res.replayed:
        headers["Idempotent-Replay"] = "true"
    return JSONResponse(res.body, status_code=res.status, headers=headers)


# --------------------------------------------------------------------------- handlers


@_handler
async def sign_in(request: Request) -> Response:
    body = await _json(request, schemas.FieldSignIn)
    login, password = body.get("login"), body.get("password")
    label = body.get("device_label") or request.headers.get("user-agent", "")[:80]
    result = await run_in_threadpool(
        _in_session,
        field_sync.device_sign_in,
        login,
        password,
        device_id=body.get("device_id"),
        device_label=str(label)[:80],
        address=request.client.host if request.client else None,
    )
    return JSONResponse(result, status_code=201, headers=NO_STORE)


@_handler
async def sign_out(request: Request) -> Response:
    await run_in_threadpool(_in_session, field_sync.device_sign_out, bearer_token(request))
    return Response(status_code=204, headers=NO_STORE)


@_handler
async def me(request: Request) -> Response:
    _, info = await _actor(request)
    return JSONResponse(info, headers=NO_STORE)


@_handler
async def catalog(request: Request) -> Response:
    await _actor(request)
    snap = await run_in_threadpool(_in_session, field_sync.catalog_snapshot)
    headers = {"ETag": snap.etag, "Cache-Control": "private, no-cache"}
    wanted = [t.strip() for t in request.headers.get("if-none-match", "").split(",")]
    if snap.etag in wanted:
        return Response(status_code=304, headers=headers)
    return Response(snap.body, media_type="application/json", headers=headers)


@_handler
async def visits(request: Request) -> Response:
    actor, _ = await _actor(request)
    data = await run_in_threadpool(_in_session, field_sync.visit_list, actor)
    return JSONResponse(data, headers=NO_STORE)


@_handler
async def residents(request: Request) -> Response:
    actor, _ = await _actor(request)
    found = await run_in_threadpool(_in_session, field_sync.search_residents, actor, request.query_params.get("q", ""))
    return JSONResponse({"residents": found}, headers=NO_STORE)


@_handler
async def attachment(request: Request) -> Response:
    actor, _ = await _actor(request)
    sha = request.path_params["sha256"]
    if request.method == "HEAD":
        present = await run_in_threadpool(_in_session, field_sync.attachment_present, actor, sha)
        return Response(status_code=200 if present else 404, headers=NO_STORE)
    limit = get_settings().max_upload_mb * 1024 * 1024
    data = await schemas.read_body(request, limit, too_big=_too_big)
    q = request.query_params
    res = await run_in_threadpool(
        _in_session,
        field_sync.store_attachment,
        actor,
        sha,
        data,
        purpose=q.get("purpose", "document"),
        procedure_code=q.get("procedure", ""),
        document_code=q.get("document", ""),
        filename=q.get("filename", ""),
    )
    return _result(res)


@_handler
async def consents(request: Request) -> Response:
    actor, _ = await _actor(request)
    body = await _json(request, schemas.FieldConsent)
    return _result(await run_in_threadpool(_in_session, field_sync.record_consent, actor, body))


@_handler
async def dossiers(request: Request) -> Response:
    actor, _ = await _actor(request)
    body = await _json(request, schemas.FieldDossier)
    device = request.headers.get("x-device-id", "")
    res = await run_in_threadpool(_in_session, field_sync.submit_dossier, actor, body, device_id=device)
    return _result(res)


async def _not_found(_request: Request) -> Response:
    return error_json(
        DomainError(
            "not_found", "Không có địa chỉ này trong API thu nhận tại chỗ.", "No such field API address.", status=404
        )
    )


def routes() -> list[BaseRoute]:
    """The field sync routes; mounted by onestop.api.routes()."""
    return [
        Route(f"{PREFIX}/session", sign_in, methods=["POST"]),
        Route(f"{PREFIX}/session", sign_out, methods=["DELETE"]),
        Route(f"{PREFIX}/me", me, methods=["GET"]),
        Route(f"{PREFIX}/catalog", catalog, methods=["GET"]),
        Route(f"{PREFIX}/visits", visits, methods=["GET"]),
        Route(f"{PREFIX}/residents", residents, methods=["GET"]),
        Route(f"{PREFIX}/attachments/{{sha256}}", attachment, methods=["HEAD", "PUT"]),
        Route(f"{PREFIX}/consents", consents, methods=["POST"]),
        Route(f"{PREFIX}/dossiers", dossiers, methods=["POST"]),
        Route(f"{PREFIX}/{{rest:path}}", _not_found, methods=["GET", "POST", "PUT", "DELETE", "HEAD"]),
    ]
