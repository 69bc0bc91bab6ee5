"""Vietnamese sentences of /timkiem, the members' full-text search.

Merged into `bot.texts.vi.ENTRIES`. Parameters arrive escaped; entries are HTML.
"""

from __future__ import annotations

from bot.texts.catalogue import Entry

SEARCH: dict[str, Entry] = {
    "search_usage": (
        "Mời Ông/Bà gõ từ khóa sau lệnh, ví dụ <code>/timkiem đường hỏng</code>. Có thể gõ "
        "không dấu: «duong» cũng tìm được «đường»."
    ),
    "search_too_long": (
        "Từ khóa quá dài. Ông/Bà vui lòng gõ ngắn hơn: tối đa {max} ký tự và {count} từ."
    ),
    "search_header": "<b>Kết quả tìm «{query}»</b> (trang {page}, phiếu mới nhất trước)",
    "search_line": "• <code>{code}</code>, {field}, {state}\n  <i>{text}</i>",
    "search_none": (
        "Không tìm thấy phiếu nào có «{query}» trong các phiếu Ông/Bà được xem. Ông/Bà có thể "
        "thử từ khóa khác."
    ),
    "search_sent_privately": "Ông/Bà xem kết quả tìm kiếm trong tin nhắn riêng với hòm thư.",
    "search_no_more": "Không còn phiếu nào khác có «{query}».",
}
