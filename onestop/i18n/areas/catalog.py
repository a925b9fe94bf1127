"""Texts of the catalog area (issue 14): import preview, other names, the assistant chat panel."""

from __future__ import annotations

VI: dict[str, str] = {
    "catalog.agency": "Cơ quan thực hiện (nơi nộp)",
    "catalog.other_names": "Tên gọi khác (mỗi dòng một tên)",
    "catalog.other_names_hint": "Tên người dân hay dùng, tên cũ trước cải cách, tên tiếng Anh. Tìm kiếm và trợ lý ảo dùng các tên này.",
}
EN: dict[str, str] = {
    "catalog.agency": "Implementing agency (where to file)",
    "catalog.other_names": "Other names (one per line)",
    "catalog.other_names_hint": "Names people use, older names from before a reform, English names. Search and the assistant use them.",
}
