"""Citizen routes next to the Reflex app: search JSON, private downloads, the sandbox payment gateway.

    GET  /api/v1/procedures?q=…&limit=…          ranked, accent-insensitive, typo-tolerant search (public)
    GET  /api/v1/procedures/{code}               one procedure: documents, fee, durations, centers (public)
    GET  /api/v1/dossiers/{code}/slips/{kind}.pdf submission / receipt / supplement / … slip (signed-in viewer)
    GET  /api/v1/dossiers/{code}/result          the signed electronic result (the applicant)
    GET  /api/v1/attachments/{id}                an uploaded file (its owner or someone who may see its dossier)
    GET  /pay/sandbox?ref&amount&desc&return     the local gateway's checkout page (stands in for a bank)
    POST /pay/sandbox                            approve/cancel → signed redirect to the return route
    GET  /api/v1/payments/return?ref&amount&status&sig&return   signed browser return: record, go back
    POST /api/v1/payments/callback               signed server-to-server notification (JSON), idempotent

Why downloads are routes and not Reflex state: files must never sit in Reflex's
public upload folder, and a browser download needs a plain URL. Each route
re-checks the session cookie against the server-side session table (the cookie
is only a bearer key) and answers "not found" for anything the person may not
see, whether it exists or not.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import quote, urlencode

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from onestop.adapters.payment import GatewayResult, default_gateway
from onestop.api import schemas
from onestop.api.responses import NO_STORE, PRIVATE, json_errors
from onestop.api.tokens import session_token
from onestop.db import transaction
from onestop.domain.errors import DomainError, SignInRequired
from onestop.read import documents, dossier_detail
from onestop.read import procedure as procedure_read
from onestop.read.bilingual import flat
from onestop.read.format import fmt_money
from onestop.services import auth, filing, uploads
from onestop.services.actor import Actor
from onestop.settings import SESSION_COOKIE

T = TypeVar("T")
_MAX_FORM_BYTES = 16 * 1024
#: The web session cookie (one name: onestop.settings.SESSION_COOKIE).
COOKIE_NAME = SESSION_COOKIE


def _in_session(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    with transaction() as session:
        return fn(session, *args, **kwargs)


def _signed_in(session: Any, token: str | None) -> Actor:
    user = auth.user_for_token(session, token)
    if user is None:
        raise SignInRequired()
    return Actor.from_user(user)


def _download(filename: str, data: bytes, mime: str, inline: bool = False) -> Response:
    """Content-Disposition with an ASCII fallback and the UTF-8 name (Vietnamese file names survive)."""
    ascii_name = "".join(ch if ch.isascii() and (ch.isalnum() or ch in "._-") else "_" for ch in filename) or "file"
    disposition = "inline" if inline else "attachment"
    headers = {
        **PRIVATE,
        "Content-Disposition": f"{disposition}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}",
    }
    return Response(data, media_type=mime, headers=headers)


_guard = json_errors(PRIVATE)


# --------------------------------------------------------------------------- public catalog


@_guard
async def procedures_search(request: Request) -> Response:
    query = request.query_params.get("q", "")[:200]
    try:
        limit = int(request.query_params.get("limit", "20"))
    except ValueError:
        limit = 20
    hits = await run_in_threadpool(_in_session, procedure_read.search, query, limit)
    body = {"query": query, "count": len(hits), "results": flat(hits)}
    return JSONResponse(body, headers={"Cache-Control": "public, max-age=60"})


@_guard
async def procedure_detail(request: Request) -> Response:
    detail = await run_in_threadpool(_in_session, procedure_read.procedure_detail, request.path_params["code"])
    body = flat(detail)
    # As published: a center is {id (text), name, address, phone}; the pages' shape holds more (queue fields).
    body["centers"] = [
        {"id": str(c.id), "name": c.name, "address": c.address, "phone": c.phone} for c in detail.centers
    ]
    return JSONResponse(body, headers={"Cache-Control": "public, max-age=60"})


# --------------------------------------------------------------------------- private downloads


@_guard
async def dossier_slip(request: Request) -> Response:
    token, code, kind = session_token(request), request.path_params["code"], request.path_params["kind"]

    def work(session: Any) -> tuple[str, bytes]:
        return documents.slip(session, _signed_in(session, token), code, kind)

    name, data = await run_in_threadpool(_in_session, work)
    return _download(name, data, "application/pdf", inline=True)


@_guard
async def dossier_result(request: Request) -> Response:
    token, code = session_token(request), request.path_params["code"]

    def work(session: Any) -> tuple[Any, bytes]:
        return documents.result_file(session, _signed_in(session, token), code)

    att, data = await run_in_threadpool(_in_session, work)
    return _download(att.filename, data, att.mime)


@_guard
async def attachment(request: Request) -> Response:
    token = session_token(request)
    raw = request.path_params["attachment_id"]
    if not raw.isdigit() or len(raw) > 12:
        raise uploads.not_yours()

    def work(session: Any) -> tuple[Any, bytes]:
        return uploads.read_attachment(session, _signed_in(session, token), int(raw))

    att, data = await run_in_threadpool(_in_session, work)
    return _download(att.filename, data, att.mime)


# --------------------------------------------------------------------------- the sandbox gateway

_PAGE = """<!doctype html>
<html lang="vi"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Cổng thanh toán thử nghiệm</title>
<style>
 body{{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;background:#f3f6fa;color:#111;
      font-size:19px;line-height:1.5}}
 main{{max-width:480px;margin:0 auto;padding:20px 16px 40px}}
 .bank{{background:#0b4f9c;color:#fff;padding:16px;border-radius:14px 14px 0 0;font-weight:700;font-size:20px}}
 .card{{background:#fff;border:1px solid #c9d3df;border-radius:0 0 14px 14px;padding:20px 16px}}
 h1{{font-size:24px;margin:0 0 12px}}
 dl{{margin:0 0 20px}} dt{{color:#374151;font-size:17px}} dd{{margin:0 0 12px;font-weight:600;word-break:break-word}}
 .amount{{font-size:30px;color:#0b4f9c}}
 button{{display:block;width:100%;min-height:56px;font-size:20px;font-weight:700;border-radius:12px;
        margin-top:14px;cursor:pointer}}
 .pay{{background:#0b6b2e;color:#fff;border:0}} .cancel{{background:#fff;color:#8a1c1c;border:2px solid #8a1c1c}}
 .note{{font-size:16px;color:#374151;margin-top:20px}}
 button:focus-visible{{outline:3px solid #f59e0b;outline-offset:3px}}
</style></head>
<body><main>
<div class="bank" role="banner">Cổng thanh toán thử nghiệm (sandbox)</div>
<div class="card">
<h1>Xác nhận thanh toán</h1>
{body}
</div></main></body></html>"""


def _page(body: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(_PAGE.format(body=body), status_code=status, headers=NO_STORE)


@_guard
async def sandbox_checkout(request: Request) -> Response:
    """The bank's page: amount and description, approve or cancel. No login: it stands for the bank."""
    q = request.query_params
    ref, ret = q.get("ref", "")[:64], q.get("return", "")[:500]
    payment = await run_in_threadpool(_in_session, dossier_detail.pending_payment, ref)
    if payment is None or payment.status != "pending":
        return _page(
            "<p>Giao dịch không tồn tại hoặc đã được xử lý.</p>"
            f'<p><a href="{html.escape(filing._local_path(ret))}">Quay lại trang hồ sơ</a></p>',
            404,
        )
    amount = payment.amount  # the amount of the order, never the one in the link
    desc = q.get("desc", "")[:120]
    fields = "".join(
        f'<input type="hidden" name="{k}" value="{html.escape(str(v))}">'
        for k, v in (("ref", ref), ("amount", amount), ("return", ret))
    )
    body = (
        "<dl>"
        f'<dt>Số tiền</dt><dd class="amount">{html.escape(fmt_money(amount, "vi"))}</dd>'
        f"<dt>Nội dung</dt><dd>{html.escape(desc)}</dd>"
        f"<dt>Mã giao dịch</dt><dd>{html.escape(ref)}</dd>"
        "</dl>"
        f'<form method="post" action="/pay/sandbox">{fields}'
        '<button class="pay" type="submit" name="decision" value="paid">Thanh toán</button>'
        '<button class="cancel" type="submit" name="decision" value="failed">Hủy giao dịch</button>'
        "</form>"
        '<p class="note">Đây là cổng thử nghiệm: không có tiền thật được chuyển. '
        "Cổng thật của ngân hàng hoạt động theo đúng các bước này.</p>"
    )
    return _page(body)


@_guard
async def sandbox_decide(request: Request) -> Response:
    """Approve or cancel, sign the result and send the browser back through the signed return route."""
    if int(request.headers.get("content-length") or 0) > _MAX_FORM_BYTES:
        raise DomainError("too_large", "Yêu cầu quá lớn.", "Request too large.", status=413)
    form = await request.form()
    ref = str(form.get("ref", ""))[:64]
    status = "paid" if form.get("decision") == "paid" else "failed"
    try:
        amount = int(str(form.get("amount", "")))
    except ValueError:
        raise DomainError("bad_amount", "Số tiền không hợp lệ.", "Invalid amount.", status=400) from None
    result = GatewayResult(ref, amount, status)
    query = urlencode(
        {
            "ref": ref,
            "amount": amount,
            "status": status,
            "sig": default_gateway().sign(result),
            "return": str(form.get("return", ""))[:500],
        }
    )
    return RedirectResponse(f"/api/v1/payments/return?{query}", status_code=303)


@_guard
async def payment_return(request: Request) -> Response:
    q = request.query_params
    try:
        outcome = await run_in_threadpool(
            _in_session,
            filing.finish_payment,
            q.get("ref", ""),
            q.get("amount", ""),
            q.get("status", ""),
            q.get("sig", ""),
            q.get("return", ""),
        )
    except DomainError as err:
        return _page(
            f'<p>{html.escape(err.vi)}</p><p>{html.escape(err.en)}</p><p><a href="/my">Về trang Hồ sơ của tôi</a></p>',
            err.status,
        )
    return RedirectResponse(outcome.return_path, status_code=303)


@_guard
async def payment_callback(request: Request) -> Response:
    """Server-to-server notification from the gateway (JSON: ref, amount, status, signature)."""
    _, data = await schemas.read_json(request, schemas.PaymentCallback, limit=_MAX_FORM_BYTES)
    outcome = await run_in_threadpool(
        _in_session,
        filing.finish_payment,
        str(data.get("ref", "")),
        data.get("amount", ""),
        str(data.get("status", "")),
        str(data.get("signature", "")),
        "",
    )
    return JSONResponse({"ok": True, "status": outcome.status, "dossier": outcome.code}, headers=PRIVATE)


def routes() -> list[BaseRoute]:
    return [
        Route("/api/v1/procedures", procedures_search, methods=["GET"]),
        Route("/api/v1/procedures/{code}", procedure_detail, methods=["GET"]),
        Route("/api/v1/dossiers/{code}/slips/{kind}.pdf", dossier_slip, methods=["GET"]),
        Route("/api/v1/dossiers/{code}/result", dossier_result, methods=["GET"]),
        Route("/api/v1/attachments/{attachment_id}", attachment, methods=["GET"]),
        Route("/pay/sandbox", sandbox_checkout, methods=["GET"]),
        Route("/pay/sandbox", sandbox_decide, methods=["POST"]),
        Route("/api/v1/payments/return", payment_return, methods=["GET"]),
        Route("/api/v1/payments/callback", payment_callback, methods=["POST"]),
    ]
