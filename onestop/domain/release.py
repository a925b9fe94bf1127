"""When a result may leave the center, and how: one rule for the citizen and the officer side.

Why one module: the citizen page offered "Tải kết quả (PDF)" (HTTP 200) next to an unpaid
75,000 đ fee while the officer page refused to return the same result. A result is released
only when it exists and no fee is outstanding (exempt and paid dossiers pass); a return at the
counter needs the recipient's identity checked (their ID number typed from the card), and a
recipient who is not the applicant needs the authorisation noted. The citizen chooses how to
receive the result when filing online (download, counter, post); the officer's return methods
map to those choices.
"""

from __future__ import annotations

from dataclasses import dataclass

from onestop.domain.errors import Bilingual
from onestop.domain.forms import parse_national_id

#: How a citizen may choose to receive the result (asked when filing online).
DELIVERY_METHODS = ("download", "counter", "post")
#: The officer's return method that fulfils each delivery choice.
RETURN_METHOD_OF = {"download": "electronic", "counter": "in_person", "post": "post"}
#: Result statuses (9 ready at the desk, 10 returned) in which a result exists for the applicant.
RESULT_STATUSES = (9, 10)


@dataclass(frozen=True)
class Decision(Bilingual):
    allowed: bool
    code: str = ""
    vi: str = ""
    en: str = ""


ALLOWED = Decision(True)


def _money(amount: int, lang: str) -> str:
    text = f"{amount:,}".replace(",", ".")
    return f"{text} đồng" if lang == "vi" else f"{text} VND"


def fee_outstanding(fee_status: str, fee_amount: int) -> bool:
    """A fee blocks the release while it is unpaid and above zero (exempt, paid and none do not)."""
    return fee_status == "unpaid" and fee_amount > 0


def fee_block(fee_status: str, fee_amount: int) -> Decision:
    if fee_outstanding(fee_status, fee_amount):
        return Decision(
            False,
            "fee_unpaid",
            f"Chưa thể nhận kết quả: còn phí, lệ phí {_money(fee_amount, 'vi')} chưa nộp.",
            f"The result cannot be released while the fee of {_money(fee_amount, 'en')} is unpaid.",
        )
    return ALLOWED


def result_release(status: int, has_result: bool, fee_status: str, fee_amount: int) -> Decision:
    """May the applicant download the electronic result now?"""
    if not has_result or status not in RESULT_STATUSES:
        return Decision(False, "result_not_ready", "Hồ sơ chưa có kết quả.", "The dossier has no result yet.")
    return fee_block(fee_status, fee_amount)


def return_check(
    fee_status: str,
    fee_amount: int,
    return_method: str,
    recipient_id_number: str = "",
    applicant_id_number: str = "",
    note: str = "",
) -> Decision:
    """May the officer return the result this way? In person: the recipient's ID is checked."""
    blocked = fee_block(fee_status, fee_amount)
    if not blocked.allowed:
        return blocked
    if return_method != "in_person":
        return ALLOWED
    number = "".join(ch for ch in recipient_id_number if not ch.isspace())
    if not number:
        return Decision(
            False,
            "recipient_id_required",
            "Kiểm tra giấy tờ tùy thân của người nhận và nhập số định danh của họ.",
            "Check the recipient's identity document and type their ID number.",
        )
    if parse_national_id(number) is None:
        return Decision(
            False,
            "recipient_id_invalid",
            "Số định danh của người nhận không hợp lệ (12 chữ số).",
            "The recipient's ID number is not valid (12 digits).",
        )
    if applicant_id_number and number != applicant_id_number and not note.strip():
        return Decision(
            False,
            "authorisation_required",
            "Người nhận không phải người nộp: ghi giấy ủy quyền hoặc quan hệ vào phần ghi chú.",
            "The recipient is not the applicant: note the authorisation or relationship.",
        )
    return ALLOWED
