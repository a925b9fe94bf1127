"""What a citizen does from the portal: upload, file, pay, send a supplement, rate.

Why a module of its own: each is a use case the portal's pages call inside the
edge's `transaction()`; they check the person (`my_dossier`, role) and hand over to
the use cases every channel shares (`file_dossier(channel="online")`, `perform`,
`store_upload`, `start_online_payment`, `rate_dossier`). What the pages show is
read from `read/filing_forms.py`, `read/procedure.py` and `read/dossier_detail.py`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from sqlmodel import Session

from onestop.domain.errors import DomainError
from onestop.domain.forms import form_input
from onestop.domain.lifecycle import is_terminal
from onestop.domain.ratings import RatingInput
from onestop.models import Attachment, Dossier, Rating
from onestop.read import reference
from onestop.read.dossier_detail import my_dossier
from onestop.read.filing_forms import PendingFile, pending_file
from onestop.read.procedure import centers_for
from onestop.read.schemas import schema_of
from onestop.services import payments, uploads
from onestop.services.actor import Actor
from onestop.services.dossiers import current_procedure, file_dossier
from onestop.services.permissions import require_role
from onestop.settings import get_settings


def upload_document(
    session: Session, actor: Actor, procedure_code: str, document_code: str, filename: str, data: bytes
) -> PendingFile:
    """Store one file for the draft (size, name and real type checked by `uploads.store_upload`)."""
    require_role(actor, ["citizen"])
    return pending_file(
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
        raise DomainError(
            "wallet_type",
            "Giấy tờ này không đúng loại tệp cần nộp.",
            "This file is not of an accepted type.",
            status=422,
        )
    return pending_file(uploads.reuse_from_wallet(session, actor, wallet_id, document_code))


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
    # the current version from memory (read.reference; file_dossier's write checks it is still current)
    proc = reference.current_procedure(session, procedure_code) or current_procedure(session, procedure_code)
    schema = schema_of(proc)
    if not (str(center_id).isascii() and str(center_id).isdigit()):
        raise DomainError(
            "center_required",
            "Vui lòng chọn nơi nộp hồ sơ.",
            "Please choose where to file.",
            field="center",
            status=422,
        )
    allowed = {c.id for c in centers_for(session, proc)}
    if int(center_id) not in allowed:  # refused only on fresh rows: the centers held may be a few seconds old
        reference.forget()
        allowed = {c.id for c in centers_for(session, proc)}
    if int(center_id) not in allowed:
        raise DomainError(
            "center_not_allowed",
            "Nơi nộp hồ sơ không hợp lệ cho thủ tục này.",
            "This center does not accept this procedure.",
            field="center",
            status=422,
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
        raise DomainError(
            "nothing_to_pay", "Hồ sơ này không có khoản phí cần nộp.", "There is no fee to pay.", status=409
        )
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
        raise DomainError("bad_amount", "Số tiền không hợp lệ.", "Invalid amount.", status=400) from None
    payment = payments.confirm_gateway_callback(
        session, (ref or "")[:64], value, (status or "")[:10], (signature or "")[:128]
    )
    dossier = session.get(Dossier, payment.dossier_id)
    path = _local_path(return_url)
    outcome = "paid" if payment.status == "paid" else "failed"
    sep = "&" if "?" in path else "?"
    return PaymentOutcome(outcome, dossier.code if dossier else "", f"{path}{sep}payment={outcome}")


# --------------------------------------------------------------------------- supplement and rating


def provide_supplement(session: Session, actor: Actor, code: str, attachment_ids: list[int], note: str) -> Dossier:
    """Send what the officer asked for; the lifecycle use case checks status, ownership and content."""
    from onestop.domain.lifecycle import Action
    from onestop.services.dossiers import ActionInput, perform

    dossier = my_dossier(session, actor, code)
    if len(note or "") > 2000:
        raise DomainError(
            "note_too_long",
            "Ghi chú quá dài (tối đa 2000 ký tự).",
            "The note is too long (at most 2000).",
            field="note",
            status=422,
        )
    return perform(
        session,
        actor,
        dossier.id,
        Action.PROVIDE_SUPPLEMENT,
        expected_version=dossier.version,
        data=ActionInput(note=(note or "").strip(), attachment_ids=list(attachment_ids)),
    )


def rate(session: Session, actor: Actor, code: str, given: RatingInput) -> Rating:
    """The owner rates their dossier `code` (someone else's is "not found", as everywhere on the owner's side)."""
    from onestop.services.ratings import rate_dossier

    return rate_dossier(session, actor, my_dossier(session, actor, code).id, given)
