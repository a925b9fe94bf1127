"""Accent folding and the procedure search index (no timing assertions: see bench/search_bench.py)."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from onestop.domain.text import SearchDoc, SearchIndex, fold, tokens

CATALOG = [
    ("1.001193", "Đăng ký khai sinh", "Hộ tịch UBND cấp xã", 900),
    ("KS-NN", "Đăng ký khai sinh có yếu tố nước ngoài", "Hộ tịch UBND cấp xã", 50),
    ("KS-LAI", "Đăng ký lại khai sinh", "Hộ tịch", 30),
    ("KS-CHA", "Đăng ký khai sinh kết hợp nhận cha, mẹ, con", "Hộ tịch", 40),
    ("1.000656", "Đăng ký khai tử", "Hộ tịch", 300),
    ("1.000894", "Đăng ký kết hôn", "Hộ tịch", 500),
    ("2.000635", "Cấp bản sao trích lục hộ tịch", "Hộ tịch", 200),
    ("2.000815", "Chứng thực bản sao từ bản chính", "Chứng thực giấy tờ, văn bản", 1000),
    ("CT-DT", "Chứng thực bản sao điện tử từ bản chính", "Chứng thực", 100),
    ("2.000884", "Chứng thực chữ ký trong các giấy tờ, văn bản", "Chứng thực", 400),
    ("3.000333", "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam", "Lý lịch tư pháp Sở Tư pháp", 300),
    ("1.001612", "Đăng ký thành lập hộ kinh doanh", "Thành lập và hoạt động doanh nghiệp", 200),
    ("HKD-TD", "Đăng ký thay đổi nội dung đăng ký hộ kinh doanh", "Thành lập và hoạt động doanh nghiệp", 100),
    ("HKD-TN", "Tạm ngừng hoạt động hộ kinh doanh", "Thành lập và hoạt động doanh nghiệp", 20),
    ("HKD-CD", "Chấm dứt hoạt động hộ kinh doanh", "Thành lập và hoạt động doanh nghiệp", 20),
    ("GPLX-DOI", "Đổi giấy phép lái xe do ngành Giao thông vận tải cấp", "Đường bộ Sở Giao thông vận tải", 600),
    ("GPLX-LAI", "Cấp lại giấy phép lái xe", "Đường bộ", 100),
    ("TT", "Đăng ký thường trú", "Đăng ký, quản lý cư trú Công an", 500),
    ("HN", "Cấp Giấy xác nhận tình trạng hôn nhân", "Hộ tịch", 400),
    ("XD", "Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ", "Xây dựng", 300),
    ("DD", "Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất", "Đất đai", 300),
    ("HO", "Cấp phép khai thác nước mặt từ hồ chứa", "Tài nguyên nước", 5),
]


@pytest.fixture(scope="module")
def index() -> SearchIndex:
    return SearchIndex(SearchDoc(k, t, e, p) for k, t, e, p in CATALOG)


def titles(index: SearchIndex, q: str, n: int = 3) -> list[str]:
    by_key = {k: t for k, t, _, _ in CATALOG}
    return [by_key[k] for k, _ in index.search(q, n)]


def test_fold():
    assert fold("Đăng ký khai sinh") == "dang ky khai sinh"
    assert fold("  ĐỔI   giấy-phép, lái xe!! ") == "doi giay phep lai xe"
    assert fold(unicodedata.normalize("NFD", "Hộ kinh doanh")) == "ho kinh doanh"
    assert fold("Thủ tục 1.001193") == "thu tuc 1 001193"
    assert fold("") == "" and fold("…—!") == ""
    assert tokens("Chứng thực bản sao") == ["chung", "thuc", "ban", "sao"]


VIET = "aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂĐÊÔƠƯáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ"


@given(st.text(alphabet=VIET + "0123456789 ,.-/()\t\n", max_size=60))
def test_fold_of_vietnamese_is_plain_ascii_and_idempotent(s):
    f = fold(s)
    assert all(c in "abcdefghijklmnopqrstuvwxyz0123456789 " for c in f)
    assert fold(f) == f
    assert "  " not in f and f == f.strip()


@pytest.mark.parametrize(
    ("query", "expected_first"),
    [
        ("dang ky khai sinh", "Đăng ký khai sinh"),
        ("Đăng ký khai sinh", "Đăng ký khai sinh"),
        ("khai sinh", "Đăng ký khai sinh"),
        ("chung thuc ban sao", "Chứng thực bản sao từ bản chính"),
        ("ho kinh doanh", "Đăng ký thành lập hộ kinh doanh"),
        ("doi bang lai", "Đổi giấy phép lái xe do ngành Giao thông vận tải cấp"),
        ("khai sihn", "Đăng ký khai sinh"),  # swapped letters
        ("dang ky ket hno", "Đăng ký kết hôn"),  # swapped letters in the last word
        ("dang ki khai sinh", "Đăng ký khai sinh"),  # i for y
        ("ly lich tu phap", "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam"),
        ("giay doc than", "Cấp Giấy xác nhận tình trạng hôn nhân"),  # everyday words
        ("nhap khau", "Đăng ký thường trú"),
        ("sao y", "Chứng thực bản sao từ bản chính"),
        ("so do", "Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất"),
    ],
)
def test_first_hit(index, query, expected_first):
    assert titles(index, query, 1) == [expected_first]


def test_driving_licence_ideas(index):
    top2 = set(titles(index, "giay phep lai xe", 2))
    assert top2 == {"Đổi giấy phép lái xe do ngành Giao thông vận tải cấp", "Cấp lại giấy phép lái xe"}
    assert titles(index, "bang lai xe", 2)[0].endswith(("giấy phép lái xe", "Giao thông vận tải cấp"))


def test_typo_in_first_word(index):
    top = titles(index, "chng thuc", 3)
    assert all(t.startswith("Chứng thực") for t in top)
    assert titles(index, "chung thuc ban sso", 1) == ["Chứng thực bản sao từ bản chính"]


def test_as_you_type_prefix(index):
    assert titles(index, "dang ky khai s", 1) == ["Đăng ký khai sinh"]
    top = titles(index, "dang ky kh", 4)
    assert "Đăng ký khai sinh" in top and "Đăng ký khai tử" in top
    assert titles(index, "chung th", 1)[0].startswith("Chứng thực")


def test_trailing_space_means_the_word_is_complete(index):
    # "khai" typed in full: no prefix expansion to longer words, same top result
    assert titles(index, "khai ", 1)[0].startswith("Đăng ký khai")


def test_all_words_beat_some_words(index):
    keys = [k for k, _ in index.search("khai sinh nuoc ngoai", 5)]
    assert keys[0] == "KS-NN"


def test_title_outranks_extra_text():
    idx = SearchIndex(
        [
            SearchDoc("extra", "Thủ tục hành chính khác", extra="giấy phép môi trường", popularity=1000),
            SearchDoc("title", "Cấp giấy phép môi trường", popularity=0),
        ]
    )
    assert [k for k, _ in idx.search("giay phep moi truong")] == ["title", "extra"]


def test_popularity_breaks_ties_only():
    idx = SearchIndex(
        [
            SearchDoc("rare", "Đăng ký khai sinh", popularity=1),
            SearchDoc("common", "Đăng ký khai sinh", popularity=500),
            SearchDoc("other", "Đăng ký khai tử", popularity=10_000),
        ]
    )
    assert [k for k, _ in idx.search("khai sinh")][:2] == ["common", "rare"]


def test_accents_typed_are_rewarded(index):
    # "hộ" and "hồ" fold alike; the accented query prefers the accented match
    assert titles(index, "hồ chứa", 1) == ["Cấp phép khai thác nước mặt từ hồ chứa"]
    first = index.search("hộ", 30)
    ho_chua = next(s for k, s in first if k == "HO")
    ho_tich = next(s for k, s in first if k == "2.000635")
    assert ho_tich > ho_chua


def test_procedure_code_in_extra_text():
    idx = SearchIndex([SearchDoc("a", "Đăng ký khai sinh", extra="1.001193"), SearchDoc("b", "Đăng ký kết hôn")])
    assert idx.search("1.001193")[0][0] == "a"


def test_custom_synonyms():
    docs = [SearchDoc("a", "Cấp giấy chứng nhận quyền sử dụng đất"), SearchDoc("b", "Cấp sổ tay")]
    assert SearchIndex(docs).search("so do", 1)[0][0] == "a"
    assert SearchIndex(docs, synonyms={}).search("so do", 1)[0][0] == "b"  # only "so" left to match


def test_empty_and_degenerate_queries(index):
    assert index.search("") == []
    assert index.search("   ") == []
    assert index.search("!!! ...") == []
    assert index.search("zzzzqqqq") == []
    assert index.search("khai sinh", limit=0) == []
    assert len(index.search("dang ky", limit=2)) == 2
    assert SearchIndex([]).search("khai sinh") == []


def test_scores_are_sorted(index):
    scores = [s for _, s in index.search("dang ky", 50)]
    assert scores == sorted(scores, reverse=True)


@given(st.text(max_size=80), st.integers(1, 30))
def test_any_query_is_safe(q, limit):
    idx = SearchIndex(SearchDoc(k, t, e, p) for k, t, e, p in CATALOG[:8])
    out = idx.search(q, limit)
    assert len(out) <= limit
    assert {k for k, _ in out} <= {k for k, *_ in CATALOG}


def test_two_thousand_procedures_build_and_answer():
    words = ["đăng ký", "cấp", "đổi", "giấy phép", "khai sinh", "hộ kinh doanh", "xây dựng", "lái xe", "đất đai"]
    docs = [
        SearchDoc(str(i), f"{words[i % 9]} {words[(i // 9) % 9]} {words[(i // 81) % 9]} số {i}") for i in range(2000)
    ]
    idx = SearchIndex(docs)
    assert len(idx) == 2000
    assert idx.search("giay phep lai xe", 5)
