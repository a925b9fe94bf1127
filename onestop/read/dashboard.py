"""Numbers for the administrator's overview and the service-quality dashboard.

Why here: aggregates over dossiers are reads (see onestop/read/__init__.py); the
formulas they feed are `domain.metrics`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, func, select

from onestop.domain.lifecycle import Role, Status, status_label
from onestop.i18n import t
from onestop.models import Center, Dossier, Procedure, User
from onestop.read.dossier import _overdue
from onestop.read.format import fmt_day, fmt_pct
from onestop.services.actor import Actor
from onestop.services.permissions import require_role

DASHBOARD_DAYS = 90


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
        users_by_role=[KeyCount(str(r), t(f"role.{r}", "vi"), t(f"role.{r}", "en"), roles.get(str(r), 0))
                       for r in role_order],
        dossiers_by_status=[KeyCount(str(int(s)), status_label(s, "vi"), status_label(s, "en"), statuses.get(int(s), 0))
                            for s in Status],
    )


# --------------------------------------------------------------------------- quality dashboard


@dataclass
class QualityRow:
    center_vi: str = ""
    center_en: str = ""
    submitted: int = 0
    online: int = 0
    online_pct: float = -1.0
    online_vi: str = "—"
    online_en: str = "—"
    finished: int = 0
    on_time: int = 0
    on_time_pct: float = -1.0
    on_time_vi: str = "—"
    on_time_en: str = "—"
    overdue_now: int = 0


@dataclass
class QualityDashboard:
    since: str = ""
    until: str = ""
    total: QualityRow = field(default_factory=QualityRow)
    centers: list[QualityRow] = field(default_factory=list)


def _quality_rows(session: Session, since: datetime, now: datetime, center_ids: Iterable[int] | None) -> dict:
    """Per handling center: submitted / online (by submission time) and finished / on time (by finish time)."""
    scope = [Dossier.handling_center_id.in_(list(center_ids))] if center_ids is not None else []
    submitted = session.exec(
        select(Dossier.handling_center_id, func.count(),
               func.sum(sa.case((Dossier.channel == "online", 1), else_=0)))
        .where(*scope, Dossier.submitted_at >= since, Dossier.submitted_at <= now)
        .group_by(Dossier.handling_center_id)).all()
    finished = session.exec(
        select(Dossier.handling_center_id, func.count(), func.sum(sa.case((Dossier.on_time.is_(True), 1), else_=0)))
        .where(*scope, Dossier.finished_at >= since, Dossier.finished_at <= now, Dossier.on_time.is_not(None))
        .group_by(Dossier.handling_center_id)).all()
    overdue = session.exec(
        select(Dossier.handling_center_id, func.count()).where(*scope, _overdue(now))
        .group_by(Dossier.handling_center_id)).all()
    out: dict[int, list[int]] = {}
    for cid, n, online in submitted:
        out.setdefault(cid, [0, 0, 0, 0, 0])[0:2] = [int(n), int(online or 0)]
    for cid, n, on_time in finished:
        out.setdefault(cid, [0, 0, 0, 0, 0])[2:4] = [int(n), int(on_time or 0)]
    for cid, n in overdue:
        out.setdefault(cid, [0, 0, 0, 0, 0])[4] = int(n)
    return out


def _quality_row(center_vi: str, center_en: str, numbers: list[int]) -> QualityRow:
    submitted, online, finished, on_time, overdue_now = numbers
    online_pct, online_vi, online_en = fmt_pct(online, submitted)
    on_time_pct, on_time_vi, on_time_en = fmt_pct(on_time, finished)
    return QualityRow(center_vi, center_en, submitted, online, online_pct, online_vi, online_en,
                      finished, on_time, on_time_pct, on_time_vi, on_time_en, overdue_now)


def quality_dashboard(session: Session, actor: Actor, now: datetime, days: int = DASHBOARD_DAYS) -> QualityDashboard:
    """On-time rate (finished in the window, judged at status 9 or at the end) and online rate
    (submitted in the window) for a leader's center, or for every center for a province admin.
    """
    require_role(actor, [Role.LEADER, Role.ADMIN])
    since = now - timedelta(days=days)
    province_wide = actor.is_admin and actor.center_id is None
    center_ids = None if province_wide else [actor.center_id]
    numbers = _quality_rows(session, since, now, center_ids)
    centers_q = select(Center).order_by(Center.name)
    if not province_wide:
        centers_q = centers_q.where(Center.id == actor.center_id)
    centers = session.exec(centers_q).all()
    rows = [_quality_row(c.name, c.name, numbers.get(c.id, [0, 0, 0, 0, 0])) for c in centers
            if c.id in numbers or not province_wide]
    totals = [sum(v[i] for v in numbers.values()) for i in range(5)]
    scope_vi = t("dashboard.province", "vi") if province_wide else (centers[0].name if centers else "")
    scope_en = t("dashboard.province", "en") if province_wide else (centers[0].name if centers else "")
    return QualityDashboard(since=fmt_day(since), until=fmt_day(now), total=_quality_row(scope_vi, scope_en, totals),
                            centers=rows)


