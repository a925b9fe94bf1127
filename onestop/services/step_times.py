"""Stores each hand-over's step duration on its audit event when the event is flushed.

Why a flush hook (and not a parameter of services.dossiers.append_event): every audit event reaches the
database through the ORM, whoever builds it (the lifecycle, imports, tests), and the duration must be
there whatever the path — the same reasoning as services.daily_counts. The cost is one indexed lookup of
the dossier's previous hand-over per step-ending event, in the transaction that appends it; the dashboard
then sums a column instead of pairing events and computing working hours at request time.

Not seen: raw-connection SQL and bulk loads (bench/generate.py's COPY): run `onestop dashboard rebuild`
afterwards (it calls `backfill`). An event inserted later with an earlier `at` than a dossier's newer
hand-overs does not rewrite their stored durations (the lifecycle appends with the current time).
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlmodel import Session

from onestop.db import on_insert_row
from onestop.domain.step_times import HANDOVER_ACTIONS, STEP_ENDED_BY, durations
from onestop.models import DossierEvent
from onestop.services.calendar import load_calendar

_E = DossierEvent.__table__


def _previous_at(conn: Connection, dossier_id: int, at: datetime) -> datetime | None:
    """The latest stored hand-over of the dossier at or before `at` (the new event's id is the largest)."""
    return conn.execute(
        sa.select(_E.c.at)
        .where(_E.c.dossier_id == dossier_id, _E.c.action.in_(HANDOVER_ACTIONS), _E.c.at <= at)
        .order_by(_E.c.at.desc(), _E.c.id.desc())
        .limit(1)
    ).scalar()


@sa.event.listens_for(Session, "before_flush")
def _before_flush(session: Session, _ctx: object, _instances: object) -> None:
    _fill(session, [o for o in session.new if isinstance(o, DossierEvent)])


@on_insert_row("dossier_event")
def _on_insert_row(session: Session, event: DossierEvent) -> None:
    """The same for an event written by `db.insert_row` (the audit trail's fast path), which skips the flush."""
    _fill(session, [event])


def _fill(session: Session, events: list[DossierEvent]) -> None:
    """Store on each new step-ending hand-over the working seconds since the dossier's previous hand-over."""
    new = sorted((e for e in events if e.action in HANDOVER_ACTIONS), key=lambda e: e.at)
    if not any(e.action in STEP_ENDED_BY and e.step_seconds is None for e in new):
        return
    conn = session.connection()
    with session.no_autoflush:
        cal = load_calendar(session)
    pending: dict[int, datetime] = {}  # hand-overs of this same flush, earlier in time
    for e in new:
        if e.action in STEP_ENDED_BY and e.step_seconds is None:
            stored = _previous_at(conn, e.dossier_id, e.at)
            earlier = [t for t in (stored, pending.get(e.dossier_id)) if t is not None]
            if earlier:
                e.step_seconds = max(0, cal.working_seconds_between(max(earlier), e.at))
        pending[e.dossier_id] = e.at


def backfill(conn: Connection, session: Session | None = None) -> int:
    """(Re)compute every stored step duration from the events (migration 0016, `onestop dashboard rebuild`)."""
    cal = load_calendar(session or Session(bind=conn))
    rows = conn.execute(
        sa.select(_E.c.dossier_id, _E.c.id, _E.c.at, _E.c.action)
        .where(_E.c.action.in_(HANDOVER_ACTIONS))
        .order_by(_E.c.dossier_id, _E.c.at, _E.c.id)
    ).all()
    values = [{"eid": eid, "s": s} for eid, s in durations(rows, cal.working_seconds_between)]
    conn.execute(sa.update(_E).where(_E.c.step_seconds.is_not(None)).values(step_seconds=None))
    stmt = sa.update(_E).where(_E.c.id == sa.bindparam("eid")).values(step_seconds=sa.bindparam("s"))
    for i in range(0, len(values), 5000):
        conn.execute(stmt, values[i : i + 5000])
    return len(values)
