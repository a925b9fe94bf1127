"""Sign-in throttle against parallel bursts, identifier switching and lock-out (issue 17, findings 1–2).

Runs on SQLite, and on PostgreSQL when ONESTOP_DATABASE_URL names one: the
reservation is one atomic upsert, so the bound must hold with real threads.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlmodel import select

from onestop.db import new_session
from onestop.demo.catalog import DEMO_PASSWORD
from onestop.domain.errors import DomainError
from onestop.models import User
from onestop.services import auth, login_throttle

OWNER_PHONE = "0901000004"  # an officer
CITIZEN_PHONE = "0901000001"  # has a 12-digit ID number too


@pytest.fixture()
def verifications(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Counts real argon2 verifications (the costly step the throttle must protect)."""
    calls: list[str] = []
    lock = threading.Lock()
    real = auth.verify_password

    def counting(password_hash: str, password: str) -> bool:
        with lock:
            calls.append(password)
        return real(password_hash, password)

    monkeypatch.setattr(auth, "verify_password", counting)
    return calls


def _attempt(login: str, password: str, address: str) -> str:
    with new_session() as s:
        try:
            auth.sign_in(s, login, password, address=address)
            return "ok"
        except DomainError as err:
            return err.code


def _burst(login: str, address: str, n: int = 20) -> list[str]:
    barrier = threading.Barrier(n)

    def one(i: int) -> str:
        barrier.wait()
        return _attempt(login, f"wrong-{i}", address)

    with ThreadPoolExecutor(max_workers=n) as pool:
        return list(pool.map(one, range(n)))


def test_parallel_burst_gets_at_most_five_verifications(session, verifications):
    results = _burst(OWNER_PHONE, "203.0.113.7")
    assert len(verifications) <= login_throttle.PAIR_LIMIT
    assert results.count("bad_credentials") == len(verifications)
    assert results.count("too_many_attempts") == 20 - len(verifications)
    # The right password from the attacker's address is refused without a verification too.
    before = len(verifications)
    assert _attempt(OWNER_PHONE, DEMO_PASSWORD, "203.0.113.7") == "too_many_attempts"
    assert len(verifications) == before


def test_owner_signs_in_from_another_address_during_the_attack(session, verifications):
    _burst(OWNER_PHONE, "203.0.113.7")
    assert _attempt(OWNER_PHONE, DEMO_PASSWORD, "198.51.100.20") == "ok"


def test_one_counter_whatever_identifier_is_typed(session, verifications):
    user = session.exec(select(User).where(User.phone == CITIZEN_PHONE)).one()
    assert user.national_id
    spellings = [CITIZEN_PHONE, "+84 901 000 001", user.national_id, "84901000001", user.national_id]
    for i, login in enumerate(spellings):
        assert _attempt(login, f"wrong-{i}", "203.0.113.9") == "bad_credentials"
    assert _attempt(user.national_id, "wrong-again", "203.0.113.9") == "too_many_attempts"
    assert _attempt("0901 000 001", "wrong-again", "203.0.113.9") == "too_many_attempts"
    assert len(verifications) == 5


def test_one_address_cannot_spray_many_accounts(session, verifications):
    phones = [u.phone for u in session.exec(select(User).order_by(User.id)).all()]
    # Unknown logins count for the address as well.
    phones += [f"09990000{i:02d}" for i in range(40)]
    results = [_attempt(phone, "Password123", "192.0.2.50") for phone in phones[: login_throttle.ADDRESS_LIMIT + 10]]
    assert results[: login_throttle.ADDRESS_LIMIT].count("too_many_attempts") == 0
    assert set(results[login_throttle.ADDRESS_LIMIT :]) == {"too_many_attempts"}
    assert len(verifications) == login_throttle.ADDRESS_LIMIT


def test_distributed_attack_spares_the_owners_known_address(session, verifications):
    assert _attempt(OWNER_PHONE, DEMO_PASSWORD, "198.51.100.20") == "ok"
    for i in range(login_throttle.ACCOUNT_LIMIT + 5):
        _attempt(OWNER_PHONE, "wrong", f"10.1.{i // 200}.{i % 200}")
    assert len(verifications) == 1 + login_throttle.ACCOUNT_LIMIT
    assert _attempt(OWNER_PHONE, DEMO_PASSWORD, "10.9.9.9") == "too_many_attempts"  # a new address waits
    assert _attempt(OWNER_PHONE, DEMO_PASSWORD, "198.51.100.20") == "ok"  # the owner's usual one does not


def test_delay_grows_while_the_attacker_keeps_trying(session, verifications):
    from datetime import datetime, timedelta

    from onestop import clock

    start = datetime(2026, 3, 2, 9, 0)
    clock.set_now(start)
    for _i in range(login_throttle.PAIR_LIMIT + 3):
        _attempt(OWNER_PHONE, "wrong", "203.0.113.7")
    clock.set_now(start + login_throttle.WINDOW + timedelta(minutes=1))
    assert _attempt(OWNER_PHONE, "wrong", "203.0.113.7") == "too_many_attempts"
    clock.set_now(start + login_throttle.MAX_DELAY + timedelta(minutes=1))
    assert _attempt(OWNER_PHONE, DEMO_PASSWORD, "203.0.113.7") == "ok"


def test_a_success_clears_the_pair_counter(session, verifications):
    for _ in range(login_throttle.PAIR_LIMIT - 1):
        assert _attempt(OWNER_PHONE, "wrong", "203.0.113.7") == "bad_credentials"
    assert _attempt(OWNER_PHONE, DEMO_PASSWORD, "203.0.113.7") == "ok"
    for _ in range(login_throttle.PAIR_LIMIT):
        assert _attempt(OWNER_PHONE, "wrong", "203.0.113.7") == "bad_credentials"


def test_ipv6_counts_by_its_64_prefix():
    assert login_throttle.address_key("2001:db8:1:2::1") == login_throttle.address_key("2001:db8:1:2:ffff::9")
    assert login_throttle.address_key("2001:db8:1:3::1") != login_throttle.address_key("2001:db8:1:2::1")
    assert login_throttle.address_key("::ffff:203.0.113.7") == "203.0.113.7"
    assert login_throttle.address_key(None) == "local"
