"""Where dossiers wait: time per lifecycle step and per officer group, late steps, unused procedures, missing papers.

Why from the audit events: every hand-over is a `dossier_event` row (action, who,
the step it ended, its outcome early/on_time/late — see services.dossiers.HANDOVERS).
The time a step took is the working time between the hand-over that started it and
the one that ended it, attributed to the role of the officer who ended it. Working
hours (office hours, holidays) rather than wall-clock hours, so a weekend does not
make reception look slow. Since migration 0016 each step-ending event carries that
duration (`step_seconds`, written when the event is flushed: services.step_times), so the
table is a grouped read of one indexed column instead of pairing events at request time.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import time, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, func, select

from onestop.domain.lifecycle import Action
from onestop.domain.step_times import HANDOVER_ACTIONS, STEP_ENDED_BY, STEP_ORDER, durations
from onestop.domain.text import fold
from onestop.models import DOSSIER_SUBMISSION_COUNT, Dossier, DossierEvent
from onestop.read.dashboard import Period, catalog, visible_centers
from onestop.services.actor import Actor
from onestop.services.calendar import load_calendar

#: "Rarely used": at most this many dossiers in the period.
RARE_AT_MOST = 2


@dataclass(frozen=True)
class StepFigure:
    step: str
    role: str  # "" for the step over all roles
    count: int
    mean_hours: float
    median_hours: float
    late: int


def _scope(actor: Actor) -> list:
    centers = visible_centers(actor)
    return [] if centers is None else [Dossier.handling_center_id.in_(centers)]


def _figures(rows: Iterable[tuple[str, str, int, str]]) -> list[StepFigure]:
    """Figures from (step, role, working seconds, outcome) rows: per step over all roles, then per role."""
    seconds: dict[tuple[str, str], list[int]] = defaultdict(list)
    late: Counter[tuple[str, str]] = Counter()
    for step, role, s, outcome in rows:
        for key in {(step, ""), (step, role)}:
            seconds[key].append(s)
            late[key] += outcome == "late"
    return _sorted(
        StepFigure(step, role, len(v), _hours(statistics.fmean(v)), _hours(statistics.median(v)), late[(step, role)])
        for (step, role), v in seconds.items()
    )


def _hours(seconds: float) -> float:
    return round(seconds / 3600, 1)


def _sorted(figures: Iterable[StepFigure]) -> list[StepFigure]:
    order = {s: i for i, s in enumerate(STEP_ORDER)}
    return sorted(figures, key=lambda f: (order.get(f.step, 99), f.role != "", f.role))


#: Width of the histogram buckets the median is looked up in (seconds; any width gives the exact median).
MEDIAN_BUCKET_SECONDS = 360


def step_times(session: Session, actor: Actor, period: Period) -> list[StepFigure]:
    """Per step (all roles, then per role of the officer who ended it): count, mean/median working hours, late.

    Reads the durations stored on the step-ending events (services.step_times): a step counts in the period
    its hand-over falls in. Why two grouped reads instead of one `percentile_cont`: sorting every duration
    of the period (220,000 at the province at 1M) costs ~400 ms; a hash-grouped histogram (count, sum, late
    per step, role and 6-minute bucket) gives the counts and means and says which bucket holds each median,
    then only the durations of those few buckets are read to take the exact middle values. A center's
    reader (a few thousand durations) reads them in one scan instead.
    """
    e = DossierEvent
    step = sa.case({a: STEP_ORDER.index(s) for a, s in STEP_ENDED_BY.items()}, value=e.action)
    bucket = e.step_seconds // MEDIAN_BUCKET_SECONDS
    scope = _scope(actor)
    where = [e.step_seconds.is_not(None), e.at >= period.start, e.at < period.end]

    def query(*cols: Any) -> sa.Select:
        # a center's dossier ids as a hashed set (index-only on ix_dossier_inbox), not a join per event
        q = sa.select(*cols).where(*where)
        return q.where(e.dossier_id.in_(sa.select(Dossier.id).where(*scope))) if scope else q

    if scope:  # one center's few thousand durations: one scan, figures computed here
        rows = session.exec(query(step, e.actor_role, e.step_seconds, e.outcome)).all()
        return _figures((STEP_ORDER[s], role, v, outcome) for s, role, v, outcome in rows)
    hist: dict[tuple[int, str], dict[int, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0, 0]))
    grouped = query(step, e.actor_role, bucket, func.count(), func.sum(e.step_seconds), _late()).group_by(
        step, e.actor_role, bucket
    )
    for s, role, b, n, total, late in session.exec(grouped).all():
        for r in {"", role}:
            cell = hist[(s, r)][b]
            cell[0] += n
            cell[1] += total
            cell[2] += late
    wanted: dict[tuple[int, str], list[tuple[int, int]]] = {}  # group → (bucket, rank inside it) of middle values
    for key, buckets in hist.items():
        n = sum(c[0] for c in buckets.values())
        wanted[key] = [_locate(buckets, rank) for rank in sorted({(n - 1) // 2, n // 2})]
    pairs = {(s, b) for (s, _role), spots in wanted.items() for b, _rank in spots}
    values: dict[tuple[int, str, int], list[int]] = defaultdict(list)
    for s, role, b, v in session.exec(
        query(step, e.actor_role, bucket, e.step_seconds).where(sa.tuple_(step, bucket).in_(sorted(pairs)))
    ).all():
        for r in {"", role}:
            values[(s, r, b)].append(v)
    out = []
    for (s, role), buckets in hist.items():
        n, total, late = (sum(c[i] for c in buckets.values()) for i in range(3))
        middle = [sorted(values[(s, role, b)])[rank] for b, rank in wanted[(s, role)]]
        out.append(StepFigure(STEP_ORDER[s], role, n, _hours(total / n), _hours(statistics.fmean(middle)), late))
    return _sorted(out)


def _late() -> Any:
    return func.sum(sa.case((DossierEvent.outcome == "late", 1), else_=0))


def _locate(buckets: dict[int, list[int]], rank: int) -> tuple[int, int]:
    """(bucket, rank inside it) of the value at `rank` (0-based) in the ordered durations of a histogram."""
    before = 0
    for b in sorted(buckets):
        if rank < before + buckets[b][0]:
            return b, rank - before
        before += buckets[b][0]
    raise ValueError(rank)


def step_times_direct(session: Session, actor: Actor, period: Period) -> list[StepFigure]:
    """The same figures paired and timed from the events themselves (the proof for the stored durations; slow)."""
    e = DossierEvent
    events = session.exec(
        select(e.dossier_id, e.id, e.at, e.action, e.actor_role, e.outcome)
        .join(Dossier, Dossier.id == e.dossier_id)
        .where(*_scope(actor), e.action.in_(HANDOVER_ACTIONS))
        .order_by(e.dossier_id, e.at, e.id)
    ).all()
    cal = load_calendar(session)
    ended = {r[1]: r for r in events}
    timed = durations(((r[0], r[1], r[2], r[3]) for r in events), cal.working_seconds_between)
    return _figures(
        (STEP_ENDED_BY[ended[i][3]], ended[i][4], s, ended[i][5])
        for i, s in timed
        if period.start <= ended[i][2] < period.end
    )


@dataclass(frozen=True)
class UsageFigure:
    code: str
    name_vi: str
    name_en: str
    dossiers: int


def rarely_used(session: Session, actor: Actor, period: Period, at_most: int = RARE_AT_MOST) -> list[UsageFigure]:
    """Current procedures with at most `at_most` dossiers submitted in the period (candidates for simplification),
    never-used first.

    From `dossier_submission_count` (services.submission_counts), by the receiving center: grouping the
    period's dossiers took ~360 ms at the province at 1M. Periods start at a midnight and end at one or at
    now (read.dashboard.period_for), so whole days are summed; a day the period ends inside counts in full,
    which is "up to now" as nothing is submitted in the future.
    """
    T = DOSSIER_SUBMISSION_COUNT  # noqa: N806
    last = period.end.date() if period.end.time() == time(0) else period.end.date() + timedelta(days=1)
    q = sa.select(T.c.proc_code, func.sum(T.c.submitted)).where(T.c.day >= period.start.date(), T.c.day < last)
    centers = visible_centers(actor)
    if centers is not None:
        q = q.where(T.c.center_id.in_(centers))
    used = dict(session.connection().execute(q.group_by(T.c.proc_code)).all())
    figures = [UsageFigure(e.code, e.name_vi, e.name_en, int(used.get(e.code, 0))) for e in catalog(session).values()]
    return sorted((f for f in figures if f.dossiers <= at_most), key=lambda f: (f.dossiers, f.name_vi))


def missing_documents(session: Session, actor: Actor, period: Period, limit: int = 10) -> list[tuple[str, int]]:
    """Items most often listed in supplement requests of the period (same wording after folding accents/case)."""
    rows = session.exec(
        select(DossierEvent.data)
        .join(Dossier, Dossier.id == DossierEvent.dossier_id)
        .where(
            *_scope(actor),
            DossierEvent.action == Action.REQUEST_SUPPLEMENT.value,
            DossierEvent.at >= period.start,
            DossierEvent.at < period.end,
        )
    ).all()
    counts: Counter[str] = Counter()
    first_spelling: dict[str, str] = {}
    for data in rows:
        for item in (data or {}).get("items", []):
            key = fold(str(item)).strip()
            if key:
                counts[key] += 1
                first_spelling.setdefault(key, str(item).strip())
    return [(first_spelling[k], n) for k, n in counts.most_common(limit)]
