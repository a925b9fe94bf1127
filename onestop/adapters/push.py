"""Web Push: VAPID keys and one HTTP send per device (pywebpush).

Why an adapter: the delivery job (onestop.services.push) decides who gets what,
when to retry and which subscriptions to drop; this module only knows the wire
protocol. Tests swap in a fake push service by pointing a subscription's
endpoint at a local HTTP server — the real sender is exercised end to end.

Three traps this module closes:
- pywebpush's default TTL is 0 ("deliver now or drop"), which loses every
  message to a phone that is asleep. Every `PushMessage` carries its own TTL
  (> 0) and urgency, chosen per message type by the caller.
- pywebpush writes `aud` and `exp` into the claims dict it is given, so a dict
  shared between sends signs the second push service's request with the first
  one's audience. Each send builds a fresh claims dict.
- `timeout=None` means "wait forever" in requests; a stuck push service must not
  stall the scheduler, so every send has a bounded (connect, read) timeout.
- The endpoint is chosen by a browser, i.e. by anyone: every request goes through
  `netguard.pinned_session` (resolved, public addresses only, connected to the
  checked address, redirects checked too), and an error is recorded as a short
  category (`timeout`, `connection_failed`, `http_503`…), never the socket's or the
  remote server's text, so a subscription cannot be used to probe the network.
"""

from __future__ import annotations

import base64
import logging
import os
import time
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Literal, Protocol
from urllib.parse import urlsplit

import requests
from cryptography.hazmat.primitives import serialization
from py_vapid import Vapid, VapidException
from pywebpush import WebPushException, webpush

from onestop.adapters.netguard import AddressRefused, host_refusal, pinned_session

log = logging.getLogger(__name__)

Urgency = Literal["very-low", "low", "normal", "high"]
URGENCIES: tuple[str, ...] = ("very-low", "low", "normal", "high")
#: RFC 8292: a VAPID token may be valid for at most 24 h; we sign for 12 h.
VAPID_TOKEN_SECONDS = 12 * 3600


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


@dataclass(frozen=True)
class VapidKeys:
    """The server's VAPID key pair: the private key stays in a PEM file, browsers get the public key."""

    private_key_path: Path
    public_key_b64: str  # uncompressed P-256 point, base64url: the browser's applicationServerKey

    def vapid(self) -> Vapid:
        return Vapid.from_file(str(self.private_key_path))


def _public_b64(vapid: Vapid) -> str:
    raw = vapid.public_key.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    return _b64url(raw)


def ensure_vapid_keys(path: Path | str) -> VapidKeys:
    """Load the VAPID key pair, creating it on first run (file mode 0600).

    Why O_EXCL: several workers start at once on a fresh data directory; exactly
    one of them creates the key and the others read it, so every worker signs
    with the key the browsers subscribed with.
    """
    path = Path(path)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fresh = Vapid()
        fresh.generate_keys()
        pem = fresh.private_pem()
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another worker won the race: use its key
        else:
            with os.fdopen(fd, "wb") as fh:
                fh.write(pem)
            log.info("created VAPID key pair at %s", path)
    for _ in range(50):  # the winner may still be writing its file
        text = path.read_bytes()
        if b"-----END" in text:
            break
        time.sleep(0.05)
    vapid = Vapid.from_pem(path.read_bytes())
    return VapidKeys(private_key_path=path, public_key_b64=_public_b64(vapid))


@dataclass(frozen=True)
class Subscription:
    """A browser's push subscription as `PushSubscription.toJSON()` gives it."""

    endpoint: str
    p256dh: str
    auth: str

    def info(self) -> dict:
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth}}


@dataclass(frozen=True)
class PushMessage:
    """One encrypted message: payload (JSON text), how long the push service keeps it, how urgent it is."""

    payload: str
    ttl: int
    urgency: Urgency = "normal"
    topic: str = ""  # a pending message with the same topic is replaced by the push service

    def __post_init__(self) -> None:
        if int(self.ttl) <= 0:
            raise ValueError("a push message needs a TTL > 0 (0 drops it when the phone is asleep)")
        if self.urgency not in URGENCIES:
            raise ValueError(f"unknown urgency {self.urgency!r}")
        if len(self.payload.encode()) > 3800:
            raise ValueError("push payload too large (the limit is about 4 KB after encryption)")


@dataclass(frozen=True)
class PushResult:
    """What the push service answered. `status` None means no answer (network error, timeout)."""

    status: int | None
    retry_after: float | None = None  # seconds, from a 429/503 Retry-After header
    error: str = ""  # a short category, never connection details
    refused: bool = False  # the endpoint is not a public address: never try it again

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300

    @property
    def gone(self) -> bool:
        """The subscription no longer exists (expired or unsubscribed) or points inside: delete it."""
        return self.refused or self.status in (404, 410)

    @property
    def retryable(self) -> bool:
        """Worth trying again later: throttled, push service trouble, or no answer at all."""
        if self.refused:
            return False
        return self.status is None or self.status == 429 or self.status >= 500


class PushSender(Protocol):
    def send(self, subscription: Subscription, message: PushMessage) -> PushResult: ...


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        return max(0.0, when.timestamp() - time.time())


def _audience(endpoint: str) -> str:
    parts = urlsplit(endpoint)
    return f"{parts.scheme}://{parts.netloc}"


@dataclass
class WebPushSender:
    """The real sender: RFC 8291 encryption (aes128gcm) and RFC 8292 VAPID via pywebpush."""

    keys: VapidKeys
    subject: str
    timeout: tuple[float, float] = (5.0, 10.0)
    #: Loopback push services are allowed only when the site itself runs on localhost (development, tests);
    #: None means "decide from the site's public address".
    allow_loopback: bool | None = None
    http: requests.Session | None = None
    _vapid: Vapid | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        if self.allow_loopback is None:
            self.allow_loopback = site_is_local()
        if self.http is None:
            self.http = pinned_session(allow_loopback=self.allow_loopback)

    def claims_for(self, endpoint: str) -> dict[str, str | int]:
        """A fresh claims dict for this endpoint's push service (never shared: pywebpush mutates it)."""
        return {"sub": self.subject, "aud": _audience(endpoint), "exp": int(time.time()) + VAPID_TOKEN_SECONDS}

    def send(self, subscription: Subscription, message: PushMessage) -> PushResult:
        try:
            refusal = host_refusal(urlsplit(subscription.endpoint).hostname, allow_loopback=bool(self.allow_loopback))
        except ValueError:
            refusal = "bad_url"
        if refusal is not None:  # checked before signing: no claims are made for an inside audience
            return PushResult(None, error=f"address_refused:{refusal}", refused=True)
        if self._vapid is None:
            self._vapid = self.keys.vapid()
        headers: dict[str, str | int | float] = {"Urgency": message.urgency}
        if message.topic:
            headers["Topic"] = message.topic
        try:
            response = webpush(
                subscription_info=subscription.info(),
                data=message.payload,
                vapid_private_key=self._vapid,
                vapid_claims=self.claims_for(subscription.endpoint),
                ttl=int(message.ttl),
                headers=headers,
                timeout=self.timeout,  # type: ignore[arg-type] - requests accepts (connect, read)
                requests_session=self.http,
            )
        except AddressRefused as exc:
            return PushResult(None, error=f"address_refused:{exc.reason}", refused=True)
        except VapidException:
            return PushResult(None, error="bad_endpoint", refused=True)
        except WebPushException as exc:
            resp = exc.response
            if resp is None:
                return PushResult(None, error="push_error")
            return PushResult(
                resp.status_code, _retry_after(resp.headers.get("Retry-After")), f"http_{resp.status_code}"
            )
        except requests.Timeout:
            return PushResult(None, error="timeout")
        except requests.RequestException as exc:
            if isinstance(exc.__context__, AddressRefused) or isinstance(exc.__cause__, AddressRefused):
                return PushResult(None, error="address_refused", refused=True)
            return PushResult(None, error="connection_failed")
        return PushResult(getattr(response, "status_code", 201))

    def close(self) -> None:
        if self.http is not None:
            self.http.close()


def default_sender() -> WebPushSender:
    """The sender configured by the settings (keys created on first use)."""
    from onestop.settings import get_settings

    settings = get_settings()
    return WebPushSender(ensure_vapid_keys(settings.vapid_private_key_path), settings.vapid_subject)


def site_is_local() -> bool:
    """The site itself runs on this machine (development, tests): a local push service is then allowed."""
    from onestop.settings import get_settings

    return urlsplit(get_settings().public_base_url).hostname in ("localhost", "127.0.0.1", "::1")
