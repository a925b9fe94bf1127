"""Procedures people most often file next, from co-occurrence per applicant in the history.

Why "next" and per applicant: a birth registration is usually followed by a
permanent-residence registration and a health-insurance card; suggesting them on
the procedure page and when a result is returned saves a trip. For procedure P
we count, for every other procedure Q, the distinct applicants (by national ID)
who filed Q after filing P within `WINDOW_DAYS`. Only counts leave this module,
and a suggestion needs at least `MIN_PEOPLE` distinct people, so no single
person's history can be read from it.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import Session, func, select

from onestop.models import Dossier, Procedure
from onestop.read.bilingual import BiText

WINDOW_DAYS = 365
MIN_PEOPLE = 2
LIMIT = 3


@dataclass
class RelatedProcedure:
    code: str = ""
    name: BiText = BiText()
    people: int = 0


def related_procedures(
    session: Session, code: str, limit: int = LIMIT, min_people: int = MIN_PEOPLE, window_days: int = WINDOW_DAYS
) -> list[RelatedProcedure]:
    """The procedures most often filed after `code` by the same applicant, most people first."""
    first = aliased(Dossier)
    later = aliased(Dossier)
    people = func.count(sa.distinct(later.applicant_national_id))
    # Date arithmetic differs per dialect: an interval on PostgreSQL, julianday() on SQLite.
    if session.get_bind().dialect.name == "postgresql":
        within = later.submitted_at <= first.submitted_at + sa.text(f"interval '{int(window_days)} days'")
    else:
        within = func.julianday(later.submitted_at) - func.julianday(first.submitted_at) <= window_days
    rows = session.exec(
        select(later.procedure_code, people)
        .select_from(first)
        .join(
            later,
            sa.and_(
                later.applicant_national_id == first.applicant_national_id,
                later.submitted_at > first.submitted_at,
                later.procedure_code != first.procedure_code,
            ),
        )
        .where(first.procedure_code == code, first.applicant_national_id != "", first.submitted_at.is_not(None), within)
        .group_by(later.procedure_code)
        .having(people >= min_people)
        .order_by(people.desc(), later.procedure_code)
        .limit(limit)
    ).all()
    if not rows:
        return []
    names = {
        p.code: p
        for p in session.exec(
            select(Procedure).where(Procedure.code.in_([r[0] for r in rows]), Procedure.is_current.is_(True))
        ).all()
    }
    return [RelatedProcedure(c, BiText(names[c].name_vi, names[c].name_en), int(n)) for c, n in rows if c in names]


def related_after_return(session: Session, user_id: int | None, dossier_code: str) -> list[RelatedProcedure]:
    """Suggestions for a person whose dossier was returned: only for their own dossier (applicant or filer)."""
    from onestop.domain.lifecycle import Status

    if user_id is None or not dossier_code:
        return []
    dossier = session.exec(
        select(Dossier).where(
            Dossier.code == dossier_code,
            sa.or_(Dossier.applicant_user_id == user_id, Dossier.acting_user_id == user_id),
        )
    ).first()
    if dossier is None or dossier.status != int(Status.RETURNED):
        return []
    return related_procedures(session, dossier.procedure_code)
