"""Web Push subscriptions and the delivery of pending notifications to every device of a person.

Why claim → send → record in three steps: pushing is network I/O to services we
do not control; holding a database transaction (and row locks) open across it
would stall other writers. A delivery run therefore claims a batch (each row's
`next_attempt_at` moves one lease ahead, so a crashed run is picked up again
after the lease), sends without a transaction, then records the outcome in one
short transaction. On PostgreSQL the claim uses `FOR UPDATE SKIP LOCKED`, so
even two runners never claim the same row.

Outcomes per device: 2xx delivered; 404/410 the subscription is gone and is
deleted; 429/5xx/no answer → the notification is retried with exponential
backoff (or the push service's Retry-After), until its TTL is spent or
MAX_ATTEMPTS is reached. A retry goes to all of the person's devices again; the
service worker shows each notification id once (tag + a seen list), so a
device that already had it is not disturbed twice.
"""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import sqlalchemy as sa
from sqlmodel import Session, select

from onestop import clock
from onestop.adapters.netguard import host_refusal
from onestop.adapters.push import PushMessage, PushResult, PushSender, Subscription, Urgency, default_sender
from onestop.db import new_session, transaction
from onestop.domain.errors import DomainError
from onestop.models import Notification, PushSubscription
from onestop.settings import get_settings

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
BACKOFF_FIRST = timedelta(seconds=30)
BACKOFF_MAX = timedelta(hours=1)
LEASE = timedelta(minutes=2)
BATCH = 100
MAX_DEVICES_PER_USER = 10


@dataclass(frozen=True)
class Policy:
    """How long a push service keeps a message for a sleeping phone, and how urgent it is (RFC 8030)."""

    ttl: int
    urgency: Urgency


_HOUR, _DAY = 3600, 86400
#: Per message type. A called queue number is useless ten minutes later; a result stays useful for a week.
POLICIES: dict[str, Policy] = {
    "queue_called": Policy(10 * 60, "high"),
    "alert.overdue": Policy(_DAY, "high"),
    "alert.escalation": Policy(_DAY, "high"),
    "alert.due_soon": Policy(12 * _HOUR, "normal"),
    "alert.supplement_expired": Policy(_DAY, "normal"),
    "digest": Policy(8 * _HOUR, "low"),
    "reminder.appointment": Policy(_DAY, "normal"),
    "supplement": Policy(3 * _DAY, "high"),
    "apology": Policy(3 * _DAY, "high"),
    "fee": Policy(3 * _DAY, "normal"),
    "received": Policy(3 * _DAY, "normal"),
    "result_ready": Policy(7 * _DAY, "normal"),
    "refused": Policy(7 * _DAY, "normal"),
    "stopped": Policy(7 * _DAY, "normal"),
    "returned": Policy(7 * _DAY, "low"),
    "submitted": Policy(2 * _DAY, "low"),
    "complaint": Policy(3 * _DAY, "high"),
}
DEFAULT_POLICY = Policy(_DAY, "normal")


def policy_for(kind: str) -> Policy:
    return POLICIES.get(kind, DEFAULT_POLICY)


# --------------------------------------------------------------------------- subscriptions


def site_is_local() -> bool:
    """The site itself runs on this machine (development, tests): a local push service is then allowed."""
    return urlsplit(get_settings().public_base_url).hostname in ("localhost", "127.0.0.1", "::1")


def _endpoint_allowed(endpoint: str) -> bool:
    """Push services are public HTTPS hosts. A plain-HTTP localhost site (development, tests) may use a
    local push service; a public site may not — a subscription must not make the server POST to its own
    network (SSRF). Here the host is checked as written (every numeric notation, every spelling of
    localhost); the sender resolves it again and connects only to a checked public address.
    """
    if len(endpoint) > 1000:
        return False
    try:
        parts = urlsplit(endpoint)
        host = parts.hostname
        parts.port  # noqa: B018 - raises on a malformed port
    except ValueError:
        return False
    if parts.username or parts.password or parts.scheme not in ("http", "https"):
        return False
    local_site = site_is_local()
    if host_refusal(host, allow_loopback=local_site) is not None:
        return False
    if host_refusal(host) is not None:  # refused unless loopback is allowed: a local push service
        return True
    return parts.scheme == "https"


def parse_subscription(data: object) -> Subscription:
    """A browser's `PushSubscription.toJSON()`, checked (a bad one is refused with a clear message)."""
    bad = DomainError(
        "push_subscription_invalid",
        "Thông tin đăng ký nhận thông báo không hợp lệ.",
        "Invalid push subscription.",
        status=422,
    )
    if not isinstance(data, dict):
        raise bad
    endpoint = data.get("endpoint")
    keys = data.get("keys")
    if not isinstance(endpoint, str) or not isinstance(keys, dict):
        raise bad
    p256dh, auth = keys.get("p256dh"), keys.get("auth")
    if (
        not isinstance(p256dh, str)
        or not isinstance(auth, str)
        or not (40 <= len(p256dh) <= 200)
        or not (8 <= len(auth) <= 100)
    ):
        raise bad
    if not _endpoint_allowed(endpoint):
        raise DomainError(
            "push_endpoint_refused",
            "Dịch vụ nhận thông báo của trình duyệt không được chấp nhận.",
            "This browser's push service is not accepted.",
            status=422,
        )
    return Subscription(endpoint=endpoint, p256dh=p256dh, auth=auth)


def save_subscription(session: Session, user_id: int, sub: Subscription) -> PushSubscription:
    """Add (or move to this person) a device's subscription. One transaction.

    The endpoint identifies the browser profile, so when someone else signs in
    on the same device the subscription follows the new person. A person may
    have several devices; the oldest beyond MAX_DEVICES_PER_USER is dropped.
    """
    now = clock.now()
    row = session.exec(select(PushSubscription).where(PushSubscription.endpoint == sub.endpoint)).first()
    if row is None:
        row = PushSubscription(user_id=user_id, endpoint=sub.endpoint, p256dh=sub.p256dh, auth=sub.auth, created_at=now)
    row.user_id, row.p256dh, row.auth, row.last_error = user_id, sub.p256dh, sub.auth, ""
    session.add(row)
    session.flush()
    extra = session.exec(
        select(PushSubscription.id)
        .where(PushSubscription.user_id == user_id)
        .order_by(PushSubscription.created_at.desc(), PushSubscription.id.desc())
        .offset(MAX_DEVICES_PER_USER)
    ).all()
    if extra:
        session.execute(sa.delete(PushSubscription).where(PushSubscription.id.in_(list(extra))))
    session.flush()
    return row


def remove_subscription(session: Session, user_id: int, endpoint: str) -> bool:
    """Forget a device (the person turned push off). One transaction; only their own subscription."""
    count = session.execute(
        sa.delete(PushSubscription).where(PushSubscription.user_id == user_id, PushSubscription.endpoint == endpoint)
    ).rowcount
    session.flush()
    return bool(count)


def device_count(session: Session, user_id: int) -> int:
    return int(
        session.exec(
            select(sa.func.count()).select_from(PushSubscription).where(PushSubscription.user_id == user_id)
        ).one()
    )


# --------------------------------------------------------------------------- delivery


@dataclass(frozen=True)
class _Claimed:
    id: int
    user_id: int
    kind: str
    title: str
    body: str
    url: str
    created_at: datetime
    attempts: int  # including this one


@dataclass
class DeliveryReport:
    claimed: int = 0
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    no_device: int = 0
    subscriptions_removed: int = 0
    requests: int = 0


def payload_for(n: _Claimed) -> str:
    """What the service worker gets: enough to show the notification and open the right page."""
    body = n.body if len(n.body) <= 1500 else n.body[:1499] + "…"
    return json.dumps(
        {
            "id": n.id,
            "kind": n.kind,
            "title": n.title[:200],
            "body": body,
            "url": n.url or "/",
            "tag": f"onestop-{n.id}",
            "ts": n.created_at.isoformat(),
        },
        ensure_ascii=False,
    )


def _backoff(attempts: int, retry_after: float | None) -> timedelta:
    delay = min(BACKOFF_FIRST * (2 ** max(attempts - 1, 0)), BACKOFF_MAX)
    if retry_after is not None:
        delay = max(delay, min(timedelta(seconds=retry_after), BACKOFF_MAX))
    return delay


def _claim(session: Session, now: datetime, limit: int) -> list[_Claimed]:
    """Take up to `limit` due notifications (partial index ix_notification_push_queue) and lease them."""
    stmt = (
        select(Notification)
        .where(
            Notification.push_status == "pending",
            sa.or_(Notification.next_attempt_at <= now, Notification.next_attempt_at.is_(None)),
        )
        .order_by(Notification.next_attempt_at, Notification.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    rows = session.exec(stmt).all()
    claimed = []
    for n in rows:
        # Conditional update: only the runner that still sees the row as it was claims it. On PostgreSQL
        # SKIP LOCKED already keeps runners apart; on SQLite this is what does.
        seen = (
            Notification.next_attempt_at.is_(None)
            if n.next_attempt_at is None
            else Notification.next_attempt_at == n.next_attempt_at
        )
        won = session.execute(
            sa.update(Notification)
            .where(
                Notification.id == n.id,
                Notification.push_status == "pending",
                Notification.push_attempts == n.push_attempts,
                seen,
            )
            .values(push_attempts=n.push_attempts + 1, next_attempt_at=now + LEASE)
            .execution_options(synchronize_session=False)
        ).rowcount
        if won == 1:
            claimed.append(_Claimed(n.id, n.user_id, n.kind, n.title, n.body, n.url, n.created_at, n.push_attempts + 1))
    session.flush()
    return claimed


def deliver_pending(
    sender: PushSender | None = None,
    *,
    now: datetime | None = None,
    limit: int = BATCH,
    session_factory: Callable[[], Session] = new_session,
) -> DeliveryReport:
    """Push the notifications that are due to every device of their person; record what happened."""
    now = now or clock.now()
    report = DeliveryReport()
    with session_factory() as own, transaction(own) as session:
        claimed = _claim(session, now, limit)
        report.claimed = len(claimed)
        if not claimed:
            return report
        subs_by_user: dict[int, list[PushSubscription]] = defaultdict(list)
        for sub in session.exec(
            select(PushSubscription)
            .where(PushSubscription.user_id.in_(sorted({c.user_id for c in claimed})))
            .order_by(PushSubscription.id)
        ):
            subs_by_user[sub.user_id].append(sub)

    own_sender = sender is None and any(subs_by_user.values())
    if own_sender:
        sender = default_sender()
    outcomes: dict[int, tuple[str, datetime | None]] = {}
    gone: dict[int, str] = {}  # subscription id → the p256dh key it had when the service said 'gone'
    errors: dict[int, str] = {}
    delivered_subs: set[int] = set()
    try:
        for n in claimed:
            outcomes[n.id] = _deliver_one(
                n, subs_by_user.get(n.user_id, []), sender, now, report, gone, errors, delivered_subs
            )
    finally:
        if own_sender:
            sender.close()

    with session_factory() as own, transaction(own) as session:
        for nid, (status, next_at) in outcomes.items():
            session.execute(
                sa.update(Notification)
                .where(Notification.id == nid)
                .values(push_status=status, next_attempt_at=next_at)
            )
        for sid, p256dh in gone.items():
            # the key check keeps a subscription the browser renewed meanwhile (same endpoint, new keys)
            session.execute(
                sa.delete(PushSubscription).where(PushSubscription.id == sid, PushSubscription.p256dh == p256dh)
            )
        for sid, error in errors.items():
            if sid not in gone:
                session.execute(
                    sa.update(PushSubscription).where(PushSubscription.id == sid).values(last_error=error[:300])
                )
        ok_subs = sorted(delivered_subs - set(gone) - set(errors))
        if ok_subs:
            session.execute(
                sa.update(PushSubscription)
                .where(PushSubscription.id.in_(ok_subs), PushSubscription.last_error != "")
                .values(last_error="")
            )
        session.flush()
    report.subscriptions_removed = len(gone)
    return report


def _deliver_one(
    n: _Claimed,
    subs: list[PushSubscription],
    sender: PushSender | None,
    now: datetime,
    report: DeliveryReport,
    gone: dict[int, str],
    errors: dict[int, str],
    delivered_subs: set[int],
) -> tuple[str, datetime | None]:
    """Send one notification to each live device; return its new (push_status, next_attempt_at)."""
    live = [s for s in subs if s.id not in gone]
    if not live or sender is None:
        report.no_device += 1
        return "none", None
    policy = policy_for(n.kind)
    remaining = policy.ttl - int((now - n.created_at).total_seconds())
    if remaining <= 0:
        report.failed += 1
        return "failed", None
    message = PushMessage(payload=payload_for(n), ttl=remaining, urgency=policy.urgency)
    any_ok, retry_after, retry = False, None, False
    for sub in live:
        result: PushResult = sender.send(Subscription(sub.endpoint, sub.p256dh, sub.auth), message)
        report.requests += 1
        if result.ok:
            any_ok = True
            delivered_subs.add(sub.id)
        elif result.gone:
            gone[sub.id] = sub.p256dh
        else:
            errors[sub.id] = result.error or str(result.status)
            if result.retryable:
                retry = True
                if result.retry_after is not None:
                    retry_after = max(retry_after or 0.0, result.retry_after)
            else:
                log.warning("push refused for subscription %s: %s", sub.id, result.error)
    if retry and n.attempts < MAX_ATTEMPTS:
        next_at = now + _backoff(n.attempts, retry_after)
        if next_at < n.created_at + timedelta(seconds=policy.ttl):
            report.retrying += 1
            return "pending", next_at
    if any_ok:
        report.sent += 1
        return "sent", None
    if not [s for s in live if s.id not in gone]:
        report.no_device += 1
        return "none", None
    report.failed += 1
    return "failed", None
