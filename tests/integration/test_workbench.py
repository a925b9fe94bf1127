"""The officer workbench services on a real database: inbox rows, the dossier page, actions from text
inputs, the clock pause, the fee block, concurrency, bulk, center scope and counter intake."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlmodel import select

from onestop import clock
from onestop.domain.errors import ConcurrentChange, DomainError
from onestop.domain.lifecycle import Action, Status
from onestop.models import Dossier, DossierEvent, Resident
from onestop.read import dossier_detail, filing_forms, inbox_rows
from onestop.read.format import fmt_working
from onestop.read.inbox import InboxFilter
from onestop.services import workbench
from onestop.services.actor import Actor
from onestop.services.dossiers import ActionInput, perform
from tests.integration.helpers import actor, attach, file_online, officer_of, user

MONDAY = datetime(2026, 11, 23, 9, 0)


@pytest.fixture(autouse=True)
def _monday():
    clock.set_now(MONDAY)
    yield
    clock.set_now(None)


def _at(minutes: int) -> None:
    clock.set_now(MONDAY + timedelta(minutes=minutes))


def _do(session, role: str, d: Dossier, action: str, **inputs: str) -> workbench.ActionDone:
    fresh = session.get(Dossier, d.id)
    session.refresh(fresh)
    return workbench.act(session, actor(session, role), d.id, action, fresh.version, inputs)


def _page(session, role: str, d: Dossier) -> dossier_detail.DossierPage:
    return dossier_detail.dossier_page(session, actor(session, role), d.code)


def test_fmt_working_reads_like_people_talk():
    day = 27000
    assert fmt_working(day + 3 * 3600, day, "vi") == "1 ngày 3 giờ"
    assert fmt_working(2 * 3600 + 600, day, "en") == "2 h 10 min"
    assert fmt_working(600, day, "vi") == "10 phút"
    assert fmt_working(-2 * day, day, "en") == "2 days"


def test_inbox_rows_are_shaped_and_searchable_without_accents(session):
    d = file_online(session)
    receiver = actor(session, "receiver")
    view = inbox_rows.inbox_view(session, receiver, "to_receive")
    assert [i.code for i in view.items] == [d.code]
    item = view.items[0]
    assert item.colour == "" and item.status_label.vi == "Chờ tiếp nhận" and item.channel == "online"
    folded = "nguyen thi lan"  # the demo citizen, Nguyễn Thị Lan
    assert inbox_rows.inbox_view(session, receiver, "to_receive", InboxFilter(query=folded)).items
    assert not inbox_rows.inbox_view(session, receiver, "to_receive", InboxFilter(query="khong co ai")).items


def test_walk_with_supplement_pause_and_fee_block(session):
    d = file_online(session, "2.000815")  # certified copy, 2 pages × 3 copies: a 12,000 VND fee
    page = _page(session, "receiver", d)
    assert [a.action for a in page.actions][:1] == ["receive"]
    assert {"reason"} == set(next(a for a in page.actions if a.action == "refuse").needs)

    done = _do(session, "receiver", d, "receive")
    assert done.document_kind == "receipt" and done.document_url.endswith("/documents/receipt")
    _at(10)
    specialist = user(session, "specialist")
    _do(session, "receiver", d, "assign", assignee=str(specialist.id))
    _at(20)
    page = _page(session, "specialist", d)
    supplement = next(a for a in page.actions if a.action == "request_supplement")
    assert set(supplement.needs) == {"missing_items", "supplement_deadline"}
    with pytest.raises(DomainError) as missing:
        _do(session, "specialist", d, "request_supplement", missing_items=" \n", supplement_deadline="2026-11-30")
    assert missing.value.code == "missing_items_required"
    _do(
        session,
        "specialist",
        d,
        "request_supplement",
        missing_items="Hợp đồng thuê nhà\n- Sổ hộ khẩu cũ",
        supplement_deadline="2026-11-30",
    )
    page = _page(session, "specialist", d)
    assert page.status == Status.SUPPLEMENT and page.paused and page.colour == "grey"
    assert page.supplement_items == ["Hợp đồng thuê nhà", "Sổ hộ khẩu cũ"]
    assert page.left.vi.startswith("Tạm dừng")
    left_at_pause = page.left.vi
    _at(60 * 24)  # a day later the time left has not moved: the clock is paused
    assert _page(session, "specialist", d).left.vi == left_at_pause
    assert "supplement" in [doc.kind for doc in page.documents]

    citizen = user(session, "citizen")
    extra = attach(session, citizen, "supplement")
    fresh = session.get(Dossier, d.id)
    perform(
        session,
        Actor.from_user(citizen),
        d.id,
        Action.PROVIDE_SUPPLEMENT,
        expected_version=fresh.version,
        data=ActionInput(attachment_ids=[extra.id]),
    )
    _at(60 * 24 + 30)
    _do(session, "specialist", d, "confirm_supplement")
    _do(session, "specialist", d, "appraise", opinion="Đủ điều kiện")
    _do(session, "specialist", d, "submit_for_approval")
    _do(session, "leader", d, "approve")
    signed = _do(session, "leader", d, "sign")
    assert signed.document_kind == "result"
    _do(session, "specialist", d, "issue_result")

    page = _page(session, "receiver", d)
    ret = next(a for a in page.actions if a.action == "return_result")
    assert page.fee_unpaid and ret.blocked.vi and "12.000 đồng" in ret.blocked.vi
    with pytest.raises(DomainError) as unpaid:
        _do(session, "receiver", d, "return_result", return_method="in_person", recipient_id=d.applicant_national_id)
    assert unpaid.value.code == "fee_unpaid"
    workbench.counter_payment(session, actor(session, "receiver"), d.id, session.get(Dossier, d.id).version)
    page = _page(session, "receiver", d)
    assert not page.fee_unpaid and not next(a for a in page.actions if a.action == "return_result").blocked.vi
    _do(session, "receiver", d, "return_result", return_method="in_person", recipient_id=d.applicant_national_id)
    page = _page(session, "receiver", d)
    assert page.status == Status.RETURNED and page.actions == []
    kinds = [doc.kind for doc in page.documents]
    assert {"receipt", "supplement", "result", "control_sheet"} <= set(kinds)
    outcomes = [e.outcome for e in page.events if e.outcome]
    assert outcomes and set(outcomes) <= {"early", "on_time", "late"}


def test_stale_version_loses_and_nothing_changes(session):
    d = file_online(session)
    receiver = actor(session, "receiver")
    seen = d.version
    workbench.act(session, receiver, d.id, "receive", seen, {})
    with pytest.raises(ConcurrentChange):
        workbench.act(session, receiver, d.id, "refuse", seen, {"reason": "Trùng hồ sơ"})
    assert session.get(Dossier, d.id).status == Status.RECEIVED


def test_other_center_sees_not_found(session):
    d = file_online(session)
    stranger = officer_of(session, "P01", "specialist")
    with pytest.raises(DomainError) as err:
        dossier_detail.dossier_page(session, stranger, d.code)
    assert err.value.code == "dossier_not_found"
    assert dossier_detail.action_items(stranger, d) == []


def test_bulk_assign_gives_each_dossier_its_own_event(session):
    receiver = actor(session, "receiver")
    dossiers = [file_online(session) for _ in range(3)]
    for d in dossiers:
        workbench.act(session, receiver, d.id, "receive", d.version, {})
    specialist = user(session, "specialist")
    targets = [(d.id, session.get(Dossier, d.id).version) for d in dossiers]
    targets[2] = (targets[2][0], targets[2][1] - 1)  # someone else changed this one meanwhile
    out = workbench.bulk_act(session, receiver, targets, "assign", {"assignee": str(specialist.id)})
    assert [o.ok for o in out] == [True, True, False]
    assert out[2].message_en.startswith("This dossier was changed by someone else")
    for d in dossiers[:2]:
        events = session.exec(
            select(DossierEvent).where(DossierEvent.dossier_id == d.id, DossierEvent.action == "assign")
        ).all()
        assert len(events) == 1
    with pytest.raises(DomainError):
        workbench.bulk_act(session, receiver, targets, "refuse", {"reason": "x"})


def test_counter_intake_files_direct_and_receives_at_once(session):
    receiver = actor(session, "receiver")
    resident = session.exec(select(Resident).order_by(Resident.id).offset(5)).first()
    card, prefill = filing_forms.lookup_person(session, receiver, resident.national_id)
    assert card.full_name == resident.full_name
    fields, docs, values = filing_forms.counter_form(session, receiver, "1.004873", prefill)
    assert values["full_name"] == resident.full_name and values["national_id"] == resident.national_id
    assert next(f for f in fields if f.name == "full_name").locked
    assert all(doc.state_held for doc in docs)  # the ID card is held by the state: nothing to upload
    with pytest.raises(DomainError) as err:
        workbench.file_at_counter(
            session, receiver, procedure_code="1.004873", resident_id=card.resident_id, values=values, attachment_ids=[]
        )
    assert err.value.code == "form_invalid"  # purpose and declaration are still empty
    values.update(purpose="Kết hôn", declaration="true")
    done = workbench.file_at_counter(
        session, receiver, procedure_code="1.004873", resident_id=card.resident_id, values=values, attachment_ids=[]
    )
    d = session.exec(select(Dossier).where(Dossier.code == done.code)).one()
    assert d.channel == "direct" and d.status == Status.RECEIVED and d.due_at is not None and d.on_behalf
    assert done.document_url.endswith("/documents/receipt")
    with pytest.raises(DomainError):
        filing_forms.lookup_person(session, receiver, "123")
    with pytest.raises(DomainError):
        filing_forms.lookup_person(session, actor(session, "specialist"), resident.national_id)
