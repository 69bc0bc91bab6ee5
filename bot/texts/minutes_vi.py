"""Vietnamese sentences of meeting minutes (biên bản), conclusions (kết luận) and tasks (nhiệm vụ).

Merged into `bot.texts.vi.ENTRIES`. Parameters arrive escaped; entries are HTML.
"""

from __future__ import annotations

from bot.texts.catalogue import Entry

MINUTES: dict[str, Entry] = {
    "secretary_only": "Chức năng này dành cho thư ký, Trưởng ban và Phó ban.",
    "help_minutes": (
        "\n\n<b>Biên bản họp</b>\n"
        "• /bienban: chọn cuộc họp vừa diễn ra để điểm danh và ghi kết luận; mỗi kết luận có thể "
        "giao thành nhiệm vụ (người thực hiện, hạn hoàn thành) hoặc gửi cho người dân như câu trả "
        "lời của phiếu liên quan.\n"
        "• /nhiemvu: các nhiệm vụ chưa hoàn thành."
    ),
    # /bienban and the minutes card
    "minutes_none": "Chưa có cuộc họp nào đã diễn ra để ghi biên bản.",
    "minutes_pick": "📝 <b>Biên bản họp</b>\nMời Ông/Bà chọn cuộc họp:",
    "minutes_not_held": "Cuộc họp này chưa diễn ra hoặc đã bị hủy, chưa thể ghi biên bản.",
    "minutes_card": (
        "📝 <b>Biên bản «{title}»</b> ({when})\nCó mặt: {present_names}\nVắng: {absent_names}"
    ),
    "minutes_attendance_unconfirmed": (
        "<i>Danh sách theo đăng ký tham dự, chưa được xác nhận; bấm «Điểm danh» để xác nhận.</i>"
    ),
    "minutes_conclusions_header": "<b>Kết luận ({count}):</b>",
    "minutes_conclusion_line": "{number}. {text}",
    "minutes_task_open": "\n   ↳ Nhiệm vụ: {member}, hạn {due}",
    "minutes_task_done": "\n   ↳ Nhiệm vụ: {member}, hạn {due} (đã xong)",
    "minutes_case_linked": "\n   ↳ Về phiếu <code>{code}</code>",
    "minutes_case_relayed": "\n   ↳ Đã gửi người dân (phiếu <code>{code}</code>)",
    "btn_minutes_attendance": "Điểm danh",
    "btn_minutes_add": "Thêm kết luận",
    "btn_minutes_view": "Xem biên bản",
    # Attendance
    "minutes_attendance": (
        "👥 <b>Điểm danh «{title}»</b> ({when}): có mặt {present}/{total}.\n"
        "Danh sách lấy theo đăng ký tham dự. Bấm vào tên để đổi giữa có mặt (✅) và vắng (❌), "
        "rồi bấm «Xác nhận điểm danh»."
    ),
    "btn_attendance_confirm": "Xác nhận điểm danh",
    "minutes_attendance_saved": "✅ Đã ghi nhận điểm danh: có mặt {present}/{total}.",
    # Conclusions
    "minutes_conclusion_prompt": (
        "Mời Ông/Bà gửi <b>một</b> kết luận của cuộc họp «{title}» ({when}) trong một tin nhắn "
        "(tối đa {max} ký tự). Gõ /huy để thôi."
    ),
    "minutes_text_only": "Bước này cần một tin nhắn chữ. Mời Ông/Bà gửi lại, hoặc gõ /huy.",
    "minutes_conclusion_too_long": (
        "Kết luận quá dài ({got} ký tự; tối đa {max}). Mời Ông/Bà rút gọn hoặc tách thành nhiều "
        "kết luận."
    ),
    "minutes_conclusion_saved": (
        "✅ Đã ghi kết luận số {number} của «{title}».\n"
        "Ông/Bà có thể giao kết luận này thành nhiệm vụ, hoặc gắn với một phiếu để gửi cho người "
        "dân."
    ),
    "btn_conclusion_task": "Giao nhiệm vụ",
    "btn_conclusion_case": "Gắn với phiếu",
    "input_cancelled_minutes": "Đã hủy bước đang ghi biên bản.",
    # Tasks
    "task_pick_owner": "Mời Ông/Bà chọn người thực hiện nhiệm vụ:",
    "task_due_prompt": (
        "Người thực hiện: <b>{member}</b>. Mời Ông/Bà gửi hạn hoàn thành, ví dụ "
        "<code>{example}</code>. Gõ /huy để thôi."
    ),
    "task_due_invalid": (
        "Hạn hoàn thành cần là một ngày sau hôm nay, viết như <code>{example}</code>. "
        "Mời Ông/Bà gửi lại, hoặc gõ /huy."
    ),
    "task_already": "Kết luận này đã được giao thành nhiệm vụ.",
    "task_created": "✅ Đã giao nhiệm vụ cho {member}, hạn hoàn thành {due}.",
    "task_owner_unreachable": (
        "⚠️ Hòm thư chưa liên lạc được với {member} qua Telegram; đề nghị Ông/Bà báo trực tiếp."
    ),
    "task_notice": (
        "📌 <b>Nhiệm vụ được giao</b> (kết luận cuộc họp «{title}»)\n"
        "{text}\n"
        "Hạn hoàn thành: <b>{due}</b>\n"
        "Người ghi: {member}\n"
        "Khi hoàn thành, đề nghị Ông/Bà bấm «Đã xong»."
    ),
    "btn_task_done": "Đã xong",
    "btn_task_done_numbered": "Đã xong: nhiệm vụ {number}",
    "task_not_yours": "Chỉ người thực hiện hoặc Trưởng ban, Phó ban mới đánh dấu được nhiệm vụ này.",
    "task_already_done": "Nhiệm vụ này đã được đánh dấu hoàn thành.",
    "task_done_you": "✅ Đã ghi nhận hoàn thành nhiệm vụ: {text}",
    "task_done_notice": "✅ {member} đã đánh dấu hoàn thành nhiệm vụ: {text}",
    "tasks_overdue_hint": "⚠️ Ngoài ra có {count} nhiệm vụ từ các cuộc họp đã quá hạn: xem /nhiemvu.",
    "tasks_none": "Không có nhiệm vụ nào chưa hoàn thành.",
    "tasks_header": "📌 <b>Nhiệm vụ chưa hoàn thành</b> ({count})",
    "tasks_line": "{number}. {late}{text}\n   {member}, hạn {due}",
    # Task reminders
    "task_reminder_before": (
        "⏰ <b>Nhắc hạn nhiệm vụ</b>\n{text}\n"
        "Hạn hoàn thành: <b>{due}</b>, còn {days} ngày làm việc."
    ),
    "task_reminder_due_today": (
        "⏰ <b>Nhắc hạn nhiệm vụ</b>\n{text}\nHạn hoàn thành là <b>hôm nay</b>, {due}."
    ),
    "task_overdue_to_owner": (
        "⚠️ Nhiệm vụ sau đã quá hạn ({due}) và đã được báo Trưởng ban:\n{text}\n"
        "Đề nghị Ông/Bà hoàn thành sớm và bấm «Đã xong»."
    ),
    "task_escalation": (
        "⚠️ <b>Nhiệm vụ quá hạn</b>\n{text}\nNgười thực hiện: {member}\nHạn hoàn thành: {due}"
    ),
    # A conclusion about a case
    "conclusion_case_prompt": (
        "Mời Ông/Bà gửi mã tra cứu của phiếu mà kết luận này trả lời, ví dụ "
        "<code>MT-261127-0042-K7</code>. Gõ /huy để thôi."
    ),
    "conclusion_case_unknown": (
        "Không tìm thấy phiếu với mã này. Mời Ông/Bà kiểm tra và gửi lại, hoặc gõ /huy."
    ),
    "conclusion_case_linked": (
        "Đã gắn kết luận với phiếu <code>{code}</code> ({state}).\n"
        "Bấm «Gửi cho người dân» để gửi kết luận này như câu trả lời của phiếu."
    ),
    "conclusion_case_linked_closed": (
        "Đã gắn kết luận với phiếu <code>{code}</code>. Phiếu đang ở trạng thái «{state}» nên "
        "không gửi câu trả lời được nữa."
    ),
    "btn_conclusion_relay": "Gửi cho người dân",
    "conclusion_relayed": "✅ Đã gửi kết luận cho người dân như câu trả lời phiếu <code>{code}</code>.",
    "conclusion_already_relayed": "Kết luận này đã được gửi cho người dân.",
}
