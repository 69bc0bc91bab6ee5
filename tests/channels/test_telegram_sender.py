"""TelegramSender through a real PTB Bot against the sandbox Bot API emulator."""

from __future__ import annotations

import html
import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.channels.telegram_builtin_request import BuiltinRequest
from bot.channels.telegram_raw_bot import RawResultBot
from bot.channels.telegram_sender import TelegramSender
from bot.domain.errors import ChatUnreachable, PermanentFailure, RetryLater, TransientFailure
from bot.domain.model import Attachment, AttachmentKind, ChatRef
from bot.domain.outbound import Button, Outbound
from bot.domain.ports import SystemClock
from bot.services.outbox_dispatcher import OutboxDispatcher
from bot.storage.database import Database
from bot.storage.outbox_store import OutboxStore, enqueue
from sandbox import BotApiEmulator, FaultSpec

TOKEN = "123456:TEST"
CITIZEN = 5001


async def open_bot(emu: BotApiEmulator, **request: Any) -> RawResultBot:
    bot = RawResultBot(
        TOKEN,
        base_url=emu.base_url,
        base_file_url=emu.base_file_url,
        request=BuiltinRequest(**request),
    )
    await bot.initialize()
    return bot


@pytest.fixture
async def bot(emu: BotApiEmulator) -> AsyncIterator[RawResultBot]:
    telegram_bot = await open_bot(emu)
    yield telegram_bot
    await telegram_bot.shutdown()


@pytest.fixture
def sender(bot: RawResultBot) -> TelegramSender:
    return TelegramSender(bot)


def to(chat_id: int, **fields: Any) -> Outbound:
    return Outbound(chat=ChatRef("telegram", str(chat_id)), **fields)


def last_message(emu: BotApiEmulator, chat_id: int = CITIZEN) -> dict[str, Any]:
    return emu.bot_messages(chat_id)[-1]


async def test_escaped_user_text_arrives_exactly_as_written(
    emu: BotApiEmulator, sender: TelegramSender
) -> None:
    written = "Đường <thôn 3> hỏng & ngập > 2 tuần"

    message_id = await sender.send(to(CITIZEN, text=f"<b>Góp ý:</b> {html.escape(written)}"))

    shown = last_message(emu)
    assert shown["text"] == f"Góp ý: {written}"
    assert message_id == str(shown["message_id"])
    [call] = [c for c in emu.calls if c.method == "sendMessage"]
    assert call.params["parse_mode"] == "HTML"
    assert call.params["link_preview_options"] == {"is_disabled": True}


async def test_inline_buttons_carry_their_callback_data(
    emu: BotApiEmulator, sender: TelegramSender
) -> None:
    buttons = (
        (Button("Nhận", "m:claim:7"), Button("Trả lời", "m:answer:7")),
        (Button("Lịch sử", "m:history:7"),),
    )

    await sender.send(to(CITIZEN, text="Phiếu mới", buttons=buttons))

    keyboard = last_message(emu)["reply_markup"]["inline_keyboard"]
    assert [[(b["text"], b["callback_data"]) for b in row] for row in keyboard] == [
        [("Nhận", "m:claim:7"), ("Trả lời", "m:answer:7")],
        [("Lịch sử", "m:history:7")],
    ]


async def test_contact_request_shows_a_share_key_and_a_skip_key(
    emu: BotApiEmulator, sender: TelegramSender
) -> None:
    await sender.send(
        to(CITIZEN, text="Số điện thoại?", contact_request=("Chia sẻ số điện thoại", "Bỏ qua"))
    )

    keyboard = emu.reply_keyboard(CITIZEN)
    assert keyboard is not None
    assert keyboard["keyboard"] == [
        [{"text": "Chia sẻ số điện thoại", "request_contact": True}],
        [{"text": "Bỏ qua"}],
    ]
    assert keyboard["resize_keyboard"] is True
    assert keyboard["one_time_keyboard"] is True


async def test_remove_keyboard_takes_the_reply_keyboard_away(
    emu: BotApiEmulator, sender: TelegramSender
) -> None:
    await sender.send(to(CITIZEN, text="Số điện thoại?", contact_request=("Chia sẻ", "Bỏ qua")))

    await sender.send(to(CITIZEN, text="Đã bỏ qua.", remove_keyboard=True))

    assert emu.reply_keyboard(CITIZEN) is None


async def test_photo_is_resent_by_file_id_with_caption_and_buttons(
    emu: BotApiEmulator, sender: TelegramSender
) -> None:
    photo = emu.send_photo(CITIZEN)["photo"][-1]
    member = 6001
    emu.send_text(member, "/start")

    message_id = await sender.send(
        to(
            member,
            text="<b>Ảnh</b> của phiếu MT-261127-0001-AB",
            attachment=Attachment(AttachmentKind.PHOTO, file_id=photo["file_id"]),
            buttons=((Button("Trả lời", "m:answer:1"),),),
        )
    )

    shown = last_message(emu, member)
    assert message_id == str(shown["message_id"])
    assert shown["photo"][-1]["file_unique_id"] == photo["file_unique_id"]
    assert shown["caption"] == "Ảnh của phiếu MT-261127-0001-AB"
    assert shown["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "m:answer:1"


async def test_document_and_voice_are_resent_by_file_id(
    emu: BotApiEmulator, sender: TelegramSender
) -> None:
    document = emu.send_document(CITIZEN, file_name="don.pdf")["document"]
    voice = emu.send_voice(CITIZEN)["voice"]

    await sender.send(
        to(
            CITIZEN,
            text="Tệp",
            attachment=Attachment(AttachmentKind.DOCUMENT, file_id=document["file_id"]),
        )
    )
    await sender.send(
        to(CITIZEN, attachment=Attachment(AttachmentKind.VOICE, file_id=voice["file_id"]))
    )

    sent_document, sent_voice = emu.bot_messages(CITIZEN)[-2:]
    assert sent_document["document"]["file_unique_id"] == document["file_unique_id"]
    assert sent_document["caption"] == "Tệp"
    assert sent_voice["voice"]["file_unique_id"] == voice["file_unique_id"]


async def test_location_is_sent_as_coordinates(emu: BotApiEmulator, sender: TelegramSender) -> None:
    await sender.send(
        to(
            CITIZEN,
            attachment=Attachment(AttachmentKind.LOCATION, latitude=10.7769, longitude=106.7009),
        )
    )

    assert last_message(emu)["location"] == {"latitude": 10.7769, "longitude": 106.7009}


async def test_location_with_text_is_refused_before_calling_telegram(
    emu: BotApiEmulator, sender: TelegramSender
) -> None:
    calls_before = len(emu.calls)
    location = Attachment(AttachmentKind.LOCATION, latitude=10.0, longitude=106.0)

    with pytest.raises(PermanentFailure):
        await sender.send(to(CITIZEN, text="Ở đây", attachment=location))

    assert len(emu.calls) == calls_before


async def test_an_edit_changes_text_and_buttons_of_the_same_message(
    emu: BotApiEmulator, sender: TelegramSender
) -> None:
    first = await sender.send(to(CITIZEN, text="Tham dự (1)", buttons=((Button("A", "g:a"),),)))

    edited = await sender.edit(
        to(CITIZEN, text="<b>Tham dự (2)</b> &amp; đủ", buttons=((Button("B", "g:b"),),)), first
    )

    assert edited == first
    [shown] = emu.bot_messages(CITIZEN)
    assert str(shown["message_id"]) == first
    assert shown["text"] == "Tham dự (2) & đủ"
    assert shown["reply_markup"]["inline_keyboard"] == [[{"text": "B", "callback_data": "g:b"}]]
    [call] = [c for c in emu.calls if c.method == "editMessageText"]
    assert call.params["parse_mode"] == "HTML"


async def test_an_edit_to_the_same_content_counts_as_done(
    emu: BotApiEmulator, sender: TelegramSender
) -> None:
    first = await sender.send(to(CITIZEN, text="Tham dự (1)"))

    assert await sender.edit(to(CITIZEN, text="Tham dự (1)"), first) == first
    assert [c.ok for c in emu.calls if c.method == "editMessageText"] == [False]


async def test_an_edit_of_a_missing_message_is_a_permanent_failure(sender: TelegramSender) -> None:
    with pytest.raises(PermanentFailure):
        await sender.edit(to(CITIZEN, text="Tham dự (1)"), "999999")


async def test_an_edit_meeting_flood_control_is_retried_later(
    emu: BotApiEmulator, sender: TelegramSender
) -> None:
    first = await sender.send(to(CITIZEN, text="Tham dự (1)"))
    emu.inject_fault(FaultSpec(method="editMessageText", status=429, retry_after=2, times=1))

    with pytest.raises(RetryLater):
        await sender.edit(to(CITIZEN, text="Tham dự (2)"), first)


async def test_flood_control_becomes_retry_later_with_its_seconds(
    emu: BotApiEmulator, sender: TelegramSender
) -> None:
    emu.inject_fault(FaultSpec(method="sendMessage", status=429, retry_after=2, times=1))

    with pytest.raises(RetryLater) as caught:
        await sender.send(to(CITIZEN, text="xin chào"))

    assert caught.value.seconds == 2.0


async def test_server_error_is_transient(emu: BotApiEmulator, sender: TelegramSender) -> None:
    emu.inject_fault(FaultSpec(method="sendMessage", status=500, times=1))

    with pytest.raises(TransientFailure):
        await sender.send(to(CITIZEN, text="xin chào"))

    await sender.send(to(CITIZEN, text="lần nữa"))
    assert last_message(emu)["text"] == "lần nữa"


async def test_timeout_is_transient(emu: BotApiEmulator) -> None:
    emu.inject_fault(FaultSpec(method="sendMessage", timeout=True, delay=3.0, times=1))
    bot = await open_bot(emu, read_timeout=0.3)
    try:
        with pytest.raises(TransientFailure):
            await TelegramSender(bot).send(to(CITIZEN, text="xin chào"))
    finally:
        await bot.shutdown()


async def test_forbidden_fault_means_unreachable(
    emu: BotApiEmulator, sender: TelegramSender
) -> None:
    emu.inject_fault(FaultSpec(method="sendMessage", status=403, times=1))

    with pytest.raises(ChatUnreachable):
        await sender.send(to(CITIZEN, text="xin chào"))


async def test_user_who_blocked_the_bot_is_unreachable(
    emu: BotApiEmulator, sender: TelegramSender
) -> None:
    emu.block(CITIZEN)

    with pytest.raises(ChatUnreachable):
        await sender.send(to(CITIZEN, text="xin chào"))


async def test_unknown_chat_is_unreachable(sender: TelegramSender) -> None:
    with pytest.raises(ChatUnreachable):
        await sender.send(to(-100123, text="xin chào"))


async def test_malformed_markup_is_a_permanent_failure(sender: TelegramSender) -> None:
    with pytest.raises(PermanentFailure):
        await sender.send(to(CITIZEN, text="<b>không đóng thẻ"))


async def test_rejected_token_keeps_the_mail_and_logs_an_error(
    emu: BotApiEmulator, sender: TelegramSender, caplog: pytest.LogCaptureFixture
) -> None:
    emu.inject_fault(FaultSpec(method="sendMessage", status=401, times=1))

    with pytest.raises(TransientFailure):
        await sender.send(to(CITIZEN, text="xin chào"))

    assert any(r.levelno == logging.ERROR and "token" in r.getMessage() for r in caplog.records)


async def test_outbox_drained_at_default_pace_never_meets_flood_control(
    tmp_path: Path, emu: BotApiEmulator, sender: TelegramSender
) -> None:
    emu.set_rate_limits(30.0, per_chat_per_second=1.0, burst=3)
    members = [7000 + n for n in range(30)]
    for member in members:
        emu.send_text(member, "/start")
    db = await Database.open(tmp_path / "t.sqlite3")
    try:
        async with db.transaction() as tx:
            await enqueue(
                tx,
                [to(CITIZEN, text=f"phần {n}") for n in range(4)]
                + [to(member, text="Phiếu mới") for member in members],
                datetime.now(UTC),
            )
        dispatcher = OutboxDispatcher(OutboxStore(db), {"telegram": sender}, SystemClock())
        dispatcher.start()
        try:
            assert await dispatcher.drain(timeout=20)
        finally:
            await dispatcher.stop(flush_seconds=0)
    finally:
        await db.close()

    assert emu.stats["429"] == 0
    assert [m["text"] for m in emu.bot_messages(CITIZEN)] == [f"phần {n}" for n in range(4)]
    assert all(len(emu.bot_messages(member)) == 1 for member in members)
