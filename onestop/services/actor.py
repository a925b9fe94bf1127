"""Who is acting: the small, immutable view of a signed-in user the services need."""

from __future__ import annotations

from dataclasses import dataclass

from onestop.domain.lifecycle import OFFICER_ROLES, Role


@dataclass(frozen=True)
class Actor:
    user_id: int | None
    role: str
    full_name: str
    center_id: int | None = None
    language: str = "vi"

    @classmethod
    def from_user(cls, user) -> Actor:
        return cls(user.id, user.role, user.full_name, user.center_id, user.language or "vi")

    @property
    def is_officer(self) -> bool:
        return self.role in OFFICER_ROLES

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN


SYSTEM_ACTOR = Actor(user_id=None, role=Role.SYSTEM.value, full_name="Hệ thống")
