"""Use cases. Each takes a session and the acting user, checks permission, applies a
domain rule, writes rows and the audit event in one transaction, and raises DomainError.
"""

from onestop.services.actor import SYSTEM_ACTOR, Actor
from onestop.services.permissions import (
    can_view_dossier,
    require_center_scope,
    require_role,
    require_view_dossier,
)

__all__ = [
    "Actor",
    "SYSTEM_ACTOR",
    "can_view_dossier",
    "require_center_scope",
    "require_role",
    "require_view_dossier",
]
