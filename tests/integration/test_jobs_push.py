"""Web Push delivery against a local fake push service (an HTTP server on 127.0.0.1).

The fake answers per endpoint path with a script of status codes (201, 404, 410,
429, 503), records every request, and can decrypt the payload with the
"browser's" private key — so these tests prove the real pywebpush request:
headers (TTL, Urgency, Authorization: vapid t=…,k=…, Content-Encoding), the
signed VAPID claims, the encrypted JSON, and what the job does with each answer.
"""

from __future__ import annotations

import base64
import json
import os
import threading
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from sqlmodel import select

from onestop import clock
from onestop.adapters.push import Subscription, WebPushSender, ensure_vapid_keys
from onestop.db import new_session, transaction
from onestop.domain.lifecycle import Action
from onestop.models import Notification, PushSubscription
from onestop.services import push
from onestop.services.dossiers import ActionInput, perform
from onestop.settings import get_settings
from tests.integration.helpers import actor, file_online, user

MONDAY = datetime(2026, 11, 23, 9, 0)


def b64u(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64u(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Browser:
    """A push subscriber's keys, as a browser would hold them (private key never leaves the device)."""

    private_key: ec.EllipticCurvePrivateKey
    auth_secret: bytes

    @classmethod
    def new(cls) -> Browser:
        return cls(ec.generate_private_key(ec.SECP256R1()), os.urandom(16))

    @property
    def p256dh(self) -> str:
        return b64u(
            self.private_key.public_key().public_bytes(
                serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
            )
        )

    @property
    def auth(self) -> str:
        return b64u(self.auth_secret)

    def decrypt(self, body: bytes) -> dict:
        return json.loads(
            http_ece.decrypt(body, private_key=self.private_key, auth_secret=self.auth_secret, version="aes128gcm")
        )


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


class FakePushService:
    """An HTTP push service on 127.0.0.1: `/push/<device>` answers with that device's scripted statuses.

    `script(device, [503, 201])` answers 503 first, then 201 (the last status repeats).
    Every request is recorded; `on_push` (optional) is called with each accepted one.
    """

    def __init__(self) -> None:
        self.requests: list[Received] = []
        self._scripts: dict[str, list[int]] = defaultdict(lambda: [201])
        self._lock = threading.Lock()
        self.on_push = None
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server API
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                received = Received(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
                with service._lock:
                    service.requests.append(received)
                    script = service._scripts[self.path.rsplit("/", 1)[-1]]
                    status = script.pop(0) if len(script) > 1 else script[0]
                self.send_response(status)
                if status in (429, 503):
                    self.send_header("Retry-After", "120" if status == 429 else "5")
                if status == 201:
                    self.send_header("Location", f"{self.path}/msg/{len(service.requests)}")
                self.send_header("Content-Length", "0")
                self.end_headers()
                if status == 201 and service.on_push is not None:
                    service.on_push(received)

            def log_message(self, *_args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def endpoint(self, device: str) -> str:
        return f"{self.origin}/push/{device}"

    def script(self, device: str, statuses: list[int]) -> None:
        self._scripts[device] = list(statuses)

    def to(self, device: str) -> list[Received]:
        return [r for r in self.requests if r.path.endswith(f"/{device}")]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def verify_vapid(authorization: str, audience: str, subject: str, public_key_b64: str) -> dict:
    """Check an RFC 8292 `vapid t=<jwt>,k=<key>` header: our key, ES256 signature, claims. Returns the claims."""
    scheme, _, params = authorization.partition(" ")
    assert scheme == "vapid"
    parts = dict(p.strip().split("=", 1) for p in params.split(","))
    assert parts["k"] == public_key_b64
    header_b64, claims_b64, sig_b64 = parts["t"].split(".")
    assert json.loads(unb64u(header_b64)) == {"typ": "JWT", "alg": "ES256"}
    claims = json.loads(unb64u(claims_b64))
    sig = unb64u(sig_b64)
    public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64u(parts["k"]))
    der = encode_dss_signature(int.from_bytes(sig[:32], "big"), int.from_bytes(sig[32:], "big"))
    try:
        public.verify(der, f"{header_b64}.{claims_b64}".encode(), ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:  # pragma: no cover - the assertion message is the point
        raise AssertionError("VAPID signature does not verify") from None
    assert claims["aud"] == audience and claims["sub"] == subject
    assert time.time() < claims["exp"] <= time.time() + 24 * 3600
    return claims


@pytest.fixture()
def fake_push():
    service = FakePushService()
    yield service
    service.close()


@pytest.fixture()
def sender():
    settings = get_settings()
    s = WebPushSender(ensure_vapid_keys(settings.vapid_private_key_path), settings.vapid_subject)
    yield s
    s.close()


@pytest.fixture(autouse=True)
def _frozen():
    clock.set_now(MONDAY)
    yield
    clock.set_now(None)


def subscribe(session, role: str, fake: FakePushService, device: str) -> Browser:
    browser = Browser.new()
    with transaction(session):
        push.save_subscription(
            session, user(session, role).id, Subscription(fake.endpoint(device), browser.p256dh, browser.auth)
        )
    return browser


def notification(session, kind: str) -> Notification:
    session.expire_all()
    return session.exec(select(Notification).where(Notification.kind == kind)).one()


def deliver(sender, at: datetime) -> push.DeliveryReport:
    clock.set_now(at)
    return push.deliver_pending(sender)


def test_headers_vapid_claims_and_encrypted_payload(session, fake_push, sender):
    browser = subscribe(session, "citizen", fake_push, "phone")
    d = file_online(session)  # the citizen's "submitted" notice
    report = deliver(sender, MONDAY)
    assert (report.claimed, report.sent, report.requests) == (1, 1, 1)
    [req] = fake_push.requests
    # explicit TTL and urgency for this message type (never pywebpush's TTL 0)
    assert req.headers["ttl"] == str(push.policy_for("submitted").ttl) and int(req.headers["ttl"]) > 0
    assert req.headers["urgency"] == "low"
    assert req.headers["content-encoding"] == "aes128gcm"
    verify_vapid(
        req.headers["authorization"], fake_push.origin, get_settings().vapid_subject, sender.keys.public_key_b64
    )
    payload = browser.decrypt(req.body)
    n = notification(session, "submitted")
    assert payload["id"] == n.id and payload["title"] == n.title and payload["url"] == f"/dossiers/{d.code}"
    assert payload["tag"] == f"onestop-{n.id}"
    assert n.push_status == "sent" and n.push_attempts == 1
    assert deliver(sender, MONDAY + timedelta(minutes=1)).claimed == 0  # sent once


def test_urgency_and_ttl_follow_the_message_type(session, fake_push, sender):
    subscribe(session, "citizen", fake_push, "phone")
    d = file_online(session)
    deliver(sender, MONDAY)
    with transaction(session):
        perform(
            session,
            actor(session, "receiver"),
            d.id,
            Action.REQUEST_SUPPLEMENT,
            expected_version=d.version,
            data=ActionInput(missing_items=["Bản sao CCCD"], supplement_deadline=MONDAY + timedelta(days=3)),
        )
    deliver(sender, MONDAY + timedelta(seconds=30))
    req = fake_push.requests[-1]
    assert req.headers["urgency"] == "high" and req.headers["ttl"] == str(3 * 86400 - 30)


def test_a_fresh_claims_dict_for_each_push_service(session, sender):
    first = sender.claims_for("https://fcm.googleapis.com/fcm/send/abc")
    second = sender.claims_for("https://updates.push.services.mozilla.com/wpush/v2/xyz")
    assert first is not second
    assert first["aud"] == "https://fcm.googleapis.com"
    assert second["aud"] == "https://updates.push.services.mozilla.com"


def test_several_devices_and_gone_ones_are_removed(session, fake_push, sender):
    phone = subscribe(session, "citizen", fake_push, "phone")
    subscribe(session, "citizen", fake_push, "old-laptop")
    subscribe(session, "citizen", fake_push, "reinstalled")
    fake_push.script("old-laptop", [410])
    fake_push.script("reinstalled", [404])
    file_online(session)
    report = deliver(sender, MONDAY)
    assert report.sent == 1 and report.requests == 3 and report.subscriptions_removed == 2
    assert phone.decrypt(fake_push.to("phone")[0].body)["kind"] == "submitted"
    session.expire_all()
    left = session.exec(select(PushSubscription.endpoint)).all()
    assert left == [fake_push.endpoint("phone")]
    assert notification(session, "submitted").push_status == "sent"


def test_429_and_503_are_retried_with_backoff_then_delivered(session, fake_push, sender):
    subscribe(session, "citizen", fake_push, "busy")
    fake_push.script("busy", [429, 503, 201])
    file_online(session)
    r1 = deliver(sender, MONDAY)
    n = notification(session, "submitted")
    assert r1.retrying == 1 and n.push_status == "pending" and n.push_attempts == 1
    # the push service asked for 120 s (Retry-After) — longer than our first backoff (30 s)
    assert n.next_attempt_at == MONDAY + timedelta(seconds=120)
    assert deliver(sender, MONDAY + timedelta(seconds=119)).claimed == 0
    r2 = deliver(sender, MONDAY + timedelta(seconds=120))
    n = notification(session, "submitted")
    assert r2.retrying == 1 and n.push_attempts == 2
    # 503 with Retry-After 5: our backoff (60 s for the second attempt) wins
    assert n.next_attempt_at == MONDAY + timedelta(seconds=180)
    r3 = deliver(sender, MONDAY + timedelta(seconds=180))
    assert r3.sent == 1
    n = notification(session, "submitted")
    assert n.push_status == "sent" and n.push_attempts == 3
    assert len(fake_push.to("busy")) == 3
    session.expire_all()
    assert session.exec(select(PushSubscription.last_error)).one() == ""


def test_gives_up_after_max_attempts(session, fake_push, sender):
    subscribe(session, "citizen", fake_push, "down")
    fake_push.script("down", [503])
    file_online(session)
    at = MONDAY
    for _ in range(push.MAX_ATTEMPTS):
        deliver(sender, at)
        n = notification(session, "submitted")
        if n.push_status != "pending":
            break
        at = n.next_attempt_at
    assert n.push_status == "failed" and n.push_attempts == push.MAX_ATTEMPTS
    assert len(fake_push.to("down")) == push.MAX_ATTEMPTS
    session.expire_all()
    assert "503" in session.exec(select(PushSubscription.last_error)).one()  # kept: the device may come back


def test_a_short_lived_message_stops_retrying_when_its_ttl_is_spent(session, fake_push, sender):
    from onestop.services.alerts import notify_user

    subscribe(session, "citizen", fake_push, "down")
    fake_push.script("down", [503])
    citizen = user(session, "citizen")
    notify_user(
        session,
        citizen,
        kind="queue_called",
        text_key="queue.called",
        params={"number": 5, "counter": "3"},
        url="/ticket",
        dedupe_key="queue_called:test",
        sms=False,
    )
    session.commit()
    at, sent_ttls = MONDAY, []
    for _ in range(push.MAX_ATTEMPTS):
        deliver(sender, at)
        sent_ttls.append(int(fake_push.requests[-1].headers["ttl"]))
        n = notification(session, "queue_called")
        if n.push_status != "pending":
            break
        at = n.next_attempt_at
    assert n.push_status == "failed" and n.push_attempts < push.MAX_ATTEMPTS
    assert sent_ttls[0] == 600 and sent_ttls == sorted(sent_ttls, reverse=True)  # the TTL left, never more
    assert fake_push.requests[0].headers["urgency"] == "high"


def test_no_device_means_nothing_to_push(session, sender):
    file_online(session)
    report = deliver(sender, MONDAY)
    assert report.no_device == 1 and report.requests == 0
    assert notification(session, "submitted").push_status == "none"


def test_concurrent_deliverers_send_each_notification_once(session, fake_push, sender):
    subscribe(session, "citizen", fake_push, "phone")
    for _ in range(3):
        file_online(session)
    clock.set_now(MONDAY)
    barrier = threading.Barrier(3)
    reports: list[push.DeliveryReport] = []

    def run() -> None:
        s = WebPushSender(sender.keys, sender.subject)
        barrier.wait()
        reports.append(push.deliver_pending(s, session_factory=new_session))
        s.close()

    threads = [threading.Thread(target=run) for _ in range(3)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(60)
    assert sum(r.sent for r in reports) == 3
    assert len(fake_push.requests) == 3


def test_the_scheduler_job_end_to_end_after_an_officer_action(session, fake_push):
    """The job function the scheduler runs (default sender: the VAPID key in the data directory)."""
    from onestop.jobs import tasks

    phone = subscribe(session, "citizen", fake_push, "phone")
    d = file_online(session)
    tasks.push_delivery()
    with transaction(session):
        perform(session, actor(session, "receiver"), d.id, Action.RECEIVE, expected_version=d.version)
    report = tasks.push_delivery()
    assert report.sent == 1
    payload = phone.decrypt(fake_push.requests[-1].body)
    assert payload["kind"] == "received" and d.code in payload["title"]
