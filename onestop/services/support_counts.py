"""Keeps the support figures' tables (`dossier_commune_count`, `dossier_filed_for`) right in the transaction.

Why a flush hook, like services.daily_counts: the support figures place each dossier in its applicant's
commune through the resident registry (national ID). Joining at request time cost one registry lookup per
dossier filed on someone's behalf (18,960 for the province's 90 days at 1M, 0.4–0.5 s) plus the communes'
dossiers around each first visit; these tables hold the joined, grouped result. A dossier's part depends on
its submission time, channel, "on behalf" flag, acting user and applicant ID number, and on the registry row
of that ID number (its id and commune): a change of any of them, on either side, moves the part.

How: `before_flush` takes off what the touched dossiers contribute as the database holds them (changed dossiers,
and every dossier of a changed or deleted resident's old and new ID number); `after_flush` adds what the same
dossiers and the new ones contribute afterwards. A new resident's ID number had no registry row before (the
column is unique), so its dossiers contributed nothing until then. `do_orm_execute` does the same around
`UPDATE`/`DELETE` statements on dossiers or residents that touch those columns; `db.insert_row`'s dossier
fast path adds its part directly. Not seen: raw-connection SQL and bulk loads (bench/generate.py's COPY):
`onestop dashboard rebuild` calls `rebuild_on`, `onestop dashboard verify` compares.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date, datetime
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlmodel import Session

from onestop.db import on_insert_row
from onestop.models import DOSSIER_COMMUNE_COUNT, DOSSIER_FILED_FOR, Dossier, Resident
from onestop.services.daily_counts import _add  # noqa: PLC2701 - the same upsert, same layer

#: Channels of a dossier filed by an officer or a supporter for the applicant (besides `on_behalf`).
FILED_CHANNELS = ("assisted", "field")
_DOSSIER_COLUMNS = ("submitted_at", "channel", "on_behalf", "acting_user_id", "applicant_national_id")
_RESIDENT_COLUMNS = ("national_id", "commune")
_PENDING = "onestop.support_counts.pending"

CommuneKey = tuple[str, date]  # commune, day
FiledKey = tuple[int, date, str, int]  # acting user, day, commune, resident id


class Deltas:
    """Net changes to both tables from one flush (or statement)."""

    def __init__(self) -> None:
        self.communes: Counter[CommuneKey] = Counter()  # dossiers
        self.online: Counter[CommuneKey] = Counter()  # filed online by the applicants themselves
        self.filed: Counter[FiledKey] = Counter()

    def add(
        self,
        submitted_at: datetime | None,
        channel: str,
        on_behalf: bool,
        acting_user_id: int | None,
        resident_id: int | None,
        commune: str | None,
        sign: int,
    ) -> None:
        """One dossier's part (`domain`-free rule: the definitions of read.support_figures)."""
        if submitted_at is None or resident_id is None or commune is None:
            return  # not submitted, or the applicant is not in the registry: in no commune
        key = (commune, submitted_at.date())
        self.communes[key] += sign
        self.online[key] += sign * int(channel == "online" and not on_behalf)
        if acting_user_id is not None and (on_behalf or channel in FILED_CHANNELS):
            self.filed[(acting_user_id, submitted_at.date(), commune, resident_id)] += sign

    def write(self, conn: Connection) -> None:
        """Add the net changes, in key order (two writers lock shared rows in the same order: no deadlock)."""
        keys = sorted(set(self.communes) | set(self.online))
        rows = [(c, d, self.communes[(c, d)], self.online[(c, d)]) for c, d in keys]
        _add(
            conn,
            DOSSIER_COMMUNE_COUNT,
            ("commune", "day"),
            ("dossiers", "online_self"),
            [r for r in rows if any(r[2:])],
        )
        filed = [(*k, n) for k, n in sorted(self.filed.items()) if n]
        _add(conn, DOSSIER_FILED_FOR, ("acting_user_id", "day", "commune", "resident_id"), ("dossiers",), filed)


def facts_query() -> sa.Select:
    """Per dossier, what its part depends on, the applicant's registry row joined (inner: no row, no part)."""
    D, R = Dossier, Resident  # noqa: N806 - read like the tables
    return (
        sa.select(D.submitted_at, D.channel, D.on_behalf, D.acting_user_id, R.id, R.commune)
        .select_from(D)
        .join(R, R.national_id == D.applicant_national_id)
        .where(D.submitted_at.is_not(None))
    )


def _contribution(conn: Connection, ids: Iterable[int], sign: int, into: Deltas) -> None:
    """Add (sign=1) or take off (sign=-1) what these dossiers, as the database holds them now, contribute."""
    ordered = sorted(set(ids))
    for i in range(0, len(ordered), 500):
        for at, channel, on_behalf, acting, rid, commune in conn.execute(
            facts_query().where(Dossier.id.in_(ordered[i : i + 500]))
        ):
            into.add(at, channel, bool(on_behalf), acting, rid, commune, sign)


def _dossiers_of(conn: Connection, national_ids: set[str]) -> set[int]:
    if not national_ids:
        return set()
    return set(
        conn.execute(sa.select(Dossier.id).where(Dossier.applicant_national_id.in_(sorted(national_ids)))).scalars()
    )


def _changed(obj: Any, columns: tuple[str, ...]) -> bool:
    state = sa.inspect(obj)
    return any(state.attrs[k].history.has_changes() for k in columns)


@sa.event.listens_for(Session, "before_flush")
def _before_flush(session: Session, _ctx: object, _instances: object) -> None:
    # (an object marked for deletion is not `deleted` in its state before the flush: session.deleted says so)
    gone = list(session.deleted)
    marked = {id(o) for o in gone}
    dossiers = {
        o.id
        for o in [*session.dirty, *gone]
        if isinstance(o, Dossier) and o.id is not None and (id(o) in marked or _changed(o, _DOSSIER_COLUMNS))
    }
    residents = [
        o
        for o in [*session.dirty, *gone]
        if isinstance(o, Resident) and (id(o) in marked or _changed(o, _RESIDENT_COLUMNS))
    ]
    new_residents = [o for o in session.new if isinstance(o, Resident)]
    if not dossiers and not residents and not new_residents:
        session.info[_PENDING] = None
        return
    conn = session.connection()
    national_ids = {o.national_id for o in [*residents, *new_residents] if o.national_id}
    old_ids = [o.id for o in residents if o.id is not None]
    if old_ids:
        national_ids |= set(conn.execute(sa.select(Resident.national_id).where(Resident.id.in_(old_ids))).scalars())
    touched = dossiers | _dossiers_of(conn, national_ids)
    deltas = Deltas()
    _contribution(conn, touched, -1, deltas)
    session.info[_PENDING] = (touched, deltas)


@sa.event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _ctx: object) -> None:
    pending = session.info.pop(_PENDING, None)
    touched, deltas = pending if pending else (set(), Deltas())
    # new dossiers got their id in this flush; their part before was nothing
    ids = touched | {d.id for d in session.new if isinstance(d, Dossier) and d.id is not None}
    if not ids:
        return
    conn = session.connection()
    _contribution(conn, ids, 1, deltas)
    deltas.write(conn)


@on_insert_row("dossier")
def _on_insert_row(session: Session, d: Dossier) -> None:
    """A dossier written by `db.insert_row` (the filing fast path) skips the flush: add its part here, with the
    registry lookup inside the upserts (`INSERT … SELECT … FROM resident`: no extra round trip on the hot path;
    no registry row, nothing inserted)."""
    if d.submitted_at is None or not d.applicant_national_id:
        return
    conn = session.connection()
    params = {"national_id": d.applicant_national_id, "day": d.submitted_at.date()}
    online = int(d.channel == "online" and not d.on_behalf)
    conn.execute(_fast_path_upserts(conn.dialect.name)[0], {**params, "online": online})
    if d.acting_user_id is not None and (d.on_behalf or d.channel in FILED_CHANNELS):
        conn.execute(_fast_path_upserts(conn.dialect.name)[1], {**params, "acting_user_id": d.acting_user_id})


@lru_cache(maxsize=4)
def _fast_path_upserts(dialect_name: str) -> tuple[Any, Any]:
    """The two upserts of `_on_insert_row`, built once per dialect with bound parameters (building them per
    filing cost as much as running them)."""
    person = (
        sa.select(Resident.id, Resident.commune)
        .where(Resident.national_id == sa.bindparam("national_id", type_=sa.String()))
        .subquery()
    )
    day = sa.bindparam("day", type_=sa.Date())
    C, F = DOSSIER_COMMUNE_COUNT, DOSSIER_FILED_FOR  # noqa: N806
    communes = _upsert_from_statement(
        dialect_name,
        C,
        ("commune", "day"),
        sa.select(person.c.commune, day, sa.literal(1), sa.bindparam("online", type_=sa.Integer())).where(sa.true()),
        ("commune", "day", "dossiers", "online_self"),
    )
    filed_for = _upsert_from_statement(
        dialect_name,
        F,
        ("acting_user_id", "day", "commune", "resident_id"),
        sa.select(
            sa.bindparam("acting_user_id", type_=sa.Integer()), day, person.c.commune, person.c.id, sa.literal(1)
        ).where(sa.true()),
        ("acting_user_id", "day", "commune", "resident_id", "dossiers"),
    )
    return communes, filed_for


def _upsert_from_statement(
    dialect_name: str, table: sa.Table, keys: tuple[str, ...], rows: sa.Select, names: tuple[str, ...]
) -> Any:
    """INSERT … SELECT … ON CONFLICT (keys) DO UPDATE SET c = c + excluded.c for the non-key columns."""
    dialect: Any = postgresql if dialect_name == "postgresql" else sqlite
    stmt = dialect.insert(table).from_select([table.c[n] for n in names], rows)
    return stmt.on_conflict_do_update(
        index_elements=[table.c[k] for k in keys],
        set_={n: table.c[n] + stmt.excluded[n] for n in names if n not in keys},
    )


def _touches(stmt: Any, columns: tuple[str, ...]) -> bool:
    """Whether an UPDATE sets one of `columns` (unknown shapes count as yes: correctness before speed)."""
    values = getattr(stmt, "_values", None)
    if not values:
        return True
    return bool({getattr(k, "key", k) for k in values} & set(columns))


@sa.event.listens_for(Session, "do_orm_execute")
def _on_orm_execute(state: Any) -> Any:
    """`UPDATE`/`DELETE` statements on dossiers or residents: the part of the rows they match, off and on."""
    if not (state.is_update or state.is_delete) or state.bind_mapper is None:
        return None
    cls = state.bind_mapper.class_
    columns: tuple[str, ...]
    if cls is Dossier:
        columns = _DOSSIER_COLUMNS
    elif cls is Resident:
        columns = _RESIDENT_COLUMNS
    else:
        return None
    if state.is_update and not _touches(state.statement, columns):
        return None
    session = state.session
    session.flush()
    conn = session.connection()
    where = state.statement.whereclause
    matched = sa.true() if where is None else where
    if cls is Dossier:
        touched = set(conn.execute(sa.select(Dossier.id).where(matched)).scalars())
        residents: list[int] = []
    else:
        residents = list(conn.execute(sa.select(Resident.id).where(matched)).scalars())
        before = set(conn.execute(sa.select(Resident.national_id).where(Resident.id.in_(residents))).scalars())
        touched = _dossiers_of(conn, before)
    deltas = Deltas()
    _contribution(conn, touched, -1, deltas)
    result = state.invoke_statement()
    if residents and state.is_update:  # the ID numbers they have now: those dossiers had no registry row before
        after = set(conn.execute(sa.select(Resident.national_id).where(Resident.id.in_(residents))).scalars())
        touched |= _dossiers_of(conn, after)
    _contribution(conn, touched, 1, deltas)
    deltas.write(conn)
    return result


# --------------------------------------------------------------------------- rebuild and verify


def direct(conn: Connection) -> Deltas:
    """What both tables must hold, from the dossiers joined to the registry (rebuild, verify, tests)."""
    deltas = Deltas()
    stream = conn.execute(facts_query(), execution_options={"stream_results": True, "yield_per": 20_000})
    for at, channel, on_behalf, acting, rid, commune in stream:
        deltas.add(at, channel, bool(on_behalf), acting, rid, commune, 1)
    return deltas


def stored(conn: Connection) -> Deltas:
    """Both tables as stored (rows that add up to nothing left out), in the shape of `direct`."""
    deltas = Deltas()
    C, F = DOSSIER_COMMUNE_COUNT, DOSSIER_FILED_FOR  # noqa: N806
    for commune, day, n, online in conn.execute(sa.select(C.c.commune, C.c.day, C.c.dossiers, C.c.online_self)):
        if n or online:
            deltas.communes[(commune, _as_date(day))] = int(n)
            deltas.online[(commune, _as_date(day))] = int(online)
    for acting, day, commune, rid, n in conn.execute(
        sa.select(F.c.acting_user_id, F.c.day, F.c.commune, F.c.resident_id, F.c.dossiers)
    ):
        if n:
            deltas.filed[(int(acting), _as_date(day), commune, int(rid))] = int(n)
    return deltas


def same(a: Deltas, b: Deltas) -> bool:
    """Equal tables (zero rows ignored)."""

    def nz(c: Counter) -> dict:
        return {k: v for k, v in c.items() if v}

    return (nz(a.communes), nz(a.online), nz(a.filed)) == (nz(b.communes), nz(b.online), nz(b.filed))


def rebuild_on(conn: Connection) -> int:
    """Recompute both tables from the dossiers and the registry (migration 0018, `onestop dashboard rebuild`)."""
    conn.execute(sa.delete(DOSSIER_COMMUNE_COUNT))
    conn.execute(sa.delete(DOSSIER_FILED_FOR))
    deltas = direct(conn)
    deltas.write(conn)
    return len(deltas.communes) + len(deltas.filed)


def _as_date(value: date | str) -> date:
    """SQLite gives dates back as text."""
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
