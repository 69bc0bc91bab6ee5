"""Vietnamese sentences of canned answers and automatic assignment.

Merged into `bot.texts.vi.ENTRIES`. Parameters arrive escaped; entries are HTML.
"""

from __future__ import annotations

from bot.texts.catalogue import Entry

TEMPLATES: dict[str, Entry] = {
    # Canned answers, kept by the chair with /mau
    "templates_title": "📝 <b>Câu trả lời mẫu</b> ({count}):",
    "template_line": "• #{id} [{field}] <b>{title}</b>: {body}",
    "templates_empty": (
        "Chưa có câu trả lời mẫu nào. Thêm bằng: "
        "/mau them MÃ_LĨNH_VỰC Tiêu đề | Nội dung trả lời (MÃ_LĨNH_VỰC là * cho mọi lĩnh vực)."
    ),
    "template_usage": (
        "Cách dùng:\n"
        "• /mau: xem các câu trả lời mẫu.\n"
        "• /mau them MÃ_LĨNH_VỰC Tiêu đề | Nội dung: thêm mẫu (* cho mọi lĩnh vực).\n"
        "• /mau xoa SỐ: xóa mẫu số SỐ."
    ),
    "template_all_fields": "mọi lĩnh vực",
    "template_added": "Đã thêm câu trả lời mẫu #{id} ({field}): <b>{title}</b>.",
    "template_deleted": "Đã xóa câu trả lời mẫu #{id}.",
    "template_unknown": "Không có câu trả lời mẫu #{id} (hoặc mẫu đã bị xóa).",
    "template_unknown_field": "Không có lĩnh vực có mã «{field}». Các mã lĩnh vực: {fields} (hoặc * cho mọi lĩnh vực).",
    "template_title_too_long": "Tiêu đề mẫu dài tối đa {max} ký tự để vừa nút bấm (hiện có {got}).",
    "answer_prompt_templates": "Hoặc bấm một câu trả lời mẫu bên dưới để gửi ngay.",
    # Automatic round-robin assignment
    "title_auto_assigned": "Phiếu được giao tự động cho Ông/Bà",
    "auto_assigned_other": "Phiếu <code>{code}</code> ({field}) đã được giao tự động cho <b>{member}</b>.",
    "history_who_system": "hệ thống",
}
