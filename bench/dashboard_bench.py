"""How long the quality dashboard takes to answer on a large database (issue 13 asks < 300 ms at 1M dossiers).

Times, on the database named by ONESTOP_DATABASE_URL (e.g. one made by
bench/generate.py), each read behind /dashboard for a province administrator
and for one center's leader, over the last 90 days: the grouped Decision 766
count (all breakdowns), the weekly trend, the reception backlog, the
bottleneck tables, the forecast, the support figures, and the whole board.
Each is run `--repeat` times after one warm-up; the median and max are printed.

    ONESTOP_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/onestop_dash_bench \
        .venv/bin/python -m bench.dashboard_bench [--repeat 5] [--now "2026-11-27 10:00"]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from datetime import datetime

from sqlmodel import func, select

from onestop.db import new_session
from onestop.models import Dossier, User
from onestop.read import bottlenecks as bn
from onestop.read import dashboard as q
from onestop.read import forecast as fc
from onestop.read.dashboard_tables import board
from onestop.read.support_figures import support_figures
from onestop.services.actor import Actor


def _time(label: str, fn: Callable[[], object], repeat: int) -> None:
    fn()
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - t0) * 1000)
    print(f"  {label:<34} median {statistics.median(runs):8.0f} ms   max {max(runs):8.0f} ms")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--now", default="2026-11-27 10:00")
    args = ap.parse_args()
    now = datetime.strptime(args.now, "%Y-%m-%d %H:%M")
    with new_session() as session:
        n = session.exec(select(func.count()).select_from(Dossier)).one()
        admin = Actor.from_user(
            session.exec(select(User).where(User.role == "admin", User.center_id.is_(None))).first()
        )
        leader = Actor.from_user(session.exec(select(User).where(User.role == "leader")).first())
        print(f"dossiers: {n:,}; period: last 90 days to {now:%Y-%m-%d %H:%M}")
        period = q.period_for("90d", now)
        for who, actor in (("province administrator", admin), ("one center's leader", leader)):
            centers = q.visible_centers(actor)
            print(who)
            _time("766 counts, all breakdowns", lambda: q._cells(session, centers, period, now), args.repeat)  # noqa: SLF001, B023
            _time("weekly trend", lambda: q.weekly_trend(session, centers, period, now, q.Scope()), args.repeat)  # noqa: B023
            _time("reception backlog", lambda: q.backlog_of(session, centers, now), args.repeat)  # noqa: B023
            _time("bottlenecks (steps)", lambda: bn.step_times(session, actor, period), args.repeat)  # noqa: B023
            _time("forecast (2 weeks)", lambda: fc.center_forecasts(session, actor, now.date()), args.repeat)  # noqa: B023
            _time("support figures", lambda: support_figures(session, actor, period), args.repeat)  # noqa: B023
            _time("whole board", lambda: board(session, actor, period, q.Scope(), now), args.repeat)  # noqa: B023


if __name__ == "__main__":
    main()
