"""Amounts in Vietnamese words, as printed on the e-receipt."""

from __future__ import annotations

import pytest

from onestop.documents.words import amount_in_words


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (0, "Không đồng"),
        (5, "Năm đồng"),
        (10, "Mười đồng"),
        (15, "Mười lăm đồng"),
        (21, "Hai mươi mốt đồng"),
        (24, "Hai mươi tư đồng"),
        (105, "Một trăm linh năm đồng"),
        (1000, "Một nghìn đồng"),
        (8000, "Tám nghìn đồng"),
        (15000, "Mười lăm nghìn đồng"),
        (50000, "Năm mươi nghìn đồng"),
        (135000, "Một trăm ba mươi lăm nghìn đồng"),
        (200000, "Hai trăm nghìn đồng"),
        (1_005_000, "Một triệu không trăm linh năm nghìn đồng"),
        (2_000_000_000, "Hai tỷ đồng"),
    ],
)
def test_amount_in_words(amount: int, words: str) -> None:
    assert amount_in_words(amount) == words


def test_out_of_range() -> None:
    with pytest.raises(ValueError):
        amount_in_words(-1)
