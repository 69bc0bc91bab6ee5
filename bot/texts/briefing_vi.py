"""Vietnamese sentences of the briefing pack (/baocaohop, and with meeting reminders).

Merged into `bot.texts.vi.ENTRIES`. Parameters arrive escaped; entries are HTML. The `briefing_doc_*`
entries are plain text for the Word document (no markup); the service unescapes them.
"""

from __future__ import annotations

from bot.texts.catalogue import Entry

BRIEFING: dict[str, Entry] = {
    # The chat message
    "briefing_title": (
        "📑 <b>Báo cáo phục vụ hội nghị giao ban</b>\n"
        "<b>{title}</b>: {when}, {place}\n"
        "Kỳ báo cáo: từ {since} đến {until}"
    ),
    "briefing_heading": "\n<b>{name}</b>",
    "briefing_line": "• {name}: {value}",
    "briefing_totals": (
        "• Tiếp nhận: <b>{received}</b> · Đã trả lời: <b>{answered}</b> · "
        "Quá hạn hiện nay: <b>{overdue}</b>"
    ),
    "briefing_tally": "• {name}: {received} / {answered} / {overdue}",
    "briefing_tally_hint": "<i>(tiếp nhận / đã trả lời / quá hạn)</i>",
    "briefing_overdue_line": "• <code>{code}</code>: {field}, {village}; hạn {due} (quá {days} ngày); người xử lý: {owner}",
    "briefing_reopened_line": "• <code>{code}</code>: {field}; người xử lý: {owner}",
    "briefing_conclusion_line": "• {text}: {owner}; hạn {due}",
    "briefing_more": "… và {count} trường hợp khác",
    "briefing_none": "Không có.",
    "briefing_ratings": (
        "• Số lượt đánh giá: {count}; điểm trung bình: {average}/5\n"
        "• Đã giải quyết: {resolved} · Chưa giải quyết: {unresolved} · Phiếu bị mở lại: {reopened}"
    ),
    "briefing_files_follow": "Biểu đồ và báo cáo (tệp Word để chỉnh sửa, in ấn) ở các tin nhắn tiếp theo.",
    "briefing_chart_caption": "📊 Biểu đồ phục vụ giao ban «{title}» ({when})",
    "briefing_doc_caption": "📄 Báo cáo phục vụ giao ban «{title}» ({when}): tệp Word để chỉnh sửa, trình ký.",
    "briefing_no_meeting": "Chưa có cuộc họp nào để lập báo cáo. Lịch họp: /lichhop.",
    # Section names, shared by the message, the chart and the document (plain text)
    "briefing_section_totals": "Tình hình chung",
    "briefing_section_field": "Theo lĩnh vực",
    "briefing_section_village": "Theo thôn/tổ dân phố",
    "briefing_section_member": "Theo người xử lý",
    "briefing_section_overdue": "Phiếu quá hạn",
    "briefing_section_ratings": "Ý kiến đánh giá của người dân",
    "briefing_section_reopened": "Phiếu bị mở lại",
    "briefing_section_conclusions": "Kết luận, nhiệm vụ chưa hoàn thành",
    "briefing_village_none": "Không nêu",
    "briefing_owner_none": "Chưa có người nhận",
    "briefing_conclusion_owner_none": "Chưa phân công",
    "briefing_due_none": "chưa định",
    "briefing_due_late": "{due} (đã quá hạn)",
    "briefing_average_none": "chưa có",
    # The chart
    "briefing_chart_title": "Phiếu theo lĩnh vực, từ {since} đến {until}",
    "briefing_chart_received": "Tiếp nhận",
    "briefing_chart_answered": "Đã trả lời",
    "briefing_chart_overdue": "Quá hạn hiện nay",
    "briefing_chart_axis": "Số phiếu",
    "briefing_chart_empty": "Không có phiếu nào trong kỳ.",
    # The Word document (Nghị định 30/2020/NĐ-CP layout)
    "briefing_doc_nation": "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "briefing_doc_motto": "Độc lập - Tự do - Hạnh phúc",
    "briefing_doc_number": "Số:        /BC-BCĐ",
    "briefing_doc_place_date": "{place}, ngày {day} tháng {month} năm {year}",
    "briefing_doc_kind": "BÁO CÁO",
    "briefing_doc_subject": (
        "Tình hình tiếp nhận, giải quyết ý kiến của người dân qua Hòm thư góp ý số "
        "phục vụ hội nghị giao ban «{title}» ngày {when}"
    ),
    "briefing_doc_intro": (
        "Từ {since} đến {until}, Hòm thư góp ý số đã tiếp nhận {received} phiếu góp ý, "
        "phản ánh, kiến nghị; đã trả lời {answered} phiếu. Đến thời điểm lập báo cáo, "
        "còn {overdue} phiếu quá hạn xử lý. Ban Chỉ đạo báo cáo cụ thể như sau:"
    ),
    "briefing_doc_part_cases": "Tình hình tiếp nhận, giải quyết",
    "briefing_doc_part_overdue": "Phiếu quá hạn xử lý",
    "briefing_doc_part_ratings": "Ý kiến đánh giá của người dân",
    "briefing_doc_part_conclusions": "Kết luận, nhiệm vụ của các hội nghị trước chưa hoàn thành",
    "briefing_doc_part_proposals": "Đề xuất, kiến nghị",
    "briefing_doc_proposals": "(Thư ký bổ sung nội dung đề xuất, kiến nghị trước khi trình ký.)",
    "briefing_doc_ratings": (
        "Trong kỳ, người dân gửi {count} lượt đánh giá, điểm trung bình {average}/5; "
        "{resolved} phiếu được xác nhận đã giải quyết, {unresolved} phiếu chưa giải quyết; "
        "{reopened} phiếu bị người dân mở lại."
    ),
    "briefing_doc_none": "Không có.",
    "briefing_doc_col_number": "STT",
    "briefing_doc_col_field": "Lĩnh vực",
    "briefing_doc_col_village": "Thôn/tổ dân phố",
    "briefing_doc_col_member": "Người xử lý",
    "briefing_doc_col_received": "Tiếp nhận",
    "briefing_doc_col_answered": "Đã trả lời",
    "briefing_doc_col_overdue": "Quá hạn",
    "briefing_doc_col_code": "Mã phiếu",
    "briefing_doc_col_due": "Hạn xử lý",
    "briefing_doc_col_days_late": "Số ngày quá hạn",
    "briefing_doc_col_score": "Mức đánh giá",
    "briefing_doc_col_count": "Số phiếu",
    "briefing_doc_col_text": "Nội dung",
    "briefing_doc_col_owner": "Người thực hiện",
    "briefing_doc_col_case": "Phiếu liên quan",
    "briefing_doc_total": "Tổng cộng",
    "briefing_doc_score": "{score} sao",
    "briefing_doc_recipients_label": "Nơi nhận:",
    "briefing_doc_recipient_members": "- Thành viên Ban Chỉ đạo;",
    "briefing_doc_recipient_archive": "- Lưu: VT.",
    "briefing_doc_signer_on_behalf": "T/M BAN CHỈ ĐẠO",
    "briefing_doc_signer_title": "TRƯỞNG BAN",
}
