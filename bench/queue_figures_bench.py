"""The dashboard's queue tables at a province's size: how long `read.queue.figure_rows` takes.

What it measures: N served, missed and waiting numbers spread over the 90 days before today at every demo
center's counters (times drawn like a morning rush and an afternoon), then what the dashboard runs for its two
queue tables — one scan summed by center, counter and hour (`ticket_sums`) rolled up per counter and per hour —
for the whole province and for one center over those 90 days. Prints p50/p95/p99 and checks that the
per-counter rows add up to N.

    .venv/bin/python bench/queue_figures_bench.py                       # PostgreSQL, onestop_qfig_bench (reset)
    ONESTOP_DATABASE_URL=sqlite:////tmp/qfig.db .venv/bin/python bench/queue_figures_bench.py
    # options: --tickets N (default 300000) --runs R (default 20)
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import date, datetime, timedelta

from common import DEFAULT_URL, fresh_reference_database, summary_ms

DEFAULT_PG = DEFAULT_URL.rsplit("/", 1)[0] + "/onestop_qfig_bench"
BATCH = 20_000


def _tickets(n: int, counters: list[tuple[int, int]], today: date, rng: random.Random) -> list[dict]:
    """`n` ticket rows over the 90 days before `today`, numbered per center and day as the service numbers them."""
    rows, numbers = [], {}
    for i in range(n):
        center_id, counter_id = counters[i % len(counters)]
        day = today - timedelta(days=1 + rng.randrange(90))
        numbers[(center_id, day)] = number = numbers.get((center_id, day), 0) + 1
        taken = datetime.combine(day, datetime.min.time()) + timedelta(
            minutes=450 + (rng.randrange(180) if rng.random() < 0.6 else 360 + rng.randrange(180))
        )
        status = "served" if rng.random() < 0.93 else rng.choice(["missed", "waiting"])
        called = None if status == "waiting" else taken + timedelta(minutes=rng.expovariate(1 / 12))
        serving = called + timedelta(minutes=1) if status == "served" and called else None
        rows.append(
            {
                "center_id": center_id,
                "counter_id": counter_id if called else None,
                "day": day,
                "number": number,
                "field_code": "land",
                "status": status,
                "created_at": taken,
                "queued_at": taken,
                "called_at": called,
                "first_called_at": called,
                "serving_at": serving,
                "done_at": serving + timedelta(minutes=3 + rng.expovariate(1 / 6)) if serving else None,
                "token": f"b{i:020d}",
                "holder": "kiosk",
                "priority": i % 9 == 0,
                "call_count": 1 if called else 0,
                "heads_up_sent": False,
            }
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tickets", type=int, default=300_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--centers", type=int, default=100, help="centers in all (the demo's 4 and bench ones)")
    args = parser.parse_args()
    url = fresh_reference_database(DEFAULT_PG)

    import sqlalchemy as sa
    from sqlmodel import select

    from onestop.db import get_engine, new_session
    from onestop.models import Center, Counter, QueueTicket
    from onestop.read.queue import figure_rows, rolled_up, ticket_sums

    with new_session() as s:
        for n in range(4, args.centers):  # a province of merged communes: ~100 centers of three counters
            center = Center(code=f"B{n:03d}", name=f"Trung tâm {n}", level="commune", province="Tỉnh Demo")
            s.add(center)
            s.flush()
            s.add_all(Counter(center_id=center.id, number=k, name=f"Quầy {k}", field_codes=["land"]) for k in (1, 2, 3))
        s.commit()
        counters = [(c.center_id, c.id) for c in s.exec(select(Counter).order_by(Counter.center_id, Counter.number))]
    today = date.today()
    rows = _tickets(args.tickets, counters, today, random.Random(2026))
    t0 = time.perf_counter()
    with get_engine().begin() as conn:
        for start in range(0, len(rows), BATCH):
            conn.execute(sa.insert(QueueTicket.__table__), rows[start : start + BATCH])
    print(
        f"{args.tickets:,} tickets at {len(counters)} counters of {len({c for c, _ in counters})} centers, "
        f"inserted in {time.perf_counter() - t0:.1f} s ({url.split('://', 1)[0]})"
    )
    if url.startswith("postgresql"):
        with get_engine().connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(sa.text("VACUUM ANALYZE queue_ticket"))

    first, last = today - timedelta(days=90), today - timedelta(days=1)
    with new_session() as s:
        total = sum(r.tickets for r in figure_rows(s, None, first, last, ("center", "counter")))
        assert total == args.tickets, (total, args.tickets)
        for label, centers in (
            ("province  ", None),
            ("one center", [counters[0][0]]),
            ("4 centers ", sorted({c for c, _ in counters})[:4]),
        ):
            times = []
            for _ in range(args.runs):
                t = time.perf_counter()
                sums = ticket_sums(s, centers, first, last)
                rolled_up(sums, ("center", "counter")), rolled_up(sums, ("hour",))
                times.append(time.perf_counter() - t)
            n = sum(r.tickets for r in figure_rows(s, centers, first, last, ()))
            print(f"{label} ({n:,} numbers) both queue tables, 90 days  {summary_ms(times)}")


if __name__ == "__main__":
    main()
