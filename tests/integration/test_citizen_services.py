"""Search, uploads, tracking, ratings and the inbox, on a real database."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlmodel import select

from onestop import clock
from onestop.domain.errors import DomainError
from onestop.domain.lifecycle import Action
from onestop.domain.ratings import RatingInput
from onestop.models import Notification
from onestop.read.inbox import InboxFilter, inbox_page, tab_counts
from onestop.read.search import search_procedures
from onestop.read.timeline import find_by_code_and_phone, reset_rate_limits, timeline
from onestop.services.dossiers import ActionInput, perform
from onestop.services.ratings import rate_dossier
from onestop.services.uploads import read_attachment, store_upload
from tests.integration.helpers import actor, file_online, officer_of, user

MONDAY = datetime(2026, 11, 23, 9, 0)


@pytest.fixture(autouse=True)
def _monday():
    clock.set_now(MONDAY)
    reset_rate_limits()
    yield
    clock.set_now(None)


@pytest.mark.parametrize(
    "query,expected",
    [
        ("khai sinh", "1.001193"),
        ("dang ky khai sinh", "1.001193"),
        ("chung thuc ban sao", "2.000815"),
        ("ho kinh doanh", "1.001612"),
        ("khai sihn", "1.001193"),
        ("Đăng ký kết hôn", "1.000894"),
    ],
)
def test_search_without_accents_and_with_typos(session, query, expected):
    assert search_procedures(session, query)[0].code == expected


def test_uploads_checked_by_content_and_private(session):
    citizen = actor(session, "citizen")
    pdf = b"%PDF-1.4\n" + b"x" * 2000
    att = store_upload(
        session,
        citizen,
        procedure_code="2.000815",
        document_code="original_scan",
        filename="bang-tot-nghiep.pdf",
        data=pdf,
    )
    assert att.mime == "application/pdf" and att.owner_user_id == citizen.user_id
    exe = b"MZ\x90\x00" + b"\x00" * 5000
    with pytest.raises(DomainError) as exc:
        store_upload(
            session, citizen, procedure_code="2.000815", document_code="original_scan", filename="virus.pdf", data=exe
        )
    assert exc.value.status == 422
    with pytest.raises(DomainError):
        store_upload(
            session,
            citizen,
            procedure_code="2.000815",
            document_code="original_scan",
            filename="../../etc/passwd.pdf",
            data=pdf,
        )
    with pytest.raises(DomainError) as exc:
        store_upload(
            session,
            citizen,
            procedure_code="2.000815",
            document_code="original_scan",
            filename="big.pdf",
            data=b"%PDF-1.4\n" + b"0" * (30 * 1024 * 1024),
        )
    assert exc.value.status == 413
    # another person cannot read it
    with pytest.raises(DomainError):
        read_attachment(session, actor(session, "supporter"), att.id)
    assert read_attachment(session, citizen, att.id)[1] == pdf


def test_track_by_code_and_phone_rate_limited(session):
    d = file_online(session)
    assert find_by_code_and_phone(session, d.code.lower(), "+84 901 000 001", "ip1").id == d.id
    with pytest.raises(DomainError) as exc:
        find_by_code_and_phone(session, d.code, "0909999999", "ip1")
    assert exc.value.code == "tracking_not_found"
    with pytest.raises(DomainError) as exc:
        for _ in range(20):
            find_by_code_and_phone(session, d.code, "0901000001", "ip2")
    assert exc.value.code == "rate_limited"
    entries = timeline(session, d, "vi")
    assert entries[0].text.startswith("Nguyễn Thị Lan đã nộp hồ sơ lúc 09:00 23/11/2026")


def test_rating_and_complaint_reach_the_leader(session):
    d = file_online(session)
    with pytest.raises(DomainError) as exc:
        rate_dossier(
            session, actor(session, "citizen"), d.id, RatingInput(overall=5, timeliness=5, attitude=5, trips=1)
        )
    assert exc.value.code == "not_rateable_yet"
    perform(
        session,
        actor(session, "receiver"),
        d.id,
        Action.REFUSE,
        expected_version=d.version,
        data=ActionInput(reason="Không thuộc thẩm quyền"),
    )
    with pytest.raises(DomainError):
        rate_dossier(
            session, actor(session, "citizen"), d.id, RatingInput(overall=9, timeliness=5, attitude=5, trips=1)
        )
    rate_dossier(
        session,
        actor(session, "citizen"),
        d.id,
        RatingInput(overall=1, timeliness=2, attitude=2, trips=3, comment="Tôi đi lại ba lần", is_complaint=True),
    )
    leader = user(session, "leader")
    assert session.exec(
        select(Notification).where(Notification.user_id == leader.id, Notification.kind == "complaint")
    ).first()
    with pytest.raises(DomainError) as exc:
        rate_dossier(
            session, actor(session, "citizen"), d.id, RatingInput(overall=5, timeliness=5, attitude=5, trips=1)
        )
    assert exc.value.code == "already_rated"


def test_inbox_tabs_pages_and_scope(session):
    ds = [file_online(session) for _ in range(5)]
    receiver = actor(session, "receiver")
    for d in ds[:3]:
        perform(session, receiver, d.id, Action.RECEIVE, expected_version=d.version)
    counts = tab_counts(session, receiver)
    # "open" holds the received ones (what waits for reception has its own tab): counts equal the lists
    assert counts["to_receive"] == 2 and counts["open"] == 3 and counts["overdue"] == 0
    first = inbox_page(session, receiver, "open", limit=2)
    assert len(first.rows) == 2 and first.next_cursor is not None
    second = inbox_page(session, receiver, "open", after=first.next_cursor, limit=2)
    assert {r.id for r in first.rows}.isdisjoint({r.id for r in second.rows})
    clock.set_now(datetime(2026, 12, 1, 9, 0))
    assert tab_counts(session, receiver)["overdue"] == 3
    assert [r.code for r in inbox_page(session, receiver, "overdue", InboxFilter(query=ds[0].code)).rows] == [
        ds[0].code
    ]
    assert inbox_page(session, receiver, "overdue", InboxFilter(query="nguyen thi lan")).rows
    assert tab_counts(session, officer_of(session, "P01", "receiver"))["open"] == 0
    with pytest.raises(DomainError):
        tab_counts(session, actor(session, "citizen"))
