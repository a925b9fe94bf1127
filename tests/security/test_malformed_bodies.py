"""Hostile bodies to every JSON route answer a clear 4xx with a stable code, never 5xx (issue 17, finding 5).

The app is our route list wrapped in the same guard as production
(`onestop.api.guard`), served by Starlette's test client with server exceptions
turned into responses, so a 500 shows up as a 500 rather than as a raised error.
"""

from __future__ import annotations

import json
import uuid

import pytest
from starlette.applications import Starlette
from starlette.routing import Route
from starlette.testclient import TestClient

from onestop.api import routes
from onestop.api.guard import RequestGuard, guard
from onestop.db import new_session
from onestop.services import auth

DEEP = "[" * 100_000 + "]" * 100_000
HOSTILE: list[tuple[str, bytes]] = [
    ("deep_list", DEEP.encode()),
    ("deep_object", ('{"a":' * 5000 + "1" + "}" * 5000).encode()),
    ("deep_in_field", json.dumps({"form_data": {"x": 1}}).replace("1", "[" * 3000 + "]" * 3000).encode()),
    ("infinity", b'{"amount": Infinity, "ref": "x", "status": "paid", "signature": "s"}'),
    ("nan", b'{"amount": NaN}'),
    ("huge_float", b'{"amount": 1e400}'),
    ("huge_int", b'{"resident_id": 99999999999999999999999999, "visit_id": 18446744073709551616}'),
    ("lone_surrogate", b'{"login": "\\ud800", "password": "\\udfff", "payload_hash": "\\ud83d"}'),
    ("bad_utf8", b'{"login": "\xff\xfe"}'),
    ("not_object", b"[1, 2, 3]"),
    ("string", b'"hello"'),
    ("null", b"null"),
    ("empty", b""),
    ("garbage", b"{not json"),
    (
        "extreme_offset",
        json.dumps(
            {
                "captured_at": "0001-01-01T00:00:00+23:59",
                "sent_at": "9999-12-31T23:59:59-23:59",
                "client_uuid": str(uuid.uuid4()),
            }
        ).encode(),
    ),
    ("year_zero_ish", json.dumps({"captured_at": "0001-01-01T00:00:00", "client_uuid": str(uuid.uuid4())}).encode()),
    (
        "wrong_types",
        json.dumps(
            {
                "login": 1,
                "password": [],
                "endpoint": {},
                "keys": 3,
                "client_uuid": 7,
                "form_data": "x",
                "attachments": {"a": 1},
            }
        ).encode(),
    ),
    ("big_number_string", json.dumps({"amount": "9" * 5000, "ref": "x", "status": "paid", "signature": "s"}).encode()),
]
POST_ROUTES = [
    "/api/v1/field/session",
    "/api/v1/field/consents",
    "/api/v1/field/dossiers",
    "/api/v1/push/subscribe",
    "/api/v1/push/unsubscribe",
    "/api/v1/payments/callback",
]


@pytest.fixture()
def client(session) -> TestClient:  # noqa: ANN001
    app = guard(Starlette(routes=routes()))
    with TestClient(app, raise_server_exceptions=False, base_url="http://localhost:3000") as c:
        yield c


def _open_session(phone: str, kind: str) -> str:
    """A live session row without the argon2 check (sign-in itself is tested elsewhere)."""
    import secrets
    from datetime import timedelta

    from sqlmodel import select

    from onestop import clock
    from onestop.models import AuthSession, User

    token = secrets.token_urlsafe(32)
    with new_session() as s:
        user = s.exec(select(User).where(User.phone == phone)).one()
        now = clock.now()
        s.add(
            AuthSession(
                token_hash=auth._token_hash(token),
                user_id=user.id,
                kind=kind,
                created_at=now,
                expires_at=now + timedelta(days=1),
                last_seen_at=now,
            )
        )
        s.commit()
    return token


@pytest.fixture()
def tokens(session) -> dict[str, str]:  # noqa: ANN001
    return {
        "device": _open_session("0901000002", "device"),
        "web": _open_session("0901000001", "web"),
        "officer": _open_session("0901000004", "web"),
    }


def _headers(path: str, tokens: dict[str, str]) -> dict[str, str]:
    h = {"Content-Type": "application/json"}
    if path.startswith("/api/v1/field/"):
        h |= {"Authorization": f"Bearer {tokens['device']}", "X-Device-Id": "dev-sec-0001"}
    elif path.startswith("/api/v1/push/"):
        h |= {"Authorization": f"Bearer {tokens['web']}"}
    return h


@pytest.mark.parametrize("path", POST_ROUTES)
@pytest.mark.parametrize(("name", "body"), HOSTILE, ids=[n for n, _ in HOSTILE])
def test_hostile_body_gets_a_clear_4xx(client, tokens, path, name, body):
    r = client.post(path, content=body, headers=_headers(path, tokens))
    assert 400 <= r.status_code < 500, (path, name, r.status_code, r.text[:300])
    err = r.json()["error"]
    assert err["code"] and err["vi"] and err["en"]
    assert "Traceback" not in r.text


def test_codes_are_stable(client, tokens):
    h = _headers("/api/v1/field/dossiers", tokens)
    assert client.post("/api/v1/field/dossiers", content=DEEP.encode(), headers=h).json()["error"]["code"] == "too_deep"
    r = client.post("/api/v1/payments/callback", content=HOSTILE[3][1], headers=h)
    assert r.json()["error"]["code"] == "bad_json"
    r = client.post(
        "/api/v1/field/dossiers",
        headers=h,
        json={"client_uuid": str(uuid.uuid4()), "captured_at": "0001-01-01T00:00:00+23:59"},
    )
    assert (r.status_code, r.json()["error"]["code"], r.json()["error"]["field"]) == (400, "bad_time", "captured_at")
    r = client.post("/api/v1/field/dossiers", headers=h, json={"visit_id": 2**64})
    assert r.json()["error"]["code"] in ("bad_json", "bad_id")


@pytest.mark.parametrize(
    "path",
    ["/api/v1/officer/attachments/{n}", "/api/v1/officer/dossiers/{n}/documents/receipt", "/api/v1/attachments/{n}"],
)
@pytest.mark.parametrize("n", ["18446744073709551616", "9" * 40, "9223372036854775808", "0"])
def test_ids_beyond_64_bits_are_not_found(client, tokens, path, n):
    r = client.get(path.format(n=n), headers={"Authorization": f"Bearer {tokens['officer']}"})
    assert r.status_code == 404, r.text


def test_declared_size_over_the_limit_is_refused_before_reading(client, tokens):
    h = _headers("/api/v1/field/dossiers", tokens) | {"Content-Length": str(50 * 1024 * 1024)}

    def never():  # the body generator is never consumed past the first chunk when refused early
        yield b"{" + b" " * 1024

    r = client.post("/api/v1/field/dossiers", content=never(), headers=h)
    assert r.status_code == 413 and r.json()["error"]["code"] == "too_large"


def test_streamed_body_is_cut_at_the_limit():
    """A chunked body (no Content-Length) is counted as it arrives and refused at the limit."""
    import asyncio

    seen: list[int] = []

    async def app(scope, receive, send):  # noqa: ANN001, ANN202 - reads everything, as Reflex's /_upload does
        total = 0
        while True:
            message = await receive()
            total += len(message.get("body", b""))
            seen.append(total)
            if not message.get("more_body"):
                break
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    pulled = 0
    sent: list[dict] = []

    async def receive() -> dict:
        nonlocal pulled
        pulled += 1
        return {"type": "http.request", "body": b"x" * 1000, "more_body": pulled < 50_000}  # a 50 MB body

    async def send(message: dict) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": "/_upload", "headers": [(b"transfer-encoding", b"chunked")]}
    asyncio.run(RequestGuard(app, limit_for=lambda _path: 10_000)(scope, receive, send))
    assert sent[0]["status"] == 413
    assert pulled == 11 and max(seen) <= 10_000  # stopped at the first chunk past the limit


def test_unknown_errors_are_a_json_500_with_an_id_and_no_trace(caplog):
    async def boom(_request):  # noqa: ANN001, ANN202
        raise RuntimeError("secret detail /etc/passwd")

    app = guard(Starlette(routes=[Route("/boom", boom)]))
    with TestClient(app, raise_server_exceptions=False) as c:
        r = c.get("/boom")
    assert r.status_code == 500
    body = r.json()["error"]
    assert body["code"] == "server_error" and len(body["error_id"]) == 12
    assert "secret" not in r.text and "Traceback" not in r.text
    assert any(body["error_id"] in rec.getMessage() for rec in caplog.records)


def test_upload_naming_a_handler_without_files_is_a_400():
    from reflex_base.utils.exceptions import UploadValueError

    async def upload(_request):  # noqa: ANN001, ANN202 - what Reflex's /_upload raises for such a handler
        raise UploadValueError("handler has no UploadFile parameter")

    app = guard(Starlette(routes=[Route("/_upload", upload, methods=["POST"])]))
    with TestClient(app, raise_server_exceptions=False) as c:
        r = c.post("/_upload", content=b"--x--", headers={"Reflex-Client-Token": "t", "Reflex-Event-Handler": "s.h"})
    assert r.status_code == 400 and r.json()["error"]["code"] == "not_an_upload"
