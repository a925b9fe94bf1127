"""The deadline scan at scale: "due within one working day" and "overdue", as raw indexed queries.

What a deadline-alert job (or the dashboard's overdue column) asks the database;
the job around it (alerts, dedupe, notifications) is another file's business.
`:soon` is `WorkingCalendar.add_working_days(now, 1)` on the configured
calendar (closing time of the next working day), so the window follows weekends
and holidays. Both queries should ride ix_dossier_due_scan (status, due_at).

    .venv/bin/python bench/scan_bench.py [--url …] [--rounds 50]
"""

from __future__ import annotations

import argparse
import os
import time
from datetime import datetime

import common
import sqlalchemy as sa
from common import DEFAULT_URL, PARTIAL_INDEX, PARTIAL_INDEX_DDL, status_in, summary_ms
from sqlmodel import Session

from onestop import clock
from onestop.db import engine_for
from onestop.models import Dossier
from onestop.services.calendar import load_calendar

d = Dossier.__table__
RUNNING = (2, 4)
ALERT_COLUMNS = (
    d.c.id,
    d.c.code,
    d.c.handling_center_id,
    d.c.assignee_id,
    d.c.status,
    d.c.due_at,
    d.c.apology_issued_at,
)


def due_soon(soon) -> sa.Select:
    """Clock running and due by the end of the next working day (the overdue ones included)."""
    return (
        sa.select(*ALERT_COLUMNS).where(status_in(d.c.status, RUNNING), d.c.due_at <= soon).order_by(d.c.due_at, d.c.id)
    )


def overdue(now) -> sa.Select:
    """Clock running and past due (overdue is derived, never stored)."""
    return (
        sa.select(*ALERT_COLUMNS).where(status_in(d.c.status, RUNNING), d.c.due_at < now).order_by(d.c.due_at, d.c.id)
    )


def overdue_per_center(now) -> sa.Select:
    """The dashboard's "overdue now" column for every center at once."""
    return (
        sa.select(d.c.handling_center_id, sa.func.count())
        .where(status_in(d.c.status, RUNNING), d.c.due_at < now)
        .group_by(d.c.handling_center_id)
    )


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--url", default=DEFAULT_URL)
    ap.add_argument(
        "--now",
        default="",
        help="pin 'now' ('YYYY-MM-DD HH:MM'; default: the clock) — use the "
        "generator's --now when the data was generated days ago",
    )
    ap.add_argument("--rounds", type=int, default=50)
    ap.add_argument(
        "--partial-index",
        action="store_true",
        help=f"also measure without {PARTIAL_INDEX} (dropped, measured, re-created)",
    )
    ap.add_argument(
        "--bound-statuses", action="store_true", help="send status sets as bound parameters instead of inline literals"
    )
    args = ap.parse_args(argv)
    common.INLINE_STATUSES = not args.bound_statuses

    engine = engine_for(args.url)
    now = datetime.strptime(args.now, "%Y-%m-%d %H:%M") if args.now else clock.now()
    with Session(engine) as session:
        soon = load_calendar(session).add_working_days(now, 1)
    print(
        f"now = {now:%a %Y-%m-%d %H:%M}; due within one working day means due_at <= {soon:%a %Y-%m-%d %H:%M}; "
        f"load average {os.getloadavg()[0]:.2f}"
    )
    with engine.connect() as conn:
        conn.execute(sa.text(PARTIAL_INDEX_DDL.replace("CREATE INDEX", "CREATE INDEX IF NOT EXISTS")))
        conn.commit()
        total = conn.execute(sa.select(sa.func.count()).select_from(d)).scalar_one()
    print(f"{total:,} dossiers; statuses {'inline' if common.INLINE_STATUSES else 'bound'}")
    measure(engine, now, soon, args.rounds, "schema indexes")
    if args.partial_index:
        engine.dispose()
        with engine.connect() as conn:
            conn.execute(sa.text(f"DROP INDEX {PARTIAL_INDEX}"))
            conn.execute(sa.text("ANALYZE dossier"))
            conn.commit()
        try:
            print(f"\n==== without {PARTIAL_INDEX}")
            measure(engine, now, soon, args.rounds, f"without {PARTIAL_INDEX}")
        finally:
            engine.dispose()
            with engine.connect() as conn:
                conn.execute(sa.text(PARTIAL_INDEX_DDL))
                conn.execute(sa.text("ANALYZE dossier"))
                conn.commit()
            print(f"re-created {PARTIAL_INDEX}")
    print(f"load average at the end {os.getloadavg()[0]:.2f}")


def measure(engine: sa.Engine, now, soon, rounds: int, label: str) -> None:
    engine.dispose()  # a fresh connection: no prepared statement or plan-cache state from the last phase
    with engine.connect() as conn:
        _measure(conn, engine, now, soon, rounds, label)


def _measure(conn: sa.Connection, engine: sa.Engine, now, soon, rounds: int, label: str) -> None:
    for title, stmt in (
        ("due within one working day (incl. overdue)", due_soon(soon)),
        ("overdue", overdue(now)),
        ("overdue per center (count)", overdue_per_center(now)),
    ):
        compiled = stmt.compile(dialect=engine.dialect, compile_kwargs={"render_postcompile": True})
        plan = conn.exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS) " + str(compiled), dict(compiled.params)).all()
        print(f"\n--- {title} [{label}]\n{compiled}\n")
        print("\n".join(r[0] for r in plan))
        rows = 0
        for _ in range(3):  # warm
            rows = len(conn.execute(stmt).all())
        times = []
        for _ in range(rounds):
            t0 = time.perf_counter()
            conn.execute(stmt).all()
            times.append(time.perf_counter() - t0)
        print(f"==> {title} [{label}]: {rows:,} rows; {summary_ms(times)}")


if __name__ == "__main__":
    main()
