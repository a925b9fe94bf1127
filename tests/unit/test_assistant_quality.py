"""The assistant's test set at a province's size (13 real + 1,987 generated procedures): score printed.

Right-first means: known, the expected procedure first, and the answer carries the asked
topic's fact from the catalog. Every off-topic question must be declined.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from onestop.demo.assistant_facts import province_facts
from onestop.domain.assistant import Assistant, Contact
from onestop.domain.bilingual import BiText

SET = json.loads((Path(__file__).parents[1] / "data" / "assistant_questions.json").read_text(encoding="utf-8"))
CONTACT = Contact(
    "0220 3555 000",
    BiText("07:30–11:30, 13:30–17:00, thứ Hai–thứ Sáu", "7:30–11:30 and 13:30–17:00, Monday–Friday"),
)
#: What an answer on each topic must contain (per language), taken from the catalog's own wording.
TOPIC_MARK = {
    "documents": ("iấy tờ", "ocuments"),
    "fee": ("Phí, lệ phí", "Fee:"),
    "time": ("Thời hạn giải quyết", "Processing time"),
    "where": ("Nộp trực tuyến hoặc tại", "File it online"),
    "how": ("Cách nộp", "How to apply"),
}


@pytest.fixture(scope="module")
def assistant() -> Assistant:
    return Assistant(province_facts(2000))


def test_set_is_big_enough() -> None:
    assert len(SET["questions"]) >= 40 and len(SET["off_topic"]) >= 8
    langs = {q["lang"] for q in SET["questions"]}
    assert langs == {"vi", "en"}


def test_assistant_scores_at_least_90_percent_right_first(assistant: Assistant) -> None:
    right, misses = 0, []
    for item in SET["questions"]:
        a = assistant.answer(item["q"], item["lang"], CONTACT)
        first = a.procedures[0].code if a.procedures else None
        mark = TOPIC_MARK[item["topic"]][item["lang"] == "en"] if item["topic"] else ""
        if a.known and first == item["code"] and mark in a.answer and f"/apply/{item['code']}" in a.answer:
            right += 1
        else:
            misses.append((item["q"], a.known, first, a.topics))
    share = right / len(SET["questions"])
    print(f"\nassistant right-first: {right}/{len(SET['questions'])} = {share:.0%}; misses: {misses}")
    assert share >= 0.9


def test_assistant_declines_every_off_topic_question(assistant: Assistant) -> None:
    for item in SET["off_topic"]:
        a = assistant.answer(item["q"], item["lang"], CONTACT)
        assert not a.known and a.procedures == (), item["q"]
        assert CONTACT.hotline in a.answer
    print(f"\noff-topic declined: {len(SET['off_topic'])}/{len(SET['off_topic'])}")


def test_answers_carry_catalog_facts_only(assistant: Assistant) -> None:
    a = assistant.answer("lý lịch tư pháp lệ phí bao nhiêu", "vi", CONTACT)
    assert "200.000 đồng" in a.answer and "200.000 đồng/lần/người" in a.answer  # parsed amount and verbatim text
    en = assistant.answer("How long does a construction permit for a private house take?", "en", CONTACT)
    assert "15 calendar days" in en.answer and en.procedures[0].url == "/apply/1.009794"
    empty = assistant.answer("   ", "vi", CONTACT)
    assert not empty.known and "Đăng ký khai sinh" in empty.answer
