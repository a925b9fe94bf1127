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
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from sqlmodel import Session, func, select

from onestop.domain.lifecycle import Role
from onestop.models import DOSSIER_COMMUNE_COUNT, DOSSIER_FILED_FOR, Dossier, Resident, SupportVisit, User
from onestop.read.dashboard import Period, visible_centers
from onestop.services.actor import Actor
from onestop.services.support_counts import FILED_CHANNELS

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
    """Per commune touched by a team in the period, most people helped first.

    Read from the tables kept by services.support_counts (migration 0018): the dossiers filed on people's behalf
    per (acting user, day, commune, person) and the dossiers per (commune, day). The period's whole days come
    from those rows; a first or last day the period only partly covers (a period ending at now) is read from
    the dossiers of that part, joined to the registry (a day's worth at most). `support_figures_direct` gives
    the same figures from the dossiers and the registry alone (the proof)."""
    team = _supporters(session, actor)
    if not team:
        return []
    n_visits, first_visit, people = _visits(session, team, period)
    n_filed: dict[str, int] = defaultdict(int)
    first, last = _whole_days(period)
    for commune, rid, n in _filed_direct(session, team, _partial_pieces(period, first, last)):
        n_filed[commune] += n
        people[commune].add(rid)
    helped: dict[str, int] = {}
    if first < last:
        F = DOSSIER_FILED_FOR  # noqa: N806 - reads like the table
        conn = session.connection()
        # rows a change took back to 0 stay in the table: not a person helped
        whole = [F.c.acting_user_id.in_(team), F.c.day >= first, F.c.day < last, F.c.dossiers > 0]
        # people visited or filed for in a partial day who were also filed for in the whole days count once
        candidates = sorted({rid for ids in people.values() for rid in ids})
        known = (
            {
                tuple(r)
                for r in conn.execute(
                    sa.select(F.c.commune, F.c.resident_id).where(*whole, F.c.resident_id.in_(candidates))
                )
            }
            if candidates
            else set()
        )
        helped = {c: sum((c, rid) not in known for rid in ids) for c, ids in people.items()}
        # per commune: dossiers and distinct people, grouped in the database (~19,000 rows: province, 90 days)
        for commune, n, distinct in conn.execute(
            sa.select(F.c.commune, func.sum(F.c.dossiers), func.count(sa.distinct(F.c.resident_id)))
            .where(*whole)
            .group_by(F.c.commune)
        ):
            n_filed[commune] += int(n)
            helped[commune] = helped.get(commune, 0) + int(distinct)
    else:
        helped = {c: len(ids) for c, ids in people.items()}
    online = _online_shares(session, {c: first_visit[c] for c in helped if c in first_visit})
    out = []
    for commune, n_people in helped.items():
        before, after = online.get(commune, ((0, 0), (0, 0)))
        out.append(CommuneFigures(commune, n_visits[commune], n_people, n_filed[commune], before, after))
    return sorted(out, key=lambda f: (-f.people_helped, f.commune))


def _visits(
    session: Session, team: list[int], period: Period
) -> tuple[dict[str, int], dict[str, datetime], dict[str, set[int]]]:
    """Per commune: completed visits of the period, the first one's moment, the people visited."""
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
    n_visits: dict[str, int] = defaultdict(int)
    first_visit: dict[str, datetime] = {}
    people: dict[str, set[int]] = defaultdict(set)
    for commune, resident_id, done_at in visits:
        n_visits[commune] += 1
        people[commune].add(resident_id)
        if done_at is not None and (commune not in first_visit or done_at < first_visit[commune]):
            first_visit[commune] = done_at
    return n_visits, first_visit, people


def _whole_days(period: Period) -> tuple[date, date]:
    """[first, last) of the days the period covers entirely."""
    first = period.start.date() if period.start.time() == time(0) else period.start.date() + timedelta(days=1)
    return first, max(first, period.end.date())


def _partial_pieces(period: Period, first: date, last: date) -> list[tuple[datetime, datetime]]:
    """The parts of the period outside its whole days [first, last)."""
    pieces = [(period.start, datetime.combine(first, time(0))), (datetime.combine(last, time(0)), period.end)]
    return [(a, b) for a, b in pieces if a < b]


def _filed_direct(
    session: Session, team: list[int], pieces: list[tuple[datetime, datetime]]
) -> list[tuple[str, int, int]]:
    """(commune, resident id, dossiers) filed on people's behalf by the team in these spans, from the dossiers."""
    out: list[tuple[str, int, int]] = []
    for start, end in pieces:
        out += [
            (str(c), int(rid), int(n))
            for c, rid, n in session.exec(
                select(Resident.commune, Resident.id, func.count())
                .select_from(Dossier)
                .join(Resident, Resident.national_id == Dossier.applicant_national_id)
                .where(
                    Dossier.acting_user_id.in_(team),
                    Dossier.submitted_at >= start,
                    Dossier.submitted_at < end,
                    sa.or_(Dossier.on_behalf.is_(True), Dossier.channel.in_(FILED_CHANNELS)),
                )
                .group_by(Resident.commune, Resident.id)
            ).all()
        ]
    return out


def windows(first_visit: datetime) -> tuple[tuple[date, date], tuple[date, date]]:
    """[first, last) days before and after a commune's first visit: the `WINDOW_DAYS` whole days before the
    visit's day, and the visit's day with the `WINDOW_DAYS` - 1 days after it (whole days, so the counts per
    (commune, day) answer them exactly)."""
    d = first_visit.date()
    return (d - timedelta(days=WINDOW_DAYS), d), (d, d + timedelta(days=WINDOW_DAYS))


def _online_shares(
    session: Session, first_visit: dict[str, datetime]
) -> dict[str, tuple[tuple[int, int], tuple[int, int]]]:
    """Per commune: (online by the people themselves, all) in the windows before and after its first visit."""
    C = DOSSIER_COMMUNE_COUNT  # noqa: N806
    conn = session.connection()
    out = {}
    for commune, at in first_visit.items():
        (b0, b1), (a0, a1) = windows(at)
        before = sa.and_(C.c.day >= b0, C.c.day < b1)
        row = conn.execute(
            sa.select(
                func.sum(sa.case((before, C.c.online_self), else_=0)),
                func.sum(sa.case((before, C.c.dossiers), else_=0)),
                func.sum(sa.case((before, 0), else_=C.c.online_self)),
                func.sum(sa.case((before, 0), else_=C.c.dossiers)),
            ).where(C.c.commune == commune, C.c.day >= b0, C.c.day < a1)
        ).one()
        v = [int(x or 0) for x in row]
        out[commune] = ((v[0], v[1]), (v[2], v[3]))
    return out


def support_figures_direct(session: Session, actor: Actor, period: Period) -> list[CommuneFigures]:
    """The same figures from the dossiers joined to the registry at read time (the proof; slow at scale)."""
    team = _supporters(session, actor)
    if not team:
        return []
    n_visits, first_visit, people = _visits(session, team, period)
    n_filed: dict[str, int] = defaultdict(int)
    for commune, filed_for, n in _filed_direct(session, team, [(period.start, period.end)]):
        n_filed[commune] += n
        people[commune].add(filed_for)
    out = []
    for commune in people:
        before = after = (0, 0)
        if commune in first_visit:
            (b0, b1), (a0, a1) = windows(first_visit[commune])
            before = _online_share(session, commune, _midnight(b0), _midnight(b1))
            after = _online_share(session, commune, _midnight(a0), _midnight(a1))
        out.append(CommuneFigures(commune, n_visits[commune], len(people[commune]), n_filed[commune], before, after))
    return sorted(out, key=lambda f: (-f.people_helped, f.commune))


def _midnight(d: date) -> datetime:
    return datetime.combine(d, time(0))


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
