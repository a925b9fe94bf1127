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
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY
from sqlmodel import Session, func, select

from onestop.domain.lifecycle import Action
from onestop.domain.step_times import (
    ACTIONS_ENDING,
    BUCKET_BOUNDS,
    HANDOVER_ACTIONS,
    STEP_ENDED_BY,
    STEP_ORDER,
    bucket_of,
    bucket_range,
    durations,
)
from onestop.domain.text import fold
from onestop.models import (
    DOSSIER_STEP_COUNT,
    DOSSIER_SUBMISSION_COUNT,
    DOSSIER_SUBMISSION_PROC_DAY,
    Dossier,
    DossierEvent,
)
from onestop.read.dashboard import CatalogEntry, Period, catalog, visible_centers
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


def step_times(session: Session, actor: Actor, period: Period) -> list[StepFigure]:
    """Per step (all roles, then per role of the officer who ended it): count, mean/median working hours, late.

    Reads the durations stored on the step-ending events (services.step_times): a step counts in the period
    its hand-over falls in. A center's reader (a few thousand durations) reads its events in one scan. The
    province (224,000 durations in 90 days at 1M) reads the pre-computed histogram `dossier_step_count`
    (day, step, role, bucket → count, seconds, late; migration 0017) for the period's whole days and the
    events of its partial first/last day, which give the counts, means, late and the bucket each median lies
    in; then only the durations of those few buckets in the period are read (index on action and duration),
    so the median is exact — the same numbers as sorting every duration, which took ~400 ms.
    """
    scope = _scope(actor)
    if scope:
        e = DossierEvent
        rows = session.exec(
            select(e.action, e.actor_role, e.step_seconds, e.outcome).where(
                e.step_seconds.is_not(None),
                e.at >= period.start,
                e.at < period.end,
                e.dossier_id.in_(select(Dossier.id).where(*scope)),  # hashed ids, not a join per event
            )
        ).all()
        return _figures((STEP_ENDED_BY[a], role, int(v or 0), outcome) for a, role, v, outcome in rows)
    hist = {k: v for k, v in _histogram(session, period).items() if any(c[0] for c in v.values())}
    wanted = {
        key: [_locate(buckets, r) for r in _mid(sum(c[0] for c in buckets.values()))] for key, buckets in hist.items()
    }
    asked = [(step, role, b, rank) for (step, role), at in wanted.items() for b, rank in at]
    values = dict(zip(asked, _values_at(session, period, asked), strict=True))
    out = []
    for (step, role), buckets in hist.items():
        n, total, late = (sum(c[i] for c in buckets.values()) for i in range(3))
        middle = [values[(step, role, b, rank)] for b, rank in wanted[(step, role)]]
        out.append(StepFigure(step, role, n, _hours(total / n), _hours(statistics.fmean(middle)), late))
    return _sorted(out)


def _mid(n: int) -> list[int]:
    """0-based ranks of the middle value(s) of n ordered values."""
    return sorted({(n - 1) // 2, n // 2})


def _histogram(session: Session, period: Period) -> dict[tuple[str, str], dict[int, list[int]]]:
    """(step, role or "" for all roles) → bucket → [count, seconds, late] of the period's step durations."""
    hist: dict[tuple[str, str], dict[int, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0, 0]))

    def add(step: str, role: str, b: int, n: int, seconds: int, late: int) -> None:
        for r in {"", role}:
            cell = hist[(step, r)][b]
            cell[0] += n
            cell[1] += seconds
            cell[2] += late

    first = period.start.date() if period.start.time() == time(0) else period.start.date() + timedelta(days=1)
    last = period.end.date()  # days before it are whole
    if first < last:
        T = DOSSIER_STEP_COUNT  # noqa: N806
        grouped = (
            sa.select(T.c.step, T.c.role, T.c.bucket, func.sum(T.c.steps), func.sum(T.c.seconds), func.sum(T.c.late))
            .where(T.c.day >= first, T.c.day < last)
            .group_by(T.c.step, T.c.role, T.c.bucket)
        )
        for step, role, b, n, seconds, late in session.connection().execute(grouped).all():
            add(step, role, int(b), int(n), int(seconds), int(late))
        pieces = [(period.start, _midnight(first)), (_midnight(last), period.end)]
    else:
        pieces = [(period.start, period.end)]
    e = DossierEvent.__table__.c  # Core rows: the ORM's per-row cost was most of the time for ~10,000 events
    conn = session.connection()
    for start, end in pieces:
        if start >= end:
            continue
        where = [e.step_seconds.is_not(None), e.at >= start, e.at < end]
        if conn.dialect.name == "postgresql":  # bucketed and grouped in the database (~200 rows, not ~10,000)
            b = func.width_bucket(e.step_seconds, sa.literal(list(BUCKET_BOUNDS), ARRAY(sa.Integer))) - 1
            late_ = func.sum(sa.case((e.outcome == "late", 1), else_=0))
            q = sa.select(e.action, e.actor_role, b, func.count(), func.sum(e.step_seconds), late_).where(*where)
            for action, role, bucket, n, seconds, late in conn.execute(q.group_by(e.action, e.actor_role, b)):
                add(STEP_ENDED_BY[action], role or "", int(bucket), int(n), int(seconds), int(late))
            continue
        for action, role, v, outcome in conn.execute(
            sa.select(e.action, e.actor_role, e.step_seconds, e.outcome).where(*where)
        ):
            add(STEP_ENDED_BY[action], role or "", bucket_of(v), 1, v, int(outcome == "late"))
    return hist


def _midnight(d: date) -> datetime:
    return datetime.combine(d, time(0))


def _values_at(session: Session, period: Period, asked: list[tuple[str, str, int, int]]) -> list[int]:
    """For each (step, role or "" for all, bucket, rank): the duration at `rank` (0-based, ascending) among the
    period's durations of that step (and role) in that bucket — each an ordered range of the index on (action,
    step_seconds) returning one row, all of them in one statement (UNION ALL: one round trip, not ~16)."""
    if not asked:
        return []
    e = DossierEvent.__table__.c
    parts = []
    for i, (step, role, bucket, rank) in enumerate(asked):
        low, high = bucket_range(bucket)
        q = sa.select(sa.literal(i).label("i"), e.step_seconds.label("v")).where(
            e.step_seconds.is_not(None),
            e.action.in_(ACTIONS_ENDING[step]),
            e.step_seconds >= low,
            e.at >= period.start,
            e.at < period.end,
        )
        if high is not None:
            q = q.where(e.step_seconds < high)
        if role:
            q = q.where(e.actor_role == role)
        parts.append(sa.select(sa.text("*")).select_from(q.order_by(e.step_seconds).offset(rank).limit(1).subquery()))
    found: dict[int, int | None] = {int(i): v for i, v in session.connection().execute(sa.union_all(*parts))}
    missing = [a for i, a in enumerate(asked) if found.get(i) is None]
    if missing:  # the histogram disagrees with the events: `onestop dashboard rebuild` (verify says where)
        step, role, bucket, _ = missing[0]
        raise LookupError(f"dossier_step_count out of step with the events: {step}/{role or '*'}/{bucket}")
    return [int(found[i]) for i in range(len(asked))]


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


def rarely_used(
    session: Session,
    actor: Actor,
    period: Period,
    at_most: int = RARE_AT_MOST,
    cat: dict[str, CatalogEntry] | None = None,
) -> list[UsageFigure]:
    """Current procedures with at most `at_most` dossiers submitted in the period (candidates for simplification),
    never-used first.

    From `dossier_submission_count` (services.submission_counts), by the receiving center: grouping the
    period's dossiers took ~360 ms at the province at 1M. Periods start at a midnight and end at one or at
    now (read.dashboard.period_for), so whole days are summed; a day the period ends inside counts in full,
    which is "up to now" as nothing is submitted in the future.
    """
    centers = visible_centers(actor)
    # the province: the per-(day, procedure) sums (~1,200 rows for 90 days at 1M instead of ~55,000)
    T = DOSSIER_SUBMISSION_PROC_DAY if centers is None else DOSSIER_SUBMISSION_COUNT  # noqa: N806
    last = period.end.date() if period.end.time() == time(0) else period.end.date() + timedelta(days=1)
    q = sa.select(T.c.proc_code, func.sum(T.c.submitted)).where(T.c.day >= period.start.date(), T.c.day < last)
    if centers is not None:
        q = q.where(T.c.center_id.in_(centers))
    used = dict(session.connection().execute(q.group_by(T.c.proc_code)).all())
    entries = (cat if cat is not None else catalog(session)).values()  # `cat`: already read for this board
    figures = [UsageFigure(e.code, e.name_vi, e.name_en, int(used.get(e.code, 0))) for e in entries]
    return sorted((f for f in figures if f.dossiers <= at_most), key=lambda f: (f.dossiers, f.name_vi))


def missing_documents(session: Session, actor: Actor, period: Period, limit: int = 10) -> list[tuple[str, int]]:
    """Items most often listed in supplement requests of the period (same wording after folding accents/case).

    The province reads the events alone (every event has its dossier): joining the dossier to filter nothing
    cost two thirds of the ~45 ms at 1M."""
    scope = _scope(actor)
    q = select(DossierEvent.data).where(
        DossierEvent.action == Action.REQUEST_SUPPLEMENT.value,
        DossierEvent.at >= period.start,
        DossierEvent.at < period.end,
    )
    if scope:
        q = q.join(Dossier, Dossier.id == DossierEvent.dossier_id).where(*scope)
    rows = session.exec(q).all()
    counts: Counter[str] = Counter()
    first_spelling: dict[str, str] = {}
    for data in rows:
        for item in (data or {}).get("items", []):
            key = fold(str(item)).strip()
            if key:
                counts[key] += 1
                first_spelling.setdefault(key, str(item).strip())
    return [(first_spelling[k], n) for k, n in counts.most_common(limit)]
