"""Codes people read, type and say aloud: dossier codes, field receipt codes, tracking tokens.

* Dossier code ``{center}-{yyMMdd}-{NNNN}``: printed on the receipt and
  appointment slip and synced to the national portal.  The sequence number is
  per center per day and is allocated by the database (a counter row locked in
  the receiving transaction, or a sequence), never computed here: only the
  database can keep it unique when two officers receive at the same instant.
  This module only formats and parses.
* Provisional code ``F7K3-M2QQ``: written on the paper receipt a support team
  leaves at a home when the field app captures a dossier offline.  It must
  survive being read over the phone, so it uses Crockford base32 (no I, L, O,
  U; reading O as 0 and I/L as 1 is forgiven) and ends with a Luhn mod 32
  check character that catches every single wrong character and most swapped
  neighbours.  It is bound to the official dossier code on sync.  With 35
  random bits it is unique *per device*, not globally: the sync API keys it by
  (device, code) — a province-wide collision is likely after ~10^5 captures.
* Tracking token: an unguessable URL-safe secret for the public tracking page
  link (the page is also reachable by dossier code + phone number).
"""

from __future__ import annotations

import re
import secrets
from datetime import date

from onestop.domain.errors import DomainError

__all__ = [
    "CROCKFORD_ALPHABET",
    "format_dossier_code",
    "is_valid_provisional_code",
    "new_provisional_code",
    "new_tracking_token",
    "normalize_provisional_code",
    "parse_dossier_code",
]

_CENTER_RE = re.compile(r"[A-Z0-9](?:[A-Z0-9._-]{0,38}[A-Z0-9])?")
_DOSSIER_RE = re.compile(r"(?P<center>.+)-(?P<day>[0-9]{6})-(?P<seq>[0-9]{4,})")


def _bad_code(code: str) -> DomainError:
    return DomainError(
        "bad_dossier_code",
        f"Mã hồ sơ “{code[:60]}” không đúng. Mã hồ sơ có dạng MÃ-NƠI-NHẬN-ngàythángnăm-số, ví dụ H56.25-250701-0001.",
        f"“{code[:60]}” is not a dossier code. A dossier code looks like CENTER-yyMMdd-NNNN, e.g. H56.25-250701-0001.",
        field="code",
    )


def format_dossier_code(center_code: str, day: date, seq: int) -> str:
    """``H56.25-250701-0001``: center, reception date as yyMMdd, sequence of the day.

    The sequence is zero-padded to 4 digits; a center that receives more than
    9,999 dossiers in a day simply gets more digits (``-10000``), so codes stay
    unique and still sort by day.
    """
    if not isinstance(center_code, str) or not _CENTER_RE.fullmatch(center_code):
        raise DomainError(
            "bad_center_code",
            "Mã đơn vị tiếp nhận không hợp lệ (chỉ gồm chữ in hoa, số, dấu chấm, gạch ngang, gạch dưới).",
            "Invalid center code (capital letters, digits, dot, hyphen and underscore only).",
            field="center_code",
        )
    if not isinstance(day, date) or not 2000 <= day.year <= 2099:
        raise DomainError("bad_dossier_day", "Ngày tiếp nhận không hợp lệ.", "Invalid reception date.", field="day")
    if isinstance(seq, bool) or not isinstance(seq, int) or seq < 1:
        raise DomainError(
            "bad_dossier_seq",
            "Số thứ tự hồ sơ phải từ 1 trở lên.",
            "The dossier sequence number must be 1 or more.",
            field="seq",
        )
    return f"{center_code}-{day:%y%m%d}-{seq:04d}"


def parse_dossier_code(code: str) -> tuple[str, date, int]:
    """Split a dossier code typed by a person (any case, stray spaces) into its parts.

    Only canonical codes parse: ``format_dossier_code(*parse_dossier_code(c))``
    gives back the upper-cased input, so one dossier never has two spellings.
    """
    if not isinstance(code, str):
        raise _bad_code(str(code))
    text = code.strip().upper()
    m = _DOSSIER_RE.fullmatch(text)
    if not m or not _CENTER_RE.fullmatch(m["center"]):
        raise _bad_code(code)
    raw_seq = m["seq"]
    if len(raw_seq) > 4 and raw_seq.startswith("0"):
        raise _bad_code(code)
    d = m["day"]
    try:
        day = date(2000 + int(d[:2]), int(d[2:4]), int(d[4:]))
    except ValueError:
        raise _bad_code(code) from None
    seq = int(raw_seq)
    if seq < 1:
        raise _bad_code(code)
    return m["center"], day, seq


# --------------------------------------------------------------------------- provisional codes

CROCKFORD_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_VALUE = {c: i for i, c in enumerate(CROCKFORD_ALPHABET)}
_VALUE.update({"O": 0, "I": 1, "L": 1})  # Crockford: read O as 0, I and L as 1
_SEPARATORS = re.compile(r"[\s\-_.]+")


def _luhn32_check(values: list[int]) -> int:
    """Luhn mod N (N = 32) check value for a list of digit values."""
    total = 0
    factor = 2
    for v in reversed(values):
        addend = factor * v
        total += addend // 32 + addend % 32
        factor = 1 if factor == 2 else 2
    return (32 - total % 32) % 32


def new_provisional_code(groups: int = 2) -> str:
    """A fresh field receipt code such as ``F7K3-M2QQ`` (groups of 4, last character a check)."""
    if groups < 1:
        raise ValueError("groups must be >= 1")
    values = [secrets.randbelow(32) for _ in range(4 * groups - 1)]
    values.append(_luhn32_check(values))
    chars = "".join(CROCKFORD_ALPHABET[v] for v in values)
    return "-".join(chars[i : i + 4] for i in range(0, len(chars), 4))


def normalize_provisional_code(s: str) -> str:
    """Canonical spelling of a code read back by a person; DomainError if it is not one.

    Case-insensitive; hyphens, spaces, dots optional; O/I/L accepted for 0/1/1.
    """
    if isinstance(s, str):
        raw = _SEPARATORS.sub("", s.strip()).upper()
        if raw and len(raw) % 4 == 0 and len(raw) <= 32 and all(c in _VALUE for c in raw):
            values = [_VALUE[c] for c in raw]
            if _luhn32_check(values[:-1]) == values[-1]:
                chars = "".join(CROCKFORD_ALPHABET[v] for v in values)
                return "-".join(chars[i : i + 4] for i in range(0, len(chars), 4))
    raise DomainError(
        "bad_provisional_code",
        "Mã biên nhận tạm không đúng. Vui lòng đọc lại mã trên giấy biên nhận, ví dụ F7K3-M2QQ.",
        "This provisional receipt code is not valid. Please read the code on the receipt again, e.g. F7K3-M2QQ.",
        field="provisional_code",
    )


def is_valid_provisional_code(s: str) -> bool:
    """True if `s` is a well-formed provisional code with a correct check character."""
    try:
        normalize_provisional_code(s)
    except DomainError:
        return False
    return True


def new_tracking_token() -> str:
    """192 random bits, URL-safe (32 characters), for the public tracking link."""
    return secrets.token_urlsafe(24)
