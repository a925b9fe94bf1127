"""Engine, sessions and the one `transaction()` helper every use case runs in.

Why our own engine rather than `rx.session()`: the CLI, the scheduler, the JSON API,
the tests and the bench all use the services without a Reflex app, and they must
share the same SQLite pragmas (WAL, foreign keys, busy timeout) as the app.
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache, partial
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.attributes import manager_of_class
from sqlmodel import Session

from onestop.settings import get_settings

log = logging.getLogger(__name__)
_AFTER_COMMIT = "onestop_after_commit"
_T = TypeVar("_T")


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


@lru_cache(maxsize=4)
def engine_for(url: str) -> Engine:
    """One engine per URL for the whole process."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            from pathlib import Path

            Path(path).parent.mkdir(parents=True, exist_ok=True)
        # A connection per thread is cheap on SQLite: room for the DB thread pool (ui.offload) and the
        # sign-in throttle's own connection beside each request's session.
        engine = sa.create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 10}, pool_size=20, max_overflow=40
        )
        sa.event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return sa.create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)


def get_engine() -> Engine:
    return engine_for(get_settings().database_url)


def new_session() -> Session:
    return Session(get_engine(), expire_on_commit=False)


def after_commit(session: Session, fn: Callable[[], None]) -> None:
    """Run `fn` once the session's current transaction commits; drop it on rollback.

    Why: use cases never commit (the caller's `transaction()` does), yet live updates
    (services.bus) must go out only for changes that were really stored. A use case
    registers its publish here; the hook below runs it after whichever commit ends
    the transaction, whoever calls it. `fn` must not use the session (no SQL may run
    in an after-commit hook): capture what it needs before registering.
    """
    session.info.setdefault(_AFTER_COMMIT, []).append(fn)


@sa.event.listens_for(Session, "after_commit")
def _run_after_commit(session: Session) -> None:
    for fn in session.info.pop(_AFTER_COMMIT, []):
        try:
            fn()
        except Exception:
            log.exception("after-commit hook failed")


@sa.event.listens_for(Session, "after_rollback")
def _drop_after_commit(session: Session) -> None:
    session.info.pop(_AFTER_COMMIT, None)


@contextmanager
def transaction(session: Session | None = None) -> Iterator[Session]:
    """Run a block as one transaction: commit when it ends, roll back on any error.

    With an existing session (tests, a caller composing use cases) the block joins
    that session and commits it at the end; otherwise a fresh session is opened.
    This is the only place a use case's work is committed: UI events, API routes,
    jobs, the CLI and the demo seed open it; `onestop/services/` only flushes.
    Hooks registered with `after_commit()` run after the commit succeeds.
    """
    own = session is None
    s = new_session() if own else session
    try:
        yield s
        s.commit()
    except BaseException:
        s.rollback()
        raise
    finally:
        if own:
            s.close()


def is_postgres(engine: Engine | None = None) -> bool:
    return (engine or get_engine()).dialect.name == "postgresql"


#: `INSERT … ON CONFLICT (dedupe_key) DO NOTHING` per (dialect, table), built once; values bound at execute time.
_INSERT_ONCE: dict[tuple[str, str], sa.Insert] = {}


def insert_once(session: Session, table: sa.Table, values: dict[str, object]) -> bool:
    """Insert a row keyed by its unique `dedupe_key` unless one exists: one statement, no read first, no ORM
    object. True when the row was written (False: that key was already there — exactly-once outboxes, also
    when two workers race). Why prebuilt: the submission path writes two or three of these per filing."""
    dialect = session.get_bind().dialect.name
    stmt = _INSERT_ONCE.get((dialect, table.name))
    if stmt is None:
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        # RETURNING, not rowcount: psycopg reports rowcount -1 here, and a skipped row returns nothing.
        stmt = insert(table).on_conflict_do_nothing(index_elements=[table.c.dedupe_key]).returning(table.c.id)
        _INSERT_ONCE[(dialect, table.name)] = stmt
    return session.execute(stmt, values).first() is not None


#: `INSERT … RETURNING id` per table, built once (insert_row).
_INSERT_ROW: dict[str, Any] = {}
#: What the flush hooks would have done for a row `insert_row` writes (it bypasses the flush), per table name.
_ROW_HOOKS: dict[str, list[Callable[[Session, Any], None]]] = {}


def on_insert_row(table_name: str) -> Callable[[Callable[[Session, Any], None]], Callable[[Session, Any], None]]:
    """Register `hook(session, obj)` to run in `insert_row` just before the row is written.

    Why: the dashboard's pre-computed tables are kept by flush hooks, which a Core INSERT does not trigger; a
    module that keeps such a table registers here too, so the fast path cannot silently skip it."""

    def register(hook: Callable[[Session, Any], None]) -> Callable[[Session, Any], None]:
        _ROW_HOOKS.setdefault(table_name, []).append(hook)
        return hook

    return register


def row_hooks(table_name: str) -> tuple[Callable[[Session, Any], None], ...]:
    """The hooks `insert_row` runs for this table: a writer that bypasses `insert_row` (the PostgreSQL filing
    statement, services.filing_statement) checks that it writes what each of them would."""
    return tuple(_ROW_HOOKS.get(table_name, ()))


#: Per table model: (immutable defaults, default factories) of its fields, for `build_row`.
_ROW_DEFAULTS: dict[type, tuple[dict[str, Any], dict[str, Callable[[], Any]]]] = {}


def build_row(cls: type[_T], values: dict[str, Any]) -> _T:
    """A new table-model object from values already checked, without SQLModel's constructor.

    Why: `Dossier(**values)` sets its ~45 fields one by one through pydantic and SQLAlchemy's instrumentation
    (0.3–0.9 ms per filing, bench/submit_bench.py); this fills the instance dict the way a load from the
    database does (~20 µs). Nothing is validated or coerced: use it only for values a use case has validated
    (the filing's form went through `validate_form`). Fields not given take their declared default.
    The object is transient: `insert_row` writes it, `as_loaded` makes it a row read from the database.
    """
    defaults = _ROW_DEFAULTS.get(cls)
    if defaults is None:
        static: dict[str, Any] = {}
        factories: dict[str, Callable[[], Any]] = {}
        for name, info in cls.model_fields.items():  # type: ignore[attr-defined]
            if info.is_required():
                continue
            if info.default_factory is not None:
                factories[name] = info.default_factory
            elif isinstance(info.default, (dict, list, set)):  # never share a mutable default
                factories[name] = partial(copy.copy, info.default)
            else:
                static[name] = info.default
        defaults = _ROW_DEFAULTS[cls] = (static, factories)
    obj = manager_of_class(cls).new_instance()
    state = obj.__dict__
    state.update(defaults[0])
    for name, factory in defaults[1].items():
        if name not in values:
            state[name] = factory()
    state.update(values)
    return obj


def as_loaded(obj: _T) -> _T:
    """Mark a `build_row` object (with its primary key set) as a row that exists in the database, not attached to
    any session: reading it never queries; adding it to a session would UPDATE, never INSERT."""
    make_transient_to_detached(obj)
    return obj


def row_values(obj: Any) -> tuple[dict[str, Any], list[str]]:
    """The column values `insert_row` writes for a new object, and the columns it leaves to their defaults
    (None where the column has one), as the ORM's INSERT would."""
    values: dict[str, Any] = {}
    defaulted: list[str] = []
    for col in type(obj).__table__.columns:
        if col.primary_key or col.name not in obj.__dict__:
            continue
        value = obj.__dict__[col.name]
        if value is None and (col.default is not None or col.server_default is not None):
            defaulted.append(col.name)
            continue
        values[col.name] = value
    return values, defaulted


def insert_row(session: Session, obj: Any) -> int:
    """Write a new table-model object with one prebuilt Core `INSERT … RETURNING id` and attach it to the
    session as a persistent, clean object (as if it had been flushed and loaded), returning its id.

    Why: on the submission path the ORM unit of work (change tracking, mapper persistence, a flush per row)
    cost more Python time than the statements themselves. The object stays usable like any loaded one:
    later changes to it are flushed as UPDATEs. Pending ORM changes are flushed first, so statement order
    is what a flush would have produced. Values the object leaves as None where the column has a default
    are left to the default and expired on the object (loaded again if read), as the ORM does.
    """
    session.flush()
    table = type(obj).__table__
    for hook in _ROW_HOOKS.get(table.name, ()):
        hook(session, obj)
    values, defaulted = row_values(obj)
    stmt = _INSERT_ROW.get(table.name)
    if stmt is None:
        stmt = _INSERT_ROW[table.name] = sa.insert(table).returning(table.c.id)
    new_id = int(session.execute(stmt, values).scalar_one())
    adopt_row(session, obj, new_id, defaulted)
    return new_id


def adopt_row(session: Session, obj: Any, new_id: int, defaulted: list[str]) -> None:
    """Attach an object whose row was just inserted by a Core statement as a persistent, clean object; the
    columns left to their defaults (`row_values`) are expired, so reading them loads what the database set."""
    obj.id = new_id
    make_transient_to_detached(obj)
    session.add(obj)
    if defaulted:
        session.expire(obj, defaulted)


# Registers the flush hooks that keep the dashboard's daily counts, step durations, submission and support counts in step
# with the dossiers (imported last: the modules need the models, and every session user imports this one).
from onestop.services import daily_counts as _daily_counts  # noqa: E402, F401
from onestop.services import step_times as _step_times  # noqa: E402, F401
from onestop.services import submission_counts as _submission_counts  # noqa: E402, F401
from onestop.services import support_counts as _support_counts  # noqa: E402, F401
