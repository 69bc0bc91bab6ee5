"""An outbound message survives its trip through the outbox's JSON payload, old rows included."""

from __future__ import annotations

import json

from bot.domain.model import Attachment, AttachmentKind, ChatRef
from bot.domain.outbound import REPLACES, Button, LinkRole, Outbound, Upload

CHAT = ChatRef("telegram", "1001")


def round_trip(message: Outbound) -> Outbound:
    return Outbound.from_row(
        message.chat,
        message.to_json(),
        message.case_id,
        message.link_role.value if message.link_role else None,
        message.member_id,
    )


def test_every_part_of_a_message_survives_the_payload() -> None:
    message = Outbound(
        chat=CHAT,
        text="<b>Góp ý mới</b> MT-261127-0042-K7",
        buttons=((Button("Nhận xử lý", "m:claim:42"), Button("Trả lời", "m:answer:42")),),
        attachment=Attachment(AttachmentKind.PHOTO, file_id="AgAD", caption="Ảnh hiện trường"),
        contact_request=("Gửi số điện thoại", "Bỏ qua"),
        remove_keyboard=True,
        case_id=42,
        link_role=LinkRole.MEMBER_NOTICE,
        member_id="lan",
        extra={REPLACES: 7},
        upload=Upload("bao-cao.csv", "text/csv", "mã,trạng thái\n".encode(), as_photo=False),
        thread_id="12",
    )

    assert round_trip(message) == message


def test_a_plain_reply_survives_the_payload_and_stores_only_what_it_has() -> None:
    message = Outbound(chat=CHAT, text="Cảm ơn Ông/Bà đã góp ý.")

    assert round_trip(message) == message
    assert json.loads(message.to_json()) == {
        "text": "Cảm ơn Ông/Bà đã góp ý.",
        "buttons": [],
        "attachment": None,
    }


def test_a_payload_stored_with_every_key_still_reads() -> None:
    stored = (
        '{"text":"Xin chào","buttons":[[{"label":"Gửi","data":"i:send"}]],"attachment":null,'
        '"contact_request":null,"remove_keyboard":false,"extra":{},"upload":null,"thread_id":null}'
    )

    message = Outbound.from_row(CHAT, stored, None, None, None)

    assert message == Outbound(chat=CHAT, text="Xin chào", buttons=((Button("Gửi", "i:send"),),))
