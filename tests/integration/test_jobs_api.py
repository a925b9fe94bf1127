"""The push JSON routes in a bare Starlette app: key, subscribe, unsubscribe, and who may call them."""

from __future__ import annotations

import pytest
from sqlmodel import select
from starlette.applications import Starlette
from starlette.testclient import TestClient

from onestop.api import routes, tokens
from onestop.db import transaction
from onestop.demo.catalog import DEMO_PASSWORD
from onestop.models import PushSubscription
from onestop.services.auth import sign_in
from tests.integration.helpers import PHONES

SUB = {
    "endpoint": "https://fcm.googleapis.com/fcm/send/device-1",
    "keys": {"p256dh": "B" + "A" * 86, "auth": "c2VjcmV0LWF1dGgtMTY"},
}


@pytest.fixture()
def client(session):
    with TestClient(Starlette(routes=routes()), base_url="http://localhost:3000") as c:
        yield c


def token_for(session, role: str) -> str:
    with transaction(session):
        token, _ = sign_in(session, PHONES[role], DEMO_PASSWORD)
    return token


def subscriptions(session) -> list[PushSubscription]:
    session.expire_all()
    return list(session.exec(select(PushSubscription).order_by(PushSubscription.id)))


def test_cookie_name_matches_the_web_session():
    from onestop.ui.session import COOKIE_NAME

    assert tokens.SESSION_COOKIE == COOKIE_NAME


def test_public_key_is_the_vapid_key(client):
    from onestop.adapters.push import ensure_vapid_keys
    from onestop.settings import get_settings

    res = client.get("/api/v1/push/key")
    assert res.status_code == 200
    assert res.json()["publicKey"] == ensure_vapid_keys(get_settings().vapid_private_key_path).public_key_b64
    assert len(res.json()["publicKey"]) == 87  # 65-byte uncompressed P-256 point, base64url


def test_subscribe_needs_a_live_session(client, session):
    assert client.post("/api/v1/push/subscribe", json=SUB).status_code == 401
    client.cookies.set(tokens.SESSION_COOKIE, "not-a-token")
    assert client.post("/api/v1/push/subscribe", json=SUB).status_code == 401
    assert subscriptions(session) == []


def test_subscribe_with_the_cookie_several_devices_and_unsubscribe(client, session):
    client.cookies.set(tokens.SESSION_COOKIE, token_for(session, "citizen"))
    res = client.post("/api/v1/push/subscribe", json=SUB)
    assert res.status_code == 201 and res.json() == {"ok": True, "devices": 1}
    second = {**SUB, "endpoint": "https://updates.push.services.mozilla.com/wpush/v2/device-2"}
    assert client.post("/api/v1/push/subscribe", json=second).json()["devices"] == 2
    assert client.post("/api/v1/push/subscribe", json=SUB).json()["devices"] == 2  # same device: updated
    res = client.post("/api/v1/push/unsubscribe", json={"endpoint": SUB["endpoint"]})
    assert res.json() == {"ok": True, "removed": True}
    assert [s.endpoint for s in subscriptions(session)] == [second["endpoint"]]


def test_a_device_follows_the_person_who_signs_in_on_it(client, session):
    client.cookies.set(tokens.SESSION_COOKIE, token_for(session, "citizen"))
    client.post("/api/v1/push/subscribe", json=SUB)
    officer_token = token_for(session, "receiver")
    client.cookies.set(tokens.SESSION_COOKIE, officer_token)
    client.post("/api/v1/push/subscribe", json=SUB)
    [sub] = subscriptions(session)
    from onestop.services.auth import user_for_token

    assert sub.user_id == user_for_token(session, officer_token).id
    # and nobody can unsubscribe someone else's device
    client.cookies.set(tokens.SESSION_COOKIE, token_for(session, "citizen"))
    assert client.post("/api/v1/push/unsubscribe", json={"endpoint": SUB["endpoint"]}).json()["removed"] is False


def test_bearer_token_works_too(client, session):
    res = client.post(
        "/api/v1/push/subscribe", json=SUB, headers={"Authorization": f"Bearer {token_for(session, 'citizen')}"}
    )
    assert res.status_code == 201


@pytest.mark.parametrize(
    "endpoint",
    [
        "http://fcm.googleapis.com/fcm/send/x",  # not HTTPS
        "https://10.0.0.5/push/x",  # the server's own network
        "https://169.254.169.254/latest/meta-data",  # cloud metadata
        "ftp://example.com/x",
        "not a url",
    ],
)
def test_endpoints_that_are_not_public_push_services_are_refused(client, session, endpoint):
    client.cookies.set(tokens.SESSION_COOKIE, token_for(session, "citizen"))
    res = client.post("/api/v1/push/subscribe", json={**SUB, "endpoint": endpoint})
    assert res.status_code == 422
    assert subscriptions(session) == []


def test_loopback_push_service_only_for_a_localhost_site(client, session, monkeypatch):
    from onestop.services import push

    local = {**SUB, "endpoint": "http://127.0.0.1:9999/push/x"}
    client.cookies.set(tokens.SESSION_COOKIE, token_for(session, "citizen"))
    assert client.post("/api/v1/push/subscribe", json=local).status_code == 201  # the test site is localhost

    class Public:
        public_base_url = "https://dichvucong.example.gov.vn"

    monkeypatch.setattr(push, "get_settings", lambda: Public())
    assert push._endpoint_allowed(local["endpoint"]) is False  # noqa: SLF001
    assert push._endpoint_allowed(SUB["endpoint"]) is True  # noqa: SLF001


@pytest.mark.parametrize(
    "body",
    [
        {"endpoint": SUB["endpoint"]},
        {"endpoint": SUB["endpoint"], "keys": {}},
        [1, 2],
        {"endpoint": 5, "keys": SUB["keys"]},
    ],
)
def test_malformed_subscriptions_are_refused(client, session, body):
    client.cookies.set(tokens.SESSION_COOKIE, token_for(session, "citizen"))
    assert client.post("/api/v1/push/subscribe", json=body).status_code == 422


def test_cross_site_and_non_json_requests_are_refused(client, session):
    client.cookies.set(tokens.SESSION_COOKIE, token_for(session, "citizen"))
    res = client.post("/api/v1/push/subscribe", json=SUB, headers={"Origin": "https://evil.example"})
    assert res.status_code == 403
    res = client.post(
        "/api/v1/push/subscribe", content="endpoint=x", headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert res.status_code == 400
    res = client.post("/api/v1/push/subscribe", json=SUB, headers={"Origin": "http://localhost:3000"})
    assert res.status_code == 201
