"""Filed on behalf, owned by the person: a dossier a supporter or a counter officer filed for someone belongs to
that person's account, matched by ID number, whether the account existed at filing or is opened later.

Why at sign-in: accounts come from several doors (admin, VNeID, the counter); every one of them ends in a
sign-in, so binding there covers them all with one indexed UPDATE (dossier.applicant_national_id is indexed)
and nothing scans the dossier table. Only dossiers with no owner yet are bound: a dossier never changes hands.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session, col

from onestop.domain.lifecycle import Role
from onestop.models import Dossier, User


def claim_filed_for(session: Session, user: User) -> int:
    """Give `user` the dossiers filed for their ID number that have no owner yet; how many. The caller commits."""
    if user.role != Role.CITIZEN or not user.national_id or user.id is None:
        return 0
    stmt = (
        sa.update(Dossier)
        .where(Dossier.applicant_national_id == user.national_id, col(Dossier.applicant_user_id).is_(None))
        .values(applicant_user_id=user.id)
    )
    result = session.execute(stmt)
    return int(getattr(result, "rowcount", 0) or 0)
