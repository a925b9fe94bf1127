"""Satisfaction ratings and complaints (the criteria provincial portals use).

A complaint reaches the center's leaders as an in-app notification in the same
transaction as the rating, so it cannot be lost.
"""

from __future__ import annotations

from sqlmodel import Session, select

from onestop import clock
from onestop.domain.errors import DomainError
from onestop.domain.lifecycle import RATEABLE
from onestop.models import Rating, User
from onestop.services.actor import Actor
from onestop.services.dossiers import get_dossier
from onestop.services.notify import Outgoing, insert_notifications


def _score(value: object, name: str, lo: int = 1, hi: int = 5) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = -1
    if not lo <= number <= hi:
        raise DomainError(
            f"{name}_invalid", "Vui lòng chọn một mức đánh giá.", "Please choose a rating.", field=name, status=422
        )
    return number


def rate_dossier(
    session: Session,
    actor: Actor,
    dossier_id: int,
    *,
    overall: object,
    timeliness: object,
    attitude: object,
    trips: object,
    comment: str = "",
    is_complaint: bool = False,
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
    text = (comment or "").strip()
    if len(text) > 2000:
        raise DomainError(
            "comment_too_long",
            "Ý kiến quá dài (tối đa 2000 ký tự).",
            "The comment is too long (at most 2000 characters).",
            field="comment",
            status=422,
        )
    if is_complaint and not text:
        raise DomainError(
            "complaint_empty",
            "Vui lòng ghi nội dung phản ánh, kiến nghị.",
            "Please write what the complaint is about.",
            field="comment",
            status=422,
        )
    now = clock.now()
    rating = Rating(
        dossier_id=dossier.id,
        user_id=actor.user_id,
        overall=_score(overall, "overall"),
        timeliness=_score(timeliness, "timeliness"),
        attitude=_score(attitude, "attitude"),
        trips=_score(trips, "trips", 1, 10),
        comment=text,
        is_complaint=bool(is_complaint),
        created_at=now,
    )
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
                text[:500],
                f"/officer/dossiers/{dossier.code}",
                f"complaint:{rating.id}:{leader.id}",
                dossier.id,
            )
            for leader in leaders
        ]
        insert_notifications(session, complaint, now)
    session.flush()
    return rating
