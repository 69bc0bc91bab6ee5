"""Vietnamese catalogue (the default locale). Parameters arrive escaped; entries are HTML."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.texts.catalogue import Entry

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
        "• /tracuu MÃ: xem phiếu bất kỳ."
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
        "{days} ngày (trước {due}).\n"
        "Ông/Bà có thể tra cứu bằng lệnh <code>/tracuu {code}</code>, hoặc trả lời (reply) tin "
        "nhắn này để bổ sung thông tin."
    ),
    "handler_field_members": "thành viên Ban chỉ đạo phụ trách",
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
    "answer_cancelled": "Đã thôi trả lời phiếu <code>{code}</code>.",
    "answer_text_only": "Câu trả lời cần là một tin nhắn chữ. Mời Ông/Bà gửi lại, hoặc gõ /huy.",
    "answer_too_long": "Câu trả lời quá dài ({got} ký tự; tối đa {max}). Mời Ông/Bà rút gọn.",
    "case_history_title": "🗂 <b>Lịch sử phiếu <code>{code}</code></b> ({state})",
    "history_event": "• {when}: {what}",
    "history_message": "• {when} ({who}): {body}",
    "history_who_citizen": "người dân",
    "history_who_internal": "ghi chú nội bộ",
    "action_received": "tiếp nhận",
    "action_assigned": "giao cho {member}",
    "action_answered": "{member} trả lời",
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
