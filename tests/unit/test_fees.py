"""Fee schedules: worked examples from each demo procedure's legal fee text, and the rules of combination."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from onestop.demo.catalog import PROCEDURES
from onestop.domain.errors import DomainError
from onestop.domain.fees import FeeSchedule, quote, schedule_for, starting_amount

SPECS = {p["code"]: p for p in PROCEDURES}


def _fee(code: str, channel: str = "direct", **data: object) -> int:
    spec = SPECS[code]
    schedule = schedule_for(spec.get("fee_schedule"), spec["fee_amount"], spec.get("fee_online_amount"))
    return quote(schedule, data, channel, spec["fee_text"]).total


# Worked examples, one row per demo procedure (legal text in demo/catalog.json beside each schedule).
WORKED = [
    ("1.001193", "online", {}, 0),  # birth registration on time: free
    ("1.000894", "direct", {}, 0),  # marriage: free
    ("1.000656", "online", {}, 0),  # death: free
    ("1.004873", "direct", {}, 0),  # marital status: free (provincial resolution)
    ("1.003010", "direct", {}, 0),  # land change: fees by provincial resolution, none charged here
    ("2.000635", "direct", {"copies": 1}, 8000),  # 8,000 đ per copy
    ("2.000635", "direct", {"copies": 2}, 16000),  # two copies at the counter: twice
    ("2.000635", "online", {"copies": 3}, 24000),
    ("2.000815", "online", {"pages": 1, "copies": 1}, 2000),  # page 1: 2,000
    ("2.000815", "online", {"pages": 2, "copies": 1}, 4000),  # pages 1-2: 2 × 2,000
    ("2.000815", "online", {"pages": 3, "copies": 3}, 15000),  # (2,000 + 2,000 + 1,000) × 3 copies
    ("2.000815", "direct", {"pages": 10, "copies": 2}, 24000),  # (4,000 + 8 × 1,000) × 2
    ("2.000815", "direct", {"pages": 198, "copies": 1}, 200000),  # 4,000 + 196,000 = the cap exactly
    ("2.000815", "direct", {"pages": 500, "copies": 2}, 400000),  # capped at 200,000 per copy
    ("2.000884", "direct", {}, 10000),  # signature: 10,000 per case
    ("3.000333", "direct", {}, 200000),
    ("3.000333", "online", {}, 100000),  # halved online
    ("3.000333", "direct", {"fee_category": "student"}, 100000),
    ("3.000333", "online", {"fee_category": "student"}, 50000),  # reduced rate, then halved online
    ("3.000333", "online", {"fee_category": "revolution"}, 50000),
    ("3.000333", "direct", {"fee_category": "child"}, 0),
    ("3.000333", "online", {"fee_category": "elderly"}, 0),
    ("1.004194", "direct", {}, 20000),  # permanent residence
    ("1.004194", "online", {}, 10000),
    ("1.001612", "direct", {}, 100000),  # business household
    ("1.001612", "online", {}, 0),  # free online
    ("1.009794", "direct", {}, 75000),  # construction permit
    ("1.002804", "direct", {}, 135000),  # driving licence
    ("1.002804", "online", {}, 135000),
]


@pytest.mark.parametrize(("code", "channel", "data", "expected"), WORKED)
def test_worked_examples(code: str, channel: str, data: dict, expected: int) -> None:
    assert _fee(code, channel, **data) == expected


def test_every_demo_procedure_has_a_worked_example_and_a_valid_schedule() -> None:
    assert {row[0] for row in WORKED} == set(SPECS)
    for spec in PROCEDURES:
        schedule = FeeSchedule.from_dict(spec["fee_schedule"])
        assert FeeSchedule.from_dict(schedule.to_dict()) == schedule
        # the list amounts stored beside the schedule agree with it
        assert starting_amount(schedule, "direct") == spec["fee_amount"], spec["code"]
        online = spec.get("fee_online_amount")
        assert starting_amount(schedule, "online") == (spec["fee_amount"] if online is None else online)


def test_certified_copy_breakdown_and_legal_text() -> None:
    spec = SPECS["2.000815"]
    q = quote(FeeSchedule.from_dict(spec["fee_schedule"]), {"pages": 3, "copies": 3}, "online", spec["fee_text"])
    assert q.legal_text.startswith("2.000 đồng/trang")
    assert q.breakdown("vi") == ["Bản chứng thực (3 trang/bản): 3 × 5.000 đồng = 15.000 đồng", "Tổng cộng: 15.000 đồng"]
    assert q.breakdown("en")[-1] == "Total: 15.000 VND"
    assert q.summary.vi == ("2.000 đồng/trang (trang 1–2); 1.000 đồng/trang (từ trang 3); tối đa 200.000 đồng/bản")
    assert q.fee_status == "unpaid"


def test_exemption_is_marked_and_names_its_evidence() -> None:
    spec = SPECS["3.000333"]
    q = quote(FeeSchedule.from_dict(spec["fee_schedule"]), {"fee_category": "child"}, "direct", spec["fee_text"])
    assert q.total == 0 and q.exempt and q.fee_status == "exempt"
    assert q.category is not None and q.category.evidence.vi == "Giấy khai sinh"
    assert any(line.amount == -200000 for line in q.lines)
    assert quote(FeeSchedule.flat(0), {}, "direct").fee_status == "none"


def test_unknown_category_and_bad_quantities_are_refused() -> None:
    sched = FeeSchedule.from_dict(SPECS["2.000815"]["fee_schedule"])
    with pytest.raises(DomainError) as exc:
        quote(sched, {"fee_category": "astronaut"}, "direct")
    assert exc.value.code == "bad_fee_category"
    for bad in (0, -1, "ba", 2.5, True, 10_001):
        with pytest.raises(DomainError):
            quote(sched, {"pages": bad, "copies": 1}, "direct")
    assert quote(sched, {"pages": "3", "copies": "3"}, "direct").total == 15000  # typed text from the CLI/API


@pytest.mark.parametrize(
    "raw",
    [
        {"basis": "per_week"},
        {"basis": "per_page", "page_tiers": [{"from_page": 2, "amount": 1}]},
        {"basis": "per_page", "page_tiers": [{"from_page": 1, "amount": 1}, {"from_page": 1, "amount": 2}]},
        {"basis": "per_dossier", "amount": -5},
        {"basis": "per_dossier", "amount": 5, "online_percent_off": 120},
        {"basis": "per_dossier", "exemptions": [{"code": "x", "label_vi": "X"}]},
        {"basis": "per_dossier", "exemptions": [{"code": "x", "label_vi": "X", "amount": 1, "percent_off": 5}]},
        {"basis": "per_dossier", "price": 5},
    ],
)
def test_invalid_schedules_are_refused(raw: dict) -> None:
    with pytest.raises(DomainError):
        FeeSchedule.from_dict(raw)


def test_legacy_flat_amounts_still_work() -> None:
    sched = schedule_for(None, 20000, 10000)
    assert quote(sched, {}, "direct").total == 20000
    assert quote(sched, {}, "online").total == 10000


@given(pages=st.integers(1, 2000), copies=st.integers(1, 50))
def test_certified_copy_grows_with_quantity_and_respects_the_cap(pages: int, copies: int) -> None:
    sched = FeeSchedule.from_dict(SPECS["2.000815"]["fee_schedule"])
    total = quote(sched, {"pages": pages, "copies": copies}, "direct").total
    per_copy = min(200000, 2000 * min(pages, 2) + 1000 * max(0, pages - 2))
    assert total == per_copy * copies
    assert total <= 200000 * copies
    assert quote(sched, {"pages": pages + 1, "copies": copies}, "direct").total >= total


def test_admin_form_round_trips_every_demo_schedule() -> None:
    from onestop.domain.fees import schedule_from_form, schedule_to_form

    for spec in PROCEDURES:
        schedule = FeeSchedule.from_dict(spec["fee_schedule"])
        assert schedule_from_form(schedule_to_form(schedule)) == schedule, spec["code"]


def test_admin_form_reads_what_an_admin_types() -> None:
    from onestop.domain.fees import schedule_from_form

    s = schedule_from_form(
        {
            "fee_basis": "per_page",
            "fee_amount": "2.000",
            "fee_tiers": "1 = 2.000\n\n3=1000",
            "fee_cap": "200.000",
            "fee_exemptions": "ncc | Người có công | 50%",
        }
    )
    assert s.per_copy_for_pages(3) == 5000 and s.cap_per_copy == 200000
    assert s.exemption("ncc") is not None and s.exemption("ncc").percent_off == 50
    for bad, field_name in [
        ({"fee_basis": "per_page", "fee_tiers": "1 2000"}, "fee_tiers"),
        ({"fee_amount": "abc"}, "fee_amount"),
        ({"fee_exemptions": "x | y"}, "fee_exemptions"),
        ({"fee_online_percent": "150"}, "online_percent_off"),
    ]:
        with pytest.raises(DomainError) as exc:
            schedule_from_form(bad)
        assert exc.value.field == field_name
