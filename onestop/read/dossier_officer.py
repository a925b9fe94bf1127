"""A dossier as the officer's dossier page shows it: facts, form, files, documents, events, actions.

Why on the read side: everything here is shaped for display (both languages,
formatted moments, deadline colour, working time left) and the actions offered are
asked from `dossiers.available_actions` and the lifecycle table, never repeated.
Acting is `services/workbench.py`. The applicant's view is `read/dossier_citizen.py`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session, select

from onestop import clock
from onestop.domain import lifecycle as lc
from onestop.domain.deadlines import row_colour
from onestop.domain.lifecycle import ACTION_LABELS, Action, Status
from onestop.domain.release import RETURN_METHOD_OF, fee_outstanding
from onestop.i18n import t
from onestop.models import Attachment, Center, Consent, Dossier, DossierEvent, Procedure, User
from onestop.read.documents import attachment_url, document_url
from onestop.read.dossier import DossierHead, head_of
from onestop.read.format import fmt_day, fmt_moment, fmt_money, fmt_size, time_left
from onestop.read.schemas import schema_of
from onestop.services import results
from onestop.services.actor import Actor
from onestop.services.calendar import load_calendar
from onestop.services.dossiers import MANUAL_ENTRY_FLAG, available_actions, get_dossier
from onestop.services.permissions import require_officer
from onestop.services.results import issued_slip_kinds

# --------------------------------------------------------------------------- the dossier page


@dataclass
class FormLine:
    label_vi: str = ""
    label_en: str = ""
    value: str = ""
    section: str = "request"


@dataclass
class AttachmentItem:
    id: int = 0
    name_vi: str = ""
    name_en: str = ""
    filename: str = ""
    mime: str = ""
    size: str = ""
    kind: str = ""
    url: str = ""
    is_pdf: bool = False
    is_image: bool = False
    reused: bool = False


@dataclass
class IssuedDocument:
    kind: str = ""
    label_vi: str = ""
    label_en: str = ""
    url: str = ""


@dataclass
class EventItem:
    at: str = ""
    action: str = ""
    action_vi: str = ""
    action_en: str = ""
    actor: str = ""
    role: str = ""
    from_unit: str = ""
    to_unit: str = ""
    note: str = ""
    step_due: str = ""
    outcome: str = ""  # early | on_time | late | ""
    status_vi: str = ""
    status_en: str = ""


@dataclass
class ActionItem:
    """An action this officer may take now and exactly the inputs it needs."""

    action: str = ""
    label_vi: str = ""
    label_en: str = ""
    needs: list[str] = field(default_factory=list)
    danger: bool = False
    blocked_vi: str = ""  # why it cannot be done yet (e.g. the fee is unpaid), shown instead of doing it
    blocked_en: str = ""


@dataclass
class DraftRow:
    key: str = ""
    label: str = ""
    value: str = ""


@dataclass
class DossierPage(DossierHead):
    step: str = ""
    step_vi: str = ""
    step_en: str = ""
    procedure_version: int = 0
    left_vi: str = ""
    left_en: str = ""
    paused: bool = False
    finished: str = ""
    on_time: str = ""  # "yes" | "no" | ""
    applicant_id: str = ""
    applicant_phone: str = ""
    applicant_address: str = ""
    on_behalf: bool = False
    acting_name: str = ""
    acting_role: str = ""
    consent_vi: str = ""
    consent_en: str = ""
    assignee: str = ""
    handling_center: str = ""
    receiving_center: str = ""
    fee_vi: str = ""
    fee_en: str = ""
    fee_status: str = ""
    fee_unpaid: bool = False
    not_registry_verified: bool = False  # typed at the counter, unknown to the registry
    draft: list[DraftRow] = field(default_factory=list)  # the result's particulars while processing
    draft_editable: bool = False  # specialist/leader, before signing
    preview_url: str = ""  # the unsigned result, marked as a draft (the leader looks before signing)
    delivery_vi: str = ""  # how the applicant asked to receive the result ("" when not asked)
    delivery_en: str = ""
    return_default: str = "in_person"  # the return method that fulfils that choice (domain/release)
    supplement_items: list[str] = field(default_factory=list)
    supplement_deadline: str = ""
    supplement_provided: bool = False
    apology_issued: bool = False
    form: list[FormLine] = field(default_factory=list)
    attachments: list[AttachmentItem] = field(default_factory=list)
    documents: list[IssuedDocument] = field(default_factory=list)
    events: list[EventItem] = field(default_factory=list)
    actions: list[ActionItem] = field(default_factory=list)
    #: Sensible defaults for the date inputs (yyyy-mm-dd): the officer may change them.
    suggest_supplement_deadline: str = ""
    suggest_new_due: str = ""


#: Working days a person gets by default to bring what is missing.
SUPPLEMENT_DAYS = 5


def _format_value(value: object, spec_type: str, options: Mapping[str, tuple[str, str]]) -> str:
    if isinstance(value, bool):
        return "✓" if value else "✗"
    if spec_type == "date" and isinstance(value, str):
        try:
            return fmt_day(date.fromisoformat(value))
        except ValueError:
            return value
    if spec_type == "select" and str(value) in options:
        return options[str(value)][0]
    return "" if value is None else str(value)


def _form_lines(proc: Procedure | None, data: Mapping[str, object]) -> list[FormLine]:
    schema = schema_of(proc)
    lines = []
    for spec in schema.fields:
        if spec.name not in data:
            continue
        options = {o.value: (o.label_vi, o.label_en) for o in spec.options}
        lines.append(
            FormLine(spec.label_vi, spec.label_en, _format_value(data[spec.name], spec.type, options), spec.section)
        )
    return lines


def _attachment_items(proc: Procedure | None, rows: Sequence[Attachment]) -> list[AttachmentItem]:
    schema = schema_of(proc)
    out = []
    for a in rows:
        if a.kind == "result":
            continue  # the signed result is listed with the issued documents
        spec = schema.document(a.document_code)
        if spec is not None:
            name_vi, name_en = spec.name_vi, spec.name_en
        elif a.kind == "supplement" or a.document_code == "supplement":
            name_vi, name_en = "Giấy tờ bổ sung", "Supplementary document"
        elif a.kind == "consent":
            name_vi, name_en = "Xác nhận đồng ý của người dân", "The person's consent"
        else:
            name_vi = name_en = a.document_code or a.filename
        out.append(
            AttachmentItem(
                a.id or 0,
                name_vi,
                name_en,
                a.filename,
                a.mime,
                fmt_size(a.size, "en"),
                a.kind,
                attachment_url(a.id or 0),
                a.mime == "application/pdf",
                a.mime.startswith("image/") and a.mime != "image/heic",
                a.reused_from_id is not None,
            )
        )
    return out


def _issued(dossier: Dossier, events: Sequence[DossierEvent]) -> list[IssuedDocument]:
    kinds = issued_slip_kinds({e.action for e in events})
    if dossier.result_attachment_id:
        kinds.append("result")
    if events:
        kinds.append("control_sheet")
    return [
        IssuedDocument(k, t(f"doc.{k}", "vi"), t(f"doc.{k}", "en"), document_url(dossier.id or 0, k)) for k in kinds
    ]


def _event_items(events: Sequence[DossierEvent]) -> list[EventItem]:
    out = []
    for e in events:
        try:
            vi, en = ACTION_LABELS[Action(e.action)]
        except ValueError:
            vi = en = e.action
        status_vi = lc.status_label(e.to_status, "vi") if e.to_status is not None else ""
        status_en = lc.status_label(e.to_status, "en") if e.to_status is not None else ""
        out.append(
            EventItem(
                fmt_moment(e.at),
                e.action,
                vi,
                en,
                e.actor_name,
                e.actor_role,
                e.from_unit,
                e.to_unit,
                e.note,
                fmt_moment(e.step_due_at),
                e.outcome,
                status_vi,
                status_en,
            )
        )
    return out


def _needs(actor: Actor, dossier: Dossier, action: Action) -> list[str]:
    outcome = lc.decide(dossier.status, dossier.step, action, actor.role, dossier.resume_status, dossier.resume_step)
    needs = list(outcome.rule.needs)
    if action == Action.PROVIDE_SUPPLEMENT:
        needs.append("note")  # at the counter the officer records what the person brought
    return needs


def action_items(actor: Actor, dossier: Dossier) -> list[ActionItem]:
    """Exactly the actions `dossiers.available_actions` allows, each with the inputs its rule needs."""
    items = []
    for action in available_actions(actor, dossier):
        if action == Action.REQUEST_FEE and dossier.fee_status == "paid":
            continue  # the fee is paid: asking for it again is not an action anyone should be offered
        vi, en = ACTION_LABELS[action]
        item = ActionItem(action.value, vi, en, _needs(actor, dossier, action), action in lc.DANGEROUS)
        if action == Action.RETURN_RESULT and fee_outstanding(dossier.fee_status, dossier.fee_amount):
            item.blocked_vi = t("officer.fee_block", "vi", amount=fmt_money(dossier.fee_amount, "vi"))
            item.blocked_en = t("officer.fee_block", "en", amount=fmt_money(dossier.fee_amount, "en"))
        items.append(item)
    return items


def dossier_page(session: Session, actor: Actor, code: str) -> DossierPage:
    """Everything the officer's dossier page shows; the same "not found" for another center's dossier."""
    require_officer(actor)
    dossier = get_dossier(session, actor, code=code)
    now = clock.now()
    cal = load_calendar(session)
    proc = session.get(Procedure, dossier.procedure_id)
    events = list(
        session.exec(
            select(DossierEvent).where(DossierEvent.dossier_id == dossier.id).order_by(DossierEvent.at, DossierEvent.id)
        )
    )
    attachments = list(
        session.exec(select(Attachment).where(Attachment.dossier_id == dossier.id).order_by(Attachment.id))
    )
    acting = session.get(User, dossier.acting_user_id) if dossier.acting_user_id else None
    assignee = session.get(User, dossier.assignee_id) if dossier.assignee_id else None
    consent = session.get(Consent, dossier.consent_id) if dossier.consent_id else None
    handling = session.get(Center, dossier.handling_center_id)
    receiving = session.get(Center, dossier.receiving_center_id)
    colour = row_colour(now, dossier.status, dossier.due_at, dossier.paused_at is not None, cal)
    data = dict(dossier.form_data or {})
    request = dict(dossier.supplement_request or {})
    if dossier.fee_amount > 0:
        fee_vi = f"{fmt_money(dossier.fee_amount, 'vi')} — {t(f'fee.status.{dossier.fee_status}', 'vi')}"
        fee_en = f"{fmt_money(dossier.fee_amount, 'en')} — {t(f'fee.status.{dossier.fee_status}', 'en')}"
    else:
        fee_vi, fee_en = t("fee.free", "vi"), t("fee.free", "en")
    step_vi, step_en = lc.step_label(dossier.step, "vi"), lc.step_label(dossier.step, "en")
    consent_vi = consent_en = ""
    if consent is not None:
        consent_vi = t(
            "officer.consent",
            "vi",
            method=t(f"consent.{consent.method}", "vi"),
            time=fmt_moment(consent.captured_at),
            place=consent.place or "—",
        )
        consent_en = t(
            "officer.consent",
            "en",
            method=t(f"consent.{consent.method}", "en"),
            time=fmt_moment(consent.captured_at),
            place=consent.place or "—",
        )
    draft_rows: list[DraftRow] = []
    if dossier.status == Status.PROCESSING and proc is not None:
        draft_rows = [DraftRow(ln.key, ln.label, ln.value) for ln in results.result_draft(session, dossier, proc)]
    return DossierPage(
        **head_of(dossier, proc.name_vi if proc else "", proc.name_en if proc else "", colour),
        step=dossier.step,
        step_vi=step_vi,
        step_en=step_en,
        procedure_version=proc.version if proc else 0,
        left_vi="" if not colour else time_left(now, dossier.due_at, dossier.paused_at, cal, "vi"),
        left_en="" if not colour else time_left(now, dossier.due_at, dossier.paused_at, cal, "en"),
        paused=dossier.paused_at is not None,
        finished=fmt_moment(dossier.finished_at),
        on_time="" if dossier.on_time is None else ("yes" if dossier.on_time else "no"),
        applicant_id=dossier.applicant_national_id,
        applicant_phone=dossier.applicant_phone,
        applicant_address=str(data.get("address") or ""),
        on_behalf=dossier.on_behalf,
        acting_name=acting.full_name if acting else "",
        acting_role=acting.role if acting else "",
        consent_vi=consent_vi,
        consent_en=consent_en,
        assignee=assignee.full_name if assignee else "",
        handling_center=handling.name if handling else "",
        receiving_center=receiving.name if receiving else "",
        fee_vi=fee_vi,
        fee_en=fee_en,
        fee_status=dossier.fee_status,
        fee_unpaid=fee_outstanding(dossier.fee_status, dossier.fee_amount),
        delivery_vi=t(f"delivery.{dossier.delivery}", "vi") if dossier.delivery else "",
        delivery_en=t(f"delivery.{dossier.delivery}", "en") if dossier.delivery else "",
        return_default=RETURN_METHOD_OF.get(dossier.delivery, "in_person"),
        supplement_items=[str(i) for i in request.get("items", [])],
        supplement_deadline=fmt_moment(dossier.supplement_deadline),
        supplement_provided=bool(request.get("provided")),
        apology_issued=dossier.apology_issued_at is not None,
        form=_form_lines(proc, data),
        attachments=_attachment_items(proc, attachments),
        documents=_issued(dossier, events),
        events=_event_items(events),
        actions=action_items(actor, dossier),
        suggest_supplement_deadline=cal.add_working_days(now, SUPPLEMENT_DAYS).date().isoformat(),
        suggest_new_due=cal.next_working_day((dossier.due_at or now).date()).isoformat(),
        draft=draft_rows,
        not_registry_verified=bool((dossier.flags or {}).get(MANUAL_ENTRY_FLAG)),
        draft_editable=bool(draft_rows) and actor.role in results.DRAFT_EDITORS and dossier.step in results.DRAFT_STEPS,
        preview_url=document_url(dossier.id or 0, "result_preview") if draft_rows else "",
    )


def dossier_topics(session: Session, actor: Actor, code: str) -> tuple[int, list[str]]:
    """(dossier id, live topics) for a page that shows this dossier."""
    dossier = get_dossier(session, actor, code=code)
    return dossier.id or 0, [f"dossier:{dossier.id}"]


def officer_uploads(session: Session, actor: Actor, ids: Sequence[int]) -> list[AttachmentItem]:
    """The files this officer uploaded for a counter dossier not yet filed (to list and preview them)."""
    require_officer(actor)
    if not ids:
        return []
    rows = session.exec(
        select(Attachment)
        .where(Attachment.id.in_(list(ids)), Attachment.owner_user_id == actor.user_id, Attachment.dossier_id.is_(None))
        .order_by(Attachment.id)
    )
    return _attachment_items(None, list(rows))
