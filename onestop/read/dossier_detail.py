"""One dossier's detail, for its two audiences: the applicant (`DossierView`) and the officer (`DossierPage`).

Why one module: both start from the same `read.dossier.DossierHead` and the same
dossier facts (status, deadline, fee, supplement, documents); what differs is the
audience — the applicant sees the timeline, slips and what they may do next (pay,
send a supplement, rate), opened by owner, QR token or code + phone; the officer
sees the form, files, issued documents, events and exactly the actions the
lifecycle table allows, each with the inputs its rule needs. Acting is
`services/filing.py` (applicant) and `services/workbench.py` (officer).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import partial

from sqlmodel import Session, select

from onestop import clock
from onestop.domain import lifecycle as lc
from onestop.domain.deadlines import compute_due, row_colour
from onestop.domain.errors import DomainError
from onestop.domain.lifecycle import ACTION_LABELS, RATEABLE, Action, Status, is_terminal
from onestop.domain.release import RETURN_METHOD_OF, fee_outstanding, result_release
from onestop.i18n import t
from onestop.models import Attachment, Center, Consent, Dossier, DossierEvent, Payment, Procedure, Rating, User
from onestop.read import timeline as tracking
from onestop.read.bilingual import BiText
from onestop.read.dossier import DossierHead, head_of
from onestop.read.files import FileItem
from onestop.read.format import fee_texts, fmt_day, fmt_moment, fmt_money, time_left
from onestop.read.schemas import schema_of
from onestop.services import results
from onestop.services.actor import Actor
from onestop.services.calendar import load_calendar, same_day_cutoff
from onestop.services.dossiers import MANUAL_ENTRY_FLAG, available_actions, duration_for, fee_quote, get_dossier
from onestop.services.permissions import dossier_not_found, require_officer
from onestop.services.results import issued_slip_kinds

#: Slips a citizen may download, in the order the tracking page lists them.
SLIP_KINDS = ("submission", "receipt", "supplement", "apology", "refusal", "stop", "fee_receipt")


# --------------------------------------------------------------------------- where the officer API serves documents

DOCUMENT_KINDS = (
    "receipt",
    "supplement",
    "refusal",
    "apology",
    "stop",
    "control_sheet",
    "result",
    "fee_receipt",
    "result_preview",
)


def document_url(dossier_id: int, kind: str) -> str:
    """Where the officer API serves one slip of a dossier (onestop.api.officer)."""
    return f"/api/v1/officer/dossiers/{dossier_id}/documents/{kind}"


def attachment_url(attachment_id: int) -> str:
    return f"/api/v1/officer/attachments/{attachment_id}"


# --------------------------------------------------------------------------- the dossier page


# --------------------------------------------------------------------------- a dossier, for its applicant


@dataclass
class TimelineRow:
    at: str = ""
    text: BiText = BiText()
    note: str = ""
    action: str = ""


@dataclass
class DocumentLink:
    """A document issued for a dossier, as a link: the applicant's slips and the officer's issued documents."""

    kind: str = ""
    label: BiText = BiText()
    url: str = ""


@dataclass
class DossierView(DossierHead):
    """One dossier as its applicant sees it (tracking, confirmation, payment, supplement, rating)."""

    center: str = ""
    center_address: str = ""
    expected_due: str = ""  # before reception: when it would be due if received now
    fee_amount: int = 0
    fee: BiText = BiText()
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
    slips: list[DocumentLink] = field(default_factory=list)
    timeline: list[TimelineRow] = field(default_factory=list)
    owner: bool = False  # signed-in applicant (downloads, payment, supplement, rating)


def expected_due(session: Session, dossier: Dossier, now: datetime | None = None) -> datetime:
    """When the result would be due if the center received the dossier now (shown as "expected")."""
    proc = session.get(Procedure, dossier.procedure_id)
    assert proc is not None
    return compute_due(
        now or clock.now(), duration_for(proc, dossier.channel), load_calendar(session), same_day_cutoff()
    )


def _slips(session: Session, dossier: Dossier) -> list[DocumentLink]:
    actions = set(session.exec(select(DossierEvent.action).where(DossierEvent.dossier_id == dossier.id)).all())
    issued = set(issued_slip_kinds(actions))
    out = []
    for kind in SLIP_KINDS:
        if kind == "submission" and dossier.channel != "online":
            continue
        if kind != "submission" and kind not in issued:
            continue
        out.append(DocumentLink(kind, BiText.of(f"slip.{kind}"), f"/api/v1/dossiers/{dossier.code}/slips/{kind}.pdf"))
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
    fee_lines = _fee_lines(proc, dossier)
    request = dossier.supplement_request or {}
    supplement_open = dossier.status == Status.SUPPLEMENT
    rated = session.exec(select(Rating.id).where(Rating.dossier_id == dossier.id)).first() is not None
    vi, en = tracking.timeline(session, dossier, "vi"), tracking.timeline(session, dossier, "en")
    rows = [
        TimelineRow(fmt_moment(a.at), BiText(a.text, b.text), a.note, a.action) for a, b in zip(vi, en, strict=True)
    ]
    return DossierView(
        **head_of(dossier, proc.name_vi if proc else "", proc.name_en if proc else ""),
        center=center.name if center else "",
        center_address=center.address if center else "",
        expected_due=fmt_moment(expected_due(session, dossier, now)) if dossier.status == Status.SUBMITTED else "",
        fee_amount=dossier.fee_amount,
        fee=BiText(*fee_texts(dossier.fee_amount)),
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
        raise dossier_not_found()
    return dossier


def tracking_url(dossier: Dossier) -> str:
    return f"/dossiers/{dossier.code}?t={dossier.tracking_token}"


def pending_payment(session: Session, ref: str) -> Payment | None:
    return session.exec(select(Payment).where(Payment.gateway_ref == (ref or "")[:64])).first()


@dataclass
class FormLine:
    label: BiText = BiText()
    value: str = ""
    section: str = "request"


@dataclass
class AttachmentItem(FileItem):
    name: BiText = BiText()
    mime: str = ""
    kind: str = ""
    url: str = ""
    view: str = "file"  # how a browser shows it: "pdf" | "image" | "file" (HEIC: no browser shows it; open it)


@dataclass
class EventItem:
    at: str = ""
    action: str = ""
    label: BiText = BiText()
    actor: str = ""
    role: str = ""
    from_unit: str = ""
    to_unit: str = ""
    note: str = ""
    step_due: str = ""
    outcome: str = ""  # early | on_time | late | ""
    status: BiText = BiText()


@dataclass
class ActionItem:
    """An action this officer may take now and exactly the inputs it needs."""

    action: str = ""
    label: BiText = BiText()
    needs: list[str] = field(default_factory=list)
    danger: bool = False
    blocked: BiText = BiText()  # why it cannot be done yet (e.g. the fee is unpaid), shown instead of doing it


@dataclass
class DraftRow:
    key: str = ""
    label: str = ""
    value: str = ""


@dataclass
class DossierPage(DossierHead):
    step: str = ""
    step_label: BiText = BiText()
    procedure_version: int = 0
    left: BiText = BiText()
    paused: bool = False
    finished: str = ""
    on_time: str = ""  # "yes" | "no" | ""
    applicant_id: str = ""
    applicant_phone: str = ""
    applicant_address: str = ""
    on_behalf: bool = False
    acting_name: str = ""
    acting_role: str = ""
    consent: BiText = BiText()
    assignee: str = ""
    handling_center: str = ""
    receiving_center: str = ""
    fee: BiText = BiText()
    fee_status: str = ""
    fee_unpaid: bool = False
    not_registry_verified: bool = False  # typed at the counter, unknown to the registry
    draft: list[DraftRow] = field(default_factory=list)  # the result's particulars while processing
    draft_editable: bool = False  # specialist/leader, before signing
    preview_url: str = ""  # the unsigned result, marked as a draft (the leader looks before signing)
    delivery: BiText = BiText()  # how the applicant asked to receive the result (empty when not asked)
    return_default: str = "in_person"  # the return method that fulfils that choice (domain/release)
    supplement_items: list[str] = field(default_factory=list)
    supplement_deadline: str = ""
    supplement_provided: bool = False
    apology_issued: bool = False
    form: list[FormLine] = field(default_factory=list)
    attachments: list[AttachmentItem] = field(default_factory=list)
    documents: list[DocumentLink] = field(default_factory=list)
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
        options = {o.value: (o.label.vi, o.label.en) for o in spec.options}
        label = BiText(spec.label_vi, spec.label_en)
        lines.append(FormLine(label, _format_value(data[spec.name], spec.type, options), spec.section))
    return lines


def browser_view(mime: str) -> str:
    """How the officer's browser can show a file of this type: in its PDF viewer, as an image, or not at all
    (iPhone photos are HEIC, which no desktop browser draws: the page offers to open it instead)."""
    if mime == "application/pdf":
        return "pdf"
    return "image" if mime.startswith("image/") and mime not in ("image/heic", "image/heif") else "file"


def _attachment_items(proc: Procedure | None, rows: Sequence[Attachment]) -> list[AttachmentItem]:
    schema = schema_of(proc)
    out = []
    for a in rows:
        if a.kind == "result":
            continue  # the signed result is listed with the issued documents
        spec = schema.document(a.document_code)
        if spec is not None:
            name = BiText(spec.name_vi, spec.name_en)
        elif a.kind == "supplement" or a.document_code == "supplement":
            name = BiText("Giấy tờ bổ sung", "Supplementary document")
        elif a.kind == "consent":
            name = BiText("Xác nhận đồng ý của người dân", "The person's consent")
        else:
            name = BiText(a.document_code or a.filename, a.document_code or a.filename)
        out.append(
            AttachmentItem.of(
                a,
                "en",
                name=name,
                mime=a.mime,
                kind=a.kind,
                url=attachment_url(a.id or 0),
                view=browser_view(a.mime),
            )
        )
    return out


def _issued(dossier: Dossier, events: Sequence[DossierEvent]) -> list[DocumentLink]:
    kinds = issued_slip_kinds({e.action for e in events})
    if dossier.result_attachment_id:
        kinds.append("result")
    if events:
        kinds.append("control_sheet")
    return [DocumentLink(k, BiText.of(f"doc.{k}"), document_url(dossier.id or 0, k)) for k in kinds]


def _event_items(events: Sequence[DossierEvent]) -> list[EventItem]:
    out = []
    for e in events:
        try:
            label = BiText(*ACTION_LABELS[Action(e.action)])
        except ValueError:
            label = BiText(e.action, e.action)
        status = BiText.by(partial(lc.status_label, e.to_status)) if e.to_status is not None else BiText()
        out.append(
            EventItem(
                fmt_moment(e.at),
                e.action,
                label,
                e.actor_name,
                e.actor_role,
                e.from_unit,
                e.to_unit,
                e.note,
                fmt_moment(e.step_due_at),
                e.outcome,
                status,
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
        label = BiText(*ACTION_LABELS[action])
        item = ActionItem(action.value, label, _needs(actor, dossier, action), action in lc.DANGEROUS)
        if action == Action.RETURN_RESULT and fee_outstanding(dossier.fee_status, dossier.fee_amount):
            item.blocked = BiText.by(
                lambda lang: t("officer.fee_block", lang, amount=fmt_money(dossier.fee_amount, lang))
            )
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
        fee = BiText.by(
            lambda lang: f"{fmt_money(dossier.fee_amount, lang)} — {t(f'fee.status.{dossier.fee_status}', lang)}"
        )
    else:
        fee = BiText.of("fee.free")
    consent_text = BiText()
    if consent is not None:
        method, captured, place = consent.method, fmt_moment(consent.captured_at), consent.place or "—"
        consent_text = BiText.by(
            lambda lang: t("officer.consent", lang, method=t(f"consent.{method}", lang), time=captured, place=place)
        )
    draft_rows: list[DraftRow] = []
    if dossier.status == Status.PROCESSING and proc is not None:
        draft_rows = [DraftRow(ln.key, ln.label, ln.value) for ln in results.result_draft(session, dossier, proc)]
    return DossierPage(
        **head_of(dossier, proc.name_vi if proc else "", proc.name_en if proc else "", colour),
        step=dossier.step,
        step_label=BiText.by(partial(lc.step_label, dossier.step)),
        procedure_version=proc.version if proc else 0,
        left=BiText.by(lambda lang: time_left(now, dossier.due_at, dossier.paused_at, cal, lang))
        if colour
        else BiText(),
        paused=dossier.paused_at is not None,
        finished=fmt_moment(dossier.finished_at),
        on_time="" if dossier.on_time is None else ("yes" if dossier.on_time else "no"),
        applicant_id=dossier.applicant_national_id,
        applicant_phone=dossier.applicant_phone,
        applicant_address=str(data.get("address") or ""),
        on_behalf=dossier.on_behalf,
        acting_name=acting.full_name if acting else "",
        acting_role=acting.role if acting else "",
        consent=consent_text,
        assignee=assignee.full_name if assignee else "",
        handling_center=handling.name if handling else "",
        receiving_center=receiving.name if receiving else "",
        fee=fee,
        fee_status=dossier.fee_status,
        fee_unpaid=fee_outstanding(dossier.fee_status, dossier.fee_amount),
        delivery=BiText.of(f"delivery.{dossier.delivery}") if dossier.delivery else BiText(),
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
