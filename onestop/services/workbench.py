"""The officer workbench's use cases: act on a dossier, bulk actions, draft corrections, counter filing.

Why a module of its own: pages send every input as text; this module turns dialog
text into the typed `ActionInput` the rules check and calls the shared use cases
(`dossiers.perform`, `file_dossier`, `payments`, `results`) inside the edge's
transaction. What the pages show is read from `read/inbox_rows.py`,
`read/dossier_detail.py`, `read/filing_forms.py` and `read/choices.py`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, time

from sqlmodel import Session

from onestop.domain import lifecycle as lc
from onestop.domain.errors import ConcurrentChange, DomainError
from onestop.domain.forms import form_input, parse_day
from onestop.domain.lifecycle import Action
from onestop.models import Dossier
from onestop.read.dossier_detail import DraftRow, document_url
from onestop.read.schemas import schema_of
from onestop.services import payments, results
from onestop.services.actor import Actor
from onestop.services.dossiers import ActionInput, current_procedure, file_dossier, get_dossier, perform
from onestop.services.permissions import require_center_scope, require_counter, require_officer, require_role

#: When a deadline date is given as a day, it means the end of that working day.
END_OF_DAY = time(17, 0)


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


def save_draft(session: Session, actor: Actor, dossier_id: int, values: Mapping[str, str]) -> list[DraftRow]:
    """The specialist's corrections to the drafted result (services/results); the caller commits."""
    require_officer(actor)
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
    require_officer(actor)
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
    require_officer(actor)
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
    require_counter(actor)
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
