"""Dossier cards: the short row citizens and the support team see in their lists.

Why one shape: a row carries both languages, the formatted moments and the deadline
colour from the one display rule (`domain.deadlines.display_colour`), so every list
shows a dossier the same way. The officer's inbox rows are `read.inbox`/`workbench`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, or_, select

from onestop.adapters.population import registry
from onestop.domain.calendar import WorkingCalendar
from onestop.domain.deadlines import display_colour
from onestop.domain.lifecycle import Role, Status, status_label
from onestop.models import Center, Dossier, Procedure, SupportVisit
from onestop.read.bilingual import BiText
from onestop.read.format import fmt_day, fmt_moment
from onestop.services.actor import Actor
from onestop.services.calendar import load_calendar
from onestop.services.permissions import require_role

#: How many recent dossiers a landing page lists.
RECENT_LIMIT = 20


# --------------------------------------------------------------------------- dossier rows


@dataclass
class DossierHead:
    """What every shape of a dossier starts with (card, inbox row, the applicant's and the officer's detail).

    Why a base: four shapes had grown the same dozen fields; one definition keeps
    their names and meanings the same on every page.
    """

    id: int = 0
    code: str = ""
    procedure_code: str = ""
    procedure: BiText = BiText()  # the procedure's name
    applicant: str = ""
    channel: str = ""
    status: int = 0
    status_label: BiText = BiText()
    submitted: str = ""
    received: str = ""
    due: str = ""
    colour: str = ""  # the deadline colour while the deadline matters (green|amber|red|grey), else ""
    version: int = 0


def head_of(dossier: Dossier, name_vi: str, name_en: str, colour: str = "") -> dict[str, Any]:
    """The `DossierHead` fields of a dossier row, as keywords for any of the shapes built on it."""
    return {
        "id": dossier.id or 0,
        "code": dossier.code or "",
        "procedure_code": dossier.procedure_code,
        "procedure": BiText(name_vi, name_en),
        "applicant": dossier.applicant_name,
        "channel": dossier.channel,
        "status": dossier.status,
        "status_label": BiText.by(partial(status_label, dossier.status)),
        "submitted": fmt_moment(dossier.submitted_at),
        "received": fmt_moment(dossier.received_at),
        "due": fmt_moment(dossier.due_at),
        "colour": colour,
        "version": dossier.version,
    }


@dataclass
class DossierRow(DossierHead):
    """One dossier in a list (the citizen's "my dossiers", the supporter's recent filings)."""


def _dossier_rows(session: Session, stmt, now: datetime, cal: WorkingCalendar | None = None) -> list[DossierRow]:
    """Run `stmt` (a select of Dossier joined to Procedure names) and shape the rows."""
    cal = cal or load_calendar(session)
    rows = []
    for dossier, name_vi, name_en in session.exec(stmt).all():
        rows.append(
            DossierRow(
                **head_of(
                    dossier,
                    name_vi,
                    name_en,
                    display_colour(now, dossier.due_at, cal, dossier.status, dossier.paused_at),
                )
                | {
                    "code": dossier.code or dossier.provisional_code or "",
                    "submitted": fmt_moment(dossier.submitted_at or dossier.created_at),
                }
            )
        )
    return rows


#: Statuses in which an unpaid fee no longer asks anything of the person (refused, withdrawn, stopped, returned).
TERMINAL_FOR_FEES = (Status.REFUSED, Status.WITHDRAWN, Status.STOPPED, Status.RETURNED)


def _with_names():
    return select(Dossier, Procedure.name_vi, Procedure.name_en).join(Procedure, Procedure.id == Dossier.procedure_id)


def citizen_dossiers(session: Session, actor: Actor, now: datetime, limit: int = 100) -> list[DossierRow]:
    """The dossiers a citizen filed or that were filed for them: what needs their action first (a supplement to
    provide, a fee to pay), then newest first."""
    require_role(actor, [Role.CITIZEN])
    action_needed = sa.case(
        (Dossier.status == Status.SUPPLEMENT, 0),
        (
            sa.and_(
                Dossier.fee_status == "unpaid",
                Dossier.fee_amount > 0,
                Dossier.status.notin_([int(s) for s in TERMINAL_FOR_FEES]),
            ),
            0,
        ),
        else_=1,
    )
    stmt = (
        _with_names()
        .where(or_(Dossier.applicant_user_id == actor.user_id, Dossier.acting_user_id == actor.user_id))
        .order_by(action_needed, Dossier.created_at.desc(), Dossier.id.desc())
        .limit(limit)
    )
    return _dossier_rows(session, stmt, now)


def _overdue(now: datetime):
    """Overdue is derived, not a status: the one rule of `read.inbox.late_condition` (= domain.deadlines.is_late)."""
    from onestop.read.inbox import late_condition

    return late_condition(now)


# --------------------------------------------------------------------------- support team


@dataclass
class VisitRow:
    """A home visit as the supporter's list shows it (the field app, not this page, records what was done)."""

    resident: str = ""
    address: str = ""
    day: str = ""
    purpose: str = ""
    status: str = "planned"


def support_visits(session: Session, actor: Actor, limit: int = 12) -> list[VisitRow]:
    """Planned visits, earliest first (one planned for a past day was missed: the most pressing),
    then the most recent done or cancelled ones."""
    require_role(actor, [Role.SUPPORTER])
    base = select(SupportVisit).where(SupportVisit.supporter_id == actor.user_id)
    upcoming = session.exec(
        base.where(SupportVisit.status == "planned").order_by(SupportVisit.planned_for, SupportVisit.id).limit(limit)
    ).all()
    past = session.exec(
        base.where(SupportVisit.status != "planned")
        .order_by(SupportVisit.planned_for.desc(), SupportVisit.id.desc())
        .limit(max(0, limit - len(upcoming)))
    ).all()
    visits = [*upcoming, *past]
    people = registry(session).by_ids(v.resident_id for v in visits)
    return [
        VisitRow(
            resident=people[v.resident_id].full_name,  # resident_id is a required foreign key
            address=people[v.resident_id].address,
            day=fmt_day(v.planned_for),
            purpose=v.purpose,
            status=v.status,
        )
        for v in visits
    ]


def support_dossiers(session: Session, actor: Actor, now: datetime, limit: int = RECENT_LIMIT) -> list[DossierRow]:
    """Dossiers this supporter filed (on someone's behalf or assisted), newest first."""
    require_role(actor, [Role.SUPPORTER])
    stmt = (
        _with_names()
        .where(Dossier.acting_user_id == actor.user_id)
        .order_by(Dossier.created_at.desc(), Dossier.id.desc())
        .limit(limit)
    )
    return _dossier_rows(session, stmt, now)


def center_name(session: Session, center_id: int | None) -> str:
    center = session.get(Center, center_id) if center_id else None
    return center.name if center else ""
