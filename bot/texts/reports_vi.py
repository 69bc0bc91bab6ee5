"""Vietnamese sentences of reports (/thongke, /xuat); merged into `bot.texts.vi.ENTRIES`.

Parameters arrive escaped; entries are HTML. Labels, headers and sheet names are plain text
too, because the spreadsheets and the chart reuse them.
"""

from __future__ import annotations

ENTRIES: dict[str, str] = {
    "reporters_only": "Chức năng này dành cho Trưởng ban, Phó ban và thư ký.",
    # Refusals
    "report_period_invalid": (
        "Không hiểu kỳ báo cáo Ông/Bà nhập. Ví dụ:\n"
        "• /thongke: tháng này\n"
        "• /thongke 11/2026: tháng 11 năm 2026\n"
        "• /thongke quy 4/2026: quý IV năm 2026\n"
        "• /thongke 2026: cả năm 2026\n"
        "• /thongke 01/11/2026-15/11/2026: từ ngày đến ngày\n"
        "• /thongke 7: 7 ngày gần nhất\n"
        "Xuất danh sách phiếu: /xuat 11/2026 (tệp Excel) hoặc /xuat 11/2026 csv."
    ),
    "report_identity_chair_only": (
        "Chỉ Trưởng ban được xuất danh sách kèm thông tin người gửi. "
        "Ông/Bà gõ lại lệnh /xuat không có «danh-tinh»."
    ),
    # The statistics message
    "report_stats_title": (
        "📊 <b>Thống kê hòm thư góp ý</b>\nKỳ báo cáo: {period}\nTổng số phiếu tiếp nhận: <b>{count}</b>"
    ),
    "report_heading": "\n<b>{name}</b>",
    "report_line": "• {name}: {value}",
    "report_empty": "Không có phiếu nào trong kỳ này.",
    "report_section_state": "Theo trạng thái",
    "report_section_field": "Theo lĩnh vực",
    "report_section_village": "Theo thôn/tổ dân phố",
    "report_section_member": "Theo người xử lý",
    "report_section_timeliness": "Thời hạn",
    "report_section_ratings": "Ý kiến của người dân",
    "report_village_none": "Không nêu",
    "report_assignee_none": "Chưa có người nhận",
    "report_label_period": "Kỳ báo cáo",
    "report_label_total": "Tổng số phiếu tiếp nhận",
    "report_label_first_response": "Thời gian phản hồi đầu tiên (trung vị)",
    "report_label_answer_time": "Thời gian trả lời (trung vị)",
    "report_label_overdue": "Đang quá hạn",
    "report_label_on_time": "Trả lời đúng hạn",
    "report_label_late": "Trả lời trễ hạn",
    "report_label_ratings": "Số lượt đánh giá",
    "report_label_average": "Điểm đánh giá trung bình (1–5)",
    "report_label_resolved": "Xác nhận đã giải quyết",
    "report_label_unresolved": "Báo chưa giải quyết",
    "report_label_reopened": "Phiếu phải mở lại",
    "report_value_none": "chưa có",
    "report_duration_days": "{days} ngày {hours} giờ",
    "report_duration_hours": "{hours} giờ {minutes} phút",
    # The chart
    "report_chart_title": "Số phiếu theo lĩnh vực và trạng thái, {period}",
    "report_chart_axis": "Số phiếu",
    "report_chart_caption": "📊 Biểu đồ phiếu theo lĩnh vực và trạng thái, kỳ {period}.",
    # Exports
    "report_export_caption": "📎 Danh sách phiếu góp ý kỳ {period}: {count} phiếu.",
    "report_export_caption_identity": (
        "📎 Danh sách phiếu góp ý kỳ {period}: {count} phiếu.\n"
        "⚠️ <b>Có thông tin người gửi</b> (chỉ những gì người dân đồng ý chia sẻ; phiếu ẩn danh "
        "không có). Đề nghị bảo mật, không chuyển tiếp tệp này."
    ),
    "report_export_stats_caption": "📎 Số liệu thống kê kỳ {period}.",
    "report_sheet_cases": "Phiếu",
    "report_sheet_stats": "Thống kê",
    "report_col_group": "Nhóm",
    "report_col_item": "Chỉ tiêu",
    "report_col_value": "Số liệu",
    "report_col_code": "Mã tra cứu",
    "report_col_created": "Ngày gửi",
    "report_col_field": "Lĩnh vực",
    "report_col_village": "Thôn/tổ dân phố",
    "report_col_kind": "Loại",
    "report_col_state": "Trạng thái",
    "report_col_assignee": "Người xử lý",
    "report_col_due": "Hạn trả lời",
    "report_col_answered": "Ngày trả lời",
    "report_col_answer": "Nội dung trả lời",
    "report_col_rating": "Đánh giá (1–5)",
    "report_col_name": "Họ tên người gửi",
    "report_col_phone": "Số điện thoại người gửi",
}
