"""What the citizen portal shows and does: procedure pages, the apply flow, tracking, payment.

Why a service module of its own: the Reflex pages must stay thin (prerendered
HTML carries nothing private, states only hold what this module returns), and
the same answers serve the JSON API. Every function takes a Session and, where
the data is private, the acting person; permission checks go through the same
`get_dossier`/`require_view_dossier` as every other use case. Rows are plain
dataclasses with both languages side by side, so switching language in the
browser needs no round trip.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from sqlmodel import Session, select

from onestop import clock
from onestop.adapters.population import ResidentRecord, registry
from onestop.documents import pdf
from onestop.documents.data import DocumentLine
from onestop.domain.deadlines import compute_due
from onestop.domain.errors import DomainError
from onestop.domain.forms import (
    SNIFFABLE_TYPES,
    DocumentSpec,
    FieldSpec,
    Message,
    form_input,
    validate_field,
    validate_form,
)
from onestop.domain.lifecycle import RATEABLE, SLIP_EVENTS, Status, is_terminal, status_label
from onestop.domain.release import result_release
from onestop.i18n import t
from onestop.models import (
    Attachment,
    Center,
    Dossier,
    DossierEvent,
    Payment,
    Procedure,
    ProcedureField,
    Rating,
    User,
)
from onestop.read import timeline as tracking
from onestop.read.format import fee_texts, fmt_day, fmt_moment, fmt_size
from onestop.read.schemas import schema_by_id, schema_of
from onestop.services import payments, uploads
from onestop.services.actor import Actor
from onestop.services.calendar import load_calendar, same_day_cutoff
from onestop.services.dossiers import (
    current_procedure,
    duration_for,
    fee_for,
    fee_quote,
    fee_schedule_of,
    file_dossier,
    get_dossier,
    prefill_for,
)
from onestop.services.permissions import can_view_dossier, require_role
from onestop.services.results import issued_slip_kinds, letterhead_for, render_document, summary_for
from onestop.settings import get_settings

#: The field every schema ends with ("I declare the above is true"): asked on the review step.
DECLARATION = "declaration"
#: Slips a citizen may download, in the order the tracking page lists them.
SLIP_KINDS = ("submission", "receipt", "supplement", "apology", "refusal", "stop", "fee_receipt")
#: Relative cut-off for ranked search hits: weaker matches than this share of the best are noise.


def _bad(code: str, vi: str, en: str, status: int = 422, field_name: str | None = None) -> DomainError:
    return DomainError(code, vi, en, field=field_name, status=status)


# --------------------------------------------------------------------------- procedure page


@dataclass
class DocumentInfo:
    """One document of a procedure, as the procedure page and the apply flow show it."""

    code: str = ""
    name_vi: str = ""
    name_en: str = ""
    note_vi: str = ""
    note_en: str = ""
    required: bool = True
    state_held: bool = False
    reusable: bool = False
    copies: int = 1
    types: str = ""  # "PDF, JPEG, PNG"
    accept: str = ""  # for the file input: "application/pdf,image/jpeg,…"
    max_mb: int = 10
    images_only: bool = False


@dataclass
class CenterInfo:
    id: str = ""
    name: str = ""
    address: str = ""
    phone: str = ""


@dataclass
class ProcedureDetail:
    code: str = ""
    name_vi: str = ""
    name_en: str = ""
    field_vi: str = ""
    field_en: str = ""
    description_vi: str = ""
    description_en: str = ""
    who_vi: str = ""
    who_en: str = ""
    level: str = ""
    boundary_free: bool = True
    online: bool = True
    duration_vi: str = ""
    duration_en: str = ""
    duration_online_vi: str = ""
    duration_online_en: str = ""
    fee_text: str = ""
    fee_counter_vi: str = ""
    fee_counter_en: str = ""
    fee_online_vi: str = ""
    fee_online_en: str = ""
    online_cheaper: bool = False
    legal_basis: str = ""
    result_vi: str = ""
    documents: list[DocumentInfo] = field(default_factory=list)
    held: list[DocumentInfo] = field(default_factory=list)
    centers: list[CenterInfo] = field(default_factory=list)


def _document_info(spec: DocumentSpec) -> DocumentInfo:
    return DocumentInfo(
        code=spec.code,
        name_vi=spec.name_vi,
        name_en=spec.name_en,
        note_vi=spec.note_vi,
        note_en=spec.note_en,
        required=spec.required,
        state_held=spec.state_held,
        reusable=bool(spec.wallet_kinds),
        copies=spec.copies,
        types=", ".join(SNIFFABLE_TYPES[m] for m in spec.accepted_types),
        accept=",".join(spec.accepted_types),
        max_mb=int(min(spec.max_size_mb, get_settings().max_upload_mb)),
        images_only=all(m.startswith("image/") for m in spec.accepted_types),
    )


def centers_for(session: Session, proc: Procedure) -> list[CenterInfo]:
    """Where the procedure can be filed: any active center when it is boundary-free, else its level's."""
    rows = session.exec(select(Center).where(Center.active.is_(True)).order_by(Center.id)).all()
    if not proc.boundary_free:
        rows = [c for c in rows if (c.level == "province") == (proc.level == "province")] or list(rows)
    return [CenterInfo(str(c.id), c.name, c.address, c.phone) for c in rows]


def procedure_detail(session: Session, code: str) -> ProcedureDetail:
    """Everything a person needs before filing, public (no login)."""
    proc = current_procedure(session, (code or "").strip()[:30])
    pfield = session.get(ProcedureField, proc.field_id)
    schema = schema_of(proc)
    counter, online = duration_for(proc, "direct"), duration_for(proc, "online")
    fee_counter, fee_online = fee_for(proc, "direct"), fee_for(proc, "online")
    fc_vi, fc_en = fee_texts(fee_counter)
    fo_vi, fo_en = fee_texts(fee_online)
    schedule = fee_schedule_of(proc)
    if schedule.basis != "per_dossier":  # per copy / per page: the rule, not the one-page amount
        fo_vi, fo_en = schedule.summary("vi"), schedule.summary("en")
    docs = [_document_info(d) for d in schema.documents]
    return ProcedureDetail(
        code=proc.code,
        name_vi=proc.name_vi,
        name_en=proc.name_en,
        field_vi=pfield.name_vi if pfield else "",
        field_en=pfield.name_en if pfield else "",
        description_vi=proc.description_vi,
        description_en=proc.description_en or proc.description_vi,
        who_vi=proc.who_vi,
        who_en=proc.who_en or proc.who_vi,
        level=proc.level,
        boundary_free=proc.boundary_free,
        online=proc.online_level == "full",
        duration_vi=counter.label("vi"),
        duration_en=counter.label("en"),
        duration_online_vi=online.label("vi"),
        duration_online_en=online.label("en"),
        fee_text=proc.fee_text,
        fee_counter_vi=fc_vi,
        fee_counter_en=fc_en,
        fee_online_vi=fo_vi,
        fee_online_en=fo_en,
        online_cheaper=fee_online < fee_counter,
        legal_basis=proc.legal_basis,
        result_vi=proc.result_name_vi,
        documents=[d for d in docs if not d.state_held],
        held=[d for d in docs if d.state_held],
        centers=centers_for(session, proc),
    )


@dataclass
class SearchHit:
    code: str = ""
    name_vi: str = ""
    name_en: str = ""
    field_vi: str = ""
    field_en: str = ""
    fee_vi: str = ""
    fee_en: str = ""
    duration_vi: str = ""
    duration_en: str = ""
    score: float = 0.0


def search(session: Session, query: str, limit: int = 20) -> list[SearchHit]:
    """Ranked, accent-insensitive, typo-tolerant search; weak tail matches are dropped."""
    from onestop.domain.deadlines import Duration
    from onestop.read.search import search_procedures

    limit = max(1, min(int(limit), 50))
    hits = search_procedures(session, query, limit=limit)
    out = []
    for h in hits:
        duration = Duration.from_dict(h.duration or {"value": 0, "unit": "same_day"})
        fee_vi, fee_en = fee_texts(h.fee_amount)
        out.append(
            SearchHit(
                h.code,
                h.name_vi,
                h.name_en,
                h.field_vi,
                h.field_en,
                fee_vi,
                fee_en,
                duration.label("vi"),
                duration.label("en"),
                round(h.score, 3),
            )
        )
    return out


# --------------------------------------------------------------------------- the apply flow


@dataclass
class OptionInfo:
    value: str = ""
    label_vi: str = ""
    label_en: str = ""


@dataclass
class FieldInfo:
    """One form field as the phone form renders it."""

    name: str = ""
    type: str = "text"
    label_vi: str = ""
    label_en: str = ""
    help_vi: str = ""
    help_en: str = ""
    required: bool = False
    section: str = "applicant"
    options: list[OptionInfo] = field(default_factory=list)
    autofilled: bool = False  # value came from the population registry
    locked: bool = False  # the registry is authoritative: shown, not editable
    input_type: str = "text"  # text | date | tel | email
    input_mode: str = "text"  # keyboard hint: text | numeric | tel | email
    max_length: int = 0
    autocomplete: str = "off"


@dataclass
class WalletItem:
    id: int = 0
    filename: str = ""
    kind_vi: str = ""
    kind_en: str = ""
    created: str = ""
    size: str = ""


@dataclass
class ApplyDocument(DocumentInfo):
    wallet: list[WalletItem] = field(default_factory=list)


@dataclass
class ApplyContext:
    procedure_id: int = 0
    code: str = ""
    name_vi: str = ""
    name_en: str = ""
    fee_vi: str = ""
    fee_en: str = ""
    duration_vi: str = ""
    duration_en: str = ""
    fields: list[FieldInfo] = field(default_factory=list)
    documents: list[ApplyDocument] = field(default_factory=list)
    held: list[DocumentInfo] = field(default_factory=list)
    centers: list[CenterInfo] = field(default_factory=list)
    default_center: str = ""
    values: dict[str, str] = field(default_factory=dict)
    registry_found: bool = False
    fee_schedule_json: str = ""  # the version's fee schedule (domain/fees): the review computes the amount live
    fee_text: str = ""


_INPUT = {
    "date": ("date", "text"),
    "phone": ("tel", "tel"),
    "email": ("email", "email"),
    "number": ("text", "decimal"),
    "national_id": ("text", "numeric"),
}
_AUTOCOMPLETE = {
    "resident.full_name": "name",
    "resident.phone": "tel",
    "resident.address": "street-address",
    "resident.email": "email",
    "resident.date_of_birth": "bday",
}


def _field_info(spec: FieldSpec, prefill: Mapping[str, object]) -> FieldInfo:
    input_type, mode = _INPUT.get(spec.type, ("text", "text"))
    autofilled = spec.autofill is not None and spec.autofill in prefill and prefill[spec.autofill] not in (None, "")
    return FieldInfo(
        name=spec.name,
        type=spec.type,
        label_vi=spec.label_vi,
        label_en=spec.label_en,
        help_vi=spec.help_vi,
        help_en=spec.help_en,
        required=spec.required,
        section=spec.section,
        options=[OptionInfo(o.value, o.label_vi, o.label_en) for o in spec.options],
        autofilled=autofilled,
        locked=autofilled and spec.registry_authoritative,
        input_type=input_type,
        input_mode=mode,
        max_length=spec.effective_max_length() or 0,
        autocomplete=_AUTOCOMPLETE.get(spec.autofill or "", "off"),
    )


def _resident_of(session: Session, actor: Actor) -> ResidentRecord | None:
    user = session.get(User, actor.user_id) if actor.user_id else None
    if user is None or not user.national_id:
        return None
    return registry(session).by_national_id(user.national_id)


def _wallet_items(session: Session, actor: Actor, spec: DocumentSpec) -> list[WalletItem]:
    """Earlier results and earlier uploads of the same document (one entry per distinct file)."""
    seen: set[str] = set()
    items = []
    for att in uploads.wallet(session, actor, [*spec.wallet_kinds, spec.code]):
        if att.dossier_id is None or att.sha256 in seen or att.mime not in spec.accepted_types:
            continue
        seen.add(att.sha256)
        result = att.kind == "result"
        items.append(
            WalletItem(
                id=att.id or 0,
                filename=att.filename,
                kind_vi=t("wallet.kind_result", "vi") if result else t("wallet.kind_upload", "vi"),
                kind_en=t("wallet.kind_result", "en") if result else t("wallet.kind_upload", "en"),
                created=fmt_day(att.created_at),
                size=fmt_size(att.size),
            )
        )
        if len(items) >= 5:
            break
    return items


def _default_center(resident: ResidentRecord | None, centers: list[CenterInfo]) -> str:
    """The center of the person's own commune when there is one (the nearest, usually), else the first."""
    commune = (resident.commune if resident else "").strip().lower()
    for c in centers:
        if commune and c.name.lower().endswith(commune):
            return c.id
    return centers[0].id if centers else ""


def apply_context(session: Session, actor: Actor, code: str) -> ApplyContext:
    """The form to render for this person: fields with registry values filled in, documents with wallet items."""
    require_role(actor, ["citizen"])
    proc = current_procedure(session, (code or "").strip()[:30])
    if proc.online_level != "full":
        raise _bad(
            "not_online",
            "Thủ tục này chưa nhận hồ sơ trực tuyến. Vui lòng nộp tại Trung tâm.",
            "This procedure cannot be filed online yet. Please file it at a center.",
            status=409,
        )
    schema = schema_of(proc)
    resident = _resident_of(session, actor)
    prefill = prefill_for(resident)
    values: dict[str, str] = {}
    for spec in schema.fields:
        raw = prefill.get(spec.autofill) if spec.autofill else None
        values[spec.name] = "" if raw is None else str(raw)
    centers = centers_for(session, proc)
    duration = duration_for(proc, "online")
    fee_vi, fee_en = fee_texts(fee_for(proc, "online"))
    docs = []
    for doc in schema.documents:
        if doc.state_held:
            continue
        base = _document_info(doc)
        docs.append(ApplyDocument(**base.__dict__, wallet=_wallet_items(session, actor, doc)))
    return ApplyContext(
        procedure_id=proc.id or 0,
        code=proc.code,
        name_vi=proc.name_vi,
        name_en=proc.name_en,
        fee_vi=fee_vi,
        fee_en=fee_en,
        duration_vi=duration.label("vi"),
        duration_en=duration.label("en"),
        fields=[_field_info(f, prefill) for f in schema.fields],
        documents=docs,
        held=[_document_info(d) for d in schema.documents if d.state_held],
        centers=centers,
        default_center=_default_center(resident, centers),
        values=values,
        registry_found=resident is not None,
        fee_schedule_json=json.dumps(fee_schedule_of(proc).to_dict()),
        fee_text=proc.fee_text,
    )


def field_message(session: Session, procedure_id: int, name: str, raw: str) -> Message | None:
    """Per-keystroke check of one field (the same validator the server judges with)."""
    spec = schema_by_id(session, procedure_id).field(name)
    if spec is None:
        return None
    if spec.type == "checkbox":
        raw = "true" if raw in ("true", True) else "false"
    _, msg = validate_field(spec, raw, today=clock.now().date())
    return msg


def check_fields(
    session: Session, actor: Actor, procedure_id: int, values: Mapping[str, Any], names: list[str]
) -> dict[str, Message]:
    """Server-side judgement of one step: the whole-form validator (with registry values and the
    cross-checks between ID number, birth date and gender), reported for this step's fields only."""
    schema = schema_by_id(session, procedure_id)
    result = validate_form(
        schema, form_input(schema, values), prefill=prefill_for(_resident_of(session, actor)), today=clock.now().date()
    )
    return {k: m for k, m in result.errors.items() if k in names}


@dataclass
class PendingFile:
    """An uploaded file waiting to be filed with a dossier (the draft keeps only its id)."""

    id: int = 0
    document_code: str = ""
    filename: str = ""
    size: str = ""
    reused: bool = False


def _pending(att: Attachment) -> PendingFile:
    return PendingFile(att.id or 0, att.document_code, att.filename, fmt_size(att.size), att.reused_from_id is not None)


def upload_document(
    session: Session, actor: Actor, procedure_code: str, document_code: str, filename: str, data: bytes
) -> PendingFile:
    """Store one file for the draft (size, name and real type checked by `uploads.store_upload`)."""
    require_role(actor, ["citizen"])
    return _pending(
        uploads.store_upload(
            session, actor, procedure_code=procedure_code, document_code=document_code, filename=filename, data=data
        )
    )


def reuse_document(
    session: Session, actor: Actor, procedure_code: str, document_code: str, wallet_id: int
) -> PendingFile:
    """Use a file from the person's wallet for this document (a new row, the same stored bytes)."""
    require_role(actor, ["citizen"])
    spec = uploads.document_spec(session, procedure_code, document_code)
    src = session.get(Attachment, wallet_id)
    if src is not None and src.mime not in spec.accepted_types:
        raise _bad("wallet_type", "Giấy tờ này không đúng loại tệp cần nộp.", "This file is not of an accepted type.")
    return _pending(uploads.reuse_from_wallet(session, actor, wallet_id, document_code))


def pending_files(session: Session, actor: Actor, ids: list[int]) -> list[PendingFile]:
    """The draft's files that still belong to this person and are not filed yet (others are dropped)."""
    clean = [int(i) for i in ids if str(i).isdigit()][:50]
    if not clean or actor.user_id is None:
        return []
    rows = session.exec(
        select(Attachment).where(
            Attachment.id.in_(clean), Attachment.owner_user_id == actor.user_id, Attachment.dossier_id.is_(None)
        )
    ).all()
    return [_pending(a) for a in rows]


def discard_pending(session: Session, actor: Actor, attachment_id: int) -> None:
    """Remove a not-yet-filed upload from the draft (the person chose another file)."""
    att = session.get(Attachment, attachment_id)
    if att is None or att.owner_user_id != actor.user_id or att.dossier_id is not None:
        return
    session.delete(att)
    session.flush()


def submit_application(
    session: Session,
    actor: Actor,
    procedure_code: str,
    values: Mapping[str, Any],
    center_id: str,
    attachment_ids: list[int],
    delivery: str = "download",
) -> Dossier:
    """File the dossier online (status 1) through the one filing use case every channel uses."""
    require_role(actor, ["citizen"])
    proc = current_procedure(session, procedure_code)
    schema = schema_of(proc)
    if not str(center_id).isdigit():
        raise _bad(
            "center_required", "Vui lòng chọn nơi nộp hồ sơ.", "Please choose where to file.", field_name="center"
        )
    allowed = {c.id for c in centers_for(session, proc)}
    if str(center_id) not in allowed:
        raise _bad(
            "center_not_allowed",
            "Nơi nộp hồ sơ không hợp lệ cho thủ tục này.",
            "This center does not accept this procedure.",
            field_name="center",
        )
    return file_dossier(
        session,
        actor,
        procedure_code=proc.code,
        form_data=form_input(schema, values),
        channel="online",
        center_id=int(center_id),
        attachment_ids=list(attachment_ids),
        delivery=delivery,
    )


# --------------------------------------------------------------------------- a dossier, for its applicant


@dataclass
class TimelineRow:
    at: str = ""
    text_vi: str = ""
    text_en: str = ""
    note: str = ""
    action: str = ""


@dataclass
class SlipLink:
    kind: str = ""
    label_vi: str = ""
    label_en: str = ""
    url: str = ""


@dataclass
class DossierView:
    """One dossier as its applicant sees it (tracking, confirmation, payment, supplement, rating)."""

    id: int = 0
    code: str = ""
    procedure_code: str = ""
    procedure_vi: str = ""
    procedure_en: str = ""
    applicant: str = ""
    status: int = 0
    status_vi: str = ""
    status_en: str = ""
    center: str = ""
    center_address: str = ""
    submitted: str = ""
    received: str = ""
    due: str = ""
    expected_due: str = ""  # before reception: when it would be due if received now
    fee_amount: int = 0
    fee_vi: str = ""
    fee_en: str = ""
    fee_status: str = "none"  # none | unpaid | paid | exempt
    fee_text: str = ""
    fee_lines_vi: list[str] = field(default_factory=list)  # how the amount was computed (domain/fees)
    fee_lines_en: list[str] = field(default_factory=list)
    can_pay: bool = False
    supplement_open: bool = False
    supplement_items: list[str] = field(default_factory=list)
    supplement_deadline: str = ""
    supplement_note: str = ""
    supplement_sent: bool = False
    result_ready: bool = False  # the download link is shown (domain/release: exists and no fee outstanding)
    result_locked: bool = False  # a result exists but an unpaid fee holds it back
    result_vi: str = ""
    can_rate: bool = False
    rated: bool = False
    finished: bool = False
    slips: list[SlipLink] = field(default_factory=list)
    timeline: list[TimelineRow] = field(default_factory=list)
    version: int = 0
    owner: bool = False  # signed-in applicant (downloads, payment, supplement, rating)


def expected_due(session: Session, dossier: Dossier, now: datetime | None = None) -> datetime:
    """When the result would be due if the center received the dossier now (shown as "expected")."""
    proc = session.get(Procedure, dossier.procedure_id)
    assert proc is not None
    return compute_due(
        now or clock.now(), duration_for(proc, dossier.channel), load_calendar(session), same_day_cutoff()
    )


def _slips(session: Session, dossier: Dossier) -> list[SlipLink]:
    actions = set(session.exec(select(DossierEvent.action).where(DossierEvent.dossier_id == dossier.id)).all())
    issued = set(issued_slip_kinds(actions))
    out = []
    for kind in SLIP_KINDS:
        if kind == "submission" and dossier.channel != "online":
            continue
        if kind != "submission" and kind not in issued:
            continue
        out.append(
            SlipLink(
                kind,
                t(f"slip.{kind}", "vi"),
                t(f"slip.{kind}", "en"),
                f"/api/v1/dossiers/{dossier.code}/slips/{kind}.pdf",
            )
        )
    return out


def _is_owner(actor: Actor | None, dossier: Dossier) -> bool:
    return (
        actor is not None
        and actor.role == "citizen"
        and actor.user_id is not None
        and actor.user_id in (dossier.applicant_user_id, dossier.acting_user_id)
    )


def _fee_lines(proc: Procedure | None, dossier: Dossier) -> tuple[list[str], list[str]]:
    """The schedule's computation, when it is what the dossier owes (an officer may have set another amount)."""
    if proc is None or dossier.fee_amount <= 0:
        return [], []
    try:
        q = fee_quote(proc, dossier.form_data, dossier.channel)
    except DomainError:
        return [], []
    if q.total != dossier.fee_amount:
        return [], []
    return q.breakdown("vi")[:-1], q.breakdown("en")[:-1]


def dossier_view(session: Session, actor: Actor | None, dossier: Dossier) -> DossierView:
    """Shape a dossier the caller was already allowed to open (owner, or tracking token / code + phone)."""
    proc = session.get(Procedure, dossier.procedure_id)
    center = session.get(Center, dossier.receiving_center_id)
    owner = _is_owner(actor, dossier)
    now = clock.now()
    fee_vi, fee_en = fee_texts(dossier.fee_amount)
    fee_lines = _fee_lines(proc, dossier)
    request = dossier.supplement_request or {}
    supplement_open = dossier.status == Status.SUPPLEMENT
    rated = session.exec(select(Rating.id).where(Rating.dossier_id == dossier.id)).first() is not None
    vi, en = tracking.timeline(session, dossier, "vi"), tracking.timeline(session, dossier, "en")
    rows = [TimelineRow(fmt_moment(a.at), a.text, b.text, a.note, a.action) for a, b in zip(vi, en, strict=True)]
    return DossierView(
        id=dossier.id or 0,
        code=dossier.code or "",
        procedure_code=dossier.procedure_code,
        procedure_vi=proc.name_vi if proc else "",
        procedure_en=proc.name_en if proc else "",
        applicant=dossier.applicant_name,
        status=dossier.status,
        status_vi=status_label(dossier.status, "vi"),
        status_en=status_label(dossier.status, "en"),
        center=center.name if center else "",
        center_address=center.address if center else "",
        submitted=fmt_moment(dossier.submitted_at),
        received=fmt_moment(dossier.received_at),
        due=fmt_moment(dossier.due_at),
        expected_due=fmt_moment(expected_due(session, dossier, now)) if dossier.status == Status.SUBMITTED else "",
        fee_amount=dossier.fee_amount,
        fee_vi=fee_vi,
        fee_en=fee_en,
        fee_status=dossier.fee_status,
        fee_text=proc.fee_text if proc else "",
        fee_lines_vi=fee_lines[0],
        fee_lines_en=fee_lines[1],
        can_pay=owner and dossier.fee_status == "unpaid" and dossier.fee_amount > 0 and not is_terminal(dossier.status),
        supplement_open=supplement_open,
        supplement_items=[str(i) for i in request.get("items", [])],
        supplement_deadline=fmt_moment(dossier.supplement_deadline) if supplement_open else "",
        supplement_note=str(request.get("note") or ""),
        supplement_sent=bool(request.get("provided")),
        result_ready=owner
        and result_release(
            dossier.status, dossier.result_attachment_id is not None, dossier.fee_status, dossier.fee_amount
        ).allowed,
        result_locked=owner
        and result_release(
            dossier.status, dossier.result_attachment_id is not None, dossier.fee_status, dossier.fee_amount
        ).code
        == "fee_unpaid",
        result_vi=(proc.result_name_vi if proc else "") or t("result.default", "vi"),
        can_rate=owner and dossier.status in RATEABLE and not rated,
        rated=rated,
        finished=is_terminal(dossier.status),
        slips=_slips(session, dossier) if owner else [],
        timeline=list(reversed(rows)),
        version=dossier.version,
        owner=owner,
    )


def open_for_owner(session: Session, actor: Actor, code: str) -> Dossier:
    """The dossier by code for a signed-in person allowed to see it; the same 'not found' otherwise."""
    return get_dossier(session, actor, code=(code or "").strip()[:40])


def open_by_token(session: Session, code: str, token: str) -> Dossier:
    """The QR on every slip carries the dossier's unguessable tracking token."""
    return tracking.find_by_token(session, (code or "")[:40], (token or "")[:80])


def open_by_phone(session: Session, code: str, phone: str, client_key: str) -> Dossier:
    """Code + the applicant's phone number, rate-limited per client (see read.timeline)."""
    return tracking.find_by_code_and_phone(session, (code or "")[:40], (phone or "")[:30], client_key or "?")


def dossier_version(session: Session, dossier_id: int) -> int:
    """A cheap change probe for open pages (one primary-key read)."""
    row = session.exec(select(Dossier.version).where(Dossier.id == dossier_id)).first()
    return int(row or 0)


def my_dossier(session: Session, actor: Actor, code: str) -> Dossier:
    """For the pages only the applicant may use (pay, supplement, rate, downloads)."""
    dossier = open_for_owner(session, actor, code)
    if not _is_owner(actor, dossier):
        raise _bad(
            "dossier_not_found",
            "Không tìm thấy hồ sơ, hoặc bạn không có quyền xem hồ sơ này.",
            "Dossier not found, or you are not allowed to see it.",
            status=404,
        )
    return dossier


def tracking_url(dossier: Dossier) -> str:
    return f"/dossiers/{dossier.code}?t={dossier.tracking_token}"


# --------------------------------------------------------------------------- documents


def submission_receipt(session: Session, actor: Actor, dossier: Dossier) -> tuple[str, bytes]:
    """The online-submission acknowledgement with QR: what was sent, when, and the expected due date.

    Why not the reception slip: an online dossier is received (and its legal clock
    started) only when an officer checks it; until then the person still needs a
    paper proving what they sent and how to follow it.
    """
    if not can_view_dossier(actor, dossier) or dossier.channel != "online":
        raise _bad(
            "document_not_issued", "Hồ sơ chưa có văn bản này.", "This document has not been issued.", status=404
        )
    head, summary = letterhead_for(session, dossier.receiving_center_id), summary_for(session, dossier)
    proc = session.get(Procedure, dossier.procedure_id)
    files = session.exec(
        select(Attachment)
        .where(Attachment.dossier_id == dossier.id, Attachment.kind == "input")
        .order_by(Attachment.id)
    ).all()
    schema = schema_of(proc)
    names = {d.code: d.name_vi for d in schema.documents}
    lines = [
        DocumentLine(
            names.get(a.document_code, a.document_code), 1, "Lấy từ kho giấy tờ" if a.reused_from_id else "Bản điện tử"
        )
        for a in files
    ]
    lines += [DocumentLine(d.name_vi, 1, "Đã có trong CSDL, không phải nộp") for d in schema.documents if d.state_held]
    when = dossier.submitted_at or clock.now()
    sheet = pdf.start_sheet(head, summary, "GIẤY XÁC NHẬN ĐÃ NỘP HỒ SƠ TRỰC TUYẾN", f"{dossier.code}/NTT", when)
    sheet.dossier_fields()
    sheet.field("Hình thức nộp", "Trực tuyến")
    sheet.field("Thời gian nộp", pdf.format_datetime(dossier.submitted_at))
    sheet.space(1)
    sheet.below_qr()
    sheet.paragraph("1. Giấy tờ đã gửi:", bold=True)
    sheet.documents_table(lines, "(Không có giấy tờ kèm theo.)")
    sheet.paragraph("2. Thời hạn:", bold=True)
    if dossier.due_at is not None:
        sheet.field("Thời gian hẹn trả kết quả", pdf.format_datetime(dossier.due_at), bold=True)
    else:
        sheet.field("Hạn trả kết quả dự kiến", pdf.format_datetime(expected_due(session, dossier)), bold=True)
        sheet.paragraph(
            "Hạn chính thức được tính từ khi cán bộ tiếp nhận hồ sơ và sẽ được thông báo cho Ông/Bà.", size=10
        )
    item = 3
    if proc and proc.fee_text:
        sheet.paragraph(f"{item}. Phí, lệ phí (nộp trực tuyến: {fee_texts(dossier.fee_amount)[0]}):", bold=True)
        sheet.paragraph(proc.fee_text)
        item += 1
    sheet.paragraph(f"{item}. Theo dõi hồ sơ:", bold=True)
    sheet.paragraph(pdf.tracking_sentence(summary), align="L")
    return f"{dossier.code}-xac-nhan-nop.pdf", sheet.render()


def slip(session: Session, actor: Actor, code: str, kind: str) -> tuple[str, bytes]:
    """(file name, PDF) of one slip of a dossier the person may see."""
    dossier = open_for_owner(session, actor, code)
    if kind == "submission":
        return submission_receipt(session, actor, dossier)
    if kind not in SLIP_EVENTS:
        raise _bad("unknown_document", "Loại văn bản không hợp lệ.", "Unknown document kind.", status=404)
    return render_document(session, actor, dossier, kind)


def result_file(session: Session, actor: Actor, code: str) -> tuple[Attachment, bytes]:
    """The signed electronic result, for the applicant once it is issued."""
    dossier = my_dossier(session, actor, code)
    release = result_release(
        dossier.status, dossier.result_attachment_id is not None, dossier.fee_status, dossier.fee_amount
    )
    if not release.allowed:  # not ready: 404; ready but the fee is unpaid: 403 (domain/release, same as the counter)
        raise _bad(release.code, release.vi, release.en, status=403 if release.code == "fee_unpaid" else 404)
    assert dossier.result_attachment_id is not None
    return uploads.read_attachment(session, actor, dossier.result_attachment_id)


# --------------------------------------------------------------------------- payment


def _local_path(url: str) -> str:
    """Only same-site paths survive (no open redirect through the payment return)."""
    parts = urlsplit(url or "")
    base = urlsplit(get_settings().public_base_url)
    if (parts.scheme or parts.netloc) and (parts.scheme, parts.netloc) != (base.scheme, base.netloc):
        return "/"
    path = parts.path or "/"
    if not path.startswith("/") or path.startswith("//") or "\\" in path:
        return "/"
    return path + (f"?{parts.query}" if parts.query else "")


def pay_page_path(dossier: Dossier) -> str:
    return f"/dossiers/{dossier.code}/pay"


def start_payment(session: Session, actor: Actor, code: str) -> str:
    """Create the pending payment and return the gateway URL the browser goes to."""
    dossier = my_dossier(session, actor, code)
    if is_terminal(dossier.status):
        raise _bad("nothing_to_pay", "Hồ sơ này không có khoản phí cần nộp.", "There is no fee to pay.", status=409)
    return_url = get_settings().public_base_url + pay_page_path(dossier)
    return payments.start_online_payment(session, actor, dossier.id, return_url)


@dataclass
class PaymentOutcome:
    status: str  # paid | failed
    code: str  # dossier code
    return_path: str


def finish_payment(
    session: Session, ref: str, amount: str | int, status: str, signature: str, return_url: str
) -> PaymentOutcome:
    """The gateway's signed result (browser return or server callback): verified, recorded once."""
    try:
        value = int(amount)
    except (TypeError, ValueError):
        raise _bad("bad_amount", "Số tiền không hợp lệ.", "Invalid amount.", status=400) from None
    payment = payments.confirm_gateway_callback(
        session, (ref or "")[:64], value, (status or "")[:10], (signature or "")[:128]
    )
    dossier = session.get(Dossier, payment.dossier_id)
    path = _local_path(return_url)
    outcome = "paid" if payment.status == "paid" else "failed"
    sep = "&" if "?" in path else "?"
    return PaymentOutcome(outcome, dossier.code if dossier else "", f"{path}{sep}payment={outcome}")


def pending_payment(session: Session, ref: str) -> Payment | None:
    return session.exec(select(Payment).where(Payment.gateway_ref == (ref or "")[:64])).first()


# --------------------------------------------------------------------------- supplement and rating


def provide_supplement(session: Session, actor: Actor, code: str, attachment_ids: list[int], note: str) -> Dossier:
    """Send what the officer asked for; the lifecycle use case checks status, ownership and content."""
    from onestop.domain.lifecycle import Action
    from onestop.services.dossiers import ActionInput, perform

    dossier = my_dossier(session, actor, code)
    if len(note or "") > 2000:
        raise _bad(
            "note_too_long",
            "Ghi chú quá dài (tối đa 2000 ký tự).",
            "The note is too long (at most 2000).",
            field_name="note",
        )
    return perform(
        session,
        actor,
        dossier.id,
        Action.PROVIDE_SUPPLEMENT,
        expected_version=dossier.version,
        data=ActionInput(note=(note or "").strip(), attachment_ids=list(attachment_ids)),
    )


def rate(
    session: Session,
    actor: Actor,
    code: str,
    *,
    overall: object,
    timeliness: object,
    attitude: object,
    trips: object,
    comment: str,
    complaint: bool,
) -> Rating:
    from onestop.services.ratings import rate_dossier

    dossier = my_dossier(session, actor, code)
    return rate_dossier(
        session,
        actor,
        dossier.id,
        overall=overall,
        timeliness=timeliness,
        attitude=attitude,
        trips=trips,
        comment=comment,
        is_complaint=complaint,
    )


__all__ = [
    "ApplyContext",
    "ApplyDocument",
    "CenterInfo",
    "DocumentInfo",
    "DossierView",
    "FieldInfo",
    "OptionInfo",
    "PaymentOutcome",
    "PendingFile",
    "ProcedureDetail",
    "SearchHit",
    "SlipLink",
    "TimelineRow",
    "WalletItem",
    "apply_context",
    "centers_for",
    "check_fields",
    "discard_pending",
    "dossier_version",
    "dossier_view",
    "expected_due",
    "field_message",
    "finish_payment",
    "my_dossier",
    "open_by_phone",
    "open_by_token",
    "open_for_owner",
    "pending_files",
    "procedure_detail",
    "provide_supplement",
    "rate",
    "result_file",
    "reuse_document",
    "search",
    "slip",
    "start_payment",
    "submission_receipt",
    "submit_application",
    "tracking_url",
    "upload_document",
]
