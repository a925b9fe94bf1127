"""How long the quality dashboard takes to answer on a large database (issue 13 asks < 300 ms at 1M dossiers).

Times, on the database named by ONESTOP_DATABASE_URL (e.g. one made by
bench/generate.py), each read behind /dashboard for a province administrator
and for one center's leader, over the last 90 days: the grouped Decision 766
count (all breakdowns), the weekly trend, the reception backlog, the
bottleneck tables, the forecast, the support figures, and the whole board.
Each is run `--repeat` times after one warm-up; p50, p99 and max are printed.

Since migration 0011 the 766 counts and the trend read the pre-computed daily
counts; since 0017 the province's step times read the pre-computed histogram `dossier_step_count`
("step times equal …" checks them against the events paired and timed at read time); "766 counts from the dossiers" times the old direct query (`_cells_direct`,
the before figure) and checks both give the same cells. "board core" is everything
the index card, rates, unit tables, late ranking, trend and backlog need (the public
summary page's board); "whole board" adds the bottleneck, forecast and support tables.
`--core` skips those slow extras.

    ONESTOP_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/onestop_dash_bench \
        .venv/bin/python -m bench.dashboard_bench [--repeat 20] [--now "2026-11-27 10:00"] [--core]
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
from onestop.read.dashboard_tables import _board, board
from onestop.read.support_figures import support_figures, support_figures_direct
from onestop.services.actor import Actor


def _time(label: str, fn: Callable[[], object], repeat: int) -> None:
    fn()
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - t0) * 1000)
    p99 = statistics.quantiles(runs, n=100, method="inclusive")[98] if len(runs) > 1 else runs[0]
    print(
        f"  {label:<34} p50 {statistics.median(runs):8.1f} ms   p99 {p99:8.1f} ms   max {max(runs):8.1f} ms",
        flush=True,
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--direct-repeat", type=int, default=3, help="runs of the slow direct count (before)")
    ap.add_argument("--core", action="store_true", help="skip the bottleneck, forecast, support and whole-board rows")
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
            cells = q._cells(session, centers, period, now)  # noqa: SLF001
            direct = q._cells_direct(session, centers, period, now)  # noqa: SLF001
            same = {k: (c.n, c.inputs, c.reused) for k, c in cells.items()} == {
                k: (c.n, c.inputs, c.reused) for k, c in direct.items()
            }
            print(f"  pre-computed cells equal the direct count: {same}")
            _time("766 counts, all breakdowns", lambda: q._cells(session, centers, period, now), args.repeat)  # noqa: SLF001, B023
            _time(
                "766 counts from the dossiers",
                lambda: q._cells_direct(session, centers, period, now),  # noqa: SLF001, B023
                args.direct_repeat,
            )
            _time("weekly trend", lambda: q.weekly_trend(session, centers, period, now, q.Scope()), args.repeat)  # noqa: B023
            _time("reception backlog", lambda: q.backlog_of(session, centers, now), args.repeat)  # noqa: B023
            _time("board core (no actor tables)", lambda: _board(session, centers, period, q.Scope(), now), args.repeat)  # noqa: B023
            if args.core:
                continue
            steps = bn.step_times(session, actor, period)
            print(
                f"  step times equal the events paired and timed directly: {steps == bn.step_times_direct(session, actor, period)}"
            )
            _time("bottlenecks (steps)", lambda: bn.step_times(session, actor, period), args.repeat)  # noqa: B023
            _time("forecast (2 weeks)", lambda: fc.center_forecasts(session, actor, now.date()), args.repeat)  # noqa: B023
            print(
                "  support figures equal the dossiers joined to the registry directly:"
                f" {support_figures(session, actor, period) == support_figures_direct(session, actor, period)}"
            )
            _time("support figures", lambda: support_figures(session, actor, period), args.repeat)  # noqa: B023
            _time("whole board", lambda: board(session, actor, period, q.Scope(), now), args.repeat)  # noqa: B023


if __name__ == "__main__":
    main()
