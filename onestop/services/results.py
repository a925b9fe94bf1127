"""Documents of a dossier: the slips built from its audit events, and the signed e-result.

Why slips are rendered on demand: every slip (receipt, supplement request, refusal,
apology, stop notice, control sheet) is a view of facts already in the dossier and
its append-only events, so re-rendering always gives the same content. Only the
signed result is stored, because its bytes are what the signature covers.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime

from sqlmodel import Session, select

from onestop import clock
from onestop.adapters.population import registry
from onestop.documents import pdf
from onestop.documents.data import ControlEvent, DocumentLine, DossierSummary, Letterhead
from onestop.documents.signing import ensure_signing_identity, sign_pdf
from onestop.domain.errors import DomainError
from onestop.domain.forms import shown_fields
from onestop.domain.lifecycle import SLIP_EVENTS, action_label
from onestop.domain.results import DraftLine, ResultDefinition, definition_for, draft
from onestop.i18n import t
from onestop.models import Attachment, Center, Dossier, DossierEvent, Payment, Procedure, ResultDraft
from onestop.read.schemas import schema_of
from onestop.services.actor import Actor
from onestop.services.codes import next_sequence
from onestop.services.permissions import require_view_dossier
from onestop.services.uploads import put_attachment
from onestop.settings import get_settings

DOCUMENT_KINDS = ("receipt", "supplement", "refusal", "apology", "stop", "control_sheet", "fee_receipt")


def issued_slip_kinds(actions: set[str]) -> list[str]:
    """The slips a dossier with these event actions has, in DOCUMENT_KINDS order (control sheet excluded)."""
    return [kind for kind, triggers in SLIP_EVENTS.items() if actions.intersection(triggers)]


def letterhead_for(session: Session, center_id: int) -> Letterhead:
    center = session.get(Center, center_id)
    name = center.name if center else ""
    return Letterhead(
        province_name=f"UBND {get_settings().province_name.upper()}",
        center_name=name,
        center_address=center.address if center else "",
        center_phone=center.phone if center else "",
    )


def summary_for(session: Session, dossier: Dossier) -> DossierSummary:
    proc = session.get(Procedure, dossier.procedure_id)
    resident = registry(session).by_id(dossier.applicant_resident_id) if dossier.applicant_resident_id else None
    address = str((dossier.form_data or {}).get("address") or (resident.address if resident else ""))
    return DossierSummary(
        code=dossier.code or "",
        procedure_code=dossier.procedure_code,
        procedure_name=proc.name_vi if proc else dossier.procedure_code,
        applicant_name=dossier.applicant_name,
        applicant_id_number=dossier.applicant_national_id,
        applicant_phone=dossier.applicant_phone,
        applicant_address=address,
        channel_label=t(f"channel.{dossier.channel}", "vi"),
        received_at=dossier.received_at,
        due_at=dossier.due_at,
        tracking_url=f"{get_settings().public_base_url}/dossiers/{dossier.code}?t={dossier.tracking_token}",
    )


def _last_event(session: Session, dossier_id: int, *actions: str) -> DossierEvent | None:
    return session.exec(
        select(DossierEvent)
        .where(DossierEvent.dossier_id == dossier_id, DossierEvent.action.in_(actions))
        .order_by(DossierEvent.id.desc())
    ).first()


def _not_issued() -> DomainError:
    return DomainError(
        "document_not_issued", "Hồ sơ chưa có văn bản này.", "This document has not been issued.", status=404
    )


def render_document(session: Session, actor: Actor, dossier: Dossier, kind: str) -> tuple[str, bytes]:
    """(file name, PDF bytes) of one slip of the dossier; 404 when that slip was never issued."""
    require_view_dossier(actor, dossier)
    head, summary = letterhead_for(session, dossier.receiving_center_id), summary_for(session, dossier)
    proc = session.get(Procedure, dossier.procedure_id)
    if kind == "receipt":
        event = _last_event(session, dossier.id, *SLIP_EVENTS["receipt"])
        if event is None:
            raise _not_issued()
        schema = schema_of(proc)
        docs = [DocumentLine(d.name_vi, d.copies) for d in schema.documents if not d.state_held]
        data = pdf.receipt_pdf(head, summary, docs, event.actor_name, proc.fee_text if proc else "")
    elif kind == "supplement":
        event = _last_event(session, dossier.id, *SLIP_EVENTS["supplement"])
        if event is None:
            raise _not_issued()
        items = (event.data or {}).get("items", [])
        deadline = datetime.fromisoformat(event.data["deadline"]) if event.data and event.data.get("deadline") else None
        data = pdf.supplement_request_pdf(
            head, summary, [DocumentLine(i) for i in items], event.note, deadline, event.actor_name
        )
    elif kind in ("refusal", "stop"):
        event = _last_event(session, dossier.id, *SLIP_EVENTS[kind])
        if event is None:
            raise _not_issued()
        render = pdf.refusal_pdf if kind == "refusal" else pdf.stop_notice_pdf
        data = render(head, summary, event.note, event.actor_name)
    elif kind == "apology":
        event = _last_event(session, dossier.id, *SLIP_EVENTS["apology"])
        if event is None:
            raise _not_issued()
        new_due = datetime.fromisoformat(event.data["new_due_at"])
        data = pdf.apology_pdf(head, summary, event.note, new_due, event.actor_name)
    elif kind == "result_preview":  # officers only: the citizen's slip route accepts SLIP_EVENTS kinds
        data = preview_result(session, actor, dossier)
    elif kind == "fee_receipt":
        data = _fee_receipt(session, dossier, head, summary, proc)
    elif kind == "control_sheet":
        events = session.exec(
            select(DossierEvent).where(DossierEvent.dossier_id == dossier.id).order_by(DossierEvent.at, DossierEvent.id)
        ).all()
        rows = [
            ControlEvent(
                at=e.at,
                from_unit=e.from_unit or e.actor_name,
                to_unit=e.to_unit,
                actor=e.actor_name,
                action_label=action_label(e.action, "vi"),
                step_due_at=e.step_due_at,
                outcome=e.outcome if e.outcome in ("early", "on_time", "late") else "",
                note=e.note,
            )
            for e in events
        ]
        data = pdf.control_sheet_pdf(head, summary, rows)
    else:
        raise DomainError("unknown_document", "Loại văn bản không hợp lệ.", "Unknown document kind.", status=404)
    return f"{dossier.code}-{kind}.pdf", data


PAYMENT_METHOD_LABELS = {
    "online": "Thanh toán trực tuyến qua cổng thanh toán",
    "counter": "Thanh toán không dùng tiền mặt tại quầy (thẻ/QR)",
}


def _fee_receipt(
    session: Session, dossier: Dossier, head: Letterhead, summary: DossierSummary, proc: Procedure | None
) -> bytes:
    """The e-receipt of the dossier's latest paid payment; its lines are the fee schedule's computation."""
    from onestop.services.dossiers import fee_quote  # local: dossiers imports this module when signing

    payment = session.exec(
        select(Payment).where(Payment.dossier_id == dossier.id, Payment.status == "paid").order_by(Payment.id.desc())
    ).first()
    if payment is None or payment.paid_at is None:
        raise _not_issued()
    breakdown: list[str] = []
    if proc is not None:
        try:
            quoted = fee_quote(proc, dossier.form_data, dossier.channel)
        except DomainError:
            quoted = None
        if quoted is not None and quoted.total == payment.amount:
            breakdown = quoted.breakdown("vi")
    if not breakdown:  # an amount the handling officer set (request_fee), not the schedule's
        money = f"{payment.amount:,}".replace(",", ".")
        breakdown = [f"Phí, lệ phí theo thông báo của cơ quan giải quyết: {money} đồng"]
    return pdf.fee_receipt_pdf(
        head,
        summary,
        number=f"{payment.paid_at:%y}/BL-{payment.id:07d}",
        paid_at=payment.paid_at,
        payer_name=dossier.applicant_name,
        method_label=PAYMENT_METHOD_LABELS.get(payment.method, payment.method),
        transaction_ref=payment.gateway_ref or "",
        breakdown=breakdown,
        total=payment.amount,
        legal_text=proc.fee_text if proc else "",
    )


# --------------------------------------------------------------------------- the result's content (domain/results)

#: Who may correct the drafted particulars, and while the dossier is in which steps of processing.
DRAFT_EDITORS = ("specialist", "leader", "admin")
DRAFT_STEPS = ("appraisal", "appraised", "approval", "signing")


def _definition(proc: Procedure, form_data: Mapping[str, object] | None = None) -> ResultDefinition:
    """The result's particulars; with the dossier's answers, only the request fields that applied
    (a field hidden by its condition is neither printed nor flagged as missing)."""
    schema = schema_of(proc)
    shown = shown_fields(schema, form_data) if form_data is not None else {f.name for f in schema.fields}
    request = [
        (f.name, f.label_vi)
        for f in schema.fields
        if f.section == "request" and f.type != "checkbox" and f.name in shown
    ]
    return definition_for(proc.code, proc.result_name_vi or proc.name_vi, request)


def _options(proc: Procedure) -> dict[str, dict[str, str]]:
    schema = schema_of(proc)
    return {f.name: {o.value: o.label.vi for o in f.options} for f in schema.fields if f.options}


def result_draft(session: Session, dossier: Dossier, proc: Procedure) -> list[DraftLine]:
    """The particulars the result will carry: the specialist's corrected draft, or a fresh one from the form."""
    row = session.exec(select(ResultDraft).where(ResultDraft.dossier_id == dossier.id)).first()
    fresh = draft(
        _definition(proc, dossier.form_data or {}),
        dossier.form_data or {},
        _applicant_facts(session, dossier),
        _options(proc),
    )
    if row is None or not row.lines:
        return fresh
    saved = {str(line.get("key")): str(line.get("value") or "") for line in row.lines}
    return [DraftLine(line.key, line.label, saved.get(line.key, line.value)) for line in fresh]


def _applicant_facts(session: Session, dossier: Dossier) -> dict[str, object]:
    resident = registry(session).by_id(dossier.applicant_resident_id) if dossier.applicant_resident_id else None
    data = dossier.form_data or {}
    return {
        "name": dossier.applicant_name,
        "national_id": dossier.applicant_national_id or "",
        "date_of_birth": data.get("date_of_birth")
        or (resident.date_of_birth.isoformat() if resident and resident.date_of_birth else ""),
        "address": data.get("address") or (resident.address if resident else ""),
        "phone": dossier.applicant_phone,
    }


def save_result_draft(session: Session, actor: Actor, dossier: Dossier, values: dict[str, str]) -> list[DraftLine]:
    """The specialist (or the leader) corrects the drafted particulars before signing; the caller commits."""
    require_view_dossier(actor, dossier)
    if actor.role not in DRAFT_EDITORS:
        raise DomainError(
            "forbidden",
            "Chỉ chuyên viên hoặc lãnh đạo được sửa dự thảo kết quả.",
            "Only the specialist or the leader may correct the draft result.",
            status=403,
        )
    if dossier.status != 4 or dossier.step not in DRAFT_STEPS:
        raise DomainError(
            "draft_closed",
            "Chỉ sửa dự thảo khi hồ sơ đang xử lý, trước khi ký.",
            "The draft can be corrected only while processing, before signing.",
            status=409,
        )
    proc = session.get(Procedure, dossier.procedure_id)
    assert proc is not None
    current = result_draft(session, dossier, proc)
    known = {line.key for line in current}
    unknown = set(values) - known
    if unknown:
        raise DomainError("draft_unknown_field", "Có mục không thuộc kết quả này.", "Unknown result field.", status=422)
    changes = []
    lines = []
    for line in current:
        value = " ".join(str(values.get(line.key, line.value)).split())
        if len(value) > 500:
            raise DomainError(
                "draft_too_long",
                f"{line.label}: tối đa 500 ký tự.",
                f"{line.label}: 500 characters at most.",
                field=line.key,
                status=422,
            )
        if value != line.value:
            changes.append({"key": line.key, "from": line.value, "to": value})
        lines.append(DraftLine(line.key, line.label, value))
    row = session.exec(select(ResultDraft).where(ResultDraft.dossier_id == dossier.id)).first()
    if row is None:
        row = ResultDraft(dossier_id=dossier.id, lines=[], history=[])
    now = clock.now()
    row.lines = [{"key": ln.key, "label": ln.label, "value": ln.value} for ln in lines]
    if changes:
        row.history = [
            *(row.history or []),
            {"at": now.isoformat(timespec="seconds"), "by": actor.full_name, "changes": changes},
        ]
    row.edited_by, row.edited_at = actor.full_name, now
    session.add(row)
    session.flush()
    return lines


def _result_pdf(
    session: Session,
    actor: Actor,
    dossier: Dossier,
    proc: Procedure,
    *,
    number: str | None,
    when: datetime,
    draft_only: bool,
) -> bytes:
    head, summary = letterhead_for(session, dossier.handling_center_id), summary_for(session, dossier)
    definition = _definition(proc, dossier.form_data or {})
    lines = result_draft(session, dossier, proc)
    body = [
        f"Căn cứ hồ sơ {dossier.code} tiếp nhận lúc {dossier.received_at:%H:%M ngày %d/%m/%Y}."
        if dossier.received_at
        else f"Hồ sơ {dossier.code}."
    ]
    if definition.closing_vi:
        body.append(definition.closing_vi)
    body.append("Kết quả được ký số và có giá trị pháp lý như bản giấy.")
    return pdf.result_pdf(
        head,
        summary,
        proc.result_name_vi or definition.title_vi,
        body,
        actor.full_name,
        "LÃNH ĐẠO",
        number=number,
        issued_at=when,
        particulars=[(ln.label, ln.value) for ln in lines],
        register_book=definition.register_book,
        draft=draft_only,
    )


def preview_result(session: Session, actor: Actor, dossier: Dossier) -> bytes:
    """The leader's preview before signing: the same document, marked as a draft, without a number."""
    require_view_dossier(actor, dossier)
    proc = session.get(Procedure, dossier.procedure_id)
    if proc is None or dossier.status != 4:
        raise _not_issued()
    return _result_pdf(session, actor, dossier, proc, number=None, when=clock.now(), draft_only=True)


def registration_number(session: Session, dossier: Dossier, proc: Procedure, year: int) -> str:
    """The next number in the center's register for this procedure this year ("12/2026")."""
    center = session.get(Center, dossier.handling_center_id)
    key = f"{center.code if center else dossier.handling_center_id}:{proc.code}"[:20]
    return f"{next_sequence(session, key, date(year, 1, 1))}/{year}"


def sign_result(session: Session, actor: Actor, dossier: Dossier, proc: Procedure) -> Attachment:
    """Render the result with its particulars and registration number, sign it (visible time = now), store it."""
    settings = get_settings()
    when = clock.now()
    number = registration_number(session, dossier, proc, when.year)
    unsigned = _result_pdf(session, actor, dossier, proc, number=number, when=when, draft_only=False)
    identity = ensure_signing_identity(settings.signing_dir)
    signed = sign_pdf(unsigned, identity, actor.full_name)
    return put_attachment(
        session,
        signed,
        dossier_id=dossier.id,
        owner_user_id=dossier.applicant_user_id,
        kind="result",
        document_code="result",
        wallet_kind=f"result:{proc.code}",
        filename=f"{dossier.code}-ket-qua.pdf",
        mime="application/pdf",
    )
