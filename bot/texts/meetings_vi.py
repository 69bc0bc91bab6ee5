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
        "{agenda}"
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
        "{number}. <b>{title}</b>: {when}, {place}\n"
        "  Tham dự {attending} · Vắng {absent} · Chưa trả lời {waiting}"
    ),
    "meetings_none": "Chưa có cuộc họp nào sắp tới.",
    "meeting_not_invited": "Ông/Bà không có tên trong danh sách dự cuộc họp này.",
    "meeting_closed": "Cuộc họp này đã bắt đầu hoặc đã bị hủy.",
    # Agenda link under reminders and notices (only when the meeting has one)
    "meeting_agenda_line": "Tài liệu: {url}",
    # /lichhop buttons for the chair, deputies and the secretary
    "btn_meeting_roll": "Điểm danh {number}",
    "btn_meeting_move": "Dời lịch {number}",
    "btn_meeting_cancel": "Hủy {number}",
    "btn_meeting_new": "➕ Tạo cuộc họp",
    "meeting_organisers_only": "Thao tác này dành cho Trưởng ban, Phó ban hoặc Thư ký.",
    # «Lý do khác»
    "meeting_ask_own_reason": (
        "Mời Ông/Bà nhập ngắn gọn lý do vắng cuộc họp «{title}» (tối đa {max} ký tự), "
        "hoặc gõ /huy để thôi."
    ),
    "meeting_reason_empty": "Mời Ông/Bà nhập lý do bằng chữ.",
    "meeting_reason_too_long": (
        "Lý do dài {got} ký tự, quá giới hạn {max} ký tự. Mời Ông/Bà viết ngắn gọn hơn."
    ),
    # The attendance list (/diemdanh, «Điểm danh», the summary before the meeting)
    "roll_call": (
        "📋 <b>Điểm danh: {title}</b>\n"
        "Thời gian: {when} · Địa điểm: {place}\n"
        "✅ Tham dự ({attending}): {attending_names}\n"
        "❌ Vắng ({absent}): {absent_names}\n"
        "⏳ Chưa trả lời ({waiting}): {waiting_names}"
    ),
    "roll_absent_one": "{member} ({reason})",
    "roll_nobody": "không có",
    "meeting_summary_header": "⏰ <b>Cuộc họp sắp bắt đầu</b>, tình hình đăng ký tham dự:",
    # Above the secretary's live list once the meeting was moved or cancelled
    "roll_moved_header": "🔁 <b>Đã dời lịch</b> (trước đây: {old}); mọi người được hỏi lại:",
    "roll_cancelled_header": "🚫 <b>Cuộc họp này đã bị hủy.</b>",
    # Creating, moving, cancelling
    "meeting_ask_title": "<b>Tạo cuộc họp (1/5).</b> Mời Ông/Bà nhập tên cuộc họp (gõ /huy để thôi).",
    "meeting_ask_when": (
        "<b>(2/5)</b> Cuộc họp bắt đầu lúc nào? Mời nhập ngày giờ, ví dụ: 15/12/2026 14:00"
    ),
    "meeting_ask_place": "<b>(3/5)</b> Họp ở đâu? Ví dụ: Phòng họp UBND xã",
    "meeting_ask_agenda": (
        "<b>(4/5)</b> Nếu có tài liệu họp, mời dán đường dẫn (bắt đầu bằng https://); "
        "nếu không, bấm «Bỏ qua»."
    ),
    "btn_skip_agenda": "Bỏ qua",
    "meeting_agenda_invalid": (
        "Đường dẫn chưa hợp lệ: cần bắt đầu bằng http:// hoặc https:// và không có dấu cách. "
        "Mời Ông/Bà nhập lại hoặc bấm «Bỏ qua»."
    ),
    "meeting_ask_attendees": (
        "<b>(5/5)</b> Mời những ai? Bấm «Tất cả thành viên», hoặc chọn từng người rồi bấm «Xong»."
    ),
    "btn_invite_all": "Tất cả thành viên",
    "btn_invite_picked": "Xong ({count} người)",
    "meeting_pick_someone": "Mời Ông/Bà chọn ít nhất một người, hoặc bấm «Tất cả thành viên».",
    "meeting_use_buttons": "Mời Ông/Bà chọn bằng các nút ở tin nhắn trên (hoặc gõ /huy để thôi).",
    "meeting_text_only": "Mời Ông/Bà trả lời bằng một tin nhắn chữ (hoặc gõ /huy để thôi).",
    "meeting_text_too_long": "Nội dung dài {got} ký tự, quá giới hạn {max} ký tự. Mời nhập ngắn gọn hơn.",
    "meeting_when_unreadable": (
        "Chưa đọc được ngày giờ. Mời Ông/Bà nhập theo dạng ngày/tháng/năm giờ:phút, "
        "ví dụ: 15/12/2026 14:00"
    ),
    "meeting_when_past": "Thời điểm này đã qua. Mời Ông/Bà nhập một ngày giờ sắp tới.",
    "meeting_move_same": "Cuộc họp đã ở đúng thời điểm này. Mời Ông/Bà nhập ngày giờ mới.",
    "meeting_flow_cancelled": "Đã thôi, lịch họp không thay đổi.",
    "meeting_created": (
        "✅ Đã tạo cuộc họp «{title}» lúc {when}; đã báo {count} người được mời. "
        "Hòm thư sẽ nhắc lịch trước 1 ngày và trước 2 giờ."
    ),
    "meeting_new": (
        "📅 <b>Lịch họp mới</b>\n"
        "<b>{title}</b>\n"
        "Thời gian: <b>{when}</b>\n"
        "Địa điểm: {place}\n"
        "{agenda}"
        "Đề nghị Ông/Bà cho biết có tham dự hay không."
    ),
    "meeting_ask_new_time": (
        "Dời cuộc họp «{title}» (đang là {when}) sang lúc nào? "
        "Mời nhập ngày giờ, ví dụ: 15/12/2026 14:00 (gõ /huy để thôi)."
    ),
    "meeting_moved": (
        "🔁 <b>Dời lịch họp</b>\n"
        "<b>{title}</b>\n"
        "Thời gian: {old} → <b>{when}</b>\n"
        "Địa điểm: {place}\n"
        "{agenda}"
        "Đề nghị Ông/Bà cho biết lại có tham dự hay không."
    ),
    "meeting_moved_done": "✅ Đã dời «{title}» từ {old} sang {when} và báo mọi người được mời.",
    "meeting_confirm_cancel": "Ông/Bà chắc chắn hủy cuộc họp «{title}» lúc {when}?",
    "btn_meeting_cancel_confirm": "Xác nhận hủy",
    "meeting_cancelled": (
        "🚫 <b>Hủy cuộc họp</b>\nCuộc họp «{title}» lúc {when} tại {place} đã được hủy."
    ),
    "meeting_cancelled_done": "✅ Đã hủy «{title}» lúc {when} và báo mọi người được mời.",
    "help_meetings_organiser": (
        "\n\n<b>Lịch họp (Trưởng ban, Phó ban, Thư ký)</b>\n"
        "• /lichhop: tạo cuộc họp, dời lịch, hủy, điểm danh bằng các nút dưới danh sách.\n"
        "• /diemdanh: ai tham dự, ai vắng (lý do), ai chưa trả lời cuộc họp sắp tới."
    ),
}
