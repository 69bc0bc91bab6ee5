"""RawResultBot: text sends and edits that post what PTB's typed methods post, answer unparsed."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web
from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    LinkPreviewOptions,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)
from telegram.constants import ParseMode
from telegram.error import ChatMigrated

from bot.channels.telegram_builtin_request import BuiltinRequest
from bot.channels.telegram_raw_bot import RawResultBot
from bot.channels.telegram_sender import TelegramSender
from bot.domain.errors import ChatUnreachable
from bot.domain.model import ChatRef
from bot.domain.outbound import Button, Outbound
from sandbox import BotApiEmulator

TOKEN = "123456:TEST"
CITIZEN = 5001
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


@pytest.fixture
async def bot(emu: BotApiEmulator) -> AsyncIterator[RawResultBot]:
    async with RawResultBot(TOKEN, base_url=emu.base_url, request=BuiltinRequest()) as raw_bot:
        yield raw_bot


def to(chat_id: int, **fields: Any) -> Outbound:
    return Outbound(chat=ChatRef("telegram", str(chat_id)), **fields)


def last_two(emu: BotApiEmulator, method: str) -> list[dict[str, Any]]:
    return [c.params for c in emu.calls if c.method == method][-2:]


async def test_post_raw_answers_telegrams_own_dict(emu: BotApiEmulator, bot: RawResultBot) -> None:
    result = await bot.post_raw(
        "sendMessage", {"chat_id": CITIZEN, "text": "Xin chào", "reply_markup": None}
    )

    assert isinstance(result, dict)
    assert result["message_id"] == emu.bot_messages(CITIZEN)[-1]["message_id"]
    assert result["text"] == "Xin chào"
    [call] = [c for c in emu.calls if c.method == "sendMessage"]
    assert "reply_markup" not in call.params  # None values are left out, as PTB does


OUTBOUND_AND_MARKUP = [
    (
        {"buttons": ((Button("Nhận", "m:claim:7"), Button("Trả lời", "m:answer:7")),)},
        InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton("Nhận", callback_data="m:claim:7"),
                    InlineKeyboardButton("Trả lời", callback_data="m:answer:7"),
                ]
            ]
        ),
    ),
    (
        {"contact_request": ("Chia sẻ số điện thoại", "Bỏ qua")},
        ReplyKeyboardMarkup(
            [[KeyboardButton("Chia sẻ số điện thoại", request_contact=True)], ["Bỏ qua"]],
            resize_keyboard=True,
            one_time_keyboard=True,
        ),
    ),
    ({"remove_keyboard": True}, ReplyKeyboardRemove()),
    ({}, None),
]


@pytest.mark.parametrize(
    ("fields", "markup"), OUTBOUND_AND_MARKUP, ids=["inline", "contact", "remove", "plain"]
)
async def test_a_text_send_posts_exactly_what_send_message_posts(
    emu: BotApiEmulator,
    bot: RawResultBot,
    fields: dict[str, Any],
    markup: Any,
) -> None:
    text = "<b>Phiếu MT-261127-0042-K7</b> &amp; lời đáp"

    sent_id = await TelegramSender(bot).send(to(CITIZEN, text=text, **fields))
    typed = await bot.send_message(
        CITIZEN,
        text,
        parse_mode=ParseMode.HTML,
        reply_markup=markup,
        link_preview_options=NO_PREVIEW,
    )

    by_sender, by_typed = last_two(emu, "sendMessage")
    assert by_sender == by_typed
    assert int(sent_id) == typed.message_id - 1


async def test_an_edit_posts_exactly_what_edit_message_text_posts(
    emu: BotApiEmulator, bot: RawResultBot
) -> None:
    sender = TelegramSender(bot)
    first = await sender.send(to(CITIZEN, text="Phiếu mới"))
    buttons = ((Button("Đã nhận", "m:claimed:7"),),)

    assert (
        await sender.edit(to(CITIZEN, text="Phiếu <i>đã nhận</i>", buttons=buttons), first) == first
    )
    await bot.edit_message_text(
        "Phiếu <i>đã được nhận</i>",
        chat_id=CITIZEN,
        message_id=int(first),
        parse_mode=ParseMode.HTML,
        reply_markup=InlineKeyboardMarkup(
            [[InlineKeyboardButton("Đã nhận", callback_data="m:claimed:7")]]
        ),
        link_preview_options=NO_PREVIEW,
    )

    by_sender, by_typed = last_two(emu, "editMessageText")
    assert {**by_sender, "text": "Phiếu <i>đã được nhận</i>"} == by_typed
    assert emu.bot_messages(CITIZEN)[-1]["text"] == "Phiếu đã được nhận"


async def test_a_group_that_became_a_supergroup_is_unreachable() -> None:
    # PTB's error mapping still runs: Telegram's migrate_to_chat_id becomes ChatMigrated.
    async def migrated(request: web.Request) -> web.Response:
        if request.match_info["method"] == "getMe":
            me = {"id": 123456, "is_bot": True, "first_name": "Hòm thư", "username": "homthu_bot"}
            return web.json_response({"ok": True, "result": me})
        return web.json_response(
            {
                "ok": False,
                "error_code": 400,
                "description": "Bad Request: group chat was upgraded to a supergroup chat",
                "parameters": {"migrate_to_chat_id": -1001234567890},
            },
            status=400,
        )

    app = web.Application()
    app.router.add_post("/bot{token}/{method}", migrated)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    base_url = f"http://127.0.0.1:{runner.addresses[0][1]}/bot"
    try:
        async with RawResultBot(TOKEN, base_url=base_url, request=BuiltinRequest()) as raw_bot:
            with pytest.raises(ChatMigrated) as raised:
                await raw_bot.post_raw("sendMessage", {"chat_id": -4001, "text": "Họp"})
            assert raised.value.new_chat_id == -1001234567890
            with pytest.raises(ChatUnreachable, match="migrated"):
                await TelegramSender(raw_bot).send(to(-4001, text="Họp"))
    finally:
        await runner.cleanup()
