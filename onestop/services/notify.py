"""Applicant notifications written in the same transaction as the change (an outbox).

Why an outbox: a notification row committed with the status change can never be
lost or sent for a change that rolled back; the push/SMS delivery job reads the
rows afterwards and retries. `dedupe_key` (unique) makes every alert exactly-once.
"""

from __future__ import annotations

from sqlmodel import Session, select

from onestop import clock
from onestop.adapters.messaging import send_to_person
from onestop.db import insert_once as db_insert_once
from onestop.i18n import t
from onestop.models import Dossier, DossierEvent, Notification, User
from onestop.read.format import fmt_moment

#: Status changes that matter to the applicant (action value → i18n key suffix).
APPLICANT_KINDS = {
    "submitted": "submitted",
    "receive": "received",
    "request_supplement": "supplement",
    "request_fee": "fee",
    "issue_result": "result_ready",
    "issue_apology": "apology",
    "refuse": "refused",
    "close_missing_supplement": "refused",
    "stop": "stopped",
    "return_result": "returned",
}


def insert_once(session: Session, model: type, **values: object) -> bool:
    """INSERT … ON CONFLICT (dedupe_key) DO NOTHING: one statement, exactly-once, no read first (onestop.db)."""
    return db_insert_once(session, model.__table__, values)


def notify_applicant(session: Session, dossier: Dossier, kind: str, *, event: DossierEvent | None = None) -> None:
    key = APPLICANT_KINDS.get(kind)
    if key is None:
        return
    dedupe = f"dossier:{dossier.id}:{kind}:{event.id if event else 0}"
    params = {
        "code": dossier.code or "",
        "due": fmt_moment(dossier.due_at),
        "deadline": fmt_moment(dossier.supplement_deadline),
        "amount": f"{dossier.fee_amount:,}".replace(",", "."),
    }
    url = f"/dossiers/{dossier.code}"
    user = session.get(User, dossier.applicant_user_id) if dossier.applicant_user_id else None
    if user is None and dossier.applicant_national_id:  # filed for someone whose account came later (ownership)
        user = session.exec(
            select(User).where(User.national_id == dossier.applicant_national_id, User.role == "citizen")
        ).first()
    lang = (user.language if user else dossier.language) or "vi"
    title = t(f"notify.{key}.title", lang, **params)
    body = t(f"notify.{key}.body", lang, **params)
    now = clock.now()
    if user is not None:
        insert_once(
            session,
            Notification,
            user_id=user.id,
            dossier_id=dossier.id,
            kind=key,
            title=title,
            body=body,
            url=url,
            dedupe_key=dedupe,
            created_at=now,
            next_attempt_at=now,
            push_status="pending",
            push_attempts=0,
        )
    helper = dossier.acting_user_id
    if helper is not None and helper != (user.id if user else None):  # the supporter/officer who filed it for them
        helper_user = session.get(User, helper)
        if helper_user is not None and helper_user.role == "supporter":  # officers follow it in their inbox
            h_lang = helper_user.language or "vi"
            insert_once(
                session,
                Notification,
                user_id=helper,
                dossier_id=dossier.id,
                kind=key,
                title=t(f"notify.{key}.title", h_lang, **params),
                body=t(f"notify.{key}.body", h_lang, **params),
                url="/support",
                dedupe_key=f"{dedupe}:helper",
                created_at=now,
                next_attempt_at=now,
                push_status="pending",
                push_attempts=0,
            )
    # SMS to the dossier's phone and email to the account's address, through the messaging adapter (outbox)
    send_to_person(
        session,
        phone=dossier.applicant_phone,
        email=user.email if user else "",
        subject=title,
        body=body,
        dedupe_key=dedupe,
    )
