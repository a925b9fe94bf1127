"""A prototype of a leaner online submission, to measure what the proposed service changes buy.

NOT the service: `services.dossiers.file_dossier` stays the one path. This file
exists so bench/submit_bench.py can show, with numbers, where the service's time
goes and what it would cost after the changes proposed in bench/README.md:

1. read the acting user and their registry record once (one joined SELECT)
   instead of three `session.get(User)` + one resident SELECT;
2. keep the center and the current procedure (with its parsed FormSchema) in a
   small per-process cache keyed by id / code + version (a catalog edit makes a
   new version; a real cache must be dropped on that edit, e.g. via services.bus);
3. write the dossier with one Core INSERT … RETURNING id and the event, the
   notification and the SMS outbox row with Core INSERTs (ON CONFLICT (dedupe_key)
   DO NOTHING replaces the two dedupe SELECTs): no ORM objects, no flushes;
   statements built once, values passed at execute time (the code upsert too);
4. optionally (`one_statement`, PostgreSQL): those four INSERTs as one statement
   with data-modifying CTEs, so a submission is five round trips (BEGIN,
   applicant, code, write, COMMIT) instead of about sixteen.

Same checks (channel, center active, current procedure, registry pre-fill, the
real `validate_form`, required documents), same rows and values as the
service's citizen/online path, same code allocation (the services.codes upsert
and `format_dossier_code`), same change-feed publish after commit. Citizen +
online only.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from onestop import clock
from onestop.adapters.messaging import _fit
from onestop.adapters.population import _record
from onestop.domain.codes import format_dossier_code, new_tracking_token
from onestop.domain.errors import DomainError, PermissionDenied
from onestop.domain.forms import FormSchema, validate_form
from onestop.domain.lifecycle import Action, Role, Status
from onestop.domain.text import fold
from onestop.i18n import t
from onestop.models import (
    Center,
    Dossier,
    DossierEvent,
    DossierSequence,
    Notification,
    OutboundMessage,
    Procedure,
    Resident,
    User,
)
from onestop.services import bus
from onestop.services.actor import Actor
from onestop.services.dossiers import fee_for, prefill_for

_centers: dict[int, Any] = {}
_procedures: dict[str, tuple[Any, FormSchema]] = {}

# Statements built once, values passed at execute time: SQLAlchemy then skips per-call `.values()`
# coercion and cache-key work (about half of the prototype's Python time when built per call).
_U, _R, _D = User.__table__, Resident.__table__, Dossier.__table__
SELECT_APPLICANT = (
    sa.select(
        _U.c.id,
        _U.c.full_name,
        _U.c.national_id,
        _U.c.phone,
        _U.c.email,
        _U.c.language,
        *[col.label(f"r_{col.name}") for col in _R.c],
    )
    .select_from(_U.outerjoin(_R, _R.c.national_id == _U.c.national_id))
    .where(_U.c.id == sa.bindparam("user_id"))
)
INSERT_DOSSIER = sa.insert(_D).returning(_D.c.id)
INSERT_EVENT = sa.insert(DossierEvent.__table__)
_UPSERTS: dict[str, tuple[Any, Any]] = {}

#: PostgreSQL: the four append rows in ONE statement (data-modifying CTEs), so a submission is
#: BEGIN, applicant SELECT, code upsert, this, COMMIT. The dedupe key is built from the new id in SQL.
WRITE_PG = sa.text("""
WITH d AS (
  INSERT INTO dossier (code, tracking_token, procedure_id, procedure_code, applicant_user_id, applicant_resident_id,
    applicant_name, applicant_name_folded, applicant_national_id, applicant_phone, acting_user_id, on_behalf, channel,
    receiving_center_id, handling_center_id, status, step, form_data, language, submitted_at, fee_amount, fee_status,
    version, created_at, updated_at)
  VALUES (:code, :token, :procedure_id, :procedure_code, :user_id, :resident_id, :name, :name_folded, :national_id,
    :phone, :user_id, false, 'online', :center_id, :center_id, 1, '', CAST(:form_data AS jsonb), :language, :now,
    :fee, :fee_status, 1, :now, :now)
  RETURNING id),
e AS (
  INSERT INTO dossier_event (dossier_id, at, action, actor_user_id, actor_name, actor_role, from_status, to_status,
    from_step, to_step, from_unit, to_unit, channel, on_behalf_of, note, outcome, data)
  SELECT id, :now, 'submit', :user_id, :actor_name, :actor_role, 0, 1, '', '', '', :center_name, 'online', '', '', '',
    CAST(:event_data AS jsonb) FROM d),
n AS (
  INSERT INTO notification (user_id, dossier_id, kind, title, body, url, dedupe_key, created_at, push_status,
    push_attempts, next_attempt_at)
  SELECT :user_id, id, 'submitted', :title, :body, :url, 'dossier:' || id || ':submitted:0', :now, 'pending', 0, :now
  FROM d ON CONFLICT (dedupe_key) DO NOTHING),
m AS (
  INSERT INTO outbound_message (channel, recipient, body, dedupe_key, created_at)
  SELECT 'sms', :phone, :sms, 'dossier:' || id || ':submitted:0', :now FROM d WHERE :phone <> ''
  ON CONFLICT (dedupe_key) DO NOTHING)
SELECT id FROM d
""")


_SEQ: dict[str, Any] = {}


def _allocate_code(session: Session, center_code: str, day) -> str:
    """services.codes.allocate_dossier_code with its upsert built once per dialect (same SQL, same result)."""
    dialect = session.get_bind().dialect.name
    stmt = _SEQ.get(dialect)
    if stmt is None:
        table = DossierSequence.__table__
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        stmt = insert(table).values(center_code=sa.bindparam("c"), day=sa.bindparam("d"), last_seq=1)
        stmt = _SEQ[dialect] = stmt.on_conflict_do_update(
            index_elements=[table.c.center_code, table.c.day],
            set_={"last_seq": table.c.last_seq + 1},
        ).returning(table.c.last_seq)
    return format_dossier_code(center_code, day, int(session.execute(stmt, {"c": center_code, "d": day}).scalar_one()))


def _outbox_inserts(dialect: str) -> tuple[Any, Any]:
    """INSERT … ON CONFLICT (dedupe_key) DO NOTHING for the notification and the outbound message."""
    if dialect not in _UPSERTS:
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        _UPSERTS[dialect] = (
            insert(Notification.__table__).on_conflict_do_nothing(index_elements=["dedupe_key"]),
            insert(OutboundMessage.__table__).on_conflict_do_nothing(index_elements=["dedupe_key"]),
        )
    return _UPSERTS[dialect]


def clear_caches() -> None:
    _centers.clear()
    _procedures.clear()


def _center(session: Session, center_id: int):
    row = _centers.get(center_id)
    if row is None:
        c = Center.__table__.c
        row = session.execute(sa.select(c.id, c.code, c.name, c.active).where(c.id == center_id)).first()
        if row is not None:
            _centers[center_id] = row
    return row


def _procedure(session: Session, code: str) -> tuple[Any, FormSchema]:
    hit = _procedures.get(code)
    if hit is None:
        c = Procedure.__table__.c
        row = session.execute(
            sa.select(c.id, c.code, c.version, c.form_schema, c.fee_schedule, c.fee_amount, c.fee_online_amount).where(
                c.code == code, c.is_current.is_(True)
            )
        ).first()
        if row is None:
            raise DomainError("procedure_not_found", "Không tìm thấy thủ tục.", "Procedure not found.", status=404)
        hit = (row, FormSchema.from_dict(row.form_schema or {"fields": [], "documents": []}))
        _procedures[code] = hit
    return hit


def file_online(
    session: Session,
    actor: Actor,
    *,
    procedure_code: str,
    form_data: Mapping[str, Any],
    center_id: int,
    one_statement: bool = False,
) -> tuple[int, str]:
    """A citizen files online: validate, write dossier + event + notification + SMS outbox, commit.

    `one_statement` (PostgreSQL, applicants without an e-mail address): the four rows in one CTE statement.
    """
    if actor.role != Role.CITIZEN:
        raise PermissionDenied()
    center = _center(session, center_id)
    if center is None or not center.active:
        raise DomainError(
            "center_not_found", "Không tìm thấy trung tâm tiếp nhận.", "Receiving center not found.", field="center"
        )
    proc, schema = _procedure(session, procedure_code)
    row = session.execute(SELECT_APPLICANT, {"user_id": actor.user_id}).first()
    if row is None:
        raise PermissionDenied()
    resident = (
        _record(Resident(**{col.name: getattr(row, f"r_{col.name}") for col in _R.c})) if row.r_id is not None else None
    )
    result = validate_form(schema, form_data, prefill=prefill_for(resident), today=clock.now().date())
    if result.errors:
        first_key, first = next(iter(result.errors.items()))
        raise DomainError("form_invalid", first.vi, first.en, field=first_key, status=422)
    missing = [doc for doc in schema.documents if doc.required and not doc.state_held]
    if missing:
        raise DomainError("documents_missing", "Còn thiếu giấy tờ.", "Documents missing.", field="documents")

    now = clock.now()
    fee = fee_for(proc, "online")  # the Row has the two fee columns fee_for reads
    code = _allocate_code(session, center.code, now.date())
    phone = str(result.clean.get("phone") or "") or row.phone
    if one_statement and session.get_bind().dialect.name == "postgresql" and not (row.email and "@" in row.email):
        params = {"code": code, "due": "", "deadline": "", "amount": f"{fee:,}".replace(",", ".")}
        lang = row.language or "vi"
        title, body = t("notify.submitted.title", lang, **params), t("notify.submitted.body", lang, **params)
        dossier_id = session.execute(
            WRITE_PG,
            dict(
                code=code,
                token=new_tracking_token(),
                procedure_id=proc.id,
                procedure_code=proc.code,
                user_id=row.id,
                resident_id=resident.id if resident else None,
                name=row.full_name,
                name_folded=fold(row.full_name),
                national_id=row.national_id or "",
                phone=phone,
                center_id=center.id,
                form_data=json.dumps(result.clean, ensure_ascii=False),
                language=actor.language,
                now=now,
                fee=fee,
                fee_status="unpaid" if fee > 0 else "none",
                actor_name=actor.full_name,
                actor_role=actor.role,
                center_name=center.name,
                event_data='{"attachments": 0}',
                title=title,
                body=body,
                url=f"/dossiers/{code}",
                sms=_fit("sms", f"{title}. {body}"),
            ),
        ).scalar_one()
        session.commit()
        bus.publish(
            bus.DossierChanged(dossier_id, code, Action.SUBMIT.value, int(Status.SUBMITTED), (center.id,), row.id)
        )
        return dossier_id, code
    dossier_id = session.execute(
        INSERT_DOSSIER,
        dict(
            code=code,
            tracking_token=new_tracking_token(),
            procedure_id=proc.id,
            procedure_code=proc.code,
            applicant_user_id=row.id,
            applicant_resident_id=resident.id if resident else None,
            applicant_name=row.full_name,
            applicant_name_folded=fold(row.full_name),
            applicant_national_id=row.national_id or "",
            applicant_phone=phone,
            acting_user_id=actor.user_id,
            on_behalf=False,
            channel="online",
            receiving_center_id=center.id,
            handling_center_id=center.id,
            status=int(Status.SUBMITTED),
            step="",
            form_data=dict(result.clean),
            language=actor.language,
            submitted_at=now,
            fee_amount=fee,
            fee_status="unpaid" if fee > 0 else "none",
            version=1,
            created_at=now,
            updated_at=now,
        ),
    ).scalar_one()
    session.execute(
        INSERT_EVENT,
        dict(
            dossier_id=dossier_id,
            at=now,
            action=Action.SUBMIT.value,
            actor_user_id=actor.user_id,
            actor_name=actor.full_name,
            actor_role=actor.role,
            from_status=int(Status.DRAFT),
            to_status=int(Status.SUBMITTED),
            from_step="",
            to_step="",
            from_unit="",
            to_unit=center.name,
            channel="online",
            on_behalf_of="",
            note="",
            data={"attachments": 0},
            step_due_at=None,
            outcome="",
        ),
    )
    dedupe = f"dossier:{dossier_id}:submitted:0"
    params = {"code": code, "due": "", "deadline": "", "amount": f"{fee:,}".replace(",", ".")}
    lang = row.language or "vi"
    title, body = t("notify.submitted.title", lang, **params), t("notify.submitted.body", lang, **params)
    insert_notification, insert_message = _outbox_inserts(session.get_bind().dialect.name)
    session.execute(
        insert_notification,
        dict(
            user_id=row.id,
            dossier_id=dossier_id,
            kind="submitted",
            title=title,
            body=body,
            url=f"/dossiers/{code}",
            dedupe_key=dedupe,
            created_at=now,
            next_attempt_at=now,
            push_status="pending",
            push_attempts=0,
        ),
    )
    if phone:
        session.execute(
            insert_message,
            dict(
                channel="sms",
                recipient=phone[:200],
                dedupe_key=dedupe,
                body=_fit("sms", f"{title}. {body}"),
                created_at=now,
            ),
        )
    if row.email and "@" in row.email:
        session.execute(
            insert_message,
            dict(
                channel="email",
                recipient=row.email[:200],
                dedupe_key=f"{dedupe}:email",
                body=_fit("email", f"{title}\n\n{body}"),
                created_at=now,
            ),
        )
    session.commit()
    bus.publish(bus.DossierChanged(dossier_id, code, Action.SUBMIT.value, int(Status.SUBMITTED), (center.id,), row.id))
    return dossier_id, code
