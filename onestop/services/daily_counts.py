"""Keeps `dossier_daily_count` right in the same transaction that changes a dossier.

Why a flush hook rather than a call in every use case: a dossier changes in many
services (reception, workbench, citizen portal, payments, ratings, field sync) and
in tests that write rows directly. Whatever flushes a change to a dossier, its
rating, payments or attachments, `before_flush` removes that dossier's old
contribution (read from the database, which still holds the old state) and
`after_flush` adds the new one, on the same connection and transaction: the
counts can never be staler than the dossiers, and a rollback drops both.
The lifecycle writes a dossier with a version-guarded `UPDATE dossier … WHERE
version = …` run through the session: `do_orm_execute` wraps such statements the
same way (old contribution of the rows the WHERE matches, the UPDATE, new one).

Cost: two small SELECTs and one upsert of the net change per flush or UPDATE that touches a counted
column (see `_COUNTED_COLUMNS`); changes that only move an assignee or a version
do nothing. Rating, payment and attachment rows are written through the ORM
(flush hook); a raw-connection or bulk UPDATE of a counted column must run inside
`changing(session, ids)`. Bulk loads (bench/generate.py's COPY) run `rebuild()` afterwards
(`onestop dashboard rebuild`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlmodel import Session

from onestop.domain.daily_counts import COLUMNS, INTERVAL_COLUMNS, DossierFacts, Key, add_deltas
from onestop.domain.lifecycle import Status
from onestop.models import (
    DOSSIER_COUNT_TOTAL,
    DOSSIER_DAILY_COUNT,
    DOSSIER_WEEKLY_COUNT,
    Attachment,
    Dossier,
    Payment,
    Rating,
)

T = DOSSIER_DAILY_COUNT
TOTAL = DOSSIER_COUNT_TOTAL
WEEK = DOSSIER_WEEKLY_COUNT
_FIRST_INTERVAL = len(COLUMNS) - len(INTERVAL_COLUMNS)
_PENDING = "onestop_daily_count_ids"
#: Dossier columns whose change can move a dashboard figure.
_COUNTED_COLUMNS = (
    "received_at",
    "finished_at",
    "on_time",
    "due_at",
    "paused_at",
    "apology_issued_at",
    "channel",
    "status",
    "fee_amount",
    "fee_status",
    "result_attachment_id",
    "handling_center_id",
    "procedure_id",
    "procedure_code",
)
_RESULT = (int(Status.RESULT_READY), int(Status.RETURNED))
_BATCH = 5000


def facts_query(where: Iterable[sa.ColumnElement] = (), ids: list[int] | None = None) -> sa.Select:
    """One row per dossier with everything `domain.daily_counts.events` needs (related rows pre-grouped).

    `ids` limits the related-row subqueries too, so a refresh of one dossier reads a handful of rows."""
    D = Dossier  # noqa: N806 - reads like the table
    pay = sa.select(Payment.dossier_id.label("dossier_id")).where(Payment.method == "online", Payment.status == "paid")
    att = sa.select(
        Attachment.dossier_id.label("dossier_id"),
        sa.func.count().label("inputs"),
        sa.func.sum(sa.case((Attachment.reused_from_id.is_not(None), 1), else_=0)).label("reused"),
    ).where(Attachment.kind.in_(["input", "supplement"]))
    if ids is not None:
        pay = pay.where(Payment.dossier_id.in_(ids))
        att = att.where(Attachment.dossier_id.in_(ids))
    pay_sq = pay.group_by(Payment.dossier_id).subquery("paid")
    att_sq = att.group_by(Attachment.dossier_id).subquery("att")
    stmt = (
        sa.select(  # type: ignore[misc]  # 20 columns: more than sqlalchemy's typed overloads
            D.handling_center_id,
            D.procedure_id,
            D.procedure_code,
            D.channel,
            D.status,
            D.received_at,
            D.finished_at,
            D.on_time,
            D.due_at,
            D.paused_at,
            D.apology_issued_at.is_not(None),
            D.fee_amount,
            D.fee_status,
            D.result_attachment_id.is_not(None),
            pay_sq.c.dossier_id.is_not(None),
            Rating.id.is_not(None),
            sa.func.coalesce(Rating.overall <= 2, False),  # noqa: PLR2004 - read.dashboard.NEGATIVE_RATING
            sa.func.coalesce(Rating.is_complaint, False),
            sa.func.coalesce(att_sq.c.inputs, 0),
            sa.func.coalesce(att_sq.c.reused, 0),
        )
        .select_from(D)
        .outerjoin(pay_sq, pay_sq.c.dossier_id == D.id)
        .outerjoin(Rating, Rating.dossier_id == D.id)
        .outerjoin(att_sq, att_sq.c.dossier_id == D.id)
        .where(D.received_at.is_not(None), *where)
    )
    return stmt.where(D.id.in_(ids)) if ids is not None else stmt


def to_facts(row: Any) -> DossierFacts:
    return DossierFacts(
        center_id=row[0],
        procedure_id=row[1],
        procedure_code=row[2],
        channel=row[3],
        status=int(row[4]),
        received_at=row[5],
        finished_at=row[6],
        on_time=None if row[7] is None else bool(row[7]),
        due_at=row[8],
        paused_at=row[9],
        apology=bool(row[10]),
        fee_amount=int(row[11] or 0),
        fee_status=row[12],
        has_result_file=bool(row[13]),
        paid_online=bool(row[14]),
        rated=bool(row[15]),
        rated_negative=bool(row[16]),
        complaint=bool(row[17]),
        inputs=int(row[18] or 0),
        reused=int(row[19] or 0),
    )


def _upsert(conn: Connection, rows: dict[Key, list[int]], weeks: bool = True) -> None:
    """Add the deltas to the stored day rows, their additive part to the week rows (migration 0020; `weeks=False`:
    migration 0011's backfill, before that table exists) and the interval deltas to the all-time totals."""
    totals: dict[tuple[int, int, str], list[int]] = {}
    by_week: dict[Key, list[int]] = {}
    for (day, cid, pid, code), v in rows.items():
        acc = totals.setdefault((cid, pid, code), [0] * len(INTERVAL_COLUMNS))
        for i, n in enumerate(v[_FIRST_INTERVAL:]):
            acc[i] += n
        week = by_week.setdefault((day - timedelta(days=day.weekday()), cid, pid, code), [0] * _FIRST_INTERVAL)
        for i, n in enumerate(v[:_FIRST_INTERVAL]):
            week[i] += n
    keys = ("day", "center_id", "procedure_id", "procedure_code")
    # In key order, day rows, then week rows, then totals: two transactions lock shared rows in the same order.
    _add(conn, T, keys, COLUMNS, [(*k, *v) for k, v in sorted(rows.items()) if any(v)])
    if weeks:
        week_rows = [(*k, *v) for k, v in sorted(by_week.items()) if any(v)]
        _add(conn, WEEK, ("week", *keys[1:]), COLUMNS[:_FIRST_INTERVAL], week_rows)
    _add(conn, TOTAL, keys[1:], INTERVAL_COLUMNS, [(*k, *v) for k, v in sorted(totals.items()) if any(v)])


@lru_cache(maxsize=64)
def _upsert_statement(dialect_name: str, table: sa.Table, keys: tuple[str, ...], names: tuple[str, ...]) -> Any:
    """The upsert of `_add`, built once per table and dialect: statements are immutable, and building this one
    took as long as running it on the filing path (three of them per online filing)."""
    dialect: Any = postgresql if dialect_name == "postgresql" else sqlite
    stmt = dialect.insert(table)
    return stmt.on_conflict_do_update(
        index_elements=[table.c[k] for k in keys if k != "procedure_code"],
        set_={name: table.c[name] + stmt.excluded[name] for name in names},
    )


def _add(conn: Connection, table: sa.Table, keys: tuple[str, ...], names: tuple[str, ...], rows: list[tuple]) -> None:
    """INSERT … ON CONFLICT (key) DO UPDATE SET c = c + excluded.c, in batches (PostgreSQL and SQLite)."""
    if not rows:
        return
    stmt = _upsert_statement(conn.dialect.name, table, keys, names)
    params = [dict(zip((*keys, *names), row, strict=True)) for row in rows]
    for i in range(0, len(params), _BATCH):
        conn.execute(stmt, params[i : i + _BATCH])


def _contribution(conn: Connection, ids: list[int], sign: int, into: dict[Key, list[int]]) -> None:
    """Add (sign=1) or take off (sign=-1) what these dossiers, as the database holds them now, contribute."""
    for i in range(0, len(ids), 500):
        for row in conn.execute(facts_query(ids=ids[i : i + 500])):
            add_deltas(into, to_facts(row), sign)


@contextmanager
def changing(session: Session, ids: list[int]) -> Iterator[None]:
    """Wrap a write the hooks cannot see (raw SQL on a counted column): old contribution off, new one on."""
    conn = session.connection()
    rows: dict[Key, list[int]] = {}
    _contribution(conn, sorted(set(ids)), -1, rows)
    yield
    _contribution(conn, sorted(set(ids)), 1, rows)
    _upsert(conn, rows)


def rebuild(session: Session) -> int:
    """Recompute the whole table from the dossiers (after a bulk load, or to repair); rows written.

    Streams the dossiers once; the caller commits (`onestop dashboard rebuild`)."""
    return rebuild_on(session.connection())


def rebuild_on(conn: Connection, weeks: bool = True) -> int:
    """`rebuild` on a bare connection (migration 0011's backfill runs inside Alembic's transaction, `weeks=False`:
    the week rows come with migration 0020, which sums them from the day rows)."""
    conn.execute(sa.delete(T))
    conn.execute(sa.delete(TOTAL))
    if weeks:
        conn.execute(sa.delete(WEEK))
    rows: dict[Key, list[int]] = {}
    # per statement: Connection.execution_options() would switch the connection itself to server-side cursors
    stream = conn.execute(facts_query(), execution_options={"stream_results": True, "yield_per": 20_000})
    for row in stream:
        add_deltas(rows, to_facts(row))
    _upsert(conn, rows, weeks)
    return len(rows)


def weeks_from_days(conn: Connection) -> dict[Key, list[int]]:
    """The week rows the day rows add up to (migration 0020's backfill; the proof test compares)."""
    add = COLUMNS[:_FIRST_INTERVAL]
    out: dict[Key, list[int]] = {}
    for day, cid, pid, code, *v in conn.execute(
        sa.select(T.c.day, T.c.center_id, T.c.procedure_id, T.c.procedure_code, *(T.c[k] for k in add))
    ):
        d = day if isinstance(day, date) else date.fromisoformat(str(day))
        acc = out.setdefault((d - timedelta(days=d.weekday()), cid, pid, code), [0] * len(add))
        for i, n in enumerate(v):
            acc[i] += int(n or 0)
    return {k: v for k, v in out.items() if any(v)}


def weeks_stored(conn: Connection) -> dict[Key, list[int]]:
    """The week rows as stored (rows that add up to nothing left out), in the shape of `weeks_from_days`."""
    out: dict[Key, list[int]] = {}
    for week, cid, pid, code, *v in conn.execute(
        sa.select(
            WEEK.c.week,
            WEEK.c.center_id,
            WEEK.c.procedure_id,
            WEEK.c.procedure_code,
            *(WEEK.c[k] for k in COLUMNS[:_FIRST_INTERVAL]),
        )
    ):
        if any(v):
            out[(week if isinstance(week, date) else date.fromisoformat(str(week)), cid, pid, code)] = [
                int(n) for n in v
            ]
    return out


def sum_weeks(conn: Connection) -> int:
    """Recompute the week rows from the day rows (migration 0020)."""
    conn.execute(sa.delete(WEEK))
    rows = weeks_from_days(conn)
    _add(
        conn,
        WEEK,
        ("week", "center_id", "procedure_id", "procedure_code"),
        COLUMNS[:_FIRST_INTERVAL],
        [(*k, *v) for k, v in sorted(rows.items())],
    )
    return len(rows)


# --------------------------------------------------------------------------- the flush hook


def _dossier_ids(objs: Iterable[object], gone: frozenset[int] = frozenset()) -> Iterator[int]:
    """`gone`: id() of the objects marked for deletion (their state says "deleted" only after the flush)."""
    for obj in objs:
        if isinstance(obj, Dossier):
            if obj.id is not None and (id(obj) in gone or _counted_change(obj)):
                yield obj.id
        elif isinstance(obj, Rating | Payment | Attachment) and obj.dossier_id is not None:
            yield obj.dossier_id


def _counted_change(obj: Dossier) -> bool:
    state = sa.inspect(obj)
    if state.deleted or not state.persistent:
        return True
    return any(state.attrs[name].history.has_changes() for name in _COUNTED_COLUMNS)


@sa.event.listens_for(Session, "before_flush")
def _before_flush(session: Session, _ctx: object, _instances: object) -> None:
    gone = frozenset(id(o) for o in session.deleted)
    ids = sorted(set(_dossier_ids([*session.dirty, *session.deleted, *session.new], gone)))
    rows: dict[Key, list[int]] = {}
    if ids:
        _contribution(session.connection(), ids, -1, rows)
    session.info[_PENDING] = (ids, rows)


@sa.event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _ctx: object) -> None:
    ids, rows = session.info.pop(_PENDING, ([], {}))
    # New dossiers got their id in this flush; their old contribution was nothing.
    ids = sorted({*ids, *(d.id for d in session.new if isinstance(d, Dossier) and d.id is not None)})
    if ids:
        conn = session.connection()
        _contribution(conn, ids, 1, rows)
        _upsert(conn, rows)  # the net change only: rows an action leaves as they were are not written


def _touches_counted(stmt: Any) -> bool:
    """Whether an UPDATE sets a counted column (unknown shapes count as yes: correctness before speed)."""
    values = getattr(stmt, "_values", None)
    if not values:
        return True
    names = {getattr(k, "key", k) for k in values}
    return bool(names & set(_COUNTED_COLUMNS))


def _sets_same_values(session: Session, stmt: Any, ids: list[int]) -> bool:
    """Whether the UPDATE writes every counted column it names with the value each matched dossier already has.

    Compared with the dossiers as the session holds them (loaded, or read once); a value that is not a plain
    literal counts as a change."""
    values = getattr(stmt, "_values", None) or {}
    counted = {getattr(k, "key", k): v for k, v in values.items() if getattr(k, "key", k) in _COUNTED_COLUMNS}
    if not ids or len(ids) > 50:  # noqa: PLR2004 - a bulk update: just recompute
        return False
    for v in counted.values():
        if not isinstance(v, sa.BindParameter) or v.callable is not None:
            return False
    for i in ids:
        dossier = session.get(Dossier, i)
        if dossier is None:
            return False
        for name, v in counted.items():
            if getattr(dossier, name) != v.value:
                return False
    return True


@sa.event.listens_for(Session, "do_orm_execute")
def _on_orm_execute(state: Any) -> Any:
    if not (state.is_update or state.is_delete):
        return None
    mapper = state.bind_mapper
    if mapper is None or mapper.class_ is not Dossier:
        return None
    if state.is_update and not _touches_counted(state.statement):
        return None
    session = state.session
    session.flush()  # pending ORM changes first, so "old" below is what the table holds
    conn = session.connection()
    where = state.statement.whereclause
    ids = [r[0] for r in conn.execute(sa.select(Dossier.id).where(where if where is not None else sa.true()))]
    if state.is_update and _sets_same_values(session, state.statement, ids):
        return None  # e.g. an assignment: status written again unchanged, nothing counted moves
    rows: dict[Key, list[int]] = {}
    _contribution(conn, ids, -1, rows)
    result = state.invoke_statement()
    if state.is_update:
        _contribution(conn, ids, 1, rows)
    _upsert(conn, rows)
    return result
