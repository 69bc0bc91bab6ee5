"""Vietnamese catalogue (the default locale). Parameters arrive escaped; entries are HTML."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.texts import reports_vi
from bot.texts.answer_templates_vi import TEMPLATES
from bot.texts.briefing_vi import BRIEFING
from bot.texts.catalogue import Entry
from bot.texts.deadlines_vi import DEADLINES
from bot.texts.meetings_vi import MEETINGS
from bot.texts.minutes_vi import MINUTES
from bot.texts.search_vi import SEARCH

STATE_NAMES = {
    "received": "Đã tiếp nhận",
    "assigned": "Đã giao xử lý",
    "in_progress": "Đang xử lý",
    "answered": "Đã trả lời",
    "closed": "Đã kết thúc",
    "transferred": "Đã chuyển cơ quan có thẩm quyền",
    "guided": "Đã hướng dẫn theo thủ tục",
    "rejected": "Không đủ điều kiện xử lý",
    "withdrawn": "Người gửi đã rút",
}

KIND_NAMES = {
    "gop_y": "Góp ý xây dựng Đảng, chính quyền",
    "phan_anh": "Phản ánh",
    "kien_nghi": "Kiến nghị",
    "hoi_dap": "Hỏi đáp",
    "khieu_nai": "Khiếu nại",
    "to_cao": "Tố cáo",
    "khac": "Khác",
}

UNSUPPORTED_NAMES = {
    "sticker": "nhãn dán (sticker)",
    "video": "video",
    "video_note": "video tròn",
    "animation": "ảnh động",
    "audio": "tệp âm thanh",
    "poll": "bình chọn",
    "dice": "xúc xắc",
    "contact": "danh bạ",
    "game": "trò chơi",
    "venue": "địa điểm",
}


def _summary(p: Mapping[str, Any]) -> str:
    lines = ["<b>Ông/Bà vui lòng kiểm tra lại trước khi gửi:</b>", f"• Lĩnh vực: {p['field']}"]
    lines.append(f"• Thôn/tổ dân phố: {p['village'] or 'không nêu'}")
    if p["text"]:
        lines.append(f"• Nội dung:\n<blockquote>{p['text']}</blockquote>")
    if p["attachments"]:
        lines.append(f"• Tệp đính kèm: {p['attachments']}")
    if p["anonymous"]:
        lines.append("• Người gửi: <b>Ẩn danh</b> (không ai biết Ông/Bà là ai)")
    else:
        phone = f", số điện thoại {p['phone']}" if p["phone"] else ", không để lại số điện thoại"
        lines.append(f"• Người gửi: {p['name']}{phone}")
    lines.append("\nBấm <b>Gửi</b> để gửi, <b>Quay lại</b> để sửa, hoặc <b>Hủy</b> để bỏ.")
    return "\n".join(lines)


def _member_case(p: Mapping[str, Any]) -> str:
    lines = [
        f"📬 <b>{p['title']}</b>: <code>{p['code']}</code>",
        f"Lĩnh vực: {p['field']}",
        f"Thôn/tổ dân phố: {p['village'] or 'không nêu'}",
        f"Loại: {p['kind']}",
        f"Ngày gửi: {p['created']}",
        f"Hạn trả lời: <b>{p['due']}</b>",
        f"Người gửi: {p['sender']}",
    ]
    if p["attachments"]:
        lines.append(f"Tệp đính kèm: {p['attachments']} (gửi kèm ngay sau tin này)")
    if p["text"]:
        lines.append(f"\n<b>Nội dung:</b>\n{p['text']}")
    lines.append("\n<i>Bấm «Trả lời» hoặc trả lời (reply) tin nhắn này để trả lời người dân.</i>")
    return "\n".join(lines)


def _status(p: Mapping[str, Any]) -> str:
    lines = [
        f"🔎 <b>Phiếu {p['code']}</b>",
        f"Trạng thái: <b>{p['state']}</b>",
        f"Lĩnh vực: {p['field']}",
        f"Thôn/tổ dân phố: {p['village'] or 'không nêu'}",
        f"Ngày gửi: {p['created']}",
        f"Hạn trả lời: {p['due']}",
    ]
    if p["answers"]:
        lines.append("\n<b>Trả lời:</b>")
        lines.extend(f"• {when}: {body}" for when, body in p["answers"])
    else:
        lines.append("\nChưa có trả lời.")
    return "\n".join(lines)


ENTRIES: dict[str, Entry] = {
    # Buttons
    "btn_agree": "Đồng ý",
    "btn_refuse": "Không đồng ý",
    "btn_skip": "Bỏ qua",
    "btn_next": "Tiếp tục",
    "btn_anonymous": "Ẩn danh",
    "btn_named": "Gửi kèm họ tên",
    "btn_send": "Gửi",
    "btn_back": "Quay lại",
    "btn_cancel": "Hủy",
    "btn_share_phone": "📱 Chia sẻ số điện thoại",
    "btn_new_submission": "✍️ Gửi góp ý",
    "btn_claim": "Nhận xử lý",
    "btn_answer": "Trả lời",
    "btn_history": "Lịch sử",
    # Welcome, consent, help
    "welcome": (
        "Xin chào Ông/Bà! Đây là <b>Hòm thư góp ý số</b> của {commune}, do {body} tiếp nhận và "
        "trả lời.\n\n"
        "Ông/Bà có thể gửi góp ý, phản ánh, kiến nghị về xây dựng Đảng, chính quyền và đời sống "
        "ở địa phương; mỗi góp ý có một <b>mã tra cứu</b> để theo dõi.\n\n"
        "Lưu ý: đây là trợ lý tự động, <b>không phải</b> nơi tiếp công dân chính thức; đơn khiếu "
        "nại, tố cáo cần gửi theo thủ tục tại Bộ phận tiếp công dân của xã.\n\n"
        "Gõ /gopy để gửi góp ý, /tracuu để tra cứu, /trogiup để xem hướng dẫn."
    ),
    "consent_ask": (
        "<b>Thông báo về xử lý dữ liệu cá nhân</b> (phiên bản {version})\n"
        "• Bên kiểm soát dữ liệu: {controller}.\n"
        "• Dữ liệu: nội dung Ông/Bà gửi, tệp đính kèm, thôn/tổ dân phố; họ tên và số điện "
        "thoại chỉ khi Ông/Bà chọn gửi kèm.\n"
        "• Mục đích: tiếp nhận, chuyển đến thành viên phụ trách và trả lời góp ý của Ông/Bà.\n"
        "• Nếu chọn <b>Ẩn danh</b>, thành viên Ban chỉ đạo không biết Ông/Bà là ai.\n"
        "• Ông/Bà có quyền xem, sửa, rút lại đồng ý và yêu cầu xóa dữ liệu{contact}.\n\n"
        "Ông/Bà có đồng ý để chúng tôi xử lý dữ liệu như trên không?"
    ),
    "consent_contact": " (liên hệ: {contact})",
    "consent_recorded": "Cảm ơn Ông/Bà đã đồng ý.",
    "consent_refused": (
        "Chúng tôi tôn trọng lựa chọn của Ông/Bà. Khi chưa có sự đồng ý, hòm thư số chưa thể "
        "tiếp nhận góp ý; Ông/Bà vẫn có thể bỏ thư vào hòm thư góp ý tại trụ sở xã. Gõ /gopy "
        "nếu Ông/Bà đổi ý."
    ),
    "help_citizen": (
        "<b>Hướng dẫn sử dụng</b>\n"
        "/gopy: gửi góp ý, phản ánh, kiến nghị (làm theo từng bước)\n"
        "/tracuu MÃ: xem tình trạng và câu trả lời, ví dụ <code>/tracuu MT-261127-0042-K7</code>\n"
        "/huy: hủy bước đang làm\n"
        "/trogiup: xem hướng dẫn này\n\n"
        "Muốn bổ sung cho một góp ý đã gửi, Ông/Bà hãy trả lời (reply) tin nhắn của hòm thư về "
        "góp ý đó."
    ),
    "help_member": (
        "\n\n<b>Dành cho thành viên Ban chỉ đạo</b>\n"
        "• Mỗi phiếu mới của lĩnh vực Ông/Bà phụ trách được gửi đến đây kèm các nút "
        "«Nhận xử lý», «Trả lời», «Lịch sử».\n"
        "• Trả lời người dân: bấm «Trả lời» rồi gửi nội dung, hoặc trả lời (reply) tin nhắn "
        "về phiếu đó.\n"
        "• /tracuu MÃ: xem phiếu bất kỳ.\n"
        "• «Thao tác ▸» dưới mỗi phiếu: ghi chú nội bộ, phân loại, chuyển người khác, chuyển cơ "
        "quan khác, kết thúc.\n"
        "• /viec: phiếu Ông/Bà đang xử lý (Trưởng ban: tất cả; /viec dat-dai, /viec lan).\n"
        "• /quahan: phiếu quá hạn.\n"
        "• /timkiem TỪ KHÓA: tìm phiếu theo nội dung (gõ có dấu hay không dấu đều được).\n"
        "• /thongke [tháng 11/2026 | quý 4/2026 | 2026]: thống kê kèm biểu đồ.\n"
        "• /xuat [kỳ] [xlsx|csv]: xuất danh sách phiếu và thống kê.\n"
        "• /lichhop: lịch họp sắp tới và số người đã báo tham dự, vắng.\n"
        "• /nhiemvu: nhiệm vụ Ông/Bà được giao từ các cuộc họp.\n"
        "• /baocaohop: báo cáo phục vụ giao ban (Trưởng ban, Phó ban, thư ký): số liệu, biểu đồ, tệp Word."
    ),
    # The submission dialog
    "dialog_resume": "Ông/Bà đang soạn dở một góp ý. Mời Ông/Bà tiếp tục (hoặc gõ /huy để bỏ).",
    "dialog_cancelled": "Đã hủy. Khi cần, Ông/Bà gõ /gopy để bắt đầu lại.",
    "nothing_to_cancel": "Hiện không có bước nào đang làm. Gõ /gopy để gửi góp ý.",
    "ask_field": "<b>Bước 1/5.</b> Ông/Bà muốn góp ý về lĩnh vực nào?",
    "ask_village": "<b>Bước 2/5.</b> Nội dung liên quan đến thôn/tổ dân phố nào? (có thể bỏ qua)",
    "ask_content": (
        "<b>Bước 3/5.</b> Mời Ông/Bà viết nội dung góp ý. Ông/Bà có thể gửi nhiều tin nhắn, kèm "
        "ảnh, tệp, tin nhắn thoại hoặc vị trí, rồi bấm <b>Tiếp tục</b>."
    ),
    "content_added": (
        "Đã nhận ({count} phần). Ông/Bà có thể gửi thêm, hoặc bấm <b>Tiếp tục</b> khi đã xong."
    ),
    "content_empty": "Ông/Bà chưa gửi nội dung nào. Mời Ông/Bà viết nội dung góp ý trước.",
    "content_blank": "Tin nhắn không có nội dung. Mời Ông/Bà viết lại.",
    "content_too_long": (
        "Tin nhắn quá dài ({got} ký tự; tối đa {max}). Ông/Bà vui lòng chia thành nhiều tin "
        "nhắn ngắn hơn."
    ),
    "content_too_many": "Mỗi góp ý có tối đa {max} phần. Mời Ông/Bà bấm <b>Tiếp tục</b>.",
    "document_too_big": "Tệp quá lớn (tối đa {max_mb} MB). Ông/Bà vui lòng gửi tệp nhỏ hơn.",
    "document_type": (
        "Hòm thư chưa nhận loại tệp này ({name}). Ông/Bà có thể gửi ảnh, tệp PDF, Word, Excel "
        "hoặc văn bản."
    ),
    "unsupported_input": lambda p: (
        f"Hòm thư chưa nhận {UNSUPPORTED_NAMES.get(p['what'], 'loại tin nhắn này')}. "
        "Ông/Bà có thể gửi chữ, ảnh, tệp, tin nhắn thoại hoặc vị trí."
    ),
    "ask_identity": (
        "<b>Bước 4/5.</b> Ông/Bà muốn gửi <b>ẩn danh</b> hay gửi kèm họ tên?\n"
        "• Ẩn danh: thành viên Ban chỉ đạo không biết Ông/Bà là ai; câu trả lời vẫn gửi về đây.\n"
        "• Lưu ý: theo quy định, khiếu nại, tố cáo ẩn danh không được giải quyết theo thủ tục "
        "khiếu nại, tố cáo."
    ),
    "ask_phone": (
        "Ông/Bà có muốn để lại số điện thoại để cán bộ liên hệ khi cần không? Bấm "
        "<b>Chia sẻ số điện thoại</b> hoặc <b>Bỏ qua</b>."
    ),
    "phone_saved": "Đã ghi nhận số điện thoại.",
    "phone_skipped": "Không để lại số điện thoại.",
    "phone_not_own": "Ông/Bà vui lòng chia sẻ số điện thoại của chính mình bằng nút bên dưới.",
    "phone_expected": "Mời Ông/Bà bấm <b>Chia sẻ số điện thoại</b> hoặc <b>Bỏ qua</b>.",
    "summary": _summary,
    "use_buttons": "Ông/Bà vui lòng chọn bằng các nút bên dưới.",
    "button_stale": "Nút này không còn hiệu lực. Mời Ông/Bà tiếp tục ở bước hiện tại.",
    "receipt": (
        "✅ <b>Đã tiếp nhận góp ý của Ông/Bà.</b>\n"
        "Mã tra cứu: <code>{code}</code>\n"
        "Lĩnh vực {field} do {handler} xem xét; câu trả lời sẽ gửi về đây trong vòng "
        "{days} {unit} (hạn chót ngày {due}).\n"
        "Ông/Bà có thể tra cứu bằng lệnh <code>/tracuu {code}</code>, hoặc trả lời (reply) tin "
        "nhắn này để bổ sung thông tin."
    ),
    "handler_field_members": "thành viên Ban chỉ đạo phụ trách",
    "unit_working": "ngày làm việc",
    "unit_calendar": "ngày",
    "daily_limit": (
        "Hôm nay Ông/Bà đã gửi {max} góp ý, là số tối đa trong một ngày. Xin Ông/Bà gửi tiếp vào "
        "ngày mai. Cảm ơn Ông/Bà đã đóng góp."
    ),
    "flood": "Ông/Bà gửi quá nhanh. Xin vui lòng chờ một chút rồi gửi tiếp.",
    # Tracking
    "lookup_usage": "Ông/Bà vui lòng gõ kèm mã tra cứu, ví dụ: <code>/tracuu MT-261127-0042-K7</code>",
    "lookup_not_found": (
        "Không tìm thấy phiếu có mã này, hoặc Ông/Bà không phải người gửi. Vui lòng kiểm tra lại "
        "mã tra cứu."
    ),
    "status": _status,
    # Follow-up and answers to the citizen
    "followup_received": "Đã bổ sung vào phiếu <code>{code}</code> và chuyển đến người phụ trách.",
    "followup_closed": (
        "Phiếu <code>{code}</code> đã kết thúc nên không thể bổ sung. Mời Ông/Bà gửi góp ý mới "
        "bằng /gopy."
    ),
    "answer_to_citizen": "💬 <b>Trả lời phiếu <code>{code}</code></b>\n\n{body}",
    # Members
    "member_case_new": _member_case,
    "title_new_case": "Phiếu góp ý mới",
    "title_rerouted_case": "Phiếu chưa có người nhận (chuyển đến Trưởng ban)",
    "title_conflict_case": "Phiếu có nêu tên thành viên Ban chỉ đạo (chỉ gửi Trưởng ban)",
    "urgent_reply": (
        "⚠️ Nếu có nguy hiểm đến tính mạng, cháy nổ hoặc tội phạm đang xảy ra, Ông/Bà hãy gọi "
        "ngay: <b>{numbers}</b>. Hòm thư góp ý không phải kênh cấp cứu và không thể điều lực "
        "lượng đến hiện trường; nội dung của Ông/Bà đã được báo cho Trưởng ban."
    ),
    "urgent_alert": "🚨 <b>Tin nhắn có dấu hiệu khẩn cấp</b> (từ khóa «{word}») gửi tới hòm thư lúc {when}:\n{text}",
    "sender_anonymous": "Ẩn danh",
    "sender_named": "{name}",
    "sender_named_phone": "{name}, SĐT {phone}",
    "member_content_more": "<b>Nội dung phiếu <code>{code}</code> (tiếp):</b>\n{text}",
    "member_location": "📍 Vị trí đính kèm phiếu <code>{code}</code>",
    "member_attachment_caption": "Tệp đính kèm phiếu <code>{code}</code>",
    "member_followup": "📎 <b>Người dân bổ sung phiếu <code>{code}</code>:</b>\n{text}",
    "member_followup_attachment": "📎 Người dân bổ sung tệp cho phiếu <code>{code}</code>",
    "claimed_you": "Ông/Bà đã nhận xử lý phiếu <code>{code}</code>.",
    "claimed_other": "Phiếu <code>{code}</code> đã được <b>{member}</b> nhận xử lý.",
    "claimed_already": "Phiếu <code>{code}</code> đã do <b>{member}</b> nhận xử lý.",
    "answer_prompt": (
        "Mời Ông/Bà gửi nội dung trả lời cho phiếu <code>{code}</code> (một tin nhắn). "
        "Gõ /huy để thôi."
    ),
    "answer_sent": "Đã gửi câu trả lời phiếu <code>{code}</code> đến người dân.",
    "answered_other": "Phiếu <code>{code}</code> đã được <b>{member}</b> trả lời.",
    "answer_text_only": "Câu trả lời cần là một tin nhắn chữ. Mời Ông/Bà gửi lại, hoặc gõ /huy.",
    "answer_too_long": "Câu trả lời quá dài ({got} ký tự; tối đa {max}). Mời Ông/Bà rút gọn.",
    "case_history_title": "🗂 <b>Lịch sử phiếu <code>{code}</code></b> ({state})",
    "history_event": "• {when}: {what}",
    "history_message": "• {when} ({who}): {body}",
    "history_who_citizen": "người dân",
    "history_who_internal": "ghi chú nội bộ của {member}",
    "action_received": "tiếp nhận",
    "action_followup": "người dân bổ sung",
    "member_unreachable": (
        "⚠️ Không gửi được tin nhắn cho thành viên <b>{member}</b> (chưa bắt đầu trò chuyện "
        "với hòm thư hoặc đã chặn). Đề nghị Trưởng ban nhắc thành viên mở hòm thư và bấm /start."
    ),
    "member_welcome": "Xin chào {member}. Ông/Bà đã kết nối với hòm thư với vai trò thành viên.",
    # Refusals and errors
    "not_member": "Chức năng này chỉ dành cho thành viên Ban chỉ đạo.",
    "not_allowed": "Ông/Bà không có quyền thực hiện thao tác này với phiếu này.",
    "case_not_open": "Phiếu <code>{code}</code> đang ở trạng thái «{state}», không thể thực hiện.",
    "button_invalid": "Nút này không hợp lệ hoặc đã hết hiệu lực.",
    "unknown_command": "Hòm thư không có lệnh này. Gõ /trogiup để xem các lệnh.",
    "not_understood": (
        "Để gửi góp ý, Ông/Bà gõ /gopy. Để bổ sung cho góp ý đã gửi, Ông/Bà trả lời (reply) tin "
        "nhắn của hòm thư về góp ý đó."
    ),
    "member_not_understood": (
        "Để trả lời người dân, Ông/Bà trả lời (reply) đúng tin nhắn về phiếu hoặc bấm «Trả lời» "
        "dưới phiếu. Gõ /gopy nếu Ông/Bà muốn gửi góp ý của riêng mình, /trogiup để xem hướng dẫn."
    ),
    "error_apology": (
        "Xin lỗi Ông/Bà, hòm thư đang gặp sự cố khi xử lý tin nhắn này. Nội dung đã gửi trước đó "
        "vẫn được giữ nguyên; Ông/Bà vui lòng thử lại sau ít phút."
    ),
}
ENTRIES.update({f"state_{state}": name for state, name in STATE_NAMES.items()})
ENTRIES.update({f"kind_{kind}": name for kind, name in KIND_NAMES.items()})

CASEWORK: dict[str, Entry] = {
    "btn_support": "Thêm người phối hợp",
    "choose_supporter": "Mời ai phối hợp xử lý phiếu <code>{code}</code>? (Ông/Bà vẫn chủ trì)",
    "supporter_added": "Đã mời <b>{member}</b> phối hợp xử lý phiếu <code>{code}</code>.",
    "supporter_already": "<b>{member}</b> đã đang phối hợp phiếu <code>{code}</code>.",
    "title_support_case": "Phiếu mời Ông/Bà phối hợp xử lý",
    "support_request": "🤝 <b>{member}</b> (chủ trì) mời Ông/Bà phối hợp phiếu <code>{code}</code>: bấm «Thao tác ▸» → «Ghi chú nội bộ» để gửi ý kiến; người chủ trì sẽ nhận được.",
    "history_supporters": "Phối hợp: {names}",
    "supporter_done": "đã góp ý",
    "supporter_pending": "chưa góp ý",
    "action_support": "{member} mời phối hợp: {note}",
    "btn_merge": "Gộp vào phiếu khác",
    "merge_prompt": "Phiếu <code>{code}</code> trùng với phiếu nào? Mời Ông/Bà gửi mã phiếu đó. Gõ /huy để thôi.",
    "merge_target_unknown": "Không tìm thấy phiếu có mã này. Mời Ông/Bà kiểm tra lại mã.",
    "merge_target_invalid": "Không thể gộp vào phiếu <code>{code}</code> (chính nó, đã kết thúc hoặc đã được gộp).",
    "merged_done": "Đã gộp phiếu <code>{code}</code> vào phiếu <code>{target}</code>; câu trả lời phiếu <code>{target}</code> sẽ gửi cho cả hai người dân.",
    "citizen_merged": "🔗 Phiếu <code>{code}</code> có cùng nội dung với một phiếu khác (<code>{text}</code>) nên được gộp để xử lý chung; câu trả lời vẫn gửi đến Ông/Bà.",
    "action_merge": "{member} gộp vào phiếu {note}",
    "btn_ask": "Hỏi thêm người dân",
    "ask_prompt": "Mời Ông/Bà gửi câu hỏi cho người dân về phiếu <code>{code}</code>. Trong lúc chờ người dân trả lời, thời hạn tạm dừng. Gõ /huy để thôi.",
    "ask_sent": "Đã gửi câu hỏi cho người dân; thời hạn phiếu <code>{code}</code> tạm dừng đến khi người dân trả lời.",
    "citizen_question": "❓ <b>Về phiếu <code>{code}</code>, Ban chỉ đạo cần Ông/Bà cho biết thêm:</b>\n{text}\n\nÔng/Bà vui lòng trả lời (reply) tin nhắn này.",
    "clock_resumed": "⏱ Người dân đã trả lời câu hỏi về phiếu <code>{code}</code>; thời hạn được tính tiếp (đã cộng thêm thời gian chờ).",
    "action_ask": "{member} hỏi thêm người dân (tạm dừng thời hạn)",
    "help_chair": (
        "\n\n<b>Dành cho Trưởng ban, Phó ban</b>\n"
        "• /moi MÃ_THÀNH_VIÊN: tạo đường dẫn mời (dùng một lần) cho thành viên chưa có Telegram ID.\n"
        "• /tamdung MÃ_THÀNH_VIÊN, /kichhoat MÃ_THÀNH_VIÊN: tạm dừng / kích hoạt lại thành viên.\n"
        "• /nhatky [kỳ]: nhật ký thao tác (kèm tệp Excel).\n"
        "• /mau: câu trả lời mẫu (xem; /mau them …, /mau xoa … để thêm, xóa)."
    ),
    "audit_empty": "Nhật ký {period}: chưa có thao tác nào.",
    "audit_header": "🗒 <b>Nhật ký {period}</b>: {total} thao tác (dưới đây là các thao tác gần nhất; đầy đủ trong tệp).",
    "audit_line": "• {when} {actor}: {action} {code} {detail}",
    "audit_file_caption": "Nhật ký thao tác {period}",
    "invite_created": "Đường dẫn mời <b>{member}</b> (dùng một lần, hết hạn sau {days} ngày):\n{link}\nĐề nghị gửi riêng cho đúng người.",
    "invite_already_member": "Ông/Bà đã là thành viên ({member}).",
    "invite_invalid": "Đường dẫn mời không hợp lệ, đã dùng hoặc đã hết hạn. Đề nghị liên hệ Trưởng ban để nhận đường dẫn mới.",
    "invite_used_notice": "✅ <b>{member}</b> đã kết nối với hòm thư qua đường dẫn mời.",
    "deactivate_self": "Ông/Bà không thể tạm dừng chính mình.",
    "member_already": "Không có gì thay đổi với thành viên {member}.",
    "member_deactivated": "Đã tạm dừng thành viên <b>{member}</b>; {count} phiếu đang xử lý đã trả về lĩnh vực.",
    "member_reactivated": "Thành viên <b>{member}</b> đã được kích hoạt lại.",
    "you_were_deactivated": "Trưởng ban đã tạm dừng vai trò thành viên của Ông/Bà trong hòm thư.",
    "member_id_usage": "Vui lòng gõ kèm mã thành viên như trong cấu hình, ví dụ: <code>/moi lan</code>.",
    "member_unknown": "Không có thành viên đang hoạt động với mã «{member}».",
    "title_returned_case": "Phiếu trả về lĩnh vực (người xử lý đã tạm dừng)",
    "action_release": "{member} trả phiếu về lĩnh vực",
    # Buttons
    "btn_more": "Thao tác ▸",
    "btn_note": "Ghi chú nội bộ",
    "btn_kind": "Phân loại",
    "btn_start": "Bắt đầu xử lý",
    "btn_hand_over": "Chuyển người khác",
    "btn_transfer": "Chuyển cơ quan khác",
    "btn_close": "Kết thúc phiếu",
    "btn_outcome": "Ghi kết quả",
    "btn_assign": "Giao cho…",
    "btn_reject": "Không đủ điều kiện",
    "btn_reopen": "Mở lại",
    "btn_resolved": "✅ Đã giải quyết",
    "btn_not_resolved": "❌ Chưa giải quyết",
    "btn_prev": "◀ Trước",
    "btn_next_page": "Sau ▶",
    # Action menu and text inputs
    "menu_title": "Thao tác với phiếu <code>{code}</code> (trạng thái: {state}):",
    "note_prompt": "Mời Ông/Bà gửi ghi chú nội bộ cho phiếu <code>{code}</code> (người dân không thấy). Gõ /huy để thôi.",
    "transfer_prompt": "Phiếu <code>{code}</code> sẽ chuyển đến cơ quan nào, vì sao? Nội dung này được gửi cho người dân. Gõ /huy để thôi.",
    "reject_prompt": "Vì sao phiếu <code>{code}</code> không đủ điều kiện xử lý? Lý do được gửi cho người dân. Gõ /huy để thôi.",
    "outcome_prompt": "Mời Ông/Bà ghi kết quả giải quyết theo thủ tục của phiếu <code>{code}</code>; kết quả được gửi cho người dân. Gõ /huy để thôi.",
    "input_cancelled": "Đã thôi thao tác với phiếu <code>{code}</code>.",
    "note_saved": "Đã lưu ghi chú nội bộ cho phiếu <code>{code}</code>.",
    "note_relayed": "📝 <b>{member}</b> ghi chú phiếu <code>{code}</code>:\n{text}",
    "transition_done": "Phiếu <code>{code}</code>: {state}.",
    "transition_refused": "Thao tác này không thực hiện được với phiếu <code>{code}</code> ở trạng thái hiện tại.",
    "chair_only": "Thao tác này dành cho Trưởng ban hoặc Phó ban.",
    "reopened_notice": "↩️ Phiếu <code>{code}</code> đã được mở lại để xử lý tiếp.",
    "kind_prompt": "Phiếu <code>{code}</code> thuộc loại nào?",
    "kind_set": "Đã phân loại phiếu <code>{code}</code>: {kind}.",
    "complaint_guidance": (
        "Nội dung của Ông/Bà là khiếu nại hoặc tố cáo, cần được giải quyết theo thủ tục "
        "riêng của pháp luật, không theo hình thức góp ý. Ông/Bà vui lòng gửi đơn có ghi rõ ngày "
        "tháng năm, họ tên, địa chỉ, nội dung và chữ ký (hoặc điểm chỉ), hoặc đến trình bày trực "
        "tiếp tại Bộ phận tiếp công dân của {commune}. Cán bộ tiếp công dân đã được thông báo và "
        "sẽ theo dõi đến khi có kết quả."
    ),
    "guided_done": "Phiếu <code>{code}</code> đã chuyển sang thủ tục khiếu nại, tố cáo; người dân đã được hướng dẫn.",
    "title_formal_case": "Khiếu nại/tố cáo cần hướng dẫn theo thủ tục",
    "no_candidates": "Không có thành viên nào khác có thể nhận phiếu <code>{code}</code>.",
    "choose_member": "Giao phiếu <code>{code}</code> cho ai?",
    "given_to": "Đã giao phiếu <code>{code}</code> cho <b>{member}</b>.",
    "given_to_you": "📌 <b>{member}</b> đã giao phiếu <code>{code}</code> cho Ông/Bà.",
    "given_other": "Phiếu <code>{code}</code> đã được <b>{member}</b> giao cho <b>{target}</b>.",
    # The citizen closes the loop
    "ask_resolved": "Câu trả lời cho phiếu <code>{code}</code> đã giải quyết được vấn đề của Ông/Bà chưa?",
    "thanks_resolved": "Cảm ơn Ông/Bà đã xác nhận. Phiếu <code>{code}</code> đã kết thúc.",
    "feedback_already": "Ý kiến của Ông/Bà về phiếu <code>{code}</code> đã được ghi nhận.",
    "ask_rating": "Ông/Bà đánh giá câu trả lời cho phiếu <code>{code}</code> thế nào? (1 đến 5 sao)",
    "thanks_rating": "Cảm ơn Ông/Bà đã đánh giá {score} sao cho phiếu <code>{code}</code>.",
    "withdraw_usage": "Ông/Bà vui lòng gõ kèm mã phiếu muốn rút, ví dụ: <code>/rut MT-261127-0042-K7</code>",
    "reopened_by_citizen": "↩️ Người dân cho biết phiếu <code>{code}</code> <b>chưa được giải quyết</b>; phiếu đã được mở lại.",
    "withdrawn_notice": "Người dân đã rút phiếu <code>{code}</code>.",
    # Transitions as the citizen hears them ({text}: the member's note or reason, if any)
    "citizen_assigned": "📌 Phiếu <code>{code}</code> đã được giao cho thành viên Ban chỉ đạo xử lý.",
    "citizen_in_progress": "🔧 Phiếu <code>{code}</code> đang được xử lý.",
    "citizen_closed": "Phiếu <code>{code}</code> đã kết thúc. Cảm ơn Ông/Bà đã góp ý.",
    "citizen_reopened": "↩️ Phiếu <code>{code}</code> đã được mở lại và sẽ được xử lý tiếp.",
    "citizen_transferred": "➡️ Phiếu <code>{code}</code> đã được chuyển đến cơ quan có thẩm quyền:\n{text}",
    "citizen_guided": "⚖️ Về phiếu <code>{code}</code>:\n{text}",
    "citizen_rejected": "Phiếu <code>{code}</code> không đủ điều kiện xử lý. Lý do:\n{text}",
    "citizen_withdrawn": "Ông/Bà đã rút phiếu <code>{code}</code>.",
    "citizen_outcome": "⚖️ Kết quả giải quyết phiếu <code>{code}</code>:\n{text}",
    # Worklists
    "list_mine": "Phiếu Ông/Bà đang xử lý",
    "list_overdue": "Phiếu quá hạn",
    "list_all": "Tất cả phiếu đang mở",
    "list_field": "Phiếu đang mở lĩnh vực {field}",
    "list_member": "Phiếu đang mở do {member} xử lý",
    "list_unknown_filter": "Không có lĩnh vực hay thành viên với mã này. Ví dụ: <code>/viec dat-dai</code> hoặc <code>/viec lan</code>.",
    "list_empty": "{title}: không có phiếu nào.",
    "list_header": "<b>{title}</b>: {total} phiếu (trang {page}/{pages})",
    "list_line": "• {late}<code>{code}</code>, {field}, {state}, hạn {due}",
    # History lines
    "history_files": " [+{count} tệp]",
    "action_claim": "{member} nhận xử lý",
    "action_assign": "{member} giao phiếu",
    "action_hand_over": "{member} chuyển cho người khác",
    "action_start": "{member} bắt đầu xử lý",
    "action_answer": "{member} trả lời",
    "action_close": "{member} kết thúc phiếu",
    "action_reopen": "{member} mở lại phiếu",
    "action_transfer": "{member} chuyển cơ quan khác: {note}",
    "action_guide": "{member} hướng dẫn theo thủ tục khiếu nại, tố cáo",
    "action_reject": "{member}: không đủ điều kiện ({note})",
    "action_withdraw": "người dân rút phiếu",
    "action_record_outcome": "{member} ghi kết quả: {note}",
    "action_resolved": "người dân xác nhận đã giải quyết",
    "action_not_resolved": "người dân cho biết chưa giải quyết",
    "action_rated": "người dân đánh giá {note} sao",
    "action_kind": "{member} phân loại: {note}",
}
ENTRIES.update(CASEWORK)
ENTRIES.update(reports_vi.ENTRIES)
ENTRIES.update(DEADLINES)
ENTRIES.update(TEMPLATES)
ENTRIES.update(MEETINGS)
ENTRIES.update(MINUTES)
ENTRIES.update(SEARCH)
ENTRIES.update(BRIEFING)
