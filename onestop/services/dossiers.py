"""Dossier use cases: file (every channel), and every lifecycle action.

One function per use case, one transaction each: permission check, domain rule,
row changes, audit event, applicant notification — committed together or not at
all. The dossier row is updated with `WHERE version = expected`, so when two
officers act at once exactly one wins and the other gets ConcurrentChange.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial, wraps
from typing import Any, ParamSpec

import sqlalchemy as sa
from sqlalchemy.orm import defer
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, select

from onestop import clock
from onestop.adapters.population import ResidentRecord, registry, user_with_record
from onestop.db import adopt_row, after_commit, build_row, insert_row, row_values
from onestop.domain import deadlines
from onestop.domain import lifecycle as lc
from onestop.domain.calendar import WorkingCalendar
from onestop.domain.codes import new_tracking_token
from onestop.domain.deadlines import ClockState, Duration, ResumeMode, compute_due, step_due_times, timeliness
from onestop.domain.errors import ConcurrentChange, DomainError, NotFound, PermissionDenied
from onestop.domain.fees import FeeQuote, FeeSchedule, quote, schedule_for, starting_amount
from onestop.domain.forms import FormSchema, validate_form
from onestop.domain.lifecycle import Action, Clock, Role, Status, Step
from onestop.domain.release import DELIVERY_METHODS, return_check
from onestop.domain.text import fold
from onestop.models import Attachment, Center, Consent, Dossier, DossierEvent, Procedure, User
from onestop.read import reference
from onestop.read.schemas import schema_of
from onestop.services import bus, filing_statement
from onestop.services.actor import Actor
from onestop.services.calendar import load_calendar, same_day_cutoff
from onestop.services.codes import allocate_dossier_code, allocate_if_current, code_prefix
from onestop.services.filing_statement import CODE_MARK, ID_MARK
from onestop.services.notify import notify_applicant, own_notice
from onestop.services.permissions import require_center_scope, require_view_dossier
from onestop.settings import get_settings

CHANNELS = ("online", "direct", "assisted", "field")
_P = ParamSpec("_P")

#: Default split of the legal time between hand-overs (the control sheet's step due times).
DEFAULT_STEPS: tuple[tuple[str, float], ...] = (
    ("reception", 0.1),
    ("appraisal", 0.5),
    ("approval", 0.15),
    ("signing", 0.15),
    ("result", 0.1),
)
RETURN_METHODS = ("in_person", "post", "electronic")


@dataclass
class ActionInput:
    """What an officer or applicant gives with an action; the rule's `needs` say which are required."""

    reason: str = ""
    note: str = ""
    missing_items: Sequence[str] = ()
    supplement_deadline: datetime | None = None
    assignee_id: int | None = None
    target_center_id: int | None = None
    new_due_at: datetime | None = None
    amount: int | None = None
    return_method: str = ""
    recipient_id: str = ""  # return in person: the ID number read from the recipient's card (domain/release)
    opinion: str = ""
    attachment_ids: Sequence[int] = ()
    extra: dict[str, Any] = field(default_factory=dict)


# --------------------------------------------------------------------------- lookups


def current_procedure(session: Session, code: str) -> Procedure:
    stmt = select(Procedure).where(Procedure.code == code, Procedure.is_current.is_(True))
    proc = session.exec(stmt).first()
    if proc is None:
        raise NotFound("Không tìm thấy thủ tục.", "Procedure not found.", code="procedure_not_found")
    return proc


def find_dossier(session: Session, *, dossier_id: int | None = None, code: str | None = None) -> Dossier | None:
    if dossier_id is not None:
        return session.get(Dossier, dossier_id)
    if code:
        return session.exec(select(Dossier).where(Dossier.code == code.strip().upper())).first()
    return None


def get_dossier(session: Session, actor: Actor, *, dossier_id: int | None = None, code: str | None = None) -> Dossier:
    """The dossier if this actor may see it (the same 'not found' otherwise)."""
    return require_view_dossier(actor, find_dossier(session, dossier_id=dossier_id, code=code))


def duration_for(proc: Procedure, channel: str) -> Duration:
    raw = proc.duration_online if channel == "online" and proc.duration_online else proc.duration_counter
    return Duration.from_dict(raw or {"value": 0, "unit": "same_day"})


def fee_for(proc: Procedure, channel: str) -> int:
    """The smallest amount anyone pays for this procedure on `channel` (one page, one copy): for lists."""
    return starting_amount(fee_schedule_of(proc), channel)


def fee_schedule_of(proc: Procedure) -> FeeSchedule:
    return schedule_for(proc.fee_schedule, proc.fee_amount, proc.fee_online_amount)


def fee_quote(proc: Procedure, form_data: Mapping[str, Any] | None, channel: str) -> FeeQuote:
    """What this dossier owes, from its form data (pages, copies, category) and channel; see domain/fees."""
    return quote(fee_schedule_of(proc), form_data, channel, proc.fee_text)


def _unit_name(session: Session, center_id: int | None) -> str:
    center = session.get(Center, center_id) if center_id else None
    return center.name if center else ""


# --------------------------------------------------------------------------- events


def append_event(session: Session, dossier: Dossier, actor: Actor, action: str, **details: Any) -> DossierEvent:
    """Append the audit event for a change (same transaction as the change); `details` as `event_for`."""
    event = event_for(dossier, actor, action, **details)
    insert_row(session, event)  # one prebuilt INSERT, no unit-of-work flush (pending changes flushed first)
    return event


def event_for(
    dossier: Dossier,
    actor: Actor,
    action: str,
    *,
    from_status: int | None,
    from_step: str = "",
    note: str = "",
    data: dict | None = None,
    step_due_at: datetime | None = None,
    outcome: str = "",
    from_unit: str = "",
    to_unit: str = "",
    at: datetime | None = None,
) -> DossierEvent:
    """The audit event of a change, not written yet (`db.build_row`: checked values, no per-field constructor
    work); `append_event` writes it, the PostgreSQL filing statement writes the filing's."""
    on_behalf = dossier.applicant_name if dossier.on_behalf else ""
    return build_row(
        DossierEvent,
        {
            "dossier_id": dossier.id,
            "at": at or clock.now(),
            "action": action,
            "actor_user_id": actor.user_id,
            "actor_name": actor.full_name,
            "actor_role": actor.role,
            "from_status": from_status,
            "to_status": dossier.status,
            "from_step": from_step or "",
            "to_step": dossier.step or "",
            "channel": dossier.channel,
            "on_behalf_of": on_behalf,
            "note": note[:2000],
            "data": data or None,
            "step_due_at": step_due_at,
            "outcome": outcome,
            "from_unit": from_unit,
            "to_unit": to_unit,
        },
    )


def publish_after_commit(session: Session, dossier: Dossier, action: str, left_center: int | None = None) -> None:
    """Announce the change on the bus once the caller's transaction commits (never before).

    `left_center`: the center a transferred dossier left, whose inboxes must drop it too."""
    centers = tuple({dossier.handling_center_id, dossier.receiving_center_id} | ({left_center} - {None}))
    change = bus.DossierChanged(dossier.id, dossier.code, action, dossier.status, centers, dossier.applicant_user_id)
    after_commit(session, lambda: bus.publish(change))


# --------------------------------------------------------------------------- filing


@dataclass
class Applicant:
    """Who the dossier is for. Online: the signed-in citizen; counter/assisted: a registry resident."""

    name: str
    national_id: str = ""
    phone: str = ""
    user_id: int | None = None
    resident_id: int | None = None


def _resident_for(session: Session, actor: Actor, resident_id: int | None) -> tuple[ResidentRecord | None, bool]:
    """The registry person the dossier is for (through the registry adapter), and whether on their behalf."""
    people = registry(session)
    if actor.role == Role.CITIZEN:
        user = session.get(User, actor.user_id)
        assert user is not None
        return (people.by_national_id(user.national_id) if user.national_id else None), False
    if resident_id is None:
        raise DomainError(
            "applicant_required",
            "Vui lòng chọn người nộp hồ sơ trong cơ sở dữ liệu dân cư.",
            "Please choose the applicant from the population registry.",
            field="resident",
        )
    resident = people.by_id(resident_id)
    if resident is None:
        raise NotFound(
            "Không tìm thấy công dân trong cơ sở dữ liệu dân cư.",
            "Resident not found in the registry.",
            code="resident_not_found",
        )
    return resident, True


def _applicant_for(
    session: Session, actor: Actor, resident: ResidentRecord | None, clean: Mapping[str, Any]
) -> Applicant:
    phone = str(clean.get("phone") or "")
    if actor.role == Role.CITIZEN:
        user = session.get(User, actor.user_id)
        assert user is not None
        return Applicant(
            user.full_name, user.national_id or "", phone or user.phone, user.id, resident.id if resident else None
        )
    assert resident is not None
    user = session.exec(select(User).where(User.national_id == resident.national_id)).first()
    return Applicant(
        resident.full_name,
        resident.national_id,
        phone or resident.phone or (user.phone if user else ""),
        user.id if user else None,
        resident.id,
    )


#: Flag (dossier.flags and the submit event's data) of a person typed in at the counter, unknown to the registry.
MANUAL_ENTRY_FLAG = "not_registry_verified"
MANUAL_ENTRY_NOTE = "Nhập tay tại quầy: thông tin người nộp chưa được xác thực với CSDL dân cư."


def _manual_applicant(session: Session, clean: Mapping[str, Any]) -> Applicant:
    """The applicant from typed particulars (validate_form already checked the ID number's rules against the
    date of birth and gender); a person the registry does know must be taken from the registry instead."""
    number = str(clean.get("national_id") or "")
    name = str(clean.get("full_name") or "").strip()
    if not number or not name:
        raise DomainError(
            "manual_particulars_required",
            "Nhập họ tên và số định danh của người nộp.",
            "Type the applicant's name and ID number.",
            field="national_id",
            status=422,
        )
    if registry(session).by_national_id(number) is not None:
        raise DomainError(
            "in_registry",
            "Công dân này có trong CSDL dân cư: hãy tra cứu theo số định danh.",
            "This person is in the population registry: look them up by ID number.",
            field="national_id",
            status=409,
        )
    user = session.exec(select(User).where(User.national_id == number)).first()
    return Applicant(
        name, number, str(clean.get("phone") or "") or (user.phone if user else ""), user.id if user else None, None
    )


def prefill_for(resident: ResidentRecord | None) -> dict[str, object]:
    """Registry values by autofill source; the form shows them and the validator enforces them."""
    return resident.prefill() if resident is not None else {}


def _check_documents(schema: FormSchema, attachments: Sequence[Attachment], lang: str) -> None:
    present = {a.document_code for a in attachments}
    missing = [d for d in schema.documents if d.required and not d.state_held and d.code not in present]
    if missing:
        names_vi = ", ".join(d.name_vi for d in missing)
        names_en = ", ".join(d.name_en for d in missing)
        raise DomainError(
            "documents_missing", f"Còn thiếu giấy tờ: {names_vi}.", f"Documents missing: {names_en}.", field="documents"
        )


#: Document code under which an applicant shows the evidence of a fee exemption or reduction.
FEE_EVIDENCE_DOC = "fee_evidence"


def _check_fee_evidence(schema: FormSchema, fee_q: FeeQuote, attachments: Sequence[Attachment], channel: str) -> None:
    """A claimed exemption/reduction needs its evidence uploaded; at the counter the officer sees the paper."""
    if not fee_q.category or channel == "direct" or schema.document(FEE_EVIDENCE_DOC) is None:
        return
    if FEE_EVIDENCE_DOC not in {a.document_code for a in attachments}:
        raise DomainError(
            "fee_evidence_missing",
            f"Cần tải lên giấy tờ chứng minh: {fee_q.category.evidence.vi}.",
            f"Upload the evidence: {fee_q.category.evidence.en}.",
            field="documents",
            status=422,
        )


def _load_attachments(session: Session, actor: Actor, ids: Sequence[int]) -> list[Attachment]:
    rows = list(session.exec(select(Attachment).where(Attachment.id.in_(list(ids))))) if ids else []
    if len(rows) != len(set(ids)):
        raise DomainError(
            "attachment_not_found", "Không tìm thấy tệp đính kèm.", "Attachment not found.", field="documents"
        )
    for att in rows:
        if att.dossier_id is not None or (att.owner_user_id != actor.user_id and actor.role != Role.SYSTEM):
            raise PermissionDenied("Tệp đính kèm không thuộc về bạn.", "This attachment is not yours.")
    return rows


#: Large procedure columns a filing does not read: the parsed form schema comes from read.schemas' cache (per
#: version; a miss loads the column then), descriptions and aliases are for the catalog pages. Decoding them
#: on every submission was the largest part of this read.
_NOT_FOR_FILING = (
    defer(Procedure.form_schema),
    defer(Procedure.description_vi),
    defer(Procedure.description_en),
    defer(Procedure.other_names),
)


def _filing_context(
    session: Session, actor: Actor, center_id: int, procedure_code: str
) -> tuple[User | None, Center | None, Procedure | None]:
    """The acting user, the receiving center and the procedure's current version in ONE round trip (a join of
    three single-row lookups) instead of three; when one is missing, each is read alone so that the caller
    can say which."""
    if actor.user_id is not None:
        row = session.exec(
            select(User, Center, Procedure)
            .select_from(User)
            .join(Center, sa.true())  # three independent rows side by side: an explicit join, not a cartesian
            .join(Procedure, sa.true())  # product by accident (SQLAlchemy warns about the implicit form)
            .options(*_NOT_FOR_FILING)
            .where(
                User.id == actor.user_id,
                Center.id == center_id,
                Procedure.code == procedure_code,
                Procedure.is_current.is_(True),
            )
        ).first()
        if row is not None:
            return row[0], row[1], row[2]
    user = session.get(User, actor.user_id) if actor.user_id else None
    proc = session.exec(select(Procedure).where(Procedure.code == procedure_code, Procedure.is_current.is_(True)))
    return user, session.get(Center, center_id), proc.first()


class _StaleReference(Exception):
    """The center or procedure version held in memory (read.reference) no longer matches the database."""


def _fresh_reference_on_stale(fn: Callable[_P, Dossier]) -> Callable[_P, Dossier]:
    """Run a filing again after `_StaleReference` (nothing was written) with the reference read afresh."""

    @wraps(fn)
    def run(*args: _P.args, **kwargs: _P.kwargs) -> Dossier:
        for _ in range(2):
            try:
                return fn(*args, **kwargs)
            except _StaleReference:
                reference.forget()
        return fn(*args, **kwargs)

    return run


def _write_in_one_statement(
    session: Session,
    dossier: Dossier,
    event: DossierEvent,
    user: User,
    center: Center,
    proc: Procedure,
    attachments: Sequence[Attachment],
) -> bool:
    """PostgreSQL: the citizen's filing written by services.filing_statement (one round trip), True when done;
    False when that statement does not apply here (the statement-per-row path writes it then)."""
    notice = own_notice(dossier, "submitted", user, code=CODE_MARK, dossier_id=ID_MARK)
    if not (filing_statement.usable(session) and filing_statement.usable_texts(notice)):
        return False
    session.flush()  # pending ORM changes first, as insert_row does
    ids = [a.id for a in attachments if a.id is not None]
    assert dossier.created_at is not None and center.code
    written = filing_statement.write(
        session, dossier, event, notice, center, proc, code_prefix(center.code, dossier.created_at.date()), ids
    )
    if written is None:
        raise _StaleReference()
    new_id, dossier.code = written
    adopt_row(session, dossier, new_id, row_values(dossier)[1])
    for att in attachments:  # bound by the statement: the loaded objects say so without another UPDATE
        set_committed_value(att, "dossier_id", new_id)
    return True


@_fresh_reference_on_stale
def file_dossier(
    session: Session,
    actor: Actor,
    *,
    procedure_code: str,
    form_data: Mapping[str, Any],
    channel: str,
    center_id: int,
    attachment_ids: Sequence[int] = (),
    resident_id: int | None = None,
    consent_id: int | None = None,
    client_uuid: str | None = None,
    provisional_code: str | None = None,
    captured_at: datetime | None = None,
    receive_now: bool = False,
    flags: dict | None = None,
    delivery: str = "",
    manual_entry: bool = False,
) -> Dossier:
    """File a dossier through any channel: validate, store, submit (status 1), and for the
    counter receive it at once (status 2, due date set). One transaction.
    """
    if channel not in CHANNELS:
        raise DomainError("bad_channel", "Kênh nộp không hợp lệ.", "Unknown channel.")
    if delivery and delivery not in DELIVERY_METHODS:
        raise DomainError(
            "delivery_invalid",
            "Vui lòng chọn cách nhận kết quả.",
            "Please choose how to receive the result.",
            field="delivery",
            status=422,
        )
    if actor.role == Role.CITIZEN and channel != "online":
        raise PermissionDenied()
    if actor.role == Role.SUPPORTER and channel not in ("assisted", "field"):
        raise PermissionDenied()
    if channel == "direct":
        if actor.role not in (Role.RECEIVER, Role.ADMIN):
            raise PermissionDenied()
        require_center_scope(actor, center_id)
    # The acting user is held for the whole use case: the session's identity map keeps objects only while
    # referenced, and the applicant, the event and the notification all look this user up again.
    own = actor.role == Role.CITIZEN and actor.user_id is not None and not manual_entry
    if own:  # a citizen for themselves: center and procedure held in memory, the applicant and record in one read
        acting_user, resident = user_with_record(session, actor.user_id or 0)
        if acting_user is None:
            raise PermissionDenied()
        center, proc = reference.center(session, center_id), reference.current_procedure(session, procedure_code)
    else:
        acting_user, center, proc = _filing_context(session, actor, center_id, procedure_code)  # noqa: RUF059
    if center is None or not center.active:
        raise DomainError(
            "center_not_found", "Không tìm thấy trung tâm tiếp nhận.", "Receiving center not found.", field="center"
        )
    if proc is None:
        proc = current_procedure(session, procedure_code)  # raises the "procedure not found" error
    schema = schema_of(proc)
    if manual_entry:  # the registry does not know the person: typed particulars, checked, marked, audited
        if channel != "direct" or actor.role not in (Role.RECEIVER, Role.ADMIN):
            raise PermissionDenied()
        resident, on_behalf = None, True
    elif own:
        on_behalf = False
    else:
        resident, on_behalf = _resident_for(session, actor, resident_id)
    result = validate_form(schema, form_data, prefill=prefill_for(resident), today=clock.now().date())
    if result.errors:
        first_key, first = next(iter(result.errors.items()))
        raise DomainError(
            "form_invalid",
            first.vi,
            first.en,
            field=first_key,
            status=422,
            errors={k: {"vi": m.vi, "en": m.en} for k, m in result.errors.items()},
        )
    if manual_entry:
        applicant = _manual_applicant(session, result.clean)
        flags = {**(flags or {}), MANUAL_ENTRY_FLAG: True}
    else:
        applicant = _applicant_for(session, actor, resident, result.clean)
    if actor.role == Role.SUPPORTER:
        consent = session.get(Consent, consent_id) if consent_id else None
        if consent is None or consent.supporter_id != actor.user_id or consent.resident_id != applicant.resident_id:
            raise DomainError(
                "consent_required",
                "Cần ghi nhận sự đồng ý của người dân trước khi nộp thay.",
                "Record the person's consent before filing on their behalf.",
                field="consent",
            )
    attachments = _load_attachments(session, actor, attachment_ids)
    _check_documents(schema, attachments, actor.language)

    now = clock.now()
    fee_q = fee_quote(proc, result.clean, channel)
    _check_fee_evidence(schema, fee_q, attachments, channel)
    fee = fee_q.total
    # Built from the checked values without SQLModel's constructor (db.build_row); the code comes with the write.
    dossier = build_row(
        Dossier,
        {
            "code": None,
            "tracking_token": new_tracking_token(),
            "procedure_id": proc.id,
            "procedure_code": proc.code,
            "applicant_user_id": applicant.user_id,
            "applicant_resident_id": applicant.resident_id,
            "applicant_name": applicant.name,
            "applicant_name_folded": fold(applicant.name),
            "applicant_national_id": applicant.national_id,
            "applicant_phone": applicant.phone,
            "acting_user_id": actor.user_id,
            "on_behalf": on_behalf,
            "consent_id": consent_id,
            "channel": channel,
            "receiving_center_id": center.id,
            "handling_center_id": center.id,
            "status": Status.SUBMITTED,
            "step": "",
            "form_data": dict(result.clean),
            "language": actor.language,
            "submitted_at": now,
            "fee_amount": fee,
            "fee_status": fee_q.fee_status,
            "client_uuid": client_uuid,
            "delivery": delivery,
            "provisional_code": provisional_code,
            "captured_at": captured_at,
            "flags": flags or None,
            "created_at": now,
            "updated_at": now,
            "version": 1,
        },
    )
    # The dashboard's daily-count hooks do not see this Core INSERT. That is right only because a dossier is
    # counted from its reception on (domain.daily_counts.events) and is written here unreceived; its reception
    # is an ORM UPDATE the hooks do see. Keep that true, or count the insert (services.daily_counts.changing).
    assert dossier.received_at is None
    event = partial(
        event_for,
        actor=actor,
        action=Action.SUBMIT,
        from_status=Status.DRAFT,
        data={"attachments": len(attachments), **({MANUAL_ENTRY_FLAG: True} if manual_entry else {})},
        note=MANUAL_ENTRY_NOTE if manual_entry else "",
        to_unit=center.name,
    )
    if (
        own
        and not receive_now
        and acting_user.id == applicant.user_id
        and _write_in_one_statement(session, dossier, event(dossier), acting_user, center, proc, attachments)
    ):
        publish_after_commit(session, dossier, Action.SUBMIT)
        return dossier
    day = now.date()
    dossier.code = (
        allocate_if_current(session, center, proc, day) if own else allocate_dossier_code(session, center.code, day)
    )
    if dossier.code is None:  # the held center or procedure changed in another worker: nothing written
        raise _StaleReference()
    insert_row(session, dossier)  # INSERT … RETURNING id; the object stays persistent for receive_now's update
    for att in attachments:
        att.dossier_id = dossier.id
        session.add(att)
    insert_row(session, event(dossier))
    notify_applicant(session, dossier, "submitted")
    if receive_now:
        _apply(session, actor, dossier, Action.RECEIVE, ActionInput(), expected_version=dossier.version)
    publish_after_commit(session, dossier, Action.RECEIVE if receive_now else Action.SUBMIT)
    return dossier


# --------------------------------------------------------------------------- actions


def _require_text(value: str, field_name: str, vi: str, en: str, max_len: int = 2000) -> str:
    text = (value or "").strip()
    if not text:
        raise DomainError(f"{field_name}_required", vi, en, field=field_name, status=422)
    if len(text) > max_len:
        raise DomainError(
            f"{field_name}_too_long",
            f"Nội dung quá dài (tối đa {max_len} ký tự).",
            f"Too long (at most {max_len} characters).",
            field=field_name,
            status=422,
        )
    return text


def _check_actor_may(session: Session, actor: Actor, dossier: Dossier, action: Action) -> None:
    """Ownership and scope, on top of the role check the lifecycle table does."""
    require_view_dossier(actor, dossier)
    if actor.is_officer:
        center = dossier.receiving_center_id if dossier.status == Status.SUBMITTED else dossier.handling_center_id
        require_center_scope(actor, center)
    if (
        actor.role == Role.SPECIALIST
        and dossier.status == Status.PROCESSING
        and dossier.assignee_id not in (None, actor.user_id)
    ):
        raise PermissionDenied(
            "Hồ sơ này được giao cho chuyên viên khác.",
            "This dossier is assigned to another specialist.",
            code="not_assignee",
        )


def _step_plan(session: Session, dossier: Dossier, cal) -> dict[str, datetime]:
    if dossier.received_at is None or dossier.due_at is None:
        return {}
    proc = session.get(Procedure, dossier.procedure_id)
    steps = [(s["name"], float(s.get("weight", 1))) for s in (proc.steps or [])] if proc and proc.steps else []
    return dict(step_due_times(dossier.received_at, dossier.due_at, steps or list(DEFAULT_STEPS), cal))


@dataclass
class _Step:
    """One action being applied: what the handlers read, and the changes they collect."""

    session: Session
    actor: Actor
    dossier: Dossier
    action: Action
    data: ActionInput
    now: datetime
    cal: WorkingCalendar
    proc: Procedure
    from_status: int
    from_step: str
    changes: dict[str, Any]
    note: str
    event_data: dict[str, Any] = field(default_factory=dict)
    from_unit: str = ""
    to_unit: str = ""


def _on_request_supplement(st: _Step) -> None:
    data, now = st.data, st.now
    items = [i.strip() for i in data.missing_items if i and i.strip()]
    if not items:
        raise DomainError(
            "missing_items_required",
            "Vui lòng liệt kê đầy đủ các giấy tờ cần bổ sung.",
            "Please list everything that is missing.",
            field="missing_items",
            status=422,
        )
    if data.supplement_deadline is None or data.supplement_deadline <= now:
        raise DomainError(
            "supplement_deadline_invalid",
            "Hạn bổ sung phải là một thời điểm trong tương lai.",
            "The supplement deadline must be in the future.",
            field="supplement_deadline",
            status=422,
        )
    st.changes.update(
        supplement_deadline=data.supplement_deadline,
        resume_status=st.from_status,
        resume_step=st.from_step,
        supplement_request={
            "items": items,
            "note": st.note,
            "requested_at": now.isoformat(),
            "deadline": data.supplement_deadline.isoformat(),
            "provided": False,
        },
    )
    st.event_data = {"items": items, "deadline": data.supplement_deadline.isoformat()}


def _on_provide_supplement(st: _Step) -> None:
    attachments = _load_attachments(st.session, st.actor, st.data.attachment_ids)
    if not attachments and not st.note:
        raise DomainError(
            "supplement_empty",
            "Vui lòng tải lên giấy tờ bổ sung hoặc ghi chú.",
            "Please upload the missing documents or add a note.",
            field="documents",
            status=422,
        )
    for att in attachments:
        att.dossier_id, att.kind = st.dossier.id, "supplement"
        st.session.add(att)
    request = dict(st.dossier.supplement_request or {})
    request.update(provided=True, provided_at=st.now.isoformat())
    st.changes["supplement_request"] = request
    st.event_data = {"attachments": [a.id for a in attachments]}


def _on_close_missing_supplement(st: _Step) -> None:
    if st.dossier.supplement_deadline and st.dossier.supplement_deadline > st.now:
        raise DomainError(
            "supplement_deadline_not_passed",
            "Chưa hết hạn bổ sung; chỉ có thể đóng hồ sơ sau hạn này.",
            "The supplement deadline has not passed yet.",
            status=409,
        )


def _on_assign(st: _Step) -> None:
    data, dossier = st.data, st.dossier
    assignee = st.session.get(User, data.assignee_id) if data.assignee_id else None
    if (
        assignee is None
        or assignee.role not in (Role.SPECIALIST, Role.LEADER)
        or assignee.center_id != dossier.handling_center_id
        or not assignee.active
    ):
        raise DomainError(
            "assignee_invalid",
            "Vui lòng chọn chuyên viên xử lý thuộc trung tâm.",
            "Please choose a specialist of this center.",
            field="assignee",
            status=422,
        )
    st.changes["assignee_id"] = assignee.id
    st.from_unit, st.to_unit = st.actor.full_name, assignee.full_name
    st.event_data = {"assignee_id": assignee.id}


def _on_transfer(st: _Step) -> None:
    data, dossier = st.data, st.dossier
    target = st.session.get(Center, data.target_center_id) if data.target_center_id else None
    if target is None or target.id == dossier.handling_center_id:
        raise DomainError(
            "target_invalid",
            "Vui lòng chọn đơn vị nhận chuyển hồ sơ (khác đơn vị hiện tại).",
            "Please choose another unit to transfer to.",
            field="target_center",
            status=422,
        )
    st.from_unit, st.to_unit = _unit_name(st.session, dossier.handling_center_id), target.name
    st.changes.update(handling_center_id=target.id, assignee_id=None)
    st.event_data = {"target_center_id": target.id}


def _on_issue_apology(st: _Step) -> None:
    data, dossier, now = st.data, st.dossier, st.now
    if dossier.apology_issued_at is not None:
        raise DomainError(
            "apology_already_issued",
            "Hồ sơ này đã có thư xin lỗi, hẹn lại ngày trả.",
            "An apology letter was already issued for this dossier.",
            status=409,
        )
    if data.new_due_at is None or data.new_due_at <= now or (dossier.due_at and data.new_due_at <= dossier.due_at):
        raise DomainError(
            "new_due_invalid",
            "Ngày hẹn mới phải sau hạn hiện tại và sau thời điểm này.",
            "The new date must be after the current due date and after now.",
            field="new_due_at",
            status=422,
        )
    if not st.cal.is_working_day(data.new_due_at.date()):
        raise DomainError(
            "new_due_not_working_day",
            "Ngày hẹn mới phải là ngày làm việc.",
            "The new date must be a working day.",
            field="new_due_at",
            status=422,
        )
    st.changes.update(due_at=data.new_due_at, apology_issued_at=now)
    st.event_data = {
        "old_due_at": dossier.due_at.isoformat() if dossier.due_at else None,
        "new_due_at": data.new_due_at.isoformat(),
    }


def _on_request_fee(st: _Step) -> None:
    amount = st.data.amount
    if amount is None or amount <= 0 or amount > 1_000_000_000:
        raise DomainError(
            "amount_invalid", "Số tiền phí không hợp lệ.", "Invalid fee amount.", field="amount", status=422
        )
    st.changes.update(
        fee_amount=int(amount), fee_status="unpaid", resume_status=st.from_status, resume_step=st.from_step
    )
    st.event_data = {"amount": int(amount)}


def _on_record_payment(st: _Step) -> None:
    st.changes["fee_status"] = "paid"


def _on_return_result(st: _Step) -> None:
    if st.data.return_method not in RETURN_METHODS:
        raise DomainError(
            "return_method_invalid",
            "Vui lòng chọn hình thức trả kết quả.",
            "Please choose how the result is returned.",
            field="return_method",
            status=422,
        )
    # one release rule for both sides (domain/release): no result while a fee is unpaid; identity checked in person
    check = return_check(
        st.dossier.fee_status,
        st.dossier.fee_amount,
        st.data.return_method,
        st.data.recipient_id,
        st.dossier.applicant_national_id or "",
        st.data.note,
    )
    if not check.allowed:
        raise DomainError(
            check.code,
            check.vi,
            check.en,
            status=409 if check.code == "fee_unpaid" else 422,
            field=None if check.code == "fee_unpaid" else "recipient_id",
        )
    st.event_data = {"return_method": st.data.return_method}
    if st.data.return_method == "in_person":
        st.event_data["recipient_id"] = "".join(st.data.recipient_id.split())
        st.event_data["identity_checked"] = True


def _on_sign(st: _Step) -> None:
    from onestop.services.results import sign_result  # local import: PDF stack only when signing

    attachment = sign_result(st.session, st.actor, st.dossier, st.proc)
    st.changes["result_attachment_id"] = attachment.id
    st.event_data = {"result_attachment_id": attachment.id, "sha256": attachment.sha256}


#: What each action does beyond its rule's status/step/clock change (actions absent here do nothing more).
_HANDLERS: dict[Action, Callable[[_Step], None]] = {
    Action.REQUEST_SUPPLEMENT: _on_request_supplement,
    Action.PROVIDE_SUPPLEMENT: _on_provide_supplement,
    Action.CLOSE_MISSING_SUPPLEMENT: _on_close_missing_supplement,
    Action.ASSIGN: _on_assign,
    Action.TRANSFER: _on_transfer,
    Action.ISSUE_APOLOGY: _on_issue_apology,
    Action.REQUEST_FEE: _on_request_fee,
    Action.RECORD_PAYMENT: _on_record_payment,
    Action.RETURN_RESULT: _on_return_result,
    Action.SIGN: _on_sign,
}


def _clock_state(dossier: Dossier) -> ClockState | None:
    """The dossier's legal clock for domain/deadlines (None before reception: nothing to pause or resume)."""
    if dossier.due_at is None:
        return None
    return ClockState(dossier.received_at or dossier.due_at, dossier.due_at, dossier.paused_at)


def _resume_mode(mode: str) -> ResumeMode:
    """A procedure's stored mode, narrowed; anything unknown falls back to the legal default (restart)."""
    return "extend" if mode == "extend" else "restart"


def _apply(
    session: Session, actor: Actor, dossier: Dossier, action: Action, data: ActionInput, expected_version: int | None
) -> DossierEvent:
    """Apply one action to a loaded dossier inside the caller's transaction.

    The rule (domain.lifecycle) decides the new status, step and clock effect; the
    action's handler (`_HANDLERS`) checks its inputs and adds its own changes; then
    the clock, the hand-over marks, the version-guarded write and the audit event.
    """
    _check_actor_may(session, actor, dossier, action)
    if expected_version is not None and dossier.version != expected_version:
        raise ConcurrentChange()
    outcome = lc.decide(dossier.status, dossier.step, action, actor.role, dossier.resume_status, dossier.resume_step)
    rule = outcome.rule
    now = clock.now()
    cal = load_calendar(session)
    proc = session.get(Procedure, dossier.procedure_id)
    assert proc is not None
    from_status, from_step = dossier.status, dossier.step
    changes: dict[str, Any] = {"status": int(outcome.to_status), "step": outcome.to_step.value, "updated_at": now}
    note = data.note.strip()

    # --- inputs every action of this rule needs, then the action's own handler
    if "reason" in rule.needs:
        note = _require_text(data.reason, "reason", "Vui lòng nêu rõ lý do.", "Please give the reason.")
    if "opinion" in rule.needs:
        note = _require_text(
            data.opinion, "opinion", "Vui lòng nhập ý kiến thẩm định.", "Please enter the appraisal opinion."
        )
    st = _Step(session, actor, dossier, action, data, now, cal, proc, from_status, from_step, changes, note)
    handler = _HANDLERS.get(action)
    if handler is not None:
        handler(st)
    event_data, from_unit, to_unit = st.event_data, st.from_unit, st.to_unit

    # --- the clock
    step_due_at: datetime | None = None
    outcome_mark = ""
    if rule.clock == Clock.START:
        changes["received_at"] = now
        changes["due_at"] = compute_due(now, duration_for(proc, dossier.channel), cal, same_day_cutoff())
    elif rule.clock == Clock.PAUSE:
        pauses = action == Action.REQUEST_SUPPLEMENT or get_settings().fee_wait_pauses_clock
        if pauses and lc.clock_runs(from_status):
            state = _clock_state(dossier)
            changes["paused_at"] = deadlines.pause(state, now).paused_at if state is not None else now
    elif rule.clock == Clock.RESUME:
        state = _clock_state(dossier)
        if state is not None and state.paused:
            # the domain owns the arithmetic (restart = the whole duration again, extend = + the paused time);
            # a fee wait always extends: the applicant's payment delay is not the office's time
            mode = proc.supplement_resume_mode if action == Action.CONFIRM_SUPPLEMENT else "extend"
            resumed = deadlines.resume(
                state,
                max(now, state.paused_at or now),
                duration_for(proc, dossier.channel),
                cal,
                _resume_mode(mode),
                same_day_cutoff(),
            )
            changes["due_at"] = resumed.due_at
            event_data["old_due_at"] = state.due_at.isoformat()
        changes.update(paused_at=None, resume_status=None, resume_step=None)
        if action == Action.CONFIRM_SUPPLEMENT:
            changes["supplement_deadline"] = None
    elif rule.clock == Clock.STOP:
        changes["finished_at"] = now
        if action == Action.WITHDRAW or dossier.due_at is None:
            changes["on_time"] = True
        else:
            changes["on_time"] = now <= dossier.due_at
        changes["paused_at"] = None

    # --- per-step due times and the hand-over outcome
    if action in lc.HANDOVERS:
        ended, started = lc.HANDOVERS[action]
        probe = Dossier(**{**dossier.model_dump(), **changes})
        plan = _step_plan(session, probe, cal)
        if ended and ended in plan:
            outcome_mark = timeliness(now, plan[ended])
        if action == Action.ISSUE_RESULT and dossier.due_at:
            outcome_mark = timeliness(now, dossier.due_at)
        step_due_at = plan.get(started) if started else None
        if not from_unit:
            from_unit = actor.full_name
        if not to_unit:
            to_unit = _unit_name(session, changes.get("handling_center_id", dossier.handling_center_id))
    if "due_at" in changes and changes["due_at"] is not None:
        event_data["due_at"] = changes["due_at"].isoformat()

    # --- write, guarded by the version
    expected = dossier.version
    stmt = (
        sa.update(Dossier)
        .where(Dossier.id == dossier.id, Dossier.version == expected)
        .values(**changes, version=expected + 1)
    )
    if session.execute(stmt).rowcount != 1:
        raise ConcurrentChange()
    session.refresh(dossier)
    event = append_event(
        session,
        dossier,
        actor,
        action,
        from_status=from_status,
        from_step=from_step,
        note=note,
        data=event_data,
        step_due_at=step_due_at,
        outcome=outcome_mark,
        from_unit=from_unit,
        to_unit=to_unit,
        at=now,
    )
    notify_applicant(session, dossier, action.value, event=event)
    return event


def perform(
    session: Session,
    actor: Actor,
    dossier_id: int,
    action: str | Action,
    *,
    expected_version: int | None,
    data: ActionInput | None = None,
) -> Dossier:
    """Take one lifecycle action on a dossier inside the caller's transaction. Returns the dossier.

    `expected_version` is the version the person saw; None only for the system/seed.
    The caller commits (`with transaction() as s:`); the live update goes out after that.
    """
    act = Action(action)
    dossier = find_dossier(session, dossier_id=dossier_id)
    require_view_dossier(actor, dossier)
    assert dossier is not None
    handled_by = dossier.handling_center_id
    _apply(session, actor, dossier, act, data or ActionInput(), expected_version)
    publish_after_commit(session, dossier, act.value, left_center=handled_by)
    return dossier


def events_of(session: Session, actor: Actor, dossier_id: int) -> list[DossierEvent]:
    get_dossier(session, actor, dossier_id=dossier_id)
    return list(
        session.exec(
            select(DossierEvent).where(DossierEvent.dossier_id == dossier_id).order_by(DossierEvent.at, DossierEvent.id)
        )
    )


def available_actions(actor: Actor, dossier: Dossier) -> list[Action]:
    """What this actor may do now (the dossier page shows exactly these)."""
    try:
        require_view_dossier(actor, dossier)
        if actor.is_officer:
            center = dossier.receiving_center_id if dossier.status == Status.SUBMITTED else dossier.handling_center_id
            require_center_scope(actor, center)
    except DomainError:
        return []
    actions = lc.available_actions(dossier.status, dossier.step, actor.role)
    if actor.role == Role.SPECIALIST and dossier.assignee_id not in (None, actor.user_id):
        actions = []
    if dossier.apology_issued_at is not None and Action.ISSUE_APOLOGY in actions:
        actions.remove(Action.ISSUE_APOLOGY)
    return actions


__all__ = [
    "ActionInput",
    "Applicant",
    "CHANNELS",
    "Step",
    "available_actions",
    "current_procedure",
    "events_of",
    "file_dossier",
    "find_dossier",
    "get_dossier",
    "perform",
]
