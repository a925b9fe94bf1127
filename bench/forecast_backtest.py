"""Backtest of the demand forecast (onestop.domain.forecast) on held-out weeks, printing MAPE.

For each center with history in the database named by ONESTOP_DATABASE_URL, and
for each of the last `--weeks` full weeks before `--until` (default: today), the
model is fitted on the days before that week only and predicts it; the error is
the mean absolute percentage error over working days with at least one dossier
(days off in the working calendar are not scored). "Naive" is the same weekday
of the previous week, the usual rule of thumb, for comparison.

`--synthetic` runs the same backtest on a generated series with a known weekday
profile, a slow trend and Poisson noise (seeded), showing the error floor that
noise alone sets for one center of a given size.

    ONESTOP_DATABASE_URL=… .venv/bin/python -m bench.forecast_backtest [--weeks 4] [--until 2026-11-29]
    .venv/bin/python -m bench.forecast_backtest --synthetic [--daily 60]
"""

from __future__ import annotations

import argparse
import math
import random
from datetime import date, timedelta

from onestop.domain.calendar import WorkingCalendar
from onestop.domain.forecast import PROFILE_WEEKS, backtest


def _fmt(x: float | None) -> str:
    return "—" if x is None else f"{x:.1f} %"


def _database(weeks: int, until: date) -> None:
    from sqlmodel import select

    from onestop.db import new_session
    from onestop.models import Center
    from onestop.read.forecast import daily_history
    from onestop.services.calendar import load_calendar

    last = until - timedelta(days=until.weekday() + 1)  # the Sunday before `until`: whole weeks only
    since = last - timedelta(days=7 * (weeks + PROFILE_WEEKS))
    with new_session() as session:
        cal = load_calendar(session)
        names = {c.id: c.code for c in session.exec(select(Center)).all()}
        history = daily_history(session, None, since, last + timedelta(days=1))
    print(f"held-out weeks: {weeks} (to {last.isoformat()}), training window up to {PROFILE_WEEKS} weeks before each")
    print(f"{'center':<10} {'days':>5} {'dossiers/day':>13} {'model MAPE':>11} {'naive MAPE':>11}")
    rows = []
    for cid, series in sorted(history.items(), key=lambda kv: -sum(kv[1].values())):
        result = backtest(series, last, weeks, cal.is_working_day)
        scored = [
            series.get(last - timedelta(days=k), 0)
            for k in range(7 * weeks)
            if cal.is_working_day(last - timedelta(days=k))
        ]
        mean = sum(scored) / len(scored) if scored else 0.0
        rows.append((result, mean))
        print(
            f"{names.get(cid, cid)!s:<10} {result.days:>5} {mean:>13.1f} {_fmt(result.mape):>11} "
            f"{_fmt(result.naive_mape):>11}"
        )
    weighted = [(r.mape, m) for r, m in rows if r.mape is not None and m > 0]
    naive = [(r.naive_mape, m) for r, m in rows if r.naive_mape is not None and m > 0]
    if weighted:
        print(
            f"volume-weighted MAPE: model {sum(e * m for e, m in weighted) / sum(m for _, m in weighted):.1f} %, "
            f"naive {sum(e * m for e, m in naive) / sum(m for _, m in naive):.1f} %"
        )


def _poisson(rng: random.Random, lam: float) -> int:
    if lam > 50:  # normal approximation
        return max(0, round(rng.gauss(lam, math.sqrt(lam))))
    k, p, limit = 0, 1.0, math.exp(-lam)
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def _synthetic(daily: float, weeks: int, seed: int) -> None:
    cal = WorkingCalendar()
    rng = random.Random(seed)
    profile = (1.3, 1.1, 1.0, 0.9, 0.7, 0.0, 0.0)
    last = date(2026, 11, 29)
    start = last - timedelta(days=7 * (weeks + PROFILE_WEEKS + 4))
    series: dict[date, int] = {}
    d = start
    while d <= last:
        if cal.is_working_day(d):
            trend = 1 + 0.002 * (d - start).days
            series[d] = _poisson(rng, daily * trend * (profile[d.weekday()] or 1.0))
        d += timedelta(days=1)
    result = backtest(series, last, weeks, cal.is_working_day)
    print(
        f"synthetic center, ~{daily:.0f} dossiers/day, weekday profile {profile[:5]}, +0.2 %/day trend, "
        f"Poisson noise, seed {seed}"
    )
    print(
        f"held-out weeks {weeks}, scored days {result.days}: model MAPE {_fmt(result.mape)}, "
        f"naive MAPE {_fmt(result.naive_mape)}"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--weeks", type=int, default=4)
    ap.add_argument("--until", default="")
    ap.add_argument("--synthetic", action="store_true")
    ap.add_argument("--daily", type=float, default=60.0)
    ap.add_argument("--seed", type=int, default=13)
    args = ap.parse_args()
    if args.synthetic:
        _synthetic(args.daily, args.weeks, args.seed)
    else:
        from onestop import clock

        until = date.fromisoformat(args.until) if args.until else clock.now().date()
        _database(args.weeks, until)


if __name__ == "__main__":
    main()
