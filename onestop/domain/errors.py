"""The one error type every rule and use case raises.

A DomainError carries a stable machine code (for the API and tests) and the
message in both UI languages, so whichever channel caught it can show the
person their own language without another lookup.
"""

from __future__ import annotations

from typing import Any


class Bilingual:
    """Mixin for anything that carries a message in both UI languages as `vi` and `en`.

    Why one mixin: errors, refused sheet rows, builder rows and release decisions all
    answer "the message in this language" the same way (Vietnamese unless English is asked).
    """

    vi: str
    en: str

    def message(self, lang: str = "vi") -> str:
        """The message in `lang` (Vietnamese unless English is asked for)."""
        return self.en if lang == "en" else self.vi


class DomainError(Bilingual, Exception):
    """A rule refused an input or an action; nothing was changed."""

    def __init__(
        self,
        code: str,
        vi: str,
        en: str,
        *,
        field: str | None = None,
        status: int = 400,
        errors: dict[str, dict[str, str]] | None = None,
        missing: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(f"{code}: {en}")
        self.code = code
        self.vi = vi
        self.en = en
        self.field = field
        self.status = status
        #: Per-field messages when a whole form was refused ({"field": {"vi": …, "en": …}}).
        self.errors = errors
        #: What the server still lacks before it can accept a field dossier (files by checksum, consent).
        self.missing = missing

    def as_dict(self) -> dict[str, str | None]:
        return {"code": self.code, "vi": self.vi, "en": self.en, "field": self.field}


class PermissionDenied(DomainError):
    """The actor may not do this (role, center scope or ownership)."""

    def __init__(
        self,
        vi: str = "Bạn không có quyền thực hiện thao tác này.",
        en: str = "You are not allowed to do this.",
        code: str = "forbidden",
    ) -> None:
        super().__init__(code, vi, en, status=403)


class SignInRequired(DomainError):
    """Nobody is signed in (no session, or it expired or was revoked)."""

    def __init__(self) -> None:
        super().__init__("sign_in_required", "Vui lòng đăng nhập.", "Please sign in.", status=401)


class NotFound(DomainError):
    def __init__(self, what_vi: str = "Không tìm thấy.", what_en: str = "Not found.", code: str = "not_found") -> None:
        super().__init__(code, what_vi, what_en, status=404)


class ConcurrentChange(DomainError):
    """Optimistic lock lost: someone else changed the dossier first."""

    def __init__(self) -> None:
        super().__init__(
            "concurrent_change",
            "Hồ sơ này vừa được người khác thay đổi — vui lòng tải lại.",
            "This dossier was changed by someone else — reload.",
            status=409,
        )
