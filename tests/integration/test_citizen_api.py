"""Citizen portal: search JSON, the apply service, private downloads, the sandbox gateway — on a real database.

The routes are mounted in a bare Starlette app (no Reflex), with the same session
cookie the web app sets, so every check here is the one the browser meets.
"""

from __future__ import annotations

import importlib.util
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlmodel import select
from starlette.applications import Starlette
from starlette.testclient import TestClient

from onestop import clock
from onestop.adapters.payment import GatewayResult, default_gateway
from onestop.api import citizen as citizen_api
from onestop.api import routes
from onestop.db import transaction
from onestop.demo.catalog import DEMO_PASSWORD
from onestop.demo.scans import demo_scan_pdf
from onestop.domain.errors import DomainError
from onestop.domain.lifecycle import Action, Status
from onestop.domain.ratings import RatingInput
from onestop.domain.text import SearchIndex
from onestop.models import Attachment, Dossier, DossierEvent, Payment, User
from onestop.read import dossier_detail, filing_forms
from onestop.read.timeline import reset_rate_limits
from onestop.services import filing
from onestop.services.actor import Actor
from onestop.services.auth import sign_in
from onestop.services.dossiers import ActionInput, perform
from onestop.services.payments import record_counter_payment
from tests.integration.helpers import PHONES, actor, center, file_online, user

MONDAY = datetime(2026, 11, 23, 9, 0)
PDF = demo_scan_pdf("health")
JPEG = b"\xff\xd8\xff\xe0" + b"\x00\x10JFIF" + b"\x00" * 3000


@pytest.fixture(autouse=True)
def _monday():
    clock.set_now(MONDAY)
    reset_rate_limits()
    yield
    clock.set_now(None)


@pytest.fixture()
def client(session):
    with TestClient(Starlette(routes=routes()), base_url="http://localhost:3000") as c:
        yield c


def login(client: TestClient, session, phone: str) -> None:
    with transaction(session):
        token, _ = sign_in(session, phone, DEMO_PASSWORD)
    client.cookies.set(citizen_api.COOKIE_NAME, token)


def other_citizen(session) -> User:
    return session.exec(
        select(User).where(User.role == "citizen", User.phone != PHONES["citizen"]).order_by(User.id)
    ).first()


def test_cookie_name_matches_the_web_session():
    from onestop.ui.session import COOKIE_NAME

    assert citizen_api.COOKIE_NAME == COOKIE_NAME


# --------------------------------------------------------------------------- search


@pytest.mark.parametrize(
    "query,expected",
    [
        ("khai sinh", "1.001193"),
        ("chung thuc ban sao", "2.000815"),
        ("ho kinh doanh", "1.001612"),
        ("khai sihn", "1.001193"),
        ("doi giay phep lai xe", "1.002804"),
        ("DANG KY KET HON", "1.000894"),
    ],
)
def test_search_json_ranks_without_accents_and_with_typos(client, query, expected):
    res = client.get("/api/v1/procedures", params={"q": query})
    assert res.status_code == 200
    body = res.json()
    assert body["results"][0]["code"] == expected
    assert body["results"][0]["fee_vi"] and body["results"][0]["duration_en"]
    scores = [r["score"] for r in body["results"]]
    assert scores == sorted(scores, reverse=True)


def test_search_index_answers_over_2000_procedures():
    """Accent-free and misspelt queries still find their procedure among 2,000 (speed: bench/search_bench.py)."""
    spec = importlib.util.spec_from_file_location("search_bench", Path(__file__).parents[2] / "bench/search_bench.py")
    bench = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(bench)
    index = SearchIndex(bench.make_docs(2000, 7))
    for q in ("dang ky khai sinh", "chung thuc ban sao", "ho kinh doanh", "khai sihn", "giay phep lai xe"):
        assert index.search(q, limit=20)


def test_search_json_bounds_its_inputs(client):
    res = client.get("/api/v1/procedures", params={"q": "x" * 5000, "limit": "9999"})
    assert res.status_code == 200 and res.json()["query"] == "x" * 200
    assert len(client.get("/api/v1/procedures", params={"limit": "abc"}).json()["results"]) <= 20
    assert client.get("/api/v1/procedures/9.999999").status_code == 404
    detail = client.get("/api/v1/procedures/1.002804").json()
    assert [d["code"] for d in detail["documents"]] == ["health_certificate", "old_licence"]
    assert [d["code"] for d in detail["held"]] == ["id_card"]
    assert detail["fee_text"] == "135.000 đồng/lần cấp."
    # the published center shape: id as text, and only what a filer needs
    assert detail["centers"] and all(set(c) == {"id", "name", "address", "phone"} for c in detail["centers"])
    assert all(isinstance(c["id"], str) and c["id"].isdigit() for c in detail["centers"])


# --------------------------------------------------------------------------- the apply flow


def test_apply_context_fills_and_locks_from_the_registry(session):
    ctx = filing_forms.apply_context(session, actor(session, "citizen"), "1.002804")
    by_name = {f.name: f for f in ctx.fields}
    assert ctx.values["full_name"] == "Nguyễn Thị Lan" and by_name["full_name"].locked
    assert by_name["national_id"].locked and by_name["date_of_birth"].locked
    assert by_name["phone"].autofilled and not by_name["phone"].locked
    assert ctx.default_center == str(center(session, "X01").id)
    assert [d.code for d in ctx.documents] == ["health_certificate", "old_licence"]
    assert ctx.documents[1].accept == "image/jpeg,image/png"
    with pytest.raises(DomainError):
        filing_forms.apply_context(session, actor(session, "receiver"), "1.002804")


def test_step_validation_is_the_server_validator(session):
    citizen = actor(session, "citizen")
    proc_id = filing_forms.apply_context(session, citizen, "1.000894").procedure_id
    values = {"partner_name": "", "partner_national_id": "036188"}
    errors = filing_forms.check_fields(session, citizen, proc_id, values, ["partner_name", "partner_national_id"])
    assert errors["partner_name"].code == "required"
    assert errors["partner_national_id"].code == "nid_length"
    errors = filing_forms.check_fields(
        session, citizen, proc_id, {"partner_national_id": "999188004512"}, ["partner_national_id"]
    )
    assert errors["partner_national_id"].code == "nid_province"
    too_long = filing_forms.field_message(session, proc_id, "partner_name", "A" * 600)
    assert too_long is not None and too_long.code == "too_long"
    # a registry-locked value cannot be changed by sending another one
    errors = filing_forms.check_fields(session, citizen, proc_id, {"full_name": "Người Khác"}, ["full_name"])
    assert errors["full_name"].code == "registry"


def _apply_2804(session, citizen: Actor) -> Dossier:
    health = filing.upload_document(session, citizen, "1.002804", "health_certificate", "kham.pdf", PDF)
    photo = filing.upload_document(session, citizen, "1.002804", "old_licence", "gplx.jpg", JPEG)
    ctx = filing_forms.apply_context(session, citizen, "1.002804")
    values = {**ctx.values, "licence_number": "AB123456", "licence_class": "B", "declaration": "true"}
    with transaction(session):
        return filing.submit_application(
            session, citizen, "1.002804", values, ctx.default_center, [health.id, photo.id]
        )


def test_submit_files_online_with_uploads_and_changes_nothing_when_wrong(session):
    citizen = actor(session, "citizen")
    before = session.exec(select(Dossier)).all()
    with pytest.raises(DomainError) as exc:  # no declaration, no documents
        filing.submit_application(
            session, citizen, "1.002804", {"licence_number": "AB1", "licence_class": "B"}, str(center(session).id), []
        )
    assert exc.value.code == "form_invalid" and "declaration" in exc.value.errors
    with pytest.raises(DomainError) as exc:
        filing.submit_application(session, citizen, "1.002804", {}, "999", [])
    assert exc.value.code == "center_not_allowed"
    assert session.exec(select(Dossier)).all() == before
    dossier = _apply_2804(session, citizen)
    assert dossier.status == Status.SUBMITTED and dossier.channel == "online" and dossier.fee_amount == 135000
    files = session.exec(select(Attachment).where(Attachment.dossier_id == dossier.id)).all()
    assert sorted(a.document_code for a in files) == ["health_certificate", "old_licence"]
    view = dossier_detail.dossier_view(session, citizen, dossier)
    assert view.can_pay and view.expected_due and not view.due
    assert [s.kind for s in view.slips] == ["submission"]


def test_bad_uploads_are_refused_with_a_clear_message(session):
    citizen = actor(session, "citizen")
    count = len(session.exec(select(Attachment)).all())
    cases = [
        ("huge.pdf", b"%PDF-1.4\n" + b"0" * (30 * 1024 * 1024), "upload_too_big", "quá lớn"),
        ("virus.pdf", b"MZ\x90\x00" + b"\x00" * 4000, "upload_type", "không phải là"),
        ("../../etc/passwd.pdf", PDF, "upload_name", "Tên tệp không hợp lệ"),
        ("empty.pdf", b"", "upload_empty", "rỗng"),
    ]
    for name, data, code, words in cases:
        with pytest.raises(DomainError) as exc:
            filing.upload_document(session, citizen, "1.002804", "health_certificate", name, data)
        assert exc.value.code == code and words in exc.value.vi, name
    with pytest.raises(DomainError):  # a PDF where only photos are accepted
        filing.upload_document(session, citizen, "1.002804", "old_licence", "gplx.pdf", PDF)
    assert len(session.exec(select(Attachment)).all()) == count


def test_wallet_reuse_and_draft_files_belong_to_their_owner(session):
    citizen = actor(session, "citizen")
    first = _apply_2804(session, citizen)
    ctx = filing_forms.apply_context(session, citizen, "1.002804")
    wallet = ctx.documents[0].wallet
    assert wallet and wallet[0].filename == "kham.pdf"
    reused = filing.reuse_document(session, citizen, "1.002804", "health_certificate", wallet[0].id)
    assert reused.reused and reused.filename == "kham.pdf"
    assert [f.id for f in filing_forms.pending_files(session, citizen, [reused.id])] == [reused.id]
    stranger = Actor.from_user(other_citizen(session))
    assert filing_forms.pending_files(session, stranger, [reused.id]) == []
    with pytest.raises(DomainError):
        filing.reuse_document(session, stranger, "1.002804", "health_certificate", wallet[0].id)
    filing.discard_pending(session, stranger, reused.id)  # not theirs: nothing happens
    assert session.get(Attachment, reused.id) is not None
    filing.discard_pending(session, citizen, reused.id)
    assert session.get(Attachment, reused.id) is None
    assert first.id is not None


def test_zero_fee_online_is_honoured(session, client):
    dossier = file_online(session, "1.001612")  # 100,000 VND at the counter, 0 VND online
    assert dossier.fee_amount == 0 and dossier.fee_status == "none"
    citizen = actor(session, "citizen")
    assert not dossier_detail.dossier_view(session, citizen, dossier).can_pay
    with pytest.raises(DomainError) as exc:
        filing.start_payment(session, citizen, dossier.code)
    assert exc.value.code == "nothing_to_pay"


# --------------------------------------------------------------------------- private downloads


def test_downloads_only_for_people_allowed(session, client):
    citizen = actor(session, "citizen")
    dossier = _apply_2804(session, citizen)
    att = session.exec(select(Attachment).where(Attachment.dossier_id == dossier.id)).first()
    slip_url = f"/api/v1/dossiers/{dossier.code}/slips/submission.pdf"
    assert client.get(slip_url).status_code == 401
    assert client.get(f"/api/v1/attachments/{att.id}").status_code == 401
    login(client, session, other_citizen(session).phone)
    for url in (
        slip_url,
        f"/api/v1/attachments/{att.id}",
        f"/api/v1/dossiers/{dossier.code}/result",
        f"/api/v1/dossiers/{dossier.code}/slips/receipt.pdf",
    ):
        res = client.get(url)
        assert res.status_code == 404, url
        assert "không có quyền" in res.json()["error"]["vi"] or res.json()["error"]["code"] in (
            "dossier_not_found",
            "attachment_not_found",
        )
    login(client, session, PHONES["citizen"])
    res = client.get(slip_url)
    assert res.status_code == 200 and res.content.startswith(b"%PDF")
    assert res.headers["cache-control"] == "private, no-store"
    res = client.get(f"/api/v1/attachments/{att.id}")
    assert res.status_code == 200 and res.headers["x-content-type-options"] == "nosniff"
    assert "attachment;" in res.headers["content-disposition"]
    assert client.get(f"/api/v1/dossiers/{dossier.code}/slips/receipt.pdf").status_code == 404  # not received yet
    assert client.get(f"/api/v1/dossiers/{dossier.code}/slips/nonsense.pdf").status_code == 404
    assert client.get("/api/v1/attachments/..%2F..%2Fetc").status_code == 404


def test_result_download_after_signing(session, client):
    citizen = actor(session, "citizen")
    dossier = _apply_2804(session, citizen)
    rec, spec, lead = actor(session, "receiver"), actor(session, "specialist"), actor(session, "leader")
    steps = [
        (rec, Action.RECEIVE, ActionInput()),
        (rec, Action.ASSIGN, ActionInput(assignee_id=spec.user_id)),
        (spec, Action.APPRAISE, ActionInput(opinion="Đủ điều kiện")),
        (spec, Action.SUBMIT_FOR_APPROVAL, None),
        (lead, Action.APPROVE, None),
        (lead, Action.SIGN, None),
        (rec, Action.ISSUE_RESULT, None),
    ]
    login(client, session, PHONES["citizen"])
    for who, action, data in steps:
        if action == Action.ISSUE_RESULT:
            assert client.get(f"/api/v1/dossiers/{dossier.code}/result").status_code == 404
        session.refresh(dossier)
        with transaction(session):
            perform(session, who, dossier.id, action, expected_version=dossier.version, data=data)
    # Issued, but the 135,000 đ fee is unpaid: no download (route refuses, page shows no link) — domain/release.
    session.refresh(dossier)
    assert dossier.status == Status.RESULT_READY and dossier.fee_status == "unpaid"
    locked = client.get(f"/api/v1/dossiers/{dossier.code}/result")
    assert locked.status_code == 403 and "chưa nộp" in locked.text and not locked.content.startswith(b"%PDF")
    view = dossier_detail.dossier_view(session, citizen, dossier)
    assert not view.result_ready and view.result_locked and view.can_pay
    with transaction(session):
        record_counter_payment(session, dossier)
    session.refresh(dossier)
    res = client.get(f"/api/v1/dossiers/{dossier.code}/result")
    assert res.status_code == 200 and res.content.startswith(b"%PDF")
    view = dossier_detail.dossier_view(session, citizen, dossier)
    assert view.result_ready and not view.result_locked and view.can_rate
    assert {s.kind for s in view.slips} == {"submission", "receipt", "fee_receipt"}  # e-receipt of the payment
    assert [r.action for r in view.timeline[:2]] == ["record_payment", "issue_result"]  # newest first


# --------------------------------------------------------------------------- the sandbox gateway


def _pay(session, client, code: str, decision: str = "paid") -> str:
    login(client, session, PHONES["citizen"])
    with transaction(session):
        url = filing.start_payment(session, actor(session, "citizen"), code)
    parts = urlsplit(url)
    assert parts.path == "/pay/sandbox"
    page = client.get(f"{parts.path}?{parts.query}")
    assert page.status_code == 200 and "135.000 đồng" in page.text and 'lang="vi"' in page.text
    q = parse_qs(parts.query)
    res = client.post(
        "/pay/sandbox",
        data={"ref": q["ref"][0], "amount": q["amount"][0], "return": q["return"][0], "decision": decision},
        follow_redirects=False,
    )
    assert res.status_code == 303 and res.headers["location"].startswith("/api/v1/payments/return?")
    back = client.get(res.headers["location"], follow_redirects=False)
    assert back.status_code == 303
    return back.headers["location"]


def test_sandbox_payment_redirect_and_signed_return(session, client):
    dossier = _apply_2804(session, actor(session, "citizen"))
    location = _pay(session, client, dossier.code, "failed")
    assert location == f"/dossiers/{dossier.code}/pay?payment=failed"
    session.refresh(dossier)
    assert dossier.fee_status == "unpaid"
    location = _pay(session, client, dossier.code)
    assert location == f"/dossiers/{dossier.code}/pay?payment=paid"
    session.refresh(dossier)
    assert dossier.fee_status == "paid"
    events = session.exec(
        select(DossierEvent).where(DossierEvent.dossier_id == dossier.id, DossierEvent.action == "record_payment")
    ).all()
    assert len(events) == 1
    payment = session.exec(select(Payment).where(Payment.dossier_id == dossier.id, Payment.status == "paid")).one()
    # replaying the signed return changes nothing
    sig = default_gateway().sign(GatewayResult(payment.gateway_ref, payment.amount, "paid"))
    again = client.get(
        "/api/v1/payments/return",
        params={"ref": payment.gateway_ref, "amount": payment.amount, "status": "paid", "sig": sig, "return": "/x"},
        follow_redirects=False,
    )
    assert again.status_code == 303
    assert (
        len(
            session.exec(
                select(DossierEvent).where(
                    DossierEvent.dossier_id == dossier.id, DossierEvent.action == "record_payment"
                )
            ).all()
        )
        == 1
    )
    assert not dossier_detail.dossier_view(session, actor(session, "citizen"), dossier).can_pay


def test_forged_or_redirecting_returns_are_refused(session, client):
    dossier = _apply_2804(session, actor(session, "citizen"))
    with transaction(session):
        url = filing.start_payment(session, actor(session, "citizen"), dossier.code)
    ref = parse_qs(urlsplit(url).query)["ref"][0]
    bad = client.get(
        "/api/v1/payments/return",
        params={"ref": ref, "amount": 135000, "status": "paid", "sig": "0" * 64, "return": "/"},
        follow_redirects=False,
    )
    assert bad.status_code == 400 and "Chữ ký giao dịch không hợp lệ" in bad.text
    cheap = GatewayResult(ref, 1, "paid")
    res = client.get(
        "/api/v1/payments/return",
        params={"ref": ref, "amount": 1, "status": "paid", "sig": default_gateway().sign(cheap)},
        follow_redirects=False,
    )
    assert res.status_code == 404  # the amount must be the order's
    session.refresh(dossier)
    assert dossier.fee_status == "unpaid"
    good = GatewayResult(ref, 135000, "paid")
    res = client.get(
        "/api/v1/payments/return",
        params={
            "ref": ref,
            "amount": 135000,
            "status": "paid",
            "sig": default_gateway().sign(good),
            "return": "https://evil.example/steal",
        },
        follow_redirects=False,
    )
    assert res.status_code == 303 and res.headers["location"] == "/?payment=paid"


def test_gateway_server_callback_is_signed_and_idempotent(session, client):
    dossier = _apply_2804(session, actor(session, "citizen"))
    with transaction(session):
        url = filing.start_payment(session, actor(session, "citizen"), dossier.code)
    ref = parse_qs(urlsplit(url).query)["ref"][0]
    body = {"ref": ref, "amount": 135000, "status": "paid"}
    assert client.post("/api/v1/payments/callback", json={**body, "signature": "bad"}).status_code == 400
    sig = default_gateway().sign(GatewayResult(ref, 135000, "paid"))
    for _ in range(2):
        res = client.post("/api/v1/payments/callback", json={**body, "signature": sig})
        assert res.status_code == 200 and res.json() == {"ok": True, "status": "paid", "dossier": dossier.code}
    assert client.post("/api/v1/payments/callback", content=b"not json").status_code == 400
    assert client.get("/pay/sandbox", params={"ref": ref}).status_code == 404  # already settled


# --------------------------------------------------------------------------- tracking, supplement, rating


def test_another_citizens_dossier_is_not_found(session):
    dossier = file_online(session)
    stranger = Actor.from_user(other_citizen(session))
    for fn in (
        lambda: dossier_detail.open_for_owner(session, stranger, dossier.code),
        lambda: dossier_detail.my_dossier(session, stranger, dossier.code),
        lambda: filing.start_payment(session, stranger, dossier.code),
        lambda: filing.rate(session, stranger, dossier.code, RatingInput(overall=5, timeliness=5, attitude=5, trips=1)),
    ):
        with pytest.raises(DomainError) as exc:
            fn()
        assert exc.value.status == 404
    officer_view = dossier_detail.dossier_view(session, actor(session, "receiver"), dossier)
    assert not officer_view.owner and not officer_view.can_pay and officer_view.slips == []


def test_tracking_by_token_and_by_code_and_phone(session):
    dossier = file_online(session)
    assert dossier_detail.open_by_token(session, dossier.code, dossier.tracking_token).id == dossier.id
    with pytest.raises(DomainError):
        dossier_detail.open_by_token(session, dossier.code, "guess")
    found = dossier_detail.open_by_phone(session, dossier.code.lower(), "0901 000 001", "ip-a")
    assert dossier_detail.tracking_url(found) == f"/dossiers/{dossier.code}?t={dossier.tracking_token}"
    view = dossier_detail.dossier_view(session, None, found)
    assert not view.owner and not view.slips and view.timeline
    codes = []
    for _ in range(12):
        with pytest.raises(DomainError) as exc:
            dossier_detail.open_by_phone(session, dossier.code, "0999999999", "ip-b")
        codes.append(exc.value.code)
    assert codes[0] == "tracking_not_found" and codes[-1] == "rate_limited"
    with pytest.raises(DomainError) as exc:  # even the right phone waits once the limit is reached
        dossier_detail.open_by_phone(session, dossier.code, "0901000001", "ip-b")
    assert exc.value.code == "rate_limited"


def test_supplement_then_rating_with_complaint(session):
    citizen = actor(session, "citizen")
    dossier = file_online(session)
    rec = actor(session, "receiver")
    perform(
        session,
        rec,
        dossier.id,
        Action.REQUEST_SUPPLEMENT,
        expected_version=dossier.version,
        data=ActionInput(
            missing_items=["Bản sao hợp đồng thuê nhà có công chứng"],
            supplement_deadline=MONDAY + timedelta(days=5),
            note="Thiếu hợp đồng",
        ),
    )
    view = dossier_detail.dossier_view(session, citizen, session.get(Dossier, dossier.id))
    assert view.supplement_open and view.supplement_items == ["Bản sao hợp đồng thuê nhà có công chứng"]
    assert "supplement" in {s.kind for s in view.slips}
    with pytest.raises(DomainError) as exc:
        filing.provide_supplement(session, citizen, dossier.code, [], "")
    assert exc.value.code == "supplement_empty"
    extra = filing.upload_document(session, citizen, dossier.procedure_code, "supplement", "hop-dong.pdf", PDF)
    filing.provide_supplement(session, citizen, dossier.code, [extra.id], "Tôi gửi hợp đồng")
    view = dossier_detail.dossier_view(session, citizen, session.get(Dossier, dossier.id))
    assert view.supplement_sent and view.timeline[0].action == "provide_supplement"
    fresh = session.get(Dossier, dossier.id)
    perform(session, rec, dossier.id, Action.CONFIRM_SUPPLEMENT, expected_version=fresh.version)
    session.refresh(fresh)
    perform(
        session,
        rec,
        dossier.id,
        Action.REFUSE,
        expected_version=fresh.version,
        data=ActionInput(reason="Không thuộc thẩm quyền"),
    )
    rating = filing.rate(
        session,
        citizen,
        dossier.code,
        RatingInput(
            overall="1", timeliness="2", attitude="2", trips="3", comment="Tôi phải đi lại nhiều lần", is_complaint=True
        ),
    )
    assert rating.is_complaint and rating.trips == 3
    view = dossier_detail.dossier_view(session, citizen, session.get(Dossier, dossier.id))
    assert view.rated and not view.can_rate
    assert user(session, "leader").id is not None
