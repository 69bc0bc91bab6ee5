"""Long polling as PTB's Updater uses it: blocking, waking, offsets, re-delivery, conflicts."""

import asyncio
import time
from typing import Any

import pytest
from telegram import Bot, Update
from telegram.error import Conflict
from telegram.ext import CallbackContext, CommandHandler, MessageHandler, filters
from telegram.request import HTTPXRequest

from sandbox import BotApiEmulator

USER = 42


async def test_polling_application_answers_a_command(emu: BotApiEmulator, polling_app: Any) -> None:
    seen: list[str] = []

    async def start(update: Update, context: CallbackContext[Any, Any, Any, Any]) -> None:
        assert update.message is not None
        seen.append(update.message.text or "")
        await update.message.reply_text("Chào bạn!")

    async with polling_app(CommandHandler("start", start)):
        emu.send_text(USER, "/start@homthu_bot")
        reply = await emu.wait_for_bot_message(USER, contains="Chào")
    assert seen == ["/start@homthu_bot"]
    assert reply["chat"] == {"id": USER, "type": "private", "first_name": "Người dùng 42"}
    assert emu.pending_updates() == 0


async def test_command_entity_counts_utf16_units(emu: BotApiEmulator) -> None:
    message = emu.send_text(USER, "😀 /tracuu MT-1")
    assert message["entities"] == [{"type": "bot_command", "offset": 3, "length": 7}]


async def test_long_poll_blocks_until_an_update_arrives(emu: BotApiEmulator, bot: Bot) -> None:
    poll = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.3)
    assert not poll.done()
    emu.send_text(USER, "xin chào")
    updates = await asyncio.wait_for(poll, 1.0)
    assert [u.message.text for u in updates if u.message] == ["xin chào"]


async def test_long_poll_times_out_with_no_updates(bot: Bot) -> None:
    started = time.monotonic()
    assert await bot.get_updates(timeout=1) == ()
    assert 0.9 < time.monotonic() - started < 2.0


async def test_stop_wakes_a_long_poll_at_once(emu: BotApiEmulator, bot: Bot) -> None:
    poll = asyncio.create_task(bot.get_updates(timeout=10))
    await asyncio.sleep(0.2)
    started = time.monotonic()
    await emu.stop()
    assert await asyncio.wait_for(poll, 2.0) == ()
    assert time.monotonic() - started < 1.0


async def test_offset_confirms_and_unconfirmed_updates_come_back(
    emu: BotApiEmulator, bot: Bot, polling_app: Any
) -> None:
    emu.send_text(USER, "một")
    emu.send_text(USER, "hai")
    # A bot that fetched but crashed before confirming (no offset) leaves both queued.
    first = await bot.get_updates(timeout=0)
    assert len(first) == 2 and emu.pending_updates() == 2
    received: list[str] = []

    async def record(update: Update, context: CallbackContext[Any, Any, Any, Any]) -> None:
        assert update.message is not None
        received.append(update.message.text or "")

    async with polling_app(MessageHandler(filters.TEXT, record)):
        await emu.wait_until(lambda: len(received) == 2)
    assert received == ["một", "hai"]
    assert emu.pending_updates() == 0
    assert await bot.get_updates(timeout=0) == ()


async def test_negative_offset_keeps_only_the_latest(emu: BotApiEmulator, bot: Bot) -> None:
    for text in ("a", "b", "c"):
        emu.send_text(USER, text)
    updates = await bot.get_updates(offset=-1, timeout=0)
    assert [u.message.text for u in updates if u.message] == ["c"]


async def test_allowed_updates_filters_delivery(emu: BotApiEmulator, bot: Bot) -> None:
    emu.send_text(USER, "a")
    emu.inject_update({"my_chat_member": {"chat": {"id": USER, "type": "private"}}})
    updates = await bot.get_updates(timeout=0, allowed_updates=["my_chat_member"])
    assert [u.update_id for u in updates] == [2]


async def test_get_updates_conflicts_with_a_webhook(bot: Bot) -> None:
    await bot.set_webhook("http://127.0.0.1:9/hook", secret_token="s3cret")
    info = await bot.get_webhook_info()
    assert info.url == "http://127.0.0.1:9/hook"
    with pytest.raises(Conflict, match="webhook is active"):
        await bot.get_updates(timeout=0)
    await bot.delete_webhook()
    assert await bot.get_updates(timeout=0) == ()


async def test_a_second_poller_terminates_the_first(bot: Bot, emu: BotApiEmulator) -> None:
    first = asyncio.create_task(bot.get_updates(timeout=5))
    await emu.wait_until(lambda: emu.state.poll_generation == 1)
    request = HTTPXRequest(httpx_kwargs={"trust_env": False})
    async with Bot(emu.token, base_url=emu.base_url, request=request) as other:
        second = asyncio.create_task(other.get_updates(timeout=0))
        with pytest.raises(Conflict, match="terminated by other getUpdates"):
            await asyncio.wait_for(first, 2.0)
        assert await second == ()
