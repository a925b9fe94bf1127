"""Demand forecast per center for the next two weeks, next to staffed counters, with an overload warning.

Why counters × a daily capacity: a center is overloaded when more people come
than its counters can receive. `COUNTER_DAILY_CAPACITY` is the number of dossiers
one counter receives in a working day; it is an assumption every province sets
from its own timings (a same-day civil-status dossier takes ~10 minutes, a land
dossier ~25), shown on the page beside the figures, not a measured fact.
Demand counts dossiers by the center that received them (online or at the desk).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, func, select

from onestop.domain import forecast as model
from onestop.models import DOSSIER_SUBMISSION_CENTER_DAY, Center, Counter, Dossier
from onestop.read.dashboard import _day, visible_centers
from onestop.services.actor import Actor
from onestop.services.calendar import load_calendar

HORIZON_DAYS = 14
#: Dossiers one staffed counter receives in a working day (assumption, see the module docstring).
COUNTER_DAILY_CAPACITY = 40


@dataclass(frozen=True)
class DayForecast:
    center_id: int
    center: str
    day: date
    expected: float
    counters: int
    capacity: int

    @property
    def overloaded(self) -> bool:
        """More expected than the counters can receive (no counters configured: not judged)."""
        return self.capacity > 0 and self.expected > self.capacity


def daily_history(
    session: Session, center_ids: list[int] | None, since: date, until: date
) -> dict[int, dict[date, int]]:
    """center id → {day: dossiers submitted} for since ≤ day < until, from the pre-computed
    `dossier_submission_center_day` (services.submission_counts; `daily_history_direct` counts the dossiers):
    one row per center and day, ~5,000 for the province's twelve weeks at 1M (~55,000 per procedure before)."""
    T = DOSSIER_SUBMISSION_CENTER_DAY  # noqa: N806
    q = sa.select(T.c.center_id, T.c.day, T.c.submitted).where(T.c.day >= since, T.c.day < until)
    if center_ids is not None:
        q = q.where(T.c.center_id.in_(center_ids))
    out: dict[int, dict[date, int]] = {}
    for cid, d, n in session.connection().execute(q).all():
        if n:
            out.setdefault(cid, {})[_day(d)] = int(n)
    return out


def daily_history_direct(
    session: Session, center_ids: list[int] | None, since: date, until: date
) -> dict[int, dict[date, int]]:
    """The same grouped from the dossiers (the proof for the pre-computed table; slow at scale)."""
    day = func.date(Dossier.submitted_at)
    where = [
        Dossier.submitted_at >= datetime.combine(since, datetime.min.time()),
        Dossier.submitted_at < datetime.combine(until, datetime.min.time()),
    ]
    if center_ids is not None:
        where.append(Dossier.receiving_center_id.in_(center_ids))
    out: dict[int, dict[date, int]] = {}
    for cid, d, n in session.exec(
        select(Dossier.receiving_center_id, day, func.count()).where(*where).group_by(Dossier.receiving_center_id, day)
    ).all():
        out.setdefault(cid, {})[_day(d)] = int(n)
    return out


def center_forecasts(session: Session, actor: Actor, today: date, horizon: int = HORIZON_DAYS) -> list[DayForecast]:
    """Every visible active center × the next `horizon` days (days off included, at 0)."""
    centers_ids = visible_centers(actor)
    q = select(Center).where(Center.active.is_(True)).order_by(Center.name)
    if centers_ids is not None:
        q = q.where(Center.id.in_(centers_ids))
    centers = session.exec(q).all()
    weeks = max(model.LEVEL_WEEKS, model.PROFILE_WEEKS)
    history = daily_history(
        session, [c.id for c in centers if c.id is not None], today - timedelta(days=7 * weeks), today
    )
    counters = dict(session.exec(select(Counter.center_id, func.count()).group_by(Counter.center_id)).all())
    cal = load_calendar(session)
    # the calendar is asked once per day, not once per center and day (~50 ms of Python at 60 centers before)
    working = {d: cal.is_working_day(d) for d in (today - timedelta(days=k) for k in range(-horizon, 7 * weeks + 1))}
    is_working = working.__getitem__
    windows = model.Windows.of(today, is_working)
    out: list[DayForecast] = []
    for c in centers:
        n = int(counters.get(c.id, 0))
        for d, expected in model.forecast(history.get(c.id, {}), today, horizon, is_working, windows):
            out.append(
                DayForecast(c.id, c.name, d, round(expected, 1), n, n * COUNTER_DAILY_CAPACITY if working[d] else 0)
            )
    return out
