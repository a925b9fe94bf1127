"""Web Push JSON routes: the VAPID public key, subscribe and unsubscribe a device.

    GET  /api/v1/push/key          → {"publicKey": "<base64url applicationServerKey>"}
    POST /api/v1/push/subscribe    ← PushSubscription.toJSON()   → 201 {"ok": true, "devices": n}
    POST /api/v1/push/unsubscribe  ← {"endpoint": "..."}          → 200 {"ok": true, "removed": bool}

Why these checks: the session token travels in the `onestop_session` cookie
(Reflex sets it from JavaScript, SameSite=Strict) or as `Authorization:
Bearer`; a cross-site page can neither send the cookie nor a JSON body without
a CORS preflight we never grant, and a foreign `Origin` is refused outright.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Route

from onestop.adapters.push import ensure_vapid_keys
from onestop.api import schemas
from onestop.api.responses import NO_STORE, error_json
from onestop.api.tokens import session_token
from onestop.db import new_session, transaction
from onestop.domain.errors import DomainError, SignInRequired
from onestop.models import User
from onestop.services import auth, push
from onestop.settings import get_settings

MAX_BODY = 4096


_BAD_REQUEST = DomainError("bad_request", "Yêu cầu không hợp lệ.", "Bad request.", status=400)
_FOREIGN = DomainError(
    "forbidden_origin", "Yêu cầu từ trang khác bị từ chối.", "Cross-site request refused.", status=403
)


def _same_origin(request: Request) -> bool:
    origin = request.headers.get("origin")
    if not origin:
        return True  # not a browser cross-site request (browsers send Origin on every POST)
    host = request.headers.get("host", "")
    allowed = {urlsplit(get_settings().public_base_url).netloc, host}
    return urlsplit(origin).netloc in allowed


def _user(token: str | None) -> User | None:
    with new_session() as session:
        return auth.user_for_token(session, token)


async def _json_body(request: Request, model: type[schemas.BaseModel]) -> dict:
    """The body checked by the route's schema (onestop.api.schemas)."""
    if not request.headers.get("content-type", "").startswith("application/json"):
        raise _BAD_REQUEST
    _, data = await schemas.read_json(request, model, limit=MAX_BODY)
    return data


_public_keys: dict[str, str] = {}


def _public_key_b64() -> str:
    """The applicationServerKey, read (or created) once per process and key file."""
    path = get_settings().vapid_private_key_path
    if str(path) not in _public_keys:
        _public_keys[str(path)] = ensure_vapid_keys(path).public_key_b64
    return _public_keys[str(path)]


async def public_key(_request: Request) -> JSONResponse:
    key = await run_in_threadpool(_public_key_b64)
    return JSONResponse({"publicKey": key}, headers={"Cache-Control": "public, max-age=3600"})


def _subscribe(user_id: int, body: object) -> int:
    sub = push.parse_subscription(body)
    with transaction() as session:
        push.save_subscription(session, user_id, sub)
        return push.device_count(session, user_id)


def _unsubscribe(user_id: int, endpoint: str) -> bool:
    with transaction() as session:
        return push.remove_subscription(session, user_id, endpoint)


async def _signed_in_body(request: Request, model: type[schemas.BaseModel]) -> tuple[User, dict]:
    """The signed-in user and the checked JSON body of a same-origin request; a DomainError otherwise."""
    if not _same_origin(request):
        raise _FOREIGN
    user = await run_in_threadpool(_user, session_token(request))
    if user is None:
        raise SignInRequired()
    return user, await _json_body(request, model)


async def subscribe(request: Request) -> JSONResponse:
    try:
        user, body = await _signed_in_body(request, schemas.PushSubscribe)
        devices = await run_in_threadpool(_subscribe, user.id, body)
    except DomainError as err:
        return error_json(err)
    return JSONResponse({"ok": True, "devices": devices}, status_code=201, headers=NO_STORE)


async def unsubscribe(request: Request) -> JSONResponse:
    try:
        user, body = await _signed_in_body(request, schemas.PushUnsubscribe)
        removed = await run_in_threadpool(_unsubscribe, user.id, body["endpoint"])
    except DomainError as err:
        return error_json(err)
    return JSONResponse({"ok": True, "removed": removed}, headers=NO_STORE)


def routes() -> list[BaseRoute]:
    return [
        Route("/api/v1/push/key", public_key, methods=["GET"]),
        Route("/api/v1/push/subscribe", subscribe, methods=["POST"]),
        Route("/api/v1/push/unsubscribe", unsubscribe, methods=["POST"]),
    ]
