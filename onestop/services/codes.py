"""Dossier code allocation: a per-center, per-day sequence kept in the database.

Why an upsert: `INSERT … ON CONFLICT DO UPDATE … RETURNING` is one atomic statement
on PostgreSQL and SQLite alike, so two concurrent receptions can never get the
same number, and there is no read-then-write race.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from onestop.domain.codes import format_dossier_code
from onestop.models import Center, DossierSequence, Procedure
from onestop.read.reference import STILL_CURRENT, guard_params

#: The upsert per dialect, built once: values are bound at execute time, so SQLAlchemy skips building and
#: cache-keying a new statement on every filing (measurable on the submission path, bench/submit_bench.py).
_UPSERT: dict[str, sa.Insert] = {}


def _upsert(dialect: str) -> sa.Insert:
    stmt = _UPSERT.get(dialect)
    if stmt is None:
        table = DossierSequence.__table__
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        base = insert(table).values(center_code=sa.bindparam("center_code"), day=sa.bindparam("day"), last_seq=1)
        stmt = _UPSERT[dialect] = base.on_conflict_do_update(
            index_elements=[table.c.center_code, table.c.day],
            set_={"last_seq": table.c.last_seq + 1},
        ).returning(table.c.last_seq)
    return stmt


def next_sequence(session: Session, center_code: str, day: date) -> int:
    stmt = _upsert(session.get_bind().dialect.name)
    return int(session.execute(stmt, {"center_code": center_code, "day": day}).scalar_one())


def allocate_dossier_code(session: Session, center_code: str, day: date) -> str:
    return format_dossier_code(center_code, day, next_sequence(session, center_code, day))


def guarded_upsert_sql(dialect: str) -> str:
    """The same upsert made only `WHERE read.reference.STILL_CURRENT`: a filing that took its center and procedure
    from the in-memory reference allocates a number only if they are still the database's (else no row)."""
    day = "CAST(:day AS DATE)" if dialect == "postgresql" else ":day"  # SQLite: CAST(… AS DATE) makes a number
    return (
        f"INSERT INTO dossier_sequence (center_code, day, last_seq) SELECT CAST(:center_code AS VARCHAR), {day}, 1 "
        f"WHERE {STILL_CURRENT} ON CONFLICT (center_code, day) DO UPDATE SET last_seq = dossier_sequence.last_seq + 1 "
        "RETURNING last_seq"
    )


@lru_cache(maxsize=4)
def _guarded(dialect: str) -> sa.TextClause:
    return sa.text(guarded_upsert_sql(dialect)).bindparams(sa.bindparam("day", type_=sa.Date()))


def allocate_if_current(session: Session, center: Center, proc: Procedure, day: date) -> str | None:
    """`allocate_dossier_code` if the held center and procedure version are still current, else None."""
    stmt = _guarded(session.get_bind().dialect.name)
    seq = session.execute(stmt, {**guard_params(center, proc), "day": day}).scalar()
    return format_dossier_code(center.code, day, int(seq)) if seq is not None else None


def code_prefix(center_code: str, day: date) -> str:
    """What every code of this center and day starts with (checked like a whole code): the PostgreSQL filing
    statement appends the day's number in SQL, the way `format_dossier_code` does."""
    return format_dossier_code(center_code, day, 1)[: -len("0001")]


__all__ = ["allocate_dossier_code", "allocate_if_current", "code_prefix", "guarded_upsert_sql", "next_sequence"]
