"""The one permission check every use case calls.

Rules: a citizen only touches dossiers they filed or that were filed for them; a
supporter only those they filed with recorded consent; officers only dossiers
received or handled by their own center; a province admin (no center) sees all.
"""

from __future__ import annotations

from collections.abc import Iterable

from onestop.domain.errors import DomainError, PermissionDenied, SignInRequired
from onestop.domain.lifecycle import OFFICER_ROLES, Role
from onestop.models import Dossier
from onestop.services.actor import Actor


def require_role(actor: Actor, roles: Iterable[str | Role]) -> None:
    allowed = {str(r) for r in roles}
    if actor.role not in allowed:
        raise PermissionDenied()


def require_officer(actor: Actor) -> None:
    """Any of the center roles (receiver, specialist, leader, admin, …): the workbench's door."""
    require_role(actor, tuple(OFFICER_ROLES))


def require_counter(actor: Actor) -> None:
    """Counter intake: a receiver or an admin who belongs to a center (the dossier is filed there)."""
    require_role(actor, (Role.RECEIVER, Role.ADMIN))
    if actor.center_id is None:
        raise PermissionDenied(
            "Tiếp nhận tại quầy cần tài khoản thuộc một trung tâm.",
            "Counter intake needs an account that belongs to a center.",
            code="no_center",
        )


def require_signed_in(actor: Actor | None) -> Actor:
    if actor is None or actor.user_id is None and actor.role != Role.SYSTEM:
        raise SignInRequired()
    return actor


def require_center_scope(actor: Actor, center_id: int | None) -> None:
    """Officers act only inside their center; an admin without a center is province-wide."""
    if actor.role == Role.SYSTEM or (actor.is_admin and actor.center_id is None):
        return
    if actor.center_id is None or actor.center_id != center_id:
        raise PermissionDenied(
            "Hồ sơ này thuộc trung tâm khác, bạn không có quyền truy cập.",
            "This dossier belongs to another center; you may not open it.",
            code="other_center",
        )


def can_view_dossier(actor: Actor, dossier: Dossier) -> bool:
    role = actor.role
    if role == Role.SYSTEM:
        return True
    if role == Role.CITIZEN:
        return actor.user_id is not None and actor.user_id in (dossier.applicant_user_id, dossier.acting_user_id)
    if role == Role.SUPPORTER:
        return dossier.acting_user_id == actor.user_id and (dossier.consent_id is not None or not dossier.on_behalf)
    if actor.is_admin and actor.center_id is None:
        return True
    return actor.center_id is not None and actor.center_id in (dossier.handling_center_id, dossier.receiving_center_id)


def require_view_dossier(actor: Actor, dossier: Dossier | None) -> Dossier:
    """The dossier, or the same 'not found' whether it is missing or someone else's.

    Why the same error: telling a stranger that a code exists leaks information.
    """
    if dossier is None or not can_view_dossier(actor, dossier):
        raise dossier_not_found()
    return dossier


def dossier_not_found() -> DomainError:
    """The one answer for a dossier that is missing or not the caller's (the same words everywhere)."""
    return DomainError(
        "dossier_not_found",
        "Không tìm thấy hồ sơ, hoặc bạn không có quyền xem hồ sơ này.",
        "Dossier not found, or you are not allowed to see it.",
        status=404,
    )
