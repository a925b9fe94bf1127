"""The filing forms as pages render them: the online apply page and the officer's counter intake.

Why on the read side: both shape a procedure's `form_schema` the same way (`FieldInfo`,
`DocumentInfo`; registry values filled in and locked where the registry is
authoritative) and judge typed values with the validator the server files with;
nothing here writes. The apply page also gets wallet items and its draft's pending
files; the counter looks the person up through the registry adapter. Filing is
`services/filing.py` (online) and `services.workbench.file_at_counter` (counter).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from sqlmodel import Session, select

from onestop import clock
from onestop.adapters.population import ResidentRecord, registry
from onestop.domain.errors import DomainError
from onestop.domain.forms import (
    DocumentSpec,
    FieldSpec,
    Message,
    form_input,
    parse_national_id,
    validate_field,
    validate_form,
)
from onestop.models import Attachment, User
from onestop.read.bilingual import BiText
from onestop.read.centers import CenterInfo
from onestop.read.choices import Choice
from onestop.read.files import FileItem
from onestop.read.format import fee_texts, fmt_day, fmt_size
from onestop.read.procedure import DocumentInfo, ProcedureHead, centers_for, document_info, procedure_head
from onestop.read.schemas import schema_by_id, schema_of
from onestop.services import uploads
from onestop.services.actor import Actor
from onestop.services.dossiers import current_procedure, duration_for, fee_for, fee_schedule_of, prefill_for
from onestop.services.permissions import require_counter, require_role

#: The field every schema ends with ("I declare the above is true"): asked on the review step.
DECLARATION = "declaration"


# --------------------------------------------------------------------------- acting from form inputs


# --------------------------------------------------------------------------- the apply flow


@dataclass
class FieldInfo:
    """One form field as the phone form renders it."""

    name: str = ""
    type: str = "text"
    label: BiText = BiText()
    help: BiText = BiText()
    required: bool = False
    section: str = "applicant"
    options: list[Choice] = field(default_factory=list)
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
    kind: BiText = BiText()
    created: str = ""
    size: str = ""


@dataclass
class ApplyDocument(DocumentInfo):
    wallet: list[WalletItem] = field(default_factory=list)


@dataclass
class ApplyContext(ProcedureHead):
    procedure_id: int = 0
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


def field_info(spec: FieldSpec, prefill: Mapping[str, object]) -> FieldInfo:
    input_type, mode = _INPUT.get(spec.type, ("text", "text"))
    autofilled = spec.autofill is not None and spec.autofill in prefill and prefill[spec.autofill] not in (None, "")
    return FieldInfo(
        name=spec.name,
        type=spec.type,
        label=BiText(spec.label_vi, spec.label_en),
        help=BiText(spec.help_vi, spec.help_en),
        required=spec.required,
        section=spec.section,
        options=[Choice(o.value, o.label.vi, o.label.en) for o in spec.options],
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
                kind=BiText.of("wallet.kind_result" if result else "wallet.kind_upload"),
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
            return str(c.id)
    return str(centers[0].id) if centers else ""


def apply_context(session: Session, actor: Actor, code: str) -> ApplyContext:
    """The form to render for this person: fields with registry values filled in, documents with wallet items."""
    require_role(actor, ["citizen"])
    proc = current_procedure(session, (code or "").strip()[:30])
    if proc.online_level != "full":
        raise DomainError(
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
    docs = []
    for doc in schema.documents:
        if doc.state_held:
            continue
        base = document_info(doc)
        docs.append(ApplyDocument(**base.__dict__, wallet=_wallet_items(session, actor, doc)))
    return ApplyContext(
        procedure_id=proc.id or 0,
        **procedure_head(proc, duration, BiText(*fee_texts(fee_for(proc, "online")))),
        fields=[field_info(f, prefill) for f in schema.fields],
        documents=docs,
        held=[document_info(d) for d in schema.documents if d.state_held],
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
class PendingFile(FileItem):
    """An uploaded file waiting to be filed with a dossier (the draft keeps only its id)."""

    document_code: str = ""


def pending_file(att: Attachment) -> PendingFile:
    return PendingFile.of(att, document_code=att.document_code)


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
    return [pending_file(a) for a in rows]


# --------------------------------------------------------------------------- counter intake


@dataclass
class PersonCard:
    """The person as the counter's first step shows them; the rest of their record goes into the form's prefill."""

    resident_id: int = 0
    national_id: str = ""
    full_name: str = ""
    date_of_birth: str = ""
    address: str = ""


def lookup_person(session: Session, actor: Actor, national_id: str) -> tuple[PersonCard, dict[str, str]]:
    """The person at the counter, from the population registry by ID number, and the form prefill."""
    require_counter(actor)
    digits = "".join(ch for ch in national_id if ch.isdigit())
    if len(digits) != 12:
        raise DomainError(
            "national_id_invalid",
            "Số định danh cá nhân gồm 12 chữ số.",
            "A personal ID number has 12 digits.",
            field="national_id",
            status=422,
        )
    record: ResidentRecord | None = registry(session).by_national_id(digits)
    if record is None:
        raise DomainError(
            "resident_not_found",
            "Không tìm thấy công dân có số định danh này trong CSDL dân cư.",
            "No one with this ID number in the population registry.",
            field="national_id",
            status=404,
        )
    card = PersonCard(
        record.id,
        record.national_id,
        record.full_name,
        fmt_day(record.date_of_birth),
        record.address,
    )
    return card, {k: str(v) for k, v in record.prefill().items()}


def counter_form(
    session: Session, actor: Actor, procedure_code: str, prefill: Mapping[str, str]
) -> tuple[list[FieldInfo], list[DocumentInfo], dict[str, str]]:
    """The procedure's form (same schema as online) with values pre-filled from the registry."""
    require_counter(actor)
    proc = current_procedure(session, procedure_code)
    schema = schema_of(proc)
    fields_, values = [], {}
    for spec in schema.fields:
        # the online form's field shape; locked whenever the registry is the source (even for an empty value)
        locked = spec.registry_authoritative and bool(spec.autofill and spec.autofill in prefill)
        fields_.append(replace(field_info(spec, prefill), locked=locked))
        values[spec.name] = str(prefill.get(spec.autofill or "", "")) if spec.autofill else ""
        if spec.type == "checkbox":
            values[spec.name] = ""
    docs = [document_info(d) for d in schema.documents]
    return fields_, docs, values


def manual_person(actor: Actor, national_id: str) -> PersonCard:
    """A person the registry does not know: only the ID number is known yet; it must pass the number's rules."""
    require_counter(actor)
    digits = "".join(ch for ch in national_id if ch.isdigit())
    if len(digits) != 12 or parse_national_id(digits) is None:
        raise DomainError(
            "national_id_invalid",
            "Số định danh cá nhân không hợp lệ (12 chữ số, mã tỉnh nơi đăng ký khai sinh ở 3 số đầu).",
            "The personal ID number is not valid (12 digits starting with a province code).",
            field="national_id",
            status=422,
        )
    return PersonCard(0, digits)
