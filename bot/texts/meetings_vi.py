"""Vietnamese sentences of the committee's meetings: reminders, answers, the list (/lichhop).

Merged into `bot.texts.vi.ENTRIES`. Parameters arrive escaped; entries are HTML.
"""

from __future__ import annotations

from bot.texts.catalogue import Entry

MEETINGS: dict[str, Entry] = {
    "meeting_reminder": (
        "📅 <b>Nhắc lịch họp</b>\n"
        "<b>{title}</b>\n"
        "Thời gian: <b>{when}</b>\n"
        "Địa điểm: {place}\n"
        "Đề nghị Ông/Bà cho biết có tham dự hay không."
    ),
    "btn_meeting_yes": "Tham dự",
    "btn_meeting_no": "Vắng",
    "meeting_ask_reason": "Ông/Bà vắng cuộc họp «{title}» ({when}) vì lý do gì?",
    "btn_absence_work": "Bận công tác",
    "btn_absence_sick": "Ốm",
    "btn_absence_personal": "Việc riêng",
    "btn_absence_other": "Lý do khác",
    "meeting_answer_yes": "✅ Đã ghi nhận: Ông/Bà tham dự «{title}» ({when}).",
    "meeting_answer_no": "Đã ghi nhận: Ông/Bà vắng «{title}» ({when}), lý do: {reason}.",
    # To the secretary and the chair, after each answer
    "meeting_rsvp_yes": (
        "📋 «{title}» ({when}): {member} <b>tham dự</b>.\n"
        "Tham dự {attending} · Vắng {absent} · Chưa trả lời {waiting}"
    ),
    "meeting_rsvp_no": (
        "📋 «{title}» ({when}): {member} <b>vắng</b> ({reason}).\n"
        "Tham dự {attending} · Vắng {absent} · Chưa trả lời {waiting}"
    ),
    # To the secretary, once, ahead of a meeting planned on a day off
    "meeting_on_holiday": (
        "⚠️ <b>Lịch họp trùng ngày nghỉ</b>\n"
        "Cuộc họp «{title}» dự kiến vào {when}, trùng ngày nghỉ: {holiday}.\n"
        "Đề nghị báo cáo Trưởng ban để dời lịch."
    ),
    # /lichhop
    "meetings_header": "📅 <b>Lịch họp sắp tới</b>",
    "meetings_line": (
        "• <b>{title}</b>: {when}, {place}\n"
        "  Tham dự {attending} · Vắng {absent} · Chưa trả lời {waiting}"
    ),
    "meetings_none": "Chưa có cuộc họp nào sắp tới.",
    "meeting_not_invited": "Ông/Bà không có tên trong danh sách dự cuộc họp này.",
    "meeting_closed": "Cuộc họp này đã bắt đầu hoặc đã bị hủy.",
}
