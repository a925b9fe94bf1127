"""Benchmark the procedure search index: build time and per-query latency.

A province publishes about 2,000 procedures and the citizen search box asks
per keystroke, so a query must take well under 100 ms (target: a few ms).
This builds N synthetic but realistic Vietnamese procedure titles (seeded,
reproducible), runs a mix of queries — plain, unaccented, as-you-type
prefixes, typos, everyday words — and prints p50/p99.

    .venv/bin/python bench/search_bench.py [--docs 2000] [--rounds 20] [--seed 7]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from onestop.domain.text import SearchDoc, SearchIndex

ACTIONS = [
    "Đăng ký",
    "Cấp",
    "Cấp lại",
    "Cấp đổi",
    "Điều chỉnh",
    "Gia hạn",
    "Thu hồi",
    "Xác nhận",
    "Chứng thực",
    "Thẩm định",
    "Phê duyệt",
    "Công nhận",
    "Đăng ký thay đổi",
    "Tạm ngừng",
    "Chấm dứt",
    "Thông báo",
]
OBJECTS = [
    "khai sinh",
    "khai tử",
    "kết hôn",
    "giám hộ",
    "nhận cha, mẹ, con",
    "thường trú",
    "tạm trú",
    "hộ kinh doanh",
    "giấy phép lái xe",
    "giấy phép xây dựng",
    "giấy chứng nhận quyền sử dụng đất",
    "bản sao từ bản chính",
    "chữ ký",
    "hợp đồng, giao dịch",
    "phiếu lý lịch tư pháp",
    "giấy phép kinh doanh",
    "chứng chỉ hành nghề",
    "giấy chứng nhận đủ điều kiện",
    "biển số xe",
    "trợ cấp xã hội",
    "bảo hiểm y tế",
    "hồ sơ người có công",
    "giấy phép khai thác nước",
    "giấy phép môi trường",
    "quyết định giao đất",
    "giấy xác nhận tình trạng hôn nhân",
    "trích lục hộ tịch",
    "thẻ căn cước",
    "hộ chiếu phổ thông",
    "giấy phép tổ chức lễ hội",
    "giấy phép quảng cáo",
    "cơ sở giáo dục mầm non",
    "trường tiểu học",
    "phòng khám đa khoa",
    "nhà thuốc",
    "cơ sở bán lẻ rượu",
    "đại lý xăng dầu",
    "hội đoàn",
    "quỹ xã hội",
]
QUALIFIERS = [
    "",
    "",
    "",
    "có yếu tố nước ngoài",
    "cho công dân Việt Nam",
    "đối với nhà ở riêng lẻ",
    "do bị mất, hư hỏng",
    "cấp huyện",
    "cấp xã",
    "cấp tỉnh",
    "trong trường hợp thay đổi thông tin",
    "cho người nước ngoài",
    "lần đầu",
    "theo yêu cầu",
    "trên môi trường điện tử",
    "liên thông",
]
FIELDS = [
    "Hộ tịch",
    "Cư trú",
    "Chứng thực",
    "Đất đai",
    "Xây dựng",
    "Giao thông",
    "Y tế",
    "Giáo dục",
    "Thành lập và hoạt động doanh nghiệp",
    "Lao động - Thương binh và Xã hội",
    "Tư pháp",
    "Môi trường",
]

QUERIES = [
    "dang ky khai sinh",
    "khai sinh",
    "chung thuc ban sao",
    "ho kinh doanh",
    "giay phep lai xe",
    "doi bang lai",
    "khai sihn",
    "chng thuc",
    "d",
    "da",
    "dang k",
    "dang ky kh",
    "cap lai giay phep xay dung nha o",
    "so do",
    "tam tru",
    "ly lich tu phap",
    "xac nhan tinh trang hon nhan",
    "giay phep moi truong",
    "Đăng ký kết hôn có yếu tố nước ngoài",
    "truong tieu hoc",
    "bao hiem y te",
    "phong kham",
    "nha thuoc",
    "cap doi the can cuoc",
    "thong bao",
    "xyz khong co",
]


def make_docs(n: int, seed: int) -> list[SearchDoc]:
    rng = random.Random(seed)
    docs = []
    for i in range(n):
        q = rng.choice(QUALIFIERS)
        title = f"{rng.choice(ACTIONS)} {rng.choice(OBJECTS)}{' ' + q if q else ''}"
        extra = f"{rng.choice(FIELDS)} {rng.choice(['UBND cấp xã', 'UBND cấp huyện', 'Sở Tư pháp', 'Công an tỉnh'])}"
        docs.append(SearchDoc(f"P{i:05d}", title, extra, popularity=rng.paretovariate(1.2)))
    return docs


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=2000)
    ap.add_argument("--rounds", type=int, default=20)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args(argv)

    docs = make_docs(args.docs, args.seed)
    t0 = time.perf_counter()
    index = SearchIndex(docs)
    build_ms = (time.perf_counter() - t0) * 1000

    # as-you-type: every prefix of every query, like a person typing it
    typed = [q[:k] for q in QUERIES for k in range(1, len(q) + 1)]
    times = []
    for _ in range(args.rounds):
        for q in typed:
            t = time.perf_counter()
            index.search(q, limit=20)
            times.append((time.perf_counter() - t) * 1000)
    times.sort()
    p50 = statistics.median(times)
    p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
    print(f"docs={len(docs)} build={build_ms:.1f} ms queries={len(times)}")
    print(f"p50={p50:.3f} ms p99={p99:.3f} ms max={times[-1]:.3f} ms")
    for q in ("dang ky khai sinh", "khai sihn", "doi bang lai"):
        print(f"  {q!r}: {[docs[int(k[1:])].title for k, _ in index.search(q, 3)]}")


if __name__ == "__main__":
    main()
