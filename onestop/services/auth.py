"""Sign-in with phone or ID number and password (argon2), server-side sessions.

Why server-side sessions: the browser keeps the token in a cookie readable by
JavaScript (Reflex sets cookies from JS), so the token must be revocable and
expiring on the server. Only its SHA-256 is stored.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session, or_, select

from onestop import clock
from onestop.domain.errors import DomainError
from onestop.models import AuthSession, Center, User
from onestop.services import login_throttle
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


#: A staff account whose admin requires the national e-identity: the password alone never opens a session.
VNEID_REQUIRED = DomainError(
    "vneid_required",
    "Tài khoản này phải đăng nhập bằng VNeID. Vui lòng chọn “Đăng nhập bằng VNeID”.",
    "This account must sign in with VNeID. Please choose “Sign in with VNeID”.",
    status=403,
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


#: Kept for callers that show the limit: wrong passwords per (account, address) before the wait.
MAX_FAILURES = login_throttle.PAIR_LIMIT


def reset_throttle() -> None:
    login_throttle.reset()


def sign_in(
    session: Session,
    login: str,
    password: str,
    *,
    kind: str = "web",
    device_label: str = "",
    days: int | None = None,
    address: str | None = None,
) -> tuple[str, User]:
    """Check the password and open a session. Returns (bearer token, user).

    `address` is the client's IP address (the throttle keeps counters per address);
    the attempt is reserved in the shared throttle before the password is verified.
    """
    if not login.strip() or not password:
        raise DomainError(
            "login_required",
            "Vui lòng nhập số điện thoại/số định danh và mật khẩu.",
            "Please enter your phone/ID number and password.",
            status=400,
        )
    user = find_user_by_login(session, login)
    account = f"u{user.id}" if user is not None else "l" + (normalise_login(login) or login.strip())[:40]
    reservation = login_throttle.reserve(account, address)
    if user is None:
        verify_password(_DUMMY_HASH, password)
        raise BAD_CREDENTIALS
    if not verify_password(user.password_hash, password) or not user.active:
        raise BAD_CREDENTIALS
    login_throttle.succeeded(reservation)
    if user.require_vneid:  # checked after the password, so a stranger cannot tell which accounts are staff
        raise VNEID_REQUIRED

    from onestop.services.ownership import claim_filed_for  # dossiers filed for this person before they signed up

    claim_filed_for(session, user)
    return open_session(session, user, kind=kind, device_label=device_label, days=days), user


def user_for_token(session: Session, token: str | None, *, kind: str | None = "web") -> User | None:
    """The user behind a live session token, or None (unknown, expired, revoked, inactive).

    `kind` defaults to "web": a field device's token must not open the web app, and the
    field API asks for kind="device" explicitly.
    """
    found = user_and_center_for_token(session, token, kind=kind)
    return found[0] if found else None


def user_and_center_for_token(
    session: Session, token: str | None, *, kind: str | None = "web"
) -> tuple[User, str] | None:
    """`user_for_token` and the name of the user's center ("" for none), in one statement.

    Why one statement: every open tab re-checks its token every few seconds (onestop.ui.session), and 200 officers'
    tabs do it together after a quiet spell; the session row, its user and the center name were three round trips.
    The checks on the row stay in Python, exactly as they were (no date comparison moved into SQL).
    """
    if not token:
        return None
    found = session.exec(
        select(AuthSession, User, Center.name)
        .join(User, User.id == AuthSession.user_id)
        .outerjoin(Center, Center.id == User.center_id)
        .where(AuthSession.token_hash == _token_hash(token))
    ).first()
    if found is None:
        return None
    row, user, center = found
    if row.revoked_at is not None or row.expires_at <= clock.now():
        return None
    if kind is not None and row.kind != kind:
        return None
    if not user.active:
        return None
    return user, center or ""


def sign_out(session: Session, token: str | None) -> None:
    if not token:
        return
    row = session.exec(select(AuthSession).where(AuthSession.token_hash == _token_hash(token))).first()
    if row is not None and row.revoked_at is None:
        row.revoked_at = clock.now()
        session.add(row)
        session.flush()


def set_language(session: Session, user_id: int, lang: str) -> None:
    """Remember the person's language for notifications and jobs (the UI toggle calls this)."""
    if lang not in ("vi", "en"):
        raise DomainError("bad_language", "Ngôn ngữ không hợp lệ.", "Unknown language.", status=422)
    user = session.get(User, user_id)
    if user is not None and user.language != lang:
        user.language = lang
        session.add(user)
        session.flush()


def revoke_user_sessions(session: Session, user_id: int, kind: str | None = None) -> int:
    """Revoke every live session of a user (lost device, role change). Returns how many."""
    rows = session.exec(
        select(AuthSession).where(AuthSession.user_id == user_id, AuthSession.revoked_at.is_(None))
    ).all()
    count = 0
    for row in rows:
        if kind is None or row.kind == kind:
            row.revoked_at = clock.now()
            session.add(row)
            count += 1
    session.flush()
    return count


def change_password(
    session: Session, user_id: int, current: str, new: str, *, keep_token: str | None = None, address: str | None = None
) -> None:
    """Self-service password change: the current password, then the policy; other sessions end.

    The current-password check goes through the same throttle as sign-in (a stolen
    session must not become a password-guessing oracle). The caller commits
    (`with transaction() as s:`); the session behind `keep_token` stays signed in.
    """
    from onestop.domain import passwords

    user = session.get(User, user_id)
    if user is None or not user.active:
        raise BAD_CREDENTIALS
    if not current or not new:
        raise DomainError(
            "password_required",
            "Vui lòng nhập mật khẩu hiện tại và mật khẩu mới.",
            "Please enter your current and your new password.",
            field="current",
            status=422,
        )
    reservation = login_throttle.reserve(f"u{user.id}", address)
    if not verify_password(user.password_hash, current[:256]):
        raise DomainError(
            "current_password_wrong",
            "Mật khẩu hiện tại không đúng.",
            "The current password is not right.",
            field="current",
            status=422,
        )
    login_throttle.succeeded(reservation)
    if new == current:
        raise DomainError(
            "password_unchanged",
            "Mật khẩu mới phải khác mật khẩu hiện tại.",
            "The new password must differ from the current one.",
            field="password",
            status=422,
        )
    passwords.check(new, personal=(user.phone, user.national_id or "", user.full_name))
    user.password_hash = hash_password(new)
    session.add(user)
    keep = _token_hash(keep_token) if keep_token else None
    for row in session.exec(
        select(AuthSession).where(AuthSession.user_id == user.id, AuthSession.revoked_at.is_(None))
    ).all():
        if row.token_hash != keep:
            row.revoked_at = clock.now()
            session.add(row)
    session.flush()


def live_sessions(session: Session, user_id: int) -> list[AuthSession]:
    """The person's sessions that are not revoked (to end them without committing)."""
    return list(
        session.exec(select(AuthSession).where(AuthSession.user_id == user_id, AuthSession.revoked_at.is_(None))).all()
    )


def open_session(
    session: Session, user: User, *, kind: str = "web", device_label: str = "", days: int | None = None
) -> str:
    """A new server-side session for `user` (no commit); returns the bearer token."""
    token = secrets.token_urlsafe(32)
    now = clock.now()
    lifetime = timedelta(days=days if days is not None else get_settings().session_days)
    session.add(
        AuthSession(
            token_hash=_token_hash(token),
            user_id=user.id,
            kind=kind,
            device_label=device_label[:120],
            created_at=now,
            expires_at=now + lifetime,
            last_seen_at=now,
        )
    )
    session.flush()
    return token


def sign_in_with_identity(session: Session, national_id: str, full_name: str = "") -> tuple[str, User]:
    """Sign in a person the national e-identity vouched for: their ID number → resident → citizen account.

    A resident without an online account gets one (a citizen, with an unusable random
    password: they sign in with VNeID or set one with an SMS code). Staff accounts are
    never created this way; a staff account whose admin requires VNeID (`require_vneid`)
    signs in only this way. The caller commits.
    """
    from onestop.adapters.population import registry

    not_found = DomainError(
        "vneid_unknown",
        "Số định danh này chưa có trong Cơ sở dữ liệu quốc gia về dân cư.",
        "This ID number is not in the national population database.",
        status=403,
    )
    user = session.exec(select(User).where(User.national_id == national_id)).first()
    if user is None:
        resident = registry(session).by_national_id(national_id)
        if resident is None or not resident.phone:
            raise not_found
        if session.exec(select(User).where(User.phone == resident.phone)).first() is not None:
            raise DomainError(
                "vneid_phone_taken",
                "Số điện thoại của bạn đã gắn với tài khoản khác. Vui lòng liên hệ bộ phận một cửa.",
                "Your phone number belongs to another account. Please contact the one-stop desk.",
                status=409,
            )
        user = User(
            phone=resident.phone,
            national_id=national_id,
            full_name=resident.full_name,
            role="citizen",
            password_hash=hash_password(secrets.token_urlsafe(24)),
            created_at=clock.now(),
        )
        session.add(user)
        session.flush()
    if not user.active or (user.role != "citizen" and not user.require_vneid):
        raise DomainError(
            "vneid_not_citizen",
            "Đăng nhập bằng VNeID dành cho công dân.",
            "Signing in with VNeID is for citizens.",
            status=403,
        )
    return open_session(session, user), user
