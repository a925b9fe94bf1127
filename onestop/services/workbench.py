"""The officer workbench: inbox rows, the dossier page, actions from form inputs, bulk, counter intake.

Why a module of its own: the Reflex pages must stay thin (no SQL, no rules), yet
they need data shaped for display — both languages side by side, dates already
formatted, the deadline colour and the working time left already decided — and
they receive every input as text. This module does that shaping and parsing on
top of the use cases (`inbox`, `dossiers`, `uploads`, `payments`), so it can be
tested without a browser and every rule stays where it already lives.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time

import sqlalchemy as sa
from sqlmodel import Session, select

from onestop import clock
from onestop.adapters.population import LocalPopulationRegistry, ResidentRecord
from onestop.domain import lifecycle as lc
from onestop.domain.calendar import WorkingCalendar
from onestop.domain.deadlines import remaining_working_seconds, row_colour
from onestop.domain.errors import ConcurrentChange, DomainError, PermissionDenied
from onestop.domain.forms import form_input, parse_national_id
from onestop.domain.lifecycle import ACTION_LABELS, Action, Role, Status
from onestop.domain.reception import RECEPTION_CHANNELS, is_reception_overdue, waited_seconds
from onestop.domain.release import RETURN_METHOD_OF, fee_outstanding
from onestop.i18n import t
from onestop.models import Attachment, Center, Consent, Dossier, DossierEvent, Procedure, ProcedureField, User
from onestop.read import inbox
from onestop.read.format import fmt_day, fmt_moment, fmt_money, fmt_size, fmt_working
from onestop.read.reception import reception_overdue_count
from onestop.read.schemas import schema_of
from onestop.services import payments, results
from onestop.services.actor import Actor
from onestop.services.calendar import load_calendar
from onestop.services.dossiers import (
    MANUAL_ENTRY_FLAG,
    RETURN_METHODS,
    ActionInput,
    available_actions,
    current_procedure,
    file_dossier,
    get_dossier,
    perform,
)
from onestop.services.permissions import require_center_scope, require_role
from onestop.services.results import issued_slip_kinds
from onestop.settings import get_settings

#: When a deadline date is given as a day, it means the end of that working day.
END_OF_DAY = time(17, 0)


def document_url(dossier_id: int, kind: str) -> str:
    """Where the officer API serves one slip of a dossier (onestop.api.officer)."""
    return f"/api/v1/officer/dossiers/{dossier_id}/documents/{kind}"


def attachment_url(attachment_id: int) -> str:
    return f"/api/v1/officer/attachments/{attachment_id}"


def _require_officer(actor: Actor) -> None:
    require_role(actor, tuple(lc.OFFICER_ROLES))


# --------------------------------------------------------------------------- working time in words


def time_left(now: datetime, due: datetime | None, paused_at: datetime | None, cal: WorkingCalendar, lang: str) -> str:
    """ "Còn 2 ngày 3 giờ làm việc" / "Quá hạn 4 giờ làm việc" / paused: what was left at the pause."""
    if due is None:
        return ""
    moment = paused_at or now
    secs = remaining_working_seconds(moment, due, cal)
    if secs < 0 or (secs == 0 and moment > due):
        return t("officer.time_overdue", lang, time=fmt_working(-secs, cal.office_hours.seconds_per_day, lang))
    key = "officer.time_left_paused" if paused_at else "officer.time_left"
    return t(key, lang, time=fmt_working(secs, cal.office_hours.seconds_per_day, lang))


# --------------------------------------------------------------------------- inbox


@dataclass
class InboxItem:
    """One inbox row, ready to show (both languages; dates formatted; colour decided)."""

    id: int = 0
    code: str = ""
    procedure_code: str = ""
    procedure_vi: str = ""
    procedure_en: str = ""
    applicant: str = ""
    channel: str = ""
    status: int = 0
    status_vi: str = ""
    status_en: str = ""
    step: str = ""
    received: str = ""
    due: str = ""
    colour: str = ""  # green | amber | red | grey | "" (no clock yet / finished)
    left_vi: str = ""
    left_en: str = ""
    version: int = 0
    mine: bool = False
    reception_overdue: bool = False  # waiting for reception past the deadline (domain/reception)


def _reception_wait(
    status: int, channel: str, submitted_at: datetime | None, now: datetime, cal: WorkingCalendar
) -> tuple[bool, str, str]:
    """(overdue, "Chờ tiếp nhận 3 giờ", English) for a dossier waiting for reception; empty otherwise."""
    if status != Status.SUBMITTED or submitted_at is None or channel not in RECEPTION_CHANNELS:
        return False, "", ""
    waited = waited_seconds(submitted_at, now, cal)
    overdue = is_reception_overdue(submitted_at, now, get_settings().reception_deadline_hours, cal)
    key = "reception.overdue" if overdue else "reception.waiting"
    per_day = cal.office_hours.seconds_per_day
    return (
        overdue,
        t(key, "vi", time=fmt_working(waited, per_day, "vi")),
        t(key, "en", time=fmt_working(waited, per_day, "en")),
    )


@dataclass
class InboxView:
    items: list[InboxItem] = field(default_factory=list)
    next_cursor: str = ""  # "<rank>|<iso moment>|<id>" of the last row, "" when this is the last page
    reception_overdue: int = 0  # of the actor's center: dossiers past the reception deadline (read/reception)
    reception_overdue_vi: str = ""
    reception_overdue_en: str = ""


@dataclass
class Choice:
    """A value and its label in both languages (selects in the pages)."""

    value: str = ""
    label_vi: str = ""
    label_en: str = ""


def encode_cursor(cursor: tuple[int, str, int] | None) -> str:
    return f"{cursor[0]}|{cursor[1]}|{cursor[2]}" if cursor else ""


def decode_cursor(text: str) -> tuple[int, str, int] | None:
    """The browser hands the cursor back as text; anything malformed means "first page"."""
    parts = (text or "").split("|")
    if len(parts) != 3:
        return None
    try:
        datetime.fromisoformat(parts[1])
        return int(parts[0]), parts[1], int(parts[2])
    except ValueError:
        return None


def parse_day(text: str) -> date | None:
    """An <input type=date> value ("2026-11-21"); empty or malformed → None (the filter is off)."""
    try:
        return date.fromisoformat((text or "").strip())
    except ValueError:
        return None


def inbox_view(
    session: Session, actor: Actor, tab: str, flt: inbox.InboxFilter | None = None, after: str = "", limit: int = 50
) -> InboxView:
    """One page of a tab through `inbox.inbox_page` (keyset on (due_at, id)), shaped for display."""
    page = inbox.inbox_page(session, actor, tab, flt, after=decode_cursor(after), limit=limit)
    now = clock.now()
    cal = load_calendar(session)
    items = []
    for r in page.rows:
        colour = row_colour(now, r.status, r.due_at, r.paused, cal)  # red exactly when the inbox ranks it late
        # Paused rows say "paused"; the dossier page shows what was left at the pause.
        ticking = colour in ("green", "amber", "red")
        waiting = _reception_wait(r.status, r.channel, r.submitted_at, now, cal)
        if waiting[0]:
            colour = "red"  # past the reception deadline: flagged like an overdue dossier
        items.append(
            InboxItem(
                id=r.id,
                code=r.code,
                procedure_code=r.procedure_code,
                procedure_vi=r.procedure_name_vi,
                procedure_en=r.procedure_name_en,
                applicant=r.applicant_name,
                channel=r.channel,
                status=r.status,
                status_vi=lc.status_label(r.status, "vi"),
                status_en=lc.status_label(r.status, "en"),
                step=r.step,
                received=fmt_moment(r.received_at or r.submitted_at),
                due=fmt_moment(r.due_at),
                colour=colour,
                left_vi=time_left(now, r.due_at, None, cal, "vi") if ticking else waiting[1],
                left_en=time_left(now, r.due_at, None, cal, "en") if ticking else waiting[2],
                reception_overdue=waiting[0],
                version=r.version,
                mine=r.assignee_id is not None and r.assignee_id == actor.user_id,
            )
        )
    overdue = reception_overdue_count(session, actor.center_id, now) if actor.center_id else 0
    hours = f"{get_settings().reception_deadline_hours:g}"
    return InboxView(
        items,
        encode_cursor(page.next_cursor),
        overdue,
        t("reception.overdue_count", "vi", count=overdue, hours=hours) if overdue else "",
        t("reception.overdue_count", "en", count=overdue, hours=hours) if overdue else "",
    )


def filter_choices(session: Session, actor: Actor) -> tuple[list[Choice], list[Choice]]:
    """(fields, current procedures) for the inbox filters."""
    _require_officer(actor)
    fields = [
        Choice(f.code, f.name_vi, f.name_en) for f in session.exec(select(ProcedureField).order_by(ProcedureField.id))
    ]
    procs = [
        Choice(p.code, p.name_vi, p.name_en)
        for p in session.exec(select(Procedure).where(Procedure.is_current.is_(True)).order_by(Procedure.name_vi))
    ]
    return fields, procs


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
class DossierPage:
    id: int = 0
    code: str = ""
    version: int = 0
    status: int = 0
    status_vi: str = ""
    status_en: str = ""
    step: str = ""
    step_vi: str = ""
    step_en: str = ""
    procedure_code: str = ""
    procedure_vi: str = ""
    procedure_en: str = ""
    procedure_version: int = 0
    channel: str = ""
    submitted: str = ""
    received: str = ""
    due: str = ""
    colour: str = ""
    left_vi: str = ""
    left_en: str = ""
    paused: bool = False
    finished: str = ""
    on_time: str = ""  # "yes" | "no" | ""
    applicant: str = ""
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
    _require_officer(actor)
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
        id=dossier.id or 0,
        code=dossier.code or "",
        version=dossier.version,
        status=dossier.status,
        status_vi=lc.status_label(dossier.status, "vi"),
        status_en=lc.status_label(dossier.status, "en"),
        step=dossier.step,
        step_vi=step_vi,
        step_en=step_en,
        procedure_code=dossier.procedure_code,
        procedure_vi=proc.name_vi if proc else "",
        procedure_en=proc.name_en if proc else "",
        procedure_version=proc.version if proc else 0,
        channel=dossier.channel,
        submitted=fmt_moment(dossier.submitted_at),
        received=fmt_moment(dossier.received_at),
        due=fmt_moment(dossier.due_at),
        colour=colour,
        left_vi="" if not colour else time_left(now, dossier.due_at, dossier.paused_at, cal, "vi"),
        left_en="" if not colour else time_left(now, dossier.due_at, dossier.paused_at, cal, "en"),
        paused=dossier.paused_at is not None,
        finished=fmt_moment(dossier.finished_at),
        on_time="" if dossier.on_time is None else ("yes" if dossier.on_time else "no"),
        applicant=dossier.applicant_name,
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


def assignee_choices(session: Session, actor: Actor, dossier_id: int | None = None) -> list[Choice]:
    """Active specialists and leaders of the dossier's handling center (or the officer's own center)."""
    _require_officer(actor)
    center_id = actor.center_id
    if dossier_id is not None:
        center_id = get_dossier(session, actor, dossier_id=dossier_id).handling_center_id
    if center_id is None:
        return []
    users = session.exec(
        select(User)
        .where(User.center_id == center_id, User.active.is_(True), User.role.in_([Role.SPECIALIST, Role.LEADER]))
        .order_by(User.role.desc(), User.full_name)
    )
    return [
        Choice(
            str(u.id),
            f"{u.full_name} — {u.title or t(f'role.{u.role}', 'vi')}",
            f"{u.full_name} — {u.title or t(f'role.{u.role}', 'en')}",
        )
        for u in users
    ]


def center_choices(session: Session, actor: Actor, exclude: int | None = None) -> list[Choice]:
    """Active centers a dossier can be transferred to."""
    _require_officer(actor)
    rows = session.exec(select(Center).where(Center.active.is_(True)).order_by(Center.name))
    return [Choice(str(c.id), c.name, c.name) for c in rows if c.id != exclude]


# --------------------------------------------------------------------------- acting from form inputs


def _bad(code: str, vi: str, en: str, field_name: str) -> DomainError:
    return DomainError(code, vi, en, field=field_name, status=422)


def _day_end(text: str, field_name: str) -> datetime | None:
    text = (text or "").strip()
    if not text:
        return None
    day = parse_day(text)
    if day is None:
        raise _bad("date_invalid", "Ngày không hợp lệ.", "Invalid date.", field_name)
    return datetime.combine(day, END_OF_DAY)


def _int_or_none(text: str, field_name: str) -> int | None:
    text = (text or "").strip().replace(".", "").replace(",", "").replace(" ", "")
    if not text:
        return None
    try:
        return int(text)
    except ValueError as exc:
        raise _bad("number_invalid", "Vui lòng nhập một số.", "Please enter a number.", field_name) from exc


def action_input(inputs: Mapping[str, str]) -> ActionInput:
    """Turn the dialog's text inputs into the typed ActionInput the rules check.

    Dates arrive as days (yyyy-mm-dd) and mean the end of that working day (17:00):
    a supplement deadline or a new appointment "on 25/11" is kept until closing time.
    """
    items = [line.strip(" -•\t") for line in (inputs.get("missing_items") or "").splitlines()]
    return ActionInput(
        reason=inputs.get("reason", ""),
        note=inputs.get("note", ""),
        missing_items=[i for i in items if i],
        supplement_deadline=_day_end(inputs.get("supplement_deadline", ""), "supplement_deadline"),
        assignee_id=_int_or_none(inputs.get("assignee", ""), "assignee"),
        target_center_id=_int_or_none(inputs.get("target_center", ""), "target_center"),
        new_due_at=_day_end(inputs.get("new_due_at", ""), "new_due_at"),
        amount=_int_or_none(inputs.get("amount", ""), "amount"),
        return_method=(inputs.get("return_method") or "").strip(),
        recipient_id=(inputs.get("recipient_id") or "").strip()[:20],
        opinion=inputs.get("opinion", ""),
    )


@dataclass
class DraftRow:
    key: str = ""
    label: str = ""
    value: str = ""


def save_draft(session: Session, actor: Actor, dossier_id: int, values: Mapping[str, str]) -> list[DraftRow]:
    """The specialist's corrections to the drafted result (services/results); the caller commits."""
    _require_officer(actor)
    dossier = get_dossier(session, actor, dossier_id=dossier_id)
    require_center_scope(actor, dossier.handling_center_id)
    lines = results.save_result_draft(session, actor, dossier, {k: str(v) for k, v in values.items()})
    return [DraftRow(ln.key, ln.label, ln.value) for ln in lines]


@dataclass
class ActionDone:
    code: str
    action: str
    document_kind: str  # the slip this action produced ("" when none)
    document_url: str


def act(
    session: Session, actor: Actor, dossier_id: int, action: str, expected_version: int, inputs: Mapping[str, str]
) -> ActionDone:
    """Take one action as the officer saw the dossier (`expected_version`); ConcurrentChange when stale."""
    _require_officer(actor)
    dossier = perform(session, actor, dossier_id, action, expected_version=expected_version, data=action_input(inputs))
    kind = lc.DOCUMENT_OF.get(Action(action), "")
    return ActionDone(dossier.code or "", action, kind, document_url(dossier.id or 0, kind) if kind else "")


@dataclass
class BulkOutcome:
    code: str = ""
    ok: bool = False
    message_vi: str = ""
    message_en: str = ""


def bulk_act(
    session: Session, actor: Actor, targets: Sequence[tuple[int, int]], action: str, inputs: Mapping[str, str]
) -> list[BulkOutcome]:
    """The same action on several dossiers: one transaction and one audit event each.

    `targets` are (dossier id, version seen). A dossier that changed meanwhile or
    does not allow the action is reported and skipped; the others go through.
    """
    _require_officer(actor)
    if Action(action) not in lc.BULK_ACTIONS:
        raise DomainError(
            "bulk_not_allowed",
            "Thao tác này không làm được cho nhiều hồ sơ cùng lúc.",
            "This action cannot be done on several dossiers at once.",
            status=422,
        )
    data = action_input(inputs)
    out = []
    for dossier_id, version in targets:
        try:
            with session.begin_nested():  # a refused dossier leaves no trace; the others stand
                dossier = perform(session, actor, dossier_id, action, expected_version=version, data=data)
            out.append(BulkOutcome(dossier.code or "", True))
        except DomainError as err:
            found = session.get(Dossier, dossier_id)
            out.append(BulkOutcome(found.code or "" if found else str(dossier_id), False, err.vi, err.en))
    return out


def counter_payment(session: Session, actor: Actor, dossier_id: int, expected_version: int) -> Dossier:
    """Card/QR payment taken at the counter by the receiver (lifts the fee block on returning)."""
    require_role(actor, lc.COUNTER_PAYMENT_ROLES)
    dossier = get_dossier(session, actor, dossier_id=dossier_id)
    require_center_scope(actor, dossier.handling_center_id)
    if dossier.version != expected_version:
        raise ConcurrentChange()
    payments.record_counter_payment(session, dossier, actor)
    session.refresh(dossier)
    return dossier


# --------------------------------------------------------------------------- counter intake


@dataclass
class FieldItem:
    """One form input for the counter form (the schema's field, ready to render)."""

    name: str = ""
    type: str = "text"
    label_vi: str = ""
    label_en: str = ""
    required: bool = False
    options: list[Choice] = field(default_factory=list)
    locked: bool = False  # the registry is the source of truth: shown, not edited
    help_vi: str = ""
    help_en: str = ""


@dataclass
class DocumentItem:
    code: str = ""
    name_vi: str = ""
    name_en: str = ""
    required: bool = True
    state_held: bool = False


@dataclass
class PersonCard:
    resident_id: int = 0
    national_id: str = ""
    full_name: str = ""
    date_of_birth: str = ""
    gender: str = ""
    phone: str = ""
    address: str = ""


def _require_counter(actor: Actor) -> None:
    require_role(actor, (Role.RECEIVER, Role.ADMIN))
    if actor.center_id is None:
        raise PermissionDenied(
            "Tiếp nhận tại quầy cần tài khoản thuộc một trung tâm.",
            "Counter intake needs an account that belongs to a center.",
            code="no_center",
        )


def lookup_person(session: Session, actor: Actor, national_id: str) -> tuple[PersonCard, dict[str, str]]:
    """The person at the counter, from the population registry by ID number, and the form prefill."""
    _require_counter(actor)
    digits = "".join(ch for ch in national_id if ch.isdigit())
    if len(digits) != 12:
        raise _bad(
            "national_id_invalid",
            "Số định danh cá nhân gồm 12 chữ số.",
            "A personal ID number has 12 digits.",
            "national_id",
        )
    record: ResidentRecord | None = LocalPopulationRegistry(session).by_national_id(digits)
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
        record.gender,
        record.phone,
        record.address,
    )
    return card, {k: str(v) for k, v in record.prefill().items()}


def counter_form(
    session: Session, actor: Actor, procedure_code: str, prefill: Mapping[str, str]
) -> tuple[list[FieldItem], list[DocumentItem], dict[str, str]]:
    """The procedure's form (same schema as online) with values pre-filled from the registry."""
    _require_counter(actor)
    proc = current_procedure(session, procedure_code)
    schema = schema_of(proc)
    fields_, values = [], {}
    for spec in schema.fields:
        fields_.append(
            FieldItem(
                spec.name,
                spec.type,
                spec.label_vi,
                spec.label_en,
                spec.required,
                [Choice(o.value, o.label_vi, o.label_en) for o in spec.options],
                spec.registry_authoritative and bool(spec.autofill and spec.autofill in prefill),
                spec.help_vi,
                spec.help_en,
            )
        )
        values[spec.name] = str(prefill.get(spec.autofill or "", "")) if spec.autofill else ""
        if spec.type == "checkbox":
            values[spec.name] = ""
    docs = [DocumentItem(d.code, d.name_vi, d.name_en, d.required, d.state_held) for d in schema.documents]
    return fields_, docs, values


def procedure_choices(session: Session) -> list[Choice]:
    return [
        Choice(p.code, p.name_vi, p.name_en)
        for p in session.exec(
            select(Procedure)
            .where(Procedure.is_current.is_(True))
            .order_by(Procedure.popularity.desc(), Procedure.name_vi)
        )
    ]


def manual_person(actor: Actor, national_id: str) -> PersonCard:
    """A person the registry does not know: only the ID number is known yet; it must pass the number's rules."""
    _require_counter(actor)
    digits = "".join(ch for ch in national_id if ch.isdigit())
    if len(digits) != 12 or parse_national_id(digits) is None:
        raise _bad(
            "national_id_invalid",
            "Số định danh cá nhân không hợp lệ (12 chữ số, mã tỉnh nơi đăng ký khai sinh ở 3 số đầu).",
            "The personal ID number is not valid (12 digits starting with a province code).",
            "national_id",
        )
    return PersonCard(0, digits)


def file_at_counter(
    session: Session,
    actor: Actor,
    *,
    procedure_code: str,
    resident_id: int | None,
    values: Mapping[str, str],
    attachment_ids: Sequence[int],
    manual: bool = False,
) -> ActionDone:
    """File for the person at the counter and receive it at once (channel "direct"); the receipt is ready."""
    _require_counter(actor)
    proc = current_procedure(session, procedure_code)
    data = form_input(schema_of(proc), values)
    dossier = file_dossier(
        session,
        actor,
        procedure_code=procedure_code,
        form_data=data,
        channel="direct",
        center_id=actor.center_id or 0,
        attachment_ids=list(attachment_ids),
        resident_id=None if manual else resident_id,
        receive_now=True,
        manual_entry=manual,
    )
    return ActionDone(dossier.code or "", Action.RECEIVE.value, "receipt", document_url(dossier.id or 0, "receipt"))


def officer_uploads(session: Session, actor: Actor, ids: Sequence[int]) -> list[AttachmentItem]:
    """The files this officer uploaded for a counter dossier not yet filed (to list and preview them)."""
    _require_officer(actor)
    if not ids:
        return []
    rows = session.exec(
        select(Attachment)
        .where(Attachment.id.in_(list(ids)), Attachment.owner_user_id == actor.user_id, Attachment.dossier_id.is_(None))
        .order_by(Attachment.id)
    )
    return _attachment_items(None, list(rows))


def count_open_for_center(session: Session, center_id: int) -> int:
    """Open dossiers a center handles (admin: may a center be deactivated?)."""
    return int(
        session.exec(
            select(sa.func.count())
            .select_from(Dossier)
            .where(Dossier.handling_center_id == center_id, Dossier.status.in_([int(s) for s in lc.OPEN]))
        ).one()
    )


__all__ = [
    "RETURN_METHODS",
    "ActionDone",
    "ActionItem",
    "BulkOutcome",
    "Choice",
    "DossierPage",
    "InboxItem",
    "InboxView",
    "act",
    "action_input",
    "assignee_choices",
    "bulk_act",
    "center_choices",
    "counter_form",
    "counter_payment",
    "dossier_page",
    "file_at_counter",
    "filter_choices",
    "inbox_view",
    "lookup_person",
    "procedure_choices",
]
