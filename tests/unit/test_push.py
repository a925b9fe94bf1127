"""Web Push building blocks without a database: VAPID keys, messages, results, policies, backoff, payload."""

from __future__ import annotations

import json
import stat
import threading
from datetime import datetime, timedelta

import pytest

from onestop.adapters.push import PushMessage, PushResult, VapidKeys, WebPushSender, _retry_after, ensure_vapid_keys
from onestop.services import push
from onestop.services.notify import APPLICANT_KINDS


def test_vapid_keys_are_created_once_private_and_stable(tmp_path):
    path = tmp_path / "data" / "vapid_private.pem"
    first = ensure_vapid_keys(path)
    assert path.exists() and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_bytes().startswith(b"-----BEGIN")
    assert len(first.public_key_b64) == 87 and "=" not in first.public_key_b64
    assert ensure_vapid_keys(path) == first  # a restart keeps the key browsers subscribed with


def test_workers_starting_together_agree_on_one_key(tmp_path):
    path = tmp_path / "vapid.pem"
    results: list[VapidKeys] = []
    barrier = threading.Barrier(8)

    def start() -> None:
        barrier.wait()
        results.append(ensure_vapid_keys(path))

    threads = [threading.Thread(target=start) for _ in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert len({k.public_key_b64 for k in results}) == 1


def test_cli_keys_prints_the_public_key(tmp_path, monkeypatch, capsys):
    from onestop import cli
    from onestop.settings import reset_settings_cache

    monkeypatch.setenv("ONESTOP_VAPID_KEY", str(tmp_path / "k.pem"))
    reset_settings_cache()
    try:
        assert cli.main(["keys"]) == 0
    finally:
        monkeypatch.undo()
        reset_settings_cache()
    printed = capsys.readouterr().out.strip()
    assert printed == ensure_vapid_keys(tmp_path / "k.pem").public_key_b64


def test_a_message_needs_a_ttl_and_a_known_urgency():
    with pytest.raises(ValueError, match="TTL"):
        PushMessage("{}", ttl=0)
    with pytest.raises(ValueError, match="urgency"):
        PushMessage("{}", ttl=60, urgency="urgent")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="too large"):
        PushMessage("x" * 5000, ttl=60)
    assert PushMessage("{}", ttl=60, urgency="very-low").ttl == 60


@pytest.mark.parametrize(
    ("status", "ok", "gone", "retry"),
    [
        (201, True, False, False),
        (404, False, True, False),
        (410, False, True, False),
        (429, False, False, True),
        (500, False, False, True),
        (503, False, False, True),
        (400, False, False, False),
        (403, False, False, False),
        (413, False, False, False),
        (None, False, False, True),
    ],
)
def test_what_each_answer_means(status, ok, gone, retry):
    result = PushResult(status)
    assert (result.ok, result.gone, result.retryable) == (ok, gone, retry)


def test_retry_after_in_seconds_or_as_a_date():
    assert _retry_after("120") == 120
    assert _retry_after(None) is None and _retry_after("soon") is None
    assert _retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0  # in the past


def test_claims_are_fresh_per_send_and_bounded(tmp_path):
    sender = WebPushSender(ensure_vapid_keys(tmp_path / "k.pem"), "mailto:admin@onestop.local")
    a = sender.claims_for("https://fcm.googleapis.com/fcm/send/1")
    a["aud"] = "tampered"
    b = sender.claims_for("https://fcm.googleapis.com/fcm/send/2")
    assert b["aud"] == "https://fcm.googleapis.com" and b["sub"] == "mailto:admin@onestop.local"
    assert int(b["exp"]) - int(datetime.now().timestamp()) <= 24 * 3600
    sender.close()


def test_every_notification_kind_has_an_explicit_policy():
    from onestop.services import alerts

    kinds = set(APPLICANT_KINDS.values()) | {
        alerts.KIND_DUE_SOON,
        alerts.KIND_OVERDUE,
        alerts.KIND_ESCALATION,
        alerts.KIND_SUPPLEMENT,
        alerts.KIND_DIGEST,
        alerts.KIND_APPOINTMENT,
        alerts.KIND_QUEUE,
    }
    assert kinds <= set(push.POLICIES)
    for policy in push.POLICIES.values():
        assert policy.ttl > 0 and policy.urgency in ("very-low", "low", "normal", "high")
    assert push.policy_for("queue_called").ttl <= 15 * 60  # a called number is stale within minutes
    assert push.policy_for("anything-new").ttl > 0


def test_backoff_doubles_caps_and_honours_retry_after():
    assert push._backoff(1, None) == timedelta(seconds=30)  # noqa: SLF001
    assert push._backoff(2, None) == timedelta(seconds=60)  # noqa: SLF001
    assert push._backoff(3, 5) == timedelta(seconds=120)  # noqa: SLF001
    assert push._backoff(1, 600) == timedelta(seconds=600)  # noqa: SLF001
    assert push._backoff(20, None) == push.BACKOFF_MAX  # noqa: SLF001
    assert push._backoff(1, 10**9) == push.BACKOFF_MAX  # noqa: SLF001


def test_payload_is_small_json_with_an_in_site_url():
    n = push._Claimed(
        7,
        1,
        "received",
        "Hồ sơ X01-261123-0001 đã được tiếp nhận",
        "Ngày hẹn: " + "x" * 3000,  # noqa: SLF001
        "/dossiers/X01-261123-0001",
        datetime(2026, 11, 23, 9, 0),
        1,
    )
    payload = push.payload_for(n)
    data = json.loads(payload)
    assert data["id"] == 7 and data["tag"] == "onestop-7" and data["url"] == "/dossiers/X01-261123-0001"
    assert len(payload.encode()) < 3800
    PushMessage(payload, ttl=60)  # fits the push size limit after encryption
