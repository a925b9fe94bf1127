"""Dossier codes, provisional field receipt codes and tracking tokens."""

from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from onestop.domain.codes import (
    CROCKFORD_ALPHABET,
    format_dossier_code,
    is_valid_provisional_code,
    new_provisional_code,
    new_tracking_token,
    normalize_provisional_code,
    parse_dossier_code,
)
from onestop.domain.errors import DomainError


def test_format_dossier_code():
    assert format_dossier_code("H56.25", date(2025, 7, 1), 1) == "H56.25-250701-0001"
    assert format_dossier_code("000.00.12.H56", date(2026, 12, 31), 9999) == "000.00.12.H56-261231-9999"
    assert format_dossier_code("TTHCC", date(2025, 7, 1), 10000) == "TTHCC-250701-10000"


@pytest.mark.parametrize(
    "args",
    [
        ("h56", date(2025, 7, 1), 1),  # lower case center
        ("H56 25", date(2025, 7, 1), 1),  # space
        ("", date(2025, 7, 1), 1),
        ("H56", date(1999, 7, 1), 1),  # yy would be ambiguous
        ("H56", date(2025, 7, 1), 0),
        ("H56", date(2025, 7, 1), -3),
        ("H56", date(2025, 7, 1), True),
    ],
)
def test_format_refuses_bad_parts(args):
    with pytest.raises(DomainError):
        format_dossier_code(*args)


def test_parse_dossier_code_tolerates_case_and_spaces():
    assert parse_dossier_code(" h56.25-250701-0042 ") == ("H56.25", date(2025, 7, 1), 42)
    assert parse_dossier_code("A-B-250701-10000") == ("A-B", date(2025, 7, 1), 10000)


@pytest.mark.parametrize(
    "code",
    [
        "",
        "H56",
        "H56-250701",
        "H56-250701-001",
        "H56-251301-0001",
        "H56-250230-0001",
        "H56-250701-0000",
        "H56-250701-00001",
        "-250701-0001",
        "H56-250701-0001x",
        "H56-2507010-0001",
        "H56_250701_0001",
    ],
)
def test_parse_refuses_bad_codes(code):
    with pytest.raises(DomainError) as e:
        parse_dossier_code(code)
    assert e.value.code == "bad_dossier_code" and e.value.vi and e.value.en


@given(
    center=st.from_regex(r"[A-Z0-9](?:[A-Z0-9._-]{0,20}[A-Z0-9])?", fullmatch=True),
    day=st.dates(date(2000, 1, 1), date(2099, 12, 31)),
    seq=st.integers(1, 10**7),
)
def test_dossier_code_roundtrip(center, day, seq):
    code = format_dossier_code(center, day, seq)
    assert parse_dossier_code(code) == (center, day, seq)
    assert parse_dossier_code(code.lower()) == (center, day, seq)


def test_codes_of_a_day_sort_in_sequence_order_up_to_9999():
    codes = [format_dossier_code("H56", date(2025, 7, 1), s) for s in (1, 2, 10, 999, 9999)]
    assert codes == sorted(codes)


def test_provisional_code_shape():
    for _ in range(200):
        code = new_provisional_code()
        assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}", code)
        assert is_valid_provisional_code(code)
        assert normalize_provisional_code(code) == code
    assert re.fullmatch(r"(?:[0-9A-Z]{4}-){2}[0-9A-Z]{4}", new_provisional_code(groups=3))


def test_provisional_code_read_back_by_a_person():
    assert normalize_provisional_code("f7k3 m2qq") == "F7K3-M2QQ"
    assert normalize_provisional_code("F7K3M2QQ") == "F7K3-M2QQ"
    assert is_valid_provisional_code("10KM-0AB3")
    assert normalize_provisional_code("IOKM-OAB3") == "10KM-0AB3"  # O read as 0, I as 1
    assert normalize_provisional_code("lokm.oab3") == "10KM-0AB3"  # l as 1, any separator


@given(st.integers(0, 10**6))
def test_crockford_confusables_are_forgiven(seed):
    code = new_provisional_code()
    spoken = code.replace("0", "O").replace("1", "I").lower().replace("-", " ")
    assert normalize_provisional_code(spoken) == code
    assert normalize_provisional_code(code.replace("1", "L")) == code


@given(st.data())
def test_check_character_catches_any_single_wrong_character(data):
    code = new_provisional_code().replace("-", "")
    i = data.draw(st.integers(0, len(code) - 1))
    wrong = data.draw(st.sampled_from([c for c in CROCKFORD_ALPHABET if c != code[i]]))
    typo = code[:i] + wrong + code[i + 1 :]
    assert not is_valid_provisional_code(typo)


@given(st.data())
def test_check_character_catches_most_swapped_neighbours(data):
    code = new_provisional_code().replace("-", "")
    i = data.draw(st.integers(0, len(code) - 2))
    swapped = code[:i] + code[i + 1] + code[i] + code[i + 2 :]
    # Luhn mod N misses only the swap of the values 0 and N-1 ("0" and "Z", values 0 and 31)
    a, b = CROCKFORD_ALPHABET.index(code[i]), CROCKFORD_ALPHABET.index(code[i + 1])
    if a != b and {a, b} != {0, 31}:
        assert not is_valid_provisional_code(swapped)


@pytest.mark.parametrize("bad", ["", "F7K3", "F7K3-M2Q", "F7K3-M2QU", "F7K3-M2Q!", "F7K3-M2QX", None, 123])
def test_bad_provisional_codes(bad):
    assert not is_valid_provisional_code(bad)  # type: ignore[arg-type]


def test_tracking_token_is_long_random_and_url_safe():
    tokens = {new_tracking_token() for _ in range(1000)}
    assert len(tokens) == 1000
    for t in tokens:
        assert re.fullmatch(r"[A-Za-z0-9_-]{32,}", t)  # 32 chars of base64url = 192 bits


def test_provisional_codes_of_up_to_eight_groups_are_read_back_and_longer_ones_refused() -> None:
    longest = new_provisional_code(8)  # 32 characters: the longest a receipt may carry
    assert normalize_provisional_code(longest.lower()) == longest
    with pytest.raises(DomainError):
        normalize_provisional_code(new_provisional_code(9))
