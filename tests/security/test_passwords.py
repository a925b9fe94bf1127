"""Password policy and self-service change (issue 17, finding 9)."""

from __future__ import annotations

import pytest
from sqlmodel import select

from onestop.db import transaction
from onestop.demo.catalog import DEMO_PASSWORD
from onestop.domain import passwords
from onestop.domain.errors import DomainError
from onestop.models import AuthSession, User
from onestop.services import auth


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("        1", "password_short"),
        ("aaaaaaa1", "password_short"),
        ("Demo@2026", "password_short"),
        ("aaaaaaaaaaaa", "password_common"),
        ("1234567890", "password_common"),
        ("9876543210", "password_common"),
        ("password2026!", "password_common"),
        ("Matkhau2026", "password_common"),
        ("Mật Khẩu 123456", "password_common"),
        ("qwertyuiop", "password_common"),
        ("iloveyou!!!1", "password_common"),
        ("0901000001xy", "password_personal"),
        ("Em-Nguyễn Thị Lan", "password_personal"),
        ("a\x00bcdefghijk", "password_control"),
        ("x" * 201, "password_too_long"),
        ("one two", "password_short"),
    ],
)
def test_refused(password, reason):
    with pytest.raises(DomainError) as err:
        passwords.check(password, personal=("0901000001", "Nguyễn Thị Lan"))
    assert err.value.code == "password_weak" and err.value.reason == reason and err.value.vi and err.value.en


@pytest.mark.parametrize(
    "password",
    [
        "Cau-tre-xanh-7",
        "Tr0ub4dor&3x",
        "correct horse battery staple",
        "con mèo ngủ trên mái",
        "Mưa rơi trên phố cổ",
        "x7#Kp2!qLm9z",
    ],
)
def test_accepted(password):
    passwords.check(password, personal=("0901000001", "Nguyễn Thị Lan"))


def test_the_common_list_is_shipped_and_read():
    common = passwords.common_passwords()
    assert len(common) > 100 and "matkhau" in common and "123456" in common


def _user(session, phone: str) -> User:  # noqa: ANN001
    return session.exec(select(User).where(User.phone == phone)).one()


def test_change_password_keeps_this_session_and_ends_the_others(session):
    session.commit()  # sign-in counts the attempt in its own connection (one writer on SQLite)
    keep, _ = auth.sign_in(session, "0901000003", DEMO_PASSWORD)
    session.commit()  # sign-in counts the attempt in its own connection (one writer on SQLite)
    other, _ = auth.sign_in(session, "0901000003", DEMO_PASSWORD, kind="device")
    user = _user(session, "0901000003")
    original = user.password_hash
    session.commit()  # change_password checks the current password through the throttle's own connection
    try:
        with pytest.raises(DomainError) as wrong, transaction() as s:
            auth.change_password(s, user.id, "not-it", "Cau-tre-xanh-7", keep_token=keep)
        assert wrong.value.code == "current_password_wrong"
        with pytest.raises(DomainError) as weak, transaction() as s:
            auth.change_password(s, user.id, DEMO_PASSWORD, "password123", keep_token=keep)
        assert weak.value.code == "password_weak"
        with transaction() as s:
            auth.change_password(s, user.id, DEMO_PASSWORD, "Cau-tre-xanh-7", keep_token=keep)
        session.expire_all()
        assert auth.user_for_token(session, keep) is not None
        assert auth.user_for_token(session, other, kind="device") is None
        session.commit()  # sign-in counts the attempt in its own connection (one writer on SQLite)
        assert auth.sign_in(session, "0901000003", "Cau-tre-xanh-7")[1].id == user.id
        session.commit()  # sign-in counts the attempt in its own connection (one writer on SQLite)
        with pytest.raises(DomainError):
            auth.sign_in(session, "0901000003", DEMO_PASSWORD)
    finally:
        session.expire_all()
        row = _user(session, "0901000003")
        row.password_hash = original
        session.add(row)
        session.commit()


def test_current_password_guessing_is_throttled(session):
    user = _user(session, "0901000003")
    codes = []
    for i in range(8):
        try:
            with transaction() as s:
                auth.change_password(s, user.id, f"guess-{i}", "Cau-tre-xanh-7", address="203.0.113.5")
        except DomainError as err:
            codes.append(err.code)
    assert codes[:5] == ["current_password_wrong"] * 5 and set(codes[5:]) == {"too_many_attempts"}
    assert not session.exec(select(AuthSession).where(AuthSession.revoked_at.is_not(None))).all()


def test_seed_refuses_without_the_demo_flag(capsys):
    from onestop import cli

    args = cli.build_parser().parse_args(["seed", "--dossiers", "0"])
    assert args.fn(args) == 2
    assert "--demo" in capsys.readouterr().err


def test_quickstart_binds_loopback_unless_told():
    from pathlib import Path

    script = (Path(__file__).resolve().parents[2] / "scripts" / "quickstart").read_text()
    assert 'HOST="${ONESTOP_BIND:-127.0.0.1}"' in script and '--backend-host "$HOST"' in script
    assert "onestop seed --demo" in script
