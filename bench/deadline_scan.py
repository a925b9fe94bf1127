"""The scheduler's jobs on the bench data: the deadline scan, the digest, push claiming — end to end.

bench/scan_bench.py times the raw indexed queries; this times what the
scheduler really runs every few minutes (onestop.services.alerts.scan_deadlines:
the three indexed queries, recipients, texts in each officer's language, the
dedupe-key lookups and the INSERT … ON CONFLICT DO NOTHING), in two regimes:

- first run: nothing alerted yet, every due-soon/overdue/supplement dossier gets
  its alerts (what happens once after a long outage or on day one);
- steady state: a rerun a few minutes later, when everything is already alerted
  (the every-5-minutes cost): it must write nothing.

Everything runs inside one outer transaction that is rolled back at the end
(each service "commit" only releases a savepoint), so the shared bench database
is left exactly as it was.

    .venv/bin/python bench/deadline_scan.py [--url …/onestop_bench] [--now 'YYYY-MM-DD HH:MM'] [--rounds 5]
"""

from __future__ import annotations

import argparse
import os
import time
from datetime import datetime

import common  # noqa: F401  (sys.path + scratch data dir, before any onestop import)
import sqlalchemy as sa
from common import DEFAULT_URL, summary_ms
from sqlmodel import Session

from onestop import clock
from onestop.db import engine_for
from onestop.models import Dossier, Notification
from onestop.services import alerts, push
from onestop.services.calendar import load_calendar


def explain(session: Session, stmt: sa.Select, title: str) -> None:
    compiled = stmt.compile(dialect=session.get_bind().dialect, compile_kwargs={"render_postcompile": True})
    plan = (
        session.connection().exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS) " + str(compiled), dict(compiled.params)).all()
    )
    print(f"\n--- {title}")
    print("\n".join(r[0] for r in plan))


def timed(fn):
    t0 = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - t0


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--url", default=DEFAULT_URL)
    ap.add_argument("--now", default="", help="the scan moment 'YYYY-MM-DD HH:MM' (default: now, like the generator)")
    ap.add_argument("--rounds", type=int, default=5, help="steady-state reruns to time")
    ap.add_argument("--no-explain", action="store_true")
    args = ap.parse_args(argv)
    now = datetime.strptime(args.now, "%Y-%m-%d %H:%M") if args.now else clock.now()
    clock.set_now(now)
    engine = engine_for(args.url)
    conn = engine.connect()
    outer = conn.begin()
    session = Session(bind=conn, join_transaction_mode="create_savepoint", expire_on_commit=False)
    try:
        total = session.execute(sa.select(sa.func.count()).select_from(Dossier)).scalar_one()
        before = session.execute(sa.select(sa.func.count()).select_from(Notification)).scalar_one()
        soon_limit = load_calendar(session).add_working_days(now, 1)
        print(
            f"{total:,} dossiers, {before:,} notifications; now = {now:%a %Y-%m-%d %H:%M}; "
            f"due soon = due_at in [now, {soon_limit:%a %Y-%m-%d %H:%M}]; load average {os.getloadavg()[0]:.2f}"
        )
        if not args.no_explain:
            explain(session, alerts.due_soon_query(now, soon_limit), "due soon (ix_dossier_due_scan)")
            explain(session, alerts.overdue_query(now), "overdue (ix_dossier_due_scan)")
            explain(session, alerts.supplement_query(now), "supplement deadline passed (ix_dossier_supplement_scan)")

        first, t_first = timed(lambda: alerts.scan_deadlines(session, now=now))
        print(
            f"\n==> first scan: {first.due_soon_dossiers:,} due soon, {first.overdue_dossiers:,} overdue, "
            f"{first.supplement_dossiers:,} supplement expired → {first.total_created:,} alerts "
            f"{dict(first.created)} in {t_first * 1000:.0f} ms"
        )
        steady = []
        for i in range(args.rounds):
            report, secs = timed(lambda: alerts.scan_deadlines(session, now=now))
            assert report.total_created == 0, f"rerun {i} created {report.total_created} alerts"
            steady.append(secs)
        print(f"==> steady-state rescan (nothing new, {args.rounds} runs): {summary_ms(steady)}")

        digest, t_digest = timed(lambda: alerts.send_daily_digests(session, now=now.replace(hour=7, minute=30)))
        print(
            f"==> daily digest at 07:30: {digest:,} officers in {t_digest * 1000:.0f} ms "
            f"(0 if today is not a working day)"
        )

        pending = session.execute(
            sa.select(sa.func.count()).select_from(Notification).where(Notification.push_status == "pending")
        ).scalar_one()
        if not args.no_explain:
            explain(
                session,
                sa.select(Notification.id)
                .where(
                    Notification.push_status == "pending",
                    sa.or_(Notification.next_attempt_at <= now, Notification.next_attempt_at.is_(None)),
                )
                .order_by(Notification.next_attempt_at, Notification.id)
                .limit(push.BATCH),
                "push queue claim (ix_notification_push_queue, partial)",
            )
        factory = lambda: Session(bind=conn, join_transaction_mode="create_savepoint", expire_on_commit=False)  # noqa: E731
        claims = []
        while True:
            report, secs = timed(lambda: push.deliver_pending(sender=None, now=now, session_factory=factory))
            if not report.claimed:
                break
            claims.append(secs)
        print(
            f"==> push delivery of {pending:,} pending alerts (no devices subscribed in the bench data, so this "
            f"is claim + record per batch of {push.BATCH}): {summary_ms(claims) if claims else 'nothing'}"
        )
    finally:
        session.close()
        outer.rollback()
        conn.close()
        clock.set_now(None)
    print("rolled back: the bench database is unchanged")


if __name__ == "__main__":
    main()
