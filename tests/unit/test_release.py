"""The release and return rule shared by the citizen and officer sides (domain/release)."""

from __future__ import annotations

import pytest

from onestop.domain.release import fee_outstanding, result_release, return_check

ID = "001190012345"  # Hà Nội, male, 1990


@pytest.mark.parametrize(
    ("status", "amount", "outstanding"),
    [("unpaid", 135000, True), ("unpaid", 0, False), ("paid", 135000, False), ("exempt", 0, False), ("none", 0, False)],
)
def test_fee_outstanding(status: str, amount: int, outstanding: bool) -> None:
    assert fee_outstanding(status, amount) is outstanding


def test_citizen_download_needs_a_result_and_no_fee_outstanding() -> None:
    for not_ready in (result_release(4, True, "paid", 1), result_release(9, False, "paid", 1)):
        # a result marked released before it exists is the survivor this guards (mutation run, issue 17)
        assert not not_ready.allowed and not_ready.code == "result_not_ready"
        assert not_ready.vi == "Hồ sơ chưa có kết quả." and not_ready.en == "The dossier has no result yet."
    blocked = result_release(9, True, "unpaid", 75000)
    assert not blocked.allowed and blocked.code == "fee_unpaid" and "75.000 đồng" in blocked.vi
    assert "75.000 VND" in blocked.message("en")
    assert result_release(9, True, "paid", 75000).allowed
    assert result_release(10, True, "exempt", 0).allowed


def test_return_in_person_checks_the_recipients_identity() -> None:
    assert return_check("unpaid", 10000, "post").code == "fee_unpaid"
    assert return_check("paid", 10000, "post").allowed
    assert return_check("none", 0, "electronic").allowed
    assert return_check("none", 0, "in_person").code == "recipient_id_required"
    assert return_check("none", 0, "in_person", "12345").code == "recipient_id_invalid"
    assert return_check("none", 0, "in_person", "999190012345").code == "recipient_id_invalid"  # no province 999
    assert return_check("none", 0, "in_person", "0011 9001 2345", ID).allowed
    other = "079301012345"
    assert return_check("none", 0, "in_person", other, ID).code == "authorisation_required"
    assert return_check("none", 0, "in_person", other, ID, note="Giấy ủy quyền số 12/UQ").allowed
