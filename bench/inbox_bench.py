"""Officer inbox at scale: one tab page (center + status set, by due date, 50 rows, keyset) and the tab counts.

The query is the one the service layer should run (see `inbox_page` and
`tab_counts` below; bench/README.md states the SQL). It is timed from the
client (SQLAlchemy Core on psycopg, warm cache) over a seeded random workload:
random center, random tab, then 1–5 pages walked with keyset pagination

    WHERE (due_at, id) > (:last_due, :last_id) ORDER BY due_at, id LIMIT 50

and EXPLAIN (ANALYZE, BUFFERS) is printed once for the heaviest case (the
provincial center, "processing" tab). Variants:

* `in`     — `status IN (…)` on the existing ix_dossier_inbox (center, status, due_at, id);
* `union`  — the same rows as a UNION ALL of one ordered, limited branch per status (no schema change);
* `--partial-index` additionally measures `in` without the schema's
  ix_dossier_running (handling_center_id, due_at, id) WHERE status IN (2, 4):
  drops it, measures, and re-creates it (the database is left as migrated).

    .venv/bin/python bench/inbox_bench.py [--url …] [--queries 500] [--partial-index] [--service]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time
from collections.abc import Sequence
from datetime import datetime
from functools import partial

import common
import sqlalchemy as sa
from common import DEFAULT_URL, PARTIAL_INDEX, PARTIAL_INDEX_DDL, status_in, summary_ms

from onestop import clock
from onestop.db import engine_for
from onestop.models import Center, Dossier, Procedure

PAGE = 50
#: Inbox tabs → statuses. "to_receive" (1) has no due date yet: it pages by id (= submission order).
TABS: dict[str, tuple[int, ...]] = {
    "to_receive": (1,),
    "processing": (2, 4),
    "supplement": (5,),
    "fee": (6,),
    "results": (9,),
    "overdue": (2, 4),
}
TAB_WEIGHTS = {"to_receive": 15, "processing": 40, "supplement": 8, "fee": 2, "results": 15, "overdue": 20}
OPEN_STATUSES = (1, 2, 4, 5, 6, 9)

d = Dossier.__table__
p = Procedure.__table__
ROW_COLUMNS = (
    d.c.id,
    d.c.code,
    d.c.procedure_code,
    p.c.name_vi,
    p.c.name_en,
    d.c.applicant_name,
    d.c.channel,
    d.c.status,
    d.c.step,
    d.c.submitted_at,
    d.c.received_at,
    d.c.due_at,
    d.c.paused_at,
    d.c.assignee_id,
)


def inbox_page(
    center_id: int,
    tab: str,
    now: datetime,
    after: tuple[datetime | None, int] | None = None,
    limit: int = PAGE,
    variant: str = "in",
) -> sa.Select:
    """One page of an inbox tab, most urgent first; `after` = (due_at, id) of the previous page's last row."""
    statuses = TABS[tab]

    def branch(sts: Sequence[int]) -> sa.Select:
        q = sa.select(d.c.id).where(d.c.handling_center_id == center_id)
        q = q.where(status_in(d.c.status, sts))
        if tab == "overdue":
            q = q.where(d.c.due_at < now)
        if tab == "to_receive":  # due_at is NULL until reception: submission order (ids grow with time)
            if after is not None:
                q = q.where(d.c.id > after[1])
            return q.order_by(d.c.id).limit(limit)
        if after is not None:
            q = q.where(sa.tuple_(d.c.due_at, d.c.id) > sa.tuple_(sa.literal(after[0]), sa.literal(after[1])))
        return q.order_by(d.c.due_at, d.c.id).limit(limit)

    order = (d.c.id,) if tab == "to_receive" else (d.c.due_at, d.c.id)
    if variant == "union" and len(statuses) > 1:
        ids = sa.union_all(*(branch((s,)) for s in statuses)).subquery("ids")
        return (
            sa.select(*ROW_COLUMNS)
            .join_from(d, p, p.c.id == d.c.procedure_id)
            .join(ids, ids.c.id == d.c.id)
            .order_by(*order)
            .limit(limit)
        )
    # The plain statement, written out: this is the one the service should run.
    stmt = (
        sa.select(*ROW_COLUMNS).join_from(d, p, p.c.id == d.c.procedure_id).where(d.c.handling_center_id == center_id)
    )
    stmt = stmt.where(status_in(d.c.status, statuses))
    if tab == "overdue":
        stmt = stmt.where(d.c.due_at < now)
    if after is not None:
        if tab == "to_receive":
            stmt = stmt.where(d.c.id > after[1])
        else:
            stmt = stmt.where(sa.tuple_(d.c.due_at, d.c.id) > sa.tuple_(sa.literal(after[0]), sa.literal(after[1])))
    return stmt.order_by(*order).limit(limit)


def tab_counts(center_id: int, now: datetime) -> sa.Select:
    """Every tab's count in one index-only scan over the center's open dossiers."""

    def n(cond) -> sa.Label:
        return sa.func.count().filter(cond)

    return sa.select(
        n(d.c.status == 1).label("to_receive"),
        n(status_in(d.c.status, (2, 4))).label("processing"),
        n(d.c.status == 5).label("supplement"),
        n(d.c.status == 6).label("fee"),
        n(d.c.status == 9).label("results"),
        n(sa.and_(status_in(d.c.status, (2, 4)), d.c.due_at < now)).label("overdue"),
    ).where(d.c.handling_center_id == center_id, status_in(d.c.status, OPEN_STATUSES))


def counts_unfiltered(center_id: int, now: datetime) -> tuple[sa.Select, sa.Select]:
    """The shape services.views.inbox_counts has today: GROUP BY status over all the center's rows + overdue."""
    by_status = sa.select(d.c.status, sa.func.count()).where(d.c.handling_center_id == center_id).group_by(d.c.status)
    overdue = (
        sa.select(sa.func.count())
        .select_from(d)
        .where(d.c.handling_center_id == center_id, status_in(d.c.status, (2, 4)), d.c.due_at < now)
    )
    return by_status, overdue


def sql_of(engine: sa.Engine, stmt: sa.Select) -> tuple[str, dict]:
    compiled = stmt.compile(dialect=engine.dialect, compile_kwargs={"render_postcompile": True})
    return str(compiled), dict(compiled.params)


def explain(conn: sa.Connection, engine: sa.Engine, stmt: sa.Select, title: str) -> None:
    sql, params = sql_of(engine, stmt)
    rows = conn.exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS) " + sql, params).all()
    print(f"\n--- EXPLAIN (ANALYZE, BUFFERS): {title}")
    print("\n".join(r[0] for r in rows))


def workload(rng: random.Random, centers: list[int], weights: list[int], n: int) -> list[tuple[int, str, int]]:
    """(center, tab, pages to walk): centers drawn in proportion to their volume (officers follow the load)."""
    tabs = list(TAB_WEIGHTS)
    out = []
    for _ in range(n):  # more walks than needed: `run` stops after n page queries
        pages = min(5, 1 + int(rng.expovariate(0.7)))
        out.append(
            (
                rng.choices(centers, weights=weights)[0],
                rng.choices(tabs, weights=[TAB_WEIGHTS[t] for t in tabs])[0],
                pages,
            )
        )
    return out


def run(
    conn: sa.Connection,
    plan: list[tuple[int, str, int]],
    now: datetime,
    variant: str,
    record: dict[str, list[float]],
    big: int,
    n: int,
) -> int:
    queries = 0
    for center_id, tab, pages in plan:
        after = None
        for page_no in range(pages):
            if queries >= n:
                return queries
            stmt = inbox_page(center_id, tab, now, after, variant=variant)
            t0 = time.perf_counter()
            rows = conn.execute(stmt).all()
            dt = time.perf_counter() - t0
            queries += 1
            record["all"].append(dt)
            record["first" if page_no == 0 else "next"].append(dt)
            record[f"tab:{tab}"].append(dt)
            if center_id == big:
                record["largest center"].append(dt)
            if len(rows) < PAGE:
                break
            last = rows[-1]
            after = (last.due_at, last.id)
    return queries


def deep_walk(conn: sa.Connection, center_id: int, tab: str, now: datetime, variant: str) -> list[float]:
    """Every page of one tab, first to last (the worst case: the biggest tab of the biggest center)."""
    times, after = [], None
    while True:
        t0 = time.perf_counter()
        rows = conn.execute(inbox_page(center_id, tab, now, after, variant=variant)).all()
        times.append(time.perf_counter() - t0)
        if len(rows) < PAGE:
            return times
        after = (rows[-1].due_at, rows[-1].id)


def measure(
    conn: sa.Connection, plan, warm, now: datetime, variant: str, big: int, n: int, label: str
) -> dict[str, list[float]]:
    record: dict[str, list[float]] = {
        k: [] for k in ("all", "first", "next", "largest center", *[f"tab:{t}" for t in TABS])
    }
    run(conn, warm, now, variant, {k: [] for k in record}, big, n // 2)  # warm-up, not counted
    run(conn, plan, now, variant, record, big, n)
    deep_walk(conn, big, "processing", now, variant)  # warm
    record["largest center, every processing page"] = deep_walk(conn, big, "processing", now, variant)
    print(f"\ninbox pages [{label}]:")
    for key, values in record.items():
        if values:
            print(f"  {key:38s} {summary_ms(values)}")
    return record


def check_same(conn: sa.Connection, centers: list[int], now: datetime) -> None:
    """The UNION ALL rewrite returns exactly the same pages as the plain query."""
    for center_id in centers[:5]:
        for tab in ("processing", "overdue"):
            after = None
            for _ in range(3):
                a = conn.execute(inbox_page(center_id, tab, now, after, variant="in")).all()
                b = conn.execute(inbox_page(center_id, tab, now, after, variant="union")).all()
                assert [r.id for r in a] == [r.id for r in b], (center_id, tab)
                if len(a) < PAGE:
                    break
                after = (a[-1].due_at, a[-1].id)


def bench_counts(
    conn: sa.Connection, centers: list[int], weights: list[int], rng: random.Random, now: datetime, n: int, big: int
) -> None:
    picks = rng.choices(centers, weights=weights, k=n)
    for label, fn in (
        ("tab_counts (one scan, open statuses)", "one"),
        ("GROUP BY status, unfiltered + overdue", "two"),
    ):
        times, big_times = [], []
        for warm in (True, False):
            for c in picks:
                t0 = time.perf_counter()
                if fn == "one":
                    conn.execute(tab_counts(c, now)).one()
                else:
                    by_status, overdue = counts_unfiltered(c, now)
                    conn.execute(by_status).all()
                    conn.execute(overdue).one()
                dt = time.perf_counter() - t0
                if not warm:
                    times.append(dt)
            for _ in range(20 if not warm else 3):
                t0 = time.perf_counter()
                if fn == "one":
                    conn.execute(tab_counts(big, now)).one()
                else:
                    by_status, overdue = counts_unfiltered(big, now)
                    conn.execute(by_status).all()
                    conn.execute(overdue).one()
                if not warm:
                    big_times.append(time.perf_counter() - t0)
        print(f"  counts {label}: random centers {summary_ms(times)}")
        print(f"  counts {label}: largest center {summary_ms(big_times)}")


def _record(seen: list, _conn, _cursor, statement, params, *_args) -> None:  # noqa: ANN001
    seen.append((statement, params))


def bench_service(
    engine: sa.Engine, centers: list[int], weights: list[int], rng: random.Random, n: int, big: int, now: datetime
) -> None:
    """The read side as the officer UI calls it: read.inbox.inbox_page (first page) and tab_counts, and the page
    shaped for display (read.inbox_rows.inbox_view: colours, working time left, the reception count)."""
    from sqlmodel import Session

    from onestop.read.inbox import inbox_page as read_page
    from onestop.read.inbox import tab_counts as read_counts
    from onestop.read.inbox_rows import inbox_view
    from onestop.services.actor import Actor

    clock.set_now(now)
    picks = rng.choices(centers, weights=weights, k=n)
    with Session(engine) as session:
        for label, call in (
            ("read.inbox.inbox_page(tab='open')", lambda s, a: read_page(s, a, "open", limit=PAGE)),
            ("read.inbox.inbox_page(tab='overdue')", lambda s, a: read_page(s, a, "overdue", limit=PAGE)),
            ("read.inbox.inbox_page(tab='to_receive')", lambda s, a: read_page(s, a, "to_receive", limit=PAGE)),
            ("read.inbox.tab_counts", lambda s, a: read_counts(s, a)),
            ("read.inbox_rows.inbox_view(tab='open')", lambda s, a: inbox_view(s, a, "open", limit=PAGE)),
        ):
            for scope, centers_used in (("random centers", picks), ("largest center", [big] * 30)):
                times, bare, cpu, bare_cpu = [], [], [], []
                for warm in (True, False):
                    for c in centers_used[: 10 if warm else None]:
                        actor = Actor(user_id=None, role="receiver", full_name="bench", center_id=c)
                        seen: list[tuple[str, object]] = []
                        listen = partial(_record, seen)
                        sa.event.listen(engine, "before_cursor_execute", listen)
                        c0, t0 = time.thread_time(), time.perf_counter()
                        call(session, actor)
                        elapsed, used = time.perf_counter() - t0, time.thread_time() - c0
                        sa.event.remove(engine, "before_cursor_execute", listen)
                        # the same statements, as the driver received them, run bare (no SQLAlchemy, no shaping)
                        raw = session.connection().connection.dbapi_connection
                        c1, t1 = time.thread_time(), time.perf_counter()
                        with raw.cursor() as cur:
                            for stmt, params in seen:
                                cur.execute(stmt, params)
                                cur.fetchall()
                        if not warm:
                            times.append(elapsed)
                            bare.append(time.perf_counter() - t1)
                            cpu.append(used)
                            bare_cpu.append(time.thread_time() - c1)
                ratio = statistics.median(times) / statistics.median(bare)
                # the 10th percentiles: the runs least delayed by other processes (closest to a quiet machine)
                low = sorted(times)[len(times) // 10] / sorted(bare)[len(bare) // 10]
                print(f"  service {label:42s} {scope:15s} {summary_ms(times)}")
                print(
                    f"  bare    {'(the same statements, driver only)':42s} {scope:15s} {summary_ms(bare)}  "
                    f"service/bare p50 = {ratio:.2f}x, p10 = {low:.2f}x"
                )
                # this process's CPU per read (the Python around the SQL), less disturbed by other load than wall time
                print(
                    f"  client CPU p50: service {statistics.median(cpu) * 1e3:.3f} ms, "
                    f"bare {statistics.median(bare_cpu) * 1e3:.3f} ms"
                )
    clock.set_now(None)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--url", default=DEFAULT_URL)
    ap.add_argument(
        "--now",
        default="",
        help="pin 'now' ('YYYY-MM-DD HH:MM'; default: the clock) — use the "
        "generator's --now when the data was generated days ago",
    )
    ap.add_argument("--queries", type=int, default=500)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument(
        "--partial-index",
        action="store_true",
        help=f"also measure without {PARTIAL_INDEX} (dropped, measured, re-created: the schema's "
        "indexes are left as migrated)",
    )
    ap.add_argument(
        "--bound-statuses", action="store_true", help="send status sets as bound parameters instead of inline literals"
    )
    ap.add_argument(
        "--service",
        action="store_true",
        help="also time read.inbox.inbox_page/tab_counts and read.inbox_rows.inbox_view",
    )
    args = ap.parse_args(argv)
    common.INLINE_STATUSES = not args.bound_statuses

    engine = engine_for(args.url)
    now = datetime.strptime(args.now, "%Y-%m-%d %H:%M") if args.now else clock.now()
    rng = random.Random(args.seed)
    with engine.connect() as conn:
        conn.execute(sa.text(PARTIAL_INDEX_DDL.replace("CREATE INDEX", "CREATE INDEX IF NOT EXISTS")))
        conn.commit()
        total = conn.execute(sa.select(sa.func.count()).select_from(d)).scalar_one()
        centers = list(conn.execute(sa.select(Center.__table__.c.id).order_by(Center.__table__.c.id)).scalars())
        sizes = dict(
            conn.execute(sa.select(d.c.handling_center_id, sa.func.count()).group_by(d.c.handling_center_id)).all()
        )
        big = max(sizes, key=lambda c: sizes[c])
        running = conn.execute(
            sa.select(sa.func.count()).where(d.c.handling_center_id == big, d.c.status.in_((2, 4)))
        ).scalar_one()
    print(
        f"{total:,} dossiers, {len(centers)} centers; largest center id={big} with {sizes[big]:,} dossiers "
        f"({running:,} in 2/4); now = {now:%Y-%m-%d %H:%M}; statuses "
        f"{'inline' if common.INLINE_STATUSES else 'bound'}; load average {os.getloadavg()[0]:.2f}"
    )
    print(
        "\nthe page query (keyset page, processing tab):\n"
        + sql_of(engine, inbox_page(big, "processing", now, (now, 0)))[0]
    )
    print("\nthe counts query:\n" + sql_of(engine, tab_counts(big, now))[0])

    weights = [sizes.get(c, 0) for c in centers]
    plan = workload(rng, centers, weights, args.queries)
    warm = workload(random.Random(args.seed + 1), centers, weights, args.queries)

    def phase(label: str, variant: str) -> None:
        engine.dispose()  # a fresh connection: no prepared statement or plan-cache state from the last phase
        with engine.connect() as conn:
            first = conn.execute(inbox_page(big, "processing", now, variant=variant)).all()
            explain(
                conn,
                engine,
                inbox_page(big, "processing", now, variant=variant),
                f"largest center, processing, first page [{label}]",
            )
            explain(
                conn,
                engine,
                inbox_page(big, "processing", now, (first[-1].due_at, first[-1].id), variant=variant),
                f"largest center, processing, second page [{label}]",
            )
            measure(conn, plan, warm, now, variant, big, args.queries, label)

    with engine.connect() as conn:
        check_same(conn, centers, now)
    phase("schema indexes", "in")
    phase("schema indexes, UNION ALL rewrite", "union")
    engine.dispose()
    with engine.connect() as conn:
        explain(conn, engine, tab_counts(big, now), "largest center, tab counts")
        print("\ncounts per tab:")
        bench_counts(conn, centers, weights, rng, now, min(args.queries, 300), big)

    if args.service:
        print("\nread side (onestop.read.inbox, as the officer UI calls it):")
        engine.dispose()
        bench_service(engine, centers, weights, rng, 200, big, now)

    if args.partial_index:
        engine.dispose()
        with engine.connect() as conn:
            conn.execute(sa.text(f"DROP INDEX {PARTIAL_INDEX}"))
            conn.execute(sa.text("ANALYZE dossier"))
            conn.commit()
        try:
            phase(f"without {PARTIAL_INDEX}", "in")
        finally:
            engine.dispose()
            with engine.connect() as conn:
                conn.execute(sa.text(PARTIAL_INDEX_DDL))
                conn.execute(sa.text("ANALYZE dossier"))
                conn.commit()
            print(f"re-created {PARTIAL_INDEX}")
    print(f"load average at the end {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
