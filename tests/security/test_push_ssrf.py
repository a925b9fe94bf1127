"""Push endpoints cannot make the server connect inside its own network (issue 17, finding 3).

Every notation the C resolver accepts for loopback/private addresses is refused when
the subscription is saved, and the sender re-checks after resolution, connects to the
checked address, and records only a short error category.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from onestop.adapters import netguard
from onestop.adapters.push import PushMessage, Subscription, WebPushSender, ensure_vapid_keys
from onestop.domain.errors import DomainError
from onestop.services import push
from onestop.settings import get_settings

KEYS = {
    "p256dh": "BOr6lfxQ0ZKSnXJ3r-4mVGJf_zQNTq9OkRPxRXU8c0X0n4-7t0HqVJd7Z0m1-1B6gHhJ4bX8bVb2ZtWn4QnJm1c",
    "auth": "a2V5a2V5a2V5a2V5a2V5aw",
}

LOOPBACK_NOTATIONS = [
    "2130706433",
    "0x7f000001",
    "127.1",
    "0177.0.0.1",
    "0x7f.0.0.1",
    "127.0.0.1",
    "127.000.000.001",
    "127.0.0.1.",
    "localhost",
    "localhost.",
    "LOCALHOST",
    "foo.localhost",
    "[::1]",
    "[::ffff:127.0.0.1]",
    "[::ffff:7f00:1]",
    "[0:0:0:0:0:ffff:7f00:1]",
    "[2002:7f00:1::]",
    "[64:ff9b::7f00:1]",
    "0",
    "0.0.0.0",
    "[::]",
]
PRIVATE_NOTATIONS = [
    "10.0.0.5",
    "0xa000005",
    "167772165",
    "012.0.0.5",
    "192.168.1.1",
    "3232235777",
    "172.16.0.1",
    "169.254.169.254",
    "2852039166",
    "[fe80::1]",
    "[fc00::1]",
    "[fd12:3456::1]",
    "100.64.0.1",
    "224.0.0.1",
    "[ff02::1]",
    "240.0.0.1",
    "255.255.255.255",
    "[::ffff:10.0.0.1]",
    "[64:ff9b::a00:1]",
    "[2002:a00:1::]",
    "metadata",
    "intranet.local",
    "db.internal",
    "router.lan",
    "[2001:0:4136:e378:8000:63bf:3fff:fdd2]",
]


@pytest.fixture()
def public_site(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(push, "site_is_local", lambda: False)


@pytest.mark.parametrize("host", LOOPBACK_NOTATIONS + PRIVATE_NOTATIONS)
def test_subscription_to_an_inside_address_is_refused(public_site, host):
    with pytest.raises(DomainError) as exc:
        push.parse_subscription({"endpoint": f"https://{host}:8443/push/x", "keys": KEYS})
    assert exc.value.code == "push_endpoint_refused"


@pytest.mark.parametrize(
    "host", ["2130706433", "0x7f000001", "127.1", "0177.0.0.1", "10.0.0.5", "169.254.169.254", "[fe80::1]", "metadata"]
)
def test_a_local_site_still_refuses_odd_and_private_notations(monkeypatch, host):
    monkeypatch.setattr(push, "site_is_local", lambda: True)
    with pytest.raises(DomainError):
        push.parse_subscription({"endpoint": f"http://{host}:8443/push/x", "keys": KEYS})


@pytest.mark.parametrize(
    "endpoint",
    [
        "https://fcm.googleapis.com/fcm/send/abc",
        "https://updates.push.services.mozilla.com/wpush/v2/x",
        "https://8.8.8.8/push",
        "https://[2606:4700::1111]/push",
    ],
)
def test_public_push_services_are_accepted(public_site, endpoint):
    assert push.parse_subscription({"endpoint": endpoint, "keys": KEYS}).endpoint == endpoint


@pytest.mark.parametrize(
    "endpoint",
    [
        "http://fcm.googleapis.com/x",
        "https://user:pw@fcm.googleapis.com/x",
        "https://fcm.googleapis.com:99999/x",
        "ftp://fcm.googleapis.com/x",
        "https://fcm..googleapis.com/x",
        "https://-bad-.example.com/x",
    ],
)
def test_malformed_endpoints_are_refused(public_site, endpoint):
    with pytest.raises(DomainError):
        push.parse_subscription({"endpoint": endpoint, "keys": KEYS})


def test_every_address_class_is_classified():
    assert netguard.is_public(ipaddress.ip_address("8.8.8.8"))
    assert netguard.is_public(ipaddress.ip_address("2606:4700::1111"))
    assert not netguard.is_public(ipaddress.ip_address("127.0.0.1"))
    assert netguard.is_public(ipaddress.ip_address("127.0.0.1"), allow_loopback=True)
    assert not netguard.is_public(ipaddress.ip_address("10.0.0.1"), allow_loopback=True)
    assert not netguard.is_public(ipaddress.ip_address("::ffff:169.254.169.254"), allow_loopback=True)


class _Counting:
    """A local HTTP server that counts the connections it gets."""

    def __init__(self) -> None:
        self.requests: list[dict[str, str]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                outer.requests.append(dict(self.headers))
                self.send_response(201)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *_args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture()
def listener():
    srv = _Counting()
    yield srv
    srv.close()


def _sender(allow_loopback: bool) -> WebPushSender:
    settings = get_settings()
    return WebPushSender(
        ensure_vapid_keys(settings.vapid_private_key_path),
        settings.vapid_subject,
        allow_loopback=allow_loopback,
        timeout=(2.0, 2.0),
    )


def _subscription(endpoint: str) -> Subscription:
    from tests.integration.test_jobs_push import Browser

    b = Browser.new()
    return Subscription(endpoint, b.p256dh, b.auth)


MESSAGE = PushMessage(payload='{"title": "x"}', ttl=60)


@pytest.mark.parametrize(
    "host", ["2130706433", "0x7f000001", "127.1", "0177.0.0.1", "localhost.", "127.0.0.1", "[::ffff:127.0.0.1]"]
)
def test_sender_of_a_public_site_never_connects_to_loopback(listener, host):
    sender = _sender(allow_loopback=False)
    try:
        result = sender.send(_subscription(f"http://{host}:{listener.port}/push/a"), MESSAGE)
    finally:
        sender.close()
    assert listener.requests == []
    assert result.refused and result.gone and not result.retryable
    assert str(listener.port) not in result.error and "127" not in result.error


def test_a_name_that_resolves_inside_is_refused_after_resolution(listener, monkeypatch):
    real = socket.getaddrinfo

    def rebinding(host, port, *args, **kwargs):  # noqa: ANN001, ANN202
        if host == "push.example.com":
            return real("127.0.0.1", port, *args, **kwargs)
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    sender = _sender(allow_loopback=False)
    try:
        result = sender.send(_subscription(f"https://push.example.com:{listener.port}/push/a"), MESSAGE)
    finally:
        sender.close()
    assert listener.requests == [] and result.refused


def test_the_sender_connects_to_the_address_it_checked(listener, monkeypatch):
    """Resolved once, then pinned: a second answer from DNS (rebinding) is never asked for."""
    real = socket.getaddrinfo
    lookups: list[str] = []

    def counting(host, port, *args, **kwargs):  # noqa: ANN001, ANN202
        try:
            ipaddress.ip_address(host)
        except ValueError:
            lookups.append(host)
            return real("127.0.0.1", port, *args, **kwargs)
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", counting)
    sender = _sender(allow_loopback=True)
    try:
        result = sender.send(_subscription(f"http://push.example.com:{listener.port}/push/a"), MESSAGE)
    finally:
        sender.close()
    assert result.ok, result
    assert lookups == ["push.example.com"]
    assert listener.requests[0]["Host"] == f"push.example.com:{listener.port}"


def test_errors_carry_no_connection_details(monkeypatch):
    sender = _sender(allow_loopback=True)
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    try:
        result = sender.send(_subscription(f"http://127.0.0.1:{port}/push/a"), MESSAGE)
    finally:
        sender.close()
    assert result.status is None and result.error == "connection_failed"
