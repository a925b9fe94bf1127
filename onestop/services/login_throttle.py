"""Sign-in throttle: reserve the attempt atomically before the password is checked.

Why this shape (issue 17, findings 1 and 2):
- The old counter was read before the slow argon2 check and written after it, so a
  parallel burst was verified in full. Here every attempt first increments its
  counters with one `INSERT … ON CONFLICT DO UPDATE … RETURNING` in its own committed
  transaction (SQLite ≥ 3.35 and PostgreSQL), so the N-th concurrent request sees N
  whatever worker it runs on; only attempts within the limit reach argon2.
- One counter per person: the account key is the user id, whatever identifier
  (phone in any notation, or the 12-digit ID number) was typed.
- Three limits: per (account, address) — the tight one, 5 per window with a delay
  that doubles while the attacker keeps trying; per address — one address spraying
  many accounts; per account from all addresses — a distributed attack.
- The owner is not locked out by an attacker elsewhere: the tight limit is keyed by
  the address too, and the per-account limit does not apply to an address from
  which the account signed in successfully before ("known address", remembered 90
  days). Chosen over an unlock code by SMS because it needs no extra step from the
  owner and no phone, and over proof-of-work because it needs no JavaScript client.
  A new address during a distributed attack must wait for the window; the password
  reset by one-time code stays open to the owner.
- The counters live in the transaction of their own on purpose (a reservation that
  rolled back with the caller would not be a reservation), like a Redis counter.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from onestop import clock
from onestop.db import get_engine
from onestop.domain.errors import DomainError

#: Wrong passwords allowed per (account, address) in a window before the delay grows.
PAIR_LIMIT = 5
#: Failed sign-ins allowed per address (all accounts, unknown logins included) in a window.
ADDRESS_LIMIT = 30
#: Failed sign-ins allowed per account from addresses it never signed in from, in a window.
ACCOUNT_LIMIT = 50
WINDOW = timedelta(minutes=15)
#: The longest a blocked key waits (the delay doubles per refused attempt up to this).
MAX_DELAY = timedelta(hours=24)
KNOWN_FOR = timedelta(days=90)

_UPSERT = sa.text(
    """
    INSERT INTO login_throttle (key, count, reset_at) VALUES (:key, 1, :reset_at)
    ON CONFLICT (key) DO UPDATE SET
      count = CASE WHEN login_throttle.reset_at <= :now THEN 1 ELSE login_throttle.count + 1 END,
      reset_at = CASE WHEN login_throttle.reset_at <= :now THEN :reset_at ELSE login_throttle.reset_at END
    RETURNING count, reset_at
    """
)


def too_many(wait_minutes: int) -> DomainError:
    minutes = max(1, wait_minutes)
    return DomainError(
        "too_many_attempts",
        f"Bạn đã nhập sai quá nhiều lần. Vui lòng thử lại sau {minutes} phút hoặc đặt lại mật khẩu.",
        f"Too many wrong attempts. Please try again in {minutes} minutes or reset your password.",
        status=429,
    )


def address_key(address: str | None) -> str:
    """The address a counter is kept for: IPv4 as is, IPv6 by its /64 (one host owns a whole /64)."""
    if not address:
        return "local"
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return "bad:" + address.strip()[:40]
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


@dataclass(frozen=True)
class Reservation:
    """The keys one attempt was counted under, to be released if it succeeds."""

    account: str
    address: str

    @property
    def keys(self) -> tuple[str, str, str]:
        return (f"acct:{self.account}", f"addr:{self.address}", f"pair:{self.account}|{self.address}")


def _bump(conn: sa.Connection, key: str, now: datetime) -> tuple[int, datetime]:
    row = conn.execute(_UPSERT, {"key": key[:120], "now": now, "reset_at": now + WINDOW}).one()
    reset_at = row[1]
    if isinstance(reset_at, str):  # SQLite's RETURNING hands back the stored text
        reset_at = datetime.fromisoformat(reset_at)
    return int(row[0]), reset_at


def _extend(conn: sa.Connection, key: str, count: int, limit: int, now: datetime) -> datetime:
    """Each attempt past the limit doubles the wait (capped), so retrying never pays."""
    delay = min(WINDOW * (2 ** min(count - limit, 10)), MAX_DELAY)
    until = now + delay
    conn.execute(
        sa.text("UPDATE login_throttle SET reset_at = :until WHERE key = :key AND reset_at < :until"),
        {"until": until, "key": key[:120]},
    )
    return until


def _is_known(conn: sa.Connection, account: str, address: str, now: datetime) -> bool:
    row = conn.execute(
        sa.text("SELECT reset_at FROM login_throttle WHERE key = :key"), {"key": f"known:{account}|{address}"[:120]}
    ).first()
    if row is None:
        return False
    reset_at = datetime.fromisoformat(row[0]) if isinstance(row[0], str) else row[0]
    return reset_at > now


def reserve(account: str, address: str | None) -> Reservation:
    """Count this attempt now (committed) and refuse it if a limit is passed.

    `account` is "u<id>" for an existing person or "l<login>" for an unknown login.
    Raises `too_many_attempts` (429) without touching the password.
    """
    res = Reservation(account=account, address=address_key(address))
    acct_key, addr_key, pair_key = res.keys
    now = clock.now()
    with get_engine().begin() as conn:
        pair, _ = _bump(conn, pair_key, now)
        addr, _ = _bump(conn, addr_key, now)
        acct, _ = _bump(conn, acct_key, now)
        refused: list[datetime] = []
        if pair > PAIR_LIMIT:
            refused.append(_extend(conn, pair_key, pair, PAIR_LIMIT, now))
        if addr > ADDRESS_LIMIT:
            refused.append(_extend(conn, addr_key, addr, ADDRESS_LIMIT, now))
        if acct > ACCOUNT_LIMIT and not _is_known(conn, res.account, res.address, now):
            refused.append(_extend(conn, acct_key, acct, ACCOUNT_LIMIT, now))
    if refused:
        wait = max(refused) - now
        raise too_many(int(wait.total_seconds() // 60) + 1)
    return res


def succeeded(res: Reservation) -> None:
    """The password was right: this attempt was not a failure; remember the address."""
    acct_key, addr_key, pair_key = res.keys
    now = clock.now()
    with get_engine().begin() as conn:
        conn.execute(sa.text("DELETE FROM login_throttle WHERE key = :key"), {"key": pair_key[:120]})
        conn.execute(
            sa.text("UPDATE login_throttle SET count = count - 1 WHERE key IN (:a, :b) AND count > 0"),
            {"a": acct_key[:120], "b": addr_key[:120]},
        )
        known = f"known:{res.account}|{res.address}"[:120]
        conn.execute(
            sa.text(
                "INSERT INTO login_throttle (key, count, reset_at) VALUES (:key, 0, :until) "
                "ON CONFLICT (key) DO UPDATE SET reset_at = excluded.reset_at"
            ),
            {"key": known, "until": now + KNOWN_FOR},
        )


def reset() -> None:
    """Forget every counter (tests; an admin after an incident)."""
    with get_engine().begin() as conn:
        conn.execute(sa.text("DELETE FROM login_throttle"))
