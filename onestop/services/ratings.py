"""Satisfaction ratings and complaints (the criteria provincial portals use).

A complaint reaches the center's leaders as an in-app notification in the same
transaction as the rating, so it cannot be lost.
"""

from __future__ import annotations

from dataclasses import asdict

from sqlmodel import Session, select

from onestop import clock
from onestop.domain.errors import DomainError
from onestop.domain.lifecycle import RATEABLE
from onestop.domain.ratings import RatingInput
from onestop.models import Rating, User
from onestop.services.actor import Actor
from onestop.services.dossiers import get_dossier
from onestop.services.notify import Outgoing, insert_notifications


def rate_dossier(
    session: Session,
    actor: Actor,
    dossier_id: int,
    given: RatingInput,
) -> Rating:
    dossier = get_dossier(session, actor, dossier_id=dossier_id)
    if actor.user_id not in (dossier.applicant_user_id, dossier.acting_user_id):
        raise DomainError(
            "not_applicant",
            "Chỉ người nộp hồ sơ mới được đánh giá.",
            "Only the applicant may rate this dossier.",
            status=403,
        )
    if dossier.status not in RATEABLE:
        raise DomainError(
            "not_rateable_yet",
            "Hồ sơ chưa có kết quả để đánh giá.",
            "The dossier has no result to rate yet.",
            status=409,
        )
    if session.exec(select(Rating).where(Rating.dossier_id == dossier.id)).first():
        raise DomainError(
            "already_rated",
            "Bạn đã đánh giá hồ sơ này. Cảm ơn bạn!",
            "You have already rated this dossier. Thank you!",
            status=409,
        )
    marks = given.checked()
    now = clock.now()
    rating = Rating(dossier_id=dossier.id, user_id=actor.user_id, created_at=now, **asdict(marks))
    session.add(rating)
    session.flush()
    if rating.is_complaint or rating.overall <= 2:
        leaders = session.exec(
            select(User).where(
                User.center_id == dossier.handling_center_id, User.role == "leader", User.active.is_(True)
            )
        ).all()
        complaint = [
            Outgoing(
                leader.id or 0,
                "complaint",
                f"Phản ánh về hồ sơ {dossier.code}"
                if leader.language != "en"
                else f"Complaint about dossier {dossier.code}",
                marks.comment[:500],
                f"/officer/dossiers/{dossier.code}",
                f"complaint:{rating.id}:{leader.id}",
                dossier.id,
            )
            for leader in leaders
        ]
        insert_notifications(session, complaint, now)
    session.flush()
    return rating
