"""The dashboard's pre-computed step durations and submissions per day equal what the events and dossiers give.

The seeded random lifecycle walk of test_dashboard_daily_counts (reception, assignment, transfers, supplement
pauses, approvals, results, refusals, each through the services in its own transaction, some refused) appends
the events; then `step_times` (stored durations: PostgreSQL aggregates, SQLite sums here) must equal
`step_times_direct` (events paired and timed now) for several periods and both readers, and a backfill from
scratch must give exactly the durations the flush hook stored. The same walk files dossiers: the forecast's
history from `dossier_submission_count` must equal the dossiers grouped directly, and a rebuild the same table.
"""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import Session, func, select

from onestop import clock
from onestop.db import transaction
from onestop.models import (
    DOSSIER_SUBMISSION_CENTER_DAY,
    DOSSIER_SUBMISSION_COUNT,
    DOSSIER_SUBMISSION_PROC_DAY,
    Center,
    Dossier,
    DossierEvent,
)
from onestop.read import bottlenecks as bn
from onestop.read import dashboard as q
from onestop.read import forecast as fc
from onestop.services.step_times import backfill, rebuild_step_counts, step_counts_direct, step_counts_stored
from onestop.services.submission_counts import rebuild_on
from tests.integration.helpers import actor, file_online
from tests.integration.test_dashboard_daily_counts import PROCEDURES, START, _officers, _step


def _stored(session: Session) -> dict[int, int | None]:
    return dict(session.exec(select(DossierEvent.id, DossierEvent.step_seconds)).all())


@pytest.mark.parametrize("seed", [5, 766])
def test_stored_step_durations_equal_the_events_paired_directly(session: Session, seed: int) -> None:
    rng = random.Random(seed)
    clock.set_now(START)
    officers = _officers(session)
    dossiers: list[int] = []
    for i in range(300):
        clock.set_now(clock.now() + timedelta(minutes=rng.randint(10, 600)))
        if i % 8 == 0 and len(dossiers) < 25:
            dossiers.append(file_online(session, rng.choice(PROCEDURES)).id)
        elif dossiers:
            _step(rng, session, dossiers, officers)
    now = clock.now() + timedelta(minutes=1)
    today = now.date()
    periods = [
        q.period_for("90d", now),
        q.period_for("custom", now, today - timedelta(days=20), today - timedelta(days=3)),
        q.period_for("custom", now, today - timedelta(days=2), today),
        # not at midnight: the province reads whole days from dossier_step_count and the partial ends from events
        q.Period(now - timedelta(days=9, minutes=437), now - timedelta(days=1, minutes=611)),
        q.Period(now - timedelta(hours=30), now - timedelta(hours=20)),  # inside (at most) two days
    ]
    leader = officers[next(k for k in officers if k[1] == "leader")]
    measured = 0
    for period in periods:
        for reader in (actor(session, "admin"), leader):
            stored = bn.step_times(session, reader, period)
            assert stored == bn.step_times_direct(session, reader, period), (period, reader.role)
            measured += sum(f.count for f in stored if f.role == "")
    # the walk handed dossiers over through several steps, so the comparison is not of empty tables
    steps = {f.step for f in bn.step_times(session, actor(session, "admin"), periods[0])}
    assert {"reception", "appraisal", "approval"} <= steps, steps
    assert measured > 0
    # a backfill from scratch (migration 0016, `onestop dashboard rebuild`) gives the durations the hook stored
    kept = _stored(session)
    assert any(v is not None for v in kept.values())
    with transaction(session):
        session.connection().execute(sa.update(DossierEvent).values(step_seconds=None))
        backfill(session.connection(), session)
    assert _stored(session) == kept
    # the histogram the province reads (migration 0017): what the hook kept = the events' durations grouped, and a
    # rebuild gives the same rows
    counts = step_counts_stored(session.connection())
    assert counts and counts == step_counts_direct(session.connection())
    with transaction(session):
        rebuild_step_counts(session.connection())
    assert step_counts_stored(session.connection()) == counts
    # the forecast's history: submissions per receiving center and day, pre-computed = grouped from the dossiers
    since, until = START.date() - timedelta(days=1), now.date() + timedelta(days=1)
    x01 = session.exec(select(Center.id).where(Center.code == "X01")).one()
    for centers in (None, [x01]):
        history = fc.daily_history(session, centers, since, until)
        assert history == fc.daily_history_direct(session, centers, since, until)
    assert sum(n for days in fc.daily_history(session, None, since, until).values() for n in days.values()) == len(
        dossiers
    )
    # rarely used procedures (every procedure, at_most huge) = the period's dossiers grouped by procedure
    for period in periods:
        for reader, centers in ((actor(session, "admin"), None), (leader, [leader.center_id])):
            got = {u.code: u.dossiers for u in bn.rarely_used(session, reader, period, at_most=10**9) if u.dossiers}
            where = [Dossier.submitted_at >= period.start, Dossier.submitted_at < period.end]
            if centers is not None:
                where.append(Dossier.receiving_center_id.in_(centers))
            want = dict(
                session.exec(
                    select(Dossier.procedure_code, func.count()).where(*where).group_by(Dossier.procedure_code)
                ).all()
            )
            assert got == want, (period, reader.role)
    table = session.connection().execute(sa.select(DOSSIER_SUBMISSION_COUNT)).all()
    # its sums per (day, center) and per (day, procedure), kept by the same hook (migration 0018)
    sums = {
        t: sorted(r for r in session.connection().execute(sa.select(t)).all() if r[-1])
        for t in (DOSSIER_SUBMISSION_CENTER_DAY, DOSSIER_SUBMISSION_PROC_DAY)
    }
    for t, keys in ((DOSSIER_SUBMISSION_CENTER_DAY, (1,)), (DOSSIER_SUBMISSION_PROC_DAY, (2,))):
        summed: dict[tuple, int] = {}
        for r in table:
            summed[(r[0], *(r[k] for k in keys))] = summed.get((r[0], *(r[k] for k in keys)), 0) + r[3]
        assert sums[t] and sums[t] == sorted((*k, n) for k, n in summed.items() if n)
    with transaction(session):
        rebuild_on(session.connection())
    assert sorted(session.connection().execute(sa.select(DOSSIER_SUBMISSION_COUNT)).all()) == sorted(
        r for r in table if r[3]
    )
    for t, rows in sums.items():
        assert sorted(session.connection().execute(sa.select(t)).all()) == rows
