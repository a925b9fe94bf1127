"""Stores each hand-over's step duration on its audit event when the event is flushed.

Why a flush hook (and not a parameter of services.dossiers.append_event): every audit event reaches the
database through the ORM, whoever builds it (the lifecycle, imports, tests), and the duration must be
there whatever the path — the same reasoning as services.daily_counts. The cost is one indexed lookup of
the dossier's previous hand-over per step-ending event, in the transaction that appends it; the dashboard
then sums a column instead of pairing events and computing working hours at request time.

Not seen: raw-connection SQL and bulk loads (bench/generate.py's COPY): run `onestop dashboard rebuild`
afterwards (it calls `backfill`). An event inserted later with an earlier `at` than a dossier's newer
hand-overs does not rewrite their stored durations (the lifecycle appends with the current time).

Since migration 0017 the same hook adds each new duration to `dossier_step_count` (day, step, role, histogram
bucket → count, seconds, late) in the same transaction: the province's step table reads those rows. Events are
append-only, so a duration is only ever added; `rebuild_step_counts` recomputes the table from the events.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlmodel import Session

from onestop.db import on_insert_row
from onestop.domain.step_times import HANDOVER_ACTIONS, STEP_ENDED_BY, bucket_of, durations
from onestop.models import DOSSIER_STEP_COUNT, DossierEvent
from onestop.services.calendar import load_calendar
from onestop.services.daily_counts import _add  # noqa: PLC2701 - the same upsert, same layer

StepKey = tuple[date, str, str, int]  # day, step, role, bucket

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
    if not any(e.action in STEP_ENDED_BY for e in new):
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
    counts: dict[StepKey, list[int]] = defaultdict(lambda: [0, 0, 0])
    for e in new:
        if e.action in STEP_ENDED_BY and e.step_seconds is not None:
            _count(counts, e.at, e.action, e.actor_role, e.step_seconds, e.outcome)
    write_step_counts(conn, counts)


def _count(
    into: dict[StepKey, list[int]], at: datetime, action: str, role: str | None, seconds: int, outcome: str | None
) -> None:
    cell = into[(at.date(), STEP_ENDED_BY[action], role or "", bucket_of(seconds))]
    cell[0] += 1
    cell[1] += seconds
    cell[2] += outcome == "late"


def write_step_counts(conn: Connection, counts: dict[StepKey, list[int]]) -> None:
    """Add these (count, seconds, late) to the table's rows (in key order: no deadlock between two writers)."""
    rows = [(*k, *v) for k, v in sorted(counts.items()) if v[0]]
    _add(conn, DOSSIER_STEP_COUNT, ("day", "step", "role", "bucket"), ("steps", "seconds", "late"), rows)


def step_counts_direct(conn: Connection) -> dict[StepKey, tuple[int, int, int]]:
    """What `dossier_step_count` must hold, grouped from the events' stored durations (rebuild and verify)."""
    counts: dict[StepKey, list[int]] = defaultdict(lambda: [0, 0, 0])
    rows = conn.execute(
        sa.select(_E.c.at, _E.c.action, _E.c.actor_role, _E.c.step_seconds, _E.c.outcome).where(
            _E.c.step_seconds.is_not(None), _E.c.action.in_(STEP_ENDED_BY)
        )
    )
    for at, action, role, seconds, outcome in rows:
        _count(counts, at, action, role, seconds, outcome)
    return {k: (v[0], v[1], v[2]) for k, v in counts.items()}


def step_counts_stored(conn: Connection) -> dict[StepKey, tuple[int, int, int]]:
    """The table as stored (rows that add up to nothing left out)."""
    T = DOSSIER_STEP_COUNT  # noqa: N806
    rows = conn.execute(sa.select(T.c.day, T.c.step, T.c.role, T.c.bucket, T.c.steps, T.c.seconds, T.c.late))
    return {(_as_date(d), st, r, int(b)): (int(n), int(s), int(late)) for d, st, r, b, n, s, late in rows if n}


def _as_date(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def rebuild_step_counts(conn: Connection) -> int:
    """Recompute `dossier_step_count` from the events (migration 0017, `onestop dashboard rebuild`)."""
    conn.execute(sa.delete(DOSSIER_STEP_COUNT))
    counts = step_counts_direct(conn)
    write_step_counts(conn, {k: list(v) for k, v in counts.items()})
    return len(counts)


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
