"""Texts of the catalog area (issue 14): import preview, other names, the assistant chat panel."""

from __future__ import annotations

VI: dict[str, str] = {
    "catalog.agency": "Cơ quan thực hiện (nơi nộp)",
    "catalog.other_names": "Tên gọi khác (mỗi dòng một tên)",
    "catalog.other_names_hint": "Tên người dân hay dùng, tên cũ trước cải cách, tên tiếng Anh. Tìm kiếm và trợ lý ảo dùng các tên này.",
    "assistant.open": "Hỏi đáp",
    "assistant.title": "Trợ lý ảo",
    "assistant.subtitle": "Trả lời 24/7 theo danh mục thủ tục",
    "assistant.close": "Đóng trợ lý ảo",
    "assistant.placeholder": "Nhập câu hỏi, ví dụ: làm giấy khai sinh cần gì?",
    "assistant.send": "Gửi câu hỏi",
    "assistant.thinking": "Đang tìm trong danh mục…",
    "assistant.not_known": "Chưa có câu trả lời",
    "assistant.intro": "Xin chào! Tôi trả lời về giấy tờ, lệ phí, thời hạn, nơi nộp và cách nộp hồ sơ.",
    "assistant.example1": "Đăng ký khai sinh cần giấy tờ gì?",
    "assistant.example2": "Lý lịch tư pháp lệ phí bao nhiêu?",
    "assistant.example3": "Đổi bằng lái xe nộp ở đâu?",
}
EN: dict[str, str] = {
    "catalog.agency": "Implementing agency (where to file)",
    "catalog.other_names": "Other names (one per line)",
    "catalog.other_names_hint": "Names people use, older names from before a reform, English names. Search and the assistant use them.",
    "assistant.open": "Ask us",
    "assistant.title": "Virtual assistant",
    "assistant.subtitle": "Answers 24/7 from the procedure catalog",
    "assistant.close": "Close the assistant",
    "assistant.placeholder": "Type a question, e.g. what do I need for a birth registration?",
    "assistant.send": "Send the question",
    "assistant.thinking": "Searching the catalog…",
    "assistant.not_known": "No answer yet",
    "assistant.intro": "Hello! I answer about documents, fees, processing times, where to file and how to apply.",
    "assistant.example1": "What documents do I need for a birth registration?",
    "assistant.example2": "How much does a criminal record certificate cost?",
    "assistant.example3": "Where do I exchange a driving licence?",
}
