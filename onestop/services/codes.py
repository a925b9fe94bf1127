"""Dossier code allocation: a per-center, per-day sequence kept in the database.

Why an upsert: `INSERT … ON CONFLICT DO UPDATE … RETURNING` is one atomic statement
on PostgreSQL and SQLite alike, so two concurrent receptions can never get the
same number, and there is no read-then-write race.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from onestop.domain.codes import format_dossier_code
from onestop.models import DossierSequence

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


__all__ = ["allocate_dossier_code", "next_sequence"]
