"""Keeps `dossier_submission_count` (dossiers submitted per day, receiving center, procedure) in the transaction,
with its sums per (day, center) and per (day, procedure) (migration 0018: the forecast and the province's rarely
used procedures read those, ~10× fewer rows).

Why a flush hook, like services.daily_counts: the forecast's eight weeks of history at the province are
~470,000 dossiers at 1M — 450 ms to group at request time, a few hundred rows here. A dossier's submission
time and receiving center are set when it is filed and not changed by the lifecycle, so the hook mostly
adds one to one row; a change to either (or a deletion) moves the dossier's one. Not seen: raw SQL and bulk
loads (bench/generate.py): `onestop dashboard rebuild` calls `rebuild_on`.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlmodel import Session

from onestop.db import on_insert_row
from onestop.models import DOSSIER_SUBMISSION_CENTER_DAY as BY_CENTER
from onestop.models import DOSSIER_SUBMISSION_COUNT as T
from onestop.models import DOSSIER_SUBMISSION_PROC_DAY as BY_PROC
from onestop.models import Dossier
from onestop.services.daily_counts import _add  # noqa: PLC2701 - the same upsert, same layer

_KEY = ("submitted_at", "receiving_center_id", "procedure_code")
_PENDING = "onestop.submission_counts.pending"


def _write(conn: Connection, deltas: Counter[tuple[date, int, str]], sums: bool = True) -> None:
    """Add the changes to the table and to its two sums (per center and day, per procedure and day: migration
    0018), in key order. `sums=False`: migration 0016's backfill, before the sum tables exist."""
    rows = [(d, c, p, n) for (d, c, p), n in sorted(deltas.items()) if n]
    _add(conn, T, ("day", "center_id", "proc_code"), ("submitted",), rows)
    if not sums:
        return
    by_center: Counter[tuple[date, int]] = Counter()
    by_proc: Counter[tuple[date, str]] = Counter()
    for d, c, p, n in rows:
        by_center[(d, c)] += n
        by_proc[(d, p)] += n
    _add(conn, BY_CENTER, ("day", "center_id"), ("submitted",), [(*k, n) for k, n in sorted(by_center.items()) if n])
    _add(conn, BY_PROC, ("day", "proc_code"), ("submitted",), [(*k, n) for k, n in sorted(by_proc.items()) if n])


@sa.event.listens_for(Session, "before_flush")
def _before_flush(session: Session, _ctx: object, _instances: object) -> None:
    """Deleted dossiers and those whose submission time or receiving center is set move their one; new ones add it.

    The old values are read from the database (it still holds them before the flush): an expired attribute
    that is set again has no "old value" in its history.
    """
    deltas: Counter[tuple[date, int, str]] = Counter()
    moved = {
        obj.id: obj
        for obj in [*session.dirty, *session.deleted]
        if isinstance(obj, Dossier)
        and obj.id is not None
        and (sa.inspect(obj).deleted or any(sa.inspect(obj).attrs[k].history.has_changes() for k in _KEY))
    }
    if moved:
        old_rows = session.connection().execute(
            sa.select(Dossier.id, Dossier.submitted_at, Dossier.receiving_center_id, Dossier.procedure_code).where(
                Dossier.id.in_(sorted(moved))
            )
        )
        for did, at, cid, code in old_rows:
            obj = moved[did]
            new = (None, None, None) if sa.inspect(obj).deleted else tuple(getattr(obj, k) for k in _KEY)
            if (at, cid, code) == new:
                continue
            if at is not None:
                deltas[(at.date(), cid, code)] -= 1
            if None not in new:
                deltas[(new[0].date(), new[1], new[2])] += 1
    for d in session.new:
        if isinstance(d, Dossier) and d.submitted_at is not None and d.receiving_center_id is not None:
            deltas[(d.submitted_at.date(), d.receiving_center_id, d.procedure_code)] += 1
    session.info[_PENDING] = deltas


@on_insert_row("dossier")
def _on_insert_row(session: Session, d: Dossier) -> None:
    """A dossier written by `db.insert_row` (the filing fast path) skips the flush: count it here."""
    if d.submitted_at is not None and d.receiving_center_id is not None:
        _write(session.connection(), Counter({(d.submitted_at.date(), d.receiving_center_id, d.procedure_code): 1}))


@sa.event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _ctx: object) -> None:
    deltas = session.info.pop(_PENDING, None)
    if deltas:
        _write(session.connection(), deltas)


def rebuild_on(conn: Connection, sums: bool = True) -> int:
    """Recompute the table and its two sums from the dossiers (`onestop dashboard rebuild`; migration 0016 with
    `sums=False`: the sum tables come with 0018, which fills them from this table)."""
    conn.execute(sa.delete(T))
    if sums:
        conn.execute(sa.delete(BY_CENTER))
        conn.execute(sa.delete(BY_PROC))
    day = sa.func.date(Dossier.submitted_at)
    rows = conn.execute(
        sa.select(day, Dossier.receiving_center_id, Dossier.procedure_code, sa.func.count())
        .where(Dossier.submitted_at.is_not(None))
        .group_by(day, Dossier.receiving_center_id, Dossier.procedure_code)
    ).all()
    _write(conn, Counter({(_as_date(d), c, p): int(n) for d, c, p, n in rows}), sums)
    return len(rows)


def _as_date(value: date | str) -> date:
    """SQLite's date() gives text."""
    return value if isinstance(value, date) else date.fromisoformat(value)
