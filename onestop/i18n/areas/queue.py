"""Texts of the queue numbers, the hall display, the kiosk, the counter panel and appointments (issue 16)."""

from __future__ import annotations

VI: dict[str, str] = {
    "queue.soon.title": "Sắp đến lượt số {number}",
    "queue.soon.body": "Còn {ahead} người trước bạn. Vui lòng quay lại sảnh chờ.",
}

EN: dict[str, str] = {
    "queue.soon.title": "Number {number} is coming up",
    "queue.soon.body": "{ahead} people ahead of you. Please come back to the waiting hall.",
}
