"""Queue calling under contention: many counters pressing "call next" at once on one center's line.

What it measures: N tickets waiting at one center; C counters (threads, one DB
connection each) loop call next → start serving → done until the line is empty.
Prints the latency of each "call next" transaction (p50/p95/max), the calls per
second, and checks that every ticket was called exactly once and nobody got the
same ticket twice (the SKIP LOCKED / conditional-claim path of services.queue).

    .venv/bin/python bench/queue_bench.py                         # PostgreSQL, onestop_queue_bench (reset)
    ONESTOP_DATABASE_URL=sqlite:////tmp/queue_bench.db .venv/bin/python bench/queue_bench.py
    # options: --tickets N --counters C
"""

from __future__ import annotations

import argparse
import threading
import time
from datetime import datetime, timedelta

from common import DEFAULT_URL, fresh_reference_database, summary_ms

DEFAULT_PG = DEFAULT_URL.rsplit("/", 1)[0] + "/onestop_queue_bench"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tickets", type=int, default=2000)
    parser.add_argument("--counters", type=int, default=20)
    args = parser.parse_args()
    url = fresh_reference_database(DEFAULT_PG)

    from sqlmodel import select

    from onestop import clock
    from onestop.db import new_session, transaction
    from onestop.models import Center, Counter, QueueTicket, User
    from onestop.services import queue
    from onestop.services.actor import Actor

    with new_session() as s:
        x01 = s.exec(select(Center).where(Center.code == "X01")).one()
        officer = Actor.from_user(s.exec(select(User).where(User.phone == "0901000003")).one())
        counters = []
        for n in range(200, 200 + args.counters):
            c = Counter(center_id=x01.id, number=n, name=f"Bench {n}", field_codes=["land"])
            s.add(c)
            counters.append(c)
        s.commit()
        counter_ids = [c.id for c in counters]
    start_day = datetime.combine(datetime.now().date(), datetime.min.time()) + timedelta(hours=7, minutes=30)
    clock.set_now(start_day)
    t0 = time.perf_counter()
    with transaction() as s:
        for i in range(args.tickets):
            queue.take_number(
                s,
                center_id=x01.id,
                field_code="land",
                holder="kiosk",
                priority=i % 7 == 0,
                now=start_day + timedelta(seconds=i),
            )
    issue_s = time.perf_counter() - t0
    clock.set_now(start_day + timedelta(hours=1))

    latencies: list[float] = []
    handed: list[int] = []
    lock = threading.Lock()
    barrier = threading.Barrier(len(counter_ids))

    def counter_loop(counter_id: int) -> None:
        barrier.wait()
        while True:
            t = time.perf_counter()
            with transaction() as s:
                got = queue.call_next(s, officer, counter_id).ticket
                tid = got.id if got else None
            elapsed = time.perf_counter() - t
            if tid is None:
                return
            with lock:
                latencies.append(elapsed)
                handed.append(tid)
            with transaction() as s:
                queue.start_serving(s, officer, counter_id, tid)

    threads = [threading.Thread(target=counter_loop, args=(cid,)) for cid in counter_ids]
    t0 = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    wall = time.perf_counter() - t0
    with new_session() as s:
        called_once = s.exec(select(QueueTicket.id).where(QueueTicket.call_count == 1)).all()
    assert len(handed) == args.tickets and len(set(handed)) == args.tickets, "a ticket was handed out twice"
    assert len(called_once) == args.tickets
    kind = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    print(f"{kind}: {args.tickets} tickets issued in {issue_s:.2f} s ({args.tickets / issue_s:.0f}/s, one transaction)")
    print(
        f"{kind}: {args.counters} counters called {len(handed)} tickets in {wall:.2f} s "
        f"({len(handed) / wall:.0f} calls/s incl. start-serving), each exactly once"
    )
    print(f"call next latency: {summary_ms(latencies)}")


if __name__ == "__main__":
    main()
