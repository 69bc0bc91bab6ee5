"""Vietnamese sentences of deadline reminders, escalations and progress notes.

Merged into `bot.texts.vi.ENTRIES`. Parameters arrive escaped; entries are HTML.
"""

from __future__ import annotations

from bot.texts.catalogue import Entry

DEADLINES: dict[str, Entry] = {
    "btn_open_case": "📂 Mở phiếu",
    # To the holder of a case (or, with none, the members of its field)
    "reminder_before": (
        "⏰ <b>Nhắc hạn trả lời</b>\n"
        "Phiếu <code>{code}</code> ({field}) cần được trả lời trước hết ngày <b>{due}</b>: "
        "còn {days} ngày làm việc.\n"
        "Bấm «Mở phiếu» để xem và trả lời người dân."
    ),
    "reminder_due_today": (
        "⏰ <b>Nhắc hạn trả lời</b>\n"
        "Phiếu <code>{code}</code> ({field}) đến hạn trả lời <b>hôm nay</b>, {due}.\n"
        "Bấm «Mở phiếu» để xem và trả lời người dân."
    ),
    "overdue_to_holder": (
        "⚠️ Phiếu <code>{code}</code> ({field}) đã quá hạn trả lời (hạn {due}) và đã được báo "
        "Trưởng ban. Đề nghị Ông/Bà trả lời người dân sớm."
    ),
    # To the chair and deputies
    "escalation_overdue": (
        "⚠️ <b>Phiếu quá hạn</b>\n"
        "Phiếu <code>{code}</code> ({field}) chưa được trả lời, đã quá hạn {due}.\n"
        "Người xử lý: {member}\n"
        "Trạng thái: {state}"
    ),
    "escalation_no_holder": "chưa có ai nhận",
    # To the citizen
    "progress_to_citizen": (
        "Góp ý của Ông/Bà (mã tra cứu <code>{code}</code>) vẫn đang được xử lý. "
        "Ban Chỉ đạo xin lỗi vì chưa trả lời được đúng hạn ({due}) và sẽ gửi kết quả "
        "ngay khi có. Ông/Bà có thể xem trạng thái bất cứ lúc nào bằng lệnh /tracuu."
    ),
}
