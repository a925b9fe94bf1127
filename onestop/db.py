"""Engine, sessions and the one `transaction()` helper every use case runs in.

Why our own engine rather than `rx.session()`: the CLI, the scheduler, the JSON API,
the tests and the bench all use the services without a Reflex app, and they must
share the same SQLite pragmas (WAL, foreign keys, busy timeout) as the app.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session

from onestop.settings import get_settings

log = logging.getLogger(__name__)
_AFTER_COMMIT = "onestop_after_commit"


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


# Registers the flush hooks that keep the dashboard's daily counts and step durations in step with the dossiers (imported last:
# the module needs the models, and every session user imports this one).
from onestop.services import daily_counts as _daily_counts  # noqa: E402, F401
from onestop.services import step_times as _step_times  # noqa: E402, F401
from onestop.services import submission_counts as _submission_counts  # noqa: E402, F401
