"""What the community digital-technology teams achieve, per commune: people helped, dossiers filed for
people, and whether the commune files more online after the team's visits.

Why before/after per commune: the teams visit homes so that people (often
elderly, on weak networks) file online themselves next time. The measure is the
share of the commune's dossiers filed online by the people themselves in the
`WINDOW_DAYS` before the commune's first completed visit of the period against
the same span after it. A dossier belongs to a commune through its applicant's
resident record (national ID). Supporters are those of the reader's center (a
province administrator sees every team).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, func, select

from onestop.domain.lifecycle import Role
from onestop.models import Dossier, Resident, SupportVisit, User
from onestop.read.dashboard import Period, visible_centers
from onestop.services.actor import Actor

WINDOW_DAYS = 90


@dataclass(frozen=True)
class CommuneFigures:
    commune: str
    visits: int
    people_helped: int
    filed_on_behalf: int
    online_before: tuple[int, int]  # (online, all) in the window before the first visit
    online_after: tuple[int, int]


def _supporters(session: Session, actor: Actor) -> list[int]:
    centers = visible_centers(actor)
    q = select(User.id).where(User.role == Role.SUPPORTER.value)
    if centers is not None:
        q = q.where(User.center_id.in_(centers))
    return list(session.exec(q).all())


def support_figures(session: Session, actor: Actor, period: Period) -> list[CommuneFigures]:
    """Per commune touched by a team in the period, most people helped first."""
    team = _supporters(session, actor)
    if not team:
        return []
    visits = session.exec(
        select(Resident.commune, SupportVisit.resident_id, SupportVisit.done_at)
        .join(Resident, Resident.id == SupportVisit.resident_id)
        .where(
            SupportVisit.supporter_id.in_(team),
            SupportVisit.status == "done",
            SupportVisit.done_at >= period.start,
            SupportVisit.done_at < period.end,
        )
    ).all()
    # grouped per person in the database (tens of thousands of dossiers at the province at 1M, fewer people)
    filed = session.exec(
        select(Resident.commune, Resident.id, func.count())
        .select_from(Dossier)
        .join(Resident, Resident.national_id == Dossier.applicant_national_id)
        .where(
            Dossier.acting_user_id.in_(team),
            Dossier.submitted_at >= period.start,
            Dossier.submitted_at < period.end,
            sa.or_(Dossier.on_behalf.is_(True), Dossier.channel.in_(["assisted", "field"])),
        )
        .group_by(Resident.commune, Resident.id)
    ).all()
    n_visits: dict[str, int] = defaultdict(int)
    first_visit: dict[str, datetime] = {}
    people: dict[str, set[int]] = defaultdict(set)
    n_filed: dict[str, int] = defaultdict(int)
    for commune, resident_id, done_at in visits:
        n_visits[commune] += 1
        people[commune].add(resident_id)
        if done_at is not None and (commune not in first_visit or done_at < first_visit[commune]):
            first_visit[commune] = done_at
    for commune, filed_for, n in filed:
        n_filed[commune] += n
        if filed_for is not None:
            people[commune].add(filed_for)
    out = []
    for commune in people:
        before = after = (0, 0)
        if commune in first_visit:
            before = _online_share(
                session, commune, first_visit[commune] - timedelta(days=WINDOW_DAYS), first_visit[commune]
            )
            after = _online_share(
                session, commune, first_visit[commune], first_visit[commune] + timedelta(days=WINDOW_DAYS)
            )
        out.append(CommuneFigures(commune, n_visits[commune], len(people[commune]), n_filed[commune], before, after))
    return sorted(out, key=lambda f: (-f.people_helped, f.commune))


def _online_share(session: Session, commune: str, start: datetime, end: datetime) -> tuple[int, int]:
    """(filed online by the people themselves, all dossiers) of a commune's residents in [start, end)."""
    online, total = session.exec(
        select(
            func.sum(sa.case((sa.and_(Dossier.channel == "online", Dossier.on_behalf.is_(False)), 1), else_=0)),
            func.count(),
        )
        .join(Resident, Resident.national_id == Dossier.applicant_national_id)
        .where(Resident.commune == commune, Dossier.submitted_at >= start, Dossier.submitted_at < end)
    ).one()
    return int(online or 0), int(total or 0)
