"""Authorised file routes for the officer workbench: slips, the signed result, attachments.

    GET /api/v1/officer/dossiers/{id}/documents/{kind}  → PDF (receipt, supplement, refusal, apology,
                                                           stop, control_sheet, result)
    GET /api/v1/officer/attachments/{id}                 → the stored file (PDF or image), inline

Why a route and not Reflex's upload folder: citizen documents are private (see
REFLEX_NOTES "Uploads"); the dossier page previews them in an <iframe>/<img>,
which sends the `onestop_session` cookie (same origin, SameSite=Strict), so each
request is checked against the session table and the dossier's center scope
(`services.permissions`) — a specialist of another center gets the same 404 as
for a missing file. Responses are `private, no-store` and `nosniff`; only the
type sniffed at upload time is ever sent, so nothing is served as HTML.
"""

from __future__ import annotations

from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from onestop.api.responses import PRIVATE, error_json
from onestop.api.schemas import INT64_MAX
from onestop.api.tokens import session_token
from onestop.db import new_session
from onestop.domain.errors import DomainError, SignInRequired
from onestop.domain.lifecycle import OFFICER_ROLES
from onestop.models import Attachment
from onestop.read.dossier_detail import DOCUMENT_KINDS
from onestop.services import auth, results, uploads
from onestop.services.actor import Actor
from onestop.services.dossiers import get_dossier

_NOT_FOUND = DomainError(
    "not_found",
    "Không tìm thấy tệp, hoặc bạn không có quyền xem.",
    "File not found, or you may not see it.",
    status=404,
)


def _officer(session, token: str | None) -> Actor:
    user = auth.user_for_token(session, token) if token else None
    if user is None:
        raise SignInRequired()
    if user.role not in OFFICER_ROLES:
        raise _NOT_FOUND
    return Actor.from_user(user)


def _inline(filename: str, mime: str, data: bytes) -> Response:
    disposition = f"inline; filename*=UTF-8''{quote(filename)}"
    return Response(data, media_type=mime, headers={**PRIVATE, "Content-Disposition": disposition})


def _document(token: str | None, dossier_id: int, kind: str) -> tuple[str, str, bytes]:
    if kind not in DOCUMENT_KINDS or not 0 < dossier_id <= INT64_MAX:
        raise _NOT_FOUND
    with new_session() as session:
        actor = _officer(session, token)
        dossier = get_dossier(session, actor, dossier_id=dossier_id)
        if kind == "result":
            if not dossier.result_attachment_id:
                raise _NOT_FOUND
            att, data = uploads.read_attachment(session, actor, dossier.result_attachment_id)
            return att.filename, att.mime, data
        name, data = results.render_document(session, actor, dossier, kind)
        return name, "application/pdf", data


def _attachment(token: str | None, attachment_id: int) -> tuple[Attachment, bytes]:
    if not 0 < attachment_id <= INT64_MAX:  # the path converter takes any digits; the database does not
        raise _NOT_FOUND
    with new_session() as session:
        actor = _officer(session, token)
        return uploads.read_attachment(session, actor, attachment_id)


async def document(request: Request) -> Response:
    try:
        name, mime, data = await run_in_threadpool(
            _document, session_token(request), request.path_params["dossier_id"], request.path_params["kind"]
        )
    except DomainError as err:
        return error_json(err, PRIVATE)
    return _inline(name, mime, data)


async def attachment(request: Request) -> Response:
    try:
        att, data = await run_in_threadpool(_attachment, session_token(request), request.path_params["attachment_id"])
    except DomainError as err:
        return error_json(err, PRIVATE)
    return _inline(att.filename, att.mime, data)


def routes() -> list[BaseRoute]:
    return [
        Route("/api/v1/officer/dossiers/{dossier_id:int}/documents/{kind:str}", document, methods=["GET"]),
        Route("/api/v1/officer/attachments/{attachment_id:int}", attachment, methods=["GET"]),
    ]
