"""Numbers for the administrator's overview page (counts of people, centers, procedures, open dossiers).

Why apart from read/dashboard.py: the leaders' service-quality dashboard (Decision 766) has its own
queries there; this is the administrator's landing page.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session, func, select

from onestop.domain.lifecycle import Role, Status, status_label
from onestop.i18n import t
from onestop.models import Center, Dossier, Procedure, User
from onestop.services.actor import Actor
from onestop.services.permissions import require_role

# --------------------------------------------------------------------------- administration


@dataclass
class KeyCount:
    key: str = ""
    label_vi: str = ""
    label_en: str = ""
    count: int = 0


@dataclass
class AdminOverview:
    centers: int = 0
    users: int = 0
    procedures: int = 0
    dossiers: int = 0
    users_by_role: list[KeyCount] = field(default_factory=list)
    dossiers_by_status: list[KeyCount] = field(default_factory=list)


def admin_overview(session: Session, actor: Actor) -> AdminOverview:
    """Counts of the whole system (an administrator's first look)."""
    require_role(actor, [Role.ADMIN])

    def count(model, *where) -> int:
        return int(session.exec(select(func.count()).select_from(model).where(*where)).one())

    roles = dict(session.exec(select(User.role, func.count()).where(User.active.is_(True)).group_by(User.role)).all())
    statuses = dict(session.exec(select(Dossier.status, func.count()).group_by(Dossier.status)).all())
    role_order = [r for r in Role if r != Role.SYSTEM]
    return AdminOverview(
        centers=count(Center, Center.active.is_(True)),
        users=sum(roles.values()),
        procedures=count(Procedure, Procedure.is_current.is_(True)),
        dossiers=sum(statuses.values()),
        users_by_role=[
            KeyCount(str(r), t(f"role.{r}", "vi"), t(f"role.{r}", "en"), roles.get(str(r), 0)) for r in role_order
        ],
        dossiers_by_status=[
            KeyCount(str(int(s)), status_label(s, "vi"), status_label(s, "en"), statuses.get(int(s), 0)) for s in Status
        ],
    )


# --------------------------------------------------------------------------- quality dashboard
