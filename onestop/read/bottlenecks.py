"""Where dossiers wait: time per lifecycle step and per officer group, late steps, unused procedures, missing papers.

Why from the audit events: every hand-over is a `dossier_event` row (action, who,
the step it ended, its outcome early/on_time/late — see services.dossiers.HANDOVERS).
The time a step took is the working time between the hand-over that started it and
the one that ended it, attributed to the role of the officer who ended it. Working
hours (office hours, holidays) rather than wall-clock hours, so a weekend does not
make reception look slow.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, func, select

from onestop.domain.lifecycle import Action
from onestop.domain.text import fold
from onestop.models import Dossier, DossierEvent
from onestop.read.dashboard import Period, catalog, visible_centers
from onestop.services.actor import Actor
from onestop.services.calendar import load_calendar

#: Hand-over action → the step it ends (services.dossiers.HANDOVERS, kept in step order).
STEP_ENDED_BY = {
    Action.ASSIGN.value: "reception",
    Action.TRANSFER.value: "reception",
    Action.SUBMIT_FOR_APPROVAL.value: "appraisal",
    Action.APPROVE.value: "approval",
    Action.SIGN.value: "signing",
    Action.ISSUE_RESULT.value: "result",
}
STEP_ORDER = ("reception", "appraisal", "approval", "signing", "result")
HANDOVER_ACTIONS = (Action.RECEIVE.value, *STEP_ENDED_BY)
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


def step_times(session: Session, actor: Actor, period: Period) -> list[StepFigure]:
    """Per step (all roles, then per role of the officer who ended it): count, mean/median working hours, late."""
    rows = session.exec(
        select(
            DossierEvent.dossier_id, DossierEvent.at, DossierEvent.action, DossierEvent.actor_role, DossierEvent.outcome
        )
        .join(Dossier, Dossier.id == DossierEvent.dossier_id)
        .where(
            *_scope(actor),
            DossierEvent.action.in_(HANDOVER_ACTIONS),
            DossierEvent.at >= period.start,
            DossierEvent.at < period.end,
        )
        .order_by(DossierEvent.dossier_id, DossierEvent.at, DossierEvent.id)
    ).all()
    cal = load_calendar(session)
    hours: dict[tuple[str, str], list[float]] = defaultdict(list)
    late: Counter[tuple[str, str]] = Counter()
    previous: tuple[int, datetime] | None = None
    for dossier_id, at, action, role, outcome in rows:
        step = STEP_ENDED_BY.get(action)
        if step and previous and previous[0] == dossier_id:
            h = max(0, cal.working_seconds_between(previous[1], at)) / 3600
            for key in ((step, ""), (step, role)):
                hours[key].append(h)
                late[key] += outcome == "late"
        previous = (dossier_id, at)
    order = {s: i for i, s in enumerate(STEP_ORDER)}
    out = [
        StepFigure(
            step, role, len(v), round(statistics.fmean(v), 1), round(statistics.median(v), 1), late[(step, role)]
        )
        for (step, role), v in hours.items()
    ]
    return sorted(out, key=lambda f: (order.get(f.step, 99), f.role != "", f.role))


@dataclass(frozen=True)
class UsageFigure:
    code: str
    name_vi: str
    name_en: str
    dossiers: int


def rarely_used(session: Session, actor: Actor, period: Period, at_most: int = RARE_AT_MOST) -> list[UsageFigure]:
    """Current procedures with at most `at_most` dossiers submitted in the period (candidates for simplification),
    never-used first."""
    used = dict(
        session.exec(
            select(Dossier.procedure_code, func.count())
            .where(*_scope(actor), Dossier.submitted_at >= period.start, Dossier.submitted_at < period.end)
            .group_by(Dossier.procedure_code)
        ).all()
    )
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
