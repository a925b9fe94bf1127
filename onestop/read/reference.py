"""Centers and current procedure versions held in memory per process, for the filing path.

Why: an online filing read the receiving center and the procedure's current version on every submission (a
round trip each, or one joined read), and the apply page's submit read every active center again to check the
choice. These rows change a few times a year. Held here, a filing reads only the applicant.

Why it stays right:
- a procedure version never changes once published (an edit publishes version N+1 and clears `is_current` of N);
  a center row changes only through the admin page;
- a change made in this process (ORM flush or UPDATE/DELETE statement on `center` or `procedure`) empties the
  cache at once and again when its transaction ends (commit or rollback), and nothing read while such a change
  is pending is kept;
- a change made by another worker is caught by the filing's write itself: the code allocation only happens
  `WHERE STILL_CURRENT` (this module's predicate: the center with the same code, name, level
  and still active; the procedure version still current). When it matches nothing the caller drops the cache
  (`forget`) and reads again, so no dossier is ever written against a stale center or retired version;
- a refusal (unknown or inactive center, no current version) is always re-read from the database first;
- the list of active centers (which centers accept a procedure) is kept at most `TTL` seconds.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from onestop.db import as_loaded, build_row
from onestop.models import Center, Procedure

#: Seconds the set of active centers is trusted without a change seen in this process (another worker's edit).
TTL = 30.0
_CHANGED = "onestop.reference.changed"
_lock = threading.Lock()


@dataclass
class _Held:
    loaded_at: float
    centers: dict[int, Center] = field(default_factory=dict)  # every center, active or not
    procedures: dict[str, Procedure] = field(default_factory=dict)  # current version by code


_held: dict[str, _Held] = {}  # by database URL: a process may talk to several (tests, benches)


def forget() -> None:
    """Drop everything held (a change was seen, or a write found a held row stale)."""
    with _lock:
        _held.clear()


def _key(session: Session) -> str:
    return str(session.get_bind().url)


def _pending_change(session: Session) -> bool:
    return bool(session.info.get(_CHANGED))


def _loaded(cls: type, row: sa.Row) -> Any:
    """A detached, fully loaded model object from a Core row (not in the caller's identity map: the caller's
    session keeps its own objects, and this copy is shared read-only between threads)."""
    return as_loaded(build_row(cls, dict(row._mapping)))


def _held_for(session: Session) -> _Held:
    key = _key(session)
    with _lock:
        held = _held.get(key)
    if held is not None and time.monotonic() - held.loaded_at < TTL:
        return held
    rows = session.connection().execute(sa.select(Center.__table__)).all()
    fresh = _Held(time.monotonic(), {c.id: c for c in (_loaded(Center, r) for r in rows)})
    if not _pending_change(session):
        with _lock:
            _held[key] = fresh
    return fresh


def _read_procedure(session: Session, code: str) -> Procedure | None:
    table = Procedure.__table__
    row = (
        session.connection()
        .execute(sa.select(table).where(table.c.code == code, table.c.is_current.is_(True)).limit(1))
        .first()
    )
    return _loaded(Procedure, row) if row is not None else None


def center(session: Session, center_id: int) -> Center | None:
    """The center with this id (active or not), or None; a miss or an inactive one is read again first."""
    found = _held_for(session).centers.get(center_id)
    if found is None or not found.active:
        forget()
        found = _held_for(session).centers.get(center_id)
    return found


def active_centers(session: Session) -> list[Center]:
    """Every active center, by id (the choices of the apply page)."""
    return sorted((c for c in _held_for(session).centers.values() if c.active), key=lambda c: c.id or 0)


def current_procedure(session: Session, code: str) -> Procedure | None:
    """The current version of a procedure, or None (a miss is always read from the database)."""
    held = _held_for(session)
    found = held.procedures.get(code)
    if found is None:
        found = _read_procedure(session, code)
        if found is not None and not _pending_change(session):
            with _lock:
                held.procedures[code] = found
    return found


#: SQL: the held center row is still the database's (same code, name, level, still active) and the procedure version
#: is still current, over the parameters of `guard_params`. Text, not a Core expression: the PostgreSQL filing
#: statement (services.filing_statement) is text, and the code allocation (services.codes) embeds the same.
STILL_CURRENT = (
    "EXISTS (SELECT 1 FROM center WHERE center.id = CAST(:center_id AS INTEGER) "
    "AND center.code = CAST(:center_code AS VARCHAR) AND center.name = CAST(:center_name AS VARCHAR) "
    "AND center.level = CAST(:center_level AS VARCHAR) AND center.active) "
    "AND EXISTS (SELECT 1 FROM procedure WHERE procedure.id = CAST(:procedure_id AS INTEGER) AND procedure.is_current)"
)


def guard_params(center_row: Center, proc: Procedure) -> dict[str, Any]:
    """The values `STILL_CURRENT` compares with."""
    return {
        "center_id": center_row.id,
        "center_code": center_row.code,
        "center_name": center_row.name,
        "center_level": center_row.level,
        "procedure_id": proc.id,
    }


# --------------------------------------------------------------------------- changes seen in this process


def _touches_reference(objects: Any) -> bool:
    return any(isinstance(o, (Center, Procedure)) for o in objects)


@sa.event.listens_for(Session, "before_flush")
def _on_flush(session: Session, _ctx: object, _instances: object) -> None:
    if _touches_reference(session.new) or _touches_reference(session.dirty) or _touches_reference(session.deleted):
        session.info[_CHANGED] = True
        forget()


@sa.event.listens_for(Session, "do_orm_execute")
def _on_statement(state: Any) -> None:
    mapper = state.bind_mapper
    if (state.is_update or state.is_delete) and mapper is not None and mapper.class_ in (Center, Procedure):
        state.session.info[_CHANGED] = True
        forget()


@sa.event.listens_for(Session, "after_transaction_end")
def _on_end(session: Session, transaction: Any) -> None:
    """The outermost transaction ended (committed or rolled back): what it changed is settled either way."""
    if transaction.parent is None and session.info.pop(_CHANGED, None):
        forget()
