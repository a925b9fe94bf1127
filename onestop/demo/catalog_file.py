"""A province-sized procedure file (xlsx or CSV) for tests and benches — clearly labelled as generated.

Why: a province publishes about 2,000 procedures and the import, search and assistant
must be measured at that size, but only 13 real procedures are in the demo catalog.
The file holds those 13 exactly as the demo catalog has them (so importing it over the
demo data changes nothing for them), followed by generated rows whose names are built
from real fields' vocabulary (actions × objects × who). Every generated row is marked:
its code starts with ``SIM-``, its legal basis says it is generated test data, and the
sheet's title row says the same. They are never presented as real procedures.
"""

from __future__ import annotations

import csv
import io
import random
from typing import Any

from onestop.demo.catalog import FIELDS, PROCEDURES

__all__ = ["GENERATED_MARK", "HEADERS", "catalog_rows", "to_csv", "to_xlsx"]

GENERATED_MARK = "Dữ liệu sinh tự động để kiểm thử — không phải thủ tục hành chính thật"
TITLE = (
    "DANH MỤC THỦ TỤC HÀNH CHÍNH — DỮ LIỆU SINH TỰ ĐỘNG ĐỂ KIỂM THỬ, KHÔNG PHẢI THỦ TỤC THẬT "
    "(generated test data, not real procedures; codes SIM-… are invented)"
)
HEADERS = [
    "STT",
    "Mã thủ tục",
    "Tên thủ tục",
    "Tên tiếng Anh",
    "Lĩnh vực",
    "Cấp thực hiện",
    "Thời hạn giải quyết trực tiếp",
    "Thời hạn giải quyết trực tuyến",
    "Phí, lệ phí",
    "Căn cứ pháp lý",
    "Thành phần hồ sơ",
    "Kết quả thực hiện",
    "Cơ quan thực hiện",
    "Tên gọi khác",
]

#: Real provincial fields with the objects their procedures are about and the usual agency.
_FIELDS: list[tuple[str, str, list[str]]] = [
    (
        "Hộ tịch",
        "Ủy ban nhân dân cấp xã",
        [
            "việc giám hộ",
            "việc nhận cha, mẹ, con",
            "việc nuôi con nuôi",
            "thay đổi, cải chính hộ tịch",
            "xác định lại dân tộc",
            "khai sinh lưu động",
        ],
    ),
    (
        "Chứng thực",
        "Ủy ban nhân dân cấp xã",
        [
            "hợp đồng, giao dịch về động sản",
            "văn bản thỏa thuận phân chia di sản",
            "văn bản khai nhận di sản",
            "di chúc",
            "hợp đồng ủy quyền",
        ],
    ),
    (
        "Đất đai",
        "Văn phòng đăng ký đất đai",
        [
            "quyền sử dụng đất lần đầu",
            "tách thửa, hợp thửa đất",
            "chuyển mục đích sử dụng đất",
            "đính chính Giấy chứng nhận",
            "gia hạn sử dụng đất nông nghiệp",
            "cung cấp thông tin đất đai",
        ],
    ),
    (
        "Xây dựng",
        "Sở Xây dựng",
        [
            "giấy phép xây dựng công trình tôn giáo",
            "giấy phép sửa chữa, cải tạo công trình",
            "chứng chỉ hành nghề hoạt động xây dựng",
            "giấy phép di dời công trình",
            "thẩm định thiết kế xây dựng",
        ],
    ),
    (
        "Đường bộ",
        "Sở Xây dựng",
        [
            "giấy phép lưu hành xe quá tải trọng",
            "phù hiệu xe kinh doanh vận tải",
            "giấy phép kinh doanh vận tải bằng xe ô tô",
            "biển hiệu xe vận chuyển khách du lịch",
            "đăng ký khai thác tuyến vận tải khách cố định",
        ],
    ),
    (
        "Cư trú",
        "Công an cấp xã",
        [
            "tạm trú",
            "lưu trú",
            "khai báo tạm vắng",
            "xóa đăng ký thường trú",
            "điều chỉnh thông tin cư trú",
            "xác nhận thông tin về cư trú",
        ],
    ),
    (
        "Thành lập và hoạt động của hộ kinh doanh",
        "Ủy ban nhân dân cấp xã",
        [
            "thay đổi nội dung đăng ký hộ kinh doanh",
            "tạm ngừng kinh doanh hộ kinh doanh",
            "chấm dứt hoạt động hộ kinh doanh",
            "Giấy chứng nhận đăng ký hộ kinh doanh",
        ],
    ),
    (
        "Giáo dục và Đào tạo",
        "Sở Giáo dục và Đào tạo",
        [
            "trường mầm non tư thục",
            "trung tâm ngoại ngữ, tin học",
            "hoạt động giáo dục kỹ năng sống",
            "văn bằng, chứng chỉ",
            "chuyển trường cho học sinh trung học",
            "dạy thêm, học thêm",
        ],
    ),
    (
        "Y tế",
        "Sở Y tế",
        [
            "chứng chỉ hành nghề khám bệnh, chữa bệnh",
            "giấy phép hoạt động phòng khám",
            "giấy chứng nhận đủ điều kiện kinh doanh dược",
            "giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm",
            "giấy phép hoạt động cơ sở dịch vụ thẩm mỹ",
        ],
    ),
    (
        "Lao động - Tiền lương",
        "Sở Nội vụ",
        [
            "giấy phép lao động cho người nước ngoài",
            "nội quy lao động",
            "thang lương, bảng lương",
            "hợp đồng cho thuê lại lao động",
        ],
    ),
    (
        "Bảo trợ xã hội",
        "Ủy ban nhân dân cấp xã",
        [
            "trợ cấp xã hội hằng tháng",
            "hỗ trợ chi phí mai táng",
            "xác định mức độ khuyết tật",
            "cơ sở trợ giúp xã hội ngoài công lập",
            "hỗ trợ khẩn cấp do thiên tai",
        ],
    ),
    (
        "Người có công",
        "Sở Nội vụ",
        [
            "trợ cấp ưu đãi người có công",
            "giấy chứng nhận thân nhân liệt sĩ",
            "hỗ trợ cải thiện nhà ở người có công",
            "thờ cúng liệt sĩ",
            "di chuyển hài cốt liệt sĩ",
        ],
    ),
    (
        "Văn hóa cơ sở",
        "Sở Văn hóa, Thể thao và Du lịch",
        [
            "giấy phép kinh doanh karaoke",
            "lễ hội truyền thống",
            "biểu diễn nghệ thuật",
            "quảng cáo trên bảng quảng cáo",
            "danh hiệu gia đình văn hóa",
        ],
    ),
    (
        "Nông nghiệp",
        "Sở Nông nghiệp và Môi trường",
        [
            "kinh tế trang trại",
            "hỗ trợ giống cây trồng",
            "giấy chứng nhận kiểm dịch động vật",
            "cơ sở giết mổ gia súc",
            "thuốc bảo vệ thực vật",
        ],
    ),
    (
        "Môi trường",
        "Sở Nông nghiệp và Môi trường",
        [
            "giấy phép môi trường",
            "kế hoạch bảo vệ môi trường",
            "báo cáo đánh giá tác động môi trường",
            "xả nước thải vào nguồn nước",
            "khai thác nước dưới đất",
        ],
    ),
    (
        "Thủy sản",
        "Sở Nông nghiệp và Môi trường",
        ["tàu cá", "giấy phép khai thác thủy sản", "cơ sở nuôi trồng thủy sản", "an toàn thực phẩm thủy sản"],
    ),
    (
        "Thương mại",
        "Sở Công Thương",
        [
            "giấy phép bán lẻ sản phẩm rượu",
            "giấy phép bán lẻ sản phẩm thuốc lá",
            "cửa hàng xăng dầu",
            "chương trình khuyến mại",
            "hội chợ, triển lãm thương mại",
        ],
    ),
    (
        "Du lịch",
        "Sở Văn hóa, Thể thao và Du lịch",
        [
            "thẻ hướng dẫn viên du lịch",
            "cơ sở lưu trú du lịch",
            "giấy phép kinh doanh dịch vụ lữ hành nội địa",
            "điểm du lịch",
        ],
    ),
    (
        "Thi đua - Khen thưởng",
        "Ủy ban nhân dân cấp xã",
        [
            "giấy khen cho tập thể, cá nhân",
            "danh hiệu lao động tiên tiến",
            "khen thưởng đột xuất",
            "danh hiệu chiến sĩ thi đua cơ sở",
        ],
    ),
    (
        "Tôn giáo",
        "Sở Dân tộc và Tôn giáo",
        [
            "sinh hoạt tôn giáo tập trung",
            "tổ chức cuộc lễ ngoài cơ sở tôn giáo",
            "người được phong phẩm, bổ nhiệm chức việc",
            "đăng ký hoạt động tín ngưỡng",
        ],
    ),
]
_ACTIONS = [
    "Cấp",
    "Cấp lại",
    "Cấp đổi",
    "Điều chỉnh",
    "Gia hạn",
    "Thu hồi",
    "Đăng ký",
    "Xác nhận",
    "Công nhận",
    "Thẩm định hồ sơ",
]
_WHO = ["", " cho cá nhân", " cho tổ chức", " (trường hợp bị mất, hỏng)", " có yếu tố nước ngoài"]
_DURATIONS = [
    "Trong ngày",
    "03 ngày làm việc",
    "05 ngày làm việc",
    "07 ngày làm việc",
    "10 ngày làm việc",
    "15 ngày",
    "20 ngày làm việc",
    "04 giờ làm việc",
]
_FEES = [
    "Miễn phí",
    "Không",
    "50.000 đồng/hồ sơ",
    "100.000 đồng/lần",
    "200.000 đồng/giấy phép",
    "1.000.000 đồng/hồ sơ",
    "Theo quy định của HĐND tỉnh",
]
_DOCS = [
    "Tờ khai theo mẫu",
    "Bản sao Căn cước của người đề nghị",
    "Giấy tờ chứng minh nơi cư trú (nếu có)",
    "Văn bản ủy quyền (nếu nộp thay)",
    "Bản vẽ, sơ đồ vị trí",
    "Giấy tờ chứng minh đủ điều kiện",
]


def _duration_text(d: dict[str, Any] | None) -> str:
    if not d:
        return ""
    unit, value = d["unit"], d.get("value", 0)
    n = f"{int(value):02d}" if float(value) == int(value) else str(value).replace(".", ",")
    return {
        "same_day": "Trong ngày",
        "working_days": f"{n} ngày làm việc",
        "calendar_days": f"{n} ngày",
        "working_hours": f"{n} giờ làm việc",
    }[unit]


def _demo_rows() -> list[list[str]]:
    fields = {f["code"]: f["name_vi"] for f in FIELDS}
    rows = []
    for p in PROCEDURES:
        docs = [d["name_vi"] for d in p["form_schema"].get("documents", [])]
        rows.append(
            [
                p["code"],
                p["name_vi"],
                p["name_en"],
                fields[p["field"]],
                "Cấp tỉnh" if p.get("level") == "province" else "Cấp xã",
                _duration_text(p["duration_counter"]),
                _duration_text(p.get("duration_online")),
                p["fee_text"],
                p["legal_basis"],
                "\n".join(docs),
                p["result_name_vi"],
                p.get("agency", ""),
                "; ".join(p.get("other_names") or []),
            ]
        )
    return rows


def _generated_rows(n: int, seed: int) -> list[list[str]]:
    rng = random.Random(seed)
    combos = [
        (f, agency, action, obj, who)
        for f, agency, objs in _FIELDS
        for obj in objs
        for action in _ACTIONS
        for who in _WHO
    ]
    rng.shuffle(combos)
    rows: list[list[str]] = []
    seen: set[str] = set()
    for field_name, agency, action, obj, who in combos:
        if len(rows) >= n:
            break
        name = f"{action} {obj}{who}"
        if name in seen:
            continue
        seen.add(name)
        level = "Cấp xã" if "cấp xã" in agency else "Cấp tỉnh"
        counter = rng.choice(_DURATIONS)
        online = counter if rng.random() < 0.7 else ""
        docs = rng.sample(_DOCS, rng.randint(1, 4))
        code = f"SIM-{len(rows) + 1:05d}"
        rows.append(
            [
                code,
                name,
                "",
                field_name,
                level,
                counter,
                online,
                rng.choice(_FEES),
                GENERATED_MARK,
                "\n".join(docs),
                f"Kết quả: {obj}",
                agency,
                "",
            ]
        )
    if len(rows) < n:
        raise ValueError(f"the generator makes at most {len(rows)} distinct names")
    return rows


def catalog_rows(total: int = 2000, seed: int = 2026) -> list[list[str]]:
    """Title row, header row, then the 13 real demo procedures and `total - 13` generated ones."""
    demo = _demo_rows()
    body = demo + _generated_rows(max(0, total - len(demo)), seed)
    return [[TITLE], HEADERS] + [[str(i + 1), *row] for i, row in enumerate(body)]


def to_csv(rows: list[list[str]]) -> bytes:
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    return buf.getvalue().encode("utf-8-sig")


def to_xlsx(rows: list[list[str]]) -> bytes:
    import openpyxl

    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Danh muc TTHC")
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
