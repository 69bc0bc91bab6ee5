"""Report files reach the chat: TelegramSender uploads them to the sandbox Bot API emulator."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from telegram.request import HTTPXRequest

from bot.channels.telegram_raw_bot import RawResultBot
from bot.channels.telegram_sender import TelegramSender
from bot.domain.model import ChatRef
from bot.domain.outbound import Outbound, Upload
from bot.domain.ports import SystemClock
from bot.reporting.chart import Series, stacked_bar_chart
from bot.reporting.spreadsheet import CSV_MIME, XLSX_MIME, Table, csv_bytes, xlsx_bytes
from bot.services.outbox_dispatcher import OutboxDispatcher
from bot.storage.database import Database
from bot.storage.outbox_store import OutboxStore, enqueue
from sandbox import BotApiEmulator

TOKEN = "123456:TEST"
CHAIR = 1001
WORKBOOK = xlsx_bytes([Table("Phiếu", ("Mã tra cứu", "Thôn"), [("MT-1", "Thôn Đông")])])


@pytest.fixture
async def emu() -> AsyncIterator[BotApiEmulator]:
    emulator = BotApiEmulator(token=TOKEN)
    await emulator.start(host="127.0.0.1", port=0)
    emulator.send_text(CHAIR, "/start")
    yield emulator
    await emulator.stop()


@pytest.fixture
async def bot(emu: BotApiEmulator) -> AsyncIterator[RawResultBot]:
    telegram_bot = RawResultBot(
        TOKEN,
        base_url=emu.base_url,
        base_file_url=emu.base_file_url,
        request=HTTPXRequest(httpx_kwargs={"trust_env": False}),
    )
    await telegram_bot.initialize()
    yield telegram_bot
    await telegram_bot.shutdown()


def to_chair(**fields: object) -> Outbound:
    return Outbound(chat=ChatRef("telegram", str(CHAIR)), **fields)  # type: ignore[arg-type]


async def test_a_workbook_arrives_as_a_document_with_its_name_and_bytes(
    emu: BotApiEmulator, bot: RawResultBot
) -> None:
    upload = Upload("homthu-phieu-2026-11-01_2026-11-30.xlsx", XLSX_MIME, WORKBOOK)

    message_id = await TelegramSender(bot).send(
        to_chair(text="📎 Danh sách phiếu <b>kỳ 11/2026</b>", upload=upload)
    )

    shown = emu.bot_messages(CHAIR)[-1]
    assert message_id == str(shown["message_id"])
    document = shown["document"]
    assert document["file_name"] == "homthu-phieu-2026-11-01_2026-11-30.xlsx"
    assert document["mime_type"] == XLSX_MIME
    assert document["file_size"] == len(WORKBOOK)
    assert shown["caption"] == "📎 Danh sách phiếu kỳ 11/2026"
    downloaded = await (await bot.get_file(document["file_id"])).download_as_bytearray()
    assert bytes(downloaded) == WORKBOOK


async def test_a_chart_arrives_as_a_photo_with_its_caption(
    emu: BotApiEmulator, bot: RawResultBot
) -> None:
    png = stacked_bar_chart("Tháng 11", ["Đất đai"], [Series("Đã tiếp nhận", (3,))], "Số phiếu", "")

    await TelegramSender(bot).send(
        to_chair(text="📊 Biểu đồ", upload=Upload("thong-ke.png", "image/png", png, as_photo=True))
    )

    shown = emu.bot_messages(CHAIR)[-1]
    assert "document" not in shown
    assert shown["photo"][-1]["file_size"] == len(png)
    assert shown["caption"] == "📊 Biểu đồ"
    [call] = [c for c in emu.calls if c.method == "sendPhoto"]
    assert call.params["parse_mode"] == "HTML"


async def test_an_upload_from_the_outbox_is_delivered_by_the_dispatcher(
    tmp_path: Path, emu: BotApiEmulator, bot: RawResultBot
) -> None:
    data = csv_bytes(Table("Phiếu", ("Thôn",), [("Thôn Đông",)]))
    db = await Database.open(tmp_path / "outbox.sqlite3")
    try:
        async with db.transaction() as tx:
            message = to_chair(upload=Upload("phieu.csv", CSV_MIME, data))
            await enqueue(tx, [message], datetime.now(UTC))
        dispatcher = OutboxDispatcher(
            OutboxStore(db), {"telegram": TelegramSender(bot)}, SystemClock()
        )
        dispatcher.start()
        try:
            assert await dispatcher.drain(timeout=10)
        finally:
            await dispatcher.stop(flush_seconds=0)
    finally:
        await db.close()

    document = emu.bot_messages(CHAIR)[-1]["document"]
    assert (document["file_name"], document["file_size"]) == ("phieu.csv", len(data))
    downloaded = await (await bot.get_file(document["file_id"])).download_as_bytearray()
    assert bytes(downloaded).decode("utf-8-sig") == "Thôn\r\nThôn Đông\r\n"
