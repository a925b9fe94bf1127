"""Applicant notifications written in the same transaction as the change (an outbox).

Why an outbox: a notification row committed with the status change can never be
lost or sent for a change that rolled back; the push/SMS delivery job reads the
rows afterwards and retries. `dedupe_key` (unique) makes every alert exactly-once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql as pg
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlmodel import Session, col, select

from onestop import clock
from onestop.adapters.messaging import send_to_person
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


_CHUNK = 500


def notice_texts(key: str, lang: str, **params: Any) -> tuple[str, str]:
    """A notice's title and body in `lang`: the catalog's `<key>.title` and `<key>.body` with the same values."""
    return t(f"{key}.title", lang, **params), t(f"{key}.body", lang, **params)


def _chunks(items: Sequence[Any], size: int = _CHUNK) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass(frozen=True)
class Outgoing:
    """A notification to create, and the SMS/email copy a citizen notice also gets."""

    user_id: int
    kind: str
    title: str
    body: str
    url: str
    dedupe_key: str
    dossier_id: int | None = None
    phone: str = ""
    email: str = ""


def known_keys(session: Session, keys: Sequence[str]) -> set[str]:
    """Which of these dedupe keys already have a notification. PostgreSQL: one statement with the keys as one
    text parameter split by the server (an IN list of thousands of literals, or a text array, costs more to
    render and send than the lookup itself); SQLite: chunks of 500 (its bound-parameter limit)."""
    if not keys:
        return set()
    column = Notification.dedupe_key
    if session.get_bind().dialect.name == "postgresql" and not any("\n" in k for k in keys):
        wanted = sa.func.string_to_array(sa.bindparam("keys", "\n".join(keys), type_=sa.Text), "\n")
        return set(session.exec(select(column).where(column == sa.any_(wanted))))
    found: set[str] = set()
    for chunk in _chunks(list(keys)):
        found.update(session.exec(select(column).where(col(column).in_(chunk))))
    return found


def notification_row(item: Outgoing, now: datetime) -> dict[str, Any]:
    """The `notification` row of an Outgoing (also what the PostgreSQL filing statement writes)."""
    return {
        "user_id": item.user_id,
        "dossier_id": item.dossier_id,
        "kind": item.kind[:40],
        "title": item.title[:300],
        "body": item.body[:2000],
        "url": item.url[:300],
        "dedupe_key": item.dedupe_key[:200],
        "created_at": now,
        "read_at": None,
        "push_status": "pending",
        "push_attempts": 0,
        "next_attempt_at": now,
    }


def insert_notifications(session: Session, items: Sequence[Outgoing], now: datetime | None = None) -> list[Outgoing]:
    """Insert the notifications whose dedupe key is new; return the ones this call inserted.

    Inside the caller's transaction. Why `ON CONFLICT DO NOTHING ... RETURNING`:
    a concurrent writer with the same key makes the loser wait for the winner's
    commit and then insert nothing (PostgreSQL), or wait for the write lock
    (SQLite); either way exactly one transaction sees the row as its own and
    sends the SMS/email copy. Keys already present are skipped with one indexed
    lookup first, so a rerun writes nothing at all. Rows go in key order so
    two writers never lock the same keys in opposite orders.
    """
    if not items:
        return []
    now = now or clock.now()
    by_key: dict[str, Outgoing] = {}
    for item in items:
        by_key.setdefault(item.dedupe_key[:200], item)
    keys = sorted(by_key)
    # one key (a filing, an action): the conflict clause below is the lookup
    existing = known_keys(session, keys) if len(keys) > 1 else set()
    fresh = [by_key[k] for k in keys if k not in existing]
    if not fresh:
        return []
    table = Notification.__table__
    insert = pg.insert if session.get_bind().dialect.name == "postgresql" else sqlite_dialect.insert
    inserted_keys: set[str] = set()
    # executemany with RETURNING: SQLAlchemy batches it ("insertmanyvalues") with one cached statement
    stmt = insert(table).on_conflict_do_nothing(index_elements=["dedupe_key"]).returning(table.c.dedupe_key)
    for chunk in _chunks(fresh):
        inserted_keys.update(session.execute(stmt, [notification_row(i, now) for i in chunk]).scalars())
    done = [by_key[k] for k in keys if k in inserted_keys]
    for item in done:
        if item.phone or item.email:
            send_to_person(
                session,
                phone=item.phone,
                email=item.email,
                subject=item.title,
                body=item.body,
                dedupe_key=item.dedupe_key,
            )
    return done


def notice_key(dossier_id: object, kind: str, event_id: object = 0) -> str:
    """The dedupe key of an applicant notice (and of its SMS/email copy): one per dossier, change and event."""
    return f"dossier:{dossier_id}:{kind}:{event_id}"


def notice_url(code: object) -> str:
    return f"/dossiers/{code}"


def notice_params(code: str, dossier: Dossier) -> dict[str, str]:
    """The values an applicant notice's texts are made of (`code` given apart: the filing statement writes
    a placeholder the database replaces with the code it allocates)."""
    return {
        "code": code,
        "due": fmt_moment(dossier.due_at),
        "deadline": fmt_moment(dossier.supplement_deadline),
        "amount": f"{dossier.fee_amount:,}".replace(",", "."),
    }


def own_notice(
    dossier: Dossier, kind: str, user: User, *, code: str | None, dossier_id: object, event_id: object = 0
) -> Outgoing:
    """The notice to an applicant who has an account: this row carries the SMS/email copy, sent only by the
    transaction that inserted it. `code`/`dossier_id` apart from the dossier: the PostgreSQL filing statement
    passes placeholders the database replaces with the code and id it allocates."""
    key = APPLICANT_KINDS[kind]
    title, body = notice_texts(f"notify.{key}", user.language or "vi", **notice_params(code or "", dossier))
    assert user.id is not None
    return Outgoing(
        user.id,
        key,
        title,
        body,
        notice_url(code),
        notice_key(dossier_id, kind, event_id),
        dossier.id,
        dossier.applicant_phone,
        user.email,
    )


def notify_applicant(session: Session, dossier: Dossier, kind: str, *, event: DossierEvent | None = None) -> None:
    key = APPLICANT_KINDS.get(kind)
    if key is None:
        return
    dedupe_event = event.id if event else 0
    dedupe = notice_key(dossier.id, kind, dedupe_event)
    params = notice_params(dossier.code or "", dossier)
    user = session.get(User, dossier.applicant_user_id) if dossier.applicant_user_id else None
    if user is None and dossier.applicant_national_id:  # filed for someone whose account came later (ownership)
        user = session.exec(
            select(User).where(User.national_id == dossier.applicant_national_id, User.role == "citizen")
        ).first()
    lang = (user.language if user else dossier.language) or "vi"
    title, body = notice_texts(f"notify.{key}", lang, **params)
    items = []
    if user is not None and user.id is not None:
        items.append(own_notice(dossier, kind, user, code=dossier.code, dossier_id=dossier.id, event_id=dedupe_event))
    helper = dossier.acting_user_id
    if helper is not None and helper != (user.id if user else None):  # the supporter/officer who filed it for them
        helper_user = session.get(User, helper)
        if helper_user is not None and helper_user.role == "supporter":  # officers follow it in their inbox
            h_lang = helper_user.language or "vi"
            h_title, h_body = notice_texts(f"notify.{key}", h_lang, **params)
            items.append(Outgoing(helper, key, h_title, h_body, "/support", f"{dedupe}:helper", dossier.id))
    insert_notifications(session, items)
    if user is None:  # no account (yet): the SMS to the dossier's phone still goes, through the messaging outbox
        send_to_person(session, phone=dossier.applicant_phone, email="", subject=title, body=body, dedupe_key=dedupe)
