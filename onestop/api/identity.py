"""Routes of "Sign in with VNeID" (relying party) and of the sandbox identity provider.

    GET  /auth/vneid/start        → 303 to the provider, with state and nonce kept in a sealed cookie
    GET  /auth/vneid/callback     ← code + state; verify, open a session, set the session cookie → /my
    GET  /idp/sandbox/authorize   the sandbox provider's consent page (a real redirect target)
    POST /idp/sandbox/authorize   consent given → 303 back with a code
    POST /idp/sandbox/token       code → signed ID token (client_secret_post)
    GET  /idp/sandbox/jwks        the provider's public keys

Why the flow cookie is sealed and HttpOnly: `state` and `nonce` prove the answer
belongs to the sign-in this browser started (CSRF, replay); the browser only
carries them. SameSite=Lax so the provider's top-level redirect back brings it.
"""

from __future__ import annotations

import html
import json
import secrets
import time
from typing import Any
from urllib.parse import urlencode

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from onestop.adapters.identity import Identity, OidcClient, SandboxProvider, sandbox_config
from onestop.adapters.population import registry
from onestop.api import schemas
from onestop.api.responses import NO_STORE
from onestop.db import new_session, transaction
from onestop.domain.errors import DomainError
from onestop.services import auth
from onestop.settings import SESSION_COOKIE, get_settings
from onestop.ui import state_seal

FLOW_COOKIE = "onestop_vneid"
FLOW_SECONDS = 600
_MAX_FORM = 4096

#: Tests plug in a requests-compatible client for the server-to-server calls (None: real HTTP).
http_client: Any = None


def _client() -> OidcClient:
    return OidcClient(sandbox_config(), http=http_client)


def _page(body: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(
        "<!doctype html><html lang='vi'><head><meta charset='utf-8'><meta name='viewport' "
        "content='width=device-width,initial-scale=1'><title>VNeID (thử nghiệm)</title><style>"
        "body{font:18px/1.5 system-ui,sans-serif;max-width:34rem;margin:2rem auto;padding:0 1rem}"
        "input,button{font-size:20px;min-height:48px;width:100%;margin:.4rem 0}"
        "button{background:#b91c1c;color:#fff;border:0;border-radius:8px}.note{color:#555;font-size:15px}</style>"
        f"</head><body><main><h1>VNeID — cổng thử nghiệm</h1>{body}</main></body></html>",
        status_code=status,
        headers=NO_STORE,
    )


def _error_page(err: DomainError) -> HTMLResponse:
    return _page(
        f"<p role='alert'>{html.escape(err.vi)}</p><p>{html.escape(err.en)}</p>"
        "<p><a href='/login'>Quay lại đăng nhập / Back to sign-in</a></p>",
        err.status,
    )


async def start(_request: Request) -> Response:
    state, nonce = secrets.token_urlsafe(24), secrets.token_urlsafe(24)
    sealed = state_seal.seal(json.dumps({"state": state, "nonce": nonce, "exp": int(time.time()) + FLOW_SECONDS}))
    response = RedirectResponse(_client().authorization_url(state, nonce), status_code=303)
    response.set_cookie(
        FLOW_COOKIE,
        sealed,
        max_age=FLOW_SECONDS,
        path="/auth/vneid",
        httponly=True,
        samesite="lax",
        secure=get_settings().public_base_url.startswith("https://"),
    )
    return response


def _finish(code: str, nonce: str) -> tuple[str, str]:
    identity = _client().identity(code, nonce)
    with transaction() as s:
        token, user = auth.sign_in_with_identity(s, identity.national_id, identity.full_name)
        return token, user.role


async def callback(request: Request) -> Response:
    q = request.query_params
    try:
        flow = json.loads(state_seal.unseal(request.cookies.get(FLOW_COOKIE, "")) or "{}")
        if (
            not flow
            or int(flow.get("exp", 0)) < time.time()
            or not q.get("code")
            or not secrets.compare_digest(str(flow.get("state", "")), q.get("state", "")[:100])
        ):
            raise DomainError(
                "vneid_state",
                "Phiên đăng nhập VNeID đã hết hạn hoặc không khớp. Vui lòng thử lại.",
                "The VNeID sign-in expired or does not match. Please try again.",
                status=400,
            )
        token, _role = await run_in_threadpool(_finish, q.get("code", "")[:4096], str(flow["nonce"]))
    except DomainError as err:
        response = _error_page(err)
        response.delete_cookie(FLOW_COOKIE, path="/auth/vneid")
        return response
    settings = get_settings()
    response = RedirectResponse("/my", status_code=303)
    response.delete_cookie(FLOW_COOKIE, path="/auth/vneid")
    # Not HttpOnly on purpose: Reflex reads this cookie from JavaScript (see onestop.ui.session).
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=settings.session_days * 24 * 3600,
        path="/",
        samesite="strict",
        secure=settings.public_base_url.startswith("https://"),
    )
    return response


# --------------------------------------------------------------------------- sandbox provider


def _fields(source: Any) -> dict[str, str]:
    return {k: str(source.get(k, ""))[:500] for k in ("client_id", "redirect_uri", "state", "nonce")}


async def authorize_page(request: Request) -> Response:
    fields = _fields(request.query_params)
    try:
        if request.query_params.get("response_type") != "code":
            raise DomainError("unsupported_response_type", "Yêu cầu không hợp lệ.", "Invalid request.", status=400)
        SandboxProvider.default().check_request(fields["client_id"], fields["redirect_uri"])
    except DomainError as err:
        return _error_page(err)
    hidden = "".join(f"<input type='hidden' name='{k}' value='{html.escape(v)}'>" for k, v in fields.items())
    return _page(
        "<p>OneStop muốn biết bạn là ai. Nhập số định danh cá nhân để đồng ý chia sẻ họ tên và số định danh.</p>"
        f"<form method='post'>{hidden}<label for='national_id'>Số định danh cá nhân (12 chữ số)</label>"
        "<input id='national_id' name='national_id' inputmode='numeric' autocomplete='off' maxlength='12' required>"
        "<button type='submit'>Đồng ý và đăng nhập</button></form>"
        "<p class='note'>Cổng thử nghiệm thay cho VNeID: không cần mật khẩu; người dân lấy từ Cơ sở dữ liệu dân cư "
        "của bản demo.</p>"
    )


def _resident(national_id: str) -> Identity | None:
    with new_session() as s:
        person = registry(s).by_national_id(national_id)
        return Identity(person.national_id, person.full_name) if person else None


async def authorize_consent(request: Request) -> Response:
    if int(request.headers.get("content-length") or 0) > _MAX_FORM:
        return _error_page(schemas.too_large(_MAX_FORM))
    form = await request.form()
    fields = _fields(form)
    national_id = "".join(ch for ch in str(form.get("national_id", "")) if ch.isdigit())[:12]
    provider = SandboxProvider.default()
    try:
        provider.check_request(fields["client_id"], fields["redirect_uri"])
        identity = await run_in_threadpool(_resident, national_id) if len(national_id) == 12 else None
        if identity is None:
            raise DomainError(
                "vneid_unknown",
                "Số định danh này chưa có trong Cơ sở dữ liệu quốc gia về dân cư.",
                "This ID number is not in the national population database.",
                status=404,
            )
    except DomainError as err:
        return _error_page(err)
    code = provider.issue_code(
        client_id=fields["client_id"], redirect_uri=fields["redirect_uri"], nonce=fields["nonce"], identity=identity
    )
    return RedirectResponse(
        f"{fields['redirect_uri']}?{urlencode({'code': code, 'state': fields['state']})}", status_code=303
    )


async def token_endpoint(request: Request) -> Response:
    if int(request.headers.get("content-length") or 0) > _MAX_FORM:
        return JSONResponse({"error": "invalid_request"}, status_code=413)
    form = await request.form()
    if form.get("grant_type") != "authorization_code":
        return JSONResponse({"error": "unsupported_grant_type"}, status_code=400)
    try:
        body = SandboxProvider.default().token(
            code=str(form.get("code", ""))[:4096],
            client_id=str(form.get("client_id", ""))[:100],
            client_secret=str(form.get("client_secret", ""))[:200],
            redirect_uri=str(form.get("redirect_uri", ""))[:500],
        )
    except DomainError as err:
        return JSONResponse({"error": err.code}, status_code=err.status, headers=NO_STORE)
    return JSONResponse(body, headers=NO_STORE)


async def jwks(_request: Request) -> Response:
    return JSONResponse(SandboxProvider.default().jwks(), headers={"Cache-Control": "public, max-age=300"})


def routes() -> list[BaseRoute]:
    return [
        Route("/auth/vneid/start", start, methods=["GET"]),
        Route("/auth/vneid/callback", callback, methods=["GET"]),
        Route("/idp/sandbox/authorize", authorize_page, methods=["GET"]),
        Route("/idp/sandbox/authorize", authorize_consent, methods=["POST"]),
        Route("/idp/sandbox/token", token_endpoint, methods=["POST"]),
        Route("/idp/sandbox/jwks", jwks, methods=["GET"]),
    ]
