"""`GET /api/v1/assistant` over the seeded catalog: the JSON shape, the languages, declining, freshness."""

from __future__ import annotations

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from onestop.api import routes
from onestop.read import assistant as read_assistant


@pytest.fixture()
def client(session):
    with TestClient(Starlette(routes=routes()), base_url="http://localhost:3000") as c:
        yield c


def test_answers_with_catalog_facts_and_an_apply_link(client):
    r = client.get("/api/v1/assistant", params={"q": "lý lịch tư pháp lệ phí bao nhiêu", "lang": "vi"})
    assert r.status_code == 200
    body = r.json()
    assert set(body) == {"known", "answer", "procedures"} and body["known"] is True
    first = body["procedures"][0]
    assert first == {
        "code": "3.000333",
        "name": "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam",
        "url": "/apply/3.000333",
    }
    assert "200.000 đồng" in body["answer"] and "/apply/3.000333" in body["answer"]


def test_english_and_no_accents(client):
    en = client.get(
        "/api/v1/assistant", params={"q": "How long does a driving licence exchange take?", "lang": "en"}
    ).json()
    assert en["known"] and en["procedures"][0]["code"] == "1.002804" and "5 working days" in en["answer"]
    assert en["procedures"][0]["name"] == "Driving licence exchange"
    vi = client.get("/api/v1/assistant", params={"q": "dang ky ket hon can giay to gi"}).json()
    assert vi["known"] and vi["procedures"][0]["code"] == "1.000894" and "Giấy tờ" in vi["answer"]


def test_declines_off_topic_with_the_hotline(client):
    body = client.get("/api/v1/assistant", params={"q": "giá vàng hôm nay", "lang": "vi"}).json()
    assert body["known"] is False and body["procedures"] == []
    assert "đường dây nóng 02203 123 456" in body["answer"]  # the provincial center, no hotline set
    assert "07:30–11:30" in body["answer"]


def test_refuses_bad_input(client):
    assert client.get("/api/v1/assistant", params={"q": "x", "lang": "fr"}).status_code == 422
    assert client.get("/api/v1/assistant", params={"q": "x" * 301}).status_code == 422


def test_a_published_version_is_answered_at_once(session):
    from onestop.services import catalog
    from tests.integration.helpers import actor

    try:
        assert "99.000 đồng" not in read_assistant.answer(session, "lệ phí đăng ký kết hôn", "vi").answer
        catalog.stage_new_version(
            session, actor(session, "admin"), "1.000894", {"fee_amount": 99000, "fee_text": "99.000 đồng/lần."}
        )
        assert "99.000 đồng" in read_assistant.answer(session, "lệ phí đăng ký kết hôn", "vi").answer
    finally:
        session.rollback()
        read_assistant._cache.clear()
