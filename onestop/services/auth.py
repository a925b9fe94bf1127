"""Sign-in with phone or ID number and password (argon2), server-side sessions.

Why server-side sessions: the browser keeps the token in a cookie readable by
JavaScript (Reflex sets cookies from JS), so the token must be revocable and
expiring on the server. Only its SHA-256 is stored.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from collections import defaultdict, deque
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session, or_, select

from onestop import clock
from onestop.domain.errors import DomainError
from onestop.models import AuthSession, User
from onestop.settings import get_settings

_hasher = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)
# A real hash to verify against when the login is unknown, so timing does not tell.
_DUMMY_HASH = _hasher.hash("not-a-real-password")

BAD_CREDENTIALS = DomainError(
    "bad_credentials",
    "Số điện thoại/số định danh hoặc mật khẩu không đúng.",
    "Wrong phone/ID number or password.",
    status=401,
)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def normalise_login(login: str) -> str:
    """Phones are typed many ways (+84, spaces); ID numbers are digits."""
    digits = "".join(ch for ch in login if ch.isdigit())
    if login.strip().startswith("+84") or (digits.startswith("84") and len(digits) == 11):
        digits = "0" + digits[2:]
    return digits


def find_user_by_login(session: Session, login: str) -> User | None:
    key = normalise_login(login)
    if not key:
        return None
    return session.exec(select(User).where(or_(User.phone == key, User.national_id == key))).first()


#: Failed sign-ins per login in the last window; after MAX_FAILURES the login waits (per process).
MAX_FAILURES = 5
FAILURE_WINDOW_S = 600
_failures: dict[str, deque[float]] = defaultdict(deque)
_failures_lock = threading.Lock()


def _throttle(key: str, *, failed: bool = False) -> None:
    now = time.monotonic()
    with _failures_lock:
        window = _failures[key]
        while window and now - window[0] > FAILURE_WINDOW_S:
            window.popleft()
        if failed:
            window.append(now)
        elif len(window) >= MAX_FAILURES:
            raise DomainError("too_many_attempts", "Bạn đã nhập sai quá nhiều lần. Vui lòng thử lại sau 10 phút.",
                              "Too many wrong attempts. Please try again in 10 minutes.", status=429)


def reset_throttle() -> None:
    with _failures_lock:
        _failures.clear()


def sign_in(session: Session, login: str, password: str, *, kind: str = "web", device_label: str = "",
            days: int | None = None) -> tuple[str, User]:
    """Check the password and open a session. Returns (bearer token, user)."""
    if not login.strip() or not password:
        raise DomainError("login_required", "Vui lòng nhập số điện thoại/số định danh và mật khẩu.",
                          "Please enter your phone/ID number and password.", status=400)
    key = normalise_login(login) or login.strip()[:40]
    _throttle(key)
    user = find_user_by_login(session, login)
    if user is None:
        verify_password(_DUMMY_HASH, password)
        _throttle(key, failed=True)
        raise BAD_CREDENTIALS
    if not verify_password(user.password_hash, password) or not user.active:
        _throttle(key, failed=True)
        raise BAD_CREDENTIALS
    from onestop.services.ownership import claim_filed_for  # dossiers filed for this person before they signed up

    claim_filed_for(session, user)
    token = secrets.token_urlsafe(32)
    now = clock.now()
    lifetime = timedelta(days=days if days is not None else get_settings().session_days)
    session.add(AuthSession(token_hash=_token_hash(token), user_id=user.id, kind=kind, device_label=device_label[:120],
                            created_at=now, expires_at=now + lifetime, last_seen_at=now))
    session.commit()
    return token, user


def user_for_token(session: Session, token: str | None, *, kind: str | None = "web") -> User | None:
    """The user behind a live session token, or None (unknown, expired, revoked, inactive).

    `kind` defaults to "web": a field device's token must not open the web app, and the
    field API asks for kind="device" explicitly.
    """
    if not token:
        return None
    row = session.exec(select(AuthSession).where(AuthSession.token_hash == _token_hash(token))).first()
    if row is None or row.revoked_at is not None or row.expires_at <= clock.now():
        return None
    if kind is not None and row.kind != kind:
        return None
    user = session.get(User, row.user_id)
    if user is None or not user.active:
        return None
    return user


def sign_out(session: Session, token: str | None) -> None:
    if not token:
        return
    row = session.exec(select(AuthSession).where(AuthSession.token_hash == _token_hash(token))).first()
    if row is not None and row.revoked_at is None:
        row.revoked_at = clock.now()
        session.add(row)
        session.commit()


def set_language(session: Session, user_id: int, lang: str) -> None:
    """Remember the person's language for notifications and jobs (the UI toggle calls this)."""
    if lang not in ("vi", "en"):
        raise DomainError("bad_language", "Ngôn ngữ không hợp lệ.", "Unknown language.", status=422)
    user = session.get(User, user_id)
    if user is not None and user.language != lang:
        user.language = lang
        session.add(user)
        session.commit()


def revoke_user_sessions(session: Session, user_id: int, kind: str | None = None) -> int:
    """Revoke every live session of a user (lost device, role change). Returns how many."""
    rows = session.exec(select(AuthSession).where(AuthSession.user_id == user_id, AuthSession.revoked_at.is_(None))).all()
    count = 0
    for row in rows:
        if kind is None or row.kind == kind:
            row.revoked_at = clock.now()
            session.add(row)
            count += 1
    session.commit()
    return count
