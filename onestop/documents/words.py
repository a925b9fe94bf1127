"""Amounts in Vietnamese words ("Số tiền bằng chữ"), as a receipt for fees must print them.

Why: a fee receipt (biên lai) states the amount in figures and in words; the words are
what a reader checks against tampering. Rules: hundreds/tens/units per group of three,
"linh" for a zero tens digit, "mười" for ten, "mốt" for a final 1 after twenty, "lăm" for
a final 5 after ten, "tư" for a final 4 after twenty, groups nghìn/triệu/tỷ.
"""

from __future__ import annotations

_DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
_GROUPS = ("", "nghìn", "triệu", "tỷ")


def _three(n: int, full: bool) -> list[str]:
    """Words of 0 ≤ n < 1000; `full` forces "không trăm" (a group after a higher non-zero group)."""
    hundreds, tens, units = n // 100, n // 10 % 10, n % 10
    out: list[str] = []
    if hundreds or full:
        out += [_DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units and out:
            out.append("linh")
    elif tens == 1:
        out.append("mười")
    else:
        out += [_DIGITS[tens], "mươi"]
    if units:
        if units == 1 and tens > 1:
            out.append("mốt")
        elif units == 5 and tens > 0:
            out.append("lăm")
        elif units == 4 and tens > 1:
            out.append("tư")
        else:
            out.append(_DIGITS[units])
    return out


def amount_in_words(amount: int) -> str:
    """'Mười lăm nghìn đồng' for 15000; up to 999,999,999,999 đồng."""
    if amount < 0 or amount >= 10**12:
        raise ValueError("amount out of range")
    if amount == 0:
        return "Không đồng"
    groups = []
    n = amount
    while n:
        groups.append(n % 1000)
        n //= 1000
    words: list[str] = []
    for i in range(len(groups) - 1, -1, -1):
        if groups[i] == 0:
            continue
        words += _three(groups[i], full=i < len(groups) - 1)
        if _GROUPS[i]:
            words.append(_GROUPS[i])
    text = " ".join(words) + " đồng"
    return text[0].upper() + text[1:]
