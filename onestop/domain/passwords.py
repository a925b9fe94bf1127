"""A password policy people can live with: long enough, not a known favourite, not about you.

Why these rules (issue 17, finding 9; NIST SP 800-63B §5.1.1): composition rules
("letters and digits") were not enforced and do not help — `"        1"` and
`aaaaaaa1` passed. Length helps, and so does refusing what attackers try first. So:
- at least `MIN_LENGTH` characters that are not spaces, or a passphrase of at least
  `PASSPHRASE_WORDS` words (people remember sentences; "con mèo ngủ trên mái nhà");
- not a password from the common list shipped in the repository (also with digits
  or symbols added at the end: "password2026!"), not one repeated character or a run
  like "1234567890", and not the person's phone, ID number or name;
- no upper limit that would refuse a passphrase (bounded only at 200 characters so
  the hash is not a denial-of-service lever), any characters, Vietnamese included.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from onestop.domain.errors import DomainError

MIN_LENGTH = 10
MAX_LENGTH = 200
PASSPHRASE_WORDS = 4
PASSPHRASE_MIN = 16

_LIST = Path(__file__).with_name("data") / "common_passwords.txt"


@functools.lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    lines = _LIST.read_text(encoding="utf-8").splitlines()
    return frozenset(_squash(line) for line in lines if line.strip() and not line.startswith("#"))


def _squash(text: str) -> str:
    """Lower-case, accents and spaces removed: "Mật Khẩu" → "matkhau"."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"\s+", "", text.lower())


def _is_sequence(text: str) -> bool:
    if len(set(text)) <= 2:
        return True
    steps = {ord(b) - ord(a) for a, b in zip(text, text[1:], strict=False)}
    return len(steps) == 1 and steps <= {1, -1}


def _weak(reason: str, vi: str, en: str) -> DomainError:
    """One stable code for every refusal (`password_weak`); `reason` says which rule."""
    err = DomainError("password_weak", vi, en, field="password", status=422)
    err.reason = reason  # type: ignore[attr-defined]
    return err


def check(password: str, *, personal: Iterable[str] = ()) -> None:
    """Raise a bilingual `DomainError` (422, field "password") when the password is refused."""
    if not isinstance(password, str) or len(password) > MAX_LENGTH:
        raise _weak(
            "password_too_long",
            f"Mật khẩu dài tối đa {MAX_LENGTH} ký tự.",
            f"A password has at most {MAX_LENGTH} characters.",
        )
    if any(unicodedata.category(c) == "Cc" for c in password):
        raise _weak(
            "password_control",
            "Mật khẩu không được chứa ký tự điều khiển.",
            "A password cannot contain control characters.",
        )
    words = password.split()
    core = "".join(words)
    passphrase = len(words) >= PASSPHRASE_WORDS and len(password.strip()) >= PASSPHRASE_MIN
    if len(core) < MIN_LENGTH and not passphrase:
        raise _weak(
            "password_short",
            f"Mật khẩu cần ít nhất {MIN_LENGTH} ký tự (không tính dấu cách), hoặc một câu từ "
            f"{PASSPHRASE_WORDS} từ trở lên.",
            f"A password needs at least {MIN_LENGTH} characters (spaces not counted), or a sentence "
            f"of {PASSPHRASE_WORDS} words or more.",
        )
    squashed = _squash(password)
    stem = re.sub(r"[\d\W_]+$", "", squashed)
    common = common_passwords()
    if squashed in common or stem in common or _is_sequence(squashed) or _is_sequence(stem or squashed):
        raise _weak(
            "password_common",
            "Mật khẩu này quá phổ biến, dễ bị đoán. Vui lòng chọn mật khẩu khác.",
            "This password is too common and easy to guess. Please choose another one.",
        )
    for item in personal:
        mine = _squash(str(item or ""))
        if len(mine) >= 4 and (mine in squashed or squashed in mine):
            raise _weak(
                "password_personal",
                "Mật khẩu không được chứa số điện thoại, số định danh hay họ tên của bạn.",
                "A password cannot contain your phone number, ID number or name.",
            )
