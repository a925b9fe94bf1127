"""Shared bits of the database benchmarks: URLs, isolation from ./var, percentiles.

Importing this module first puts the project on `sys.path` and points the
settings' data directory at a scratch folder, so a bench never writes into the
developer's `./var` (files, signing keys) while it runs.
"""

from __future__ import annotations

import os
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("ONESTOP_DATA_DIR", "/tmp/onestop-bench")
os.environ.setdefault("ONESTOP_SCHEDULER", "false")

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/onestop_bench"


def libpq_dsn(url: str) -> str:
    """`postgresql+psycopg://…` → `postgresql://…` for psycopg.connect()."""
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


def database_name(url: str) -> str:
    return libpq_dsn(url).rsplit("/", 1)[-1].split("?", 1)[0]


def server_dsn(url: str, dbname: str = "postgres") -> str:
    """The same server, another database (to CREATE/DROP the bench database)."""
    base, _, rest = libpq_dsn(url).rpartition("/")
    query = rest.split("?", 1)[1] if "?" in rest else ""
    return f"{base}/{dbname}" + (f"?{query}" if query else "")


def ensure_database(url: str, *, replace: bool = False) -> bool:
    """Create the bench database if missing (drop it first with `replace`). True if created."""
    import psycopg
    from psycopg import sql

    name = database_name(url)
    if name in ("test", "postgres", "template0", "template1"):
        raise SystemExit(f"refusing to use the {name!r} database for a benchmark; pick e.g. onestop_bench")
    with psycopg.connect(server_dsn(url), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is not None
        if exists and replace:
            conn.execute(sql.SQL("DROP DATABASE {}").format(sql.Identifier(name)))
            exists = False
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            return True
    return False


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile (p in 0..100) of a non-empty list."""
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[k]


def fresh_reference_database(default_url: str) -> str:
    """An empty database at $ONESTOP_DATABASE_URL (else `default_url`), migrated and holding the demo's reference
    data (centers, counters, staff, catalog; no dossiers): where the queue benches start."""
    url = os.environ.setdefault("ONESTOP_DATABASE_URL", default_url)
    if url.startswith("postgresql"):
        ensure_database(url, replace=True)
    elif url.startswith("sqlite:///") and os.path.exists(path := url.split("///", 1)[1]):
        os.remove(path)
    from onestop.db import new_session
    from onestop.demo.seed import seed
    from onestop.migrations import upgrade_head

    upgrade_head(url)
    with new_session() as s:
        seed(s, dossiers=0)
        s.commit()
    return url


def summary_ms(values: list[float]) -> str:
    """`p50 … p95 … p99 … max …` of durations given in seconds, printed in ms."""
    ms = [v * 1000 for v in values]
    return (
        f"n={len(ms)} p50={percentile(ms, 50):.2f} ms p95={percentile(ms, 95):.2f} ms "
        f"p99={percentile(ms, 99):.2f} ms max={max(ms):.2f} ms mean={statistics.fmean(ms):.2f} ms"
    )


#: The index the bench recommends for onestop/models.py (created in the bench database only, by --partial-index).
PARTIAL_INDEX = "ix_dossier_running"
PARTIAL_INDEX_DDL = f"CREATE INDEX {PARTIAL_INDEX} ON dossier (handling_center_id, due_at, id) WHERE status IN (2, 4)"


#: Render status sets inline (`status IN (2, 4)`) rather than as bound parameters. Why: with bound
#: statuses a prepared statement's generic plan cannot prove the partial index's predicate, and
#: psycopg prepares a statement after 5 executions (see bench/README.md). `--bound-statuses` flips it.
INLINE_STATUSES = True


def status_in(column, values):
    """`column IN (…)` for a fixed set of status codes, inline unless INLINE_STATUSES is off."""
    import sqlalchemy as sa

    values = [int(v) for v in values]
    if not INLINE_STATUSES:
        return column.in_(values)
    return column.in_(sa.bindparam(None, values, expanding=True, literal_execute=True))
