"""Dossiers waiting for reception past the reception deadline (domain/reception): the count for the dashboard and
the inbox, and the rows for the alert job. Reads only; never changes state.

Why a cutoff: the deadline is in office hours, which SQL cannot count; `overdue_cutoff` turns "waited more than N
working hours" into "filed at or before <moment>", so the count is one indexed query on (status, …, submitted_at)
whatever the number of dossiers.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, col, select

from onestop import clock
from onestop.domain.calendar import WorkingCalendar
from onestop.domain.lifecycle import Status
from onestop.domain.reception import RECEPTION_CHANNELS, overdue_cutoff
from onestop.models import Dossier
from onestop.read import prepared
from onestop.services.calendar import load_calendar
from onestop.settings import get_settings


def reception_cutoff(
    session: Session, now: datetime | None = None, hours: float | None = None, cal: WorkingCalendar | None = None
) -> datetime:
    """The filing moment at or before which a waiting dossier is overdue for reception (`cal`: the calendar the
    caller has already loaded, if any)."""
    hours = get_settings().reception_deadline_hours if hours is None else hours
    return overdue_cutoff(now or clock.now(), hours, cal or load_calendar(session))


def _overdue_where(
    cutoff: datetime | sa.BindParameter, center_id: int | sa.BindParameter | None
) -> list[sa.ColumnElement[bool]]:
    where = [
        Dossier.status == Status.SUBMITTED,
        Dossier.channel.in_(sa.bindparam(None, list(RECEPTION_CHANNELS), expanding=True, literal_execute=True)),
        Dossier.submitted_at <= cutoff,
    ]
    if center_id is not None:
        where.append(col(Dossier.receiving_center_id) == center_id)
    return where


def reception_overdue_count(
    session: Session, center_id: int | None = None, now: datetime | None = None, cal: WorkingCalendar | None = None
) -> int:
    """How many dossiers (of one center, or all) have waited for reception longer than the setting allows (`cal`:
    the calendar the caller has already loaded — the inbox page's — instead of reading it again).

    Every inbox page read counts them: the statement is prepared once (`read.prepared`), run with the cutoff."""
    values = {"cutoff": reception_cutoff(session, now, cal=cal), "center": center_id}
    found = _statements.rows(session, center_id is not None, lambda: _count_statement(center_id is not None), values)
    return int(found[0][0])


_statements = prepared.Statements()


def _count_statement(one_center: bool) -> sa.Select:
    cutoff = prepared.param("cutoff", sa.DateTime())
    center = prepared.param("center", sa.Integer()) if one_center else None
    return sa.select(sa.func.count()).select_from(Dossier).where(*_overdue_where(cutoff, center))


def reception_overdue_rows(session: Session, now: datetime | None = None, limit: int = 5000) -> list[Dossier]:
    """The overdue-for-reception dossiers, oldest first (the alert job)."""
    cutoff = reception_cutoff(session, now)
    return list(
        session.exec(
            select(Dossier)
            .where(*_overdue_where(cutoff, None))
            .order_by(col(Dossier.submitted_at), col(Dossier.id))
            .limit(limit)
        )
    )
