"""A procedure's own other names are searchable like the built-in everyday synonyms."""

from __future__ import annotations

from onestop.domain.text import SearchDoc, SearchIndex

DOCS = [
    SearchDoc("A", "Cấp giấy xác nhận tình trạng hôn nhân", aliases=("giấy độc thân", "single status certificate")),
    SearchDoc("B", "Đăng ký kết hôn", aliases=("đăng ký cưới",)),
    SearchDoc("C", "Cấp phiếu lý lịch tư pháp", aliases=("criminal record certificate", "giấy không tiền án")),
]


def test_aliases_find_their_procedure_first() -> None:
    index = SearchIndex(DOCS, synonyms={})
    assert index.search("single status ")[0][0] == "A"
    assert index.search("dang ky cuoi ")[0][0] == "B"
    assert index.search("giay khong tien an")[0][0] == "C"
    assert index.search("criminal recrod ")[0][0] == "C"  # typo tolerance applies to aliases too


def test_without_aliases_those_words_find_nothing() -> None:
    plain = SearchIndex([SearchDoc(d.key, d.title) for d in DOCS], synonyms={})
    assert plain.search("single status ") == []
    assert plain.search("tien an ") == []


def test_title_still_outranks_an_alias_match() -> None:
    index = SearchIndex(
        [
            SearchDoc("X", "Đăng ký kết hôn"),
            SearchDoc("Y", "Ghi chú việc kết hôn", aliases=("đăng ký kết hôn ở nước ngoài",)),
        ],
        synonyms={},
    )
    assert index.search("đăng ký kết hôn ")[0][0] == "X"
