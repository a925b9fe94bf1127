"""Who runs the scheduled jobs: exactly one leader among all the processes of a deployment.

Why a lock and not a setting: Reflex starts the lifespan task in every backend
worker, and an operator may also run `onestop scheduler` beside the app. They
all try the same lock; the one that gets it runs the jobs, the others keep
trying, and when the leader dies its lock goes with it.

- PostgreSQL: a session-level advisory lock (`pg_try_advisory_lock`) held on a
  dedicated autocommit connection. The server releases it when that
  connection ends — process killed, host gone, network cut — so a follower
  takes over within one check interval. The leader checks its connection every
  interval and steps down if it broke (it no longer holds the lock then).
- SQLite: one database file on one machine, so an exclusive `flock` on a file
  in the data directory; the kernel releases it when the process exits.

Even if two leaders overlapped for a moment, the jobs stay exactly-once: every
alert has a unique dedupe key and push delivery claims rows with SKIP LOCKED.
"""

from __future__ import annotations

import hashlib
import logging
import os
from pathlib import Path
from typing import Protocol

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

log = logging.getLogger(__name__)


def lock_key(name: str = "onestop.scheduler") -> int:
    """A stable signed 64-bit advisory lock key derived from a name (same in every process)."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


class LeaderLock(Protocol):
    def try_acquire(self) -> bool: ...

    def still_held(self) -> bool: ...

    def release(self) -> None: ...


def _discard(conn: Connection) -> None:
    """Throw a lock connection away without returning it to the pool; it may be broken already, so errors are moot."""
    try:
        conn.invalidate()
        conn.close()
    except Exception:  # nothing left to release on a dead connection
        pass


class PostgresAdvisoryLock:
    """The PostgreSQL leader lock (see the module docstring)."""

    def __init__(self, engine: Engine, key: int | None = None) -> None:
        self.engine = engine
        self.key = lock_key() if key is None else key
        self._conn: Connection | None = None

    def try_acquire(self) -> bool:
        if self._conn is not None:
            return self.still_held()
        conn = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        try:
            got = bool(conn.execute(sa.text("SELECT pg_try_advisory_lock(:k)"), {"k": self.key}).scalar())
        except Exception:
            log.warning("scheduler leader lock: database unreachable", exc_info=True)
            _discard(conn)
            return False
        if not got:
            conn.close()
            return False
        self._conn = conn
        return True

    def still_held(self) -> bool:
        """True while the lock's connection is alive (a live session keeps its advisory lock)."""
        if self._conn is None:
            return False
        try:
            # checked in pg_locks, not with "SELECT 1": a silently re-opened connection would pass that
            held = self._conn.execute(
                sa.text(
                    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted "
                    "AND pid = pg_backend_pid() AND classid = CAST(:hi AS oid) AND objid = CAST(:lo AS oid) "
                    "AND objsubid = 1"
                ),
                {"hi": (self.key >> 32) & 0xFFFFFFFF, "lo": self.key & 0xFFFFFFFF},
            ).scalar()
        except Exception:
            log.warning("scheduler leader lock: lost the database connection", exc_info=True)
            self._drop()
            return False
        if not held:
            self._drop()
            return False
        return True

    def _drop(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            _discard(conn)

    def release(self) -> None:
        conn, self._conn = self._conn, None
        if conn is None:
            return
        try:
            conn.execute(sa.text("SELECT pg_advisory_unlock(:k)"), {"k": self.key})
            conn.close()
        except Exception:
            _discard(conn)


class FileLock:
    """The SQLite leader lock: an exclusive, non-blocking flock on a file beside the database."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._fd: int | None = None

    def try_acquire(self) -> bool:
        import fcntl

        if self._fd is not None:
            return True
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return False
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd
        return True

    def still_held(self) -> bool:
        return self._fd is not None

    def release(self) -> None:
        import fcntl

        fd, self._fd = self._fd, None
        if fd is not None:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)


def default_lock() -> LeaderLock:
    """The lock for the configured database."""
    from onestop.db import get_engine
    from onestop.settings import get_settings

    engine = get_engine()
    if engine.dialect.name == "postgresql":
        return PostgresAdvisoryLock(engine)
    return FileLock(get_settings().data_dir / "scheduler.lock")
