"""Password reset by a one-time code through the SMS outbox."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from sqlmodel import select

from onestop import clock
from onestop.db import transaction
from onestop.demo.catalog import DEMO_PASSWORD
from onestop.domain.errors import DomainError
from onestop.models import AuthSession, OutboundMessage, User
from onestop.services import auth, password_reset

PHONE = "0901000005"
NOW = datetime(2026, 3, 4, 10, 0)


@pytest.fixture()
def restore(session):  # noqa: ANN001
    user = session.exec(select(User).where(User.phone == PHONE)).one()
    original = user.password_hash
    yield user
    session.expire_all()
    row = session.get(User, user.id)
    row.password_hash = original
    session.add(row)
    session.commit()


def _request(login: str = PHONE, address: str = "198.51.100.1") -> None:
    with transaction() as s:
        password_reset.request_code(s, login, address=address)


def _code(session) -> str:  # noqa: ANN001
    session.expire_all()
    sms = session.exec(select(OutboundMessage).order_by(OutboundMessage.id.desc())).first()
    assert sms is not None and sms.channel == "sms" and sms.recipient == PHONE
    return re.search(r"\b(\d{6})\b", sms.body).group(1)


def _reset(code: str, new: str = "Cau-tre-xanh-7", login: str = PHONE) -> User:
    with transaction() as s:
        return password_reset.reset_with_code(s, login, code, new, address="198.51.100.1")


def test_code_by_sms_resets_the_password_and_ends_sessions(session, restore):
    clock.set_now(NOW)
    session.commit()  # sign-in counts the attempt in its own connection (one writer on SQLite)
    token, _ = auth.sign_in(session, PHONE, DEMO_PASSWORD)
    session.commit()  # the code request is throttled from its own connection too
    _request()
    code = _code(session)
    with pytest.raises(DomainError) as weak:
        _reset(code, "12345678")
    assert weak.value.code == "password_weak"
    _reset(code)
    session.expire_all()
    assert auth.user_for_token(session, token) is None
    session.commit()  # sign-in counts the attempt in its own connection (one writer on SQLite)
    assert auth.sign_in(session, PHONE, "Cau-tre-xanh-7")[1].phone == PHONE
    with pytest.raises(DomainError) as used:
        _reset(code, "Another-good-pass-9")
    assert used.value.code == "reset_code_invalid"


def test_unknown_phone_answers_the_same_and_sends_nothing(session):
    _request("0999999999")
    assert session.exec(select(OutboundMessage)).all() == []


def test_code_expires(session, restore):
    clock.set_now(NOW)
    _request()
    code = _code(session)
    clock.set_now(NOW + timedelta(minutes=password_reset.CODE_MINUTES, seconds=1))
    with pytest.raises(DomainError):
        _reset(code)


def test_a_new_code_replaces_the_old_one(session, restore):
    clock.set_now(NOW)
    _request()
    first = _code(session)
    _request()
    second = _code(session)
    if first != second:
        with pytest.raises(DomainError):
            _reset(first)
    _reset(second)


def test_code_burns_after_five_wrong_tries_even_with_the_right_one_after(session, restore):
    clock.set_now(NOW)
    _request()
    code = _code(session)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for _ in range(password_reset.MAX_CODE_ATTEMPTS):
        with pytest.raises(DomainError):
            _reset(wrong)
    with pytest.raises(DomainError) as burnt:
        _reset(code)
    assert burnt.value.code == "reset_code_invalid"
    assert not session.exec(select(AuthSession).where(AuthSession.revoked_at.is_not(None))).all()


def test_codes_per_account_are_rate_limited(session):
    clock.set_now(NOW)
    codes = []
    for _ in range(7):
        try:
            _request()
            codes.append("sent")
        except DomainError as err:
            codes.append(err.code)
    assert codes[:5] == ["sent"] * 5 and set(codes[5:]) == {"too_many_attempts"}
