"""Documents a dossier has, rendered or fetched on demand: slips, the submission receipt, the result.

Why on the read side: slips are drawn from the dossier and its append-only events
(same facts, same PDF) and the signed result is read from storage; nothing is
written. Where the officer API serves them (`document_url`, `attachment_url`,
`DOCUMENT_KINDS`) is in `read/dossier_detail.py`, beside the page that links them.
"""

from __future__ import annotations

from sqlmodel import Session, select

from onestop import clock
from onestop.documents import pdf
from onestop.documents.data import DocumentLine
from onestop.domain.errors import DomainError
from onestop.domain.lifecycle import SLIP_EVENTS
from onestop.domain.release import result_release
from onestop.models import Attachment, Dossier, Procedure
from onestop.read import dossier_detail
from onestop.read.format import fee_texts
from onestop.read.schemas import schema_of
from onestop.services import uploads
from onestop.services.actor import Actor
from onestop.services.permissions import can_view_dossier
from onestop.services.results import letterhead_for, render_document, summary_for

# --------------------------------------------------------------------------- documents


def submission_receipt(session: Session, actor: Actor, dossier: Dossier) -> tuple[str, bytes]:
    """The online-submission acknowledgement with QR: what was sent, when, and the expected due date.

    Why not the reception slip: an online dossier is received (and its legal clock
    started) only when an officer checks it; until then the person still needs a
    paper proving what they sent and how to follow it.
    """
    if not can_view_dossier(actor, dossier) or dossier.channel != "online":
        raise DomainError(
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
        sheet.field(
            "Hạn trả kết quả dự kiến", pdf.format_datetime(dossier_detail.expected_due(session, dossier)), bold=True
        )
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
    dossier = dossier_detail.open_for_owner(session, actor, code)
    if kind == "submission":
        return submission_receipt(session, actor, dossier)
    if kind not in SLIP_EVENTS:
        raise DomainError("unknown_document", "Loại văn bản không hợp lệ.", "Unknown document kind.", status=404)
    return render_document(session, actor, dossier, kind)


def result_file(session: Session, actor: Actor, code: str) -> tuple[Attachment, bytes]:
    """The signed electronic result, for the applicant once it is issued."""
    dossier = dossier_detail.my_dossier(session, actor, code)
    release = result_release(
        dossier.status, dossier.result_attachment_id is not None, dossier.fee_status, dossier.fee_amount
    )
    if not release.allowed:  # not ready: 404; ready but the fee is unpaid: 403 (domain/release, same as the counter)
        raise DomainError(release.code, release.vi, release.en, status=403 if release.code == "fee_unpaid" else 404)
    assert dossier.result_attachment_id is not None
    return uploads.read_attachment(session, actor, dossier.result_attachment_id)
