"""Fees charged from the form's data on every channel, exemptions with evidence, and the e-receipt PDF."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlmodel import select

from onestop import clock
from onestop.adapters.payment import GatewayResult, default_gateway
from onestop.domain.errors import DomainError
from onestop.models import Dossier, Payment, Resident
from onestop.read import documents, dossier_detail, filing_forms
from onestop.services import filing, workbench
from onestop.services.dossiers import file_dossier
from onestop.services.payments import confirm_gateway_callback, record_counter_payment
from onestop.services.results import render_document
from tests.integration.helpers import actor, attach, center, form_for, user
from tests.pdftext import pdf_text

MONDAY = datetime(2026, 11, 23, 9, 0)


@pytest.fixture(autouse=True)
def _monday():
    clock.set_now(MONDAY)
    yield
    clock.set_now(None)


def _citizen_files(session, code: str, data: dict, docs: list[str]) -> Dossier:
    citizen = user(session, "citizen")
    resident = session.exec(select(Resident).where(Resident.national_id == citizen.national_id)).one()
    values = {k: v for k, v in form_for(session, "1.004873", resident).items() if k not in ("purpose",)}
    values.update(data)
    atts = [attach(session, citizen, d).id for d in docs]
    return file_dossier(
        session,
        actor(session, "citizen"),
        procedure_code=code,
        form_data=values,
        channel="online",
        center_id=center(session).id,
        attachment_ids=atts,
    )


def test_three_pages_three_copies_online_is_15000_from_review_to_gateway_and_receipt(session):
    data = {"document_title": "Bằng tốt nghiệp", "pages": 3, "copies": 3}
    d = _citizen_files(session, "2.000815", data, ["original_scan"])
    assert (d.fee_amount, d.fee_status) == (15000, "unpaid")
    view = dossier_detail.dossier_view(session, actor(session, "citizen"), d)
    assert view.fee.vi == "15.000 đồng" and view.can_pay
    assert view.fee_lines_vi == ["Bản chứng thực (3 trang/bản): 3 × 5.000 đồng = 15.000 đồng"]
    assert view.fee_lines_en == ["Certified copies (3 page(s) each): 3 × 5.000 VND = 15.000 VND"]
    url = filing.start_payment(session, actor(session, "citizen"), d.code)
    q = parse_qs(urlsplit(url).query)
    assert q["amount"] == ["15000"]
    payment = session.exec(select(Payment).where(Payment.dossier_id == d.id)).one()
    assert payment.amount == 15000
    with pytest.raises(DomainError):  # no receipt before the payment
        render_document(session, actor(session, "citizen"), d, "fee_receipt")
    sig = default_gateway().sign(GatewayResult(payment.gateway_ref, 15000, "paid"))
    confirm_gateway_callback(session, payment.gateway_ref, 15000, "paid", sig)
    session.refresh(d)
    assert d.fee_status == "paid"
    view = dossier_detail.dossier_view(session, actor(session, "citizen"), d)
    assert "fee_receipt" in {s.kind for s in view.slips}
    name, pdf = documents.slip(session, actor(session, "citizen"), d.code, "fee_receipt")
    text = pdf_text(pdf)
    assert name.endswith("-fee_receipt.pdf")
    for words in (
        "BIÊN LAI THU PHÍ, LỆ PHÍ",
        "Nguyễn Thị Lan",
        d.code,
        "Bản chứng thực (3 trang/bản)",
        "3 × 5.000 đồng = 15.000 đồng",
        "Mười lăm nghìn đồng",
        payment.gateway_ref,
        "2.000 đồng/trang đối với trang thứ nhất",
    ):
        assert words in text, words
    # the officer sees the same receipt among the dossier's documents
    page = dossier_detail.dossier_page(session, actor(session, "receiver"), d.code)
    assert "fee_receipt" in {doc.kind for doc in page.documents}


def test_two_extract_copies_at_the_counter_cost_two_copies(session):
    receiver = actor(session, "receiver")
    resident = session.exec(select(Resident).order_by(Resident.id).offset(7)).first()
    card, prefill = filing_forms.lookup_person(session, receiver, resident.national_id)
    values = {
        "phone": "0912345678",
        "address": "Thôn Đông, xã Hòa An",
        **{k: v for k, v in prefill.items() if v},
        "extract_kind": "birth",
        "copies": "2",
        "declaration": "true",
    }
    done = workbench.file_at_counter(
        session, receiver, procedure_code="2.000635", resident_id=card.resident_id, values=values, attachment_ids=[]
    )
    d = session.exec(select(Dossier).where(Dossier.code == done.code)).one()
    assert (d.fee_amount, d.fee_status, d.channel) == (16000, "unpaid", "direct")
    record_counter_payment(session, d, receiver)
    text = pdf_text(render_document(session, receiver, d, "fee_receipt")[1])
    assert "Số bản: 2 × 8.000 đồng = 16.000 đồng" in text and "Mười sáu nghìn đồng" in text
    assert "tại quầy" in text


def test_reduction_needs_its_evidence_and_exemption_owes_nothing(session):
    base = {"form_kind": "1", "purpose": "Xin việc"}
    with pytest.raises(DomainError) as exc:
        _citizen_files(session, "3.000333", {**base, "fee_category": "student"}, [])
    assert exc.value.code == "fee_evidence_missing" and "Thẻ sinh viên" in exc.value.vi
    d = _citizen_files(session, "3.000333", {**base, "fee_category": "student"}, ["fee_evidence"])
    assert (d.fee_amount, d.fee_status) == (50000, "unpaid")  # 100,000 reduced rate, halved online
    d = _citizen_files(session, "3.000333", {**base, "fee_category": "child"}, ["fee_evidence"])
    assert (d.fee_amount, d.fee_status) == (0, "exempt")
    d = _citizen_files(session, "3.000333", base, [])
    assert (d.fee_amount, d.fee_status) == (100000, "unpaid")


def test_the_delivery_chosen_online_is_kept_and_preselects_the_return(session):
    citizen = actor(session, "citizen")
    resident = session.exec(select(Resident).where(Resident.national_id == user(session, "citizen").national_id)).one()
    values = form_for(session, "1.004873", resident)
    x01 = str(center(session).id)
    with pytest.raises(DomainError) as bad:
        filing.submit_application(session, citizen, "1.004873", values, x01, [], "drone")
    assert bad.value.code == "delivery_invalid"
    d = filing.submit_application(session, citizen, "1.004873", values, x01, [], "post")
    assert d.delivery == "post"
    page = dossier_detail.dossier_page(session, actor(session, "receiver"), d.code)
    assert page.delivery.vi == "Nhận qua bưu điện" and page.return_default == "post"
    d = filing.submit_application(session, citizen, "1.004873", values, x01, [])
    assert d.delivery == "download"
    assert dossier_detail.dossier_page(session, actor(session, "receiver"), d.code).return_default == "electronic"
