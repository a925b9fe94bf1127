"""Forgotten password: a one-time code by SMS (the messaging adapter's outbox), then a new password.

Why this shape (issue 17, section "what to build"):
- the answer to "send me a code" is the same whether the phone has an account or
  not (no account enumeration), and codes are rate-limited per account and address
  by the shared sign-in throttle;
- the code is 6 digits, lives `CODE_MINUTES`, is kept only as a salted SHA-256,
  and burns after `MAX_CODE_ATTEMPTS` wrong tries — counted in a committed update of
  its own, so a refused try cannot be rolled back with the caller's transaction;
- a new code replaces the previous one; a used code never works again; every
  session of the person ends when the password is reset.
The caller wraps each use case in `with transaction() as s:` (no commit here).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

import sqlalchemy as sa
from sqlmodel import Session, select

from onestop import clock
from onestop.adapters.messaging import OutgoingMessage, default_messenger
from onestop.db import get_engine
from onestop.domain import passwords
from onestop.domain.errors import DomainError
from onestop.i18n import t
from onestop.models import PasswordReset, User
from onestop.services import auth, login_throttle

CODE_MINUTES = 10
MAX_CODE_ATTEMPTS = 5

BAD_CODE = DomainError(
    "reset_code_invalid",
    "Mã xác nhận không đúng hoặc đã hết hạn. Vui lòng yêu cầu mã mới.",
    "The code is wrong or has expired. Please ask for a new one.",
    field="code",
    status=422,
)


def _digest(salt: str, code: str) -> str:
    return hashlib.sha256(f"{salt}:{code}".encode()).hexdigest()


def request_code(session: Session, login: str, *, address: str | None = None) -> None:
    """Send a reset code to the account's phone, if there is such an account (the caller never learns)."""
    user = auth.find_user_by_login(session, login)
    account = f"r{user.id}" if user is not None else "r" + (auth.normalise_login(login) or login.strip())[:40]
    login_throttle.reserve(account, address)  # codes per account and address are limited like sign-ins
    if user is None or not user.active:
        return
    now = clock.now()
    for old in session.exec(
        select(PasswordReset).where(PasswordReset.user_id == user.id, PasswordReset.used_at.is_(None))
    ).all():
        old.used_at = now  # one live code at a time
        session.add(old)
    code = f"{secrets.randbelow(10**6):06d}"
    salt = secrets.token_hex(8)
    row = PasswordReset(
        user_id=user.id,
        code_hash=_digest(salt, code),
        salt=salt,
        created_at=now,
        expires_at=now + timedelta(minutes=CODE_MINUTES),
    )
    session.add(row)
    session.flush()
    lang = user.language or "vi"
    default_messenger().send(
        session,
        OutgoingMessage(
            channel="sms",
            recipient=user.phone,
            dedupe_key=f"password-reset:{row.id}",
            body=t("account.reset_sms", lang, code=code, minutes=CODE_MINUTES),
        ),
    )


def _count_attempt(reset_id: int) -> int:
    """One more try on this code, committed at once (a refusal must not roll it back)."""
    with get_engine().begin() as conn:
        conn.execute(sa.text("UPDATE password_reset SET attempts = attempts + 1 WHERE id = :id"), {"id": reset_id})
        return int(
            conn.execute(sa.text("SELECT attempts FROM password_reset WHERE id = :id"), {"id": reset_id}).scalar_one()
        )


def reset_with_code(session: Session, login: str, code: str, new_password: str, *, address: str | None = None) -> User:
    """Set a new password with the code from the SMS; every session of the person ends."""
    user = auth.find_user_by_login(session, login)
    code = "".join(ch for ch in str(code) if ch.isdigit())[:6]
    if user is None or not user.active:
        raise BAD_CODE
    now = clock.now()
    row = session.exec(
        select(PasswordReset)
        .where(PasswordReset.user_id == user.id, PasswordReset.used_at.is_(None), PasswordReset.expires_at > now)
        .order_by(PasswordReset.id.desc())
    ).first()
    if row is None:
        raise BAD_CODE
    if _count_attempt(row.id or 0) > MAX_CODE_ATTEMPTS:
        raise BAD_CODE
    if len(code) != 6 or not hmac.compare_digest(row.code_hash, _digest(row.salt, code)):
        raise BAD_CODE
    passwords.check(new_password, personal=(user.phone, user.national_id or "", user.full_name))
    row.used_at = now
    user.password_hash = auth.hash_password(new_password)
    session.add(row)
    session.add(user)
    for live in auth.live_sessions(session, user.id or 0):
        live.revoked_at = now
        session.add(live)
    session.flush()
    return user
